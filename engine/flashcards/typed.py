"""Typed answers, checked leniently before the student rates themselves.

Case, spacing, punctuation, accents and a leading article are forgiven, and any listed
alternative counts (the shared rules in `engine.lenient`). A near miss ("epoc") is called
close rather than wrong, so a spelling slip is not mistaken for forgetting.
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from fsrs import Rating

from engine.lenient import matches, normalise

from .deck import DeckCard

CLOSE_RATIO = 0.8


@dataclass(frozen=True)
class TypedVerdict:
    verdict: str            # "right", "close", "wrong" or "blank"
    expected: str
    message: str
    suggested: Rating       # the rating we would pick; the student still chooses


def check_typed(card: DeckCard, typed: str) -> TypedVerdict:
    accepted = (card.back, *card.alternatives)
    if not normalise(typed):
        return TypedVerdict("blank", card.back, "Nothing typed: here is the answer.", Rating.Again)
    if matches(typed, card.back, card.alternatives):
        return TypedVerdict("right", card.back, "Right!", Rating.Good)
    given = normalise(typed)
    best = max(SequenceMatcher(None, given, normalise(a)).ratio() for a in accepted)
    if best >= CLOSE_RATIO:
        return TypedVerdict("close", card.back,
                            "Almost: check the spelling against the answer.", Rating.Hard)
    return TypedVerdict("wrong", card.back, "Not quite: compare with the answer.", Rating.Again)
