"""Streamlit glue shared by app.py and the pages: setup, menu, cached engine objects."""
