"""Typed answers, checked leniently before the student rates themselves.

Case, spacing, punctuation, accents and a leading article are forgiven, and any listed
alternative counts (the shared rules in `engine.lenient`). A near miss ("epoc") is called
close rather than wrong, so a spelling slip is not mistaken for forgetting.
"""
from __future__ import annotations

from dataclasses import dataclass

from fsrs import Rating

from engine.lenient import judge

from .deck import DeckCard


@dataclass(frozen=True)
class TypedVerdict:
    verdict: str            # "right", "close", "wrong" or "blank"
    expected: str
    message: str
    suggested: Rating       # the rating we would pick; the student still chooses


def check_typed(card: DeckCard, typed: str) -> TypedVerdict:
    verdict = judge(typed, card.back, card.alternatives)
    if verdict == "blank":
        return TypedVerdict("blank", card.back, "Nothing typed: here is the answer.", Rating.Again)
    if verdict == "right":
        return TypedVerdict("right", card.back, "Right!", Rating.Good)
    if verdict == "close":
        return TypedVerdict("close", card.back,
                            "Almost: check the spelling against the answer.", Rating.Hard)
    return TypedVerdict("wrong", card.back, "Not quite: compare with the answer.", Rating.Again)
