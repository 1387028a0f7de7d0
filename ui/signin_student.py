"""The student's sign-in panel: class code + personal code, school account, a name for
self-study, or a recovery code. Every code typed is throttled (per tab, per class, app-wide)."""
from __future__ import annotations

import streamlit as st

from engine.identity import roster, school
from engine.learners import Learner, LearnerError, clean_name, create_learner, resume
from engine.teachers import auth
from engine.teachers import classes as cls
from ui import learner as learner_ui
from ui import signin
from ui.text import md_escape

# Codes typed by students: a class of 30 mistyping at once must not lock each other out, and
# 59-bit codes need no tighter limit than this to be beyond guessing.
STUDENT_POLICY = auth.ThrottlePolicy(free_tries=5, account_free_tries=40, everyone_free_tries=300,
                                     max_seconds=120, pool="student")
CLASS_CODE_KEY = "signin_class_code"
PERSONAL_CODE_KEY = "signin_personal_code"
NAME_KEY = "learner_new_name"
RECOVERY_KEY = "learner_resume_code"
SS_MESSAGE = "signin_student_message"
SS_SAME_NAME = "signin_same_name"


def _throttle():
    return auth.LoginThrottle(signin.engine(), STUDENT_POLICY)


def check_recovery_code(code: str) -> Learner | None:
    """The learner of a recovery code (typed, or from an old link), throttled; the reason is
    left in the sign-in message when it does not work."""
    try:
        learner_from_code = resume(signin.engine(), code)
    except LearnerError as exc:
        learner_from_code = None
        problem = str(exc)
    else:
        problem = ""
    _, result = auth.guarded_check(_throttle(), signin.throttle_key(), lambda: learner_from_code,
                                   account="recovery", noun="code")
    if not result.ok:
        st.session_state[learner_ui.SS_ERROR] = problem if not result.wait_seconds else result.message
        return None
    return learner_from_code


def _roster_sign_in() -> None:
    ss = st.session_state
    eng = signin.engine()
    class_code, personal = ss.get(CLASS_CODE_KEY, ""), ss.get(PERSONAL_CODE_KEY, "")
    if roster.normalise(class_code, 6) is None:
        ss[SS_MESSAGE] = "A class code is 6 letters and digits, as on your card (for example K7M2QX)."
        return
    if roster.normalise(personal, roster.CODE_CHARS) is None:
        ss[SS_MESSAGE] = ("Your code is 12 letters and digits in three groups, as on your card "
                          "(for example 7KQM-X4RT-9PZH). Check it and try again.")
        return
    found, result = auth.guarded_check(
        _throttle(), signin.throttle_key(), lambda: roster.sign_in_with_code(eng, class_code, personal),
        account="class|" + roster.normalise(class_code, 6), noun="code")
    if not result.ok:
        ss[SS_MESSAGE] = (result.message if result.wait_seconds else
                          "That class code and code do not match a student. Check both against "
                          "your card (letters or digits only, no O or I). Lost your card? Ask your "
                          "teacher for a new code.")
        return
    ss.pop(PERSONAL_CODE_KEY, None)
    ss.pop(SS_MESSAGE, None)
    learner_ui.sign_in(found, "roster")


def _recovery_sign_in() -> None:
    ss = st.session_state
    found = check_recovery_code(ss.pop(RECOVERY_KEY, ""))
    if found is not None:
        learner_ui.sign_in(found, "recovery")


def _start(class_id: int | None, confirmed: bool = False) -> None:
    ss = st.session_state
    eng = signin.engine()
    try:
        name = clean_name(ss.get(NAME_KEY, ""))
    except LearnerError as exc:
        ss[SS_MESSAGE] = str(exc)
        return
    ss.pop(SS_MESSAGE, None)
    if class_id is not None and not confirmed:
        taken = {m.display_name.casefold() for m in cls.members(eng, class_id)}
        if name.casefold() in taken:
            # Most often the same student on a second device: a second learner would split
            # their work in the gradebook. Ask first.
            ss[SS_SAME_NAME] = name
            return
    ss.pop(SS_SAME_NAME, None)
    learner = create_learner(eng, name)
    learner_ui.sign_in(learner, "name", recovery_code=learner.code)


def learner_from_school() -> Learner | None:
    """A student signed in with their school account (not a teacher): their learner, found
    by the account or by the e-mail on a class roster, signed in on this tab."""
    ss = st.session_state
    if ss.get(learner_ui.SS_OUT) or not signin.school_providers():
        return None
    user = signin.school_user()
    if user is None:
        return None
    eng = signin.engine()
    from engine.identity import accounts
    if user.get("email") and (accounts.by_email(eng, user["email"]) is not None
                              or user["email"] in signin.teacher_emails()):
        return None  # a teacher's account: the teacher pages sign them in
    learner = school.learner_for_school_account(eng, str(user.get("iss") or ""), str(user["sub"]),
                                                user.get("email"), user.get("name"))
    learner_ui.sign_in(learner, "school")
    return learner


def panel(school_class: cls.SchoolClass | None) -> None:
    """'Who is studying?': class code first (a class with printed cards), then the school
    account, then the quick start with a name, then a recovery code."""
    ss = st.session_state
    class_id = school_class.id if school_class is not None else None
    with st.container(border=True, key="learner_box"):
        st.subheader("Who is studying?", anchor=False)
        problem = ss.get(learner_ui.SS_ERROR)
        if problem:
            st.error(problem, icon=":material/error:")
        message = ss.get(SS_MESSAGE)
        if message:
            st.error(message, icon=":material/error:")
        class_col, new_col = st.columns(2)
        with class_col, st.form("signin_roster", border=True):
            st.markdown("**In a class?** Type the class code and your code from your card.")
            st.text_input("Class code", key=CLASS_CODE_KEY, max_chars=20, placeholder="e.g. K7M2QX")
            st.text_input("Your code", key=PERSONAL_CODE_KEY, max_chars=40, placeholder="e.g. 7KQM-X4RT-9PZH")
            st.form_submit_button("Sign in", type="primary", on_click=_roster_sign_in,
                                  icon=":material/login:")
        with new_col:
            providers = signin.school_providers()
            if providers:
                with st.container(border=True):
                    st.markdown("**School account?**")
                    for name, label in providers:
                        st.button(f"Sign in with {label}", key=f"learner_login_{name or 'default'}",
                                  on_click=signin.school_login, args=(name,), icon=":material/school:")
            with st.form("learner_new", border=True):
                st.markdown("**Studying on your own?** Pick a name; your progress is saved with it.")
                st.text_input("Your name or a nickname", key=NAME_KEY, max_chars=40, placeholder="e.g. Sam")
                st.form_submit_button("Start", on_click=_start, args=(class_id,), icon=":material/play_arrow:")
        same = ss.get(SS_SAME_NAME)
        if same:
            where = md_escape(school_class.name) if school_class is not None else "this class"
            st.warning(f"Someone called “{md_escape(same)}” is already in {where}. If that is "
                       "you, sign in with your class code and code (or your recovery code) "
                       "instead, so your work is not split in two. If you are someone else, "
                       "start as a new learner (an initial helps your teacher tell you apart).",
                       icon=":material/group:")
            st.button("I am someone else: start as a new learner", key="signin_same_anyway",
                      on_click=_start, args=(class_id, True), icon=":material/person_add:")
        with st.expander("Have a recovery code from another device?", icon=":material/key:"):
            with st.form("learner_resume", border=False):
                st.text_input("Recovery code", key=RECOVERY_KEY, type="password")
                st.form_submit_button("Resume", on_click=_recovery_sign_in,
                                      icon=":material/history:")
        st.caption("This browser remembers you until you sign out (on a shared computer, sign "
                   "out when you are done).")

