"""Scheduling by the `fsrs` package, and the interval each rating button would give.

Fuzzing is off on purpose: each button shows the exact interval its rating gives ("3 d"), and
the student then sees that very due date. (fsrs fuzz draws from the global `random`, so a
preview could not match the real review.) Siblings are kept apart by the queue instead.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fsrs import Card, Rating, Scheduler, State

SCHEDULER = Scheduler(enable_fuzzing=False)

RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)

# What each button means, in the student's words (Hard is NOT "I forgot").
RATING_HELP = {
    Rating.Again: "I forgot, or got it wrong. The card comes back in a few minutes.",
    Rating.Hard: "I remembered, but only with real effort. Not for a forgotten answer.",
    Rating.Good: "I remembered after a moment's thought.",
    Rating.Easy: "I knew it instantly. The card waits much longer.",
}


def ensure_utc(when: datetime | None) -> datetime:
    if when is None:
        return datetime.now(timezone.utc)
    if when.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return when.astimezone(timezone.utc)


def new_fsrs_card(fsrs_id: int, now: datetime) -> Card:
    return Card(card_id=fsrs_id, state=State.Learning, step=0, due=ensure_utc(now))


def review(card: Card, rating: Rating, now: datetime, duration_ms: int | None = None):
    """The card after this rating and fsrs's review log; the input card is left untouched."""
    return SCHEDULER.review_card(card, Rating(rating), review_datetime=ensure_utc(now),
                                 review_duration=duration_ms)


def preview(card: Card, now: datetime) -> dict[Rating, timedelta]:
    """How long until the card returns, for each rating (fsrs copies, never mutates)."""
    now = ensure_utc(now)
    return {r: review(card, r, now)[0].due - now for r in RATINGS}


def format_interval(delta: timedelta) -> str:
    """"1 min", "10 min", "3 h", "3 d", "2.5 mo", "1.2 y", as on Anki's buttons."""
    seconds = max(delta.total_seconds(), 0)
    minutes = seconds / 60
    if minutes < 59.5:
        return f"{max(1, round(minutes))} min"
    hours = minutes / 60
    if hours < 23.5:
        return f"{round(hours)} h"
    days = hours / 24
    if days < 30.5:
        return f"{round(days)} d"
    if days < 365:
        return f"{days / 30.4:.1f} mo".replace(".0 mo", " mo")
    return f"{days / 365:.1f} y".replace(".0 y", " y")


def is_learning(card: Card) -> bool:
    return card.state in (State.Learning, State.Relearning)
