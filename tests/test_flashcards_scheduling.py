"""Scheduling follows fsrs exactly, and the buttons show the interval a rating really gives."""
from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State

from engine.flashcards import schedule, store
from tests.flashcards_support import T0, deck, engine_and_learner

CARD = "cards-lesson/term/epoch/forward"


def test_due_dates_are_the_ones_fsrs_gives():
    engine, learner = engine_and_learner()
    oracle = Scheduler(enable_fuzzing=False)  # the same configuration the app uses
    expected = Card(card_id=deck().get(CARD).fsrs_id, due=T0)
    when = T0
    for rating in [Rating.Good, Rating.Good, Rating.Hard, Rating.Again, Rating.Good, Rating.Easy]:
        expected, _ = oracle.review_card(expected, rating, review_datetime=when)
        result = store.record_review(engine, learner.id, CARD, rating, now=when)
        saved = store.load_progress(engine, learner.id)[CARD].card
        assert result.review.due_after == expected.due == saved.due
        assert saved.state == expected.state and saved.stability == pytest.approx(expected.stability)
        assert saved.due.tzinfo is not None and saved.due.utcoffset() == timedelta(0)
        when = expected.due


def test_again_keeps_a_new_card_in_learning_and_brings_it_back_in_minutes():
    engine, learner = engine_and_learner()
    result = store.record_review(engine, learner.id, CARD, Rating.Again, now=T0)
    assert result.progress.state == State.Learning
    assert result.progress.due - T0 == timedelta(minutes=1)


def test_again_on_a_learned_card_sends_it_back_to_relearning():
    engine, learner = engine_and_learner()
    learned = store.record_review(engine, learner.id, CARD, Rating.Easy, now=T0)
    assert learned.progress.state == State.Review
    lapse = store.record_review(engine, learner.id, CARD, Rating.Again, now=learned.progress.due)
    assert lapse.progress.state == State.Relearning
    assert lapse.progress.due - learned.progress.due < timedelta(hours=1)
    assert lapse.progress.lapses == 1


def test_preview_matches_what_each_rating_then_gives():
    engine, learner = engine_and_learner()
    fresh = schedule.new_fsrs_card(deck().get(CARD).fsrs_id, T0)
    shown = schedule.preview(fresh, T0)
    assert [schedule.format_interval(shown[r]) for r in schedule.RATINGS] == \
        ["1 min", "6 min", "10 min", "8 d"]
    for rating in schedule.RATINGS:
        engine, learner = engine_and_learner(f"P{int(rating)}")
        result = store.record_review(engine, learner.id, CARD, rating, now=T0)
        assert result.progress.due - T0 == shown[rating]


@pytest.mark.parametrize("delta,text", [
    (timedelta(seconds=20), "1 min"), (timedelta(minutes=10), "10 min"),
    (timedelta(hours=3), "3 h"), (timedelta(days=3), "3 d"), (timedelta(days=75), "2.5 mo"),
    (timedelta(days=400), "1.1 y"), (timedelta(days=365 * 2), "2 y")])
def test_intervals_read_like_anki(delta, text):
    assert schedule.format_interval(delta) == text


def test_naive_times_are_refused():
    from datetime import datetime
    with pytest.raises(ValueError):
        schedule.ensure_utc(datetime(2025, 1, 1))


def test_rating_help_says_hard_is_not_forgotten():
    assert "not" in schedule.RATING_HELP[Rating.Hard].lower()
    assert "forgot" in schedule.RATING_HELP[Rating.Again].lower()
