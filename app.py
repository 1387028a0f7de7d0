"""Home page: what Batchwise is, and the way into each part."""
import streamlit as st

from ui.setup import page

page("Batchwise", ":material/school:")
st.title("Batchwise")
