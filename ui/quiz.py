"""Streamlit glue for the quiz page: setup, one question at a time, results, teacher export.

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

import re
import secrets

import streamlit as st

from engine.quiz import TEMPLATES, available_templates
from engine.quiz import history as quiz_history
from engine.quiz.session import MAX_QUESTIONS, QuizSession, mixed_review, new_quiz, results
from ui.errors import guarded
from ui.learner import current_learner
from ui.storage import engine_from_config

SS_QUIZ = "quiz_session"
SS_FEEDBACK = "quiz_feedback"  # (quiz id, position, Grade) of the last graded response
SS_QUERY = "quiz_query_started"  # the ?kinds=… link already started its quiz in this tab
SS_LINK_NOTE = "quiz_link_note"  # (quiz id, what the page changed in the link's quiz)
SS_LOOKED = "quiz_looked_for_unfinished"  # this tab already offered the learner's unfinished quiz
SS_SAVED = "quiz_saved"  # {(quiz id, position)} already in the signed-in learner's history
QUERY_QUIZ = "quiz"  # the address's quiz id: what a reload or a reconnected tab resumes
DEFAULT_KINDS = ["iterations-per-epoch", "iterations-drop-last", "total-iterations"]


def answer_key(quiz: QuizSession) -> str:
    """The answer box of this question (a new question gets an empty box)."""
    return f"quiz_answer_{quiz.id[:12]}_{quiz.position}"


def choice_key(quiz: QuizSession) -> str:
    return f"quiz_choice_{quiz.id[:12]}_{quiz.position}"


def check_key(quiz: QuizSession) -> str:
    """The Check button as drawn for this step: a click from an older page is another button."""
    return f"quiz_check_{quiz.id[:12]}_{quiz.step}"


def next_key(quiz: QuizSession) -> str:
    return f"quiz_next_{quiz.id[:12]}_{quiz.step}"


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


def begin_quiz(quiz: QuizSession) -> None:
    """Store a new quiz and show it. A storage fault leaves the page as it was."""
    quiz_history.record(engine_from_config(), None, quiz, signed_in_id())
    st.session_state[SS_FEEDBACK] = None
    show_quiz(quiz)


def _stored_for_this_tab(quiz_id: str | None) -> quiz_history.StoredQuiz | None:
    learner_id = signed_in_id()
    if not quiz_id and (learner_id is None or st.session_state.get(SS_LOOKED)):
        return None  # nothing to look up: the setup form needs no database
    engine = engine_from_config()
    stored = quiz_history.load_quiz(engine, quiz_id) if quiz_id else None
    if stored is not None and stored.learner_id not in (None, learner_id):
        stored = None  # someone else's quiz (a shared link): theirs to finish, not this tab's
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


def draft_key(quiz: QuizSession) -> str:
    return f"quiz_draft_{quiz.id[:12]}_{quiz.position}"


# --- starting ---------------------------------------------------------------------------------

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


def _start_chosen() -> None:
    kinds = st.session_state.get("quiz_kinds") or []
    if not kinds:
        st.session_state[SS_FEEDBACK] = ("setup", -1, "Choose at least one kind of question.")
        return
    begin_quiz(new_quiz(kinds, int(st.session_state.get("quiz_length", 5)), new_seed()))


def _start_mixed() -> None:
    begin_quiz(mixed_review(answer_history(), int(st.session_state.get("quiz_length", 5)), new_seed()))


def setup_form() -> None:
    kinds = available_templates()
    with st.container(border=True):
        st.subheader("Start a quiz")
        mode = st.radio("What to practise", ["Choose the kinds of question", "Mixed review"], key="quiz_mode",
                        horizontal=True,
                        captions=["Pick one or more kinds.", "A bit of everything, more of what you find hard."])
        if mode == "Choose the kinds of question":
            st.session_state.setdefault("quiz_kinds", [k for k in DEFAULT_KINDS if k in kinds])
            st.multiselect("Kinds of question", list(kinds), key="quiz_kinds",
                           format_func=lambda k: TEMPLATES[k].title,
                           help="Counting batches, time and accuracy, reading a training history, concepts.")
        st.slider("Number of questions", 1, MAX_QUESTIONS, 5, key="quiz_length")
        note = st.session_state.get(SS_FEEDBACK)
        if isinstance(note, tuple) and note[0] == "setup":
            st.warning(note[2])
        st.button("Start the quiz", type="primary", icon=":material/play_arrow:", key="quiz_start",
                  on_click=guarded(_start_chosen if mode == "Choose the kinds of question" else _start_mixed))
    with st.expander("What kinds of question are there?"):
        for t in kinds.values():
            st.markdown(f"**{t.title}**: {t.description}")


# --- the learner's answers -------------------------------------------------------------------

def answer_history() -> list:
    learner = current_learner()
    if learner is None:
        quiz = st.session_state.get(SS_QUIZ)
        return [r for _, r in results(quiz)] if quiz else []
    return quiz_history.load(engine_from_config(), learner.id)


def save_progress(quiz: QuizSession) -> None:
    """Save the finished questions of a quiz taken before signing in, once the learner has
    signed in (idempotent; while signed in, every action already saves its results)."""
    learner = current_learner()
    done = {(learner and learner.id, quiz.id, pos) for pos, _ in results(quiz)}
    if learner is None or done <= st.session_state.setdefault(SS_SAVED, set()):
        return
    quiz_history.save(engine_from_config(), learner.id, quiz.id, quiz.mode, results(quiz))
    st.session_state[SS_SAVED] |= done
