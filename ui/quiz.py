"""Streamlit glue for the quiz page: setup, one question at a time, results, teacher export.

State: `quiz_session` holds the engine's QuizSession (immutable; every action replaces it).
Actions run in button callbacks carrying the session's step number from the render the learner
saw, so a double click or a stale tab is ignored by the engine instead of counting twice.
"""
from __future__ import annotations

import re
import secrets

import pandas as pd
import streamlit as st

from engine.answers import format_number
from engine.quiz import TEMPLATES, available_templates, correct_answer_text
from engine.quiz import history as quiz_history
from engine.quiz.export import to_gift, to_moodle_xml, variants
from engine.quiz.mistakes import mistake_name
from engine.quiz.model import Grade
from engine.quiz.session import (MAX_QUESTIONS, MAX_TRIES, QuizSession, advance, mastery, missed, mixed_review, new_quiz,
                                 practise_missed, results, score, submit)
from ui.learner import current_learner, engine_from_config

SS_QUIZ = "quiz_session"
SS_FEEDBACK = "quiz_feedback"  # (quiz id, position, Grade) of the last graded response
SS_SAVED = "quiz_saved"  # {(quiz id, position)} already in the learner's history
SS_QUERY = "quiz_query_started"  # the ?kinds=… link already started its quiz in this tab
SS_LINK_NOTE = "quiz_link_note"  # (quiz id, what the page changed in the link's quiz)
ANSWER, CHOICE = "quiz_answer", "quiz_choice"
MAX_PASTE = 20_000  # characters the answer box takes; engine.answers rejects > 40 at once
DEFAULT_KINDS = ["iterations-per-epoch", "iterations-drop-last", "total-iterations"]
LEVEL_ICONS = {"Not started": "⚪", "Attempted": "🟠", "Familiar": "🟡", "Proficient": "🟢"}


def init_state() -> None:
    st.session_state.setdefault(SS_QUIZ, None)
    st.session_state.setdefault(SS_FEEDBACK, None)
    st.session_state.setdefault(SS_SAVED, set())
    st.session_state.setdefault(SS_LINK_NOTE, None)


def _new_seed() -> int:
    return secrets.randbelow(2**31 - 1) + 1


def _begin(quiz: QuizSession) -> None:
    st.session_state[SS_QUIZ] = quiz
    st.session_state[SS_FEEDBACK] = None
    st.session_state[ANSWER] = ""
    st.session_state[CHOICE] = None


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
    seed = seed if seed is not None else _new_seed()
    if params.get("mode") == "mixed":
        return mixed_review(_history(), length, seed), note
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
    can share, and the way tests get a known question. Only once per tab and link."""
    params = st.query_params
    if "kinds" not in params and params.get("mode") != "mixed":
        return
    signature = tuple(sorted((k, params.get(k)) for k in ("kinds", "length", "seed", "mode")))
    if st.session_state.get(SS_QUERY) == signature:
        return
    st.session_state[SS_QUERY] = signature
    try:
        quiz, note = _quiz_from_link(params)
    except ValueError as exc:
        st.warning(f"That quiz link doesn't work: {exc}. Choose a quiz below instead.")
        return
    _begin(quiz)
    if note:
        st.session_state[SS_LINK_NOTE] = (quiz.id, note)


def _start_chosen() -> None:
    kinds = st.session_state.get("quiz_kinds") or []
    if not kinds:
        st.session_state[SS_FEEDBACK] = ("setup", -1, "Choose at least one kind of question.")
        return
    _begin(new_quiz(kinds, int(st.session_state.get("quiz_length", 5)), _new_seed()))


def _start_mixed() -> None:
    _begin(mixed_review(_history(), int(st.session_state.get("quiz_length", 5)), _new_seed()))


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
                  on_click=_start_chosen if mode == "Choose the kinds of question" else _start_mixed)
    with st.expander("What kinds of question are there?"):
        for t in kinds.values():
            st.markdown(f"**{t.title}**: {t.description}")


# --- one question ---------------------------------------------------------------------------

def _submit(step: int, multiple_choice: bool) -> None:
    quiz: QuizSession = st.session_state[SS_QUIZ]
    if multiple_choice:
        choice = st.session_state.get(CHOICE)
        response = choice.split(".", 1)[0] if choice else ""
    else:
        response = st.session_state.get(ANSWER, "")
    new, grade = submit(quiz, response, step)
    if grade is None:
        return  # a stale click: the answer was already counted
    st.session_state[SS_QUIZ] = new
    st.session_state[SS_FEEDBACK] = (new.id, new.position, grade)


def _next(step: int) -> None:
    quiz = st.session_state[SS_QUIZ]
    new = advance(quiz, step)
    if new is not quiz:
        st.session_state[SS_QUIZ] = new
        st.session_state[SS_FEEDBACK] = None
        st.session_state[ANSWER] = ""
        st.session_state[CHOICE] = None


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


def question_view(quiz: QuizSession) -> None:
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
    grade = feedback[2] if feedback and feedback[0] == quiz.id and feedback[1] == quiz.position else None
    mc = q.answer.kind == "choice"
    if not item.done:
        with st.form("quiz_form", border=False, enter_to_submit=True):
            if mc:
                st.radio("Your answer", [f"{l}. {c}" for l, c in zip("ABCDEF", q.choices)], key=CHOICE, index=None)
            else:
                label = f"Your answer ({q.answer.unit})" if q.answer.unit else "Your answer"
                if q.answer.kind == "real":
                    label += f", within ± {q.answer.tolerance}"
                # A generous limit: a longer paste reaches the parser, which says it is too long,
                # instead of being cut off silently by the browser.
                st.text_input(label, key=ANSWER, max_chars=MAX_PASTE, placeholder="e.g. 1,000",
                              help="1000, 1,000, 1 000 and 1e3 all work. " + TRY_RULE)
            st.form_submit_button("Check", type="primary", icon=":material/done:",
                                  on_click=_submit, args=(quiz.step, mc))
        st.caption(f"Try {item.tries + 1} of {MAX_TRIES}. {TRY_RULE}")
    if grade is not None:
        _show_feedback(grade, item.tries)
    if item.done:
        if not item.solved:
            st.error(f"Out of tries. The answer: {correct_answer_text(q)}.", icon=":material/block:")
        _show_solution(grade, q)
        last = quiz.position == n - 1
        st.button("See your results" if last else "Next question", type="primary", key="quiz_next",
                  icon=":material/flag:" if last else ":material/arrow_forward:", on_click=_next, args=(quiz.step,))


# --- results ----------------------------------------------------------------------------------

def _history() -> list:
    learner = current_learner()
    if learner is None:
        quiz = st.session_state.get(SS_QUIZ)
        return [r for _, r in results(quiz)] if quiz else []
    return quiz_history.load(engine_from_config(), learner.id)


def save_progress(quiz: QuizSession) -> None:
    """Save every finished question once (idempotent in the store too)."""
    learner = current_learner()
    if learner is None:
        return
    pending = [(pos, r) for pos, r in results(quiz) if (quiz.id, pos) not in st.session_state[SS_SAVED]]
    if pending:
        quiz_history.save(engine_from_config(), learner.id, quiz.id, quiz.mode, pending)
        st.session_state[SS_SAVED] |= {(quiz.id, pos) for pos, _ in pending}


def _practise(seed: int) -> None:
    again = practise_missed(st.session_state[SS_QUIZ], seed)
    if again is not None:
        _begin(again)


def _new_quiz() -> None:
    st.session_state[SS_QUIZ] = None
    st.session_state[SS_FEEDBACK] = None


def results_view(quiz: QuizSession) -> None:
    sc = score(quiz)
    st.progress(1.0, text="Quiz finished")
    st.subheader("Your score")
    c1, c2, c3 = st.columns(3)
    c1.metric("Right", f"{sc.correct} of {sc.questions}")
    c2.metric("Right first time", sc.first_try)
    c3.metric("Score", f"{sc.percent} %")
    st.caption(f"Score: 1 point for a question right on the first try, ⅔ on the second, ⅓ on the third, "
               f"0 if not solved. You have {format_number(sc.points, 2)} of {sc.questions} points = "
               f"{sc.percent} %, so it can be lower than the share of questions you got right.")
    if current_learner() is None:
        st.info("You're not signed in, so these results aren't saved. Sign in below to keep the next ones.",
                icon=":material/cloud_off:")
    else:
        st.caption("Saved to your history.")
    review = missed(quiz)
    if review:
        st.subheader("Review your mistakes")
        for item in review:
            q = item.question()
            with st.expander(f"{q.kind}: {'right on try ' + str(item.tries) if item.solved else 'not solved'}"):
                st.markdown(q.prompt)
                for n, a in enumerate(item.attempts, start=1):
                    what = mistake_name(a.mistake) if a.mistake else ("right" if a.status == "correct" else "wrong")
                    st.text(f"Try {n}: {a.read_as} ({what})")
                st.markdown(f"**Answer:** {correct_answer_text(q)}")
                st.markdown("\n".join(f"{i}. {s}" for i, s in enumerate(q.solution, start=1)))
        st.button("Practise the ones I missed", type="primary", icon=":material/replay:", key="quiz_practise",
                  on_click=_practise, args=(_new_seed(),),
                  help="The same kinds of question with new numbers.")
    else:
        st.success("Every question right first time!", icon=":material/celebration:")
    st.button("New quiz", key="quiz_new", icon=":material/add:", on_click=_new_quiz)
    mastery_table()


def mastery_table() -> None:
    levels = mastery(_history(), list(available_templates()))
    st.subheader("Mastery per kind of question")
    st.caption("From your latest five answers of each kind: Familiar from 70 % right first time; "
               "Proficient when the last three were all right first time.")
    rows = [{"Kind": TEMPLATES[k].title, "Level": f"{LEVEL_ICONS[m.level]} {m.level}",
             "Right first time (latest)": f"{m.recent_first_try} of {m.recent}" if m.recent else "",
             "Usual slip": ", ".join(mistake_name(x) for x in m.common_mistakes)}
            for k, m in levels.items()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)


# --- teachers ---------------------------------------------------------------------------------

def export_box() -> None:
    with st.expander("For teachers: export questions to Moodle", icon=":material/download:"):
        st.caption("Generated variants as Moodle XML (numerical questions; each known mistake is an extra 0 % "
                   "answer with its feedback) or GIFT. The same kind and variant number always gives the same "
                   "question.")
        kinds = available_templates()
        chosen = st.multiselect("Kinds of question", list(kinds), default=list(kinds)[:3], key="export_kinds",
                                format_func=lambda k: TEMPLATES[k].title)
        c1, c2 = st.columns(2)
        count = c1.number_input("Variants of each kind", 1, 50, 5, key="export_count")
        first = c2.number_input("First variant number", 0, 2**31 - 60, 1, key="export_first")
        if not chosen:
            st.warning("Choose at least one kind of question to export.")
            return
        questions = variants(chosen, range(int(first), int(first) + int(count)))
        d1, d2 = st.columns(2)
        d1.download_button("Moodle XML", to_moodle_xml(questions), file_name="batchwise-quiz.xml",
                           mime="application/xml", icon=":material/download:", key="export_xml")
        d2.download_button("GIFT", to_gift(questions), file_name="batchwise-quiz.gift.txt",
                           mime="text/plain", icon=":material/download:", key="export_gift")
        st.caption(f"{len(questions)} questions.")


# --- progress page ----------------------------------------------------------------------------

QUIZ_MODES = {"chosen": "Chosen kinds", "mixed": "Mixed review", "missed": "Practice of missed ones"}


def quiz_report(learner) -> None:
    """The learner's latest quizzes and mastery per kind, for the My progress page."""
    recent = quiz_history.summaries(engine_from_config(), learner.id)
    if not recent:
        st.info("No quiz finished yet. Results of quizzes you take while signed in appear here.",
                icon=":material/calculate:")
        st.page_link("pages/quiz.py", label="Take a quiz", icon=":material/calculate:")
        return
    rows = [{"Finished": s.finished_at.strftime("%Y-%m-%d %H:%M UTC"),
             "Kind of quiz": QUIZ_MODES.get(s.mode, s.mode),
             "Questions": s.questions, "Right": s.correct,
             "Score": f"{round(100 * s.points / s.questions)} %" if s.questions else ""}
            for s in recent]
    st.subheader("Latest quizzes")
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    mastery_table()
