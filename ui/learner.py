"""Who is studying: the device's signed-in learner, and the database engine for every page.

    from ui.learner import current_learner, require_learner, engine_from_config
    learner = current_learner()      # None when nobody is signed in; draws nothing
    learner = require_learner("review cards")   # or the sign-in panel, and the page stops

A learner signs in once per device (class code + personal code, school account, a name for
self-study, or a recovery code); the device then keeps an opaque session token in a cookie
(`ui.signin_cookie`), so new tabs, reloads and reconnects after a server restart find them
on their first run. Nothing that identifies a learner is ever put in the address bar: an old
`?learner=CODE` link signs its owner in once and is removed from the address; a link with
someone else's code, while another learner is signed in, asks before switching.
"""
from __future__ import annotations


import streamlit as st

from engine.identity import sessions
from engine.learners import (QUERY_KEY, Learner, get_learner,
                             new_recovery_code, touch)
from ui import signin_cookie as cookie
from ui.storage import database_url, engine_from_config  # noqa: F401  (moved; kept for callers)

SS_LEARNER = "learner_record"     # the Learner signed in on this tab
SS_TOKEN = "learner_token"        # their session token (also in the device's cookie)
SS_OUT = "learner_signed_out"     # signed out on this tab: the connection's cookie is stale
SS_ERROR = "learner_message"      # why the last sign-in attempt failed
SS_JUST_STARTED = "learner_just_started"  # a recovery code to show once, until dismissed
SS_SWITCH = "learner_switch_to"   # a learner from a pasted link, while another is signed in
SS_CODE = "learner_code"          # kept for old callers: the recovery code just typed


def _engine_ready():
    from ui.signin import engine as signin_engine
    return signin_engine()


def _forget() -> None:
    for key in (SS_LEARNER, SS_TOKEN, SS_CODE):
        st.session_state.pop(key, None)


def sign_in(learner: Learner, how: str, recovery_code: str | None = None) -> None:
    """Sign `learner` in on this tab and this device. `recovery_code` (a new self-study
    learner's) is shown once, in the callout."""
    ss = st.session_state
    token, _ = sessions.start(_engine_ready(), learner_id=learner.id, how=how)
    ss[SS_LEARNER], ss[SS_TOKEN] = learner, token
    for key in (SS_OUT, SS_ERROR, SS_SWITCH):
        ss.pop(key, None)
    if recovery_code:
        ss[SS_JUST_STARTED] = recovery_code
    cookie.write(cookie.LEARNER, token, sessions.LEARNER_DAYS * 86400)


def sign_out() -> None:
    """Sign out on this device: the session ends (a copy of the cookie stops working too)."""
    ss = st.session_state
    sessions.end(_engine_ready(), ss.get(SS_TOKEN) or cookie.read(cookie.LEARNER))
    _forget()
    for key in (SS_JUST_STARTED, SS_SWITCH):
        ss.pop(key, None)
    ss[SS_OUT] = True
    cookie.forget(cookie.LEARNER)


def _signed_in() -> Learner | None:
    # The database is opened only when there is a sign-in to check: a visitor who is not
    # signed in (the lesson, the glossary) costs no query, even on a fresh server.
    ss = st.session_state
    cached = ss.get(SS_LEARNER)
    token = ss.get(SS_TOKEN)
    if isinstance(cached, Learner) and token:
        eng = _engine_ready()
        signed = sessions.resolve(eng, token)
        if signed is not None and signed.learner_id is not None:
            if signed.learner_id == cached.id:
                return cached
            current = get_learner(eng, signed.learner_id)  # merged by the teacher meanwhile
            if current is not None:
                ss[SS_LEARNER] = current
                return current
        _forget()  # signed out on another tab, code reissued, or expired
        return None
    if ss.get(SS_OUT):
        return None
    token = cookie.read(cookie.LEARNER)
    if not token:
        return None
    eng = _engine_ready()
    signed = sessions.resolve(eng, token)
    if signed is None or signed.learner_id is None:
        return None
    learner = get_learner(eng, signed.learner_id)
    if learner is not None:
        ss[SS_LEARNER], ss[SS_TOKEN] = learner, token
        touch(eng, learner)  # once per tab: when the learner was last here
    return learner


def _take_link_code(current: Learner | None) -> Learner | None:
    """An old `?learner=CODE` link: taken out of the address bar at once; signs its owner in,
    or asks before switching when someone else is signed in here."""
    code = st.query_params.get(QUERY_KEY)
    if QUERY_KEY not in st.query_params:
        return current
    if not code:
        del st.query_params[QUERY_KEY]
        return current
    from ui.signin_student import check_recovery_code
    learner = check_recovery_code(code)  # a storage fault leaves the link as it is, to retry
    del st.query_params[QUERY_KEY]
    if learner is None:
        return current
    if current is None:
        sign_in(learner, "recovery")
        return learner
    if current.id != learner.id:
        st.session_state[SS_SWITCH] = learner
    return current


def current_learner() -> Learner | None:
    """The learner signed in on this tab or device, or None. Draws nothing; an unusable code
    in a link is explained by the sign-in panel."""
    current = _signed_in()
    if current is None:
        from ui.signin_student import learner_from_school
        current = learner_from_school()
    return _take_link_code(current)


def _switch(to: bool) -> None:
    learner = st.session_state.pop(SS_SWITCH, None)
    if to and isinstance(learner, Learner):
        sign_out()
        sign_in(learner, "recovery")


def switch_question() -> None:
    """A pasted link from another learner: ask, do not switch silently."""
    other = st.session_state.get(SS_SWITCH)
    current = st.session_state.get(SS_LEARNER)
    if not isinstance(other, Learner) or not isinstance(current, Learner):
        return
    with st.container(border=True, key="learner_switch_question"):
        st.warning(f"This link signs in someone else: **{_md(other.display_name)}**. You are "
                   f"signed in as **{_md(current.display_name)}**. Links that carry a code "
                   "belong to one person; if someone shared theirs, stay as yourself.",
                   icon=":material/switch_account:")
        stay, switch = st.columns(2)
        stay.button(f"Stay as {current.display_name}", key="learner_switch_stay", type="primary",
                    on_click=_switch, args=(False,), icon=":material/person:")
        switch.button(f"Switch to {other.display_name}", key="learner_switch_go",
                      on_click=_switch, args=(True,), icon=":material/switch_account:")


def _md(text: str) -> str:
    from ui.text import md_escape
    return md_escape(text)


def _new_recovery_code() -> None:
    learner = st.session_state.get(SS_LEARNER)
    if isinstance(learner, Learner):
        st.session_state[SS_JUST_STARTED] = new_recovery_code(_engine_ready(), learner.id)


def sidebar_extras(learner: Learner) -> None:
    """The recovery code, for moving to another device (a new one; the old stops working)."""
    with st.expander("Use another device", icon=":material/devices:"):
        st.caption("On another device, sign in with your class code and your code, or with "
                   "your school account. Studying on your own? Make a recovery code and type "
                   "it there (it is shown once; a new one replaces the old).")
        st.button("Show a new recovery code", key="learner_new_recovery",
                  on_click=_new_recovery_code, icon=":material/key:")


def _dismiss_save_link() -> None:
    st.session_state.pop(SS_JUST_STARTED, None)


def save_link_callout(learner: Learner) -> None:
    """Once: the recovery code, big enough not to miss. Stays until dismissed."""
    code = st.session_state.get(SS_JUST_STARTED)
    if not isinstance(code, str):
        st.session_state.pop(SS_JUST_STARTED, None)
        return
    with st.container(border=True, key="learner_save_link"):
        st.success("**Your recovery code: keep it to continue on another device.**",
                   icon=":material/key:")
        st.caption("This browser remembers you; you only need the code on another device, or "
                   "after signing out. Copy it (the copy button is at the right of the box) or "
                   "write it down and keep it private: anyone with it can see your progress. "
                   "It is shown only now.")
        st.code(code, language=None)
        st.button("I have saved it", key="learner_saved_link", on_click=_dismiss_save_link,
                  icon=":material/check:", help="Hides this box. A new code can be made in the "
                  "sidebar under “Use another device”.")


def learner_box() -> Learner | None:
    """The learner (with the one-time recovery code callout after starting); or, when nobody
    is signed in, the sign-in panel (drawn where it is called)."""
    learner = current_learner()
    if learner is not None:
        if st.session_state.get(SS_JUST_STARTED):
            save_link_callout(learner)
        return learner
    from ui.signin_student import panel
    panel(None)
    return None


def require_learner(to_do: str) -> Learner:
    """The learner, or the sign-in panel and a note on why, and the page stops there."""
    learner = learner_box()
    if learner is None:
        st.info(f"Start with your name, or sign in with your code, to {to_do}.")
        st.stop()
    return learner
