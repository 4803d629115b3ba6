"""Services: plain functions over a SQLModel session; no streamlit here."""
