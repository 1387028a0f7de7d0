"""Streamlit glue shared by the quiz page's screens: its state, its widget keys, and showing or
beginning a quiz. The screens, one module each (`pages/quiz.py` draws one of the first three):

- `ui.quiz_choose`: "Start a quiz", choosing what to practise (no quiz shown yet);
- `ui.quiz_question`: the question being answered, its feedback and worked solution (a fragment);
- `ui.quiz_results`: a finished quiz's score and review of the questions missed;
- `ui.quiz_link`: a quiz started by its link (`?kinds=…`, `?mode=mixed`);
- `ui.quiz_resume`: finding the tab's quiz again (`?quiz=…`) and saving one begun before signing in;
- `ui.quiz_progress`: mastery per kind of question and the latest quizzes (also on My progress);
- `ui.quiz_export`: the teachers' export to Moodle.

State: `quiz_session` holds the engine's QuizSession (immutable; every action replaces it).
The quiz is also stored as it goes (`engine.quiz.history.record`), keyed by its id, which the
page keeps in its address (`?quiz=…`): a reload, a new tab or a server restart finds it again,
at the same question, with what was last typed. A signed-in learner's unfinished quiz also
comes back on a fresh tab of another device.

Restart-safe actions: every button's key carries the quiz step it was drawn for, and the
answer box's key the question it belongs to, so a click from an older page is another button
and is ignored. Each action reloads the stored quiz, so a tab whose server restarted (the page
found the quiz again from its address) completes it with the same widget values; the store
applies a step once (compare-and-set), so a double click or a second tab never counts twice.
The question is a fragment; `ui.connection.reconnect_safely()` at the end of the page makes a
click after a reconnect reach a session that has drawn it.
"""
from __future__ import annotations

import secrets

import streamlit as st

from engine.quiz import history as quiz_history
from engine.quiz.session import QuizSession, results
from ui.learner import current_learner
from ui.storage import engine_from_config

SS_QUIZ = "quiz_session"
SS_FEEDBACK = "quiz_feedback"  # (quiz id, position, Grade) of the last graded response
SS_QUERY = "quiz_query_started"  # the ?kinds=… link already started its quiz in this tab
SS_LINK_NOTE = "quiz_link_note"  # (quiz id, what the page changed in the link's quiz)
SS_LOOKED = "quiz_looked_for_unfinished"  # this tab already offered the learner's unfinished quiz
SS_SAVED = "quiz_saved"  # {(quiz id, position)} already in the signed-in learner's history
QUERY_QUIZ = "quiz"  # the address's quiz id: what a reload or a reconnected tab resumes


def _key(what: str, quiz: QuizSession, drawn_for: int) -> str:
    return f"quiz_{what}_{quiz.id[:12]}_{drawn_for}"


def answer_key(quiz: QuizSession) -> str:
    """The answer box of this question (a new question gets an empty box)."""
    return _key("answer", quiz, quiz.position)


def choice_key(quiz: QuizSession) -> str:
    return _key("choice", quiz, quiz.position)


def check_key(quiz: QuizSession) -> str:
    """The Check button as drawn for this step: a click from an older page is another button."""
    return _key("check", quiz, quiz.step)


def next_key(quiz: QuizSession) -> str:
    return _key("next", quiz, quiz.step)


def draft_key(quiz: QuizSession) -> str:
    return _key("draft", quiz, quiz.position)


def init_state() -> None:
    st.session_state.setdefault(SS_QUIZ, None)
    st.session_state.setdefault(SS_FEEDBACK, None)
    st.session_state.setdefault(SS_LINK_NOTE, None)


def new_seed() -> int:
    return secrets.randbelow(2**31 - 1) + 1


def signed_in_id() -> int | None:
    learner = current_learner()
    return learner.id if learner else None


def show_quiz(quiz: QuizSession | None) -> None:
    """Make `quiz` the one this tab shows, and keep its id in the address."""
    st.session_state[SS_QUIZ] = quiz
    if quiz is None:
        if QUERY_QUIZ in st.query_params:
            del st.query_params[QUERY_QUIZ]
    elif st.query_params.get(QUERY_QUIZ) != quiz.id:
        st.query_params[QUERY_QUIZ] = quiz.id


def stored_quiz(quiz_id: str, learner_id: int | None) -> quiz_history.StoredQuiz | None:
    """The stored quiz `quiz_id`, or None when there is none or it is someone else's (a shared
    link: theirs to finish, not this tab's)."""
    stored = quiz_history.load_quiz(engine_from_config(), quiz_id)
    return stored if stored is not None and stored.learner_id in (None, learner_id) else None


def begin_quiz(quiz: QuizSession) -> None:
    """Store a new quiz and show it. A storage fault leaves the page as it was."""
    quiz_history.record(engine_from_config(), None, quiz, signed_in_id())
    st.session_state[SS_FEEDBACK] = None
    show_quiz(quiz)


def answer_history() -> list:
    learner = current_learner()
    if learner is None:
        quiz = st.session_state.get(SS_QUIZ)
        return [r for _, r in results(quiz)] if quiz else []
    return quiz_history.load(engine_from_config(), learner.id)


def solution_steps(question) -> str:
    """A question's worked solution as a numbered Markdown list."""
    return "\n".join(f"{i}. {step}" for i, step in enumerate(question.solution, start=1))
