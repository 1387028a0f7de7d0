"""Statistics: the due forecast, true retention, a session summary, a card's history."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple
from datetime import date, datetime, timedelta

import altair as alt
import pandas as pd
from fsrs import Rating, State

from . import schedule
from .deck import Deck
from .queue import local_day
from .store import Progress, Review

FORECAST_DAYS = 30


class ForecastDay(NamedTuple):
    day: date
    learning: int   # cards still in their first short steps (or relearning after Again)
    review: int     # cards already learned, coming back for a review

    @property
    def cards(self) -> int:
        return self.learning + self.review


# The chart's words for the two kinds, as a grade-8 student would say them.
KIND_LABELS = {"learning": "Still learning", "review": "Review of a learned card"}


def forecast(progress: dict[str, Progress], now: datetime, tz_name: str | None = None,
             days: int = FORECAST_DAYS, deck: Deck | None = None) -> list[ForecastDay]:
    """How many cards fall due on each of the next `days` local days (overdue ones count
    today), split into learning and review cards. With a deck, progress on cards no longer
    in it is left out."""
    today = local_day(now, tz_name)
    counts: dict[str, Counter[int]] = {"learning": Counter(), "review": Counter()}
    for card_id, p in progress.items():
        if deck is not None and deck.get(card_id) is None:
            continue
        offset = (local_day(p.due, tz_name) - today).days
        if offset < days:
            kind = "learning" if p.state in (State.Learning, State.Relearning) else "review"
            counts[kind][max(offset, 0)] += 1
    return [ForecastDay(today + timedelta(days=i), counts["learning"].get(i, 0),
                        counts["review"].get(i, 0)) for i in range(days)]


def _when(offset: int) -> str:
    return "today" if offset == 0 else ("tomorrow" if offset == 1 else f"in {offset} days")


def forecast_chart(points: list[ForecastDay]) -> alt.Chart:
    """Stacked bars, one per day, learning and review cards in two colours with a legend.

    The x axis is ordinal (one band per day, labels written here) rather than temporal:
    bars get the full band width, and a date string is never re-read in the browser's
    timezone (which moves "2025-01-06" to the 5th west of UTC)."""
    rows = []
    for i, p in enumerate(points):
        label = f"{p.day:%a} {p.day.day} {p.day:%b}"
        for kind in ("learning", "review"):
            rows.append({"day": label, "date": p.day.isoformat(), "when": _when(i),
                         "kind": KIND_LABELS[kind], "cards": getattr(p, kind),
                         "learning": p.learning, "review": p.review, "total": p.cards})
    data = pd.DataFrame(rows, columns=["day", "date", "when", "kind", "cards", "learning",
                                       "review", "total"])
    order = [f"{p.day:%a} {p.day.day} {p.day:%b}" for p in points]
    kinds = list(KIND_LABELS.values())
    return (alt.Chart(data, title=f"Cards due in the next {len(points)} days")
            .mark_bar()
            .encode(x=alt.X("day:O", sort=order, title="Day",
                            scale=alt.Scale(paddingInner=0.15),
                            axis=alt.Axis(labelAngle=-45)),
                    y=alt.Y("sum(cards):Q", title="Cards due", stack="zero",
                            axis=alt.Axis(tickMinStep=1)),
                    color=alt.Color("kind:N", title=None,
                                    scale=alt.Scale(domain=kinds, range=["#f58518", "#4c78a8"]),
                                    legend=alt.Legend(orient="top")),
                    order=alt.Order("kind:N", sort="descending"),
                    tooltip=[alt.Tooltip("day:O", title="Day"),
                             alt.Tooltip("when:N", title="When"),
                             alt.Tooltip("learning:Q", title=KIND_LABELS["learning"]),
                             alt.Tooltip("review:Q", title=KIND_LABELS["review"]),
                             alt.Tooltip("total:Q", title="All cards due")])
            # fit-x: the width follows the page, and the height is the plot's own. Under
            # Streamlit's default "fit" the title, legend and slanted day labels are taken
            # out of the height too, which left a plot a few pixels tall.
            .properties(height=200, autosize=alt.AutoSizeParams(type="fit-x", contains="padding")))


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
