"""Learners: a display name and a personal resume code, no passwords.

The resume code is the learner's key: long, random (`secrets.token_urlsafe`, 144 bits) and
unguessable. Only its SHA-256 is stored, so a copy of the database does not hand out codes.
Other features key their rows on `Learner.id` (`learners.id` as a foreign key).
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
)


def _v1(conn):
    db.create_table(conn, learners)


db.register("learners", [_v1])


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
    code: str  # the resume code this learner was opened with

    def resume_query(self) -> dict[str, str]:
        return {QUERY_KEY: self.code}


def clean_name(name: str) -> str:
    """The display name as saved: trimmed, inner spaces collapsed, no control characters."""
    name = " ".join(str(name or "").split())
    if not name:
        raise InvalidName("Please type a name (a first name or a nickname is enough).")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise InvalidName("The name contains invisible control characters; please retype it.")
    if len(name) > NAME_MAX:
        raise InvalidName(f"Please keep the name under {NAME_MAX} characters.")
    return name


def clean_code(text: str) -> str:
    """The resume code inside what a student typed or pasted: the bare code, or the whole
    resume link. Raises GarbledCode when it cannot be a code."""
    text = code_in(text, QUERY_KEY)
    if not CODE_PATTERN.match(text):
        raise GarbledCode(
            "That resume code looks incomplete or mistyped: a code is "
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
            "No learner has that resume code. Check it (it is case-sensitive), or start as a new learner.")
    return Learner(id=row.id, display_name=row.display_name, created_at=row.created_at, code=code)


def find_learner(engine: Engine, code_or_link: str) -> Learner | None:
    """Like `resume`, but None for an unknown or garbled code."""
    try:
        return resume(engine, code_or_link)
    except LearnerCodeError:
        return None


def get_learner_name(engine: Engine, learner_id: int) -> str | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(learners.c.display_name)
                            .where(learners.c.id == learner_id)).scalar_one_or_none()


def touch(engine: Engine, learner: Learner) -> None:
    """Remember when the learner was last here (teachers may want to know)."""
    with db.write(engine) as conn:
        conn.execute(learners.update().where(learners.c.id == learner.id)
                     .values(last_seen_at=db.now()))
