"""Streamlit glue for teachers and assignments: the teacher gate, links, a student signing in.

The gate is called at the top of `pages/teacher.py` itself (not in app.py), so a deep link
to /teacher on a freshly started server meets it before anything else runs:

    from ui.teacher import require_teacher
    teacher = require_teacher()     # draws the lock and stops the page until unlocked
"""
from __future__ import annotations

import secrets

import streamlit as st

from engine.learners import QUERY_KEY, LearnerError, clean_name, create_learner, resume
from engine.teachers import auth
from engine.teachers import classes as cls
from ui.learner import SS_ERROR, SS_JUST_STARTED, engine_from_config
from ui.links import app_url
from ui.text import md_escape

SS_TEACHER = "teacher_identity"       # who unlocked this tab ("passcode" or an e-mail)
SS_THROTTLE_KEY = "teacher_throttle_key"
SS_GATE_MESSAGE = "teacher_gate_message"
PASSCODE_KEY = "teacher_passcode"

# --- configuration --------------------------------------------------------------------------

def _secret(section: str, key: str):
    try:
        return st.secrets[section][key]
    except (KeyError, FileNotFoundError, AttributeError, TypeError):
        return None  # no secrets file (a FileNotFoundError subclass), or no such entry


def passcode_hash() -> str | None:
    return auth.configured_hash(_secret("teacher", "passcode_hash"))


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, AttributeError, TypeError):
        return False


def teacher_emails() -> set[str]:
    emails = _secret("teacher", "emails") or []
    if isinstance(emails, str):
        emails = [emails]
    return {str(e).strip().lower() for e in emails if str(e).strip()}


# --- the gate -------------------------------------------------------------------------------

def _unlock() -> None:
    typed = st.session_state.pop(PASSCODE_KEY, "") or ""
    key = st.session_state.setdefault(SS_THROTTLE_KEY, secrets.token_urlsafe(16))
    result = auth.try_unlock(auth.LoginThrottle(engine_from_config()), key, typed, passcode_hash())
    if result.ok:
        st.session_state[SS_TEACHER] = "passcode"
        st.session_state.pop(SS_GATE_MESSAGE, None)
    else:
        st.session_state[SS_GATE_MESSAGE] = result.message


def lock() -> None:
    st.session_state.pop(SS_TEACHER, None)


def _oidc_teacher() -> str | None:
    """The signed-in school account, if it is on the teacher list."""
    if not oidc_configured():
        return None
    try:
        logged_in = bool(st.user.get("is_logged_in"))
    except Exception:  # st.user unavailable (no auth support installed)
        return None
    if not logged_in:
        return None
    email = str(st.user.get("email") or "").strip().lower()
    return email if email and email in teacher_emails() else None


def _login() -> None:
    try:
        st.login()
    except Exception as exc:  # Authlib missing or [auth] incomplete: say so instead of a traceback
        st.session_state[SS_GATE_MESSAGE] = md_escape(
            f"School sign-in is not available: {type(exc).__name__}: {exc}")


def require_teacher() -> str:
    """Return who the teacher is, or draw the lock and stop the page."""
    if st.session_state.get(SS_TEACHER):
        return st.session_state[SS_TEACHER]
    email = _oidc_teacher()
    if email:
        st.session_state[SS_TEACHER] = email
        return email

    st.title("Teacher")
    stored = passcode_hash()
    problem = auth.hash_problem(stored)
    message = st.session_state.get(SS_GATE_MESSAGE)
    if oidc_configured():
        with st.container(border=True):
            st.markdown("**Sign in with your school account**")
            try:
                logged_in = bool(st.user.get("is_logged_in"))
            except Exception:
                logged_in = False
            if logged_in:
                st.warning("You are signed in, but your account is not on this app's teacher list "
                           "(`[teacher] emails` in the secrets).", icon=":material/block:")
                st.text(str(st.user.get("email") or ""))
                st.button("Sign out", key="teacher_logout", on_click=st.logout)
            else:
                st.button("Sign in", key="teacher_login", on_click=_login, icon=":material/login:")
    if problem and stored is None:
        st.info(
            "The teacher pages are locked, and no teacher passcode is set up yet.\n\n"
            "To set one, run `python -m engine.teachers hash-passcode`, type a passcode, and put "
            "the printed hash in `.streamlit/secrets.toml`:\n\n"
            "```toml\n[teacher]\npasscode_hash = \"pbkdf2_sha256$600000$…\"\n```\n\n"
            f"or in the environment variable `{auth.ENV_VAR}`, then restart the app. "
            "The passcode itself is never stored.", icon=":material/lock:")
        if message:
            st.error(message)
        st.stop()
    if problem:
        st.error(problem + " The teacher pages stay locked until it is fixed.", icon=":material/lock:")
        st.stop()
    with st.form("teacher_gate", clear_on_submit=True):
        st.markdown("This page is for teachers. Type the teacher passcode to unlock it.")
        st.text_input("Teacher passcode", type="password", key=PASSCODE_KEY, max_chars=200)
        st.form_submit_button("Unlock", type="primary", on_click=_unlock, icon=":material/lock_open:")
    if message:
        st.error(message, icon=":material/error:")
    st.stop()


# --- links ----------------------------------------------------------------------------------

def page_link_url(page: str, query: dict[str, str]) -> str:
    """The full URL of another page of this app with `query` (e.g. the assignments page with
    ?assignment=CODE)."""
    return app_url(query, page)


# --- a student signing in on the assignments page --------------------------------------------

SIGNIN_NAME_KEY = "asg_signin_name"
SIGNIN_CODE_KEY = "asg_signin_code"
SS_SIGNIN_MESSAGE = "asg_signin_message"
SS_SAME_NAME = "asg_signin_same_name"   # a typed name that matches a classmate, awaiting a choice


def _signed_in(code: str, new: bool) -> None:
    # The learner box reads `?learner=` on the next run and takes it from there (sidebar,
    # resume link); keeping the code in the URL is what makes a reload or a new tab work.
    st.query_params[QUERY_KEY] = code
    for key in (SS_SIGNIN_MESSAGE, SS_SAME_NAME, SS_ERROR):
        st.session_state.pop(key, None)
    if new:
        st.session_state[SS_JUST_STARTED] = True  # the one-time "save this link" callout


def _resume_signin() -> None:
    try:
        learner = resume(engine_from_config(), st.session_state.get(SIGNIN_CODE_KEY, ""))
    except LearnerError as exc:
        st.session_state[SS_SIGNIN_MESSAGE] = str(exc)
        return
    _signed_in(learner.code, new=False)


def _start_signin(class_id: int | None, confirmed: bool = False) -> None:
    engine = engine_from_config()
    try:
        name = clean_name(st.session_state.get(SIGNIN_NAME_KEY, ""))
    except LearnerError as exc:
        st.session_state[SS_SIGNIN_MESSAGE] = str(exc)
        return
    st.session_state.pop(SS_SIGNIN_MESSAGE, None)
    if class_id is not None and not confirmed:
        taken = {m.display_name.casefold() for m in cls.members(engine, class_id)}
        if name.casefold() in taken:
            # Most often the same student in a second tab: a second learner would split their
            # work in the gradebook. Ask first.
            st.session_state[SS_SAME_NAME] = name
            return
    _signed_in(create_learner(engine, name).code, new=True)


def student_sign_in(school_class: cls.SchoolClass | None) -> None:
    """'Who is studying?' for a student who opened a class or assignment link: resuming comes
    first (a student with a second tab open already has a code), and a new name that matches
    someone already in the class is questioned before a second learner is created."""
    ss = st.session_state
    class_id = school_class.id if school_class is not None else None
    with st.container(border=True, key="asg_signin"):
        st.subheader("Who is studying?", anchor=False)
        problem = ss.get(SS_ERROR)  # an unusable ?learner= code in the link
        if problem and st.query_params.get(QUERY_KEY):
            st.error(problem, icon=":material/error:")
        with st.form("asg_signin_resume", border=True):
            st.markdown("**Been here before? Paste your resume code or link.** Then everything "
                        "you do stays together. If you are signed in in another tab, your "
                        "resume link is in its sidebar, under “Your resume link”.")
            st.text_input("Resume code or link", key=SIGNIN_CODE_KEY)
            st.form_submit_button("Resume", type="primary", on_click=_resume_signin,
                                  icon=":material/history:")
        message = ss.get(SS_SIGNIN_MESSAGE)
        if message:
            st.error(message, icon=":material/error:")
        same = ss.get(SS_SAME_NAME)
        if same:
            where = md_escape(school_class.name) if school_class is not None else "this class"
            st.warning(f"Someone called “{md_escape(same)}” is already in {where}. If that is "
                       "you, resume with your code or link above instead, so your work is not "
                       "split in two. If you are someone else, start as a new learner (adding "
                       "an initial to your name helps your teacher tell you apart).",
                       icon=":material/group:")
            st.button("I am someone else: start as a new learner", key="asg_signin_anyway",
                      on_click=_start_signin, args=(class_id, True), icon=":material/person_add:")
        with st.form("asg_signin_new", border=False):
            st.markdown("**New here?** Pick a name; your progress is saved with it.")
            st.text_input("Your name or a nickname", key=SIGNIN_NAME_KEY, max_chars=40,
                          placeholder="e.g. Sam")
            st.form_submit_button("Start", on_click=_start_signin, args=(class_id,),
                                  icon=":material/play_arrow:")
