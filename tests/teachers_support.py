"""Shared helpers for the teacher, assignment and gradebook tests.

`storage_url` runs a test on SQLite and on PostgreSQL. PostgreSQL comes from
BATCHWISE_TEST_POSTGRES_URL (set by .ci/run); each test gets its own fresh database, dropped
afterwards, so runs never see each other's rows. Without the variable the PostgreSQL half is
skipped locally and fails under CI, where it must run.
"""
from __future__ import annotations

import os
import re
import secrets
from contextlib import contextmanager
from typing import Iterator

import pytest
import sqlalchemy as sa

from engine import db
from engine.learners import create_learner
from engine.teachers import auth

PG_ENV = "BATCHWISE_TEST_POSTGRES_URL"
PASSCODE = "correct horse battery staple"
# Few iterations keep the tests fast; the format and the check are the real ones.
FAST_HASH = auth.hash_passcode(PASSCODE, salt=b"0123456789abcdef", iterations=auth.MIN_ITERATIONS)


def postgres_server_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set: .ci/run should have started PostgreSQL")
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (set by .ci/run)")
    return url


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty database on the test server; its URL; dropped afterwards."""
    server = sa.make_url(postgres_server_url())
    name = "batchwise_test_" + secrets.token_hex(6)
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def storage_url(request, tmp_path):
    """The same test on a fresh SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'school.sqlite3'}"
    else:
        with fresh_postgres_database() as url:
            yield url


@pytest.fixture
def school(storage_url):
    """An engine on a fresh database (both kinds), disposed at the end."""
    engine = db.connect(storage_url)
    yield engine
    engine.dispose()


def learners_named(engine, *names):
    return [create_learner(engine, n) for n in names]


def page_text(at) -> str:
    """Everything the app sent to the browser in its last run (every element's message),
    so a test can check that something did, or did not, reach the browser."""
    out: list[str] = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def unlock(at, passcode: str = PASSCODE):
    """Type the admin passcode into the teacher sign-in (name left empty) and press Sign in."""
    at.text_input(key="teacher_passcode").input(passcode)
    next(b for b in at.button if b.label == "Sign in").click()
    return at.run()


def sign_in_as(at, login: str, passcode: str):
    """A teacher's own sign-in: their name or e-mail and their passcode."""
    at.text_input(key="teacher_login").input(login)
    at.text_input(key="teacher_passcode").input(passcode)
    return press(at, "Sign in")


def press(at, label: str):
    next(b for b in at.button if b.label == label).click()
    return at.run()


# A class or assignment name a mischievous user might type: HTML, Markdown, a link, a bare URL.
MALICIOUS = "<b>x</b> **bold** [click](http://evil.example)"
_AUTOLINK = re.compile(r"(?i)(https?://|www\.)|[-.\w+]+@[-\w]+\.")


def markdown_bodies(at) -> list[str]:
    """Every text the browser renders as Markdown in the last run: markdown and captions,
    alerts, headings, expander and page link labels."""
    out: list[str] = []
    for kind in ("markdown", "caption", "success", "info", "warning", "error", "title", "header",
                 "subheader", "toast"):
        out += [e.value for e in getattr(at, kind)]
    out += [e.label for e in at.expander]
    out += [e.proto.label for e in at.get("page_link")]
    return out


def assert_plain_text(at, typed: str) -> None:
    """`typed` reached the page only as plain text: escaped wherever it is Markdown, never a
    link (a Markdown link, a bare address GitHub Markdown would link), never HTML."""
    from ui.text import md_escape

    bodies = markdown_bodies(at)
    assert any(md_escape(typed) in b for b in bodies), "the text is not shown (escaped) anywhere"
    for b in bodies:
        assert "](http" not in b and "<b>" not in b and "**bold**" not in b, b
        unescaped = re.sub(r"\\(.)", r"\1", b)  # what Markdown's escapes leave as text
        assert not _AUTOLINK.search(unescaped), b


# --- what a browser shows in a form -----------------------------------------------------------
# A browser (Streamlit's frontend, `useBasicWidgetState`) draws a widget from the first message
# it gets for it: the value sent with `set_value`, else the message's default. From then on it
# keeps its own value, replaced only by a later message's `set_value`. The first message is not
# always the first run's: a popover's widgets are drawn when it opens, from the latest run's
# message, and a run the teacher's next click interrupts may never reach the browser. AppTest
# keeps the server's values only; these helpers read the messages as the browser would.


def form_widgets(at, keys: tuple[str, ...]) -> list:
    """The widgets of the last run that hold a value (not buttons) whose key starts with one
    of `keys`."""
    from streamlit.testing.v1.element_tree import Widget

    found: list = []

    def walk(node):
        if (isinstance(node, Widget) and node.key and node.key.startswith(keys)
                and "set_value" in node.proto.DESCRIPTOR.fields_by_name):
            found.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def _from_message(w):
    """The value the last run's message gives widget `w`, as its browser would send it back."""
    p, kind = w.proto, type(w).__name__
    if kind in ("Multiselect", "ButtonGroup"):
        return list(p.raw_values) if p.set_value else [w.options[i] for i in p.default]
    if kind == "Selectbox":
        if p.set_value:
            return p.raw_value if p.HasField("raw_value") else None
        return w.options[p.default] if p.HasField("default") else None
    if kind in ("DateInput", "Slider"):
        return list(p.value if p.set_value else p.default)
    if kind == "Checkbox":
        return p.value if p.set_value else p.default
    name = "value" if p.set_value else "default"  # text, number and time inputs
    return getattr(p, name) if p.HasField(name) else None


def held_by_server(at, keys: tuple[str, ...]) -> dict:
    """Each widget's value on the server, as a browser would send it."""
    out = {}
    for w in form_widgets(at, keys):
        state = w._widget_state
        which = state.WhichOneof("value")
        value = getattr(state, which) if which else None
        out[w.key] = list(value.data) if hasattr(value, "data") else value
    return out


def shown_by_browser(at, keys: tuple[str, ...], before: dict | None = None) -> dict:
    """What a browser shows in each widget after the last run: `before` is what it showed
    until then (a widget not in it is drawn now, from this run's message)."""
    before = before or {}
    return {w.key: (before[w.key] if w.key in before and not w.proto.set_value else _from_message(w))
            for w in form_widgets(at, keys)}
