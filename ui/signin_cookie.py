"""The device's sign-in cookie: read from the connection, written by a tiny component.

Streamlit has no API to set a cookie, but `st.context.cookies` holds the cookies the browser
sent when it opened the app's WebSocket. So: a component v2 (inline in the app's own page,
same origin) writes `document.cookie`, and every later connection of this browser (a new tab,
a reload, a reconnect after a server restart) carries it from its very first script run.
`st.context.cookies` is fixed for a connection: after signing in or out, this tab goes by
session state; the cookie is for the next connections.

The cookie holds only an opaque session token (see `engine.identity.sessions`): SameSite=Lax,
Path=/, Secure when the app is served over https, Max-Age = the session's lifetime. It cannot
be HttpOnly (only a server response header can set that); the token is useless once its
session is signed out, revoked or expired.
"""
from __future__ import annotations

import streamlit as st

LEARNER = "batchwise_learner"
TEACHER = "batchwise_teacher"
SS_PENDING = "signin_cookie_pending"   # {name: (value, max_age_seconds)} still to write

_JS = """
export default function (component) {
  const ops = (component.data && component.data.ops) || [];
  for (const op of ops) {
    const secure = window.location.protocol === "https:" ? "; secure" : "";
    document.cookie = op.name + "=" + encodeURIComponent(op.value) + "; Max-Age=" + op.maxAge
      + "; path=/; samesite=lax" + secure;  // attribute names are case-insensitive
  }
}
"""
_writer = st.components.v2.component("batchwise_signin_cookie", js=_JS)


def read(name: str) -> str | None:
    try:
        value = st.context.cookies.get(name)
    except Exception:  # no browser connection (bare mode)
        return None
    # Only a real cookie value counts (AppTest's bare mode hands back a mock object).
    return value if isinstance(value, str) and value else None


def write(name: str, value: str, max_age_seconds: int) -> None:
    """Ask the browser to keep `value` under `name` (sent on every later connection)."""
    st.session_state.setdefault(SS_PENDING, {})[name] = (value, int(max_age_seconds))


def forget(name: str) -> None:
    """Ask the browser to delete the cookie."""
    write(name, "", 0)


def flush() -> None:
    """Draw the writer for this tab's cookie changes. Called on every run (by `ui.setup.page`):
    the writes are repeated until the tab closes, which is harmless and survives a run that
    was interrupted before the browser got it."""
    pending = st.session_state.get(SS_PENDING)
    if not pending:
        return
    ops = [{"name": n, "value": v, "maxAge": a} for n, (v, a) in sorted(pending.items())]
    with st.sidebar:
        _writer(key="signin_cookie_writer", data={"ops": ops}, height=0)
