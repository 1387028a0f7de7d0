"""What a student may see, and when: correct answers and solutions never leave the server
before the reveal policy allows."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from engine import db
from engine.teachers import assignments as asg
from engine.teachers import classes as cls
from teachers_support import learners_named


def setup(reveal, tries_allowed=2, due_at=None):
    engine = db.connect()
    c = cls.create_class(engine, "Year 10")
    a = asg.create_quiz(engine, c, "Batches", ["iterations-per-epoch", "last-batch-size"], 2,
                        tries_allowed=tries_allowed, reveal=reveal, due_at=due_at)
    sam, = learners_named(engine, "Sam")
    return engine, a, sam


def submit_wrong(engine, a, sam, n):
    t = asg.start_try(engine, a, sam.id)
    return asg.submit(engine, a, sam.id, t.id, ["1", "1"], key=f"wrong-try-{n}-{t.id}").attempt


def test_open_questions_carry_no_answer():
    engine, a, sam = setup("each_try")
    t = asg.start_try(engine, a, sam.id)
    public = asg.public_questions(t)
    assert [p["prompt"] for p in public] == [q.prompt for q in t.questions()]
    text = json.dumps(public)
    for q in t.questions():
        assert all(step not in text for step in q.solution)
        assert all(m.feedback not in text for m in q.mistakes)
    for key in ("answer", "mistakes", "solution", "hint"):
        assert all(key not in p for p in public)


@pytest.mark.parametrize("reveal, right_or_wrong, feedback, answers_after_first, answers_after_last", [
    ("each_try", True, True, True, True),
    ("last_try", True, True, False, True),
    ("due", True, False, False, True),   # no due date: the last try stands in for it
    ("never", False, False, False, False),
])
def test_reveal_policies(reveal, right_or_wrong, feedback, answers_after_first, answers_after_last):
    engine, a, sam = setup(reveal)
    first = submit_wrong(engine, a, sam, 1)
    now = db.now()
    vis = asg.visibility(a, asg.attempts_of(engine, a.id, sam.id), now)
    items = asg.student_items(first, vis)
    assert all(("status" in i) == right_or_wrong for i in items)
    assert all(("feedback" in i) == (feedback or answers_after_first) for i in items)
    assert all(("correct_answer" in i) == answers_after_first for i in items)
    assert all(("solution" in i) == answers_after_first for i in items)
    if not answers_after_first:
        text = json.dumps(items)
        for q in first.questions():
            assert q.solution[-1] not in text

    submit_wrong(engine, a, sam, 2)
    vis = asg.visibility(a, asg.attempts_of(engine, a.id, sam.id), db.now())
    assert vis.answers == answers_after_last
    assert all(("correct_answer" in i) == answers_after_last for i in asg.student_items(first, vis))


def test_due_policy_waits_for_the_due_date_even_after_the_last_try():
    now = db.now()
    engine, a, sam = setup("due", tries_allowed=1, due_at=now + timedelta(days=1))
    submit_wrong(engine, a, sam, 1)
    tries = asg.attempts_of(engine, a.id, sam.id)
    assert not asg.visibility(a, tries, now).answers
    assert asg.visibility(a, tries, now + timedelta(days=2)).answers
