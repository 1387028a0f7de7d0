"""The classroom's rules, without a browser, on SQLite and PostgreSQL: who may act on an
assignment, edits and versions, move/duplicate, delete and undo, reopen, opening times,
extensions, grade overrides, the time zone, drafts, and the class's misconceptions."""
from __future__ import annotations

from datetime import timedelta

import pytest

from engine import db
from engine.teachers import assignments as asg
from engine.teachers import classes as cls
from engine.teachers import drafts, gradebook as gb, manage, misconceptions as mc, overrides
from engine.teachers import timezone as tz
from engine.identity import accounts
from engine.teachers.classes import NotYourClass, can_teach
from engine.teachers.links import ClosedLink
from teachers_support import learners_named, school, storage_url  # noqa: F401

KINDS = ["iterations-per-epoch"]
ANA = BEN = None  # two teacher accounts, made in each fresh database by `_teachers`


@pytest.fixture(autouse=True)
def _teachers(school, monkeypatch):
    for name in ("Ana", "Ben"):
        made = accounts.create_teacher(school, name, email=f"{name.lower()}@school.example")
        monkeypatch.setitem(globals(), name.upper(), made)


def quiz(engine, owner=None, **kw):
    owner = owner or ANA
    c = cls.create_class(engine, "Year 10", owner=owner)
    return c, manage.create(engine, owner, c.id, asg.QUIZ, "Week 3", asg.QuizSpec(kinds=tuple(KINDS), count=2), **kw)


def right_answers(t):
    return [q.answer.value for q in t.questions()]


def test_a_teacher_cannot_act_on_another_teachers_class(school):
    c, a = quiz(school, ANA)
    assert can_teach(school, ANA, c.id) and not can_teach(school, BEN, c.id)
    # An admin manages accounts, not other teachers' classes (a co-teacher is added instead).
    assert not can_teach(school, accounts.legacy_admin(school), c.id)
    for action in (lambda: manage.edit_settings(school, BEN, a.id, title="Mine now"),
                   lambda: manage.archive(school, BEN, a.id),
                   lambda: manage.close(school, BEN, a.id),
                   lambda: manage.create(school, BEN, c.id, asg.QUIZ, "X", asg.QuizSpec(kinds=tuple(KINDS))),
                   lambda: overrides.set_override(school, BEN, a.id, 1, 100, "")):
        with pytest.raises(NotYourClass):
            action()
    assert asg.get_assignment(school, a.id).title == "Week 3" and asg.get_assignment(school, a.id).archived_at is None


def test_settings_edit_any_time_and_questions_edit_in_place_before_anyone_starts(school):
    _, a = quiz(school)
    due = db.now() + timedelta(days=3)
    a = manage.edit_settings(school, ANA, a.id, title="Week 3 (fixed)", due_at=due, reveal="each_try", tries_allowed=4)
    assert (a.title, a.due_at, a.reveal, a.tries_allowed) == ("Week 3 (fixed)", due, "each_try", 4)
    changed = manage.change_spec(school, ANA, a.id, asg.QuizSpec(kinds=("total-iterations",), count=3))
    assert not changed.new_version and changed.assignment.version == 1
    assert changed.assignment.quiz_spec().count == 3
    with pytest.raises(asg.AssignmentError, match="1 to 10 tries"):
        manage.edit_settings(school, ANA, a.id, tries_allowed=0)


def test_changing_questions_after_a_start_makes_a_version_and_keeps_old_tries(school):
    _, a = quiz(school)
    sam, zoe = learners_named(school, "Sam", "Zoe")
    t = asg.start_try(school, a, sam.id)
    asg.submit(school, a, sam.id, t.id, right_answers(t), key="sam-key-12345")
    old_questions = t.variant["questions"]
    changed = manage.change_spec(school, ANA, a.id, asg.QuizSpec(kinds=("total-iterations",), count=1))
    assert changed.new_version and changed.assignment.version == 2 and "version 2" in changed.message
    a = changed.assignment
    kept = asg.attempts_of(school, a.id, sam.id)[0]
    assert kept.variant["questions"] == old_questions and kept.points == 2 and kept.spec_version == 1
    t2 = asg.start_try(school, a, zoe.id)
    assert t2.spec_version == 2 and len(t2.questions()) == 1 and t2.questions()[0].template_id == "total-iterations"
    assert asg.spec_of(school, a, 1)["count"] == 2  # the old version is kept


def test_move_only_before_anyone_started_else_duplicate(school):
    c, a = quiz(school)
    other = cls.create_class(school, "Year 11", owner=ANA)
    bens = cls.create_class(school, "Ben's", owner=BEN)
    with pytest.raises(NotYourClass):
        manage.move(school, ANA, a.id, bens.id)
    moved = manage.move(school, ANA, a.id, other.id)
    assert moved.class_id == other.id and moved.code == a.code
    (sam,) = learners_named(school, "Sam")
    asg.start_try(school, moved, sam.id)
    with pytest.raises(asg.AssignmentError, match="Duplicate it"):
        manage.move(school, ANA, a.id, c.id)
    copy = manage.duplicate(school, ANA, a.id, c.id)
    assert copy.class_id == c.id and copy.code != a.code and copy.title == "Week 3"
    assert asg.attempts_of(school, copy.id, sam.id) == []
    same = manage.duplicate(school, ANA, a.id, other.id)
    assert same.title == "Week 3 (copy)"


def test_delete_archives_and_undo_restores_every_try(school):
    c, a = quiz(school)
    (sam,) = learners_named(school, "Sam")
    t = asg.start_try(school, a, sam.id)
    asg.submit(school, a, sam.id, t.id, right_answers(t), key="sam-key-12345")
    manage.archive(school, ANA, a.id)
    assert asg.list_assignments(school, c.id) == [] and [x.id for x in asg.list_assignments(school, c.id, archived=True)] == [a.id]
    assert gb.class_gradebook(school, c.id).assignments == []
    gone = asg.get_assignment(school, a.id)
    assert gone.state(db.now()) == "archived"
    with pytest.raises(ClosedLink, match="removed by your teacher"):
        asg.start_try(school, gone, learners_named(school, "Zoe")[0].id)
    manage.restore(school, ANA, a.id)
    back = asg.list_assignments(school, c.id)
    assert [x.id for x in back] == [a.id] and asg.attempts_of(school, a.id, sam.id)[0].points == 2


def test_reopen_a_closed_assignment(school):
    _, a = quiz(school, due_at=db.now() - timedelta(hours=1), accept_late=False)
    (sam,) = learners_named(school, "Sam")
    manage.close(school, ANA, a.id)
    with pytest.raises(ClosedLink):
        asg.start_try(school, asg.get_assignment(school, a.id), sam.id)
    a = manage.reopen(school, ANA, a.id)
    assert a.closed_at is None and a.accept_late and a.state(db.now()) == "open"
    t = asg.start_try(school, a, sam.id)
    assert asg.submit(school, a, sam.id, t.id, right_answers(t), key="sam-key-12345").attempt.late


def test_opens_at_keeps_students_out_until_then(school):
    later = db.now() + timedelta(days=1)
    _, a = quiz(school, opens_at=later)
    (sam,) = learners_named(school, "Sam")
    assert a.state(db.now()) == "scheduled"
    with pytest.raises(ClosedLink, match="opens on"):
        asg.start_try(school, a, sam.id)
    assert asg.start_try(school, a, sam.id, now=later + timedelta(minutes=1)).try_no == 1
    with pytest.raises(asg.AssignmentError, match="after the opening time"):
        manage.edit_settings(school, ANA, a.id, due_at=later - timedelta(hours=1))


def test_an_extension_changes_lateness_and_closing_for_that_student_only(school):
    c, a = quiz(school, due_at=db.now() - timedelta(hours=1), accept_late=False)
    sam, zoe = learners_named(school, "Sam", "Zoe")
    for s in (sam, zoe):
        cls.join_class(school, c, s.id)
    with pytest.raises(ClosedLink, match="late work is not accepted"):
        asg.start_try(school, a, sam.id)
    manage.set_extension(school, ANA, a.id, sam.id, db.now() + timedelta(days=2))
    t = asg.start_try(school, a, sam.id)
    done = asg.submit(school, a, sam.id, t.id, right_answers(t), key="sam-key-12345").attempt
    assert done.late is False
    with pytest.raises(ClosedLink):
        asg.start_try(school, a, zoe.id)
    book = gb.class_gradebook(school, c.id)
    assert book.cell(sam.id, a.id).own_due is not None and "extended" in book.table().iloc[0]["Week 3"]
    # An extension already past: work is marked late against the student's own date.
    manage.set_extension(school, ANA, a.id, zoe.id, db.now() - timedelta(minutes=1))
    manage.edit_settings(school, ANA, a.id, accept_late=True)
    t = asg.start_try(school, asg.get_assignment(school, a.id), zoe.id)
    assert asg.submit(school, asg.get_assignment(school, a.id), zoe.id, t.id, right_answers(t),
                      key="zoe-key-12345").attempt.late is True
    with pytest.raises(asg.AssignmentError, match="not in the assignment's class"):
        manage.set_extension(school, ANA, a.id, learners_named(school, "Out")[0].id, db.now())


def test_a_grade_override_replaces_the_score_with_a_comment(school):
    c, a = quiz(school)
    (sam,) = learners_named(school, "Sam")
    cls.join_class(school, c, sam.id)
    t = asg.start_try(school, a, sam.id)
    asg.submit(school, a, sam.id, t.id, ["1", "1"], key="sam-key-12345")
    o = overrides.set_override(school, ANA, a.id, sam.id, 75, "  Good method,\n check the rounding ")
    assert o.score == 0.75 and o.comment == "Good method,\ncheck the rounding"
    book = gb.class_gradebook(school, c.id)
    assert book.cell(sam.id, a.id).score == 0.75 and book.table().iloc[0]["Week 3"] == "75% (teacher's grade)"
    row = book.records()[0]
    assert row["teacher_grade_percent"] == 75 and row["teacher_comment"].startswith("Good method")
    for bad in (-1, 101, float("nan"), "abc"):
        with pytest.raises(asg.AssignmentError, match="percentage"):
            overrides.set_override(school, ANA, a.id, sam.id, bad, "")
    overrides.clear_override(school, ANA, a.id, sam.id)
    assert gb.class_gradebook(school, c.id).cell(sam.id, a.id).score == 0


def test_csv_has_stable_ids_state_and_a_per_question_sheet(school):
    c, a = quiz(school)
    sam, zoe = learners_named(school, "Sam", "=Zoe")
    for s in (sam, zoe):
        cls.join_class(school, c, s.id)
    t = asg.start_try(school, a, sam.id)
    asg.submit(school, a, sam.id, t.id, [right_answers(t)[0], "999"], key="sam-key-12345")
    manage.close(school, ANA, a.id)
    book = gb.class_gradebook(school, c.id)
    text = book.csv().decode("utf-8-sig").splitlines()
    assert text[0].split(",")[:6] == ["student_id", "student", "assignment_id", "assignment", "kind", "assignment_state"]
    assert any(line.startswith(f"{sam.id},Sam,{a.id},Week 3,quiz,closed") for line in text)
    assert any(line.startswith(f"{zoe.id},'=Zoe") for line in text)  # never a formula
    sheet = book.questions_csv().decode("utf-8-sig").splitlines()
    assert sheet[0] == ",".join(gb.QUESTION_COLUMNS) and len(sheet) == 3
    assert ",correct," in sheet[1] and ",incorrect," in sheet[2]


def test_the_school_time_zone_is_named_and_only_an_admin_sets_it(school):
    assert tz.school_zone(school).key == "UTC"
    with pytest.raises(PermissionError):
        tz.set_school_zone(school, ANA, "Europe/London")
    with pytest.raises(tz.UnknownZone):
        tz.set_school_zone(school, accounts.legacy_admin(school), "Mars/Olympus")
    tz.set_school_zone(school, accounts.legacy_admin(school), "Europe/Paris")
    zone = tz.school_zone(school)
    moment = tz.local_moment(db.now().date().replace(month=1, day=15), __import__("datetime").time(23, 59), zone)
    assert moment.hour == 22 and asg.when(moment, zone).endswith("23:59 Europe/Paris")
    assert asg.when(moment).endswith("22:59 UTC")


def test_a_draft_is_kept_for_its_own_learner_and_try_only(school):
    _, a = quiz(school)
    sam, zoe = learners_named(school, "Sam", "Zoe")
    t = asg.start_try(school, a, sam.id)
    assert drafts.save_draft(school, t.id, sam.id, {"0": "25", "1": "x" * 500, "2": float("nan")})
    assert drafts.save_draft(school, t.id, sam.id, {"0": "26", "1": "7"})
    assert drafts.load_draft(school, t.id, sam.id) == {"0": "26", "1": "7"}
    assert not drafts.save_draft(school, t.id, zoe.id, {"0": "1"}) and drafts.load_draft(school, t.id, zoe.id) == {}
    asg.submit(school, a, sam.id, t.id, right_answers(t), key="sam-key-12345")
    assert not drafts.save_draft(school, t.id, sam.id, {"0": "late"})
    assert drafts.clean_values({"a": "x" * 500})["a"] == "x" * drafts.MAX_VALUE


def test_misconceptions_rank_named_mistakes_by_students(school):
    c, a = quiz(school)
    people = learners_named(school, "Ana", "Ben", "Cat")
    for p in people:
        cls.join_class(school, c, p.id)
    for i, p in enumerate(people):
        t = asg.start_try(school, a, p.id)
        answers = []
        for q in t.questions():
            # Ana and Ben multiply N × B (a named mistake); Cat answers right.
            n_times_b = next((m for m in q.mistakes if m.id == "n-times-b"), None)
            answers.append(str(n_times_b.value) if i < 2 and n_times_b and n_times_b.value is not None
                           else q.answer.value)
        asg.submit(school, a, p.id, t.id, answers, key=f"key-{p.id}-12345")
    book = gb.class_gradebook(school, c.id)
    ranked = mc.class_mistakes(book)
    assert ranked, "the planted mistake is counted"
    top = ranked[0]
    assert top.mistake_id == "n-times-b" and [n for _, n in top.students] == ["Ana", "Ben"]
    assert top.times >= 2 and top.lesson and top.lesson["id"] == "n-times-b"
    assert mc.class_mistakes(book, assignment_id=a.id + 999) == []
    sheet = mc.csv(ranked).decode("utf-8-sig").splitlines()
    assert sheet[0].startswith("mistake_id,mistake,students") and sheet[1].startswith("n-times-b,")
    own = mc.learner_mistakes(school, people[0].id)
    assert own and own[0].mistake_id == "n-times-b" and own[0].times >= 1
    assert mc.learner_mistakes(school, people[2].id) == []
