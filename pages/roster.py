"""Class roster: students, their printable sign-in cards, and fixing the roster."""
import streamlit as st

from ui.connection import reconnect_safely
from ui.setup import page

page("Class roster", ":material/badge:")

from ui.signin import engine, require_teacher  # noqa: E402

teacher = require_teacher()

from ui.roster import class_picker, roster_screen  # noqa: E402

st.title("Class roster")
eng = engine()
chosen = class_picker(eng, teacher)
if chosen is not None:
    roster_screen(eng, teacher, chosen)

reconnect_safely()  # last: the connection banner, and a click across a reconnect waits for the page
