"""Who is signed in, in the sidebar of every page, with a visible "Sign out"."""
from __future__ import annotations

import streamlit as st

from engine import db
from engine.identity import sessions


def sidebar() -> None:
    """Draw who is signed in. With storage down, the menu still works and says sign-in waits;
    the page that needs storage (or the home page's start-up check) explains the fault."""
    try:
        _status()
    except Exception as exc:
        if db.fault(exc) is None:
            raise  # a bug, not a storage fault
        with st.sidebar:
            st.divider()
            st.caption("Sign-in is unavailable while progress can't be saved.")


def _status() -> None:
    from ui import learner as learner_ui
    from ui import signin

    ss = st.session_state
    learner = learner_ui.current_learner()
    # Only look the teacher up when this tab or device has a sign-in: the menu of a page
    # nobody signed in to stays free of database reads.
    teacher = None
    if ss.get(signin.SS_TEACHER) is not None or signin_cookie_present() or signin.school_providers():
        teacher = signin.current_teacher()
    learner_ui.switch_question()
    if learner is None and teacher is None:
        return
    with st.sidebar:
        st.divider()
        if teacher is not None:
            st.caption("Signed in as teacher" + (" (admin)" if teacher.is_admin else ""))
            st.text(teacher.name)
            st.button("Sign out", key="signin_teacher_out", on_click=signin.sign_out_teacher,
                      icon=":material/logout:",
                      help="Signs this browser out of the teacher pages.")
        if learner is not None:
            st.caption("Studying as")
            st.text(learner.display_name)
            learner_ui.sidebar_extras(learner)
            st.button("Sign out", key="learner_switch", on_click=learner_ui.sign_out,
                      icon=":material/logout:", help="You can sign in again with your code.")
        st.caption("On a shared computer, sign out when you are done: this browser otherwise "
                   f"stays signed in (students {sessions.LEARNER_DAYS} days, teachers "
                   f"{sessions.TEACHER_DAYS} days).")


def signin_cookie_present() -> bool:
    from ui import signin_cookie
    return signin_cookie.read(signin_cookie.TEACHER) is not None
