"""Quiz page, a quiz started by its link: `?kinds=a,b&length=3&seed=7` or `?mode=mixed` starts
that exact quiz (a link a teacher shares, and how tests get a known question). Draws nothing
but a warning when the link can't be used; a note on what the page adjusted (a length out of
range) is shown above the first question.

Separate because it reads the address, not a form: every value in it can be anything anyone
typed, so it is checked here and explained in the learner's words.
"""
from __future__ import annotations

import re

import streamlit as st

from engine.quiz import TEMPLATES
from engine.quiz.session import MAX_QUESTIONS, QuizSession, mixed_review, new_quiz
from ui.errors import guarded
from ui.quiz import QUERY_QUIZ, SS_LINK_NOTE, SS_QUERY, answer_history, begin_quiz, new_seed


def _link_number(params, name: str) -> int | None:
    """A whole number from the link, or None when the link leaves it out. Raises ValueError
    with the learner-facing reason otherwise (never Python's "invalid literal for int()")."""
    text = (params.get(name) or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"-?\d{1,18}", text):
        what = {"seed": "the seed", "length": "the number of questions"}[name]
        raise ValueError(f"{what} in the link must be a whole number")
    return int(text)


def _quiz_from_link(params) -> tuple[QuizSession, str]:
    """The quiz a link asks for, and a note about anything the page adjusted. Raises
    ValueError with a sentence for the learner when the link can't be used."""
    seed = _link_number(params, "seed")
    length = _link_number(params, "length")
    note = ""
    if length is None:
        length = 5
    elif not 1 <= length <= MAX_QUESTIONS:
        asked, length = length, min(max(length, 1), MAX_QUESTIONS)
        note = (f"The link asked for {asked:,} questions; a quiz has from 1 to {MAX_QUESTIONS}, "
                f"so this one has {length}.")
    seed = seed if seed is not None else new_seed()
    if params.get("mode") == "mixed":
        return mixed_review(answer_history(), length, seed), note
    kinds = [k.strip() for k in params.get("kinds", "").split(",") if k.strip()]
    unknown = [k for k in kinds if k not in TEMPLATES]
    if unknown:
        # named only when it looks like a kind id, so nothing typed into a link is drawn as Markdown
        named = ", ".join(k for k in unknown if re.fullmatch(r"[a-z0-9-]{1,40}", k))
        raise ValueError("it names a kind of question this app doesn't have"
                         + (f" ({named})" if named else ""))
    if not kinds:
        raise ValueError("it names no kind of question")
    return new_quiz(kinds, length, seed), note


def start_from_query() -> None:
    """`?kinds=a,b&length=3&seed=7` (or `?mode=mixed`) starts that exact quiz: a link a teacher
    can share, and the way tests get a known question. Only once per tab and link, and never
    over the quiz the address already carries (a reload of the link's quiz resumes it)."""
    params = st.query_params
    if "kinds" not in params and params.get("mode") != "mixed":
        return
    signature = tuple(sorted((k, params.get(k)) for k in ("kinds", "length", "seed", "mode")))
    if st.session_state.get(SS_QUERY) == signature or params.get(QUERY_QUIZ):
        return
    st.session_state[SS_QUERY] = signature
    try:
        quiz, note = _quiz_from_link(params)
    except ValueError as exc:
        st.warning(f"That quiz link doesn't work: {exc}. Choose a quiz below instead.")
        return
    guarded(begin_quiz)(quiz)
    if note:
        st.session_state[SS_LINK_NOTE] = (quiz.id, note)
