"""Shared helpers for the flashcard tests: the fixture lesson, a learner, a fixed clock."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from engine import db
from engine.content import load_lesson
from engine.flashcards import build_deck
from engine.learners import create_learner

LESSON_DIR = Path(__file__).resolve().parent / "fixtures" / "flashcards_lesson" / "cards-lesson"
CONTENT_DIR = LESSON_DIR.parent
T0 = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)  # a Monday morning, UTC


def lesson():
    return load_lesson(LESSON_DIR)


def deck():
    return build_deck(lesson())


def engine_and_learner(name: str = "Sam"):
    engine = db.connect()  # the per-test SQLite file from tests/conftest.py
    return engine, create_learner(engine, name)
