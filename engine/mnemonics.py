"""Memory aids grouped for the Mnemonics page, and their quick self-checks."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from engine.answers import UNIT_FAMILIES, unit_family
from engine.content.models import Lesson, MemoryAid, SelfCheck
from engine.lenient import judge, normalise, numbers, words_without_numbers

KIND_HEADINGS = {"rhyme": "Rhymes", "story": "Stories", "gem": "Memory gems", "acronym": "Acronyms"}


def grouped(lesson: Lesson) -> list[tuple[str, list[MemoryAid]]]:
    """(heading, aids) in a fixed order, skipping kinds the lesson has none of."""
    return [(heading, [a for a in lesson.memory_aids if a.kind == kind])
            for kind, heading in KIND_HEADINGS.items()
            if any(a.kind == kind for a in lesson.memory_aids)]


@dataclass(frozen=True)
class CheckResult:
    status: Literal["correct", "incorrect", "invalid"]
    message: str


def accepted_answers(check: SelfCheck, aid: MemoryAid | None = None,
                     lesson: Lesson | None = None) -> tuple[str, ...]:
    """The check's answer and alternatives, plus the lesson's own synonyms: a glossary term's
    other names ("val_loss", "step", "dev set"), and for a count the other words for the same
    thing ("320 steps", "32 batches" where the answer counts iterations). An acronym's letter
    stands for its own word only, so its checks are not widened."""
    given = (check.answer, *check.alternatives)
    extra: list[str] = []
    for text in given:
        found = numbers(text)
        if found:
            families = {unit_family(w) for w in words_without_numbers(text)}
            if len(found) == 1 and families == {"updates"}:
                count = format(found[0], "f")
                extra += [f"{count} {w.replace('-', ' ')}" for w in UNIT_FAMILIES["updates"].split()]
            continue
        if lesson is None or (aid is not None and aid.letters):
            continue
        for term in lesson.glossary:
            names = (term.term, *term.alternatives)
            if normalise(text) in {normalise(n) for n in names}:
                extra += names
    return tuple(dict.fromkeys((*given, *extra)))


def check_answer(check: SelfCheck, response: str, aid: MemoryAid | None = None,
                 lesson: Lesson | None = None) -> CheckResult:
    answer, *alternatives = accepted_answers(check, aid, lesson)
    verdict = judge(response or "", answer, alternatives)
    if verdict == "blank":
        return CheckResult("invalid", "Type an answer first.")
    if verdict == "right":
        return CheckResult("correct", f"Right: {check.answer}.")
    if verdict == "close":
        return CheckResult("incorrect", f"Almost: check the spelling. The answer is: {check.answer}.")
    why = f" Remember: {aid.helps_remember}" if aid else ""
    return CheckResult("incorrect", f"Not quite. The answer is: {check.answer}.{why}")
