"""Statistics: the due forecast, true retention, a session summary, a card's history."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import altair as alt
import pandas as pd
from fsrs import Rating, State

from . import schedule
from .deck import Deck
from .queue import local_day
from .store import Progress, Review

FORECAST_DAYS = 30


def forecast(progress: dict[str, Progress], now: datetime, tz_name: str | None = None,
             days: int = FORECAST_DAYS, deck: Deck | None = None) -> list[tuple[date, int]]:
    """How many cards fall due on each of the next `days` local days (overdue ones count
    today). With a deck, progress on cards no longer in it is left out."""
    today = local_day(now, tz_name)
    counts: Counter[int] = Counter()
    for card_id, p in progress.items():
        if deck is not None and deck.get(card_id) is None:
            continue
        offset = (local_day(p.due, tz_name) - today).days
        if offset < days:
            counts[max(offset, 0)] += 1
    return [(today + timedelta(days=i), counts.get(i, 0)) for i in range(days)]


def forecast_chart(points: list[tuple[date, int]]) -> alt.Chart:
    data = pd.DataFrame({"day": [d.isoformat() for d, _ in points],
                         "cards": [n for _, n in points]})
    data["when"] = ["today" if i == 0 else ("tomorrow" if i == 1 else f"in {i} days")
                    for i in range(len(points))]
    return (alt.Chart(data, title="Cards due in the next 30 days")
            .mark_bar()
            .encode(x=alt.X("day:T", title=None, axis=alt.Axis(format="%d %b")),
                    y=alt.Y("cards:Q", title="Cards due", axis=alt.Axis(tickMinStep=1)),
                    tooltip=[alt.Tooltip("when:N", title="When"),
                             alt.Tooltip("day:T", title="Date", format="%a %d %b"),
                             alt.Tooltip("cards:Q", title="Cards due")])
            .properties(height=220))


@dataclass(frozen=True)
class Retention:
    remembered: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.remembered / self.total if self.total else None


def true_retention(reviews: list[Review], since: datetime | None = None) -> Retention:
    """Share of reviews of already-learned cards (review state) not rated Again, as Anki's
    "true retention": learning steps are practice, not tests of memory."""
    tested = [r for r in reviews if r.state_before == State.Review
              and (since is None or r.reviewed_at >= schedule.ensure_utc(since))]
    return Retention(sum(r.rating != Rating.Again for r in tested), len(tested))


@dataclass(frozen=True)
class SessionSummary:
    reviewed: int
    cards: int
    new_cards: int
    by_rating: dict[str, int]
    minutes: float
    retention: Retention

    @property
    def remembered_share(self) -> float | None:
        return 1 - self.by_rating["Again"] / self.reviewed if self.reviewed else None


def session_summary(reviews: list[Review]) -> SessionSummary:
    counts = Counter(r.rating.name for r in reviews)
    span = (max(r.reviewed_at for r in reviews) - min(r.reviewed_at for r in reviews)) if reviews else timedelta(0)
    return SessionSummary(
        reviewed=len(reviews), cards=len({r.card_id for r in reviews}),
        new_cards=sum(r.was_new for r in reviews),
        by_rating={r.name: counts.get(r.name, 0) for r in schedule.RATINGS},
        minutes=span.total_seconds() / 60, retention=true_retention(reviews))


def card_history_rows(reviews: list[Review]) -> list[dict]:
    """A card's reviews in the student's words, oldest first."""
    rows = []
    for r in reviews:
        rows.append({"when (UTC)": r.reviewed_at.strftime("%Y-%m-%d %H:%M"),
                     "rating": r.rating.name,
                     "card was": r.state_before.name.lower() if r.state_before else "new",
                     "next due (UTC)": r.due_after.strftime("%Y-%m-%d %H:%M"),
                     "interval": schedule.format_interval(r.due_after - r.reviewed_at)})
    return rows
