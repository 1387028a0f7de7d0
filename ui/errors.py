"""Storage faults as short messages in the app's words: never a traceback, never a path.

Three ways in, all built on `engine.db.fault` (which tells a storage fault from a bug):

- `guarded(callback)`: wrap a button's or form's callback. A fault shows the message at the
  top of the page and the rest of the page is drawn as usual, so what the student typed stays
  in its box. Use it for every callback that saves: `on_click=guarded(_rate)`.
- `storage_guard()`: `with storage_guard(): ...` around page code that reads or saves; a
  fault shows the message and stops the page there.
- The safety nets, installed by `install_fault_handler()` (called by `ui.storage.
  engine_from_config`, so every page that touches storage has them):
  * a fault in ANY widget callback is shown as the message and the page is drawn as usual,
    exactly as with `guarded` (Streamlit 1.67 runs every callback through
    `SessionState._run_callback_and_record_rerun`; the net wraps the callback it is given);
  * a fault nobody caught in the page's own code is shown as the message instead of
    Streamlit's exception box (the per-run `on_script_error` hook, the one
    `st.App(on_script_error=…)` sets).
  Other errors (bugs) are left to Streamlit. On a Streamlit without these internals the nets
  are simply not installed; `guarded` and `storage_guard` still work.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

import streamlit as st

from engine import db

F = TypeVar("F", bound=Callable)
ICONS = {True: ":material/database:", False: ":material/hourglass_top:"}


def show(problem: db.StorageFault) -> None:
    """The student's message for `problem`; the operator's goes to the server log."""
    db.LOG.warning("Storage fault shown to a user: %s", problem.for_operator)
    st.error(problem.for_students, icon=ICONS[problem.permanent])


def guarded(action: F) -> F:
    """`action` (a widget callback) with storage faults shown as a message instead of raised."""
    @functools.wraps(action)
    def run(*args, **kwargs):
        try:
            return action(*args, **kwargs)
        except Exception as exc:
            problem = db.fault(exc)
            if problem is None:
                raise
            show(problem)
            return None
    return run  # type: ignore[return-value]


@contextmanager
def storage_guard() -> Iterator[None]:
    """Show a storage fault raised inside the block as a message and stop the page there."""
    try:
        yield
    except Exception as exc:
        problem = db.fault(exc)
        if problem is None:
            raise
        show(problem)
        st.stop()


def _on_script_error(exc: Exception) -> bool | None:
    problem = db.fault(exc)
    if problem is None:
        return None  # a bug: Streamlit shows it as configured
    show(problem)
    return True


def _install_callback_net() -> None:
    try:
        from streamlit.runtime.state.session_state import SessionState
    except ImportError:
        return
    original = getattr(SessionState, "_run_callback_and_record_rerun", None)
    if original is None or getattr(original, "batchwise_net", False):
        return

    def run_callback(self, votes, run):
        return original(self, votes, guarded(run))

    run_callback.batchwise_net = True
    SessionState._run_callback_and_record_rerun = run_callback


def install_fault_handler() -> None:
    """Make storage faults that reach Streamlit show as messages in this script run."""
    _install_callback_net()
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    except ImportError:  # a Streamlit without the hook: guarded/storage_guard still work
        return
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None and hasattr(ctx, "on_script_error") and ctx.on_script_error is None:
        ctx.on_script_error = _on_script_error
