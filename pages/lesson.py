import streamlit as st

from ui.setup import page

page("Lesson")
st.title("Lesson")
