"""Sign in: students (class code + personal code, school account, a name, a recovery code)
and a way to the teachers' sign-in. The address printed on the roster cards."""
import streamlit as st

from ui.connection import reconnect_safely
from ui.setup import page

page("Sign in", ":material/login:")

from ui.signin_page import sign_in_page  # noqa: E402

sign_in_page()

reconnect_safely()  # last: the connection banner, and a click across a reconnect waits for the page
