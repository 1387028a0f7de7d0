"""Flashcards: review today's cards with spaced repetition; progress is saved per learner."""
import streamlit as st

from engine.flashcards import build_deck
from ui.flashcards import review_loop
from ui.connection import reconnect_safely
from ui.learner import require_learner
from ui.setup import choose_lesson, page

page("Flashcards", ":material/style:")
# How it works sits behind the title's help icon: on a phone every line above the card
# pushes the rating buttons further down.
st.title("Flashcards", help="Recall the answer, reveal it, then say how well you remembered "
         "(keys 1–4 on a keyboard). Cards you find hard come back sooner; easy ones wait longer.")

learner = require_learner("review cards and keep your progress")
lesson = choose_lesson()
if lesson is None:
    st.stop()
review_loop(learner, build_deck(lesson))
reconnect_safely()  # last: the connection banner, and a click across a reconnect waits for the page
