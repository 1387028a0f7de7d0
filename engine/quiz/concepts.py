"""Multiple-choice concept questions built from the lesson's glossary and misconceptions.

Distractors are chosen to be plausible: a term's own related terms first (epoch vs iteration vs
batch), and for a misconception its own wrong belief first, the one students actually hold.
Picking a wrong option explains what that option really means, in the lesson's words.
"""
from __future__ import annotations

import random
import re

from engine.content import Lesson

from .mistakes import library
from .model import Answer, Mistake

LETTERS = "ABCDEF"


def _lessons_with(predicate) -> list[Lesson]:
    return [lesson for lesson in library().ordered() if predicate(lesson)]


def has_glossary() -> bool:
    return bool(_lessons_with(lambda l: len(l.glossary) >= 4))


def has_misconceptions() -> bool:
    return bool(_lessons_with(lambda l: len(l.misconceptions) >= 3))


def _blank(text: str, words: list[str]) -> str:
    """Hide the term itself (and its other names) in its definition, so the definition doesn't
    give the answer away."""
    for word in sorted(filter(None, words), key=len, reverse=True):
        text = re.sub(rf"(?i)\b{re.escape(word)}(e?s)?\b", "…", text)
    return text


def term_for_definition(rng: random.Random) -> dict:
    lessons = _lessons_with(lambda l: len(l.glossary) >= 4)
    if not lessons:
        raise LookupError("No lesson has a glossary of at least four terms.")
    lesson = rng.choice(lessons)
    term = rng.choice(lesson.glossary)
    related = [t for t in lesson.glossary if t.id in term.related and t.id != term.id]
    others = [t for t in lesson.glossary if t.id != term.id and t not in related]
    rng.shuffle(related)
    rng.shuffle(others)
    options = [term, *(related + others)[:3]]
    rng.shuffle(options)
    right = LETTERS[options.index(term)]
    definition = _blank(term.definition, [term.term, *term.alternatives])
    return dict(
        prompt=f"Which term does this describe?\n\n> {definition}",
        params={"lesson": lesson.id, "term": term.id},
        choices=tuple(t.term for t in options),
        answer=Answer("choice", right),
        mistakes=[Mistake(f"confused-with-{t.id}", LETTERS[i],
                          f"**{t.term}** is something else: {t.definition}", choice=LETTERS[i])
                  for i, t in enumerate(options) if t is not term],
        hint="Read the description again and think of the one idea it pins down.",
        solution=[f"**{term.term}**: {term.definition}"],
    )


def true_statement(rng: random.Random) -> dict:
    lessons = _lessons_with(lambda l: len(l.misconceptions) >= 3)
    if not lessons:
        raise LookupError("No lesson has at least three misconceptions.")
    lesson = rng.choice(lessons)
    target = rng.choice(lesson.misconceptions)
    others = [m for m in lesson.misconceptions if m.id != target.id]
    rng.shuffle(others)
    # (statement, misconception it belongs to, is it the right one)
    options = [(target.right, target, True), (target.wrong, target, False),
               *((m.wrong, m, False) for m in others[:2])]
    rng.shuffle(options)
    right = LETTERS[next(i for i, o in enumerate(options) if o[2])]
    return dict(
        prompt="Which of these statements is **true**?",
        params={"lesson": lesson.id, "misconception": target.id},
        choices=tuple(text for text, _m, _ok in options),
        answer=Answer("choice", right),
        mistakes=[Mistake(m.id, LETTERS[i], f"That is a common misconception: {m.why} {m.right}",
                          choice=LETTERS[i])
                  for i, (_text, m, ok) in enumerate(options) if not ok],
        hint="Only one statement is right; the others are beliefs students often hold.",
        solution=[f"True: {target.right}", f"Why the belief “{target.wrong}” is wrong: {target.why}"],
    )
