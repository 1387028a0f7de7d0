"""Multiple-choice concept questions built from the lesson's glossary and misconceptions.

Distractors are chosen to be plausible: a term's own related terms first (epoch vs iteration vs
batch), and for a misconception the wrong beliefs students hold about the same terms.
Picking a wrong option explains what that option really means, in the lesson's words.

Fair by construction: no distractor is another name for the right term (Batch and Mini-batch
are the same thing), only the term's own spellings are blanked out of its definition (blanking
"step" or "instance" would garble it), and every option of "Which statement is true?" is a
short plain sentence, so neither length nor bold text gives the right one away.
"""
from __future__ import annotations

import random
import re
from itertools import combinations

from engine.content import Lesson
from engine.content.models import Term

from .mistakes import library
from .model import Answer, Mistake

LETTERS = "ABCDEF"


def _lessons_with(predicate) -> list[Lesson]:
    return [lesson for lesson in library().ordered() if predicate(lesson)]


def has_glossary() -> bool:
    return bool(_lessons_with(lambda l: len(l.glossary) >= 4))


def _targets(lesson: Lesson) -> list:
    return [m for m in lesson.misconceptions if m.statement]


def has_misconceptions() -> bool:
    return bool(_lessons_with(lambda l: len(l.misconceptions) >= 3 and _targets(l)))


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def names(term: Term) -> set[str]:
    """Every name the glossary gives a term, compared without case, spaces or dashes."""
    return {_key(n) for n in (term.term, *term.alternatives)}


def same_thing(a: Term, b: Term) -> bool:
    """Two glossary entries that share a name (Batch / Mini-batch, Iteration / Weight update
    both "step") would make two right options."""
    return bool(names(a) & names(b))


def _spellings(term: Term) -> list[str]:
    """The term and those alternatives that are only another spelling or short form of it
    (epochs, minibatch, EarlyStopping, backprop, SGD), never a different word such as "step"."""
    key = _key(term.term)
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", term.term)).casefold()
    out = [term.term]
    for alt in term.alternatives:
        k = _key(alt)
        if (len(k) >= 4 and (k[:5] == key[:5] or key.startswith(k))) or (alt.isupper() and k == initials):
            out.append(alt)
    return out


def _blank(text: str, words: list[str]) -> str:
    """Hide the term itself (and its other spellings) in its definition, so the definition
    doesn't give the answer away."""
    for word in sorted(filter(None, words), key=len, reverse=True):
        text = re.sub(rf"(?i)(?<![\w-]){re.escape(word)}(e?s)?(?![\w-])", "…", text)
    return text


def definition_for_quiz(term: Term) -> str:
    return _blank(term.definition, _spellings(term))


_SMALL_WORDS = {"the", "a", "an", "of", "is", "in", "and", "on", "to", "set"}


def _content_words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]+", text.lower())} - _SMALL_WORDS


def _overlap(term: Term, text: str) -> float:
    """The share of the term's words that appear in the text."""
    words = _content_words(term.term)
    return len(words & _content_words(text)) / len(words) if words else 0.0


def _something_else(chosen: Term, right: Term) -> str:
    """What the chosen term means, unless its definition names the right term (Learning rate's
    mentions the gradient): that would hand over the answer before the last try."""
    said = _blank(chosen.definition, _spellings(right))
    if said != chosen.definition:
        return f"**{chosen.term}** is something else: look it up in the glossary, then read the description again."
    return f"**{chosen.term}** is something else: {chosen.definition}"


def term_for_definition(rng: random.Random) -> dict:
    lessons = _lessons_with(lambda l: len(l.glossary) >= 4)
    if not lessons:
        raise LookupError("No lesson has a glossary of at least four terms.")
    lesson = rng.choice(lessons)
    term = rng.choice(lesson.glossary)
    definition = definition_for_quiz(term)
    fair = [t for t in lesson.glossary if t.id != term.id and not same_thing(t, term)]
    related = [t for t in fair if t.id in term.related]
    others = [t for t in fair if t not in related]
    rng.shuffle(related)
    rng.shuffle(others)
    # The right term's own words are blanked out of the description, so a distractor whose
    # words do show ("batch" in the description of an iteration) could be ruled out by form
    # alone. Distractors are taken so that, like the right term, their words are as present or
    # absent in the description: the most plausible such ones first.
    target = _overlap(term, definition)
    candidates = sorted(related + others, key=lambda t: abs(_overlap(t, definition) - target) > 0.25)
    options = [term, *candidates[:3]]
    rng.shuffle(options)
    right = LETTERS[options.index(term)]
    return dict(
        prompt=f"Which term does this describe?\n\n> {definition}",
        params={"lesson": lesson.id, "term": term.id},
        choices=tuple(t.term for t in options),
        answer=Answer("choice", right),
        mistakes=[Mistake(f"confused-with-{t.id}", LETTERS[i], _something_else(t, term), choice=LETTERS[i])
                  for i, t in enumerate(options) if t is not term],
        hint="Read the description again and think of the one idea it pins down.",
        solution=[f"**{term.term}**: {term.definition}"],
    )


def plain_text(text: str) -> str:
    """A statement as plain text: no bold, italics or code marks, one line."""
    return " ".join(re.sub(r"\*\*|(?<!\w)\*|\*(?!\w)|`", "", text).split())


def true_statement(rng: random.Random) -> dict:
    lessons = _lessons_with(lambda l: len(l.misconceptions) >= 3 and _targets(l))
    if not lessons:
        raise LookupError("No lesson has at least three misconceptions with a true statement.")
    lesson = rng.choice(lessons)
    target = rng.choice(_targets(lesson))
    others = [m for m in lesson.misconceptions if m.id != target.id]
    rng.shuffle(others)
    # Plausible distractors: beliefs about the same terms first. The target's own wrong belief is
    # not among them: beside the right statement it would make the one pair of near-twins, and
    # "pick from the most similar pair" would find the answer 9 times in 10. It is quoted in the
    # solution instead.
    others.sort(key=lambda m: -len(set(m.terms) & set(target.terms)))
    pool = others[:8]
    # Length carries no signal: draw where the right statement ranks by length (each place
    # equally likely) and take the most plausible three distractors that put it there.
    want = rng.randrange(4)
    triples = list(combinations(pool, 3))

    def rank(triple) -> int:
        return sum(len(m.wrong) > len(target.statement) for m in triple)

    chosen = min(triples, key=lambda tr: abs(rank(tr) - want)) if triples else others[:3]
    # (statement, misconception it belongs to, is it the right one)
    options = [(target.statement, target, True), *((m.wrong, m, False) for m in chosen)]
    rng.shuffle(options)
    right = LETTERS[next(i for i, o in enumerate(options) if o[2])]
    return dict(
        prompt="Which of these statements is **true**?",
        params={"lesson": lesson.id, "misconception": target.id},
        choices=tuple(plain_text(text) for text, _m, _ok in options),
        answer=Answer("choice", right),
        # the why names the principle; the lesson's `right` is left for the solution, since it
        # would hand over the true option before the last try
        mistakes=[Mistake(m.id, LETTERS[i], f"That is a common misconception: {m.why}", choice=LETTERS[i])
                  for i, (_text, m, ok) in enumerate(options) if not ok],
        hint="Only one statement is right; the others are beliefs students often hold.",
        solution=[f"True: {plain_text(target.statement)}", f"In the lesson's words: {target.right}",
                  f"A belief students often hold instead: “{target.wrong}” {target.why}"],
    )
