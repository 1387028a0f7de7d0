"""Learners: start with a name, come back with a long random resume code."""
from __future__ import annotations

import pytest

from engine import db
from engine.learners import (CODE_LENGTH, GarbledCode, InvalidName, UnknownCode, clean_code,
                             create_learner, find_learner, resume)


@pytest.fixture
def engine():
    return db.connect()


def test_new_learner_gets_a_long_random_code(engine):
    a = create_learner(engine, "  Sam   Lee ")
    b = create_learner(engine, "Sam Lee")
    assert a.display_name == "Sam Lee"
    assert len(a.code) == CODE_LENGTH and a.code != b.code and a.id != b.id


def test_resume_with_code_or_whole_link(engine):
    a = create_learner(engine, "Ada")
    assert resume(engine, a.code).id == a.id
    assert resume(engine, f"  {a.code}\n").id == a.id
    assert resume(engine, f"http://localhost:8501/flashcards?learner={a.code}").id == a.id


def test_progress_follows_the_code_across_restarts(tmp_path):
    url = f"sqlite:///{tmp_path / 'restart.sqlite3'}"
    a = create_learner(db.connect(url), "Ada")
    fresh_engine = db.connect(url)  # as after a server restart
    assert find_learner(fresh_engine, a.code).display_name == "Ada"


def test_codes_are_not_stored_in_clear(engine):
    import sqlalchemy as sa
    a = create_learner(engine, "Ada")
    with engine.connect() as conn:
        dump = " ".join(str(v) for row in conn.execute(sa.text("select * from learners")) for v in row)
    assert a.code not in dump


@pytest.mark.parametrize("garbled", ["", "   ", "abc", "x" * 23, "x" * 25, "bad code with spaces!!!!",
                                     "https://example.org/?other=1"])
def test_garbled_code_is_explained(engine, garbled):
    with pytest.raises(GarbledCode, match="incomplete or mistyped"):
        resume(engine, garbled)
    assert find_learner(engine, garbled) is None


def test_unknown_code_is_explained(engine):
    create_learner(engine, "Ada")
    with pytest.raises(UnknownCode, match="No learner has that recovery code"):
        resume(engine, "A" * CODE_LENGTH)
    assert find_learner(engine, "A" * CODE_LENGTH) is None


def test_code_is_case_sensitive(engine):
    a = create_learner(engine, "Ada")
    flipped = a.code.swapcase()
    if flipped != a.code:
        assert find_learner(engine, flipped) is None


@pytest.mark.parametrize("name", ["", "   ", "a" * 41, "bad\x00name"])
def test_bad_names_are_refused_with_a_message(engine, name):
    with pytest.raises(InvalidName):
        create_learner(engine, name)


def test_clean_code_returns_the_bare_code():
    code = "abcdefghijklmnopqrstuv_-"
    assert clean_code(f"?learner={code}") == code


def test_touch_records_when_the_learner_was_last_here(engine):
    import sqlalchemy as sa
    from engine.learners import learners, touch
    a = create_learner(engine, "Ada")
    before = db.now()
    touch(engine, a)
    with engine.connect() as conn:
        seen = conn.execute(sa.select(learners.c.last_seen_at).where(learners.c.id == a.id)).scalar_one()
    assert seen >= before
