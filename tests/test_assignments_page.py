"""The student side of assignments, through the page: sign in, join by link, open an
assignment by link, submit, see what the reveal policy allows and nothing more."""
from __future__ import annotations

from datetime import timedelta

from engine import db
from signin_support import learner_of, recovery_code
from engine.learners import create_learner
from engine.simulator import SimConfig, simulate
from engine.teachers import assignments as asg
from engine.teachers import classes as cls
from engine.teachers import simexercise as sx
from ui.text import md_escape
from teachers_support import MALICIOUS, assert_plain_text, page_text, press

PAGE = "pages/assignments.py"
KINDS = ["iterations-per-epoch", "last-batch-size"]


def start_as(at, name):
    at.text_input(key="learner_new_name").input(name)
    return press(at, "Start")


def succeeded(at, text):
    return any(text in s.value for s in at.success)


def open_as(app_test, name, **query):
    at = app_test(PAGE, query=query)
    return start_as(at, name)


def resume_as(app_test, learner, **query):
    return app_test(PAGE, query={"learner": learner.code, **query})


def quiz(engine, **kw):
    c = cls.create_class(engine, "Year 10")
    settings = dict(tries_allowed=2, reveal="last_try")
    settings.update(kw)
    return c, asg.create_quiz(engine, c, "Week 3: batches", KINDS, 2, **settings)


def current_try(engine, a, name):
    (learner_id,) = [m.learner_id for m in cls.members(engine, a.class_id) if m.display_name == name]
    return learner_id, asg.attempts_of(engine, a.id, learner_id)[-1]


def answer(at, attempt, values):
    for i, v in enumerate(values):
        at.text_input(key=f"asg_{attempt.id}_{i}").input(v)
    return press(at, f"Submit try {attempt.try_no}")


def test_a_link_asks_who_is_studying_first(app_test):
    engine = db.connect()
    _, a = quiz(engine)
    at = app_test(PAGE, query={"assignment": a.code})
    assert not at.exception
    assert "First tell us who you are" in at.info[0].value
    assert "Week 3" not in page_text(at)


def test_join_link_and_a_name_with_html_is_shown_as_typed(app_test):
    engine = db.connect()
    c = cls.create_class(engine, "Year 10 <script>alert(1)</script>")
    at = open_as(app_test, "<b>Sam</b> **bold**", join=c.code)
    assert not at.exception
    assert any(t.value == "<b>Sam</b> **bold**" for t in at.sidebar.text)  # plain text
    prompt = next(m.value for m in at.markdown if "Join the class" in m.value)
    assert "\\<script\\>" in prompt
    at = press(at, "Join class")
    assert [m.display_name for m in cls.members(engine, c.id)] == ["<b>Sam</b> **bold**"]
    assert succeeded(at, "You are in the class")


def test_damaged_unknown_and_closed_links_get_clear_messages(app_test):
    engine = db.connect()
    _, a = quiz(engine, due_at=db.now() - timedelta(hours=1), accept_late=False)
    at = open_as(app_test, "Sam", assignment=a.code[:-3])
    assert "looks damaged" in at.error[0].value and not at.exception
    code = recovery_code(at)
    unknown = "A" * 16 if a.code != "A" * 16 else "B" * 16
    at = app_test(PAGE, query={"learner": code, "assignment": unknown})
    assert "No assignment has this link" in at.error[0].value
    at = app_test(PAGE, query={"learner": code, "assignment": a.code})
    assert "late work is not accepted" in at.error[0].value
    at = app_test(PAGE, query={"learner": code, "join": "not-a-code"})
    assert "looks damaged" in at.error[0].value


def test_quiz_answers_stay_on_the_server_until_the_policy_allows(app_test):
    engine = db.connect()
    _, a = quiz(engine)
    at = open_as(app_test, "Sam", assignment=a.code)
    assert not at.exception
    _, t = current_try(engine, a, "Sam")
    secrets_of = [step for q in t.questions() for step in q.solution] + [m.feedback for q in t.questions() for m in q.mistakes]
    text, state = page_text(at), str(at.session_state.to_dict())
    assert all(q.prompt in text.replace("\\n", "\n") or q.kind in text for q in t.questions())
    assert not any(s in text or s in state for s in secrets_of)

    # Try 1: one right, one wrong. Right/wrong and feedback, but no correct answers yet.
    right = [q.answer.value for q in t.questions()]
    at = answer(at, t, [right[0], "999999"])
    assert not at.exception and succeeded(at, "Try 1 submitted")
    text = page_text(at)
    assert "right" in text and "not right" in text
    assert "Correct answer: " not in text and not any(s in text for s in [step for q in t.questions() for step in q.solution])

    # Try 2 (the last): now the answers and worked solutions are shown.
    at = press(at, "Start try 2")
    _, t2 = current_try(engine, a, "Sam")
    assert t2.try_no == 2
    at = answer(at, t2, ["999999", "999999"])
    text = page_text(at)
    assert "Correct answer: " in text
    assert "You have used all your tries. Your best: 50%" in at.info[-1].value


def test_unreadable_answer_is_sent_back_and_uses_no_try(app_test):
    engine = db.connect()
    _, a = quiz(engine)
    at = open_as(app_test, "Sam", assignment=a.code)
    _, t = current_try(engine, a, "Sam")
    at = answer(at, t, ["lots", "12"])
    assert "no try was used" in at.warning[0].value
    assert asg.tries_used(asg.attempts_of(engine, a.id, t.learner_id)) == 0
    assert at.text_input(key=f"asg_{t.id}_1").value == "12"  # what was typed is still there


def test_submission_key_stays_the_same_until_the_try_is_submitted(app_test):
    engine = db.connect()
    _, a = quiz(engine)
    at = open_as(app_test, "Sam", assignment=a.code)
    _, t = current_try(engine, a, "Sam")
    key = at.session_state[f"asg_key_{t.id}"]
    at.run()
    assert at.session_state[f"asg_key_{t.id}"] == key  # a retry sends the same key: counted once
    answer(at, t, [q.answer.value for q in t.questions()])
    assert asg.attempts_of(engine, a.id, t.learner_id)[0].submission_key == key


def test_a_student_sees_only_their_own_results(app_test):
    engine = db.connect()
    c, a = quiz(engine, reveal="each_try")
    sam = create_learner(engine, "Sam")
    t = asg.start_try(engine, a, sam.id)
    asg.submit(engine, a, sam.id, t.id, [q.answer.value for q in t.questions()], key="sam-key-12345")

    at = open_as(app_test, "Ana", assignment=a.code)
    assert not at.exception
    text = page_text(at)
    assert "100%" not in text and "Try 1:" not in text and "Sam" not in text
    assert not any(q.prompt[:40] in text for q in t.questions())  # Ana has her own numbers
    at = app_test(PAGE, query={"learner": recovery_code(at)})
    assert "Sam" not in page_text(at) and "not started" not in page_text(at)  # hers: started
    assert "tries 0 of 2" in page_text(at)


def test_late_work_is_marked_late(app_test):
    engine = db.connect()
    _, a = quiz(engine, due_at=db.now() - timedelta(hours=1))
    at = open_as(app_test, "Sam", assignment=a.code)
    assert "marked late" in at.warning[0].value
    _, t = current_try(engine, a, "Sam")
    at = answer(at, t, [q.answer.value for q in t.questions()])
    assert succeeded(at, "It was marked late")
    assert asg.attempts_of(engine, a.id, t.learner_id)[0].late


def test_simulator_exercise_through_the_page(app_test):
    engine = db.connect()
    c = cls.create_class(engine, "Year 11")
    spec = sx.SimSpec(start=SimConfig(epochs=10, seed=5), editable=("epochs", "batch_size"), own_seed=False,
                      max_epochs=40, target_val_accuracy=0.8, within_epochs=30,
                      questions=("iterations-per-epoch",))
    a = asg.create_simulation(engine, c, "Reach 80%", spec, reveal="each_try")
    at = open_as(app_test, "Sam", assignment=a.code)
    assert not at.exception, at.exception
    _, t = current_try(engine, a, "Sam")
    assert "Reach a validation accuracy of at least 80% within 30 epochs." in page_text(at)
    at.number_input(key=f"asg_{t.id}_cfg_batch_size").set_value(100).run()
    # The exercise asks for the iterations per epoch: the page never states them.
    text = page_text(at)
    assert "800 training samples, batch 100, 10 epochs" in text
    assert "iterations per epoch" not in text.replace(sx.RUN_QUESTIONS["iterations-per-epoch"], "")
    assert md_escape("You may change: Epochs and Batch size.") in [c.value for c in at.caption]
    at.number_input(key=f"asg_{t.id}_cfg_epochs").set_value(20).run()
    at.text_input(key=f"asg_{t.id}_q_iterations-per-epoch").input("8")
    at = press(at, "Submit try 1")
    assert not at.exception
    done = asg.attempts_of(engine, a.id, t.learner_id)[0]
    history = simulate(SimConfig(epochs=20, seed=5, batch_size=100))
    assert done.responses["config"]["batch_size"] == 100
    assert done.results[1]["status"] == "correct"
    assert done.results[0]["status"] == ("correct" if max(history.val_accuracy) >= 0.8 else "incorrect")
    assert succeeded(at, "Try 1 submitted")


def test_a_class_or_assignment_name_is_never_markdown_or_a_link(app_test):
    """A class and an assignment named with HTML, Markdown and a web address show as typed,
    as plain text, on the join prompt, after joining, in the list, and once it is closed."""
    engine = db.connect()
    c = cls.create_class(engine, MALICIOUS)
    a = asg.create_quiz(engine, c, MALICIOUS, KINDS, 1)
    at = open_as(app_test, "Sam", join=c.code)
    assert not at.exception
    assert_plain_text(at, MALICIOUS)  # "Join the class …?" and the list of work below it
    at = press(at, "Join class")
    assert_plain_text(at, MALICIOUS)
    asg.close_assignment(engine, a.id)
    at = app_test(PAGE, query={"learner": recovery_code(at), "assignment": a.code})
    assert not at.exception
    assert_plain_text(at, MALICIOUS)  # the heading and "… was closed by your teacher"


def test_a_returning_student_resumes_first_and_keeps_one_learner(app_test):
    """Joined in one tab, the assignment link opened in another: resuming is offered first,
    and the work lands on the same learner."""
    engine = db.connect()
    c, a = quiz(engine)
    sam = create_learner(engine, "Sam")
    cls.join_class(engine, c, sam.id)
    at = app_test(PAGE, query={"assignment": a.code})
    assert [t.key for t in at.text_input][:2] == ["signin_class_code", "signin_personal_code"]  # class code first
    at.text_input(key="learner_resume_code").input(f"http://localhost:8501/flashcards?learner={sam.code}")
    at = press(at, "Resume")
    assert not at.exception
    assert learner_of(at).id == sam.id and "learner" not in at.query_params
    assert len(asg.attempts_of(engine, a.id, sam.id)) == 1  # the assignment opened, for Sam
    assert [m.display_name for m in cls.members(engine, c.id)] == ["Sam"]


def test_a_bad_resume_code_is_explained_on_the_sign_in(app_test):
    engine = db.connect()
    _, a = quiz(engine)
    at = app_test(PAGE, query={"assignment": a.code})
    at.text_input(key="learner_resume_code").input("not-a-code")
    at = press(at, "Resume")
    assert not at.exception and "looks incomplete or mistyped" in at.error[0].value


def test_a_new_name_already_in_the_class_is_questioned_before_a_second_learner(app_test):
    engine = db.connect()
    c, a = quiz(engine)
    cls.join_class(engine, c, create_learner(engine, "Sam").id)
    at = app_test(PAGE, query={"assignment": a.code})
    at.text_input(key="learner_new_name").input(" sam ")
    at = press(at, "Start")
    assert not at.exception
    warning = at.warning[0].value
    assert "already in Year 10" in warning and "recovery code" in warning
    assert learner_of(at) is None and "learner" not in at.query_params  # nobody created
    assert len(cls.members(engine, c.id)) == 1

    at = press(at, "I am someone else: start as a new learner")
    assert not at.exception and learner_of(at) is not None
    assert len(asg.list_assignments(engine, c.id)) == 1
    assert sorted(m.display_name for m in cls.members(engine, c.id)) == ["Sam", "sam"]


def test_a_name_new_to_the_class_starts_at_once_and_no_link_carries_a_code(app_test):
    engine = db.connect()
    c, a = quiz(engine)
    cls.join_class(engine, c, create_learner(engine, "Sam").id)
    at = open_as(app_test, "Ana", join=c.code)
    assert not at.exception and not at.warning
    code = recovery_code(at)
    assert "learner" not in at.query_params
    at = press(at, "Join class")
    # Opening an assignment from the list adds it to the address, and no code of the learner's.
    at = press(at, md_escape("Week 3: batches"))
    assert not at.exception
    assert at.query_params["assignment"] == a.code and "learner" not in at.query_params
    assert code not in str(dict(at.query_params))
    assert at.header[0].value == md_escape("Week 3: batches")


def test_a_double_clicked_submit_says_what_the_first_click_said(app_test):
    engine = db.connect()
    _, a = quiz(engine)
    at = open_as(app_test, "Sam", assignment=a.code)
    learner_id, t = current_try(engine, a, "Sam")
    right = [q.answer.value for q in t.questions()]
    # The first click's request already stored the try; the second sends the same key.
    asg.submit(engine, a, learner_id, t.id, right, key=at.session_state[f"asg_key_{t.id}"])
    at = answer(at, t, right)
    assert not at.exception
    messages = [s.value for s in at.success if "submitted" in s.value]
    assert messages == ["Try 1 submitted: 2 of 2 points (100%). Your results are below."]
    assert asg.tries_used(asg.attempts_of(engine, a.id, learner_id)) == 1


def test_a_closed_assignment_shows_results_and_takes_no_more_work(app_test):
    engine = db.connect()
    _, a = quiz(engine, reveal="each_try")
    at = open_as(app_test, "Sam", assignment=a.code)
    learner_id, t = current_try(engine, a, "Sam")
    at = answer(at, t, [q.answer.value for q in t.questions()])
    asg.close_assignment(engine, a.id)
    at.run()
    assert not at.exception
    assert "was closed by your teacher" in at.info[-1].value
    assert not any(b.label.startswith("Start try") for b in at.button)
    assert any(e.label.startswith("Try 1: 2 of 2 points") for e in at.expander)  # results stay
    # A student who never started it gets the same clear message and no form.
    at = open_as(app_test, "Ana", assignment=a.code)
    assert "was closed by your teacher" in at.error[0].value and not at.text_input


def test_the_teachers_settings_read_in_words_without_internal_values(app_test):
    engine = db.connect()
    c = cls.create_class(engine, "Year 11")
    spec = sx.SimSpec(start=SimConfig(seed=409138232), editable=("batch_size",), own_seed=True,
                      max_epochs=40, target_val_accuracy=0.8, within_epochs=30)
    a = asg.create_simulation(engine, c, "Reach 80%", spec)
    at = open_as(app_test, "Sam", assignment=a.code)
    assert not at.exception
    fixed = next(x.value for x in at.caption if x.value.startswith("Set by your teacher"))
    plain = fixed.replace("\\", "")
    assert plain.startswith("Set by your teacher: Two moons, 1,000 samples (800 to train on, 200 to validate)")
    assert "2 hidden layers of 16 tanh units, Adam, learning rate 0.01, 20 epochs" in plain
    assert "seed" not in plain and "None" not in plain and "=" not in plain
    assert "batch" not in plain  # the student's own control is not listed as fixed


def test_a_student_removed_from_the_class_is_told_so_by_its_join_link(app_test):
    """Joining again does not undo the teacher's archive: the page says so, not 'You joined'."""
    from engine.identity import roster
    engine = db.connect()
    c, _ = quiz(engine)
    sam, tom = create_learner(engine, "Sam"), create_learner(engine, "Tom")
    cls.join_class(engine, c, sam.id)
    roster.set_archived(engine, c.id, sam.id, True)
    at = resume_as(app_test, sam, join=c.code)
    assert not at.exception and "removed you from the class" in at.warning[0].value
    assert not any(b.label == "Join class" for b in at.button) and not at.success

    # Tom has the Join button on screen while his teacher archives him (he had joined elsewhere).
    at = resume_as(app_test, tom, join=c.code)
    assert any(b.label == "Join class" for b in at.button)
    cls.join_class(engine, c, tom.id)
    roster.set_archived(engine, c.id, tom.id, True)
    at = press(at, "Join class")
    assert not at.exception and not succeeded(at, "You joined")
    assert "removed you from the class" in at.warning[0].value and not cls.is_member(engine, c.id, tom.id)


def test_a_student_removed_from_the_class_cannot_start_its_work_by_an_assignment_link(app_test):
    """Work done while archived would be hidden from the teacher: the link says why instead."""
    from engine.identity import roster
    engine = db.connect()
    c, a = quiz(engine)
    sam = create_learner(engine, "Sam")
    cls.join_class(engine, c, sam.id)
    roster.set_archived(engine, c.id, sam.id, True)
    at = resume_as(app_test, sam, assignment=a.code)
    assert not at.exception and "removed you from the class" in at.error[0].value
    assert asg.attempts_of(engine, a.id, sam.id) == [] and not at.text_input
    roster.set_archived(engine, c.id, sam.id, False)  # restored: the same link works again
    at = resume_as(app_test, sam, assignment=a.code)
    assert not at.error and len(asg.attempts_of(engine, a.id, sam.id)) == 1
