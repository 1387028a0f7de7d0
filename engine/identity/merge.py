"""Merging two learner entries of one person, keeping all their work.

Every row of the removed entry, in every table that refers to a learner, moves to the kept
one: tries are renumbered after the kept entry's own (per assignment); a row that would clash
with one of the kept entry's (the same class membership, the same card's state…) keeps the kept
entry's row, except per-card states, where the more recently reviewed one wins. The removed
learner row stays with `merged_into` set, so its sessions and recovery code lead to the kept
entry. One transaction: a merge happens completely or not at all.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db
from engine.learners import learners


def merge_learners(engine: Engine, keep_id: int, remove_id: int) -> int:
    """Move the removed entry's work to the kept one; returns how many rows moved."""
    from engine.teachers.store import attempts
    moved = 0
    with db.write(engine) as conn:
        a = attempts.c
        for asg_id, in conn.execute(sa.select(a.assignment_id).where(a.learner_id == remove_id).distinct()).all():
            top = conn.execute(sa.select(sa.func.coalesce(sa.func.max(a.try_no), 0)).where(
                a.assignment_id == asg_id, a.learner_id == keep_id)).scalar_one()
            rows = conn.execute(sa.select(a.id).where(a.assignment_id == asg_id, a.learner_id == remove_id)
                                .order_by(a.try_no, a.id)).all()
            for n, (attempt_id,) in enumerate(rows, start=1):
                conn.execute(attempts.update().where(a.id == attempt_id)
                             .values(learner_id=keep_id, try_no=top + n))
                moved += 1
        moved += _move_rest(conn, keep_id, remove_id, done={attempts.name})
        conn.execute(learners.update().where(learners.c.id == remove_id).values(merged_into=keep_id))
    return moved


def _move_rest(conn, keep_id: int, remove_id: int, done: set[str]) -> int:
    """Move every other learner-keyed row; rows that would clash with one of the kept entry's
    (the same card's state, the same class membership…) keep the kept entry's row, except
    per-card states, where the more recently reviewed one wins."""
    moved = 0
    for table in db.metadata.sorted_tables:
        if table.name in done or table.name == learners.name:
            continue
        cols = [c for c in table.columns
                if any(fk.column.table.name == learners.name for fk in c.foreign_keys)]
        for col in cols:
            rows = conn.execute(sa.select(table).where(col == remove_id)).mappings().all()
            for row in rows:
                pk = {c.name: row[c.name] for c in table.primary_key.columns}
                changed = {**row, col.name: keep_id}
                try:
                    with conn.begin_nested():
                        conn.execute(table.update().where(*[table.c[k] == v for k, v in pk.items()])
                                     .values({col.name: keep_id}))
                    moved += 1
                except sa.exc.IntegrityError:
                    _resolve_clash(conn, table, col, row, changed, pk)
    return moved


def _resolve_clash(conn, table, col, row, changed, pk) -> None:
    """The kept entry already has this row (same card, same class…): keep the newer card
    state; otherwise the kept entry's row stays and the duplicate goes."""
    newer = "last_review" in table.c and "card_id" in table.c
    if newer:
        kept = conn.execute(sa.select(table).where(col == changed[col.name],
                                                   table.c.card_id == row["card_id"])).mappings().first()
        if kept is not None and row["last_review"] and (kept["last_review"] is None or row["last_review"] > kept["last_review"]):
            values = {k: v for k, v in row.items() if k not in (col.name, "card_id")}
            conn.execute(table.update().where(col == changed[col.name], table.c.card_id == row["card_id"]).values(values))
    conn.execute(table.delete().where(*[table.c[k] == v for k, v in pk.items()]))
