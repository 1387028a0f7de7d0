"""The learner's quiz history: one row per finished question, saved as the quiz goes.

Saving is idempotent (one row per learner, quiz and position), so a rerun, a double click or
saving the whole quiz again at the end never duplicates a result, and a closed tab loses at
most the question in progress.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db

from .session import ItemResult

quiz_results = sa.Table(
    "quiz_results", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("learner_id", sa.Integer, sa.ForeignKey("learners.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("quiz_id", sa.String(40), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("template_id", sa.String(64), nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("solved", sa.Boolean, nullable=False),
    sa.Column("tries", sa.Integer, nullable=False),
    sa.Column("first_try", sa.Boolean, nullable=False),
    sa.Column("points", sa.Float, nullable=False),
    sa.Column("mistakes", sa.String(500), nullable=False, server_default=""),
    sa.Column("finished_at", db.UTCDateTime, nullable=False),
    sa.UniqueConstraint("learner_id", "quiz_id", "position", name="uq_quiz_results_position"),
)


def _v1(conn):
    db.create_table(conn, quiz_results)


db.register("quiz", [_v1])


def save(engine: Engine, learner_id: int, quiz_id: str, mode: str,
         results: Iterable[tuple[int, ItemResult]], when: datetime | None = None) -> int:
    """Save finished questions not saved yet; returns how many rows were added."""
    results = list(results)
    if not results:
        return 0
    when = when or db.now()
    with db.write(engine) as conn:
        saved = set(conn.execute(
            sa.select(quiz_results.c.position).where(quiz_results.c.learner_id == learner_id,
                                                     quiz_results.c.quiz_id == quiz_id)).scalars())
        rows = [dict(learner_id=learner_id, quiz_id=quiz_id, position=pos, mode=mode,
                     template_id=r.template_id, seed=r.seed, solved=r.solved, tries=r.tries,
                     first_try=r.first_try, points=r.points, mistakes=",".join(r.mistakes)[:500],
                     finished_at=when)
                for pos, r in results if pos not in saved]
        if rows:
            conn.execute(quiz_results.insert(), rows)
    return len(rows)


def load(engine: Engine, learner_id: int) -> list[ItemResult]:
    """Every saved result, oldest first (the order mastery reads them in)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(quiz_results).where(quiz_results.c.learner_id == learner_id)
                            .order_by(quiz_results.c.finished_at, quiz_results.c.id)).all()
    return [ItemResult(r.template_id, r.seed, r.solved, r.tries, r.first_try, r.points,
                       tuple(m for m in r.mistakes.split(",") if m)) for r in rows]


@dataclass(frozen=True)
class QuizSummary:
    quiz_id: str
    mode: str
    questions: int
    correct: int
    points: float
    finished_at: datetime


def summaries(engine: Engine, learner_id: int, limit: int = 20) -> list[QuizSummary]:
    """The latest quizzes, newest first (for the progress page)."""
    q = quiz_results.c
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(q.quiz_id, sa.func.min(q.mode).label("mode"), sa.func.count().label("questions"),
                      sa.func.sum(sa.case((q.solved, 1), else_=0)).label("correct"),
                      sa.func.sum(q.points).label("points"), sa.func.max(q.finished_at).label("finished_at"))
            .where(q.learner_id == learner_id).group_by(q.quiz_id)
            .order_by(sa.func.max(q.finished_at).desc()).limit(limit)).all()
    return [QuizSummary(r.quiz_id, r.mode, r.questions, int(r.correct or 0), round(float(r.points or 0), 2),
                        r.finished_at)  # max() keeps the column type, so this is aware UTC
            for r in rows]
