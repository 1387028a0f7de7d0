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
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from text_to_num import text2num

MAX_CHARS = 40  # longer than any answer written with separators and a unit word
MAX_MAGNITUDE = Decimal(10) ** 15  # far beyond any answer in the quiz; stops 1e400 in its tracks
MIN_MAGNITUDE = Decimal(10) ** -9  # smaller than any answer; stops 1e-9999 (a 10,001-digit read-back)
MAX_READ_BACK = 40  # characters of "we read it as …": a read-back is never longer than an answer

# Thousands groups must be real groups of three, with one kind of separator throughout, so
# `1,000` is a thousand while `3,5` (a decimal comma) is reported rather than misread as 35.
_GROUPED = r"\d{1,3}(?:(?P<sep>[, _'])\d{3})(?:(?P=sep)\d{3})*"
_NUMBER = re.compile(
    r"""^(?P<sign>[+-])?\s*
    (?P<int>""" + _GROUPED + r"""|\d+)?
    (?:\.(?P<frac>\d+)?)?
    (?:\s*(?:[eE](?P<exp1>[+-]?\d{1,4})|\s*[x×*·]\s*10\s*(?:\^|\*\*)\s*(?P<exp2>[+-]?\d{1,4})))?
    \s*(?P<unit>%|[a-zA-Z]{1,16}(?:[\s-][a-zA-Z]{1,16}){0,2}\.?)?$""",
    re.VERBOSE | re.ASCII,
)
# "epoch 6", "after epoch 10", "at the end of epoch 3", "the 6th epoch": an epoch number
_EPOCH_FIRST = re.compile(r"^(?:(?:after|at|in|on|by|until|from)\s+)?(?:the\s+)?(?:end\s+of\s+)?"
                          r"epoch\s*(?:no\.?\s*|number\s*|#\s*)?(?P<rest>.+)$", re.I)
_ORDINAL_EPOCH = re.compile(r"^(?:(?:after|at|in|on|by|until)\s+)?(?:the\s+)?(?P<rest>\d+|[a-z -]+?)"
                            r"(?:st|nd|rd|th)?\s+epochs?$", re.I)
_POWER_OF_TEN = re.compile(r"^(?P<sign>[+-]?)\s*10\s*(?:\^|\*\*)\s*(?P<exp>[+-]?\d{1,4})(?P<rest>\s*\D*)$")
# a point and exactly three digits: a decimal point (10.000 = 10) or, in much of Europe, a
# thousands point (10.000 = 10,000)
_POINT_GROUP = re.compile(r"^[+-]?(?P<int>[1-9]\d{0,2})\.(?P<frac>\d{3})(?!\d)")

# Unit words a learner may add after the number, by what they count. A word from another family
# than the question's ("32 samples" for iterations) is reported, not silently dropped.
UNIT_FAMILIES = {
    "updates": """iteration iterations iter iters it update updates step steps batch batches
                  weight-update weight-updates optimizer-step optimizer-steps optimiser-step
                  optimiser-steps training-step training-steps gradient-step gradient-steps
                  mini-batch mini-batches minibatch minibatches""",
    "samples": """sample samples example examples image images samples-per-batch
                  training-samples data-points""",
    "epochs": "epoch epochs",
    "seconds": "s sec secs second seconds",
    "minutes": "min mins minute minutes",
    "hours": "h hr hrs hour hours",
    "percent": "% percent pc per-cent percentage",
}
_FAMILY = {word: family for family, words in UNIT_FAMILIES.items() for word in words.split()}
UNIT_WORDS = frozenset(_FAMILY)
# what a question's unit (Answer.unit) counts
QUESTION_UNITS = {"iterations": "updates", "updates": "updates", "samples": "samples",
                  "samples per batch": "samples", "epochs": "epochs", "epoch": "epochs",
                  "seconds": "seconds", "minutes": "minutes", "%": "percent"}
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2009\u202f\u2007\u200a\u3000"), " ")
_DASHES = dict.fromkeys(map(ord, "\u2212\u2013\u2014\u2010\u2011"), "-")
_SUPERSCRIPT = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7",
                "⁸": "8", "⁹": "9", "⁻": "-", "⁺": "+"}


def unit_family(word: str) -> str:
    """'iterations' → 'updates', '%' → 'percent', '' → ''; an unknown word is its own family."""
    key = "-".join(word.lower().rstrip(".").replace("-", " ").split())
    return _FAMILY.get(key, key)


@dataclass(frozen=True)
class ParsedNumber:
    """What was read: a value, or a message for the learner (never both)."""

    value: Decimal | None = None
    message: str = ""
    percent: bool = False  # typed with %, "percent" or "pc"
    unit: str = ""  # the unit word as typed ("iterations", "epoch" for "epoch 6"), lowercased
    # "1.250" read as 1.25, when a thousands point (1,250) was possible too: a question whose
    # answer is a whole number asks which was meant instead of guessing
    thousands_reading: Decimal | None = None

    @property
    def ok(self) -> bool:
        return self.value is not None

    @property
    def is_whole(self) -> bool:
        return self.value is not None and self.value == self.value.to_integral_value()

    @property
    def family(self) -> str:
        return unit_family(self.unit) if self.unit else ""


def _invalid(message: str) -> ParsedNumber:
    return ParsedNumber(None, message)


def _explain_failure(text: str) -> str:
    low = text.lower()
    if re.search(r"\b(nan|inf|infinity)\b|∞", low):
        return "That is not a finite number. Type an ordinary number, like 32 or 0.25."
    if text.startswith("^"):
        return "A superscript on its own is not a number. Type ordinary digits, like 32 or 1e3."
    if "/" in text or "÷" in text or "^" in text or re.search(r"\d\s*[-+*×]\s*\d", text.lstrip("+-")):
        return ("Type the result as one number, not a calculation: work it out first "
                "(for example 1000 / 32 → 31.25).")
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3}){2,}", text):
        return ("Points between groups of three digits can't be read here: write a million as "
                "1,000,000, 1 000 000 or 1000000.")
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


def _plain_characters(text: str) -> str | ParsedNumber:
    """Digits of any script as ASCII, superscripts as a power (10³ → 10^3, never 103), and
    everything else NFKC-folded (full-width forms). Characters that only look like numbers
    (½, ①, ₂) are refused: NFKC would turn ½ into 1⁄2 and ₂ into 2, which is not what was meant."""
    out, in_super = [], False
    for ch in text:
        if ch in _SUPERSCRIPT:
            out.append(("" if in_super else "^") + _SUPERSCRIPT[ch])
            in_super = True
            continue
        in_super = False
        if unicodedata.category(ch) == "Cf":  # zero-width spaces and joiners a paste brings along
            continue
        if unicodedata.category(ch) == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        elif unicodedata.category(ch) == "No" or unicodedata.decomposition(ch).startswith(
                ("<sub>", "<circle>", "<fraction>", "<super>")):
            return _invalid(f"“{ch}” can't be read as part of a number. Type ordinary digits, "
                            "like 32 or 0.5.")
        else:
            out.append(ch)
    return unicodedata.normalize("NFKC", "".join(out)).translate(_SPACES).translate(_DASHES).strip()


def _number_words(text: str) -> ParsedNumber | None:
    """"thirty-two", "thirty two iterations", "three hundred and twenty": read with text2num.
    None when the text is not number words."""
    words = text.lower().split()
    unit = ""
    if len(words) > 1 and words[-1].rstrip(".") in UNIT_WORDS:
        unit = words.pop().rstrip(".")
    if not words or not re.fullmatch(r"[a-z -]+", " ".join(words)):
        return None
    try:
        value = text2num(" ".join(words), "en")
    except (ValueError, TypeError):
        return None
    return ParsedNumber(value=Decimal(value), percent=unit_family(unit) == "percent", unit=unit)


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
    clean = _plain_characters(stripped)
    if isinstance(clean, ParsedNumber):
        return clean
    prefix_unit = ""
    epoch = _EPOCH_FIRST.match(clean) or _ORDINAL_EPOCH.match(clean)
    if epoch:
        clean, prefix_unit = epoch.group("rest").strip(), "epoch"
    power = _POWER_OF_TEN.match(clean)
    if power:  # 10^3, 10³ → 1e3 (4⁶ stays a calculation, refused as one)
        clean = f"{power.group('sign')}1e{power.group('exp')}{power.group('rest')}"
    if not re.search(r"\d", clean):
        words = _number_words(clean)
        if words is not None:
            return _with_prefix(words, prefix_unit)
    match = _NUMBER.match(clean)
    if not match or not (match.group("int") or match.group("frac")):
        return _invalid(_explain_failure(clean))
    unit = " ".join((match.group("unit") or "").rstrip(".").lower().split())
    percent = unit_family(unit) == "percent"
    if unit and unit_family(unit) not in UNIT_FAMILIES:
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
    if value and abs(value) < MIN_MAGNITUDE:
        return _invalid("That number is far too small to be the answer here. Check the exponent.")
    thousands = None
    group = _POINT_GROUP.match(clean)
    if group and not match.group("exp1") and not match.group("exp2"):
        if group.group("frac") == "000":  # 10.000 is ten or ten thousand: ask, don't guess
            whole = group.group("int")
            return _invalid(f"“{whole}.000” could be {whole} (a decimal point) or {whole},000 (a "
                            f"thousands point). Type it without the point: {whole} or {whole}000.")
        thousands = Decimal(group.group("int") + group.group("frac"))
    return _with_prefix(ParsedNumber(value=value, percent=percent, unit=unit, thousands_reading=thousands),
                        prefix_unit)


def _with_prefix(parsed: ParsedNumber, prefix_unit: str) -> ParsedNumber:
    """"epoch 6" is 6 with the unit "epoch"; "epoch 6 samples" names two units: refused."""
    if not prefix_unit:
        return parsed
    if parsed.unit and parsed.family != "epochs":
        return _invalid(f"“epoch … {parsed.unit}” names two different things. Type just the number.")
    return replace(parsed, unit=prefix_unit)


def read_back(parsed: ParsedNumber) -> str:
    """How a number was read, as shown to the learner and stored with the try: "1,000", "85%";
    never longer than MAX_READ_BACK characters (scientific notation beyond that)."""
    if parsed.value is None:
        return ""
    text = format_number(parsed.value) + ("%" if parsed.percent else "")
    if len(text) > MAX_READ_BACK:
        text = f"{parsed.value:.6E}" + ("%" if parsed.percent else "")
    return text[:MAX_READ_BACK]


def format_number(value: Decimal | int | float | str, places: int | None = None) -> str:
    """1234567 → '1,234,567'; 31.25 → '31.25'; Decimal('2.50') → '2.5'. With `places`, rounds."""
    d = Decimal(str(value))
    if places is not None:
        d = round(d, places)
    if d == d.to_integral_value():
        return f"{int(d):,}"
    text = f"{d:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
