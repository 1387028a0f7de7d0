"""Quiz page, coming back to a quiz: which quiz this tab shows (this session's, else the one in
the address's `?quiz=…` after a reload or a reconnect to a restarted server, else the signed-in
learner's unfinished one), and saving the finished questions of a quiz begun before signing in.

Separate because it runs before any screen is drawn, on every run of the page, and it is the
one place that decides whose stored quiz a tab may open: draws nothing but a note when the
link's quiz isn't available.
"""
from __future__ import annotations

import streamlit as st

from engine.quiz import history as quiz_history
from engine.quiz.session import QuizSession, results
from ui.learner import current_learner
from ui.quiz import (QUERY_QUIZ, SS_FEEDBACK, SS_LOOKED, SS_QUIZ, SS_SAVED, draft_key, show_quiz, signed_in_id,
                     stored_quiz)
from ui.storage import engine_from_config


def _stored_for_this_tab(quiz_id: str | None) -> quiz_history.StoredQuiz | None:
    learner_id = signed_in_id()
    if not quiz_id and (learner_id is None or st.session_state.get(SS_LOOKED)):
        return None  # nothing to look up: the setup form needs no database
    engine = engine_from_config()
    stored = stored_quiz(quiz_id, learner_id) if quiz_id else None
    if quiz_id and stored is None:
        st.info("The quiz in this link isn't available here any more. Start a new one below.",
                icon=":material/link_off:")
        show_quiz(None)
    if stored is None and learner_id is not None and not st.session_state.get(SS_LOOKED):
        stored = quiz_history.unfinished_quiz(engine, learner_id)
    st.session_state[SS_LOOKED] = True
    return stored


def current_quiz() -> QuizSession | None:
    """The quiz this tab shows: this session's, else the one in the address (a reload or a
    reconnect after a restart), else the signed-in learner's unfinished one; or None."""
    quiz = st.session_state.get(SS_QUIZ)
    wanted = st.query_params.get(QUERY_QUIZ)
    if quiz is not None and wanted in (None, quiz.id):
        show_quiz(quiz)  # the menu drops the address's parameters: put the id back for reloads
        return quiz
    stored = _stored_for_this_tab(wanted)
    if stored is None:
        return st.session_state.get(SS_QUIZ) if not wanted else None
    st.session_state[SS_FEEDBACK] = None
    st.session_state[draft_key(stored.quiz)] = stored.draft
    show_quiz(stored.quiz)
    return stored.quiz


def save_progress(quiz: QuizSession) -> None:
    """Save the finished questions of a quiz taken before signing in, once the learner has
    signed in (idempotent; while signed in, every action already saves its results)."""
    learner = current_learner()
    done = {(learner and learner.id, quiz.id, pos) for pos, _ in results(quiz)}
    if learner is None or done <= st.session_state.setdefault(SS_SAVED, set()):
        return
    quiz_history.save(engine_from_config(), learner.id, quiz.id, quiz.mode, results(quiz))
    st.session_state[SS_SAVED] |= done
