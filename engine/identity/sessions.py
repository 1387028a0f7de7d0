"""Sign-in sessions: what lets a device stay signed in across tabs, reloads and restarts.

The device keeps an opaque random token (256 bits) in a cookie; the database keeps only its
SHA-256, who it signs in, and when it expires. Signing out deletes the row, so a copied cookie
stops working too; reissuing a student's code or changing a teacher's passcode revokes all of
that person's sessions. Sessions expire a fixed time after sign-in (`LEARNER_DAYS`,
`TEACHER_DAYS`): then the device asks to sign in again.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db

from .store import sign_in_sessions

LEARNER_DAYS = 60   # a school term: a student signs in once per device per term
TEACHER_DAYS = 14   # teachers' pages hold the whole class's work: shorter
TOKEN_BYTES = 32


@dataclass(frozen=True)
class SignIn:
    """Who a session token signs in."""
    learner_id: int | None
    teacher_id: int | None
    expires_at: datetime
    how: str


def _hash(token: str) -> str:
    return hashlib.sha256(str(token).encode("utf-8", "replace")).hexdigest()


def start(engine: Engine, *, learner_id: int | None = None, teacher_id: int | None = None,
          how: str = "name", now: datetime | None = None) -> tuple[str, datetime]:
    """A new session; returns the token for the device's cookie (shown nowhere else) and its
    expiry."""
    if (learner_id is None) == (teacher_id is None):
        raise ValueError("a session signs in exactly one learner or one teacher")
    now = now or db.now()
    days = LEARNER_DAYS if learner_id is not None else TEACHER_DAYS
    expires = now + timedelta(days=days)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with db.write(engine) as conn:
        conn.execute(sign_in_sessions.insert().values(
            token_hash=_hash(token), learner_id=learner_id, teacher_id=teacher_id, how=how,
            created_at=now, expires_at=expires, last_seen_at=now))
        conn.execute(sign_in_sessions.delete().where(sign_in_sessions.c.expires_at < now))
    return token, expires


def resolve(engine: Engine, token: str | None, now: datetime | None = None) -> SignIn | None:
    """Who `token` signs in, or None (unknown, signed out, revoked or expired)."""
    if not token or len(str(token)) > 200:
        return None
    now = now or db.now()
    s = sign_in_sessions.c
    with engine.connect() as conn:
        row = conn.execute(sa.select(s.learner_id, s.teacher_id, s.expires_at, s.how)
                           .where(s.token_hash == _hash(token), s.expires_at > now)).first()
    if row is None:
        return None
    return SignIn(row.learner_id, row.teacher_id, row.expires_at, row.how)


def end(engine: Engine, token: str | None) -> None:
    """Sign out: the token stops working everywhere."""
    if token:
        with db.write(engine) as conn:
            conn.execute(sign_in_sessions.delete().where(sign_in_sessions.c.token_hash == _hash(token)))


def revoke_all(engine: Engine, *, learner_id: int | None = None, teacher_id: int | None = None) -> int:
    """Sign a person out on every device; returns how many sessions ended."""
    s = sign_in_sessions.c
    cond = s.learner_id == learner_id if learner_id is not None else s.teacher_id == teacher_id
    with db.write(engine) as conn:
        return conn.execute(sign_in_sessions.delete().where(cond)).rowcount
