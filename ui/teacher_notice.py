"""The teacher page's one-line messages ("Assignment created…"), shown once at the top, with
an Undo button when the action can be undone (a delete)."""
from __future__ import annotations

from typing import Callable

import streamlit as st

ss = st.session_state
NOTICE = "teacher_notice"
UNDO = "teacher_undo"


def notify(kind: str, text: str, undo: tuple[Callable, tuple] | None = None) -> None:
    """Show `text` ("ok" or "error") on the next run; `undo` = (callback, args) adds a button."""
    ss[NOTICE] = (kind, text)
    ss[UNDO] = undo


def show_notice(box) -> None:
    notice = ss.pop(NOTICE, None)
    undo = ss.pop(UNDO, None)
    if not notice:
        return
    kind, text = notice
    (box.success if kind == "ok" else box.error)(text)
    if undo:
        callback, args = undo
        box.button("Undo", key="t_undo", on_click=callback, args=args, icon=":material/undo:")
