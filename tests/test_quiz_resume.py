"""A quiz in progress is stored as it goes: a reload (a new session with the same address)
resumes it at the same question with the last answer, a signed-in learner gets their
unfinished quiz back on a fresh tab, someone else's quiz link is not theirs, and the store
counts each step once."""
from __future__ import annotations

from engine import db
from engine.learners import create_learner
from engine.quiz import history
from engine.quiz.session import advance, new_quiz, submit
from ui.quiz import answer_key, check_key, next_key

PAGE = "pages/quiz.py"
LINK = {"kinds": "iterations-per-epoch", "seed": "5", "length": "2"}


def texts(elements) -> str:
    return "\n".join(e.value for e in elements)


def check(at, text):
    quiz = at.session_state["quiz_session"]
    at.text_input(key=answer_key(quiz)).input(text)
    at.button(key=check_key(quiz)).click()
    return at.run()


def reload(app_test, at, extra=None):
    """The same address in a new session, as after a reload or a server restart."""
    return app_test(PAGE, query={**dict(at.query_params), **(extra or {})})


def test_a_reload_resumes_at_the_same_question_with_the_last_answer(app_test):
    at = app_test(PAGE, query=LINK)
    quiz = at.session_state["quiz_session"]
    assert at.query_params["quiz"] == quiz.id  # the address carries the quiz
    floor = next(m for m in quiz.question().mistakes if m.id == "floor-instead-of-ceil")
    at = check(at, floor.value)
    assert "Try 2 of 3" in texts(at.caption)

    again = reload(app_test, at)
    assert not again.exception
    resumed = again.session_state["quiz_session"]
    assert resumed.id == quiz.id and resumed.current.tries == 1  # not a new quiz from the link
    assert "Question 1 of 2" in again.get("progress")[0].proto.text and "Try 2 of 3" in texts(again.caption)
    assert "Rounded down instead of up" in texts(again.error)  # the feedback on the last try
    assert again.text_input(key=answer_key(resumed)).value == floor.value

    unreadable = check(again, "abc")  # costs no try, but is what was typed last
    assert "Type a number" in texts(unreadable.warning)
    assert reload(app_test, unreadable).text_input(key=answer_key(resumed)).value == "abc"


def test_next_and_results_survive_a_reload(app_test):
    at = app_test(PAGE, query={**LINK, "length": "1"})
    quiz = at.session_state["quiz_session"]
    at = check(at, str(int(quiz.question().answer.value)))
    at.button(key=next_key(at.session_state["quiz_session"])).click().run()
    assert "Your score" in texts(at.subheader)
    again = reload(app_test, at)
    assert "Your score" in texts(again.subheader) and again.metric[0].value == "1 of 1"


def test_a_signed_in_learner_gets_their_unfinished_quiz_in_a_fresh_tab(app_test):
    engine = db.connect()
    ada = create_learner(engine, "Ada")
    at = app_test(PAGE, query={**LINK, "learner": ada.code})
    quiz = at.session_state["quiz_session"]
    check(at, "1")
    fresh = app_test(PAGE, query={"learner": ada.code})  # another device: no quiz in the address
    assert fresh.session_state["quiz_session"].id == quiz.id
    assert "Try 2 of 3" in texts(fresh.caption)


def test_someone_elses_quiz_link_is_not_opened(app_test):
    engine = db.connect()
    ada, bob = create_learner(engine, "Ada"), create_learner(engine, "Bob")
    at = app_test(PAGE, query={**LINK, "learner": ada.code})
    quiz_id = at.query_params["quiz"]
    theirs = app_test(PAGE, query={"quiz": quiz_id, "learner": bob.code})
    assert not theirs.exception
    assert theirs.session_state["quiz_session"] is None
    assert "isn't available here" in texts(theirs.info)
    assert theirs.button(key="quiz_start") is not None


def test_a_made_up_quiz_id_gets_a_note_and_the_setup_form(app_test):
    for junk in ("nope", "x" * 500, "'; drop table quiz_progress; --", "-0.0"):
        at = app_test(PAGE, query={"quiz": junk})
        assert not at.exception and "isn't available here" in texts(at.info)
        assert at.button(key="quiz_start") is not None


def test_the_store_applies_each_step_once_and_only_for_its_owner(tmp_path):
    engine = db.connect(f"sqlite:///{tmp_path / 's.sqlite3'}")
    ada, bob = create_learner(engine, "Ada"), create_learner(engine, "Bob")
    quiz = new_quiz(["iterations-per-epoch"], 2, 5)
    assert history.record(engine, None, quiz, ada.id)
    right = str(int(quiz.question().answer.value))
    graded, _ = submit(quiz, right, quiz.step)
    assert history.record(engine, quiz, graded, ada.id)
    assert not history.record(engine, quiz, graded, ada.id)  # the same click again (a replay)
    moved = advance(graded, graded.step)
    assert not history.record(engine, graded, moved, bob.id)  # not Bob's quiz
    assert history.record(engine, graded, moved, ada.id)
    assert history.load_quiz(engine, quiz.id).quiz.position == 1
    assert [r.first_try for r in history.load(engine, ada.id)] == [True]  # one result, once
    assert history.load(engine, bob.id) == []
