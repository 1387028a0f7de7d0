"""Saved progress: undo, a double click rates once, two tabs lose nothing, restarts keep all."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from fsrs import Rating, State

from engine import db
from engine.flashcards import store, todays_queue
from engine.learners import create_learner, resume
from tests.flashcards_support import T0, deck, engine_and_learner

CARD = "cards-lesson/term/epoch/forward"
OTHER = "cards-lesson/term/iteration/forward"


def test_undo_puts_the_card_back_as_it_was():
    engine, learner = engine_and_learner()
    first = store.record_review(engine, learner.id, CARD, Rating.Good, now=T0)
    before = store.load_progress(engine, learner.id)[CARD]
    second = store.record_review(engine, learner.id, CARD, Rating.Again, now=first.progress.due)
    assert store.load_progress(engine, learner.id)[CARD].card.step != before.card.step or \
        store.load_progress(engine, learner.id)[CARD].due != before.due
    assert store.undo_review(engine, learner.id, second.review.id) == CARD
    restored = store.load_progress(engine, learner.id)[CARD]
    assert restored.card == before.card and restored.reps == before.reps
    assert [r.id for r in store.load_reviews(engine, learner.id)] == [first.review.id]


def test_undoing_a_new_cards_first_rating_makes_it_new_again_and_frees_the_daily_slot():
    engine, learner = engine_and_learner()
    store.save_settings(engine, learner.id, store.Settings(new_per_day=1))
    d = deck()
    card = todays_queue(engine, learner.id, d, T0).next_card(T0)
    result = store.record_review(engine, learner.id, card.id, Rating.Easy, now=T0)
    assert todays_queue(engine, learner.id, d, T0).counts["new"] == 0
    store.undo_review(engine, learner.id, result.review.id)
    assert CARD not in store.load_progress(engine, learner.id)
    again = todays_queue(engine, learner.id, d, T0)
    assert again.counts["new"] == 1 and again.next_card(T0).id == card.id


def test_undo_is_refused_when_the_card_was_reviewed_since_or_already_undone():
    engine, learner = engine_and_learner()
    first = store.record_review(engine, learner.id, CARD, Rating.Good, now=T0)
    store.record_review(engine, learner.id, CARD, Rating.Good, now=first.progress.due)
    with pytest.raises(store.UndoRefused, match="reviewed again"):
        store.undo_review(engine, learner.id, first.review.id)
    with pytest.raises(store.UndoRefused, match="already undone"):
        store.undo_review(engine, learner.id, 999_999)


def test_a_double_click_rates_once():
    engine, learner = engine_and_learner()
    one = store.record_review(engine, learner.id, CARD, Rating.Good, token="shown-1", now=T0)
    two = store.record_review(engine, learner.id, CARD, Rating.Good, token="shown-1",
                              now=T0 + timedelta(milliseconds=150))
    assert not one.duplicate and two.duplicate and two.review.id == one.review.id
    assert len(store.load_reviews(engine, learner.id)) == 1
    assert store.load_progress(engine, learner.id)[CARD].reps == 1


def test_double_click_from_threads_still_rates_once():
    engine, learner = engine_and_learner()
    barrier = threading.Barrier(6)
    results = []

    def click():
        barrier.wait()
        results.append(store.record_review(engine, learner.id, CARD, Rating.Good, token="same"))

    threads = [threading.Thread(target=click) for _ in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sum(not r.duplicate for r in results) == 1
    assert len(store.load_reviews(engine, learner.id)) == 1


def test_two_tabs_reviewing_at_once_lose_no_review():
    engine, learner = engine_and_learner()
    n_threads, per_thread = 6, 10
    barrier = threading.Barrier(n_threads)
    errors = []

    def tab(i):
        barrier.wait()
        try:
            for j in range(per_thread):
                # Both tabs hammer the same two cards: every rating must land.
                store.record_review(engine, learner.id, CARD if j % 2 else OTHER,
                                    Rating.Good if (i + j) % 3 else Rating.Hard, token=f"tab{i}-{j}")
        except Exception as exc:  # reported below, not swallowed
            errors.append(exc)

    threads = [threading.Thread(target=tab, args=(i,)) for i in range(n_threads)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    logs = store.load_reviews(engine, learner.id)
    assert len(logs) == n_threads * per_thread
    progress = store.load_progress(engine, learner.id)
    assert progress[CARD].reps + progress[OTHER].reps == n_threads * per_thread
    assert progress[CARD].version == progress[CARD].reps  # every write built on the last


def test_progress_survives_a_restart(tmp_path):
    url = f"sqlite:///{tmp_path / 'keep.sqlite3'}"
    engine = db.connect(url)
    learner = create_learner(engine, "Ada")
    store.record_review(engine, learner.id, CARD, Rating.Easy, now=T0)
    store.save_settings(engine, learner.id, store.Settings(new_per_day=7, typed_answers=True))
    engine.dispose()

    restarted = db.connect(url)
    same = resume(restarted, learner.code)
    progress = store.load_progress(restarted, same.id)
    assert progress[CARD].state == State.Review and progress[CARD].due > T0 + timedelta(days=1)
    assert progress[CARD].due.tzinfo is not None
    assert store.load_settings(restarted, same.id) == store.Settings(7, True)


def test_learners_do_not_see_each_others_progress():
    engine, ada = engine_and_learner("Ada")
    bob = create_learner(engine, "Bob")
    store.record_review(engine, ada.id, CARD, Rating.Good, now=T0)
    assert store.load_progress(engine, bob.id) == {}
    # The same review token from another learner is a different review.
    store.record_review(engine, ada.id, OTHER, Rating.Good, token="t", now=T0)
    assert not store.record_review(engine, bob.id, OTHER, Rating.Good, token="t", now=T0).duplicate


def test_settings_are_checked():
    engine, learner = engine_and_learner()
    with pytest.raises(ValueError, match="between 0 and"):
        store.save_settings(engine, learner.id, store.Settings(new_per_day=-1))


def test_stored_times_are_utc_in_the_database_itself():
    engine, learner = engine_and_learner()
    store.record_review(engine, learner.id, CARD, Rating.Good, now=T0)
    with engine.connect() as conn:
        raw = conn.execute(sa.text("select reviewed_at from flashcard_reviews")).scalar_one()
    assert str(raw).startswith("2025-01-06 09:00:00")


def test_upgrading_from_the_first_schema_fills_in_due_dates(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    full = db._migrations["flashcards"]
    monkeypatch.setitem(db._migrations, "flashcards", full[:1])  # the first release
    engine = db.connect(url)
    learner = create_learner(engine, "Early bird")
    with db.write(engine) as conn:  # v1 now creates today's table: make it the first release's
        conn.exec_driver_sql("ALTER TABLE flashcard_reviews DROP COLUMN due_after")
    assert "due_after" not in {c["name"] for c in sa.inspect(engine).get_columns("flashcard_reviews")}
    with db.write(engine) as conn:  # a review as the first release saved it
        conn.exec_driver_sql(
            "INSERT INTO flashcard_reviews (learner_id, card_id, rating, reviewed_at, was_new, "
            "card_after, version_after) VALUES (?, ?, 3, '2025-01-06 09:00:00.000000', 1, ?, 1)",
            (learner.id, CARD, '{"card_id": 1, "state": 1, "step": 1, "stability": 2.3, '
             '"difficulty": 2.1, "due": "2025-01-06T09:10:00+00:00", "last_review": '
             '"2025-01-06T09:00:00+00:00"}'))
    engine.dispose()
    monkeypatch.setitem(db._migrations, "flashcards", full)       # the current release
    upgraded = db.connect(url)
    assert db.versions(upgraded)["flashcards"] == len(full)
    (review,) = store.load_reviews(upgraded, learner.id)
    assert review.due_after == T0 + timedelta(minutes=10)
