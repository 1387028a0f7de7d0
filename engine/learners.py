"""Learners: a display name and a personal recovery code, no passwords.

The recovery code (called the resume code before sign-in sessions) is a self-study learner's
key for moving to another device: long, random (`secrets.token_urlsafe`, 144 bits) and
unguessable, shown once and never put in a link. Only its SHA-256 is stored, so a copy of
the database does not hand out codes. Day to day a device stays signed in with a session
(`engine.identity.sessions`); students in a class sign in with their class's roster code.
Other features key their rows on `Learner.id` (`learners.id` as a foreign key). Two entries
merged into one keep the removed entry's row with `merged_into` set, so its old sessions and
links lead to the entry that was kept.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db
from engine.codes import code_in

CODE_BYTES = 18  # 144 random bits -> 24 URL-safe characters
CODE_LENGTH = 24
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{%d}$" % CODE_LENGTH)
NAME_MAX = 40
QUERY_KEY = "learner"  # ?learner=CODE in a resume link

learners = sa.Table(
    "learners", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(NAME_MAX * 4), nullable=False),
    sa.Column("created_at", db.UTCDateTime, nullable=False),
    sa.Column("last_seen_at", db.UTCDateTime, nullable=True),
    sa.Column("merged_into", sa.Integer, nullable=True),
)


def _v1(conn):
    db.create_table(conn, learners)


def _v2(conn):
    db.add_column(conn, learners, sa.Column("merged_into", sa.Integer, nullable=True))


db.register("learners", [_v1, _v2])


class LearnerError(ValueError):
    """A problem the student can fix; `str(error)` is the message to show them."""


class InvalidName(LearnerError):
    pass


class LearnerCodeError(LearnerError):
    pass


class GarbledCode(LearnerCodeError):
    pass


class UnknownCode(LearnerCodeError):
    pass


@dataclass(frozen=True)
class Learner:
    id: int
    display_name: str
    created_at: datetime
    code: str = ""  # the recovery code, only right after it was made or typed (never stored)

    def resume_query(self) -> dict[str, str]:
        return {QUERY_KEY: self.code}


def clean_name(name: str, limit: int = NAME_MAX) -> str:
    """The display name as saved: trimmed, inner spaces collapsed, no control characters."""
    name = " ".join(str(name or "").split())
    if not name:
        raise InvalidName("Please type a name (a first name or a nickname is enough).")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise InvalidName("The name contains invisible control characters; please retype it.")
    if len(name) > limit:
        raise InvalidName(f"Please keep the name under {limit} characters.")
    return name


def clean_code(text: str) -> str:
    """The resume code inside what a student typed or pasted: the bare code, or the whole
    resume link. Raises GarbledCode when it cannot be a code."""
    text = code_in(text, QUERY_KEY)
    if not CODE_PATTERN.match(text):
        raise GarbledCode(
            "That recovery code looks incomplete or mistyped: a code is "
            f"{CODE_LENGTH} letters, digits, '-' or '_'. Check it, or start as a new learner.")
    return text


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def create_learner(engine: Engine, display_name: str) -> Learner:
    """A new learner with a fresh resume code (returned once, in `Learner.code`)."""
    name = clean_name(display_name)
    created = db.now()
    for _ in range(3):  # a collision of 144 random bits will not happen; be correct anyway
        code = new_code()
        try:
            with db.write(engine) as conn:
                learner_id = conn.execute(learners.insert().values(
                    code_hash=_hash(code), display_name=name, created_at=created,
                    last_seen_at=created)).inserted_primary_key[0]
            return Learner(id=learner_id, display_name=name, created_at=created, code=code)
        except sa.exc.IntegrityError:
            continue
    raise RuntimeError("could not create a unique resume code")


def resume(engine: Engine, code_or_link: str) -> Learner:
    """The learner with this resume code. Raises GarbledCode or UnknownCode with a message."""
    code = clean_code(code_or_link)
    with engine.connect() as conn:
        row = conn.execute(sa.select(learners).where(learners.c.code_hash == _hash(code))).first()
    if row is None:
        raise UnknownCode(
            "No learner has that recovery code. Check it (it is case-sensitive), or start as a new learner.")
    if row.merged_into is not None:
        kept = get_learner(engine, row.merged_into)
        if kept is not None:
            return Learner(id=kept.id, display_name=kept.display_name, created_at=kept.created_at, code=code)
    return Learner(id=row.id, display_name=row.display_name, created_at=row.created_at, code=code)


def find_learner(engine: Engine, code_or_link: str) -> Learner | None:
    """Like `resume`, but None for an unknown or garbled code."""
    try:
        return resume(engine, code_or_link)
    except LearnerCodeError:
        return None


def get_learner(engine: Engine, learner_id: int) -> Learner | None:
    """The learner with this id (the kept entry, for one merged into another), or None."""
    with engine.connect() as conn:
        for _ in range(5):  # merged entries point at the kept one; never a long chain
            row = conn.execute(sa.select(learners).where(learners.c.id == learner_id)).first()
            if row is None:
                return None
            if row.merged_into is None:
                return Learner(id=row.id, display_name=row.display_name, created_at=row.created_at)
            learner_id = row.merged_into
    return None


def new_recovery_code(engine: Engine, learner_id: int) -> str:
    """A fresh recovery code for the learner (the old one stops working); shown once."""
    for _ in range(3):
        code = new_code()
        try:
            with db.write(engine) as conn:
                conn.execute(learners.update().where(learners.c.id == learner_id)
                             .values(code_hash=_hash(code)))
            return code
        except sa.exc.IntegrityError:
            continue
    raise RuntimeError("could not create a unique recovery code")


def rename(engine: Engine, learner_id: int, display_name: str) -> str:
    name = clean_name(display_name)
    with db.write(engine) as conn:
        conn.execute(learners.update().where(learners.c.id == learner_id).values(display_name=name))
    return name


def get_learner_name(engine: Engine, learner_id: int) -> str | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(learners.c.display_name)
                            .where(learners.c.id == learner_id)).scalar_one_or_none()


def touch(engine: Engine, learner: Learner) -> None:
    """Remember when the learner was last here (teachers may want to know)."""
    with db.write(engine) as conn:
        conn.execute(learners.update().where(learners.c.id == learner.id)
                     .values(last_seen_at=db.now()))
