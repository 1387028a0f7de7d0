"""Quiz page, the question screen: the question being answered (its prompt, the answer box or
the choices, Check), the feedback on the last try, the worked solution once it is done, and
Next question / See your results.

Separate because it is a fragment (`st.fragment`): Check and Next rerun only this part of the
page, and their callbacks are the restart-safe actions: each reloads the stored quiz and
applies its step once (see `ui.quiz`).
"""
from __future__ import annotations

import streamlit as st

from engine.quiz import correct_answer_text
from engine.quiz import history as quiz_history
from engine.quiz.grading import TRY_RULE, grade as grade_response
from engine.quiz.mistakes import mistake_name
from engine.quiz.model import Grade
from engine.quiz.session import MAX_TRIES, QuizSession, advance, submit
from ui.errors import guarded
from ui.quiz import (SS_FEEDBACK, SS_LINK_NOTE, SS_QUIZ, answer_key, check_key, choice_key, draft_key, next_key,
                     show_quiz, signed_in_id, solution_steps, stored_quiz)
from ui.storage import engine_from_config

MAX_PASTE = 20_000  # characters the answer box takes; engine.answers rejects > 40 at once


def _response(quiz: QuizSession, multiple_choice: bool) -> str:
    if multiple_choice:
        choice = st.session_state.get(choice_key(quiz))
        return choice.split(".", 1)[0] if choice else ""
    return str(st.session_state.get(answer_key(quiz)) or "")


def _latest(quiz: QuizSession) -> QuizSession:
    """The stored quiz (another tab, or this one before a restart, may have moved on), else
    this session's copy."""
    stored = stored_quiz(quiz.id, signed_in_id())
    return stored.quiz if stored is not None else quiz


def _shown(quiz_id: str) -> QuizSession | None:
    """The quiz this tab shows, if it is still the one the clicked button was drawn for."""
    shown = st.session_state[SS_QUIZ]
    return shown if shown is not None and shown.id == quiz_id else None


def _check(quiz_id: str, step: int, multiple_choice: bool) -> None:
    """Grade what the answer box holds for the question drawn at `step`, and store it."""
    shown = _shown(quiz_id)
    if shown is None:
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
    shown = _shown(quiz_id)
    if shown is None:
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


def _show_solution(question) -> None:
    with st.container(border=True, key="quiz_solution"):
        st.markdown(f"**Worked solution** · answer: {correct_answer_text(question)}")
        st.markdown(solution_steps(question))


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
        _show_solution(q)
        last = quiz.position == n - 1
        st.button("See your results" if last else "Next question", type="primary", key=next_key(quiz),
                  icon=":material/flag:" if last else ":material/arrow_forward:",
                  on_click=guarded(_next), args=(quiz.id, quiz.step))
