"""Counting wrong codes so that parallel requests cannot multiply guesses.

A guess is recorded as wrong BEFORE the slow check runs, in the same write transaction that
reads the counts (`reserve`): 16 sessions guessing at once queue on that transaction, each sees
the ones before it, and once a rule says "wait" the rest are refused without being checked.
A right guess then takes its own records back (`release`). On SQLite the write transaction
takes the database's write lock at once (BEGIN IMMEDIATE); on PostgreSQL a transaction-level
advisory lock serialises the throttle's transactions (they are a few milliseconds long).

Each guess counts against several scopes at once, each with its own number of free tries
(`Rule`): this browser tab, the account or class it names, and everyone. Scopes are stored as
a SHA-256 prefix, so the table names no session or account in clear.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db

from .store import auth_attempts

ADVISORY_LOCK = 815048


@dataclass(frozen=True)
class Policy:
    base_seconds: int = 5        # the first wait; each further wrong try doubles it
    max_seconds: int = 300
    window: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class Rule:
    kind: str    # "session", "account" or "everyone": which rule a wait comes from
    key: str     # what is counted (hashed before it is stored)
    free: int    # wrong tries in the window before waiting starts

    @property
    def scope(self) -> str:
        return f"{self.kind[:8]}:" + hashlib.sha256(self.key.encode()).hexdigest()[:40]


@dataclass(frozen=True)
class Wait:
    seconds: int = 0
    kind: str = ""   # the rule that imposes it ("" when there is no wait)


@dataclass(frozen=True)
class Reservation:
    allowed: bool
    wait: Wait = Wait()
    ids: tuple[int, ...] = field(default=())


def wait_for(count: int, last: datetime | None, free: int, policy: Policy, now: datetime) -> int:
    """Seconds to wait after `count` wrong tries (the latest at `last`) when `free` are free."""
    if count < free or last is None:
        return 0
    delay = min(policy.base_seconds * 2 ** min(count - free, 30), policy.max_seconds)
    return max(0, math.ceil((last + timedelta(seconds=delay) - now).total_seconds()))


def _lock(conn) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK})")


def _waits(conn, rules: Sequence[Rule], policy: Policy, now: datetime) -> Wait:
    a = auth_attempts.c
    worst = Wait()
    for rule in rules:
        count, last = conn.execute(sa.select(sa.func.count(), sa.func.max(a.failed_at)).where(
            a.scope == rule.scope, a.failed_at > now - policy.window)).one()
        seconds = wait_for(count, last, rule.free, policy, now)
        if seconds > worst.seconds:
            worst = Wait(seconds, rule.kind)
    return worst


def current_wait(engine: Engine, rules: Sequence[Rule], policy: Policy = Policy(),
                 now: datetime | None = None) -> Wait:
    now = now or db.now()
    with engine.connect() as conn:
        return _waits(conn, rules, policy, now)


def reserve(engine: Engine, rules: Sequence[Rule], policy: Policy = Policy(),
            now: datetime | None = None) -> Reservation:
    """Check the waits and, when none applies, count this guess as wrong in every scope: one
    transaction, so no parallel guess slips between the check and the count."""
    now = now or db.now()
    with db.write(engine) as conn:
        _lock(conn)
        wait = _waits(conn, rules, policy, now)
        if wait.seconds > 0:
            return Reservation(False, wait)
        ids = tuple(conn.execute(auth_attempts.insert().values(scope=r.scope, failed_at=now))
                    .inserted_primary_key[0] for r in rules)
        # Old rows say nothing about the window any more.
        conn.execute(auth_attempts.delete().where(auth_attempts.c.failed_at < now - timedelta(days=1)))
    return Reservation(True, Wait(), ids)


def release(engine: Engine, reservation: Reservation, clear: Sequence[Rule] = ()) -> None:
    """The guess was right: take back its records, and clear the `clear` scopes (this tab's
    own count; never everyone's, where an attacker's tries still count)."""
    with db.write(engine) as conn:
        if reservation.ids:
            conn.execute(auth_attempts.delete().where(auth_attempts.c.id.in_(reservation.ids)))
        if clear:
            conn.execute(auth_attempts.delete().where(auth_attempts.c.scope.in_([r.scope for r in clear])))


def count(engine: Engine, rule: Rule) -> int:
    """Wrong tries recorded for `rule`'s scope (for tests and the admin page)."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).where(auth_attempts.c.scope == rule.scope)).scalar_one()
