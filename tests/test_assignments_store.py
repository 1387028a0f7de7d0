"""Classes, assignments and tries in storage, on SQLite and PostgreSQL alike: codes, joins,
per-student variants, server-side grading, late marking, idempotent and concurrent
submissions, and nothing lost across a restart."""
from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from engine import db
from engine.quiz import grade
from engine.teachers import assignments as asg
from engine.teachers import classes as cls
from engine.teachers.links import ClosedLink, DamagedLink, UnknownLink
from engine.teachers.simexercise import InvalidSubmission
from engine.teachers.store import CODE_PATTERN, attempts
from teachers_support import learners_named, school, storage_url  # noqa: F401  (fixtures)

KINDS = ["iterations-per-epoch", "last-batch-size", "total-iterations"]


def right_answers(attempt):
    return [q.answer.value for q in attempt.questions()]


def new_quiz(engine, **kw):
    c = cls.create_class(engine, "Year 10")
    settings = dict(kinds=KINDS, count=3, tries_allowed=2)
    settings.update(kw)
    return c, asg.create_quiz(engine, c, "Batches", **settings)


def test_class_and_assignment_codes_are_long_random_and_distinct(school):
    made = [cls.create_class(school, f"Class {i}") for i in range(30)]
    codes = {c.code for c in made}
    assert len(codes) == 30 and all(CODE_PATTERN.match(c) for c in codes)
    work = {asg.create_quiz(school, made[0], f"Quiz {i}", KINDS, 2).code for i in range(30)}
    assert len(work) == 30 and not work & codes
    # 16 URL-safe characters = 96 random bits: spread over the whole alphabet.
    assert len(set("".join(codes))) > 40


def test_join_link_finds_the_class_and_joining_twice_counts_once(school):
    c = cls.create_class(school, "Year 10 A")
    sam, = learners_named(school, "Sam")
    link = f"https://school.example/assignments?join={c.code}"
    assert cls.find_class(school, link) == c
    assert cls.find_class(school, f"  {c.code}\n") == c
    assert cls.join_class(school, c, sam.id) is True
    assert cls.join_class(school, c, sam.id) is False
    assert [m.display_name for m in cls.members(school, c.id)] == ["Sam"]
    assert cls.classes_of(school, sam.id) == [c]


@pytest.mark.parametrize("link, error", [
    ("", DamagedLink), ("abc", DamagedLink), ("https://x/assignments?join=", DamagedLink),
    ("https://x/assignments?join=AAAAAAAAAAAAAAA", DamagedLink),  # one character cut off
    ("AAAAAAAAAAAAAAAA<script>", DamagedLink), ("AAAAAAAAAAAAAAAA", UnknownLink),
])
def test_damaged_or_unknown_links_get_a_clear_message(school, link, error):
    with pytest.raises(error) as exc:
        cls.find_class(school, link)
    assert "teacher" in str(exc.value) or "link" in str(exc.value)
    with pytest.raises(error):
        asg.find_assignment(school, link.replace("join", "assignment"))


def test_a_changed_character_in_a_real_code_is_unknown(school):
    _, a = new_quiz(school)
    tampered = a.code[:-1] + ("A" if a.code[-1] != "A" else "B")
    with pytest.raises(UnknownLink):
        asg.find_assignment(school, tampered)


def test_each_student_gets_their_own_reproducible_questions_stored_with_the_try(school):
    c, a = new_quiz(school, count=6)
    sam, ana = learners_named(school, "Sam", "Ana")
    t_sam = asg.start_try(school, a, sam.id)
    t_ana = asg.start_try(school, a, ana.id)
    assert [q.template_id for q in t_sam.questions()] == KINDS * 2  # kinds asked in turn
    assert [q.seed for q in t_sam.questions()] != [q.seed for q in t_ana.questions()]
    assert [q.prompt for q in t_sam.questions()] != [q.prompt for q in t_ana.questions()]
    # Reopening the same try gives the same questions; they are derived, not random.
    assert asg.start_try(school, a, sam.id) == t_sam
    assert json.loads(json.dumps(asg.make_variant(a, sam.id, 1))) == t_sam.variant
    assert [q.seed for q in t_sam.questions()] == [asg.variant_seed(sam.id, a.code, i, 1) for i in range(6)]
    # Opening the assignment put both students in its class.
    assert {m.display_name for m in cls.members(school, c.id)} == {"Sam", "Ana"}


def test_submission_is_graded_on_the_server_from_the_stored_questions(school):
    _, a = new_quiz(school)
    sam, = learners_named(school, "Sam")
    t = asg.start_try(school, a, sam.id)
    answers = right_answers(t)
    answers[1] = "999999"
    done = asg.submit(school, a, sam.id, t.id, answers, key="key-sam-try-1")
    assert not done.repeated
    assert (done.attempt.points, done.attempt.max_points) == (2, 3)
    assert [i["status"] for i in done.attempt.results] == ["correct", "incorrect", "correct"]
    expected = grade(t.questions()[1], "999999")
    assert done.attempt.results[1]["feedback"] == expected.feedback
    assert done.attempt.late is False


def test_unreadable_answers_are_sent_back_and_use_no_try(school):
    _, a = new_quiz(school, tries_allowed=1)
    sam, = learners_named(school, "Sam")
    t = asg.start_try(school, a, sam.id)
    answers = right_answers(t)
    answers[0] = "abc"
    with pytest.raises(InvalidSubmission) as exc:
        asg.submit(school, a, sam.id, t.id, answers, key="key-sam-try-1")
    assert "Question 1" in exc.value.problems
    assert asg.tries_used(asg.attempts_of(school, a.id, sam.id)) == 0
    done = asg.submit(school, a, sam.id, t.id, right_answers(t), key="key-sam-try-1")
    assert done.attempt.score == 1.0


def test_double_clicked_submit_counts_once(school):
    _, a = new_quiz(school)
    sam, = learners_named(school, "Sam")
    t = asg.start_try(school, a, sam.id)
    first = asg.submit(school, a, sam.id, t.id, right_answers(t), key="double-click-key")
    second = asg.submit(school, a, sam.id, t.id, ["0", "0", "0"], key="double-click-key")
    assert not first.repeated and second.repeated
    assert second.attempt == first.attempt and second.attempt.score == 1.0
    assert asg.tries_used(asg.attempts_of(school, a.id, sam.id)) == 1
    with pytest.raises(asg.AlreadySubmitted):
        asg.submit(school, a, sam.id, t.id, ["0", "0", "0"], key="another-key-123")


def test_tries_run_out_and_each_try_brings_new_numbers(school):
    _, a = new_quiz(school, tries_allowed=2)
    sam, = learners_named(school, "Sam")
    t1 = asg.start_try(school, a, sam.id)
    asg.submit(school, a, sam.id, t1.id, ["1", "1", "1"], key="try-one-key")
    t2 = asg.start_try(school, a, sam.id)
    assert t2.try_no == 2 and [q.seed for q in t2.questions()] != [q.seed for q in t1.questions()]
    asg.submit(school, a, sam.id, t2.id, right_answers(t2), key="try-two-key")
    with pytest.raises(asg.NoTriesLeft):
        asg.start_try(school, a, sam.id)
    assert asg.best(asg.attempts_of(school, a.id, sam.id)).try_no == 2


def test_late_work_is_kept_and_marked_late(school):
    now = db.now()
    _, a = new_quiz(school, due_at=now + timedelta(hours=1))
    sam, = learners_named(school, "Sam")
    t = asg.start_try(school, a, sam.id, now=now)
    done = asg.submit(school, a, sam.id, t.id, right_answers(t), key="late-key-123",
                      now=now + timedelta(hours=2))
    assert done.attempt.late is True and done.attempt.score == 1.0


def test_no_late_work_closes_the_link_with_a_clear_message(school):
    now = db.now()
    _, a = new_quiz(school, due_at=now + timedelta(hours=1), accept_late=False)
    sam, ana = learners_named(school, "Sam", "Ana")
    t = asg.start_try(school, a, sam.id, now=now)
    later = now + timedelta(hours=2)
    with pytest.raises(ClosedLink) as exc:
        asg.submit(school, a, sam.id, t.id, right_answers(t), key="too-late-key", now=later)
    assert "late work is not accepted" in str(exc.value)
    with pytest.raises(ClosedLink):
        asg.start_try(school, a, ana.id, now=later)


def test_teacher_closing_an_assignment_stops_new_tries(school):
    _, a = new_quiz(school)
    sam, = learners_named(school, "Sam")
    asg.close_assignment(school, a.id)
    with pytest.raises(ClosedLink) as exc:
        asg.start_try(school, asg.get_assignment(school, a.id), sam.id)
    assert "closed by your teacher" in str(exc.value)


def test_a_student_cannot_submit_into_someone_elses_try(school):
    _, a = new_quiz(school)
    sam, ana = learners_named(school, "Sam", "Ana")
    t = asg.start_try(school, a, sam.id)
    with pytest.raises(asg.AssignmentError):
        asg.submit(school, a, ana.id, t.id, right_answers(t), key="ana-forged-key")
    asg.submit(school, a, sam.id, t.id, right_answers(t), key="sam-real-key-1")
    with pytest.raises(asg.AlreadySubmitted):  # reusing Sam's key gets Ana nothing
        asg.submit(school, a, ana.id, t.id, right_answers(t), key="sam-real-key-1")
    assert asg.attempts_of(school, a.id, ana.id) == []


def test_two_tabs_starting_the_same_try_make_one_try(school):
    _, a = new_quiz(school)
    sam, = learners_named(school, "Sam")
    with ThreadPoolExecutor(8) as pool:
        started = list(pool.map(lambda _: asg.start_try(school, a, sam.id), range(8)))
    assert len({t.id for t in started}) == 1
    assert len(asg.attempts_of(school, a.id, sam.id)) == 1


def test_200_concurrent_submissions_none_lost_none_duplicated(school):
    """200 students submit at the same moment, and each submit is sent twice (a double click
    or a retry): every one is stored exactly once, with its own grade."""
    _, a = new_quiz(school, count=2, tries_allowed=1)
    students = learners_named(school, *[f"Student {i}" for i in range(200)])
    tries = {s.id: asg.start_try(school, a, s.id) for s in students}
    gate = threading.Barrier(50)

    def send(job):
        s, copy = job
        t = tries[s.id]
        answers = right_answers(t) if s.id % 2 else ["0", "0"]
        try:
            gate.wait(timeout=30)
        except threading.BrokenBarrierError:
            pass
        return asg.submit(school, a, s.id, t.id, answers, key=f"submit-{s.id}-{t.id}")

    jobs = [(s, copy) for s in students for copy in (0, 1)]
    with ThreadPoolExecutor(50) as pool:
        results = list(pool.map(send, jobs))
    assert sum(not r.repeated for r in results) == 200
    assert sum(r.repeated for r in results) == 200
    with school.connect() as conn:
        rows = conn.execute(sa.select(attempts.c.learner_id, attempts.c.points)
                            .where(attempts.c.assignment_id == a.id,
                                   attempts.c.submitted_at.is_not(None))).all()
    assert len(rows) == 200 and len({r.learner_id for r in rows}) == 200
    assert all(r.points == (2 if r.learner_id % 2 else 0) for r in rows)


def test_a_restart_loses_nothing(storage_url):
    engine = db.connect(storage_url)
    c, a = new_quiz(engine)
    sam, = learners_named(engine, "Sam")
    cls.join_class(engine, c, sam.id)
    t = asg.start_try(engine, a, sam.id)
    done = asg.submit(engine, a, sam.id, t.id, right_answers(t), key="before-restart")
    engine.dispose()

    again = db.connect(storage_url)  # a new process would do exactly this
    try:
        assert cls.find_class(again, c.code) == c
        assert asg.find_assignment(again, a.code) == a
        assert asg.attempts_of(again, a.id, sam.id) == [done.attempt]
        # The stored questions still grade the same way after the restart.
        assert asg.submit(again, a, sam.id, t.id, [], key="before-restart").repeated
    finally:
        again.dispose()
