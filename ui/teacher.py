"""Streamlit glue shared by the teacher screens: the sign-out button and links to pages.

The gate is called at the top of `pages/teacher.py` itself (not in app.py), so a deep link
to /teacher on a freshly started server meets it before anything else runs:

    from ui.signin import require_teacher
    teacher = require_teacher()     # a Teacher; draws the sign-in and stops until signed in
"""
from __future__ import annotations

from ui.links import app_url
from ui.signin import sign_out_teacher


def lock() -> None:
    """Sign this teacher out (the old "Lock" button)."""
    sign_out_teacher()


# --- links ----------------------------------------------------------------------------------

def page_link_url(page: str, query: dict[str, str]) -> str:
    """The full URL of another page of this app with `query` (e.g. the assignments page with
    ?assignment=CODE)."""
    return app_url(query, page)
