"""My assignments: join a class by link, open an assignment by link, do it, see the results.

Only the student's own tries are ever read here. Questions reach the page as their public
part (no answers); correct answers and solutions come back only as the reveal policy allows.
"""
import streamlit as st

from ui.setup import page

page("My assignments", ":material/assignment:")
st.title("My assignments")

from ui.assignment_signin import require_student  # noqa: E402

learner = require_student()

from ui.assignment_student import assignments_page  # noqa: E402
from ui.learner import engine_from_config  # noqa: E402

assignments_page(engine_from_config(), learner)
