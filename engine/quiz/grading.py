"""Grade one response: correct, incorrect (naming the mistake when it is a known one), or
invalid (unreadable input, which costs no try)."""
from __future__ import annotations

from decimal import Decimal

from engine.answers import QUESTION_UNITS, format_number, parse_number, read_back

from .build import is_correct
from .mistakes import lesson_misconception, reminder
from .model import Grade, Question


# The one rule about what costs a try, for the quiz page's caption and the help under each
# question (ui/quiz_question.py shows it under every answer box).
TRY_RULE = ("A readable wrong answer uses a try, and so does a known slip such as an unrounded "
            "division. Anything the quiz can't read, a unit that doesn't fit, or another number that "
            "isn't whole where the answer is, doesn't.")

_UNIT_NAMES = {"updates": "iterations (weight updates)", "samples": "samples", "epochs": "epochs",
               "seconds": "seconds", "minutes": "minutes", "hours": "hours", "percent": "a percentage"}


def _unit_clash(question: Question, typed_unit: str, family: str) -> str | None:
    """A unit word that contradicts the question ("32 samples" for iterations, "1.9 minutes"
    for seconds) is reported, free, instead of being dropped or charged as a miss."""
    wanted = QUESTION_UNITS.get(question.answer.unit)
    if not family or not wanted or family == wanted:
        return None
    asked = _UNIT_NAMES.get(wanted, question.answer.unit)
    if {family, wanted} <= {"seconds", "minutes", "hours"}:
        return (f"You gave the time in {_UNIT_NAMES[family]}, but this question asks for it in {asked}: "
                f"convert it and type it in {asked}.")
    if family == "epochs" and typed_unit == "epoch":
        return f"That reads as an epoch number, but this question asks for {asked}: type just the number."
    if wanted == "percent":
        return f"You wrote {typed_unit}, but this question asks for a percentage: type just the number (with or without %)."
    return f"You wrote {typed_unit}, but this question asks for {asked}: type the number of {asked}."


_ONE = {"iterations": " iteration", "samples": " sample", "epochs": " epoch", "updates": " update",
        "seconds": " second", "minutes": " minute"}


def _ask_which(question: Question, point: Decimal, thousands: Decimal) -> bool:
    """For "12.625" where a whole number is wanted: read it as the decimal only when that is a
    known slip (an unrounded division) and 12,625 means nothing here; otherwise ask."""
    def known(x: Decimal) -> bool:
        return is_correct(question.answer, x) or any(m.matches(x) for m in question.mistakes)
    return known(thousands) or not known(point)


def correct_answer_text(question: Question) -> str:
    a = question.answer
    if a.kind == "choice":
        i = "ABCDEF".index(a.value)
        return f"{a.value}: {question.choices[i]}" if i < len(question.choices) else a.value
    if a.unit == "epoch":  # an epoch number reads "epoch 11", never "11 epoch"
        before = "after epoch" if question.template_id == "early-stopping" else "epoch"
        return f"{before} {format_number(Decimal(a.value))}"
    unit = f" {a.unit}" if a.unit and a.unit != "%" else a.unit
    if a.low == a.high and Decimal(a.value) == 1:  # "1 iteration", never "1 iterations"
        unit = _ONE.get(a.unit.strip(), unit)
    if a.kind == "real":
        return f"{format_number(Decimal(a.value))}{unit} (± {format_number(Decimal(a.tolerance))})"
    if a.low != a.high:
        return f"any whole number from {format_number(Decimal(a.low))} to {format_number(Decimal(a.high))}{unit}"
    return f"{format_number(Decimal(a.value))}{unit}"


def _read_choice(question: Question, response: str) -> str | None:
    text = response.strip() if isinstance(response, str) else ""
    letters = "ABCDEF"[: len(question.choices)]
    if len(text) == 1 and text.upper() in letters:
        return text.upper()
    for letter, option in zip(letters, question.choices):
        if text.casefold() == option.strip().casefold():
            return letter
    return None


def grade(question: Question, response: str) -> Grade:
    """Never raises on any response text.

    What costs a try (TRY_RULE): any readable wrong answer, including a known slip like an
    unrounded division (31.25 for a count). Free: unreadable text (look-alike digits included),
    a negative count, a % or another unit the question doesn't ask for, "10.000"-style numbers
    that could be read two ways, and any other non-whole number where the answer is whole."""
    a = question.answer
    solution = question.solution
    shown = correct_answer_text(question)

    def result(status, feedback, mistake=None, read_as=""):
        entry = lesson_misconception(mistake)
        rule = reminder(mistake) if entry else ""
        return Grade(status, feedback, mistake, entry, solution, shown, read_as, rule)

    if a.kind == "choice":
        letter = _read_choice(question, response)
        if letter is None:
            return result("invalid", f"Choose one of the options ({', '.join('ABCDEF'[:len(question.choices)])}).")
        if letter == a.value:
            return result("correct", "Right.", read_as=letter)
        m = next((m for m in question.mistakes if m.matches(choice=letter)), None)
        return result("incorrect", m.feedback if m else question.hint,
                      m.id if m else None, letter)

    parsed = parse_number(response)
    if not parsed.ok:
        return result("invalid", parsed.message)
    x = parsed.value
    read_as = read_back(parsed)
    if parsed.percent and a.unit != "%":
        return result("invalid", "This answer is not a percentage: type the number without %.", read_as=read_as)
    clash = None if parsed.percent else _unit_clash(question, parsed.unit, parsed.family)
    if clash:
        return result("invalid", clash, read_as=read_as)
    if parsed.thousands_reading is not None and a.kind == "integer" and _ask_which(question, x, parsed.thousands_reading):
        # 1.250 for a count: 1.25 is no count, 1,250 may well be; ask rather than guess (free)
        return result("invalid", f"“{str(response).strip()}” could be {format_number(x)} (a decimal point) or "
                      f"{format_number(parsed.thousands_reading)} (a thousands point, as in much of Europe). "
                      "Type it without the point, or with a comma for thousands.", read_as=read_as)
    if a.kind == "integer" and x < 0:
        what = "an epoch number" if a.unit == "epoch" else f"a whole number of {a.unit or 'things'}"
        return result("invalid", f"A count can't be negative: type {what}.",
                      read_as=read_as)
    if is_correct(a, x):
        extra = ""
        if a.kind == "integer" and a.low != a.high:
            extra = f" Any batch size from {format_number(Decimal(a.low))} to {format_number(Decimal(a.high))} works."
        return result("correct", f"Right: {read_as}.{extra}", read_as=read_as)
    m = next((m for m in question.mistakes if m.matches(x)), None)
    if m:
        return result("incorrect", m.feedback, m.id, read_as)
    if a.kind == "integer" and x != x.to_integral_value():
        # The rule (same for every question): a non-whole number for a whole-number answer is
        # free unless it is a known slip such as an unrounded division, which was checked above.
        return result("invalid", f"This question needs a whole number; {read_as} isn't one. "
                      "Round to a whole number and try again.", read_as=read_as)
    from .templates import TEMPLATES  # here, not at the top: templates import this module's siblings

    template = TEMPLATES.get(question.template_id)
    explained = template.explain_other(question, x) if template and template.explain_other else None
    if explained:
        return result("incorrect", explained[1], explained[0], read_as)
    # The page heads this "Not quite.", so the text doesn't say it again.
    return result("incorrect", f"{read_as} is not right. {question.hint}", read_as=read_as)
