"""Streamlit glue shared by the teacher screens: the sign-out button and links to pages.

The gate is called at the top of `pages/teacher.py` itself (not in app.py), so a deep link
to /teacher on a freshly started server meets it before anything else runs:

    from ui.signin import require_teacher
    teacher = require_teacher()     # a Teacher; draws the sign-in and stops until signed in
"""
from __future__ import annotations

from engine.identity.accounts import Teacher
from engine.teachers.classes import NotYourClass
from ui.links import app_url
from ui.signin import current_teacher, sign_out_teacher


def lock() -> None:
    """Sign this teacher out (the old "Lock" button)."""
    sign_out_teacher()


def acting(teacher: Teacher) -> Teacher:
    """The teacher who clicked, checked at the click: a button drawn for `teacher` acts only
    while they are still signed in (not after signing out elsewhere, a revoked session or an
    archived account). The engine then checks the class with `require_class`."""
    now = current_teacher()
    if now is None or now.id != teacher.id:
        raise NotYourClass("You are no longer signed in, so nothing was changed. Sign in again, "
                           "then repeat what you did.")
    return now


# --- links ----------------------------------------------------------------------------------

def page_link_url(page: str, query: dict[str, str]) -> str:
    """The full URL of another page of this app with `query` (e.g. the assignments page with
    ?assignment=CODE)."""
    return app_url(query, page)
