"""The records of the quiz: a generated Question and the Grade of one response.

Both are frozen dataclasses that round-trip through plain dicts (JSON-safe: numbers travel as
strings, so Decimals stay exact), because assignments store them server-side and the quiz page
keeps them in session state. `Question.public_dict()` is what a client may see before grading:
no answer, no known mistakes, no solution.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, Literal

AnswerKind = Literal["integer", "real", "choice"]
Status = Literal["correct", "incorrect", "invalid"]


@dataclass(frozen=True)
class Answer:
    """What counts as right. Numbers: every value in [low, high] (a single value for an exact
    count; a range for "any batch size that gives k iterations"; value ± tolerance for a real).
    Choices: the letter of the right option."""

    kind: AnswerKind
    value: str  # the canonical answer shown after grading, e.g. "32" or "B"
    low: str = ""
    high: str = ""
    tolerance: str = "0"  # stated to the learner for real answers
    unit: str = ""  # "iterations", "%", "seconds" … shown beside the answer box

    def accepts(self, x: Decimal) -> bool:
        return Decimal(self.low) <= x <= Decimal(self.high)


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer and the feedback that names it. Numbers match when they fall in
    [low, high]; a choice matches its letter."""

    id: str
    value: str  # the wrong answer as a learner would type it (used by exports and tests)
    feedback: str
    low: str = ""
    high: str = ""
    choice: str = ""

    def matches(self, x: Decimal | None = None, choice: str = "") -> bool:
        if self.choice:
            return choice == self.choice
        return x is not None and Decimal(self.low) <= x <= Decimal(self.high)


@dataclass(frozen=True)
class Question:
    template_id: str
    seed: int
    kind: str  # the question kind as the learner sees it, e.g. "Iterations per epoch"
    prompt: str  # Markdown; always states every number the question depends on
    params: dict[str, Any]
    answer: Answer
    mistakes: tuple[Mistake, ...] = ()
    hint: str = ""  # for a wrong answer that matches no known mistake
    solution: tuple[str, ...] = ()  # the worked solution, one step per line
    choices: tuple[str, ...] = ()  # multiple choice: options in order (A, B, C, …)
    table: dict[str, list] | None = None  # a training history: column -> values, shown as a table

    @property
    def id(self) -> str:
        return f"{self.template_id}:{self.seed}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Question":
        d = dict(data)
        d["answer"] = Answer(**d["answer"])
        d["mistakes"] = tuple(Mistake(**m) for m in d.get("mistakes", ()))
        d["solution"] = tuple(d.get("solution", ()))
        d["choices"] = tuple(d.get("choices", ()))
        return cls(**d)

    def public_dict(self) -> dict[str, Any]:
        """Everything needed to show and answer the question, nothing that gives it away."""
        return {
            "template_id": self.template_id, "seed": self.seed, "kind": self.kind,
            "prompt": self.prompt, "choices": list(self.choices), "table": self.table,
            "answer_kind": self.answer.kind, "unit": self.answer.unit,
            "tolerance": self.answer.tolerance if self.answer.kind == "real" else None,
        }


@dataclass(frozen=True)
class Grade:
    status: Status
    feedback: str
    mistake: str | None = None  # id of the known mistake the response matched
    misconception: dict[str, str] | None = None  # the lesson's entry for exactly this mistake
    solution: tuple[str, ...] = ()
    correct_answer: str = ""  # formatted, with its unit
    read_as: str = ""  # how the response was read, e.g. "1,000" for "1e3"
    reminder: str = ""  # the general rule behind the mistake (no numbers), when there is one
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def counts_as_try(self) -> bool:
        return self.status != "invalid"

    def public_dict(self, reveal: bool) -> dict[str, Any]:
        """What a client may see: the worked solution and the answer only when `reveal` (after
        a right answer or the last try), so a learner can't read them off a wrong try."""
        d = self.to_dict()
        if not reveal:
            d["solution"], d["correct_answer"] = [], ""
        return d

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Grade":
        d = dict(data)
        d["solution"] = tuple(d.get("solution", ()))
        return cls(**d)
