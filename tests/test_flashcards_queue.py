"""Today's queue: new-cards-per-day limit, siblings apart, learning first, local days."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fsrs import Rating

from engine.flashcards import build_deck, store, todays_queue
from engine.flashcards.deck import Deck, DeckCard
from engine.flashcards.queue import day_bounds
from tests.flashcards_support import T0, deck, engine_and_learner, lesson


def review_through(engine, learner, d, now, rating=Rating.Good, limit=100):
    """Rate every card the queue offers until it is empty; return the ids seen."""
    seen = []
    for _ in range(limit):
        card = todays_queue(engine, learner.id, d, now).next_card(now)
        if card is None:
            return seen
        seen.append(card.id)
        store.record_review(engine, learner.id, card.id, rating, now=now)
    raise AssertionError("queue never emptied")


def test_new_cards_per_day_limit_is_respected_and_resets_tomorrow():
    engine, learner = engine_and_learner()
    store.save_settings(engine, learner.id, store.Settings(new_per_day=3))
    d = deck()
    q = todays_queue(engine, learner.id, d, T0)
    assert q.counts["new"] == 3
    # Easy sends a new card straight to review, so only the limit decides what comes next.
    seen = review_through(engine, learner, d, T0, rating=Rating.Easy)
    assert len(seen) == 3
    assert todays_queue(engine, learner.id, d, T0 + timedelta(hours=5)).counts["new"] == 0
    tomorrow = todays_queue(engine, learner.id, d, T0 + timedelta(days=1))
    assert tomorrow.counts["new"] == 3 and not set(c.id for c in tomorrow.new) & set(seen)


def test_default_limit_is_twenty():
    big = Deck(tuple(DeckCard(id=f"big/card/c{i}", lesson_id="big", kind="card", prompt="?",
                              front=f"Q{i}", back=f"A{i}") for i in range(30)))
    engine, learner = engine_and_learner()
    assert store.load_settings(engine, learner.id).new_per_day == 20
    assert todays_queue(engine, learner.id, big, T0).counts["new"] == 20


def test_limit_zero_shows_no_new_cards_but_still_reviews():
    engine, learner = engine_and_learner()
    d = deck()
    store.record_review(engine, learner.id, "cards-lesson/card/updates-1000-100", Rating.Easy, now=T0)
    store.save_settings(engine, learner.id, store.Settings(new_per_day=0))
    later = T0 + timedelta(days=30)
    q = todays_queue(engine, learner.id, d, later)
    assert q.counts == {"new": 0, "learning": 0, "due": 1}
    assert q.next_card(later).id == "cards-lesson/card/updates-1000-100"


def test_both_directions_of_a_term_never_come_up_the_same_day():
    engine, learner = engine_and_learner()
    d = deck()
    seen = review_through(engine, learner, d, T0, rating=Rating.Easy)
    groups = [d.get(c).sibling_group for c in seen if d.get(c).sibling_group]
    assert len(groups) == len(set(groups)) == 4
    # Tomorrow the other directions are offered.
    tomorrow = review_through(engine, learner, d, T0 + timedelta(days=1), rating=Rating.Easy)
    assert any(c.endswith("/backward") for c in tomorrow)
    assert not any(c.endswith("/forward") for c in tomorrow)


def test_a_due_review_card_waits_when_its_sibling_was_reviewed_today():
    engine, learner = engine_and_learner()
    d = deck()
    fwd, back = "cards-lesson/term/epoch/forward", "cards-lesson/term/epoch/backward"
    store.record_review(engine, learner.id, fwd, Rating.Easy, now=T0)
    store.record_review(engine, learner.id, back, Rating.Easy, now=T0 + timedelta(days=1))
    progress = store.load_progress(engine, learner.id)
    both_due = max(progress[fwd].due, progress[back].due) + timedelta(hours=1)
    q = todays_queue(engine, learner.id, d, both_due)
    assert [c.id for c in q.review] in ([fwd], [back])  # only one of the pair today
    first = q.review[0].id
    store.record_review(engine, learner.id, first, Rating.Good, now=both_due)
    after = todays_queue(engine, learner.id, d, both_due)
    assert all(c.sibling_group != d.get(fwd).sibling_group for c in after.review)


def test_learning_cards_come_first_and_learn_ahead_when_nothing_else_is_left():
    engine, learner = engine_and_learner()
    store.save_settings(engine, learner.id, store.Settings(new_per_day=1))
    d = deck()
    first = todays_queue(engine, learner.id, d, T0).next_card(T0)
    store.record_review(engine, learner.id, first.id, Rating.Good, now=T0)  # due in 10 min
    q = todays_queue(engine, learner.id, d, T0 + timedelta(minutes=1))
    assert q.counts == {"new": 0, "learning": 1, "due": 0}
    assert q.next_card(T0 + timedelta(minutes=1)).id == first.id  # within the 20-min window
    assert q.next_card(T0 + timedelta(minutes=1), learn_ahead=timedelta(0)) is None
    assert q.next_learning_at == T0 + timedelta(minutes=10)


def test_day_follows_the_learners_timezone():
    # 09:00 UTC on Monday is 22:00 Monday in Auckland (UTC+13 in January): that day began
    # at 11:00 UTC on Sunday.
    start, end = day_bounds(T0, "Pacific/Auckland")
    assert start == datetime(2025, 1, 5, 11, 0, tzinfo=timezone.utc)
    assert end - start == timedelta(days=1)
    assert day_bounds(T0, "Not/AZone") == day_bounds(T0, "UTC")


def test_a_removed_card_disappears_without_breaking_anything():
    engine, learner = engine_and_learner()
    full = deck()
    store.record_review(engine, learner.id, "cards-lesson/term/epoch/forward", Rating.Again, now=T0)
    original = lesson()
    smaller = build_deck(original.model_copy(update={"glossary": original.glossary[1:]}))
    q = todays_queue(engine, learner.id, smaller, T0 + timedelta(minutes=5))
    assert all("epoch/" not in c.id for c in (*q.learning_now, *q.review, *q.new))
    assert len(full) - len(smaller) == 2


def test_typed_answers_on_puts_cards_that_take_a_typed_answer_first():
    engine, learner = engine_and_learner()
    d = deck()
    store.save_settings(engine, learner.id, store.Settings(new_per_day=4))
    plain = todays_queue(engine, learner.id, d, T0)
    assert [c.typable for c in plain.new] == [False] * 4 and plain.typable_today == 0
    store.save_settings(engine, learner.id, store.Settings(new_per_day=4, typed_answers=True))
    typed = todays_queue(engine, learner.id, d, T0)
    assert [c.id.rsplit("/", 1)[-1] for c in typed.new] == ["backward"] * 4
    assert typed.typable_today == 4
    # Siblings still apart: no forward card of those terms today.
    assert len({c.sibling_group for c in typed.new}) == 4


def test_the_queue_knows_what_comes_after_today():
    engine, learner = engine_and_learner()
    d = deck()
    store.save_settings(engine, learner.id, store.Settings(new_per_day=1))
    easy = store.record_review(engine, learner.id, d.cards[0].id, Rating.Easy, now=T0)
    q = todays_queue(engine, learner.id, d, T0)
    assert q.next_card(T0) is None and q.unseen == len(d) - 1
    assert q.next_due_later == easy.progress.due
    assert q.holds(d.cards[0].id) is False
    assert todays_queue(engine, learner.id, d, T0 + timedelta(days=1)).holds(d.cards[1].id)
