"""Batchwise's domain: pure Python, no Streamlit. Pages call into this package."""
