"""The deck: cards made from a lesson's glossary (both directions), key concepts,
misconceptions and hand-written flashcards.

Card ids are built from content ids, never from the text: fixing a typo in a definition keeps
the card (and the learner's progress on it); removing a term removes its cards, and their
saved progress is simply ignored.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from engine.content.models import Lesson

# Short answers can be typed and checked; a paragraph cannot be graded by string matching.
TYPABLE_MAX_WORDS = 6


@dataclass(frozen=True)
class DeckCard:
    id: str                      # e.g. "training-phases/term/epoch/forward"
    lesson_id: str
    kind: str                    # "term", "concept", "misconception" or "card"
    prompt: str                  # what the student is asked, e.g. "What does this term mean?"
    front: str
    back: str
    alternatives: tuple[str, ...] = ()
    sibling_group: str | None = None   # the two directions of one term share a group
    typable: bool = False
    source_id: str = ""

    @property
    def fsrs_id(self) -> int:
        """A stable integer for fsrs (which wants an int card id), derived from the id."""
        return int.from_bytes(hashlib.blake2b(self.id.encode(), digest_size=7).digest(), "big")

    def to_dict(self) -> dict:
        return {"id": self.id, "lesson_id": self.lesson_id, "kind": self.kind,
                "prompt": self.prompt, "front": self.front, "back": self.back,
                "alternatives": list(self.alternatives), "sibling_group": self.sibling_group,
                "typable": self.typable}


@dataclass(frozen=True)
class Deck:
    cards: tuple[DeckCard, ...]
    by_id: dict[str, DeckCard] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "by_id", {c.id: c for c in self.cards})

    def __len__(self) -> int:
        return len(self.cards)

    def __iter__(self):
        return iter(self.cards)

    def get(self, card_id: str) -> DeckCard | None:
        return self.by_id.get(card_id)


def _mask(text: str, answers: list[str]) -> str:
    """Hide the term where its definition names it ("An epoch is…" asks for "epoch").
    Alternatives stay visible: they are often ordinary words ("example", "step")."""
    for answer in sorted({a for a in answers if a.strip()}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(answer)}(?!\w)", "…", text, flags=re.IGNORECASE)
    return text


def _short(text: str) -> bool:
    return len(text.split()) <= TYPABLE_MAX_WORDS


def lesson_cards(lesson: Lesson) -> list[DeckCard]:
    lid = lesson.id
    cards: list[DeckCard] = []
    for term in lesson.glossary:
        group = f"{lid}/term/{term.id}"
        cards.append(DeckCard(
            id=f"{group}/forward", lesson_id=lid, kind="term", source_id=term.id,
            prompt="What does this term mean?", front=term.term, back=term.definition,
            sibling_group=group))
        cards.append(DeckCard(
            id=f"{group}/backward", lesson_id=lid, kind="term", source_id=term.id,
            prompt="Which term is this?", front=_mask(term.definition, [term.term, term.term + "s"]),
            back=term.term,
            alternatives=tuple(term.alternatives), sibling_group=group, typable=True))
    for concept in lesson.key_concepts:
        cards.append(DeckCard(
            id=f"{lid}/concept/{concept.id}", lesson_id=lid, kind="concept",
            source_id=concept.id, prompt="Explain this key idea.", front=concept.title,
            back=concept.text))
    for m in lesson.misconceptions:
        cards.append(DeckCard(
            id=f"{lid}/misconception/{m.id}", lesson_id=lid, kind="misconception",
            source_id=m.id, prompt="What is wrong with this belief?", front=m.wrong,
            back=f"{m.why}\n\nWhat is right: {m.right}"))
    for card in lesson.flashcards:
        cards.append(DeckCard(
            id=f"{lid}/card/{card.id}", lesson_id=lid, kind="card", source_id=card.id,
            prompt="Answer this.", front=card.front, back=card.back,
            alternatives=tuple(card.alternatives),
            typable=_short(card.back) or bool(card.alternatives)))
    return cards


def build_deck(lessons: Lesson | list[Lesson]) -> Deck:
    if isinstance(lessons, Lesson):
        lessons = [lessons]
    return Deck(tuple(c for lesson in lessons for c in lesson_cards(lesson)))
