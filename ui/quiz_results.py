"""Quiz page, the results screen: a finished quiz's score, the review of the questions missed
(each try, the answer and the worked solution), "Practise the ones I missed", "New quiz", and
mastery per kind of question.

Separate because it is drawn once a quiz is finished, in a full run of the page (the question
fragment reruns the app when the last Next is clicked), and it only reads the quiz: its two
buttons start another quiz or go back to choosing one.
"""
from __future__ import annotations

import streamlit as st

from engine.answers import format_number
from engine.quiz import correct_answer_text
from engine.quiz.mistakes import mistake_name
from engine.quiz.session import QuizSession, missed, practise_missed, score
from ui.errors import guarded
from ui.learner import current_learner
from ui.quiz import SS_FEEDBACK, SS_QUIZ, begin_quiz, new_seed, show_quiz, solution_steps
from ui.quiz_progress import mastery_table


def _practise(seed: int) -> None:
    again = practise_missed(st.session_state[SS_QUIZ], seed)
    if again is not None:
        begin_quiz(again)


def _new_quiz() -> None:
    show_quiz(None)
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
                st.markdown(solution_steps(q))
        st.button("Practise the ones I missed", type="primary", icon=":material/replay:", key="quiz_practise",
                  on_click=guarded(_practise), args=(new_seed(),),
                  help="The same kinds of question with new numbers.")
    else:
        st.success("Every question right first time!", icon=":material/celebration:")
    st.button("New quiz", key="quiz_new", icon=":material/add:", on_click=_new_quiz)
    mastery_table()
