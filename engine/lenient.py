"""Lenient checking of short typed answers, shared by every page where a student types a word,
a phrase or a number (mnemonic self-checks, typed flashcards).

Forgiven: case, accents, spacing, punctuation, a leading article, number words ("one" = 1,
"thirty-two" = 32),
digit grouping ("1,000"), "32.0" for 32, and the order of a list ("accuracy and loss").
Never forgiven: a different number. "32" for 320 is the forgot-the-epochs mistake, not a typo,
so numbers are compared exactly and are never called "close".
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from typing import Literal

from text_to_num import text2num

MAX_ANSWER_LENGTH = 500
CLOSE_RATIO = 0.8
_ARTICLES = ("a ", "an ", "the ")
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:[,_]\d{3})+|\d+)(\.\d+)?(\s*%)?")
_LIST_SEPARATORS = re.compile(r",|;|&|\+|/|\band\b")

Verdict = Literal["right", "close", "wrong", "blank"]


_CARDINAL = (r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
             r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
             r"seventy|eighty|ninety|hundred|thousand|million)")
# a run of cardinal number words ("thirty-two", "three hundred and twenty"); ordinals such as
# "second" are left alone, they are words here ("per second")
_NUMBER_WORD_RUN = re.compile(rf"\b{_CARDINAL}(?:(?:[\s-]+|\s+and\s+){_CARDINAL})*\b")


def _as_digits(match: re.Match) -> str:
    try:
        return str(text2num(match.group(0), "en"))
    except (ValueError, TypeError):
        return match.group(0)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)[:MAX_ANSWER_LENGTH])
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _NUMBER_WORD_RUN.sub(_as_digits, text)
    return re.sub(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", lambda m: _NUMBER_WORDS[m.group(1)], text)


def _words(text: str) -> str:
    text = text.replace("-", " ").replace("_", " ")
    text = re.sub(r"[^\w\s]", "", text)
    text = " ".join(text.split())
    for article in _ARTICLES:
        if text.startswith(article):
            return text[len(article):]
    return text


def normalise(text: str) -> str:
    """Lowercase, accents folded, number words as digits, punctuation and extra spaces gone,
    a leading article dropped."""
    return _words(_fold(text))


def numbers(text: str) -> list[Decimal]:
    """The numbers written in an answer, in order: "1,000" is 1000, "90 %" is 0.9."""
    found = []
    for whole, frac, percent in _NUMBER.findall(_fold(text)):
        try:
            value = Decimal(whole.replace(",", "").replace("_", "") + (frac or ""))
        except InvalidOperation:
            continue
        found.append(value / 100 if percent else value)
    return [v.normalize() for v in found]


def words_without_numbers(text: str) -> set[str]:
    return set(_words(_NUMBER.sub(" ", _fold(text))).split())


def _items(text: str) -> frozenset[str]:
    return frozenset(p for p in (_words(part) for part in _LIST_SEPARATORS.split(_fold(text))) if p)


def _same(response: str, accepted: str) -> bool:
    want_numbers = numbers(accepted)
    if want_numbers:
        # Same numbers, and no words the accepted answer doesn't have ("320 updates" for
        # "320 weight updates" is fine; "320 epochs" is not).
        return numbers(response) == want_numbers and words_without_numbers(response) <= words_without_numbers(accepted)
    given, wanted = normalise(response), normalise(accepted)
    if given == wanted or given.replace(" ", "") == wanted.replace(" ", ""):
        return True
    given_items, wanted_items = _items(response), _items(accepted)
    return len(wanted_items) > 1 and given_items == wanted_items


def judge(response: str, answer: str, alternatives: list[str] | tuple[str, ...] = ()) -> Verdict:
    """right, close (a spelling slip in words, never a different number), wrong, or blank."""
    if not normalise(response or ""):
        return "blank"
    accepted = (answer, *alternatives)
    if any(_same(response, a) for a in accepted):
        return "right"
    word_answers = [a for a in accepted if not numbers(a)]
    if word_answers and not numbers(response):
        given = normalise(response)
        if max(SequenceMatcher(None, given, normalise(a)).ratio() for a in word_answers) >= CLOSE_RATIO:
            return "close"
    return "wrong"


def matches(response: str, answer: str, alternatives: list[str] | tuple[str, ...] = ()) -> bool:
    """True when the response is the answer or a listed alternative, leniently compared."""
    return judge(response, answer, alternatives) == "right"
