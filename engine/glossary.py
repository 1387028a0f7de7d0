"""Glossary search: filter terms as the student types, best matches first."""
from __future__ import annotations

import re

from engine.content.models import Lesson, Term
from engine.lenient import normalise
from engine.lesson import batch_layout, worked_arithmetic


def search_terms(lesson: Lesson, query: str) -> list[Term]:
    """Terms whose name, alternatives or definition contain the query.

    Ranked: name starts with the query, then name contains it, then an alternative, then
    only the definition. An empty query lists every term alphabetically.
    """
    terms = sorted(lesson.glossary, key=lambda t: t.term.casefold())
    q = normalise(query)
    if not q:
        return terms
    ranked: list[tuple[int, Term]] = []
    for t in terms:
        name = normalise(t.term)
        if name.startswith(q):
            rank = 0
        elif q in name:
            rank = 1
        elif any(q in normalise(a) for a in t.alternatives):
            rank = 2
        elif q in normalise(t.definition):
            rank = 3
        else:
            continue
        ranked.append((rank, t))
    return [t for _, t in sorted(ranked, key=lambda rt: rt[0])]


def related_terms(lesson: Lesson, term: Term) -> list[Term]:
    by_id = {t.id: t for t in lesson.glossary}
    # Links are followed both ways: if A lists B, B's page shows A too.
    ids = list(term.related) + [t.id for t in lesson.glossary if term.id in t.related and t.id not in term.related]
    return [by_id[i] for i in ids if i in by_id and i != term.id]


def anchor(term: Term) -> str:
    """The id the browser gives the term's heading (Streamlit makes it from the heading's
    text: lower case, words joined by hyphens), so a link can jump to it."""
    return re.sub(r"[^a-z0-9]+", "-", term.term.casefold()).strip("-")


def term_entry(term: Term, see_also: list[Term] = ()) -> str:
    """A term as the glossary shows it: its name as a heading, the definition, its other
    names, and `see_also` as links that jump to those terms on the same page. One Markdown
    block, so the page sends one element per term, not four."""
    parts = [f"#### {term.term}", term.definition]
    if term.alternatives:
        parts.append(":small[:gray[Also called: " + ", ".join(term.alternatives) + "]]")
    if see_also:
        parts.append("See also: " + " · ".join(f"[{other.term}](#{anchor(other)})" for other in see_also))
    return "\n\n".join(parts)


def example_entry(lesson: Lesson, example_id: str) -> str:
    """A worked example under a term: its text, then the arithmetic step by step and the
    epoch batch by batch, when the example has numbers."""
    example = lesson.example(example_id)
    parts = [example.text]
    worked = worked_arithmetic(example)
    if worked:
        parts.append("\n".join(f"- {step}" for step in worked.steps))
        parts.append(f":small[:gray[{batch_layout(worked.batches)}]]")
    return "\n\n".join(parts)
