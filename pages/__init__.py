"""The app's pages (run by st.navigation from app.py) and their shared helpers (_ui.py).

A regular package, not a namespace one: Streamlit puts the app's folder on sys.path only while a script runs and
takes it off after, so with many sessions running at once a namespace package's search path could be empty at the
moment another session imports pages._ui ("cannot import name '_ui' from 'pages' (unknown location)")."""
