"""School sign-in (OpenID Connect) identities: which learner a school account is.

The provider's issuer + subject is the identity; the e-mail (lower case) finds the student's
roster entry the first time, so a student lands in their class with no code.
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db
from engine.learners import Learner, clean_name, get_learner, learners

from .store import roster_entries, school_identities


def learner_for_school_account(engine: Engine, issuer: str, subject: str, email: str | None,
                               name: str | None) -> Learner:
    """The learner of a school account: the one it signed in as before; else the roster entry
    with its e-mail (so the student lands in their class with no code); else a new learner."""
    s = school_identities.c
    with engine.connect() as conn:
        known = conn.execute(sa.select(s.learner_id).where(s.issuer == issuer, s.subject == subject)).scalar()
    if known is not None:
        found = get_learner(engine, known)
        if found is not None:
            return found
    learner_id = None
    if email:
        r = roster_entries.c
        with engine.connect() as conn:
            learner_id = conn.execute(sa.select(r.learner_id).where(
                r.email == email.lower(), r.archived_at.is_(None)).order_by(r.added_at)).scalar()
    with db.write(engine) as conn:
        if learner_id is None:
            try:
                display = clean_name(name or (email or "").split("@")[0] or "Student")
            except ValueError:
                display = "Student"
            learner_id = conn.execute(learners.insert().values(
                code_hash="school:" + secrets.token_hex(24), display_name=display,
                created_at=db.now(), last_seen_at=db.now())).inserted_primary_key[0]
        existing = conn.execute(sa.select(s.id).where(s.issuer == issuer, s.subject == subject)).first()
        if existing:
            conn.execute(school_identities.update().where(s.id == existing.id)
                         .values(learner_id=learner_id, email=email))
        else:
            conn.execute(school_identities.insert().values(issuer=issuer, subject=subject, email=email,
                                                           learner_id=learner_id, created_at=db.now()))
    return get_learner(engine, learner_id)
