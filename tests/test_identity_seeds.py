"""Quiz variants a student cannot compute in advance: the seed is an HMAC keyed by the
server secret, which is made once per database and never shown."""
from __future__ import annotations

import hashlib

import sqlalchemy as sa

from engine import db
from engine.identity import keys
from engine.identity.store import server_keys
from engine.learners import create_learner
from engine.teachers import assignments as asg
from engine.teachers import classes as cls

KINDS = ["iterations-per-epoch", "last-batch-size", "total-iterations"]


def _public_guess(learner_id, code, index, try_no):
    """Everything a student knows: the source's formula without the secret."""
    text = f"batchwise-variant|{learner_id}|{code}|{index}|{try_no}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") & 0x7FFFFFFF


def test_a_student_cannot_predict_the_numbers_of_their_next_try(tmp_path):
    engine = db.connect(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    keys.load(engine)
    c = cls.create_class(engine, "10A")
    a = asg.create_quiz(engine, c, "Week 3", KINDS, 3, tries_allowed=3)
    sam = create_learner(engine, "Sam")
    first = asg.start_try(engine, a, sam.id)
    # Try 2's questions, as the server will make them…
    secret_seeds = [asg.variant_seed(sam.id, a.code, i, 2) for i in range(3)]
    # …are none of the ones computable from public information (their id, the code, the
    # try number, the source), nor any the public export makes (variant numbers < 2**30).
    guessed = [_public_guess(sam.id, a.code, i, 2) for i in range(3)]
    assert not set(secret_seeds) & set(guessed)
    assert all(2**30 <= s < 2**31 for s in secret_seeds)
    from engine.quiz import generate
    predicted = [generate(KINDS[i], guessed[i]).prompt for i in range(3)]
    actual = [generate(KINDS[i], secret_seeds[i]).prompt for i in range(3)]
    assert predicted != actual
    assert [q.seed for q in first.questions()] == [asg.variant_seed(sam.id, a.code, i, 1) for i in range(3)]


def test_each_database_has_its_own_secret_made_once(tmp_path):
    one = db.connect(f"sqlite:///{tmp_path / 'one.sqlite3'}")
    two = db.connect(f"sqlite:///{tmp_path / 'two.sqlite3'}")
    k1, k2 = keys.load(one), keys.load(two)
    assert k1 != k2 and keys.load(one) == k1
    with one.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(server_keys)).scalar_one() == 1
    keys.load(one)
    s1 = asg.variant_seed(1, "CODE", 0, 1)
    keys.load(two)
    assert asg.variant_seed(1, "CODE", 0, 1) != s1


def test_the_quiz_pages_export_never_reaches_a_students_seed(app_test):
    from engine.teachers.assignments import STUDENT_SEEDS_FROM
    at = app_test("pages/quiz.py")
    at.session_state["export_open"] = True  # the box is built when a teacher opens it
    at.run()
    first, count = at.number_input(key="export_first"), at.number_input(key="export_count")
    # The highest variant the export can make is first + count - 1.
    assert first.max + count.max - 1 < STUDENT_SEEDS_FROM
