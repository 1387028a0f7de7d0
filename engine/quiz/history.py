"""The learner's quiz history: one row per finished question, saved as the quiz goes; and
every quiz in progress, so a reload or a server restart resumes it at the same question.

Saving results is idempotent (one row per learner, quiz and position), so a rerun, a double
click or saving the whole quiz again at the end never duplicates a result.

A quiz in progress is one row per quiz (`quiz_progress`), keyed by the quiz's unguessable id
(which the page keeps in its address), owned by a learner or by nobody (a quiz taken without
signing in). `record` stores a step compare-and-set: it only applies when the stored quiz is
still at the step the action was computed from, so a double click, a second tab or a click
replayed after a restart counts once; the finished questions are saved in the same
transaction.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db
from engine import learners as _learners  # noqa: F401  (registered first: the tables refer to it)

from .session import ItemResult, QuizSession, results

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


MAX_DRAFT = 2_000  # characters of the answer box kept with a quiz in progress

quiz_progress = sa.Table(
    "quiz_progress", db.metadata,
    sa.Column("quiz_id", sa.String(40), primary_key=True),
    sa.Column("learner_id", sa.Integer, sa.ForeignKey("learners.id", ondelete="CASCADE"),
              nullable=True, index=True),
    sa.Column("step", sa.Integer, nullable=False),
    sa.Column("finished", sa.Boolean, nullable=False),
    sa.Column("state", sa.Text, nullable=False),  # QuizSession.to_dict() as JSON
    sa.Column("draft", sa.Text, nullable=False, server_default=""),  # what was last typed
    sa.Column("updated_at", db.UTCDateTime, nullable=False),
)


def _v1(conn):
    db.create_table(conn, quiz_results)


def _v2(conn):
    db.create_table(conn, quiz_progress)


db.register("quiz", [_v1, _v2])


def _insert_results(conn, learner_id: int, quiz_id: str, mode: str,
                    results: list[tuple[int, ItemResult]], when: datetime) -> int:
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


def save(engine: Engine, learner_id: int, quiz_id: str, mode: str,
         results: Iterable[tuple[int, ItemResult]], when: datetime | None = None) -> int:
    """Save finished questions not saved yet; returns how many rows were added."""
    results = list(results)
    if not results:
        return 0
    with db.write(engine) as conn:
        return _insert_results(conn, learner_id, quiz_id, mode, results, when or db.now())


# --- quizzes in progress ----------------------------------------------------------------------

@dataclass(frozen=True)
class StoredQuiz:
    quiz: QuizSession
    learner_id: int | None
    draft: str = ""


def _stored(row) -> StoredQuiz | None:
    try:
        quiz = QuizSession.from_dict(json.loads(row.state))
    except (ValueError, KeyError, TypeError):
        return None  # written by an incompatible version: start afresh rather than crash
    return StoredQuiz(quiz, row.learner_id, row.draft or "")


def load_quiz(engine: Engine, quiz_id: str) -> StoredQuiz | None:
    """The stored quiz with this id, or None (unknown id, or any text from a link)."""
    if not isinstance(quiz_id, str) or not 1 <= len(quiz_id) <= 40:
        return None
    with engine.connect() as conn:
        row = conn.execute(sa.select(quiz_progress).where(quiz_progress.c.quiz_id == quiz_id)).first()
    return _stored(row) if row else None


def unfinished_quiz(engine: Engine, learner_id: int) -> StoredQuiz | None:
    """The learner's latest quiz that is not finished yet (to resume on any device)."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(quiz_progress).where(quiz_progress.c.learner_id == learner_id,
                                           sa.not_(quiz_progress.c.finished))
            .order_by(quiz_progress.c.updated_at.desc()).limit(1)).first()
    return _stored(row) if row else None


def record(engine: Engine, before: QuizSession | None, after: QuizSession,
           learner_id: int | None, draft: str = "", when: datetime | None = None) -> bool:
    """Store `after`, the quiz once an action computed from `before` (None: a new quiz) is
    applied, with the finished questions saved to the learner's history in the same
    transaction. False, and nothing written, when the stored quiz is no longer at `before`'s
    step (the action was already counted, or another tab moved on): reload and show that."""
    when = when or db.now()
    row = dict(learner_id=learner_id, step=after.step, finished=after.finished,
               state=json.dumps(after.to_dict()), draft=str(draft)[:MAX_DRAFT], updated_at=when)
    q = quiz_progress.c
    with db.write(engine) as conn:
        stored = conn.execute(sa.select(q.step, q.learner_id).where(q.quiz_id == after.id)).first()
        if stored is None:  # a new quiz (or one a lost database forgot): nothing to conflict with
            conn.execute(quiz_progress.insert().values(quiz_id=after.id, **row))
        else:
            if before is None or stored.step != before.step:
                return False
            if stored.learner_id is not None and stored.learner_id != learner_id:
                return False  # another learner's quiz: never written by someone else
            conn.execute(quiz_progress.update().where(q.quiz_id == after.id).values(**row))
        if learner_id is not None:
            _insert_results(conn, learner_id, after.id, after.mode, results(after), when)
    return True


def keep_draft(engine: Engine, quiz: QuizSession, draft: str) -> None:
    """Keep what was typed for the current question (an unreadable answer costs no try and
    changes nothing else), so a reload shows it again."""
    with db.write(engine) as conn:
        conn.execute(quiz_progress.update()
                     .where(quiz_progress.c.quiz_id == quiz.id, quiz_progress.c.step == quiz.step)
                     .values(draft=str(draft)[:MAX_DRAFT], updated_at=db.now()))


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
