"""ASGI entry: the Streamlit app (app.py) plus the public results JSON route, through st.App (Streamlit >= 1.67).

Serve it with `streamlit run asgi.py` (same options as for app.py) or any ASGI server: `uvicorn asgi:app`.
"""

import streamlit as st

from web_routes import ROUTES

app = st.App("app.py", routes=ROUTES)
