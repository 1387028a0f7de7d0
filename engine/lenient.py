"""Lenient matching of short typed answers: "Epoch", " epoch. " and "EPOCH" are the same answer.

Used wherever a student types a word or phrase (mnemonic self-checks, typed flashcards), so
every page forgives the same things: case, spacing, punctuation, a leading article.
"""
from __future__ import annotations

import re
import unicodedata

MAX_ANSWER_LENGTH = 500
_ARTICLES = ("a ", "an ", "the ")


def normalise(text: str) -> str:
    """Lowercase, accents folded, punctuation and repeated spaces removed, article dropped."""
    text = unicodedata.normalize("NFKD", str(text)[:MAX_ANSWER_LENGTH])
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("-", " ").replace("_", " ")
    text = re.sub(r"[^\w\s]", "", text)
    text = " ".join(text.split())
    for article in _ARTICLES:
        if text.startswith(article):
            text = text[len(article):]
            break
    return text


def matches(response: str, answer: str, alternatives: list[str] | tuple[str, ...] = ()) -> bool:
    """True when the response is the answer or a listed alternative, leniently compared."""
    given = normalise(response)
    if not given:
        return False
    accepted = {normalise(a) for a in (answer, *alternatives)}
    return given in accepted or given.replace(" ", "") in {a.replace(" ", "") for a in accepted}
