"""The flashcard settings box: new cards per day and typed answers, saved per learner."""
from __future__ import annotations

import streamlit as st

from engine.flashcards import store
from engine.flashcards.queue import Queue
from engine.learners import Learner
from ui.learner import engine_from_config

SHOWN = "fc_shown"            # the card on screen (see ui/flashcards.py)
SETTINGS_MESSAGE = "fc_settings_message"   # a wrong value typed into the settings


def _save_settings(learner_id: int) -> None:
    new_key, typed_key = f"fc_new_per_day_{learner_id}", f"fc_typed_mode_{learner_id}"
    engine = engine_from_config()
    saved = store.load_settings(engine, learner_id)
    typed = st.session_state[new_key]
    st.session_state.pop(SETTINGS_MESSAGE, None)
    if typed is None or not 0 <= typed <= store.MAX_NEW_PER_DAY:
        # Say what is allowed and put the saved number back in the box, rather than letting
        # an empty box count as 0 or a browser quietly refusing 1000.
        shown = "left the box empty" if typed is None else f"typed {typed:g}"
        st.session_state[SETTINGS_MESSAGE] = (
            f"New cards per day must be a whole number from 0 to {store.MAX_NEW_PER_DAY} "
            f"(you {shown}). It stays at {saved.new_per_day}.")
        st.session_state[new_key] = saved.new_per_day
        return
    try:
        store.save_settings(engine, learner_id, store.Settings(
            new_per_day=int(typed), typed_answers=bool(st.session_state[typed_key])))
    except ValueError as exc:
        st.session_state[SETTINGS_MESSAGE] = str(exc)
        return
    # The card on screen was picked under the old settings: pick again under the new ones,
    # unless the student already revealed it (then they rate it first).
    shown_card = st.session_state.get(SHOWN)
    if shown_card is not None and not shown_card["revealed"]:
        st.session_state[SHOWN] = None


def settings_box(learner: Learner, queue: Queue) -> store.Settings:
    current = store.load_settings(engine_from_config(), learner.id)
    # Keys carry the learner id: another learner in this tab gets their own settings.
    new_key, typed_key = f"fc_new_per_day_{learner.id}", f"fc_typed_mode_{learner.id}"
    st.session_state.setdefault(new_key, current.new_per_day)
    st.session_state.setdefault(typed_key, current.typed_answers)
    problem = st.session_state.pop(SETTINGS_MESSAGE, None)  # said once, where it was typed
    # `expanded` stays constant: changing it between runs would fold the box away under the
    # student's cursor. The box is open anyway while they type in it.
    with st.expander("Settings", icon=":material/tune:"):
        # No min/max on the widget: the browser would refuse 1000 or -1 without a word. The
        # callback checks the range and says what it is. value=None lets an emptied box
        # arrive as "empty" instead of silently becoming 0.
        st.number_input(f"New cards per day (0 to {store.MAX_NEW_PER_DAY})", value=None,
                        step=5, key=new_key, on_change=_save_settings, args=(learner.id,),
                        help=f"How many cards you meet for the first time each day, a whole "
                             f"number from 0 to {store.MAX_NEW_PER_DAY}. 0 means only reviews "
                             "today. 20 a day leads to roughly 200 reviews a day later on.")
        if problem:
            st.error(problem, icon=":material/error:")
        st.toggle("Type my answer before rating (for short answers)", key=typed_key,
                  on_change=_save_settings, args=(learner.id,),
                  help="Cards whose answer is a term or a short phrase (\"Which term is "
                       "this?\", short questions) take a typed answer, checked kindly for "
                       "case, spacing and spelling slips. Longer answers are revealed as "
                       "usual. While this is on, new cards that take a typed answer come "
                       "first.")
        kinds = "cards with a short answer (a term from its definition, a number)"
        if st.session_state[typed_key]:
            n = queue.typable_today
            st.caption(f"You type the answer on {kinds}. {n} of today's cards are like that."
                       if n else f"You type the answer on {kinds}. None of today's cards is.")
        else:
            st.caption(f"Switch on to type the answer on {kinds}; those cards then come first "
                       "among today's new cards.")
    return current
