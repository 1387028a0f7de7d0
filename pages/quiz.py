"""Quiz: generated questions graded on the spot, with feedback on the exact mistake."""
import streamlit as st

from ui.connection import reconnect_safely
from ui.errors import storage_guard
from ui.learner import current_learner, learner_box
from ui.quiz import init_state
from ui.quiz_choose import setup_form
from ui.quiz_export import export_box
from ui.quiz_link import start_from_query
from ui.quiz_question import question_view
from ui.quiz_results import results_view
from ui.quiz_resume import current_quiz, save_progress
from ui.setup import page

page("Quiz", ":material/calculate:")
st.title("Quiz")
st.caption("Computed questions on epochs, batches and iterations, with feedback on your exact mistake. "
           "Three tries each; what the quiz can't read, a unit that doesn't fit, or a number that isn't "
           "whole when the answer is, doesn't use one.")

init_state()
with storage_guard():
    start_from_query()
    quiz = current_quiz()
    if quiz is not None:
        save_progress(quiz)  # a quiz begun before signing in: its finished questions join the history

if quiz is None:
    setup_form()
elif not quiz.finished:
    question_view()
else:
    results_view(quiz)

if current_learner() is None:
    with st.expander("Sign in to save your results", icon=":material/person:"):
        learner_box()
export_box()
reconnect_safely()  # last: a click held across a reconnect waits until the page is drawn again
