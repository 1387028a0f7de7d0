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

from engine.quiz import TEMPLATES, available_templates, correct_answer_text
from engine.quiz import history as quiz_history
from engine.quiz.grading import grade as grade_response
from engine.quiz.mistakes import mistake_name
from engine.quiz.model import Grade
from engine.quiz.session import MAX_QUESTIONS, MAX_TRIES, QuizSession, advance, mixed_review, new_quiz, results, submit
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
MAX_PASTE = 20_000  # characters the answer box takes; engine.answers rejects > 40 at once
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


# --- one question ---------------------------------------------------------------------------

def _response(quiz: QuizSession, multiple_choice: bool) -> str:
    if multiple_choice:
        choice = st.session_state.get(choice_key(quiz))
        return choice.split(".", 1)[0] if choice else ""
    return str(st.session_state.get(answer_key(quiz)) or "")


def _latest(quiz: QuizSession) -> QuizSession:
    """The stored quiz (another tab, or this one before a restart, may have moved on), else
    this session's copy."""
    stored = quiz_history.load_quiz(engine_from_config(), quiz.id)
    return stored.quiz if stored is not None and stored.learner_id in (None, signed_in_id()) else quiz


def _check(quiz_id: str, step: int, multiple_choice: bool) -> None:
    """Grade what the answer box holds for the question drawn at `step`, and store it."""
    shown: QuizSession = st.session_state[SS_QUIZ]
    if shown is None or shown.id != quiz_id:
        return
    response = _response(shown, multiple_choice)
    quiz = _latest(shown)
    new, grade = submit(quiz, response, step)
    engine = engine_from_config()
    if grade is None:
        show_quiz(quiz)  # already counted (a double click, another tab): show what is stored
        return
    if new is not quiz:
        if not quiz_history.record(engine, quiz, new, signed_in_id(), draft=response):
            show_quiz(_latest(quiz))  # counted meanwhile by another click: show that
            return
    else:
        quiz_history.keep_draft(engine, quiz, response)  # unreadable: no try used, text kept
    st.session_state[draft_key(new)] = response
    show_quiz(new)
    st.session_state[SS_FEEDBACK] = (new.id, new.position, grade)


def _next(quiz_id: str, step: int) -> None:
    shown = st.session_state[SS_QUIZ]
    if shown is None or shown.id != quiz_id:
        return
    quiz = _latest(shown)
    new = advance(quiz, step)
    if new is quiz:
        show_quiz(quiz)
        return
    if quiz_history.record(engine_from_config(), quiz, new, signed_in_id()):
        show_quiz(new)
        st.session_state[SS_FEEDBACK] = None
    else:
        show_quiz(_latest(quiz))


TRY_RULE = ("A wrong number uses a try, and so does a known slip such as leaving a division "
            "unrounded. A typo, or any other number that isn't whole when the answer is a whole "
            "number, doesn't.")


def _show_feedback(grade: Grade, tries: int) -> None:
    if grade.status == "correct":
        st.success(grade.feedback, icon=":material/check_circle:")
    elif grade.status == "invalid":
        st.warning(grade.feedback + "  \n*(This didn't use a try.)*", icon=":material/edit:")
    else:
        title = mistake_name(grade.mistake) if grade.mistake else "Not quite"
        st.error(f"**{title}.** {grade.feedback}  \n*(This used try {tries} of {MAX_TRIES}.)*",
                 icon=":material/lightbulb:")
    entry = grade.misconception
    if grade.reminder and entry and grade.status == "incorrect":
        # the general rule only: the feedback above already works with this question's numbers
        st.info(f"**General rule:** {grade.reminder}  \n"
                f"*In the lesson's common mistakes: {entry['title']}*", icon=":material/menu_book:")


def _show_solution(grade: Grade | None, question) -> None:
    with st.container(border=True, key="quiz_solution"):
        st.markdown(f"**Worked solution** · answer: {correct_answer_text(question)}")
        st.markdown("\n".join(f"{i}. {step}" for i, step in enumerate(question.solution, start=1)))


def _last_grade(item, question) -> Grade | None:
    """The feedback on the last try, for a quiz resumed after a reload (grading is pure, so it
    is the same feedback the learner saw)."""
    if not item.attempts:
        return None
    return grade_response(question, item.attempts[-1].response)


@st.fragment
def question_view() -> None:
    """The current question (a fragment: Check and Next rerun only this part of the page)."""
    quiz: QuizSession | None = st.session_state.get(SS_QUIZ)
    if quiz is None or quiz.finished:
        st.rerun(scope="app")  # the quiz ended (or was replaced) in this fragment: show results
    item = quiz.current
    q = item.question()
    n = len(quiz.items)
    note = st.session_state.get(SS_LINK_NOTE)
    if note and note[0] == quiz.id and quiz.position == 0:
        st.info(note[1], icon=":material/link:")
    st.progress(quiz.position / n, text=f"Question {quiz.position + 1} of {n}")
    st.caption(q.kind)
    st.markdown(q.prompt)
    feedback = st.session_state.get(SS_FEEDBACK)
    if feedback and feedback[0] == quiz.id and feedback[1] == quiz.position:
        grade = feedback[2]
    else:
        grade = _last_grade(item, q)
    mc = q.answer.kind == "choice"
    draft = str(st.session_state.get(draft_key(quiz)) or "")
    if not item.done:
        with st.form("quiz_form", border=False, enter_to_submit=True):
            if mc:
                options = [f"{l}. {c}" for l, c in zip("ABCDEF", q.choices)]
                index = next((i for i, o in enumerate(options) if o.split(".", 1)[0] == draft), None)
                st.radio("Your answer", options, key=choice_key(quiz), index=index)
            else:
                label = f"Your answer ({q.answer.unit})" if q.answer.unit else "Your answer"
                if q.answer.kind == "real":
                    label += f", within ± {q.answer.tolerance}"
                # A generous limit: a longer paste reaches the parser, which says it is too long,
                # instead of being cut off silently by the browser.
                st.text_input(label, value=draft, key=answer_key(quiz), max_chars=MAX_PASTE,
                              placeholder="e.g. 1,000",
                              help="1000, 1,000, 1 000 and 1e3 all work. " + TRY_RULE)
            st.form_submit_button("Check", type="primary", icon=":material/done:", key=check_key(quiz),
                                  on_click=guarded(_check), args=(quiz.id, quiz.step, mc))
        st.caption(f"Try {item.tries + 1} of {MAX_TRIES}. {TRY_RULE}")
    if grade is not None:
        _show_feedback(grade, item.tries)
    if item.done:
        if not item.solved:
            st.error(f"Out of tries. The answer: {correct_answer_text(q)}.", icon=":material/block:")
        _show_solution(grade, q)
        last = quiz.position == n - 1
        st.button("See your results" if last else "Next question", type="primary", key=next_key(quiz),
                  icon=":material/flag:" if last else ":material/arrow_forward:",
                  on_click=guarded(_next), args=(quiz.id, quiz.step))


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
