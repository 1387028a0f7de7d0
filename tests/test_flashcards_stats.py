"""Statistics: the 30-day forecast, true retention, the session summary, a card's history."""
from __future__ import annotations

import json
from datetime import timedelta

from fsrs import Rating

from engine.flashcards import stats, store
from tests.flashcards_support import T0, engine_and_learner

CARD = "cards-lesson/term/epoch/forward"
OTHER = "cards-lesson/term/iteration/forward"


def test_forecast_counts_cards_on_their_due_day_by_kind():
    engine, learner = engine_and_learner()
    easy = store.record_review(engine, learner.id, CARD, Rating.Easy, now=T0)      # due in 8 d
    store.record_review(engine, learner.id, OTHER, Rating.Again, now=T0)          # due today
    points = stats.forecast(store.load_progress(engine, learner.id), T0)
    assert len(points) == 30 and points[0].day == T0.date()
    by_day = {p.day: p for p in points}
    assert (by_day[T0.date()].learning, by_day[T0.date()].review) == (1, 0)
    later = by_day[easy.progress.due.date()]
    assert (later.learning, later.review, later.cards) == (0, 1, 1)
    assert sum(p.cards for p in points) == 2


def test_overdue_cards_count_today_and_far_ones_are_left_out():
    engine, learner = engine_and_learner()
    store.record_review(engine, learner.id, CARD, Rating.Easy, now=T0)
    progress = store.load_progress(engine, learner.id)
    assert stats.forecast(progress, T0 + timedelta(days=40))[0].cards == 1
    assert sum(p.cards for p in stats.forecast(progress, T0, days=5)) == 0


def test_forecast_chart_has_day_bands_a_legend_and_tooltips():
    engine, learner = engine_and_learner()
    store.record_review(engine, learner.id, CARD, Rating.Again, now=T0)
    store.record_review(engine, learner.id, OTHER, Rating.Easy, now=T0)
    spec = stats.forecast_chart(stats.forecast(store.load_progress(engine, learner.id), T0)).to_dict()
    json.dumps(spec)
    assert spec["mark"]["type"] == "bar"
    enc = spec["encoding"]
    # One band per day (ordinal, in date order): bars as wide as the day, not a 1-px sliver
    # on a continuous time axis.
    assert enc["x"]["type"] == "ordinal" and enc["x"]["title"] == "Day"
    assert enc["x"]["sort"][:2] == ["Mon 6 Jan", "Tue 7 Jan"] and len(enc["x"]["sort"]) == 30
    assert enc["y"]["title"] == "Cards due"
    # The height is the plot's own: under Streamlit's default autosize "fit" the legend, title
    # and slanted labels were taken out of it, leaving a plot a few pixels tall.
    assert spec["autosize"]["type"] == "fit-x" and spec["height"] >= 150
    # A legend in plain words for the two kinds of card.
    assert enc["color"]["scale"]["domain"] == ["Still learning", "Review of a learned card"]
    assert enc["color"].get("legend") is not None
    assert {t["title"] for t in enc["tooltip"]} >= {"Day", "Still learning",
                                                    "Review of a learned card", "All cards due"}
    values = next(iter(spec["datasets"].values()))
    today = [v for v in values if v["day"] == "Mon 6 Jan"]
    assert {v["kind"]: v["cards"] for v in today} == {"Still learning": 1, "Review of a learned card": 0}
    assert today[0]["when"] == "today" and today[0]["total"] == 1
    in_8 = [v for v in values if v["when"] == "in 8 days"]
    assert {v["kind"]: v["cards"] for v in in_8} == {"Still learning": 0, "Review of a learned card": 1}


def test_true_retention_counts_only_learned_cards_not_again():
    engine, learner = engine_and_learner()
    r = store.record_review(engine, learner.id, CARD, Rating.Easy, now=T0)          # learning: not counted
    r = store.record_review(engine, learner.id, CARD, Rating.Good, now=r.progress.due)   # remembered
    r = store.record_review(engine, learner.id, CARD, Rating.Again, now=r.progress.due)  # forgotten
    retention = stats.true_retention(store.load_reviews(engine, learner.id))
    assert (retention.remembered, retention.total) == (1, 2) and retention.rate == 0.5
    assert stats.true_retention([]).rate is None


def test_session_summary_counts_ratings():
    engine, learner = engine_and_learner()
    ids = [store.record_review(engine, learner.id, c, r, now=T0 + timedelta(minutes=i)).review.id
           for i, (c, r) in enumerate([(CARD, Rating.Good), (OTHER, Rating.Again), (OTHER, Rating.Good)])]
    s = stats.session_summary(store.load_reviews(engine, learner.id, ids=ids))
    assert (s.reviewed, s.cards, s.new_cards) == (3, 2, 2)
    assert s.by_rating == {"Again": 1, "Hard": 0, "Good": 2, "Easy": 0}
    assert s.minutes == 2 and abs(s.remembered_share - 2 / 3) < 1e-9


def test_card_history_lists_each_review():
    engine, learner = engine_and_learner()
    r = store.record_review(engine, learner.id, CARD, Rating.Good, now=T0)
    store.record_review(engine, learner.id, CARD, Rating.Good, now=r.progress.due)
    rows = stats.card_history_rows(store.load_reviews(engine, learner.id, card_id=CARD))
    assert [(x["rating"], x["card was"], x["interval"]) for x in rows] == \
        [("Good", "new", "10 min"), ("Good", "learning", "2 d")]


def test_retention_counted_in_the_database_matches_the_log():
    engine, learner = engine_and_learner()
    r = store.record_review(engine, learner.id, CARD, Rating.Easy, now=T0)
    for rating in [Rating.Good, Rating.Again, Rating.Good, Rating.Good]:
        r = store.record_review(engine, learner.id, CARD, rating, now=r.progress.due)
    in_memory = stats.true_retention(store.load_reviews(engine, learner.id))
    assert store.retention_counts(engine, learner.id) == (in_memory.remembered, in_memory.total)
    assert store.retention_counts(engine, learner.id, since=r.review.reviewed_at + timedelta(seconds=1)) == (0, 0)
    assert store.count_reviews(engine, learner.id) == 5
