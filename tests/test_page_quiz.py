"""The quiz page, driven like a learner would: a whole quiz from setup to review."""
from __future__ import annotations

from engine import db
from engine.learners import create_learner
from engine.quiz import history
from engine.quiz.session import new_quiz
from ui.quiz import answer_key, check_key, choice_key, next_key

PAGE = "pages/quiz.py"


def current(at):
    return at.session_state["quiz_session"]


def answer_box(at):
    return at.text_input(key=answer_key(current(at)))


def choice_box(at):
    return at.radio(key=choice_key(current(at)))


def answer(at, text):
    answer_box(at).input(text)
    at.button(key=check_key(current(at))).click()
    return at.run()


def next_question(at):
    at.button(key=next_key(current(at))).click()
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
    assert "used try 1 of 3" in texts(at.error)
    assert "General rule" in texts(at.info)  # the rule and the lesson's title for this mistake
    assert "Worked solution" not in texts(at.markdown)

    at = answer(at, f"{int(q.answer.value):,}")
    assert "Right" in texts(at.success)
    assert "Worked solution" in texts(at.markdown)
    assert q.solution[0] in texts(at.markdown)
    next_question(at)

    q2 = current(at).question()
    assert "Question 2 of 2" in at.get("progress")[0].proto.text and q2.prompt in texts(at.markdown)
    for m in q2.mistakes[:3]:
        at = answer(at, m.value)
    assert "Out of tries" in texts(at.error) and "Worked solution" in texts(at.markdown)
    next_question(at)

    assert "Your score" in texts(at.subheader)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Right"] == "1 of 2" and metrics["Right first time"] == "0"
    assert metrics["Score"] == "33 %"  # right on the second try: 2/3 of a point out of 2
    assert "0.67 of 2 points = 33 %" in texts(at.caption) and "⅔ on the second" in texts(at.caption)
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
    next_question(at)
    assert "Saved to your history" in texts(at.caption)
    saved = history.load(engine, learner.id)
    assert [(r.template_id, r.seed, r.first_try) for r in saved] == [("iterations-per-epoch", q.seed, True)]
    assert not at.exception


def test_multiple_choice_questions(app_test):
    at = app_test(PAGE, query={"kinds": "concept-term", "seed": "3", "length": "1"})
    q = current(at).question()
    wrong = next(c for c in "ABCD" if c != q.answer.value)
    choice_box(at).set_value(choice_box(at).options["ABCD".index(wrong)])
    at.button(key=check_key(current(at))).click().run()
    assert "is something else" in texts(at.error)
    choice_box(at).set_value(choice_box(at).options["ABCD".index(q.answer.value)])
    at.button(key=check_key(current(at))).click().run()
    assert "Right" in texts(at.success) and "Worked solution" in texts(at.markdown)


def test_mixed_review_and_a_broken_link(app_test):
    at = app_test(PAGE, query={"kinds": "no-such-kind", "seed": "7"})
    warning = texts(at.warning)
    assert "doesn't work" in warning and "(no-such-kind)" in warning and ".)." not in warning
    at.radio(key="quiz_mode").set_value("Mixed review")
    at.run()
    at.button(key="quiz_start").click().run()
    quiz = current(at)
    assert quiz.mode == "mixed" and len(quiz.items) == 5
    assert not at.exception


def test_teacher_export_offers_moodle_xml_and_gift(app_test):
    at = app_test(PAGE)
    assert not at.get("download_button")  # folded: nothing is generated for students
    at.session_state["export_open"] = True  # what the browser sends when it is opened
    at.run()
    labels = [e.proto.label for e in at.get("download_button")]
    assert labels == ["Moodle XML", "GIFT"]
    at.multiselect(key="export_kinds").set_value([]).run()
    assert "Choose at least one kind" in texts(at.warning)


def one_question(app_test, kind="iterations-per-epoch", seed="5"):
    at = app_test(PAGE, query={"kinds": kind, "seed": seed, "length": "1"})
    return at, current(at).question()


def test_the_lesson_box_is_a_general_rule_without_the_lessons_example_numbers(app_test):
    at, q = one_question(app_test, "total-iterations")
    forgot = next(m for m in q.mistakes if m.id == "forgot-times-epochs")
    at = answer(at, forgot.value)
    (box,) = at.info
    assert "General rule" in box.value and "Forgetting to multiply by the number of epochs" in box.value
    assert not any(ch.isdigit() for ch in box.value)  # the lesson's "10 × 32 = 320" stays in the lesson


def test_forgetting_the_epochs_on_a_samples_question_shows_no_iterations_formula(app_test):
    at, q = one_question(app_test, "samples-processed")
    forgot = next(m for m in q.mistakes if m.id.startswith("forgot-times-epochs"))
    at = answer(at, forgot.value)
    assert "Forgot × epochs" in texts(at.error)
    assert "Total iterations" not in texts(at.info) + texts(at.error)


def test_an_unrecognised_wrong_answer_says_not_quite_once(app_test):
    at, q = one_question(app_test)
    at = answer(at, str(int(q.answer.value) * 1000 + 7))
    assert texts(at.error).count("Not quite") == 1


def test_a_double_click_on_check_keeps_the_first_feedback(app_test):
    at, q = one_question(app_test)
    floor = next(m for m in q.mistakes if m.id == "floor-instead-of-ceil")
    at = answer(at, floor.value)
    first = texts(at.error)
    at.button(key=check_key(current(at))).click()  # the second click of a double click
    at.run()
    assert texts(at.error) == first and "already tried" not in texts(at.warning)
    assert current(at).current.tries == 1 and "Try 2 of 3" in texts(at.caption)


def test_a_long_paste_reaches_the_parser_and_is_called_too_long(app_test):
    at, q = one_question(app_test)
    assert answer_box(at).proto.max_chars >= 20_000
    at = answer(at, "9" * 10_000)
    assert "too long" in texts(at.warning) and "Type a number first" not in texts(at.warning)
    assert current(at).current.tries == 0


def test_a_non_whole_number_is_free_unless_it_is_a_known_slip_and_the_page_says_so(app_test):
    at, q = one_question(app_test)
    assert "a known slip such as an unrounded division" in texts(at.caption)
    at = answer(at, str(int(q.answer.value) + 500) + ".5")
    assert "needs a whole number" in texts(at.warning) and "didn't use a try" in texts(at.warning)
    assert current(at).current.tries == 0
    unrounded = next(m for m in q.mistakes if m.id == "unrounded-division")
    at = answer(at, unrounded.value)
    assert "Left the division unrounded" in texts(at.error) and "used try 1 of 3" in texts(at.error)


def test_link_mistakes_get_plain_sentences(app_test):
    at = app_test(PAGE, query={"kinds": "iterations-per-epoch", "seed": "abc"})
    warning = texts(at.warning)
    assert "the seed in the link must be a whole number" in warning and "invalid literal" not in warning
    at = app_test(PAGE, query={"kinds": "iterations-per-epoch", "length": "ten"})
    assert "number of questions in the link must be a whole number" in texts(at.warning)
    at = app_test(PAGE, query={"kinds": "<b>x</b>", "seed": "1"})
    assert "<b>" not in texts(at.warning) and "doesn't have" in texts(at.warning)


def test_link_and_slider_allow_the_same_lengths(app_test):
    at = app_test(PAGE)
    assert at.slider(key="quiz_length").max == 50
    at = app_test(PAGE, query={"kinds": "iterations-per-epoch", "seed": "1", "length": "50"})
    assert len(current(at).items) == 50
    at = app_test(PAGE, query={"kinds": "iterations-per-epoch", "seed": "1", "length": "80"})
    assert len(current(at).items) == 50
    assert "asked for 80 questions" in texts(at.info) and "from 1 to 50" in texts(at.info)


def test_the_answer_box_states_the_graders_own_try_rule(app_test):
    from engine.quiz.grading import TRY_RULE

    at, _ = one_question(app_test)
    assert any(TRY_RULE in c.value for c in at.caption)
