"""Grade one response: correct, incorrect (naming the mistake when it is a known one), or
invalid (unreadable input, which costs no try)."""
from __future__ import annotations

from decimal import Decimal

from engine.answers import format_number, parse_number

from .build import is_correct
from .mistakes import lesson_misconception, reminder
from .model import Grade, Question


def correct_answer_text(question: Question) -> str:
    a = question.answer
    if a.kind == "choice":
        i = "ABCDEF".index(a.value)
        return f"{a.value}: {question.choices[i]}" if i < len(question.choices) else a.value
    if a.unit == "epoch":  # an epoch number reads "epoch 11", never "11 epoch"
        before = "after epoch" if question.template_id == "early-stopping" else "epoch"
        return f"{before} {format_number(Decimal(a.value))}"
    unit = f" {a.unit}" if a.unit and a.unit != "%" else a.unit
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

    What costs a try: any readable wrong answer, including a known slip like an unrounded
    division (31.25 for a count). Free: unreadable text, a negative count, a % where none
    belongs, and any other non-whole number where the answer is a whole number."""
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
    read_as = format_number(x) + ("%" if parsed.percent else "")
    if parsed.percent and a.unit != "%":
        return result("invalid", "This answer is not a percentage: type the number without %.", read_as=read_as)
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
