"""Memory aids grouped for the Mnemonics page, and their quick self-checks."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from engine.content.models import Lesson, MemoryAid, SelfCheck
from engine.lenient import judge

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


def check_answer(check: SelfCheck, response: str, aid: MemoryAid | None = None) -> CheckResult:
    verdict = judge(response or "", check.answer, check.alternatives)
    if verdict == "blank":
        return CheckResult("invalid", "Type an answer first.")
    if verdict == "right":
        return CheckResult("correct", f"Right: {check.answer}.")
    if verdict == "close":
        return CheckResult("incorrect", f"Almost: check the spelling. The answer is: {check.answer}.")
    why = f" Remember: {aid.helps_remember}" if aid else ""
    return CheckResult("incorrect", f"Not quite. The answer is: {check.answer}.{why}")
