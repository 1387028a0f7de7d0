"""Who is studying: the shared learner box, and the database engine for every page.

    from ui.learner import learner_box, engine_from_config
    learner = learner_box()          # draws "start / resume" when nobody is studying yet
    if learner is None:
        st.stop()

The resume code lives in the URL (`?learner=CODE`), so a reload, a bookmark or another device
brings the same learner back; it is also kept in session state, so following the menu (which
drops query parameters) keeps the learner and puts the code back in the URL.
"""
from __future__ import annotations


import streamlit as st

from ui.links import app_url
from ui.storage import database_url, engine_from_config  # noqa: F401  (moved; kept for callers)
from engine.learners import (QUERY_KEY, Learner, LearnerCodeError, LearnerError,
                             create_learner, resume, touch)

SS_CODE = "learner_code"          # the resume code of the learner studying in this tab
SS_LEARNER = "learner_record"     # the Learner looked up for that code
SS_ERROR = "learner_message"      # why the last start/resume attempt failed
SS_JUST_STARTED = "learner_just_started"  # a new learner who has not dismissed "save your link"


def _forget() -> None:
    for key in (SS_CODE, SS_LEARNER):
        st.session_state.pop(key, None)
    if QUERY_KEY in st.query_params:
        del st.query_params[QUERY_KEY]


def _remember(learner: Learner) -> None:
    st.session_state[SS_CODE] = learner.code
    st.session_state[SS_LEARNER] = learner
    st.session_state.pop(SS_ERROR, None)
    st.query_params[QUERY_KEY] = learner.code


def current_learner() -> Learner | None:
    """The learner studying in this tab (from session state or `?learner=` in the URL), or
    None. Draws nothing; an unusable code is explained by `learner_box()`."""
    code = st.session_state.get(SS_CODE) or st.query_params.get(QUERY_KEY)
    if not code:
        return None
    cached = st.session_state.get(SS_LEARNER)
    if isinstance(cached, Learner) and cached.code == code:
        if st.query_params.get(QUERY_KEY) != code:
            st.query_params[QUERY_KEY] = code  # the menu dropped it: keep reloads working
        return cached
    engine = engine_from_config()
    try:
        learner = resume(engine, code)
    except LearnerCodeError as exc:
        st.session_state[SS_ERROR] = str(exc)
        st.session_state.pop(SS_CODE, None)
        st.session_state.pop(SS_LEARNER, None)
        return None
    touch(engine, learner)  # once per tab: when the learner was last here
    _remember(learner)
    return learner


def resume_link(learner: Learner) -> str:
    """The full link that brings this learner back (falls back to the query part alone)."""
    return app_url(learner.resume_query())


def _start() -> None:
    try:
        _remember(create_learner(engine_from_config(), st.session_state.get("learner_new_name", "")))
    except LearnerError as exc:
        st.session_state[SS_ERROR] = str(exc)
        return
    st.session_state[SS_JUST_STARTED] = True


def _dismiss_save_link() -> None:
    st.session_state.pop(SS_JUST_STARTED, None)


def _resume() -> None:
    try:
        _remember(resume(engine_from_config(), st.session_state.get("learner_resume_code", "")))
    except LearnerError as exc:
        st.session_state[SS_ERROR] = str(exc)


def _start_afresh() -> None:
    _forget()
    st.session_state.pop(SS_ERROR, None)
    st.session_state.pop(SS_JUST_STARTED, None)


def save_link_callout(learner: Learner) -> None:
    """Once, right after Start: the resume link, big enough not to miss (the sidebar copy
    sits in a collapsed expander). Stays until the student dismisses it."""
    with st.container(border=True, key="learner_save_link"):
        # The name is not repeated here: it is typed by the student and this is Markdown.
        st.success("**Save this link to continue on any device.**", icon=":material/bookmark:")
        st.caption("Bookmark it, or copy it (the copy button is at the right of the box) and "
                   "keep it somewhere safe, such as your notes. Without it your progress "
                   "cannot be found again. Keep it private: anyone with it can see your "
                   "progress.")
        st.code(resume_link(learner), language=None, wrap_lines=True)
        st.caption("Or just the resume code, to paste into \"Been here before?\":")
        st.code(learner.code, language=None)
        st.button("I have saved it", key="learner_saved_link", on_click=_dismiss_save_link,
                  icon=":material/check:", help="Hides this box. The link stays in the "
                  "sidebar under \"Your resume link\".")


def learner_box() -> Learner | None:
    """The learner, with their resume link in the sidebar; or, when nobody is studying yet,
    a way to start with a display name or resume with a code (drawn where it is called)."""
    learner = current_learner()
    if learner is not None:
        with st.sidebar:
            st.divider()
            st.caption("Studying as")
            st.text(learner.display_name)
            with st.expander("Your resume link", icon=":material/key:"):
                st.caption("Bookmark or copy this link to carry on later or on another "
                           "device. Keep it private: anyone with it can see your progress.")
                st.code(resume_link(learner), language=None, wrap_lines=True)
                st.caption("Resume code")
                st.code(learner.code, language=None)
            st.button("Not you? Switch learner", key="learner_switch", on_click=_start_afresh,
                      icon=":material/logout:", help="You can come back with your resume link.")
        if st.session_state.get(SS_JUST_STARTED):
            save_link_callout(learner)
        return learner

    message = st.session_state.get(SS_ERROR)
    with st.container(border=True, key="learner_box"):
        st.subheader("Who is studying?")
        if message:
            st.error(message, icon=":material/error:")
            if st.query_params.get(QUERY_KEY):
                st.button("Start as a new learner", key="learner_afresh",
                          on_click=_start_afresh, icon=":material/person_add:",
                          help="Clears this code so you can start with a new name and a new "
                               "resume code. Progress saved under an old code is not deleted: "
                               "that code still brings it back.")
                st.caption("Or check the code and try again below. Starting as a new learner "
                           "begins with no progress; anything saved under your old code stays "
                           "with that code.")
        new_col, back_col = st.columns(2)
        with new_col, st.form("learner_new", border=False):
            st.markdown("**New here?** Pick a name; your progress is saved with it.")
            st.text_input("Your name or a nickname", key="learner_new_name", max_chars=40,
                          placeholder="e.g. Sam")
            st.form_submit_button("Start", type="primary", on_click=_start,
                                  icon=":material/play_arrow:")
        with back_col, st.form("learner_resume", border=False):
            st.markdown("**Been here before?** Paste your resume code or link.")
            st.text_input("Resume code or link", key="learner_resume_code")
            st.form_submit_button("Resume", on_click=_resume, icon=":material/history:")
    return None


def require_learner(to_do: str) -> Learner:
    """The learner, or the sign-in box and a note on why, and the page stops there."""
    learner = learner_box()
    if learner is None:
        st.info(f"Start with your name (or resume with your code) to {to_do}.")
        st.stop()
    return learner
