"""The read-aloud player on the Lesson page: one call per place it appears.

The browser speaks (window.speechSynthesis, in ui/audio_player.js); Python only hands it the
prepared text from engine.speech, as data. Nothing is sent back, so playing never reruns the
page.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from engine import speech
from engine.content import Lesson
from engine.lesson import SUMMARY_LEVELS

_HERE = Path(__file__).resolve().parent
_PLAYER = st.components.v2.component(
    "batchwise_audio",
    js=(_HERE / "audio_player.js").read_text(encoding="utf-8"),
    css=(_HERE / "audio_player.css").read_text(encoding="utf-8"),
)

# Preparing a lesson's text takes tens of milliseconds: kept per lesson object, which the
# content cache replaces whenever a lesson file changes.
_BOOKS: dict[tuple, tuple[Lesson, dict]] = {}


def _book(lesson: Lesson, kind: str, levels: tuple[str, ...] | None) -> dict:
    key = (id(lesson), kind, levels)
    cached = _BOOKS.get(key)
    if cached is None or cached[0] is not lesson:
        if len(_BOOKS) > 32:
            _BOOKS.clear()
        cached = _BOOKS[key] = (lesson, speech.audio_book(lesson, kind, list(levels) if levels else None))
    return cached[1]


def player(lesson: Lesson, kind: str, level: str | None = None) -> None:
    """Draw a player: kind 'dialogue' (every part), 'topics' (every explanation) or 'summary'
    (the summary at `level`, named as the page names it: Quick, Standard, Detailed)."""
    levels = (SUMMARY_LEVELS.get(level or "", "quick"),) if kind == "summary" else None
    book = _book(lesson, kind, levels)
    if not book["tracks"]:
        return
    _PLAYER(key=f"audio-{kind}", data=book)

