"""A quiz as a sequence of immutable steps: start, submit, move on, review, practise again.

Every step returns a new `QuizSession` and leaves the old one untouched, so the page can keep
it in session state, a test can replay it, and it serialises to a plain dict. Only (kind, seed)
pairs are stored: questions are regenerated on demand, so answers never sit in the browser.

Rules (Moodle's interactive mode, as learners expect): up to three tries per question;
unreadable input costs no try, and neither does typing the same wrong answer again; score 1
for a first-try answer, 2/3 on the second, 1/3 on the third. A stale click (an old tab)
carries an old step number and is ignored. A double click may arrive with the new step number
(Streamlit re-registers the button's arguments on the rerun the first click started), so the
same answer sent again straight after itself is also taken as one click: nothing changes and
the page keeps the first feedback. Only an earlier wrong answer typed again after something
else was tried gets "you already tried that".
"""
from __future__ import annotations

import random
import uuid
from dataclasses import asdict, dataclass, field, replace
from fractions import Fraction
from typing import Iterable, Literal

from .grading import grade
from .model import Grade, Question
from .templates import TEMPLATES, available_templates, generate

MAX_TRIES = 3
MAX_QUESTIONS = 50  # the longest quiz, from a link or the page's slider alike
Mode = Literal["chosen", "mixed", "missed"]


@dataclass(frozen=True)
class Attempt:
    response: str
    read_as: str
    status: Literal["correct", "incorrect"]
    mistake: str | None = None


@dataclass(frozen=True)
class Item:
    template_id: str
    seed: int
    attempts: tuple[Attempt, ...] = ()

    @property
    def tries(self) -> int:
        return len(self.attempts)

    @property
    def solved(self) -> bool:
        return any(a.status == "correct" for a in self.attempts)

    @property
    def done(self) -> bool:
        return self.solved or self.tries >= MAX_TRIES

    @property
    def first_try(self) -> bool:
        return bool(self.attempts) and self.attempts[0].status == "correct"

    @property
    def points(self) -> Fraction:
        """1, 2/3 or 1/3 for a right answer on the first, second or third try; 0 otherwise."""
        if not self.solved:
            return Fraction(0)
        return Fraction(MAX_TRIES - (self.tries - 1), MAX_TRIES)

    @property
    def mistakes(self) -> tuple[str, ...]:
        return tuple(a.mistake for a in self.attempts if a.mistake)

    def question(self) -> Question:
        return generate(self.template_id, self.seed)


@dataclass(frozen=True)
class ItemResult:
    """One finished question, as saved to the learner's history and used for mastery."""

    template_id: str
    seed: int
    solved: bool
    tries: int
    first_try: bool
    points: float
    mistakes: tuple[str, ...] = ()

    @classmethod
    def of(cls, item: Item) -> "ItemResult":
        return cls(item.template_id, item.seed, item.solved, item.tries, item.first_try,
                   round(float(item.points), 4), item.mistakes)


@dataclass(frozen=True)
class Score:
    questions: int
    correct: int
    first_try: int
    points: float  # out of `questions`

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.questions) if self.questions else 0


@dataclass(frozen=True)
class QuizSession:
    items: tuple[Item, ...]
    mode: Mode = "chosen"
    position: int = 0
    step: int = 0  # goes up with every accepted action; stale clicks carry an old one
    seed: int = 0
    id: str = field(default_factory=lambda: uuid.uuid4().hex)  # groups its saved results
    # How the last response to the current question read ("" after an unreadable one or a
    # new question): the same answer again straight away is a double click, not a new try.
    last_response: str = ""

    @property
    def finished(self) -> bool:
        return self.position >= len(self.items)

    @property
    def current(self) -> Item | None:
        return None if self.finished else self.items[self.position]

    def question(self) -> Question | None:
        item = self.current
        return item.question() if item else None

    @property
    def progress(self) -> float:
        done = sum(1 for item in self.items if item.done)
        return done / len(self.items) if self.items else 1.0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "QuizSession":
        items = tuple(Item(i["template_id"], i["seed"], tuple(Attempt(**a) for a in i["attempts"]))
                      for i in data["items"])
        return cls(items, data.get("mode", "chosen"), data.get("position", 0), data.get("step", 0),
                   data.get("seed", 0), data.get("id") or uuid.uuid4().hex, data.get("last_response", ""))


def _seeds(rng: random.Random, count: int) -> list[int]:
    return [rng.randrange(1, 2**31) for _ in range(count)]


def _check_length(length: int) -> int:
    if isinstance(length, bool) or not isinstance(length, int) or not 1 <= length <= MAX_QUESTIONS:
        raise ValueError(f"A quiz has from 1 to {MAX_QUESTIONS} questions.")
    return length


def new_quiz(kinds: Iterable[str], length: int, seed: int) -> QuizSession:
    """`length` questions cycling through the chosen kinds in a shuffled order."""
    kinds = list(dict.fromkeys(kinds))
    unknown = [k for k in kinds if k not in TEMPLATES]
    if not kinds or unknown:
        raise ValueError(f"Choose at least one known question kind (unknown: {', '.join(unknown) or 'none'}).")
    length = _check_length(length)
    rng = random.Random(f"batchwise-quiz-session/{seed}")
    order = kinds[:]
    rng.shuffle(order)
    picks = [order[i % len(order)] for i in range(length)]
    return QuizSession(tuple(Item(k, s) for k, s in zip(picks, _seeds(rng, length))), "chosen", seed=seed)


def mixed_review(results: Iterable[ItemResult], length: int, seed: int,
                 kinds: Iterable[str] | None = None) -> QuizSession:
    """A mix of every kind, weighted towards the kinds the learner knows least: unseen kinds
    and weak kinds come up more often, mastered ones still now and then. No kind twice in a row
    when there is a choice."""
    kinds = list(kinds) if kinds is not None else list(available_templates())
    if not kinds:
        raise ValueError("No question kinds are available.")
    length = _check_length(length)
    levels = mastery(results, kinds)
    weight = {k: {"Not started": 4, "Attempted": 4, "Familiar": 2, "Proficient": 1}[levels[k].level] for k in kinds}
    rng = random.Random(f"batchwise-mixed-review/{seed}")
    picks: list[str] = []
    for _ in range(length):
        pool = [k for k in kinds if not picks or k != picks[-1]] or kinds
        picks.append(rng.choices(pool, [weight[k] for k in pool])[0])
    return QuizSession(tuple(Item(k, s) for k, s in zip(picks, _seeds(rng, length))), "mixed", seed=seed)


def submit(session: QuizSession, response: str, step: int) -> tuple[QuizSession, Grade | None]:
    """Grade a response to the current question. Returns the new session and the grade, or the
    same session and None when nothing should change on the page: a stale click, a question
    already done, or the answer just graded arriving again (a double click or a resubmit),
    whose first feedback stays on screen."""
    item = session.current
    if step != session.step or item is None or item.done:
        return session, None
    g = grade(item.question(), response)
    if g.status == "invalid":
        return (replace(session, last_response="") if session.last_response else session), g
    if g.status == "incorrect" and session.last_response == g.read_as:
        return session, None
    earlier = next((n for n, a in enumerate(item.attempts, start=1) if a.read_as == g.read_as), None)
    if g.status == "incorrect" and earlier is not None:
        return replace(session, last_response=g.read_as), replace(
            g, status="invalid",
            feedback=f"You already tried {g.read_as} on try {earlier}, so it isn't counted again. {g.feedback}")
    attempt = Attempt(str(response)[:100], g.read_as, g.status, g.mistake)
    items = list(session.items)
    items[session.position] = replace(item, attempts=item.attempts + (attempt,))
    return replace(session, items=tuple(items), step=session.step + 1, last_response=g.read_as), g


def advance(session: QuizSession, step: int) -> QuizSession:
    """Go to the next question once the current one is done (right, or out of tries)."""
    item = session.current
    if step != session.step or item is None or not item.done:
        return session
    return replace(session, position=session.position + 1, step=session.step + 1, last_response="")


def score(session: QuizSession) -> Score:
    items = [i for i in session.items if i.done]
    return Score(len(session.items), sum(i.solved for i in items), sum(i.first_try for i in items),
                 round(float(sum((i.points for i in items), Fraction(0))), 4))


def results(session: QuizSession) -> list[tuple[int, ItemResult]]:
    """(position, result) of every finished question, for saving as the quiz goes."""
    return [(n, ItemResult.of(i)) for n, i in enumerate(session.items) if i.done]


def missed(session: QuizSession) -> list[Item]:
    """Questions not answered right on the first try: the review and the practice set."""
    return [i for i in session.items if i.done and not i.first_try]


def practise_missed(session: QuizSession, seed: int) -> QuizSession | None:
    """The same kinds as the missed questions, with new numbers (a fresh variant teaches more
    than the remembered answer to the old one). None when nothing was missed."""
    kinds = [i.template_id for i in missed(session)]
    if not kinds:
        return None
    rng = random.Random(f"batchwise-practise/{seed}")
    return QuizSession(tuple(Item(k, s) for k, s in zip(kinds, _seeds(rng, len(kinds)))), "missed", seed=seed)


# --- mastery --------------------------------------------------------------------------------

RECENT = 5  # mastery looks at the latest results per kind, so old mistakes stop counting


@dataclass(frozen=True)
class Mastery:
    level: Literal["Not started", "Attempted", "Familiar", "Proficient"]
    seen: int = 0
    recent_first_try: int = 0  # of the last `recent` results, right on the first try
    recent: int = 0
    common_mistakes: tuple[str, ...] = field(default=())

    @property
    def share(self) -> float:
        return self.recent_first_try / self.recent if self.recent else 0.0


def mastery(history: Iterable[ItemResult], kinds: Iterable[str] | None = None) -> dict[str, Mastery]:
    """Per kind, from oldest to newest results. Levels follow Khan Academy's: Attempted below
    70 % right first time (of the latest five), Familiar from 70 %, Proficient when the latest
    three are all right first time."""
    by_kind: dict[str, list[ItemResult]] = {}
    for r in history:
        by_kind.setdefault(r.template_id, []).append(r)
    out = {}
    for kind in (list(kinds) if kinds is not None else list(TEMPLATES)):
        rs = by_kind.get(kind, [])
        if not rs:
            out[kind] = Mastery("Not started")
            continue
        recent = rs[-RECENT:]
        good = sum(r.first_try for r in recent)
        if len(rs) >= 3 and all(r.first_try for r in rs[-3:]):
            level = "Proficient"
        elif good / len(recent) >= 0.7:
            level = "Familiar"
        else:
            level = "Attempted"
        counts: dict[str, int] = {}
        for r in rs[-10:]:
            for m in r.mistakes:
                counts[m] = counts.get(m, 0) + 1
        common = tuple(sorted(counts, key=lambda m: -counts[m])[:3])
        out[kind] = Mastery(level, len(rs), good, len(recent), common)
    return out
