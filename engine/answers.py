"""Read a number a learner typed, the way a person writes it.

Accepted: `1000`, `1,000`, `1 000`, `1_000`, `1e3`, `1.0E3`, `3×10^3`, `-2`, `.5`, `85%`, and a
trailing unit word (`32 iterations`, `12.5 s`). Everything else gets a message that says what
to type instead, and never an exception: a typo is not a wrong answer, so the quiz does not
charge a try for it (as Moodle's interactive mode, STACK and PrairieLearn do).

Values are `Decimal`s built from the text, so `0.1` is exactly one tenth and a 28-digit integer
stays exact. The text is length-checked before any regex runs, and exponents are bounded, so a
10,000-digit paste or `1e999999999` costs nothing.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MAX_CHARS = 40  # longer than any answer written with separators and a unit word
MAX_MAGNITUDE = Decimal(10) ** 15  # far beyond any answer in the quiz; stops 1e400 in its tracks

# Thousands groups must be real groups of three, with one kind of separator throughout, so
# `1,000` is a thousand while `3,5` (a decimal comma) is reported rather than misread as 35.
_GROUPED = r"\d{1,3}(?:(?P<sep>[, _'])\d{3})(?:(?P=sep)\d{3})*"
_NUMBER = re.compile(
    r"""^(?P<sign>[+-])?\s*
    (?P<int>""" + _GROUPED + r"""|\d+)?
    (?:\.(?P<frac>\d+)?)?
    (?:\s*(?:[eE](?P<exp1>[+-]?\d{1,4})|\s*[x×*·]\s*10\s*(?:\^|\*\*)\s*(?P<exp2>[+-]?\d{1,4})))?
    \s*(?P<unit>%|[a-zA-Z]{1,12}\.?)?$""",
    re.VERBOSE,
)

# Unit words a learner may add after the number; anything else is probably not a number.
UNIT_WORDS = frozenset("""
    iteration iterations iter iters it update updates step steps batch batches
    epoch epochs sample samples example examples image images
    s sec secs second seconds min mins minute minutes h hr hrs hour hours
    percent pc
""".split())
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2009\u202f\u2007\u200a"), " ")
_DASHES = dict.fromkeys(map(ord, "\u2212\u2013\u2014"), "-")


@dataclass(frozen=True)
class ParsedNumber:
    """What was read: a value, or a message for the learner (never both)."""

    value: Decimal | None = None
    message: str = ""
    percent: bool = False  # typed with %, "percent" or "pc"
    unit: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None

    @property
    def is_whole(self) -> bool:
        return self.value is not None and self.value == self.value.to_integral_value()


def _invalid(message: str) -> ParsedNumber:
    return ParsedNumber(None, message)


def _explain_failure(text: str) -> str:
    low = text.lower()
    if re.search(r"\b(nan|inf|infinity)\b|∞", low):
        return "That is not a finite number. Type an ordinary number, like 32 or 0.25."
    if "/" in text or "÷" in text or re.search(r"\d\s*[-+*×]\s*\d", text.lstrip("+-")):
        return ("Type the result as one number, not a calculation: work it out first "
                "(for example 1000 / 32 → 31.25).")
    if re.fullmatch(r"[+-]?\d+,\d{1,2}|[+-]?\d+,\d{4,}", text):
        return ("Write decimals with a point (3.5), not a comma. A comma only separates "
                "thousands, in groups of three: 1,000.")
    if re.search(r"\d[, _']\d", text):
        return ("The digit groups don't look like thousands. Separate thousands in groups of "
                "three (1,000,000 or 1 000 000), or leave the separators out (1000000).")
    if not re.search(r"\d", text):
        return "Type a number, for example 32, 1,000 or 0.25."
    return ("That can't be read as a number. Type just the number, like 32, 1,000, 1e3 or "
            "0.25, optionally followed by a unit.")


def parse_number(text: object) -> ParsedNumber:
    """Read one number from what a learner typed. Never raises."""
    if not isinstance(text, str):
        return _invalid("Type a number, for example 32.")
    stripped = text.strip()
    if not stripped:
        return _invalid("Type a number first.")
    if len(stripped) > MAX_CHARS:
        return _invalid(f"That is too long to be an answer ({len(stripped):,} characters). "
                        "Type just the number, like 1,000.")
    # NFKC turns full-width digits (１０００) into ASCII; dashes and odd spaces into plain ones.
    clean = unicodedata.normalize("NFKC", stripped).translate(_SPACES).translate(_DASHES).strip()
    match = _NUMBER.match(clean)
    if not match or not (match.group("int") or match.group("frac")):
        return _invalid(_explain_failure(clean))
    unit = (match.group("unit") or "").rstrip(".").lower()
    percent = unit in {"%", "percent", "pc"}
    if unit and not percent and unit not in UNIT_WORDS:
        return _invalid(_explain_failure(clean))
    digits = re.sub(r"[, _']", "", match.group("int") or "0")
    exponent = match.group("exp1") or match.group("exp2") or "0"
    literal = f"{match.group('sign') or ''}{digits}.{match.group('frac') or '0'}E{exponent}"
    try:
        value = Decimal(literal)
    except InvalidOperation:  # the regex only lets digits through; kept as a last safety net
        return _invalid(_explain_failure(clean))
    if abs(value) > MAX_MAGNITUDE:
        return _invalid("That number is far too large to be the answer here. Check the digits.")
    return ParsedNumber(value=value, percent=percent, unit=unit)


def format_number(value: Decimal | int | float | str, places: int | None = None) -> str:
    """1234567 → '1,234,567'; 31.25 → '31.25'; Decimal('2.50') → '2.5'. With `places`, rounds."""
    d = Decimal(str(value))
    if places is not None:
        d = round(d, places)
    if d == d.to_integral_value():
        return f"{int(d):,}"
    text = f"{d:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
