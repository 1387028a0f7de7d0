"""Saved flashcard progress: each card's fsrs state per learner, every review, settings.

Ratings are safe against double clicks and against two tabs reviewing at once:
- every shown card carries a random review token; a rating whose token was already used is
  the same click arriving twice, and is answered with the first result instead of a second
  review (a unique index on (learner, token) enforces it even across processes);
- each card's state row has a version number; a review reads the row (locked on PostgreSQL,
  under SQLite's write lock on SQLite) and writes it back only if the version is unchanged
  (compare-and-set); otherwise it re-reads and re-applies the rating on top of the newer
  state, so a review from the other tab is never overwritten.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime

import sqlalchemy as sa
from fsrs import Card, Rating, State
from sqlalchemy.engine import Connection, Engine

from engine import db
from engine.learners import learners

from . import schedule
from .deck import DeckCard

DEFAULT_NEW_PER_DAY = 20
MAX_NEW_PER_DAY = 500
MAX_ATTEMPTS = 20

card_states = sa.Table(
    "flashcard_states", db.metadata,
    sa.Column("learner_id", sa.Integer, sa.ForeignKey(learners.c.id, ondelete="CASCADE"),
              primary_key=True),
    sa.Column("card_id", sa.String(200), primary_key=True),
    sa.Column("state", sa.Integer, nullable=False),          # fsrs State: 1 learning, 2 review, 3 relearning
    sa.Column("step", sa.Integer, nullable=True),
    sa.Column("stability", sa.Float, nullable=True),
    sa.Column("difficulty", sa.Float, nullable=True),
    sa.Column("due", db.UTCDateTime, nullable=False),
    sa.Column("last_review", db.UTCDateTime, nullable=True),
    sa.Column("reps", sa.Integer, nullable=False, server_default="0"),
    sa.Column("lapses", sa.Integer, nullable=False, server_default="0"),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Index("ix_flashcard_states_due", "learner_id", "due"),
)

reviews = sa.Table(
    "flashcard_reviews", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("learner_id", sa.Integer, sa.ForeignKey(learners.c.id, ondelete="CASCADE"),
              nullable=False),
    sa.Column("card_id", sa.String(200), nullable=False),
    sa.Column("rating", sa.Integer, nullable=False),          # fsrs Rating: 1 Again … 4 Easy
    sa.Column("reviewed_at", db.UTCDateTime, nullable=False),
    sa.Column("duration_ms", sa.Integer, nullable=True),
    sa.Column("was_new", sa.Boolean, nullable=False),
    sa.Column("state_before", sa.Integer, nullable=True),     # None for a new card
    sa.Column("card_before", sa.JSON, nullable=True),         # fsrs Card.to_dict(), for undo
    sa.Column("card_after", sa.JSON, nullable=False),
    sa.Column("version_after", sa.Integer, nullable=False),
    sa.Column("typed_verdict", sa.String(10), nullable=True),
    sa.Column("token", sa.String(64), nullable=True),
    sa.Column("due_after", db.UTCDateTime, nullable=True),     # v2: saves parsing card_after
    sa.Index("ix_flashcard_reviews_time", "learner_id", "reviewed_at"),
    sa.Index("ix_flashcard_reviews_card", "learner_id", "card_id"),
    sa.Index("ux_flashcard_reviews_token", "learner_id", "token", unique=True),
)

settings = sa.Table(
    "flashcard_settings", db.metadata,
    sa.Column("learner_id", sa.Integer, sa.ForeignKey(learners.c.id, ondelete="CASCADE"),
              primary_key=True),
    sa.Column("new_per_day", sa.Integer, nullable=False),
    sa.Column("typed_answers", sa.Boolean, nullable=False),
)


def _v1(conn: Connection) -> None:
    for table in (card_states, reviews, settings):
        db.create_table(conn, table)


def _v2(conn: Connection) -> None:
    # Reading the log used to parse card_after's JSON for each row's due date (slow at
    # 10,000 reviews); keep it in a column, filled in for reviews saved before.
    db.add_column(conn, reviews, sa.Column("due_after", db.UTCDateTime, nullable=True))
    rows = conn.execute(sa.select(reviews.c.id, reviews.c.card_after)
                        .where(reviews.c.due_after.is_(None))).all()
    for row in rows:
        conn.execute(reviews.update().where(reviews.c.id == row.id)
                     .values(due_after=Card.from_dict(row.card_after).due))


db.register("flashcards", [_v1, _v2])


# --- records --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Progress:
    """One card's saved state for one learner."""

    card_id: str
    card: Card          # the fsrs card (due, stability, difficulty, state, step)
    reps: int
    lapses: int
    version: int

    @property
    def due(self) -> datetime:
        return self.card.due

    @property
    def state(self) -> State:
        return self.card.state


@dataclass(frozen=True)
class Review:
    id: int
    card_id: str
    rating: Rating
    reviewed_at: datetime
    was_new: bool
    state_before: State | None
    due_after: datetime
    duration_ms: int | None = None
    typed_verdict: str | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "card_id": self.card_id, "rating": int(self.rating),
                "rating_name": self.rating.name, "reviewed_at": self.reviewed_at.isoformat(),
                "was_new": self.was_new,
                "state_before": self.state_before.name if self.state_before else "New",
                "due_after": self.due_after.isoformat(), "duration_ms": self.duration_ms,
                "typed_verdict": self.typed_verdict}


@dataclass(frozen=True)
class ReviewResult:
    review: Review
    progress: Progress
    duplicate: bool = False   # True when this was the same click arriving again


@dataclass(frozen=True)
class Settings:
    new_per_day: int = DEFAULT_NEW_PER_DAY
    typed_answers: bool = False


class ReviewConflict(Exception):
    """The card changed between reading and writing; the review is retried."""


class StaleShowing(ValueError):
    """The rating answers a showing of the card that is no longer current: the card was rated
    since (in another tab, or before a restart), so this rating is not added on top."""


class UndoRefused(ValueError):
    """The review cannot be undone (already undone, or the card was reviewed since)."""


# --- conversions ----------------------------------------------------------------------------

def _card_from_row(row, fsrs_id: int) -> Card:
    return Card(card_id=fsrs_id, state=State(row.state), step=row.step,
                stability=row.stability, difficulty=row.difficulty, due=row.due,
                last_review=row.last_review)


@lru_cache(maxsize=65536)
def _fsrs_id(card_id: str) -> int:
    return DeckCard(id=card_id, lesson_id="", kind="", prompt="", front="", back="").fsrs_id


def _progress_from_row(row) -> Progress:
    return Progress(card_id=row.card_id, card=_card_from_row(row, _fsrs_id(row.card_id)),
                    reps=row.reps, lapses=row.lapses, version=row.version)


# What a Review needs; the fsrs snapshots (card_before/card_after) are only read for undo.
_REVIEW_COLUMNS = [reviews.c.id, reviews.c.card_id, reviews.c.rating, reviews.c.reviewed_at,
                   reviews.c.was_new, reviews.c.state_before, reviews.c.due_after,
                   reviews.c.duration_ms, reviews.c.typed_verdict]


def _review_from_row(row) -> Review:
    return Review(id=row.id, card_id=row.card_id, rating=Rating(row.rating),
                  reviewed_at=row.reviewed_at, was_new=bool(row.was_new),
                  state_before=State(row.state_before) if row.state_before else None,
                  due_after=row.due_after, duration_ms=row.duration_ms,
                  typed_verdict=row.typed_verdict)


def _state_values(card: Card) -> dict:
    return {"state": int(card.state), "step": card.step, "stability": card.stability,
            "difficulty": card.difficulty, "due": card.due, "last_review": card.last_review}


# --- reads ----------------------------------------------------------------------------------

def load_progress(engine: Engine, learner_id: int) -> dict[str, Progress]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(card_states).where(card_states.c.learner_id == learner_id))
        return {row.card_id: _progress_from_row(row) for row in rows}


def load_reviews(engine: Engine, learner_id: int, since: datetime | None = None,
                 card_id: str | None = None, ids: list[int] | None = None) -> list[Review]:
    """Reviews oldest first, optionally only since a time, of one card, or with given ids."""
    q = sa.select(*_REVIEW_COLUMNS).where(reviews.c.learner_id == learner_id)
    if since is not None:
        q = q.where(reviews.c.reviewed_at >= schedule.ensure_utc(since))
    if card_id is not None:
        q = q.where(reviews.c.card_id == card_id)
    if ids is not None:
        if not ids:
            return []
        q = q.where(reviews.c.id.in_(ids))
    with engine.connect() as conn:
        return [_review_from_row(r) for r in conn.execute(q.order_by(reviews.c.reviewed_at, reviews.c.id))]


def retention_counts(engine: Engine, learner_id: int, since: datetime | None = None) -> tuple[int, int]:
    """(remembered, tested): reviews of cards already in review state, and those of them not
    rated Again; counted in the database so the whole log need not be loaded."""
    tested = (reviews.c.learner_id == learner_id) & (reviews.c.state_before == int(State.Review))
    if since is not None:
        tested &= reviews.c.reviewed_at >= schedule.ensure_utc(since)
    remembered = sa.func.sum(sa.case((reviews.c.rating != int(Rating.Again), 1), else_=0))
    with engine.connect() as conn:
        row = conn.execute(sa.select(sa.func.coalesce(remembered, 0), sa.func.count())
                           .select_from(reviews).where(tested)).one()
    return int(row[0]), int(row[1])


def count_reviews(engine: Engine, learner_id: int, since: datetime | None = None) -> int:
    q = sa.select(sa.func.count()).select_from(reviews).where(reviews.c.learner_id == learner_id)
    if since is not None:
        q = q.where(reviews.c.reviewed_at >= schedule.ensure_utc(since))
    with engine.connect() as conn:
        return int(conn.execute(q).scalar_one())


def load_settings(engine: Engine, learner_id: int) -> Settings:
    with engine.connect() as conn:
        row = conn.execute(sa.select(settings).where(settings.c.learner_id == learner_id)).first()
    if row is None:
        return Settings()
    return Settings(new_per_day=row.new_per_day, typed_answers=bool(row.typed_answers))


# --- writes ---------------------------------------------------------------------------------

def save_settings(engine: Engine, learner_id: int, new: Settings) -> Settings:
    if not 0 <= int(new.new_per_day) <= MAX_NEW_PER_DAY:
        raise ValueError(f"New cards per day must be between 0 and {MAX_NEW_PER_DAY}.")
    values = {"new_per_day": int(new.new_per_day), "typed_answers": bool(new.typed_answers)}
    with db.write(engine) as conn:
        done = conn.execute(settings.update().where(settings.c.learner_id == learner_id)
                            .values(**values)).rowcount
        if not done:
            conn.execute(settings.insert().values(learner_id=learner_id, **values))
    return load_settings(engine, learner_id)


def _existing_review(conn: Connection, learner_id: int, token: str | None):
    if not token:
        return None
    return conn.execute(sa.select(reviews).where(reviews.c.learner_id == learner_id,
                                                 reviews.c.token == token)).first()


def _result_for(conn: Connection, learner_id: int, row, duplicate: bool) -> ReviewResult:
    state_row = conn.execute(sa.select(card_states).where(
        card_states.c.learner_id == learner_id, card_states.c.card_id == row.card_id)).first()
    progress = (_progress_from_row(state_row) if state_row is not None else
                Progress(row.card_id, Card.from_dict(row.card_after), 0, 0, row.version_after))
    return ReviewResult(_review_from_row(row), progress, duplicate=duplicate)


def record_review(engine: Engine, learner_id: int, card_id: str, rating: Rating | int, *,
                  token: str | None = None, now: datetime | None = None,
                  duration_ms: int | None = None, typed_verdict: str | None = None,
                  answers_version: int | None = None) -> ReviewResult:
    """Apply a rating to the card's current saved state, in one transaction, and log it.

    `token` identifies the showing of the card the rating came from: the same token twice is
    a double click and is rated once. Different tokens (two tabs) are both applied in turn,
    unless `answers_version` says which saved version of the card was shown: then a rating
    of a card rated since raises StaleShowing instead (see showing.py).
    """
    rating = Rating(int(rating))
    now = schedule.ensure_utc(now)
    if token is not None and not (0 < len(token) <= 64):
        raise ValueError("review token must be 1-64 characters")
    last_error: Exception | None = None
    for attempt in range(MAX_ATTEMPTS):
        try:
            with db.write(engine) as conn:
                # Lock the card's row first (PostgreSQL; SQLite's write lock is already held)
                # so the token check below sees any rating committed while we waited.
                row = conn.execute(sa.select(card_states).where(
                    card_states.c.learner_id == learner_id,
                    card_states.c.card_id == card_id).with_for_update()).first()
                seen = _existing_review(conn, learner_id, token)
                if seen is not None:
                    return _result_for(conn, learner_id, seen, duplicate=True)
                current = row.version if row is not None else 0
                if answers_version is not None and current != answers_version:
                    raise StaleShowing(card_id)
                return _apply(conn, row, learner_id, card_id, rating, token, now, duration_ms,
                              typed_verdict)
        except (ReviewConflict, sa.exc.IntegrityError) as exc:
            # Another writer got there first (the other tab, or this very click twice):
            # start again from what is saved now, after a short random pause.
            last_error = exc
            time.sleep(random.uniform(0.001, 0.01) * (attempt + 1))
            continue
    raise RuntimeError(f"could not save the review after {MAX_ATTEMPTS} attempts") from last_error


def _apply(conn: Connection, row, learner_id: int, card_id: str, rating: Rating,
           token: str | None, now: datetime, duration_ms: int | None,
           typed_verdict: str | None) -> ReviewResult:
    fsrs_id = _fsrs_id(card_id)
    before = _card_from_row(row, fsrs_id) if row is not None else schedule.new_fsrs_card(fsrs_id, now)
    after, _log = schedule.review(before, rating, now, duration_ms)
    reps = (row.reps if row is not None else 0) + 1
    lapses = (row.lapses if row is not None else 0) + (
        1 if rating == Rating.Again and before.state == State.Review else 0)
    values = {**_state_values(after), "reps": reps, "lapses": lapses}
    if row is None:
        version = 1
        conn.execute(card_states.insert().values(learner_id=learner_id, card_id=card_id,
                                                 version=version, **values))
    else:
        version = row.version + 1
        changed = conn.execute(card_states.update().where(
            card_states.c.learner_id == learner_id, card_states.c.card_id == card_id,
            card_states.c.version == row.version).values(version=version, **values)).rowcount
        if changed != 1:
            raise ReviewConflict(card_id)
    review_id = conn.execute(reviews.insert().values(
        learner_id=learner_id, card_id=card_id, rating=int(rating), reviewed_at=now,
        duration_ms=duration_ms, was_new=row is None,
        state_before=int(before.state) if row is not None else None,
        card_before=before.to_dict() if row is not None else None,
        card_after=after.to_dict(), due_after=after.due, version_after=version,
        typed_verdict=typed_verdict, token=token)).inserted_primary_key[0]
    review = Review(id=review_id, card_id=card_id, rating=rating, reviewed_at=now,
                    was_new=row is None, state_before=before.state if row is not None else None,
                    due_after=after.due, duration_ms=duration_ms, typed_verdict=typed_verdict)
    return ReviewResult(review, Progress(card_id, after, reps, lapses, version))


def undo_review(engine: Engine, learner_id: int, review_id: int) -> str:
    """Take back one rating: the card returns to its state before it, and the review leaves
    the log. Only the card's latest review can be undone. Returns the card id."""
    with db.write(engine) as conn:
        row = conn.execute(sa.select(reviews).where(reviews.c.learner_id == learner_id,
                                                    reviews.c.id == review_id)).first()
        if row is None:
            raise UndoRefused("That rating was already undone.")
        state_row = conn.execute(sa.select(card_states).where(
            card_states.c.learner_id == learner_id, card_states.c.card_id == row.card_id)).first()
        if state_row is None or state_row.version != row.version_after:
            raise UndoRefused("This card was reviewed again since (perhaps in another tab), "
                              "so that rating can no longer be undone.")
        where = (card_states.c.learner_id == learner_id) & (card_states.c.card_id == row.card_id)
        if row.card_before is None:
            conn.execute(card_states.delete().where(where))
        else:
            before = Card.from_dict(row.card_before)
            lapse = 1 if (row.rating == Rating.Again and row.state_before == State.Review) else 0
            conn.execute(card_states.update().where(where).values(
                **_state_values(before), reps=state_row.reps - 1,
                lapses=state_row.lapses - lapse, version=state_row.version + 1))
        conn.execute(reviews.delete().where(reviews.c.id == review_id))
        return row.card_id


def reset_progress(engine: Engine, learner_id: int) -> None:
    """Forget every card's progress and review for this learner (a fresh start)."""
    with db.write(engine) as conn:
        conn.execute(reviews.delete().where(reviews.c.learner_id == learner_id))
        conn.execute(card_states.delete().where(card_states.c.learner_id == learner_id))
