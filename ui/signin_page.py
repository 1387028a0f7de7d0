"""The Sign in page: who is signed in on this device, or the ways to sign in."""
from __future__ import annotations

import streamlit as st

from engine.teachers import classes as cls
from ui import learner as learner_ui
from ui import signin
from ui.signin_student import panel


def sign_in_page() -> None:
    st.title("Sign in")
    learner = learner_ui.current_learner()
    teacher = signin.current_teacher()
    if learner is None and teacher is None:
        panel(None)
        st.page_link("pages/teacher.py", label="I am a teacher: teacher sign-in", icon=":material/school:")
        return
    if learner is not None:
        learner_ui.learner_box()  # the one-time recovery code, if just started
        st.success(f"You are signed in as **{learner_ui._md(learner.display_name)}** on this device.",
                   icon=":material/check_circle:")
        mine = cls.classes_of(signin.engine(), learner.id)
        if mine:
            st.caption("Your classes: " + ", ".join(learner_ui._md(c.name) for c in mine))
        st.page_link("pages/assignments.py", label="My assignments", icon=":material/assignment:")
        st.page_link("pages/flashcards.py", label="Flashcards", icon=":material/style:")
    if teacher is not None:
        st.success(f"Signed in as teacher **{learner_ui._md(teacher.name)}**.", icon=":material/school:")
        st.page_link("pages/teacher.py", label="Teacher", icon=":material/lock:")
        st.page_link("pages/roster.py", label="Class roster", icon=":material/badge:")
    st.caption("Not you, or a shared computer? Sign out in the sidebar.")
