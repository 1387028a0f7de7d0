"""The sign-in gate of the assignments page: one call, so the identity work can swap it."""
from __future__ import annotations

import streamlit as st

from engine.teachers import assignments as asg
from engine.teachers import classes as cls
from engine.teachers.links import ASSIGNMENT_KEY, JOIN_KEY, LinkProblem
from ui.learner import current_learner, engine_from_config, learner_box
from ui.teacher import student_sign_in


def _class_of_link(engine) -> cls.SchoolClass | None:
    """The class the link in the address belongs to (None for a bad link: the page explains
    that once the student is signed in)."""
    try:
        if st.query_params.get(ASSIGNMENT_KEY):
            return cls.get_class(engine, asg.find_assignment(engine, st.query_params[ASSIGNMENT_KEY]).class_id)
        if st.query_params.get(JOIN_KEY):
            return cls.find_class(engine, st.query_params[JOIN_KEY])
    except LinkProblem:
        return None
    return None


def require_student():
    """The signed-in learner, or the sign-in form (and the page stops)."""
    if current_learner() is None:
        if st.query_params.get(JOIN_KEY) or st.query_params.get(ASSIGNMENT_KEY):
            st.info("First tell us who you are: resume with your code, or start with your name. "
                    "Your class or assignment opens right after.", icon=":material/login:")
        student_sign_in(_class_of_link(engine_from_config()))
        st.stop()
    return learner_box()
