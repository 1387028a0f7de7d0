"""A try in progress, saved as the student types, so a reload, a closed tab or a server
restart brings back the same try with what was typed (the page restores the boxes from it).

One row per open try (`attempt_id`), overwritten on every change and left in place after
the submit (it is then no longer read: a submitted try shows its results instead).
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db

from .store import attempts, drafts

MAX_FIELDS = 64
MAX_VALUE = 200


def clean_values(values: dict[str, Any]) -> dict[str, Any]:
    """What is kept: up to MAX_FIELDS named values, texts cut to MAX_VALUE characters, numbers
    and booleans as they are (JSON-safe; NaN and infinities dropped)."""
    out: dict[str, Any] = {}
    for name, value in list((values or {}).items())[:MAX_FIELDS]:
        name = str(name)[:80]
        if value is None or isinstance(value, bool):
            out[name] = value
        elif isinstance(value, int):
            out[name] = value
        elif isinstance(value, float):
            if value == value and abs(value) != float("inf"):
                out[name] = value
        else:
            out[name] = str(value)[:MAX_VALUE]
    return out


def save_draft(engine: Engine, attempt_id: int, learner_id: int, values: dict[str, Any]) -> bool:
    """Keep what the student typed into their open try; False if the try is not theirs or is
    already submitted (nothing is written then)."""
    values = clean_values(values)
    try:
        return _save(engine, attempt_id, learner_id, values)
    except sa.exc.IntegrityError:  # two tabs saving the first draft at once: the row exists now
        return _save(engine, attempt_id, learner_id, values)


def _save(engine: Engine, attempt_id: int, learner_id: int, values: dict[str, Any]) -> bool:
    with db.write(engine) as conn:
        owner = conn.execute(sa.select(attempts.c.learner_id, attempts.c.submitted_at)
                             .where(attempts.c.id == attempt_id)).first()
        if owner is None or owner.learner_id != learner_id or owner.submitted_at is not None:
            return False
        done = conn.execute(drafts.update().where(drafts.c.attempt_id == attempt_id)
                            .values(fields=values, updated_at=db.now())).rowcount
        if not done:
            conn.execute(drafts.insert().values(attempt_id=attempt_id, fields=values, updated_at=db.now()))
    return True


def load_draft(engine: Engine, attempt_id: int, learner_id: int) -> dict[str, Any]:
    """What was saved for this try (empty if nothing, or if the try is not this learner's)."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(drafts.c.fields).join(attempts, attempts.c.id == drafts.c.attempt_id)
                           .where(drafts.c.attempt_id == attempt_id,
                                  attempts.c.learner_id == learner_id)).first()
    return dict(row.fields) if row and isinstance(row.fields, dict) else {}
