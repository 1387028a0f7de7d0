"""Today's queue: which card comes next, and today's counts.

Order: cards in learning that are due now, then review cards due today, then new cards (at
most the learner's new-cards-per-day, counting the ones already started today). With typed
answers switched on, new cards that take a typed answer come first, so the switch changes
what the student meets today rather than waiting for a short-answer card deep in the deck. The two
directions of one term never both come up on the same day: once one was reviewed today, or
is already in today's queue, the other waits for tomorrow.

"Today" is the learner's calendar day in their own timezone (the browser's); all stored
times stay UTC.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fsrs import State

from . import schedule
from .deck import Deck, DeckCard
from . import store
from .store import Progress, Review, Settings

# When nothing else is left, a learning card due within this window is shown early (as Anki's
# "learn ahead limit") rather than making the student wait.
LEARN_AHEAD = timedelta(minutes=20)


def zone(tz_name: str | None) -> ZoneInfo | timezone:
    try:
        return ZoneInfo(tz_name) if tz_name else timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def local_day(now: datetime, tz_name: str | None) -> date:
    return schedule.ensure_utc(now).astimezone(zone(tz_name)).date()


def day_bounds(now: datetime, tz_name: str | None) -> tuple[datetime, datetime]:
    """Start and end (UTC) of the learner's local calendar day containing `now`."""
    tz = zone(tz_name)
    today = local_day(now, tz_name)
    start = datetime.combine(today, time(0), tzinfo=tz)
    end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


@dataclass(frozen=True)
class Queue:
    learning_now: tuple[DeckCard, ...]     # learning/relearning cards due now
    learning_later: tuple[DeckCard, ...]   # learning cards due later today
    review: tuple[DeckCard, ...]           # review cards due today
    new: tuple[DeckCard, ...]              # new cards allowed today
    next_learning_at: datetime | None      # when the first later-today learning card is due
    new_started_today: int
    new_limit: int
    next_due_later: datetime | None = None  # the first card due after today, if any
    unseen: int = 0                         # cards in the deck never reviewed yet

    @property
    def counts(self) -> dict[str, int]:
        """Today's counts, as shown above the card."""
        return {"new": len(self.new),
                "learning": len(self.learning_now) + len(self.learning_later),
                "due": len(self.review)}

    @property
    def typable_today(self) -> int:
        """How many of today's cards (new, learning, due) take a typed answer."""
        return sum(c.typable for group in (self.learning_now, self.learning_later, self.review,
                                           self.new) for c in group)

    def holds(self, card_id: str) -> bool:
        """Whether the card belongs in today's queue at all (in any group)."""
        return any(c.id == card_id for group in (self.learning_now, self.learning_later,
                                                 self.review, self.new) for c in group)

    @property
    def remaining(self) -> int:
        return len(self.learning_now) + len(self.review) + len(self.new)

    def next_card(self, now: datetime, learn_ahead: timedelta = LEARN_AHEAD) -> DeckCard | None:
        for group in (self.learning_now, self.review, self.new):
            if group:
                return group[0]
        if self.learning_later and self.next_learning_at is not None and \
                self.next_learning_at - schedule.ensure_utc(now) <= learn_ahead:
            return self.learning_later[0]
        return None


def build_queue(deck: Deck, progress: dict[str, Progress], reviews_today: list[Review],
                settings: Settings, now: datetime, tz_name: str | None = None) -> Queue:
    """Today's queue from saved progress and today's reviews (see the module docstring)."""
    now = schedule.ensure_utc(now)
    _, day_end = day_bounds(now, tz_name)

    reviewed_today = {r.card_id for r in reviews_today}
    new_started = len({r.card_id for r in reviews_today if r.was_new})
    # A sibling group is "taken" today by a card reviewed today or placed in today's queue.
    taken: dict[str, str] = {}
    for card_id in reviewed_today:
        card = deck.get(card_id)
        if card is not None and card.sibling_group:
            taken.setdefault(card.sibling_group, card_id)

    def free_for(card: DeckCard) -> bool:
        group = card.sibling_group
        return group is None or taken.get(group, card.id) == card.id

    def take(card: DeckCard) -> None:
        if card.sibling_group:
            taken.setdefault(card.sibling_group, card.id)

    learning_now: list[tuple[datetime, DeckCard]] = []
    learning_later: list[tuple[datetime, DeckCard]] = []
    review_due: list[tuple[datetime, DeckCard]] = []
    later: list[datetime] = []
    for card in deck:
        p = progress.get(card.id)
        if p is None:
            continue
        if p.due >= day_end:
            later.append(p.due)
        if p.state in (State.Learning, State.Relearning):
            # A card already in learning keeps its steps; it also claims its sibling group.
            if p.due <= now:
                learning_now.append((p.due, card))
                take(card)
            elif p.due < day_end:
                learning_later.append((p.due, card))
                take(card)
        elif p.due < day_end:
            review_due.append((p.due, card))

    review: list[DeckCard] = []
    for _, card in sorted(review_due, key=lambda x: (x[0], x[1].id)):
        if free_for(card):
            take(card)
            review.append(card)

    limit = max(0, settings.new_per_day - new_started)
    new: list[DeckCard] = []
    # A stable sort: deck order within typable cards, then within the others.
    candidates = sorted(deck, key=lambda c: not c.typable) if settings.typed_answers else deck
    for card in candidates:
        if len(new) >= limit:
            break
        if card.id in progress or not free_for(card):
            continue
        take(card)
        new.append(card)

    learning_later.sort(key=lambda x: (x[0], x[1].id))
    return Queue(
        learning_now=tuple(c for _, c in sorted(learning_now, key=lambda x: (x[0], x[1].id))),
        learning_later=tuple(c for _, c in learning_later),
        review=tuple(review), new=tuple(new),
        next_learning_at=learning_later[0][0] if learning_later else None,
        new_started_today=new_started, new_limit=settings.new_per_day,
        next_due_later=min(later, default=None),
        unseen=sum(card.id not in progress for card in deck))


def todays_queue(engine, learner_id: int, deck: Deck, now: datetime | None = None,
                 tz_name: str | None = None) -> Queue:
    """Load what is saved for the learner and build today's queue (two reads, no writes)."""
    now = schedule.ensure_utc(now)
    day_start, _ = day_bounds(now, tz_name)
    return build_queue(deck, store.load_progress(engine, learner_id),
                       store.load_reviews(engine, learner_id, since=day_start),
                       store.load_settings(engine, learner_id), now, tz_name)
