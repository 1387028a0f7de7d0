"""Classes: a name, an unguessable join code, and the learners who joined with it."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db
from engine.learners import learners

from .links import JOIN_KEY, UnknownLink, read_code
from .store import class_members, classes, new_code

NAME_MAX = 80


class InvalidClassName(ValueError):
    pass


@dataclass(frozen=True)
class SchoolClass:
    id: int
    code: str
    name: str
    created_at: datetime
    created_by: str | None = None

    def join_query(self) -> dict[str, str]:
        return {JOIN_KEY: self.code}


@dataclass(frozen=True)
class Member:
    learner_id: int
    display_name: str
    joined_at: datetime


def clean_text(text: str, what: str, limit: int) -> str:
    """A one-line title as saved: trimmed, spaces collapsed, no control characters."""
    text = " ".join(str(text or "").split())
    if not text:
        raise InvalidClassName(f"Please give the {what} a name.")
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise InvalidClassName(f"The {what} name contains invisible control characters; please retype it.")
    if len(text) > limit:
        raise InvalidClassName(f"Please keep the {what} name under {limit} characters.")
    return text


def _row(row) -> SchoolClass:
    return SchoolClass(id=row.id, code=row.code, name=row.name, created_at=row.created_at,
                       created_by=row.created_by)


def create_class(engine: Engine, name: str, created_by: str | None = None) -> SchoolClass:
    name = clean_text(name, "class", NAME_MAX)
    for _ in range(3):  # 96 random bits will not collide; stay correct anyway
        code = new_code()
        try:
            with db.write(engine) as conn:
                class_id = conn.execute(classes.insert().values(
                    code=code, name=name, created_by=created_by, created_at=db.now())
                ).inserted_primary_key[0]
                row = conn.execute(sa.select(classes).where(classes.c.id == class_id)).one()
            return _row(row)
        except sa.exc.IntegrityError:
            continue
    raise RuntimeError("could not create a unique class code")


def list_classes(engine: Engine) -> list[SchoolClass]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(classes).order_by(classes.c.created_at, classes.c.id)).all()
    return [_row(r) for r in rows]


def get_class(engine: Engine, class_id: int) -> SchoolClass | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(classes).where(classes.c.id == class_id)).first()
    return _row(row) if row else None


def find_class(engine: Engine, code_or_link: str) -> SchoolClass:
    """The class of a join link or code. Raises DamagedLink or UnknownLink with a message."""
    code = read_code(code_or_link, JOIN_KEY, "class")
    with engine.connect() as conn:
        row = conn.execute(sa.select(classes).where(classes.c.code == code)).first()
    if row is None:
        raise UnknownLink("No class has this join link. Check that you copied all of it, "
                          "or ask your teacher for the link again.")
    return _row(row)


def join_class(engine: Engine, school_class: SchoolClass, learner_id: int) -> bool:
    """Make the learner a member; True if they just joined, False if they already were."""
    try:
        with db.write(engine) as conn:
            exists = conn.execute(sa.select(class_members.c.id).where(
                class_members.c.class_id == school_class.id,
                class_members.c.learner_id == learner_id)).first()
            if exists:
                return False
            conn.execute(class_members.insert().values(
                class_id=school_class.id, learner_id=learner_id, joined_at=db.now()))
        return True
    except sa.exc.IntegrityError:  # the same learner joining from two tabs at once
        return False


def is_member(engine: Engine, class_id: int, learner_id: int) -> bool:
    with engine.connect() as conn:
        return conn.execute(sa.select(class_members.c.id).where(
            class_members.c.class_id == class_id,
            class_members.c.learner_id == learner_id)).first() is not None


def members(engine: Engine, class_id: int) -> list[Member]:
    """The class's learners, by name."""
    m, l = class_members.c, learners.c
    with engine.connect() as conn:
        rows = conn.execute(sa.select(m.learner_id, l.display_name, m.joined_at)
                            .join(learners, learners.c.id == m.learner_id)
                            .where(m.class_id == class_id)
                            .order_by(sa.func.lower(l.display_name), m.learner_id)).all()
    return [Member(r.learner_id, r.display_name, r.joined_at) for r in rows]


def classes_of(engine: Engine, learner_id: int) -> list[SchoolClass]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(classes).join(class_members, class_members.c.class_id == classes.c.id)
                            .where(class_members.c.learner_id == learner_id)
                            .order_by(class_members.c.joined_at)).all()
    return [_row(r) for r in rows]


def member_counts(engine: Engine) -> dict[int, int]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(class_members.c.class_id, sa.func.count())
                            .group_by(class_members.c.class_id)).all()
    return {r[0]: r[1] for r in rows}
