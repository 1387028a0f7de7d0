"""The quiz page, driven like a learner would: a whole quiz from setup to review."""
from __future__ import annotations

from engine import db
from engine.learners import create_learner
from engine.quiz import history
from engine.quiz.session import new_quiz

PAGE = "pages/quiz.py"


def current(at):
    return at.session_state["quiz_session"]


def answer(at, text):
    at.text_input(key="quiz_answer").input(text)
    at.button(key="FormSubmitter:quiz_form-Check").click()
    return at.run()


def texts(elements) -> str:
    return "\n".join(e.value for e in elements)


def test_a_whole_quiz_from_setup_to_practising_the_missed(app_test):
    at = app_test(PAGE)
    assert not at.exception
    at.multiselect(key="quiz_kinds").set_value(["iterations-per-epoch", "total-iterations"])
    at.slider(key="quiz_length").set_value(2)
    at.button(key="quiz_start").click().run()
    quiz = current(at)
    assert len(quiz.items) == 2
    assert "Question 1 of 2" in at.get("progress")[0].proto.text
    q = quiz.question()
    assert q.prompt in texts(at.markdown)

    at = answer(at, "abc")  # unreadable: a message, no try used
    assert "Type a number" in texts(at.warning) and "Try 1 of 3" in texts(at.caption)

    floor = next(m for m in q.mistakes if m.id == "floor-instead-of-ceil")
    at = answer(at, floor.value)
    assert "Rounded down instead of up" in texts(at.error) and "Try 2 of 3" in texts(at.caption)
    assert "From the lesson" in texts(at.info)  # the lesson's misconception entry
    assert "Worked solution" not in texts(at.markdown)

    at = answer(at, f"{int(q.answer.value):,}")
    assert "Right" in texts(at.success)
    assert "Worked solution" in texts(at.markdown)
    assert q.solution[0] in texts(at.markdown)
    at.button(key="quiz_next").click().run()

    q2 = current(at).question()
    assert "Question 2 of 2" in at.get("progress")[0].proto.text and q2.prompt in texts(at.markdown)
    for m in q2.mistakes[:3]:
        at = answer(at, m.value)
    assert "Out of tries" in texts(at.error) and "Worked solution" in texts(at.markdown)
    at.button(key="quiz_next").click().run()

    assert "Your score" in texts(at.subheader)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Right"] == "1 of 2" and metrics["Right first time"] == "0"
    assert "aren't saved" in texts(at.info)
    assert "Review your mistakes" in texts(at.subheader) and len(at.expander) >= 2
    assert "Mastery per kind of question" in texts(at.subheader)
    at.button(key="quiz_practise").click().run()
    again = current(at)
    assert again.mode == "missed" and [i.template_id for i in again.items] == [i.template_id for i in quiz.items]
    assert "Question 1 of 2" in at.get("progress")[0].proto.text
    assert not at.exception


def test_a_link_starts_a_known_quiz_and_a_signed_in_learner_keeps_the_results(app_test):
    engine = db.connect()
    learner = create_learner(engine, "Ada")
    at = app_test(PAGE, query={"kinds": "iterations-per-epoch", "seed": "5", "length": "1", "learner": learner.code})
    q = new_quiz(["iterations-per-epoch"], 1, 5).question()
    assert q.prompt in texts(at.markdown)
    at = answer(at, q.answer.value)
    at.button(key="quiz_next").click().run()
    assert "Saved to your history" in texts(at.caption)
    saved = history.load(engine, learner.id)
    assert [(r.template_id, r.seed, r.first_try) for r in saved] == [("iterations-per-epoch", q.seed, True)]
    assert not at.exception


def test_multiple_choice_questions(app_test):
    at = app_test(PAGE, query={"kinds": "concept-term", "seed": "3", "length": "1"})
    q = current(at).question()
    wrong = next(c for c in "ABCD" if c != q.answer.value)
    at.radio(key="quiz_choice").set_value(at.radio(key="quiz_choice").options["ABCD".index(wrong)])
    at.button(key="FormSubmitter:quiz_form-Check").click().run()
    assert "is something else" in texts(at.error)
    at.radio(key="quiz_choice").set_value(at.radio(key="quiz_choice").options["ABCD".index(q.answer.value)])
    at.button(key="FormSubmitter:quiz_form-Check").click().run()
    assert "Right" in texts(at.success) and "Worked solution" in texts(at.markdown)


def test_mixed_review_and_a_broken_link(app_test):
    at = app_test(PAGE, query={"kinds": "no-such-kind", "seed": "x"})
    assert "doesn't work" in texts(at.warning)
    at.radio(key="quiz_mode").set_value("Mixed review")
    at.run()
    at.button(key="quiz_start").click().run()
    quiz = current(at)
    assert quiz.mode == "mixed" and len(quiz.items) == 5
    assert not at.exception


def test_teacher_export_offers_moodle_xml_and_gift(app_test):
    at = app_test(PAGE)
    labels = [e.proto.label for e in at.get("download_button")]
    assert labels == ["Moodle XML", "GIFT"]
    at.multiselect(key="export_kinds").set_value([]).run()
    assert "Choose at least one kind" in texts(at.warning)
