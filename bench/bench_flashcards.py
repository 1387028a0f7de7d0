"""Today's queue and the 30-day forecast for a learner with 10,000 reviews.

    .venv/bin/python bench/bench_flashcards.py [--reviews 10000] [--runs 20] [--url URL]

A year of daily study is simulated with fsrs (20 new cards a day, ratings 10% Again, 10% Hard,
70% Good, 10% Easy) on a synthetic deck large enough never to run out, and written to a fresh
database (SQLite by default, or --url, e.g. PostgreSQL). Then each operation a page performs
is timed --runs times; medians are printed (milliseconds, wall clock).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fsrs import Rating, State  # noqa: E402

from engine import db  # noqa: E402
from engine.flashcards import schedule, stats, store, todays_queue  # noqa: E402
from engine.flashcards.deck import Deck, DeckCard  # noqa: E402
from engine.learners import create_learner  # noqa: E402


def synthetic_deck(n: int) -> Deck:
    cards = []
    for i in range(n // 2):
        group = f"bench/term/t{i}"
        cards.append(DeckCard(id=f"{group}/forward", lesson_id="bench", kind="term", prompt="?",
                              front=f"Term {i}", back=f"Definition {i}", sibling_group=group))
        cards.append(DeckCard(id=f"{group}/backward", lesson_id="bench", kind="term", prompt="?",
                              front=f"Definition {i}", back=f"Term {i}", sibling_group=group,
                              typable=True))
    return Deck(tuple(cards))


def simulate(deck: Deck, n_reviews: int, start: datetime, seed: int = 7):
    """Review rows and final card states, day by day, until n_reviews are done."""
    rng = random.Random(seed)
    ratings = [Rating.Again] * 1 + [Rating.Hard] * 1 + [Rating.Good] * 7 + [Rating.Easy] * 1
    states: dict[str, dict] = {}
    rows: list[dict] = []
    unseen = list(deck)
    day = 0
    while len(rows) < n_reviews:
        now = start + timedelta(days=day, hours=18)
        due = [cid for cid, s in states.items() if s["card"].due <= now]
        fresh = [unseen.pop(0).id for _ in range(min(20, len(unseen)))]
        for cid in due + fresh:
            # learning steps are short: review again within the same sitting until graduated
            for step in range(4):
                if len(rows) >= n_reviews:
                    break
                entry = states.get(cid)
                before = entry["card"] if entry else schedule.new_fsrs_card(deck.get(cid).fsrs_id, now)
                when = max(now, before.due) if entry and step else now
                rating = rng.choice(ratings)
                after, _ = schedule.review(before, rating, when)
                version = (entry["version"] + 1) if entry else 1
                rows.append({"card_id": cid, "rating": int(rating), "reviewed_at": when,
                             "duration_ms": rng.randint(2000, 15000), "was_new": entry is None,
                             "state_before": int(before.state) if entry else None,
                             "card_before": before.to_dict() if entry else None,
                             "card_after": after.to_dict(), "version_after": version,
                             "token": f"b{len(rows)}", "due_after": after.due})
                states[cid] = {"card": after, "version": version,
                               "reps": (entry["reps"] if entry else 0) + 1,
                               "lapses": (entry["lapses"] if entry else 0)
                               + (rating == Rating.Again and before.state == State.Review)}
                if after.state == State.Review:
                    break
        day += 1
    return rows, states, day


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--cards", type=int, default=8_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()

    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    engine = db.connect(url)
    learner = create_learner(engine, "Bench")
    deck = synthetic_deck(args.cards)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    t0 = time.perf_counter()
    rows, states, days = simulate(deck, args.reviews, start)
    sim_s = time.perf_counter() - t0
    with db.write(engine) as conn:
        conn.execute(store.reviews.insert(), [{"learner_id": learner.id, **r} for r in rows])
        conn.execute(store.card_states.insert(), [
            {"learner_id": learner.id, "card_id": cid, "version": s["version"], "reps": s["reps"],
             "lapses": s["lapses"], "state": int(s["card"].state), "step": s["card"].step,
             "stability": s["card"].stability, "difficulty": s["card"].difficulty,
             "due": s["card"].due, "last_review": s["card"].last_review}
            for cid, s in states.items()])
    now = start + timedelta(days=days, hours=9)
    q = todays_queue(engine, learner.id, deck, now)
    print(f"database: {db.describe(url).split('://')[0]}; {len(rows)} reviews of {len(states)} "
          f"cards over {days} days (simulated in {sim_s:.1f} s); deck {len(deck)} cards")
    print(f"today's counts at the end: {q.counts}")
    print(f"{'operation':52} {'median ms':>10}   ({args.runs} runs)")

    def queue_and_next():
        todays_queue(engine, learner.id, deck, now).next_card(now)

    def forecast_and_chart():
        progress = store.load_progress(engine, learner.id)
        stats.forecast_chart(stats.forecast(progress, now, deck=deck)).to_dict()

    all_reviews = store.load_reviews(engine, learner.id)
    results = {
        "today's queue (load progress + today's reviews, build)": timed(queue_and_next, args.runs),
        "30-day forecast (load progress, count, Altair spec)": timed(forecast_and_chart, args.runs),
        "load the whole review log (10,000 rows)": timed(lambda: store.load_reviews(engine, learner.id), args.runs),
        "true retention over the log (in memory)": timed(lambda: stats.true_retention(all_reviews), args.runs),
    }
    cards = iter(c.id for c in deck if c.id not in states)
    results["save one rating (a new card, one transaction)"] = timed(
        lambda: store.record_review(engine, learner.id, next(cards), Rating.Good, now=now), args.runs)
    for name, ms in results.items():
        print(f"{name:52} {ms:10.1f}")


if __name__ == "__main__":
    main()
