"""My progress: today's counts, the 30-day forecast, retention, a card's history, exports."""
import streamlit as st

from engine.flashcards import build_deck
from ui.assignment_mistakes import own_mistakes
from ui.connection import reconnect_safely
from ui.flashcards import progress_report
from ui.learner import require_learner
from ui.quiz_progress import quiz_report
from ui.setup import choose_lesson, page

page("My progress", ":material/insights:")
st.title("My progress")

learner = require_learner("see your progress")
lesson = choose_lesson()
if lesson is None:
    st.stop()
st.header("Flashcards", divider=True)
progress_report(learner, build_deck(lesson), f"Batchwise: {lesson.title}")
st.header("Quizzes", divider=True)
quiz_report(learner)
st.header("Your most frequent mistakes", divider=True)
own_mistakes(learner)

reconnect_safely()  # last: the connection banner, and a click across a reconnect waits for the page
