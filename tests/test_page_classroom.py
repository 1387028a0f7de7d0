"""The classroom through the pages (AppTest): each teacher action and its refusal, what the
student then sees, a simulator preset filling the form, and a try resumed after a reload."""
from __future__ import annotations

from datetime import timedelta

import pytest

from engine import db
from engine.learners import create_learner
from engine.quiz import available_templates
from engine.simulator import SimConfig
from engine.teachers import assignments as asg
from engine.teachers import auth
from engine.teachers import classes as cls
from engine.teachers import manage
from engine.teachers.simexercise import SimSpec
from engine.identity import accounts
from signin_support import learner_of
from teachers_support import FAST_HASH, held_by_server, page_text, press, shown_by_browser, sign_in_as, unlock
from ui.assignment_form import SIM_FIELDS

TEACHER = "pages/teacher.py"
STUDENT = "pages/assignments.py"


@pytest.fixture(autouse=True)
def configured(monkeypatch):
    monkeypatch.setenv(auth.ENV_VAR, FAST_HASH)


def setup(engine, *names, **kw):
    c = cls.create_class(engine, "Year 10")
    a = asg.create_quiz(engine, c, "Week 3", ["iterations-per-epoch"], 2, **kw)
    people = [create_learner(engine, n) for n in names]
    for p in people:
        cls.join_class(engine, c, p.id)
    return c, a, people


def submit(engine, a, learner, answers=None):
    t = asg.start_try(engine, a, learner.id)
    answers = answers or [q.answer.value for q in t.questions()]
    return asg.submit(engine, a, learner.id, t.id, answers, key=f"k-{t.id}-12345").attempt


def teacher_page(app_test):
    return unlock(app_test(TEACHER))


def test_editing_questions_after_a_start_saves_a_new_version(app_test):
    engine = db.connect()
    c, a, (sam,) = setup(engine, "Sam")
    submit(engine, a, sam)
    at = teacher_page(app_test)
    assert any("1 student(s) have started: saving makes version 2" in x.value for x in at.caption)
    at.multiselect(key=f"t_q{a.id}_kinds").set_value(["total-iterations"])
    at = press(at, "Save as a new version")
    assert not at.exception and "Saved as version 2" in at.success[0].value
    now = asg.get_assignment(engine, a.id)
    assert now.version == 2 and now.quiz_spec().kinds == ("total-iterations",)
    assert asg.attempts_of(engine, a.id, sam.id)[0].spec_version == 1  # the old try is kept as it was
    assert any(e.label.endswith("version 2") for e in at.expander)


def test_delete_asks_first_then_undo_brings_it_back(app_test):
    engine = db.connect()
    c, a, (sam,) = setup(engine, "Sam")
    submit(engine, a, sam)
    at = teacher_page(app_test)
    at = press(at, "Delete…")
    assert any("Delete “Week 3”?" in w.value for w in at.warning)
    assert asg.get_assignment(engine, a.id).archived_at is None  # nothing happened yet
    at = press(at, "Yes, delete it")
    assert "was deleted" in at.success[0].value and asg.list_assignments(engine, c.id) == []
    assert at.dataframe == [] or "Week 3" not in at.dataframe[0].value.columns  # gone from the gradebook
    at = press(at, "Undo")
    assert "is back" in at.success[0].value
    assert [x.id for x in asg.list_assignments(engine, c.id)] == [a.id]
    assert asg.attempts_of(engine, a.id, sam.id)[0].points == 2


def test_a_deleted_assignment_is_restored_from_the_list_and_students_cannot_open_it_meanwhile(app_test):
    engine = db.connect()
    c, a, (sam,) = setup(engine, "Sam")
    manage.archive(engine, accounts.legacy_admin(engine), a.id)  # the passcode admin owns the class
    student = app_test(STUDENT, query={"learner": sam.code, "assignment": a.code})
    assert "removed by your teacher" in student.error[0].value and not student.text_input
    press(teacher_page(app_test), "Restore")
    assert asg.get_assignment(engine, a.id).archived_at is None


def test_a_wrong_class_assignment_is_moved_then_refused_once_started(app_test):
    engine = db.connect()
    c, a, (sam,) = setup(engine, "Sam")
    other = cls.create_class(engine, "Year 11")
    at = teacher_page(app_test)
    at.selectbox(key="t_gb_class").set_value(c.id).run()
    at.selectbox(key=f"t_move_to_{a.id}").set_value(other.id)
    at = press(at, "Move")
    assert not at.exception and "is now in “Year 11”" in at.success[0].value
    assert asg.get_assignment(engine, a.id).class_id == other.id
    b = asg.create_quiz(engine, c, "Week 4", ["iterations-per-epoch"], 1)
    submit(engine, b, sam)
    at.selectbox(key="t_gb_class").set_value(c.id).run()
    move = next(x for x in at.button if x.key == f"t_move_{b.id}")
    assert move.disabled  # started: moving would split the tries from their class


def test_an_extension_lets_one_student_submit_on_time(app_test):
    engine = db.connect()
    c, a, (sam, zoe) = setup(engine, "Sam", "Zoe", due_at=db.now() - timedelta(hours=1), accept_late=False)
    at = teacher_page(app_test)
    at.selectbox(key=f"t_x{a.id}_student").set_value(sam.id)
    at.date_input(key=f"t_x{a.id}_date").set_value((db.now() + timedelta(days=2)).date())
    at = press(at, "Give extension")
    assert not at.exception and "Extension saved" in at.success[0].value and "UTC" in at.success[0].value
    student = app_test(STUDENT, query={"learner": sam.code, "assignment": a.code})
    assert "your own due date" in student.caption[-1].value or any("your own due date" in x.value for x in student.caption)
    assert student.text_input  # Sam can work
    closed = app_test(STUDENT, query={"learner": zoe.code, "assignment": a.code})
    assert "late work is not accepted" in closed.error[0].value  # Zoe still cannot


def test_a_grade_override_and_comment_reach_the_student(app_test):
    engine = db.connect()
    c, a, (sam,) = setup(engine, "Sam")
    submit(engine, a, sam, ["1", "1"])
    at = teacher_page(app_test)
    p = f"t_ov_{a.id}_{sam.id}_"
    at.number_input(key=f"{p}percent").set_value(80)
    at.text_area(key=f"{p}comment").input("Right method; **check** the rounding")
    at = press(at, "Save grade")
    assert not at.exception and "Grade saved" in at.success[0].value
    assert at.dataframe[0].value.iloc[0]["Week 3"] == "80% (teacher's grade)"
    student = app_test(STUDENT, query={"learner": sam.code, "assignment": a.code})
    assert any(m.value == "**Your teacher's grade: 80%**" for m in student.markdown)
    assert any(t.value == "Right method; **check** the rounding" for t in student.text)  # as typed


def test_a_teacher_sees_and_acts_on_only_their_own_classes(app_test):
    engine = db.connect()
    ana = accounts.create_teacher(engine, "Ana", email="ana@school.example", passcode="ana's own passcode")
    ben = accounts.create_teacher(engine, "Ben", email="ben@school.example", passcode="ben's own passcode")
    cls.create_class(engine, "Ana's class", owner=ana)
    theirs = cls.create_class(engine, "Ben's class", owner=ben)
    a = asg.create_quiz(engine, theirs, "Week 9 quiz", ["iterations-per-epoch"], 1)
    at = sign_in_as(app_test(TEACHER), "ana@school.example", "ana's own passcode")
    assert not at.exception
    assert at.selectbox(key="t_gb_class").options == ["Ana's class"]
    assert "Week 9 quiz" not in page_text(at) and a.code not in page_text(at)

    # Ana co-teaches Ben's class for a while and has its assignment open on her page…
    cls.add_co_teacher(engine, theirs.id, ana.id)
    at.run()
    at.selectbox(key="t_gb_class").set_value(theirs.id).run()
    assert "Week 9 quiz" in page_text(at)
    cls.remove_co_teacher(engine, theirs.id, ana.id)
    # …and is then removed from it: her click on the widget still on screen is refused.
    at = press(at, "Close now")
    assert not at.exception and "not one of yours" in at.error[0].value
    assert asg.get_assignment(engine, a.id).closed_at is None
    assert "Week 9 quiz" not in page_text(at)
    with pytest.raises(cls.NotYourClass):
        manage.archive(engine, ana, a.id)
    assert asg.get_assignment(engine, a.id).archived_at is None


def test_choosing_a_preset_fills_every_setting_and_the_form_names_what_students_may_change(app_test):
    engine = db.connect()
    c = cls.create_class(engine, "Year 11")
    at = teacher_page(app_test)
    at.selectbox(key="t_asg_class").set_value(c.id).run()
    at.segmented_control(key="t_asg_kind").set_value("Simulator exercise").run()
    sim_form = ("t_sim_", *(f"t_{name}" for name in SIM_FIELDS))
    at.selectbox(key="t_preset").set_value("Learning rate too high")
    before = held_by_server(at, sim_form)  # on the screen as the teacher picks the preset
    at.run()
    assert at.number_input(key="t_sim_lr").value == 3.0
    # The browser showing the form shows the preset's settings too (sent with the run).
    assert shown_by_browser(at, sim_form, before) == held_by_server(at, sim_form) != before
    assert any(i.value.startswith("Students may change: Batch size, Learning rate and Epochs.") for i in at.info)
    at.text_input(key="t_sim_title").input("Fix the learning rate")
    at = press(at, "Create assignment")
    (a,) = asg.list_assignments(engine, c.id)
    assert a.sim_spec().start.learning_rate == 3.0 and a.sim_spec().start.optimizer == "sgd"


def test_what_a_student_typed_comes_back_after_a_reload(app_test):
    engine = db.connect()
    c, a, (sam,) = setup(engine, "Sam")
    at = app_test(STUDENT, query={"learner": sam.code, "assignment": a.code})
    (t,) = asg.attempts_of(engine, a.id, sam.id)
    at.text_input(key=f"asg_{t.id}_0").input("25").run()
    again = app_test(STUDENT, query={"learner": sam.code, "assignment": a.code})  # a new session
    assert again.text_input(key=f"asg_{t.id}_0").value == "25"
    assert again.subheader[0].value == "Try 1 of 1" or "Try 1" in again.subheader[0].value
    again.text_input(key=f"asg_{t.id}_1").input("7")
    again = press(again, "Submit try 1")
    assert not again.exception and asg.attempts_of(engine, a.id, sam.id)[0].responses[0] == "25"
    assert any("Try 1 submitted" in s.value for s in again.success)
    assert again.query_params["assignment"] == a.code  # still on the assignment, with its result


def test_the_misconception_tab_ranks_a_planted_mistake(app_test):
    engine = db.connect()
    c, a, (sam, zoe) = setup(engine, "Sam", "Zoe")
    for who in (sam, zoe):
        t = asg.start_try(engine, a, who.id)
        wrong = [next(m.value for m in q.mistakes if m.id == "n-times-b") for q in t.questions()]
        asg.submit(engine, a, who.id, t.id, wrong, key=f"k-{t.id}-12345")
    at = teacher_page(app_test)
    first = at.tabs[0]
    assert first.label == "Misconceptions"
    text = [m.value for m in first.markdown]
    assert any(v.startswith("**1. Multiplied instead of dividing** · 2 student(s)") for v in text)
    assert any("Sam, Zoe" in x.value for x in first.caption)
    assert any(e.label.startswith("Reteach from the lesson") for e in first.expander)
    progress = app_test("pages/progress.py", query={"learner": sam.code})
    assert any("Multiplied instead of dividing" in m.value for m in progress.markdown)


def test_the_teacher_reads_a_multiple_choice_answer_as_its_option_text(app_test):
    engine = db.connect()
    c = cls.create_class(engine, "Year 10")
    a = asg.create_quiz(engine, c, "Concepts", ["concept-true-statement"], 1)
    sam = create_learner(engine, "Sam")
    cls.join_class(engine, c, sam.id)
    t = asg.start_try(engine, a, sam.id)
    q = t.questions()[0]
    letter = next(x for x in "ABCDEF"[:len(q.choices)] if x != q.answer.value)
    asg.submit(engine, a, sam.id, t.id, [letter], key="sam-key-12345")
    at = teacher_page(app_test)
    option = q.choices["ABCDEF".index(letter)]
    shown = [m.value for m in at.markdown]
    assert f"{letter}. {option}" in shown  # the option's own Markdown, rendered (no literal \\*\\*)


def test_no_late_note_once_every_try_is_used_and_times_use_the_school_zone(app_test):
    from engine.teachers import timezone as tz

    engine = db.connect()
    tz.set_school_zone(engine, accounts.legacy_admin(engine), "Europe/Paris")
    c, a, (sam,) = setup(engine, "Sam", due_at=db.now() - timedelta(hours=1), tries_allowed=1)
    submit(engine, a, sam)
    at = app_test(STUDENT, query={"learner": sam.code, "assignment": a.code})
    assert not at.exception and not at.warning  # nothing left to hand in: no "marked late" note
    assert "Europe/Paris" in at.caption[0].value or any("Europe/Paris" in x.value for x in at.caption)
    assert any("You have used all your tries" in i.value for i in at.info)


def test_title_due_date_and_tries_are_edited_after_a_start_without_a_version(app_test):
    engine = db.connect()
    c, a, (sam,) = setup(engine, "Sam")
    submit(engine, a, sam)
    at = teacher_page(app_test)
    p = f"t_e{a.id}_"
    at.text_input(key=f"{p}title").input("Week 3 (batches)")
    at.number_input(key=f"{p}tries").set_value(3)
    at.checkbox(key=f"{p}has_due").check().run()
    at = press(at, "Save")
    assert not at.exception and "“Week 3 \\(batches\\)” saved." in at.success[0].value
    now = asg.get_assignment(engine, a.id)
    assert (now.title, now.tries_allowed, now.version) == ("Week 3 (batches)", 3, 1) and now.due_at is not None
    student = app_test(STUDENT, query={"learner": sam.code, "assignment": a.code})
    assert any(b.label == "Start try 2" for b in student.button)  # the extra tries reach the student


def test_back_to_the_list_drops_only_the_assignment_from_the_address(app_test):
    engine = db.connect()
    c, a, (sam,) = setup(engine, "Sam")
    at = app_test(STUDENT, query={"learner": sam.code, "assignment": a.code})
    at = press(at, "All my assignments")
    assert not at.exception and "assignment" not in at.query_params and "learner" not in at.query_params
    assert learner_of(at).id == sam.id  # still signed in, with no code in the address
    assert any(b.key == f"asg_open_{a.code}" for b in at.button)  # the list, with the assignment in it


def test_a_button_left_on_screen_acts_only_while_its_teacher_is_signed_in(app_test):
    """An account archived by the admin (or signed out elsewhere): a click on the open page
    changes nothing and says why."""
    engine = db.connect()
    ana = accounts.create_teacher(engine, "Ana", email="ana@school.example", passcode="ana's own passcode")
    c = cls.create_class(engine, "Ana's class", owner=ana)
    a = asg.create_quiz(engine, c, "Week 3", ["iterations-per-epoch"], 1)
    at = sign_in_as(app_test(TEACHER), "ana@school.example", "ana's own passcode")
    assert any(b.label == "Close now" for b in at.button)
    accounts.archive_teacher(engine, ana.id)
    at = press(at, "Close now")
    assert not at.exception and asg.get_assignment(engine, a.id).closed_at is None
    assert at.text_input(key="teacher_passcode") is not None and "Week 3" not in page_text(at)
    # The refusal waits at the top of the page for whoever signs in next on this tab.
    assert "no longer signed in" in at.session_state["teacher_notice"][1]


def test_the_edit_form_opened_after_other_runs_shows_the_assignment_as_it_is(app_test):
    """The browser draws a popover's fields when it opens, from the latest run's message, not
    the first: each run gives every Edit field the assignment's own value (its title, tries,
    due date, question kinds…), never the widget's empty default."""
    engine = db.connect()
    c = cls.create_class(engine, "Year 10")
    due = db.now().replace(microsecond=0) + timedelta(days=3)
    quiz = asg.create_quiz(engine, c, "Week 3", ["total-iterations"], 3, tries_allowed=4, reveal="each_try",
                           due_at=due, accept_late=False)
    spec = SimSpec(start=SimConfig(epochs=12, batch_size=50), editable=("epochs",), own_seed=False, max_epochs=40,
                   target_val_accuracy=0.8, within_epochs=30, questions=("iterations-per-epoch",))
    exercise = asg.create_simulation(engine, c, "Reach 80%", spec)
    at = teacher_page(app_test)
    at.run()  # the teacher opened the Assignments tab, then an Edit popover
    fields = tuple(f"t_{part}{a.id}_" for a in (quiz, exercise) for part in "eq")
    shown = shown_by_browser(at, fields)
    assert shown == held_by_server(at, fields)
    q, e = f"t_e{quiz.id}_", f"t_q{quiz.id}_"
    assert (shown[f"{q}title"], shown[f"{q}tries"], shown[f"{q}has_due"], shown[f"{q}accept_late"]) == \
        ("Week 3", 4, True, False)
    assert shown[f"{e}kinds"] == [available_templates()["total-iterations"].title] and shown[f"{e}count"] == 3
    s = f"t_q{exercise.id}_"
    assert (shown[f"{s}sim_epochs"], shown[f"{s}sim_batch"], shown[f"{s}max_epochs"], shown[f"{s}within"]) == \
        (12, 50, 40, 30)
    assert not shown[f"{s}own_seed"] and len(shown[f"{s}editable"]) == 1 and len(shown[f"{s}questions"]) == 1
