"""The database engine every page shares, and the start-up check of the database setting.

    from ui.storage import engine_from_config
    engine = engine_from_config()   # raises engine.db.StorageFault when storage can't be used

A `StorageFault` needs no handling by the caller: `ui.errors` turns it into a short message
in the app's words (see `ui.errors.guarded` to keep a page's input on screen as well).
"""
from __future__ import annotations

import os

import streamlit as st
from sqlalchemy.engine import Engine

from engine import db
from ui import errors

SETTING_NAMES = {"env": f"the {db.ENV_VAR} environment variable",
                 "secrets": "[database] url in .streamlit/secrets.toml",
                 "default": "the default SQLite file (no database setting)"}


@st.cache_resource(show_spinner=False)
def _engine(url: str, features: tuple) -> Engine:
    # One engine (and connection pool) per database URL per server process. `features` is in
    # the key so a feature module registered after the first call gets its tables created.
    # A failure is not cached: the next page view tries again.
    return db.connect(url)


def _secrets_url() -> str | None:
    try:
        return st.secrets["database"]["url"]
    except Exception:  # no secrets file, no [database] section, or an unreadable file
        return None


def database_url() -> str:
    return db.configured_url(_secrets_url())


def setting_name() -> str:
    """Where the database setting comes from, in the operator's words."""
    if os.environ.get(db.ENV_VAR):
        return SETTING_NAMES["env"]
    return SETTING_NAMES["secrets"] if _secrets_url() else SETTING_NAMES["default"]


def engine_from_config() -> Engine:
    """The shared engine, schema up to date. Raises `db.StorageFault` (shown by `ui.errors`
    as a message, never a traceback) when the database cannot be opened."""
    errors.install_fault_handler()
    url = database_url()
    try:
        db.import_schema_modules()  # register every feature first, so the cache key is stable
        return _engine(url, tuple(sorted(db.registered().items())))
    except Exception as exc:
        problem = db.fault(exc, url if "://" in url else None)
        if problem is None:
            raise
        raise problem from exc


@st.cache_resource(ttl=30, show_spinner=False)
def _checked(url: str) -> db.StorageFault | None:
    # Once per 30 s per process: the home page is visited often, the check opens a connection.
    return db.check(url)


def startup_check() -> None:
    """The home page's check of the database setting. When it is broken, names the problem in
    plain words for whoever runs the server (no path, no password: students see this page
    too); the details go to the server log."""
    errors.install_fault_handler()
    problem = _checked(database_url())
    if problem is None:
        return
    if isinstance(problem, db.SettingFault):
        st.error(f"**Progress can't be saved on this server.** The database setting "
                 f"({setting_name()}) needs fixing: {problem.summary}. Whoever runs this server "
                 "finds the details in its log (\"Storage check failed\"). Students can still read "
                 "the lesson, the glossary and the mnemonics; quizzes, flashcards and assignments "
                 "wait until this is fixed.",
                 icon=":material/database:")
    else:
        st.warning("**Saving is paused.** The database did not answer just now "
                   f"({setting_name()}). Whoever runs this server finds the details in its log "
                   "(\"Storage check failed\"). This page checks again every 30 seconds.",
                   icon=":material/database:")
