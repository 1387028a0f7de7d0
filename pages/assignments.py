"""My assignments: join a class by link, open an assignment by link, do it, see the results.

Only the student's own tries are ever read here. Questions reach the page as their public
part (no answers); correct answers and solutions come back only as the reveal policy allows.
"""
import streamlit as st

from ui.connection import reconnect_safely
from ui.setup import page

page("My assignments", ":material/assignment:")
st.title("My assignments")

from engine.teachers.links import ASSIGNMENT_KEY, JOIN_KEY  # noqa: E402
from ui.assignment_student import assignments_page, class_of_link  # noqa: E402
from ui.learner import current_learner, engine_from_config, learner_box  # noqa: E402
from ui.signin_student import panel  # noqa: E402

engine = engine_from_config()
if current_learner() is None:
    # The one student sign-in (class code + own code, school account, a name, a recovery
    # code); told the class of the link, so a name already in it is questioned first.
    if st.query_params.get(JOIN_KEY) or st.query_params.get(ASSIGNMENT_KEY):
        st.info("First tell us who you are: your class code and your code, your school account, "
                "or your name. Your class or assignment opens right after.", icon=":material/login:")
    panel(class_of_link(engine))
    st.stop()

assignments_page(engine, learner_box())

reconnect_safely()  # last: the connection banner, and a click across a reconnect waits for the page
