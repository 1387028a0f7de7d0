"""Quiz sessions as immutable steps, and the learner's saved history."""
from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import db
from engine.learners import create_learner
from engine.quiz import TEMPLATES, generate
from engine.quiz import history
from engine.quiz.session import (MAX_TRIES, ItemResult, QuizSession, advance, mastery, missed, mixed_review,
                                 new_quiz, practise_missed, results, score, submit)


def wrong_answer(q) -> str:
    return q.mistakes[0].value if q.mistakes else str(int(q.answer.high) + 1000)


def test_a_quiz_of_chosen_kinds_and_length():
    s = new_quiz(["iterations-per-epoch", "total-iterations"], 5, seed=1)
    assert len(s.items) == 5 and s.position == 0 and not s.finished
    assert set(Counter(i.template_id for i in s.items)) == {"iterations-per-epoch", "total-iterations"}
    assert new_quiz(["iterations-per-epoch", "total-iterations"], 5, seed=1).items == s.items
    assert len({i.seed for i in s.items}) == 5


@pytest.mark.parametrize("kinds,length", [([], 5), (["nope"], 5), (["iterations-per-epoch"], 0),
                                          (["iterations-per-epoch"], 51), (["iterations-per-epoch"], True)])
def test_bad_quiz_requests(kinds, length):
    with pytest.raises(ValueError):
        new_quiz(kinds, length, seed=1)


def test_right_first_time_then_next():
    s0 = new_quiz(["iterations-per-epoch"], 2, seed=3)
    q = s0.question()
    s1, g = submit(s0, q.answer.value, s0.step)
    assert g.status == "correct" and s1.current.done and s1.current.points == 1
    assert s0.current.attempts == ()  # the old step is untouched
    s2 = advance(s1, s1.step)
    assert s2.position == 1 and s2.question() != q


def test_three_tries_with_targeted_feedback_then_the_solution():
    s = new_quiz(["iterations-per-epoch"], 1, seed=4)
    q = s.question()
    for i, m in enumerate(q.mistakes[:MAX_TRIES]):
        s, g = submit(s, m.value, s.step)
        assert g.status == "incorrect" and g.mistake == m.id and g.feedback == m.feedback
    assert s.current.done and not s.current.solved and s.current.points == 0
    s, g = submit(s, q.answer.value, s.step)
    assert g is None  # no fourth try
    assert score(advance(s, s.step)).correct == 0


def test_points_fall_with_each_try():
    s = new_quiz(["iterations-per-epoch"], 1, seed=5)
    q = s.question()
    s, _ = submit(s, q.mistakes[0].value, s.step)
    s, g = submit(s, q.answer.value, s.step)
    assert g.status == "correct" and float(s.current.points) == pytest.approx(2 / 3)


def test_invalid_input_and_repeats_cost_no_try():
    s = new_quiz(["iterations-per-epoch"], 1, seed=6)
    q = s.question()
    for text in ("abc", "", "1/0", "9" * 10_000):
        s2, g = submit(s, text, s.step)
        assert g.status == "invalid" and s2 is s
    s, g = submit(s, q.mistakes[0].value, s.step)
    assert s.current.tries == 1
    s, g = submit(s, q.mistakes[1].value, s.step)
    s2, g = submit(s, q.mistakes[0].value, s.step)  # try 1's wrong answer typed again on purpose
    assert g.status == "invalid" and "already tried" in g.feedback and "try 1" in g.feedback
    assert s2.current.tries == 2


def test_the_same_wrong_answer_sent_twice_in_a_row_is_one_click_with_its_first_feedback():
    """A double click on Check can arrive carrying the new step number (the rerun of the first
    click re-registered the button): the learner clicked once, so the red feedback stays."""
    s = new_quiz(["iterations-per-epoch"], 1, seed=6)
    q = s.question()
    s, first = submit(s, q.mistakes[0].value, s.step)
    assert first.status == "incorrect"
    again, g = submit(s, q.mistakes[0].value, s.step)  # the new step: not stale
    assert g is None and again is s and s.current.tries == 1
    # after something unreadable in between, typing it again is deliberate: "already tried"
    s, junk = submit(s, "abc", s.step)
    assert junk.status == "invalid"
    s, g = submit(s, q.mistakes[0].value, s.step)
    assert g.status == "invalid" and "already tried" in g.feedback and s.current.tries == 1


def test_a_double_click_counts_once():
    s = new_quiz(["iterations-per-epoch"], 2, seed=7)
    q = s.question()
    step = s.step
    s, g1 = submit(s, q.mistakes[0].value, step)
    s_again, g2 = submit(s, q.mistakes[1].value, step)  # second click of the same render
    assert g1 is not None and g2 is None and s_again is s and s.current.tries == 1
    s, _ = submit(s, q.answer.value, s.step)
    step = s.step
    s = advance(s, step)
    assert advance(s, step) is s and s.position == 1  # "Next" double-clicked: no skipped question


def test_cannot_move_on_before_the_question_is_done():
    s = new_quiz(["iterations-per-epoch"], 2, seed=8)
    assert advance(s, s.step) is s


def play(s: QuizSession, answers) -> QuizSession:
    """answers: per question, a list of 'right'/'wrong'."""
    for plan in answers:
        q = s.question()
        wrongs = iter(m.value for m in q.mistakes)
        for a in plan:
            s, g = submit(s, q.answer.value if a == "right" else next(wrongs), s.step)
            assert g is not None
        s = advance(s, s.step)
    return s


def test_score_review_and_practise_the_missed():
    s = new_quiz(["iterations-per-epoch", "last-batch-size", "total-iterations"], 3, seed=9)
    s = play(s, [["right"], ["wrong", "right"], ["wrong", "wrong", "wrong"]])
    assert s.finished and s.progress == 1
    sc = score(s)
    assert (sc.questions, sc.correct, sc.first_try) == (3, 2, 1)
    assert sc.points == pytest.approx(1 + 2 / 3, abs=1e-3) and sc.percent == 56
    review = missed(s)
    assert [i.template_id for i in review] == [s.items[1].template_id, s.items[2].template_id]
    assert all(i.mistakes for i in review)
    again = practise_missed(s, seed=10)
    assert [i.template_id for i in again.items] == [i.template_id for i in review]
    assert all(a.seed != b.seed for a, b in zip(again.items, review))  # new numbers
    assert again.mode == "missed" and again.id != s.id
    assert practise_missed(play(new_quiz(["iterations-per-epoch"], 1, seed=2), [["right"]]), 1) is None


def test_session_round_trips_through_json():
    s = new_quiz(["iterations-per-epoch", "accuracy"], 4, seed=11)
    s = play(s, [["wrong", "right"]])
    again = QuizSession.from_dict(json.loads(json.dumps(s.to_dict())))
    assert again == s
    q = again.question()
    assert submit(again, q.answer.value, again.step)[1].status == "correct"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["right", "wrong", "junk", "stale", "next"]), max_size=25), st.integers(0, 1000))
def test_any_sequence_of_actions_keeps_the_rules(actions, seed):
    s = new_quiz(["iterations-per-epoch", "early-stopping"], 3, seed=seed)
    for action in actions:
        if s.finished:
            break
        q = s.question()
        before = s
        if action == "next":
            s = advance(s, s.step)
            assert s.position == before.position + (1 if before.current.done else 0)
            continue
        if action == "stale":
            s2, g = submit(s, q.answer.value, s.step - 1)
            assert g is None and s2 is s
            continue
        text = {"right": q.answer.value, "wrong": wrong_answer(q), "junk": "abc"}[action]
        s, g = submit(s, text, s.step)
        if before.current.done:
            assert g is None and s is before
    for item in s.items:
        assert item.tries <= MAX_TRIES
        assert sum(a.status == "correct" for a in item.attempts) <= 1
        assert 0 <= item.points <= 1


def r(kind, first_try=True, solved=True, mistakes=()):
    return ItemResult(kind, 1, solved, 1 if first_try else 2, first_try, 1.0 if first_try else 0.67, mistakes)


def test_mastery_levels():
    k = "iterations-per-epoch"
    assert mastery([], [k])[k].level == "Not started"
    assert mastery([r(k, False, mistakes=("floor-instead-of-ceil",))], [k])[k].level == "Attempted"
    assert mastery([r(k, False), r(k), r(k), r(k)], [k])[k].level == "Proficient"
    assert mastery([r(k), r(k), r(k), r(k, False)], [k])[k].level == "Familiar"  # 3 of 4
    m = mastery([r(k, False, mistakes=("n-times-b",)), r(k, False, mistakes=("n-times-b", "floor-instead-of-ceil"))], [k])[k]
    assert m.level == "Attempted" and m.common_mistakes[0] == "n-times-b"
    # old mistakes stop counting once the latest five are right
    assert mastery([r(k, False)] * 10 + [r(k)] * 5, [k])[k].level == "Proficient"


def test_mixed_review_leans_towards_weak_kinds():
    kinds = ["iterations-per-epoch", "total-iterations", "accuracy"]
    history_ = [r("iterations-per-epoch")] * 5 + [r("total-iterations", False)] * 3
    s = mixed_review(history_, 50, seed=1, kinds=kinds)
    counts = Counter(i.template_id for i in s.items)
    assert counts["iterations-per-epoch"] < counts["total-iterations"]
    assert counts["iterations-per-epoch"] < counts["accuracy"]
    assert all(a.template_id != b.template_id for a, b in zip(s.items, s.items[1:]))
    assert s.mode == "mixed"
    every = mixed_review([], 30, seed=2)
    assert set(i.template_id for i in every.items) <= set(TEMPLATES) and len({i.template_id for i in every.items}) >= 8


# --- storage --------------------------------------------------------------------------------

@pytest.fixture
def engine():
    return db.connect()


def test_results_are_saved_once_and_load_back_in_order(engine):
    learner = create_learner(engine, "Ada")
    s = new_quiz(["iterations-per-epoch", "total-iterations"], 3, seed=12)
    s = play(s, [["right"]])
    assert history.save(engine, learner.id, s.id, s.mode, results(s)) == 1
    s = play(s, [["wrong", "right"], ["wrong", "wrong", "wrong"]])
    later = db.now() + timedelta(seconds=1)
    assert history.save(engine, learner.id, s.id, s.mode, results(s), when=later) == 2
    assert history.save(engine, learner.id, s.id, s.mode, results(s), when=later) == 0  # idempotent
    loaded = history.load(engine, learner.id)
    assert loaded == [res for _, res in results(s)]
    assert loaded[1].mistakes and loaded[2].tries == 3 and not loaded[2].solved
    (summary,) = history.summaries(engine, learner.id)
    assert (summary.questions, summary.correct, summary.mode) == (3, 2, "chosen")
    assert summary.points == pytest.approx(1 + 2 / 3, abs=0.01) and summary.finished_at.tzinfo is not None
    other = create_learner(engine, "Bob")
    assert history.load(engine, other.id) == []  # nobody sees another learner's results
    assert mastery(loaded, ["iterations-per-epoch"])["iterations-per-epoch"].seen >= 1
