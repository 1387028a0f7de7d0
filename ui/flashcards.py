"""Streamlit glue for the flashcard review loop (the progress page's part: flashcards_progress).

The loop is one fragment: revealing and rating rerun only the card, not the page.

A rating carries the showing it answers (the card and its saved version, see
engine/flashcards/showing.py) in its button's key and arguments, and a revealed card is also
named in the page's address (`?card=`). After a server restart the reconnecting tab runs the
whole page again (ui/connection.py), and the fresh session, from the address alone, draws the
very same card and buttons: the student's next click is saved once. A rating that can no
longer be applied (the card was rated since, elsewhere) is refused with a message; a double
click is one rating (the showing's token is unique per learner in the database).
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import streamlit as st
from fsrs import Rating

from engine import db
from engine.flashcards import Deck, DeckCard, check_typed, schedule, stats, store
from engine.flashcards.queue import Queue, todays_queue
from engine.flashcards.showing import Showing, showing_of
from engine.learners import Learner
from ui.flashcards_progress import counts_line, progress_report, timezone_name  # noqa: F401
from ui.flashcards_settings import settings_box
from ui.learner import engine_from_config

SHOWN = "fc_shown"            # {"card_id", "version", "token", "shown_at", "revealed", "typed", "verdict"}
SESSION = "fc_session"        # review ids rated in this tab, oldest first
MESSAGE = "fc_message"        # (kind, text) to show once after a callback
CARD_PARAM = "card"           # the revealed card in the address: "<version>~<card id>"
SHORTCUTS = {Rating.Again: "1", Rating.Hard: "2", Rating.Good: "3", Rating.Easy: "4"}
STYLE = Path(__file__).with_name("flashcards.css")
ALREADY_RATED = ("That card had already been rated{rating} (in another tab, or just before the "
                 "connection dropped), so this rating was not added a second time. Here is "
                 "your next card.")


def _init_state(learner: Learner) -> None:
    # A switch of learner in this tab starts a fresh session: no undo of someone else's rating.
    if st.session_state.get("fc_learner") != learner.id:
        st.session_state["fc_learner"] = learner.id
        st.session_state[SESSION] = []
        st.session_state[SHOWN] = None
    st.session_state.setdefault(SESSION, [])
    st.session_state.setdefault(SHOWN, None)


def _show(showing: Showing, revealed: bool = False) -> dict:
    shown = {**showing.to_dict(), "token": showing.token, "shown_at": db.now().isoformat(),
             "revealed": revealed, "typed": None, "verdict": None}
    st.session_state[SHOWN] = shown
    return shown


# --- callbacks ------------------------------------------------------------------------------

def _reveal(token: str) -> None:
    shown = st.session_state.get(SHOWN)
    if shown and shown["token"] == token:
        shown["revealed"] = True


def _check_typed(token: str, card: DeckCard) -> None:
    shown = st.session_state.get(SHOWN)
    if not shown or shown["token"] != token:
        return
    typed = st.session_state.get(f"fc_typed_{token}", "")
    verdict = check_typed(card, typed)
    shown.update(revealed=True, typed=typed, verdict=verdict.verdict)


def _done_with(showing: Showing) -> None:
    """The showing is answered: take it off the screen and out of the address."""
    shown = st.session_state.get(SHOWN) or {}
    if shown.get("token") == showing.token:
        st.session_state[SHOWN] = None
    if st.query_params.get(CARD_PARAM) == showing.to_param():
        del st.query_params[CARD_PARAM]


def _rate(learner_id: int, card_id: str, version: int, rating: int) -> None:
    showing = Showing(card_id, version)
    shown = st.session_state.get(SHOWN) or {}
    same = shown.get("token") == showing.token
    duration = None
    if same and shown.get("shown_at"):
        elapsed = db.now() - datetime.fromisoformat(shown["shown_at"])
        duration = int(min(max(elapsed.total_seconds(), 0), 3600) * 1000)
    try:
        result = store.record_review(engine_from_config(), learner_id, card_id, rating,
                                     token=showing.token, answers_version=version,
                                     duration_ms=duration,
                                     typed_verdict=shown.get("verdict") if same else None)
    except store.StaleShowing:
        st.session_state[MESSAGE] = ("warning", ALREADY_RATED.format(rating=""))
        _done_with(showing)
        return
    except Exception as exc:
        problem = db.fault(exc)
        if problem is None:
            raise  # a bug, not a storage fault
        # Nothing was saved: keep the card and its buttons on screen and say so.
        st.session_state[MESSAGE] = (
            "error", f"Your rating ({Rating(rating).name}) was not saved. {problem.for_students} "
                     "The card is still here to rate again.")
        return
    _done_with(showing)
    if result.duplicate:
        # The same showing was rated before: this click twice, or another tab on the same card.
        st.session_state[MESSAGE] = (
            ("toast", "That rating was already saved.") if result.review.rating == rating else
            ("warning", ALREADY_RATED.format(rating=f" {result.review.rating.name}")))
        return
    st.session_state[SESSION].append(result.review.id)
    wait = schedule.format_interval(result.progress.due - result.review.reviewed_at)
    st.session_state[MESSAGE] = ("toast", f"{Rating(rating).name}: back in {wait}")


def _undo(learner_id: int) -> None:
    ids = st.session_state.get(SESSION) or []
    if not ids:
        return
    try:
        card_id = store.undo_review(engine_from_config(), learner_id, ids[-1])
    except store.UndoRefused as exc:
        st.session_state[MESSAGE] = ("warning", str(exc))
        ids.pop()
        return
    ids.pop()
    progress = store.load_progress(engine_from_config(), learner_id)
    _show(showing_of(card_id, progress))
    st.session_state[MESSAGE] = ("toast", "Last rating undone: here is that card again.")


# --- drawing --------------------------------------------------------------------------------

def _flush_message() -> None:
    msg = st.session_state.pop(MESSAGE, None)
    if not msg:
        return
    kind, text = msg
    if kind == "toast":
        st.toast(text)
    elif kind == "warning":
        st.warning(text, icon=":material/info:")
    else:
        st.error(text, icon=":material/error:")


def _card_face(card: DeckCard, revealed: bool) -> None:
    with st.container(border=True, key="fc_card"):
        st.caption(card.prompt)
        st.markdown(f"### {card.front}" if card.kind != "misconception" else f"> {card.front}")
        if revealed:
            st.divider()
            st.markdown(card.back)


def _rating_buttons(learner_id: int, card: DeckCard, shown: dict, suggested: Rating | None,
                    progress: store.Progress | None) -> None:
    now = db.now()
    fsrs_card = progress.card if progress else schedule.new_fsrs_card(card.fsrs_id, now)
    intervals = schedule.preview(fsrs_card, now)
    token, args = shown["token"], (learner_id, card.id, shown["version"])
    # A wrapping row: four across on a laptop, two by two on a phone (see flashcards.css).
    with st.container(horizontal=True, key="fc_ratings", gap="small"):
        for rating in schedule.RATINGS:
            # The key names the showing: a fresh session (after a restart) that draws the
            # same card gets the click that was meant for it.
            st.button(f"{rating.name} · {schedule.format_interval(intervals[rating])}",
                      key=f"fc_rate_{int(rating)}_{token}", on_click=_rate,
                      args=(*args, int(rating)), shortcut=SHORTCUTS[rating],
                      width="stretch", help=schedule.RATING_HELP[rating],
                      type="primary" if rating == suggested else "secondary")
    # Said under the buttons, not above: on a phone a line above pushes them off the screen.
    st.caption("How well did you remember it? **Again** = forgotten · **Hard** = remembered, "
               "with real effort · **Good** = remembered · **Easy** = instant. Keys 1–4.")


def _typed_box(card: DeckCard, token: str) -> None:
    with st.form(f"fc_typed_form_{token}", border=False, enter_to_submit=True):
        st.text_input("Your answer", key=f"fc_typed_{token}", max_chars=200)
        st.form_submit_button("Check", on_click=_check_typed, args=(token, card),
                              type="primary")


def _verdict_box(card: DeckCard, shown: dict) -> Rating | None:
    if shown.get("verdict") is None:
        return None
    verdict = check_typed(card, shown.get("typed") or "")
    box = {"right": st.success, "close": st.warning}.get(verdict.verdict, st.error)
    box(verdict.message)
    st.caption("You typed:")
    st.text(shown.get("typed") or "(nothing)")
    return verdict.suggested


def summary_box(engine, learner_id: int) -> None:
    ids = st.session_state.get(SESSION) or []
    if not ids:
        return
    summary = stats.session_summary(store.load_reviews(engine, learner_id, ids=ids))
    with st.container(border=True, key="fc_summary"):
        st.subheader("Session summary")
        # A wrapping row: four across on a laptop, side by side on a phone (columns stack).
        with st.container(horizontal=True, key="fc_summary_numbers"):
            share = summary.remembered_share
            for label, value, help_ in (
                    ("Reviews", summary.reviewed, None), ("Cards", summary.cards, None),
                    ("New cards", summary.new_cards, None),
                    ("Remembered", f"{share:.0%}" if share is not None else "–",
                     "Share of this session's ratings that were not Again.")):
                st.metric(label, value, help=help_, width="content")
        st.text(" · ".join(f"{name}: {n}" for name, n in summary.by_rating.items()))


def _reveal_controls(card: DeckCard, shown: dict, typed_mode: bool) -> None:
    token = shown["token"]
    if typed_mode:
        _typed_box(card, token)
        st.caption("Type your answer and press Enter to check it. Stuck? Press Enter on an "
                   "empty box, or Show answer.")
        st.button("Show answer", key="fc_reveal", on_click=_reveal, args=(token,),
                  type="tertiary")
    else:
        st.button("Show answer", key="fc_reveal", on_click=_reveal, args=(token,),
                  shortcut="Space", type="primary", icon=":material/visibility:",
                  width="stretch")
        st.caption("Recall the answer in your head, then press Space (or the button).")


def _when_next(queue: Queue, now: datetime) -> str:
    """When there is something to do again, in the student's words."""
    parts = []
    if queue.next_learning_at is not None:
        parts.append(f"A card you are learning comes back in "
                     f"{schedule.format_interval(queue.next_learning_at - now)}.")
    elif queue.next_due_later is not None:
        parts.append(f"Your next review is due in "
                     f"{schedule.format_interval(queue.next_due_later - now)}.")
    if queue.unseen:
        if queue.new_limit == 0:
            parts.append(f"{queue.unseen} new cards are waiting, but New cards per day is 0 in "
                         "Settings below: raise it to meet them.")
        elif queue.new_started_today >= queue.new_limit:
            limit, later = queue.new_limit, min(queue.new_limit, queue.unseen)
            parts.append(f"You met today's {limit} new card{'s' if limit != 1 else ''} (New "
                         f"cards per day, in Settings below); {queue.unseen} more "
                         f"{'are' if queue.unseen != 1 else 'is'} waiting and {later} of them "
                         f"{'come' if later != 1 else 'comes'} tomorrow.")
        else:
            parts.append(f"The {queue.unseen} cards still new are the other direction of terms "
                         "you met today: they come tomorrow, so one does not give away the "
                         "other.")
    elif queue.new_limit:
        parts.append("You have met every card in this lesson.")
    return " ".join(parts)


def _card_from_address(deck: Deck, progress: dict[str, store.Progress]) -> dict | None:
    """The revealed card named in the address, when this session has none on screen: the
    tab reconnected to a restarted server, or was reloaded. Any other value is dropped."""
    showing = Showing.from_param(st.query_params.get(CARD_PARAM))
    if showing is None or deck.get(showing.card_id) is None:
        return None
    if showing_of(showing.card_id, progress) != showing:
        st.session_state[MESSAGE] = (
            "warning", "The card you were rating had already been rated (in another tab, or "
                       "just before the connection dropped): that rating is saved. Here is "
                       "your next card.")
        return None
    return _show(showing, revealed=True)


def _sync_address(shown: dict | None) -> None:
    wanted = Showing(shown["card_id"], shown["version"]).to_param() \
        if shown is not None and shown["revealed"] else None
    if st.query_params.get(CARD_PARAM) != wanted:
        if wanted is None:
            del st.query_params[CARD_PARAM]
        else:
            st.query_params[CARD_PARAM] = wanted


def review_loop(learner: Learner, deck: Deck) -> None:
    """The whole loop: counts, card, reveal, rate, undo, summary at the end."""
    _init_state(learner)
    st.html(STYLE)
    _review(learner, deck)


@st.fragment
def _review(learner: Learner, deck: Deck) -> None:
    engine = engine_from_config()
    now = db.now()
    queue = todays_queue(engine, learner.id, deck, now, timezone_name())
    progress = store.load_progress(engine, learner.id)

    shown = st.session_state.get(SHOWN)
    if shown is not None and (deck.get(shown["card_id"]) is None
                              or not queue.holds(shown["card_id"])):
        # The card left the deck (content changed), or left today's queue (the new-card limit
        # was lowered, or another tab rated it): move on, so the card matches the counts.
        shown = st.session_state[SHOWN] = None
    if shown is None:
        shown = _card_from_address(deck, progress)
    if shown is None:
        card = queue.next_card(now)
        shown = _show(showing_of(card.id, progress)) if card is not None else None
    _sync_address(shown)
    counts_line(queue)

    # One slot for everything that changes from card to card, so the Settings box below
    # keeps its place (and stays open while the student types in it).
    with st.container(key="fc_body"):
        _flush_message()
        _draw_card(learner, deck, queue, progress, shown, now, engine)
    settings_box(learner, queue)


def _draw_card(learner: Learner, deck: Deck, queue: Queue, progress: dict, shown: dict | None,
               now: datetime, engine) -> None:
    if shown is None:
        if not len(deck):
            st.info("This lesson has no flashcards yet.")
        elif st.session_state[SESSION]:
            st.success(f"Done for now. {_when_next(queue, now)}", icon=":material/check_circle:")
        else:
            st.info(f"Nothing to review right now. {_when_next(queue, now)}")
        if queue.next_learning_at is not None:
            st.button("Check again", key="fc_refresh", icon=":material/refresh:")
    else:
        card = deck.get(shown["card_id"])
        saved = progress.get(card.id)
        typed_mode = store.load_settings(engine, learner.id).typed_answers and card.typable
        _card_face(card, shown["revealed"])
        if not shown["revealed"]:
            _reveal_controls(card, shown, typed_mode)
        else:
            _rating_buttons(learner.id, card, shown, _verdict_box(card, shown), saved)
    if st.session_state[SESSION]:
        st.button("Undo last rating", key="fc_undo", on_click=_undo, args=(learner.id,),
                  icon=":material/undo:", type="tertiary")
    if shown is None:
        summary_box(engine, learner.id)
    elif shown["revealed"] and progress.get(shown["card_id"]) is not None:
        with st.expander("This card's history"):
            st.dataframe(pd.DataFrame(stats.card_history_rows(
                store.load_reviews(engine, learner.id, card_id=shown["card_id"]))),
                hide_index=True)
