"""Admin: teacher accounts (add, passcode, admin role, archive) and who teaches each class."""
import streamlit as st

from ui.connection import reconnect_safely
from ui.setup import page

page("Admin", ":material/admin_panel_settings:")

from ui.signin import engine, require_admin  # noqa: E402

admin = require_admin()

from ui.admin import admin_screen  # noqa: E402

st.title("Admin")
admin_screen(engine(), admin)

reconnect_safely()  # last: the connection banner, and a click across a reconnect waits for the page
