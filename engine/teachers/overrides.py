"""A teacher's own grade for a student on one assignment, with a comment the student reads.
It replaces the best try's score in the gradebook and the CSV; the tries stay as they are."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db

from .assignments import AssignmentError
from .manage import assignment_for
from .store import overrides

COMMENT_MAX = 1000


@dataclass(frozen=True)
class Override:
    assignment_id: int
    learner_id: int
    score: float       # 0..1
    comment: str
    updated_at: datetime

    def to_dict(self) -> dict:
        return {"assignment_id": self.assignment_id, "learner_id": self.learner_id,
                "score": self.score, "comment": self.comment, "updated_at": self.updated_at.isoformat()}


def _row(r) -> Override:
    return Override(r.assignment_id, r.learner_id, r.score_percent / 100, r.comment, r.updated_at)


def clean_comment(text: str) -> str:
    text = "\n".join(" ".join(line.split()) for line in str(text or "").strip().splitlines())
    text = "".join(ch for ch in text if ch == "\n" or not unicodedata.category(ch).startswith("C"))
    if len(text) > COMMENT_MAX:
        raise AssignmentError(f"Please keep the comment under {COMMENT_MAX} characters.")
    return text


def set_override(engine: Engine, teacher, assignment_id: int, learner_id: int,
                 percent: float, comment: str = "") -> Override:
    """Give a student a grade of `percent` (0-100) on the assignment, with a comment."""
    a = assignment_for(engine, teacher, assignment_id)
    from .classes import is_member
    if not is_member(engine, a.class_id, learner_id):
        raise AssignmentError("This student is not in the assignment's class.")
    try:
        percent = float(percent)
    except (TypeError, ValueError):
        raise AssignmentError("Type the grade as a percentage from 0 to 100.") from None
    if not 0 <= percent <= 100:  # also refuses NaN
        raise AssignmentError("Type the grade as a percentage from 0 to 100.")
    comment = clean_comment(comment)
    who = getattr(teacher, "email", None) or getattr(teacher, "name", None)
    with db.write(engine) as conn:
        conn.execute(overrides.delete().where(overrides.c.assignment_id == a.id,
                                              overrides.c.learner_id == learner_id))
        conn.execute(overrides.insert().values(assignment_id=a.id, learner_id=learner_id,
                                               score_percent=percent, comment=comment,
                                               by_teacher=who, updated_at=db.now()))
    return override_for(engine, a.id, learner_id)


def clear_override(engine: Engine, teacher, assignment_id: int, learner_id: int) -> None:
    a = assignment_for(engine, teacher, assignment_id)
    with db.write(engine) as conn:
        conn.execute(overrides.delete().where(overrides.c.assignment_id == a.id,
                                              overrides.c.learner_id == learner_id))


def override_for(engine: Engine, assignment_id: int, learner_id: int) -> Override | None:
    with engine.connect() as conn:
        r = conn.execute(sa.select(overrides).where(overrides.c.assignment_id == assignment_id,
                                                    overrides.c.learner_id == learner_id)).first()
    return _row(r) if r else None


def overrides_of(engine: Engine, assignment_ids: list[int]) -> dict[tuple[int, int], Override]:
    """(learner_id, assignment_id) -> the teacher's grade."""
    if not assignment_ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(sa.select(overrides).where(overrides.c.assignment_id.in_(assignment_ids))).all()
    return {(r.learner_id, r.assignment_id): _row(r) for r in rows}
