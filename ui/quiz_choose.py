"""Quiz page, the first screen: "Start a quiz", choosing what to practise (kinds of question or
a mixed review) and how many questions, and what each kind of question is.

Separate because it is the one screen drawn while no quiz is shown, and it needs no database
until Start is clicked.
"""
from __future__ import annotations

import streamlit as st

from engine.quiz import TEMPLATES, available_templates
from engine.quiz.session import MAX_QUESTIONS, mixed_review, new_quiz
from ui.errors import guarded
from ui.quiz import SS_FEEDBACK, answer_history, begin_quiz, new_seed

DEFAULT_KINDS = ["iterations-per-epoch", "iterations-drop-last", "total-iterations"]
CHOOSE_KINDS = "Choose the kinds of question"  # the other way to practise is "Mixed review"


def _length() -> int:
    return int(st.session_state.get("quiz_length", 5))


def _start_chosen() -> None:
    kinds = st.session_state.get("quiz_kinds") or []
    if not kinds:
        st.session_state[SS_FEEDBACK] = ("setup", -1, "Choose at least one kind of question.")
        return
    begin_quiz(new_quiz(kinds, _length(), new_seed()))


def _start_mixed() -> None:
    begin_quiz(mixed_review(answer_history(), _length(), new_seed()))


def setup_form() -> None:
    kinds = available_templates()
    with st.container(border=True):
        st.subheader("Start a quiz")
        mode = st.radio("What to practise", [CHOOSE_KINDS, "Mixed review"], key="quiz_mode",
                        horizontal=True,
                        captions=["Pick one or more kinds.", "A bit of everything, more of what you find hard."])
        if mode == CHOOSE_KINDS:
            st.session_state.setdefault("quiz_kinds", [k for k in DEFAULT_KINDS if k in kinds])
            st.multiselect("Kinds of question", list(kinds), key="quiz_kinds",
                           format_func=lambda k: TEMPLATES[k].title,
                           help="Counting batches, time and accuracy, reading a training history, concepts.")
        st.slider("Number of questions", 1, MAX_QUESTIONS, 5, key="quiz_length")
        note = st.session_state.get(SS_FEEDBACK)
        if isinstance(note, tuple) and note[0] == "setup":
            st.warning(note[2])
        st.button("Start the quiz", type="primary", icon=":material/play_arrow:", key="quiz_start",
                  on_click=guarded(_start_chosen if mode == CHOOSE_KINDS else _start_mixed))
    with st.expander("What kinds of question are there?"):
        for t in kinds.values():
            st.markdown(f"**{t.title}**: {t.description}")
