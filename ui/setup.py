"""The one call at the top of every page: page config, the menu, shared state.

Every page works when opened first by a deep link on a fresh server, because each page calls
`page()` itself instead of relying on app.py having run.
"""
from __future__ import annotations

import functools
import time
from pathlib import Path

import streamlit as st

from engine.content import (Lesson, Library, configured_content_dir, content_signature,
                            load_library)

ROOT = Path(__file__).resolve().parents[1]

# (file, label, icon) in menu order. A page appears once its file exists, so features land
# one at a time without touching this list again.
MENU = [
    ("app.py", "Home", ":material/home:"),
    ("pages/lesson.py", "Lesson", ":material/menu_book:"),
    ("pages/glossary.py", "Glossary", ":material/dictionary:"),
    ("pages/mnemonics.py", "Mnemonics", ":material/psychology:"),
    ("pages/flashcards.py", "Flashcards", ":material/style:"),
    ("pages/quiz.py", "Quiz", ":material/calculate:"),
    ("pages/simulator.py", "Simulator", ":material/monitoring:"),
    ("pages/assignments.py", "My assignments", ":material/assignment:"),
    ("pages/progress.py", "My progress", ":material/insights:"),
    ("pages/sign_in.py", "Sign in", ":material/login:"),
    ("pages/teacher.py", "Teacher", ":material/lock:"),
    ("pages/roster.py", "Class roster", ":material/badge:"),
    ("pages/admin.py", "Admin", ":material/admin_panel_settings:"),
]


@functools.cache
def menu_entries() -> tuple[tuple[str, str, str], ...]:
    # Once per process: the pages on disk do not change while the server runs (the file
    # watcher is off in production), and 13 stat() calls on every rerun add up under a class.
    return tuple(entry for entry in MENU if (ROOT / entry[0]).exists())


@st.cache_resource(show_spinner=False)
def _library(signature: tuple, content_dir: str, schema: int) -> Library:
    # The signature changes when a content file changes, so a new lesson shows up live; the
    # schema id changes when Streamlit reloads edited engine modules, so cached lessons are
    # never instances of an outdated Lesson class (isinstance checks would fail on them).
    return load_library(content_dir)


# A new or edited lesson file is picked up within this many seconds. Looking at every file's
# mtime on every rerun (several times per page) cost a walk of content/ each time.
SIGNATURE_TTL_S = 2.0
_signature_seen: dict[str, tuple[float, tuple]] = {}


_library_seen: dict[str, tuple[tuple, Library]] = {}


def _signature(root: Path) -> tuple:
    now = time.monotonic()
    seen = _signature_seen.get(str(root))
    if seen is None or now - seen[0] > SIGNATURE_TTL_S:
        seen = _signature_seen[str(root)] = (now, content_signature(root))
    return seen[1]


def library() -> Library:
    root = configured_content_dir()
    signature = _signature(root)
    # The cached resource hashes its arguments (every lesson file's name and mtime) on each
    # call, several times per rerun: ask it again only when a file changed.
    seen = _library_seen.get(str(root))
    if seen is None or seen[0] != signature:
        seen = _library_seen[str(root)] = (signature, _library(signature, str(root), id(Lesson)))
    return seen[1]


def page(title: str, icon: str = "") -> None:
    """Configure the page and draw the sidebar menu. Call first on every page."""
    st.set_page_config(page_title=f"{title} · Batchwise" if title != "Batchwise" else title,
                       page_icon=icon or ":material/school:", layout="wide")
    with st.sidebar:
        st.markdown("### Batchwise")
        for path, label, ico in menu_entries():
            st.page_link(path, label=label, icon=ico)
    from ui import signin_cookie, signin_status  # after the menu: the status sits below it
    signin_status.sidebar()
    signin_cookie.flush()


def content_problems_banner() -> None:
    """Broken lesson files are named for the teacher; good lessons still work."""
    problems = library().problems
    if problems:
        with st.expander(f"⚠️ {len(problems)} problem(s) in the lesson files", expanded=False):
            st.caption("Lessons with problems are hidden until fixed. Run `python -m engine.content check` for the same list.")
            for p in problems:
                st.text(str(p))


def choose_lesson(key: str = "lesson") -> Lesson | None:
    """A lesson picker (shown only when there is more than one lesson); remembered in the URL."""
    lessons = library().ordered()
    if not lessons:
        st.error("No lesson could be loaded. See the problems listed below.")
        content_problems_banner()
        return None
    ids = [l.id for l in lessons]
    wanted = st.query_params.get("lesson")
    if key not in st.session_state or st.session_state[key] not in ids:
        st.session_state[key] = wanted if wanted in ids else ids[0]
    if len(lessons) > 1:
        titles = {l.id: l.title for l in lessons}
        st.sidebar.selectbox("Lesson", ids, key=key, format_func=titles.__getitem__)
    lesson_id = st.session_state[key]
    if len(lessons) > 1:
        st.query_params["lesson"] = lesson_id
    return library().lessons[lesson_id]
