"""The lesson schema. Each model is one kind of thing a teacher writes in a YAML file.

`extra="forbid"` everywhere: a misspelt field name in a hand-edited file is an error that
names it, not a silently ignored line.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Id = str  # lowercase, digits and dashes: stable ids are what flashcard progress is keyed on
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _text(min_length: int = 1):
    return Field(min_length=min_length)


class LessonInfo(Strict):
    """lesson.yaml: what the lesson is, and its summaries at three levels."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = _text()
    order: int = 100
    description: str = _text()
    summaries: "Summaries"


class Summaries(Strict):
    quick: str = _text()
    standard: str = _text()
    detailed: str = _text()


class DialogueLine(Strict):
    speaker: str = _text()
    text: str = _text()


class DialoguePart(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str = _text()
    lines: list[DialogueLine] = Field(min_length=1)


class Topic(Strict):
    """An explanation with its analogy."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = _text()
    explanation: str = _text()
    analogy_title: str = _text()
    analogy: str = _text()


class KeyConcept(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str = _text()
    text: str = _text()
    terms: list[str] = []


class WorkedExample(Strict):
    """A worked example. With `n_samples` and `batch_size` the engine computes and shows the
    arithmetic, so a typo in a number can never teach a wrong result."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = _text()
    text: str = _text()
    n_samples: int | None = Field(default=None, ge=1, le=10**9)
    batch_size: int | None = Field(default=None, ge=1, le=10**9)
    epochs: int | None = Field(default=None, ge=1, le=10**6)

    @model_validator(mode="after")
    def _numbers_come_together(self):
        if (self.n_samples is None) != (self.batch_size is None):
            raise ValueError("n_samples and batch_size go together: give both or neither")
        if self.epochs is not None and self.n_samples is None:
            raise ValueError("epochs needs n_samples and batch_size too")
        return self


class AcronymLetter(Strict):
    letter: str = Field(min_length=1, max_length=3)
    stands_for: str = _text()


class SelfCheck(Strict):
    """A one-line question about a memory aid, answered in a text box."""

    id: str = Field(pattern=ID_PATTERN)
    prompt: str = _text()
    answer: str = _text()
    alternatives: list[str] = []


class MemoryAid(Strict):
    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["rhyme", "story", "gem", "acronym"]
    title: str = _text()
    text: str = _text()
    helps_remember: str = _text()
    letters: list[AcronymLetter] = []
    checks: list[SelfCheck] = []


class Term(Strict):
    id: str = Field(pattern=ID_PATTERN)
    term: str = _text()
    definition: str = _text()
    alternatives: list[str] = []
    related: list[str] = []
    examples: list[str] = []


class Misconception(Strict):
    """What students wrongly believe, why it is wrong, and what is right."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = _text()
    wrong: str = _text()
    # The right idea as one short, plain sentence in the style of `wrong` (about as long, no
    # Markdown): the true option of "Which statement is true?", so the right option can't be
    # spotted by its length or its bold text. Without it the misconception is only a distractor.
    statement: str = ""
    why: str = _text()
    right: str = _text()
    terms: list[str] = []


class Flashcard(Strict):
    """A hand-written card beyond those made from the glossary and key concepts."""

    id: str = Field(pattern=ID_PATTERN)
    front: str = _text()
    back: str = _text()
    alternatives: list[str] = []
    terms: list[str] = []


class Lesson(Strict):
    """One lesson folder, validated as a whole (ids unique, references resolved)."""

    info: LessonInfo
    dialogue: list[DialoguePart]
    topics: list[Topic]
    key_concepts: list[KeyConcept]
    examples: list[WorkedExample]
    memory_aids: list[MemoryAid]
    glossary: list[Term]
    misconceptions: list[Misconception]
    flashcards: list[Flashcard] = []

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def title(self) -> str:
        return self.info.title

    def term(self, term_id: str) -> Term:
        return next(t for t in self.glossary if t.id == term_id)

    def example(self, example_id: str) -> WorkedExample:
        return next(e for e in self.examples if e.id == example_id)


LessonInfo.model_rebuild()
