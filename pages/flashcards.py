"""Flashcards: review today's cards with spaced repetition; progress is saved per learner."""
import streamlit as st

from engine.flashcards import build_deck
from ui.flashcards import review_loop
from ui.learner import learner_box
from ui.setup import choose_lesson, page

page("Flashcards", ":material/style:")
st.title("Flashcards")
st.caption("Recall the answer, reveal it, then say how well you remembered (keys 1–4). "
           "Cards you find hard come back sooner; easy ones wait longer.")

learner = learner_box()
if learner is None:
    st.info("Start with your name (or resume with your code) to review cards and keep your progress.")
    st.stop()
lesson = choose_lesson()
if lesson is None:
    st.stop()
review_loop(learner, build_deck(lesson))
