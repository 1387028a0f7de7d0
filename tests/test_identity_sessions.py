"""Device sessions: an opaque token, only its hash stored; sign out, expiry and revocation."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from engine import db
from engine.identity import sessions
from engine.identity.store import sign_in_sessions
from engine.learners import create_learner


def test_a_session_signs_its_learner_in_until_signed_out():
    engine = db.connect()
    sam = create_learner(engine, "Sam")
    token, expires = sessions.start(engine, learner_id=sam.id, how="name")
    assert len(token) >= 43 and expires - db.now() > timedelta(days=sessions.LEARNER_DAYS - 1)
    assert sessions.resolve(engine, token).learner_id == sam.id
    with engine.connect() as conn:  # only the hash is stored
        stored = conn.execute(sa.select(sign_in_sessions.c.token_hash)).scalars().all()
    assert token not in stored and len(stored) == 1
    sessions.end(engine, token)
    assert sessions.resolve(engine, token) is None


def test_sessions_expire_and_unknown_tokens_sign_nobody_in():
    engine = db.connect()
    sam = create_learner(engine, "Sam")
    token, expires = sessions.start(engine, learner_id=sam.id)
    assert sessions.resolve(engine, token, now=expires + timedelta(seconds=1)) is None
    for forged in (None, "", "x" * 43, token[:-1], "y" * 5000):
        assert sessions.resolve(engine, forged) is None


def test_revoking_ends_every_session_of_that_learner_only():
    engine = db.connect()
    sam, kim = create_learner(engine, "Sam"), create_learner(engine, "Kim")
    phone, laptop = sessions.start(engine, learner_id=sam.id)[0], sessions.start(engine, learner_id=sam.id)[0]
    other = sessions.start(engine, learner_id=kim.id)[0]
    assert sessions.revoke_all(engine, learner_id=sam.id) == 2
    assert sessions.resolve(engine, phone) is None and sessions.resolve(engine, laptop) is None
    assert sessions.resolve(engine, other).learner_id == kim.id
