"""Signing in and staying signed in: the teacher gate, the device session, sign out.

    from ui.signin import require_teacher
    teacher = require_teacher()      # a Teacher, or the sign-in form and the page stops

Who is signed in on this tab is kept in session state; a new tab, a reload or a reconnect
after a server restart finds the device's session cookie (`ui.signin_cookie`) on its first
run. School sign-in (`st.login`, OpenID Connect) is Streamlit's own cookie; a teacher signed
in that way is recognised by e-mail on every run.
"""
from __future__ import annotations

import secrets

import streamlit as st

from engine.identity import accounts, keys, sessions
from engine.identity.accounts import Teacher
from engine.teachers import auth
from ui import signin_cookie as cookie
from ui.text import md_escape

SS_TEACHER = "signin_teacher"            # the Teacher signed in on this tab
SS_TEACHER_TOKEN = "signin_teacher_token"
SS_TEACHER_OUT = "signin_teacher_out"    # signed out on this tab: ignore the old cookie
SS_THROTTLE_KEY = "signin_throttle_key"  # this tab's key for the wrong-try counts
SS_MESSAGE = "signin_teacher_message"
LOGIN_KEY = "teacher_login"
PASSCODE_KEY = "teacher_passcode"


def _engine():
    from ui.learner import engine_from_config
    engine = engine_from_config()
    secret = secret_value("server", "secret")
    if secret:
        keys.use(str(secret))
    keys.load(engine)  # the seeds and code hashes use this database's server secret
    return engine


def engine():
    return _engine()


def throttle_key() -> str:
    return st.session_state.setdefault(SS_THROTTLE_KEY, secrets.token_urlsafe(16))


# --- configuration --------------------------------------------------------------------------

def secret_value(section: str, key: str):
    try:
        return st.secrets[section][key]
    except (KeyError, FileNotFoundError, AttributeError, TypeError):
        return None  # no secrets file (a FileNotFoundError subclass), or no such entry


def passcode_hash() -> str | None:
    """The install's single (admin) passcode, from the environment or secrets."""
    return auth.configured_hash(secret_value("teacher", "passcode_hash"))


def school_providers() -> list[tuple[str | None, str]]:
    """(provider name for st.login, button label) for each configured OpenID Connect provider:
    `[auth]` alone is one provider; `[auth.google]`, `[auth.microsoft]`… are several (the
    button says "Sign in with Google", "… Microsoft", or the section's name)."""
    try:
        section = st.secrets.get("auth")
    except (FileNotFoundError, AttributeError, TypeError):
        return []
    if not section:
        return []
    known = {"google": "Google", "microsoft": "Microsoft", "entra": "Microsoft", "okta": "Okta"}
    named = [(k, known.get(k.lower(), k.replace("_", " ").title()))
             for k, v in section.items() if hasattr(v, "get") and v.get("client_id")]
    if named:
        return named
    return [(None, "your school account")] if section.get("client_id") else []


def school_user() -> dict | None:
    """The signed-in school account (issuer, subject, email, name), or None."""
    if not school_providers():
        return None
    try:
        if not st.user.get("is_logged_in"):
            return None
        user = {k: st.user.get(k) for k in ("iss", "sub", "email", "name")}
    except Exception:  # st.user unavailable
        return None
    user["email"] = str(user.get("email") or "").strip().lower() or None
    user["sub"] = user.get("sub") or user["email"]  # every OIDC provider sends sub; be lenient
    if not user["sub"]:
        return None
    return user


def teacher_emails() -> set[str]:
    """School e-mails on the secrets' teacher list (`[teacher] emails`)."""
    emails = secret_value("teacher", "emails") or []
    if isinstance(emails, str):
        emails = [emails]
    return {str(e).strip().lower() for e in emails if str(e).strip()}


def school_login(provider: str | None) -> None:
    try:
        st.login(provider) if provider else st.login()
    except Exception as exc:  # Authlib missing or [auth] incomplete: say so instead of a traceback
        st.session_state[SS_MESSAGE] = md_escape(
            f"School sign-in is not available: {type(exc).__name__}. Ask whoever runs this app "
            "to check the [auth] settings.")


def school_logout() -> None:
    try:
        st.logout()
    except Exception:
        pass


# --- the teacher's session ------------------------------------------------------------------

def _teacher_from_school(eng) -> Teacher | None:
    user = school_user()
    if not user or not user.get("email"):
        return None
    found = accounts.by_email(eng, user["email"])
    if found is None and user["email"] in teacher_emails():
        found = accounts.ensure_teacher_for_email(eng, user["email"], user.get("name"))
    return found


def current_teacher() -> Teacher | None:
    """The teacher signed in on this tab or device, or None. Draws nothing."""
    ss = st.session_state
    cached = ss.get(SS_TEACHER)
    if not isinstance(cached, Teacher) and not school_providers() and not (
            not ss.get(SS_TEACHER_OUT) and cookie.read(cookie.TEACHER)):
        return None  # nothing to check: no database query
    eng = _engine()
    if isinstance(cached, Teacher):
        token = ss.get(SS_TEACHER_TOKEN)
        if token is None:  # school sign-in: still signed in there?
            if school_user() is None:
                ss.pop(SS_TEACHER, None)
                return None
            return cached
        signed = sessions.resolve(eng, token)
        if signed is not None and signed.teacher_id == cached.id:
            return cached
        ss.pop(SS_TEACHER, None)  # signed out elsewhere, revoked or expired
        ss.pop(SS_TEACHER_TOKEN, None)
        return None
    found = _teacher_from_school(eng)
    if found is not None:
        ss[SS_TEACHER] = found
        ss.pop(SS_TEACHER_TOKEN, None)
        return found
    if ss.get(SS_TEACHER_OUT):
        return None
    token = cookie.read(cookie.TEACHER)
    signed = sessions.resolve(eng, token)
    if signed is None or signed.teacher_id is None:
        return None
    found = accounts.get_teacher(eng, signed.teacher_id)
    if found is not None:
        ss[SS_TEACHER] = found
        ss[SS_TEACHER_TOKEN] = token
    return found


def sign_in_teacher(teacher: Teacher, how: str) -> None:
    eng = _engine()
    token, _ = sessions.start(eng, teacher_id=teacher.id, how=how)
    ss = st.session_state
    ss[SS_TEACHER], ss[SS_TEACHER_TOKEN] = teacher, token
    ss.pop(SS_TEACHER_OUT, None)
    ss.pop(SS_MESSAGE, None)
    cookie.write(cookie.TEACHER, token, sessions.TEACHER_DAYS * 86400)


def sign_out_teacher() -> None:
    ss = st.session_state
    sessions.end(_engine(), ss.pop(SS_TEACHER_TOKEN, None) or cookie.read(cookie.TEACHER))
    ss.pop(SS_TEACHER, None)
    ss[SS_TEACHER_OUT] = True
    cookie.forget(cookie.TEACHER)
    if school_user() is not None:
        school_logout()


def _passcode_sign_in() -> None:
    ss = st.session_state
    login = " ".join(str(ss.get(LOGIN_KEY) or "").split())
    typed = ss.pop(PASSCODE_KEY, "") or ""
    eng = _engine()
    throttle = auth.LoginThrottle(eng)
    if not login:
        stored = passcode_hash()
        if auth.hash_problem(stored):
            ss[SS_MESSAGE] = ("Type your e-mail or name: this app has no admin passcode set up."
                              if stored is None else auth.hash_problem(stored))
            return
        _, result = auth.guarded_check(throttle, throttle_key(),
                                       lambda: auth.verify_passcode(typed, stored),
                                       account="admin-passcode")
        if result.ok:
            sign_in_teacher(accounts.legacy_admin(eng), "passcode")
        else:
            ss[SS_MESSAGE] = result.message
        return
    found = accounts.find_by_login(eng, login)

    def check() -> bool:
        # An unknown account costs the same hash, so timing does not tell accounts apart.
        stored = found[1] if found and found[1] else auth.hash_passcode("x", b"0" * 16)
        return auth.verify_passcode(typed, stored) and bool(found and found[1])

    _, result = auth.guarded_check(throttle, throttle_key(), check, account="login|" + login.lower())
    if result.ok:
        sign_in_teacher(found[0], "passcode")
    elif result.wait_seconds:
        ss[SS_MESSAGE] = result.message.replace("Wrong passcode.", "Wrong name or passcode.")
    else:
        ss[SS_MESSAGE] = ("Wrong name or passcode. Check both and try again (your admin can "
                          "set a new passcode if you lost yours).")


def _no_way_in(eng) -> bool:
    """No admin passcode, no school sign-in, and no teacher account with a passcode."""
    if passcode_hash() is not None or school_providers():
        return False
    return not any(a.has_passcode and not a.archived for a in accounts.list_accounts(eng))


def teacher_sign_in_form() -> None:
    """The teacher's sign-in: school account buttons, then name/e-mail and passcode."""
    ss = st.session_state
    eng = _engine()
    st.title("Teacher sign-in")
    message = ss.get(SS_MESSAGE)
    user = school_user()
    providers = school_providers()
    if providers:
        with st.container(border=True, key="teacher_school_signin"):
            st.markdown("**Sign in with your school account**")
            if user is not None:
                st.warning("You are signed in with a school account that is not on this app's "
                           "teacher list. Ask your admin to add your e-mail.", icon=":material/block:")
                st.text(user.get("email") or "")
                st.button("Sign out", key="teacher_school_logout", on_click=school_logout)
            else:
                for name, label in providers:
                    st.button(f"Sign in with {label}", key=f"teacher_login_{name or 'default'}",
                              on_click=school_login, args=(name,), icon=":material/login:")
    stored = passcode_hash()
    if stored is not None and auth.hash_problem(stored):
        st.error(auth.hash_problem(stored) + " The admin passcode does not work until it is fixed.",
                 icon=":material/lock:")
    if _no_way_in(eng):
        st.info(
            "No teacher can sign in yet: set up the admin passcode first.\n\n"
            "Run `python -m engine.teachers hash-passcode`, type a passcode, and put "
            "the printed hash in `.streamlit/secrets.toml`:\n\n"
            "```toml\n[teacher]\npasscode_hash = \"pbkdf2_sha256$600000$…\"\n```\n\n"
            f"or in the environment variable `{auth.ENV_VAR}`, then restart the app. Signed in "
            "with it (leave the name empty), you can add each teacher's own account on the "
            "Admin page. The passcode itself is never stored.", icon=":material/lock:")
        if message:
            st.error(message)
        st.stop()
    with st.form("teacher_gate", clear_on_submit=False):
        st.markdown("This page is for teachers. Sign in with your own passcode.")
        st.text_input("Your e-mail or name", key=LOGIN_KEY, max_chars=320,
                      help="Leave empty to use the school's admin passcode.")
        st.text_input("Passcode", type="password", key=PASSCODE_KEY, max_chars=200)
        st.form_submit_button("Sign in", type="primary", on_click=_passcode_sign_in,
                              icon=":material/login:")
    if message:
        st.error(message, icon=":material/error:")
    st.caption("On a shared computer, sign out when you are done (in the sidebar): otherwise "
               f"this browser stays signed in for {sessions.TEACHER_DAYS} days.")


def require_teacher() -> Teacher:
    """The signed-in teacher, or the sign-in form drawn and the page stopped."""
    teacher = current_teacher()
    if teacher is not None:
        return teacher
    teacher_sign_in_form()
    st.stop()


def require_admin() -> Teacher:
    teacher = require_teacher()
    if not teacher.is_admin:
        st.title("Admin")
        st.error("This page is for admins. Ask your school's Batchwise admin to manage teacher "
                 "accounts.", icon=":material/block:")
        st.stop()
    return teacher
