"""Streamlit glue for the flashcard review loop and the progress page.

The card on screen is held in session state with a random review token, so reruns (reveal,
typing) never swap it, and a rating sent twice for the same showing (a double click) is
saved once: the database refuses a second review with the same token.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import pandas as pd
import streamlit as st
from fsrs import Rating

from engine import db
from engine.flashcards import Deck, DeckCard, check_typed, export, schedule, stats, store
from engine.flashcards.queue import Queue, day_bounds, todays_queue
from engine.learners import Learner
from ui.learner import engine_from_config

SHOWN = "fc_shown"            # {"card_id", "token", "shown_at", "revealed", "typed", "verdict"}
SESSION = "fc_session"        # review ids rated in this tab, oldest first
MESSAGE = "fc_message"        # (kind, text) to show once after a callback
SHORTCUTS = {Rating.Again: "1", Rating.Hard: "2", Rating.Good: "3", Rating.Easy: "4"}


def timezone_name() -> str | None:
    try:
        return st.context.timezone
    except Exception:
        return None


def _init_state(learner: Learner) -> None:
    # A switch of learner in this tab starts a fresh session: no undo of someone else's rating.
    if st.session_state.get("fc_learner") != learner.id:
        st.session_state["fc_learner"] = learner.id
        st.session_state[SESSION] = []
        st.session_state[SHOWN] = None
    st.session_state.setdefault(SESSION, [])
    st.session_state.setdefault(SHOWN, None)


def _show(card: DeckCard) -> dict:
    shown = {"card_id": card.id, "token": secrets.token_hex(16),
             "shown_at": db.now().isoformat(), "revealed": False, "typed": None,
             "verdict": None}
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


def _rate(learner_id: int, card_id: str, token: str, rating: int) -> None:
    shown = st.session_state.get(SHOWN) or {}
    duration = None
    if shown.get("token") == token:
        elapsed = db.now() - datetime.fromisoformat(shown["shown_at"])
        duration = int(min(elapsed.total_seconds(), 3600) * 1000)
    result = store.record_review(engine_from_config(), learner_id, card_id, rating, token=token,
                                 duration_ms=duration,
                                 typed_verdict=shown.get("verdict") if shown.get("token") == token else None)
    if result.duplicate:
        return  # the same click arrived twice: it was already saved once
    st.session_state[SESSION].append(result.review.id)
    if shown.get("token") == token:
        st.session_state[SHOWN] = None
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
    st.session_state[SHOWN] = {"card_id": card_id, "token": secrets.token_hex(16),
                               "shown_at": db.now().isoformat(), "revealed": False,
                               "typed": None, "verdict": None}
    st.session_state[MESSAGE] = ("toast", "Last rating undone: here is that card again.")


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


# --- drawing --------------------------------------------------------------------------------

def _flush_message() -> None:
    msg = st.session_state.pop(MESSAGE, None)
    if not msg:
        return
    kind, text = msg
    if kind == "toast":
        st.toast(text)
    elif kind == "warning":
        st.warning(text)
    else:
        st.error(text)


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


def counts_bar(queue: Queue) -> None:
    c = queue.counts
    cols = st.columns(3)
    cols[0].metric("New today", c["new"], help="Cards you have not seen yet, within today's limit.")
    cols[1].metric("Learning", c["learning"], help="Cards in their first short steps, due again today.")
    cols[2].metric("To review", c["due"], help="Cards you learned before that are due today.")


def _card_face(card: DeckCard, revealed: bool) -> None:
    with st.container(border=True, key="fc_card"):
        st.caption(card.prompt)
        st.markdown(f"### {card.front}" if card.kind != "misconception" else f"> {card.front}")
        if revealed:
            st.divider()
            st.markdown(card.back)


def _rating_buttons(learner_id: int, card: DeckCard, token: str, suggested: Rating | None,
                    progress: store.Progress | None) -> None:
    now = db.now()
    fsrs_card = progress.card if progress else schedule.new_fsrs_card(card.fsrs_id, now)
    intervals = schedule.preview(fsrs_card, now)
    st.caption("How well did you remember it?")
    cols = st.columns(4)
    for col, rating in zip(cols, schedule.RATINGS):
        col.button(f"{rating.name} · {schedule.format_interval(intervals[rating])}",
                   key=f"fc_rate_{int(rating)}", on_click=_rate,
                   args=(learner_id, card.id, token, int(rating)),
                   shortcut=SHORTCUTS[rating], width="stretch", help=schedule.RATING_HELP[rating],
                   type="primary" if rating == suggested else "secondary")
    st.caption("**Again** = forgotten · **Hard** = remembered, with real effort (not forgotten) · "
               "**Good** = remembered · **Easy** = instant. Keys 1–4.")


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
        cols = st.columns(4)
        cols[0].metric("Reviews", summary.reviewed)
        cols[1].metric("Cards", summary.cards)
        cols[2].metric("New cards", summary.new_cards)
        share = summary.remembered_share
        cols[3].metric("Remembered", f"{share:.0%}" if share is not None else "–",
                       help="Share of this session's ratings that were not Again.")
        st.text(" · ".join(f"{name}: {n}" for name, n in summary.by_rating.items()))


def _reveal_controls(card: DeckCard, token: str, typed_mode: bool) -> None:
    if typed_mode:
        _typed_box(card, token)
        st.caption("Type your answer and press Enter to check it. Stuck? Press Enter on an "
                   "empty box, or Show answer.")
        st.button("Show answer", key="fc_reveal", on_click=_reveal, args=(token,),
                  type="tertiary")
    else:
        st.button("Show answer", key="fc_reveal", on_click=_reveal, args=(token,),
                  shortcut="Space", type="primary", icon=":material/visibility:")
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
                         "Settings above: raise it to meet them.")
        elif queue.new_started_today >= queue.new_limit:
            parts.append(f"You met today's {queue.new_limit} new cards (New cards per day, in "
                         f"Settings above); {queue.unseen} more are waiting and "
                         f"{min(queue.new_limit, queue.unseen)} of them come tomorrow.")
        else:
            parts.append(f"The {queue.unseen} cards still new are the other direction of terms "
                         "you met today: they come tomorrow, so one does not give away the "
                         "other.")
    elif queue.new_limit:
        parts.append("You have met every card in this lesson.")
    return " ".join(parts)


def review_loop(learner: Learner, deck: Deck) -> None:
    """The whole loop: counts, card, reveal, rate, undo, summary at the end."""
    _init_state(learner)
    engine = engine_from_config()
    tz = timezone_name()
    now = db.now()
    queue = todays_queue(engine, learner.id, deck, now, tz)
    settings_box(learner, queue)
    _flush_message()
    counts_bar(queue)

    shown = st.session_state.get(SHOWN)
    if shown is not None and (deck.get(shown["card_id"]) is None
                              or not queue.holds(shown["card_id"])):
        # The card left the deck (content changed), or left today's queue (the new-card limit
        # was lowered, or another tab rated it): move on, so the card matches the counts.
        shown = st.session_state[SHOWN] = None
    if shown is None:
        card = queue.next_card(now)
        shown = _show(card) if card is not None else None

    if st.session_state[SESSION]:
        st.button("Undo last rating", key="fc_undo", on_click=_undo, args=(learner.id,),
                  icon=":material/undo:", type="tertiary")

    if shown is None:
        if not len(deck):
            st.info("This lesson has no flashcards yet.")
        elif st.session_state[SESSION]:
            st.success(f"Done for now. {_when_next(queue, now)}", icon=":material/check_circle:")
        else:
            st.info(f"Nothing to review right now. {_when_next(queue, now)}")
        if queue.next_learning_at is not None:
            st.button("Check again", key="fc_refresh", icon=":material/refresh:")
        summary_box(engine, learner.id)
        return

    card = deck.get(shown["card_id"])
    token = shown["token"]
    progress = store.load_progress(engine, learner.id).get(card.id)
    settings = store.load_settings(engine, learner.id)
    typed_mode = settings.typed_answers and card.typable
    _card_face(card, shown["revealed"])
    if not shown["revealed"]:
        _reveal_controls(card, token, typed_mode)
    else:
        suggested = _verdict_box(card, shown)
        _rating_buttons(learner.id, card, token, suggested, progress)
        if progress is not None:
            with st.expander("This card's history"):
                st.dataframe(pd.DataFrame(stats.card_history_rows(
                    store.load_reviews(engine, learner.id, card_id=card.id))), hide_index=True)


# --- progress page --------------------------------------------------------------------------

def progress_report(learner: Learner, deck: Deck, deck_name: str) -> None:
    engine = engine_from_config()
    tz = timezone_name()
    now = db.now()
    progress = store.load_progress(engine, learner.id)
    queue = todays_queue(engine, learner.id, deck, now, tz)

    st.subheader("Today")
    counts_bar(queue)
    day_start, _ = day_bounds(now, tz)
    st.caption(f"Reviews done today: {store.count_reviews(engine, learner.id, since=day_start)}")

    st.subheader("Coming up")
    st.altair_chart(stats.forecast_chart(stats.forecast(progress, now, tz, deck=deck)),
                    key="fc_forecast")

    st.subheader("How well you remember")
    last_month = stats.Retention(*store.retention_counts(engine, learner.id, since=now - timedelta(days=30)))
    ever = stats.Retention(*store.retention_counts(engine, learner.id))
    cols = st.columns(2)
    for col, label, r in ((cols[0], "Remembered when reviewed, last 30 days", last_month),
                          (cols[1], "Remembered when reviewed, all time", ever)):
        col.metric(label, f"{r.rate:.0%}" if r.rate is not None else "–",
                   help="When a card you had already learned came back for a review, how "
                        "often you remembered it: the share of those reviews not rated "
                        "Again. Practice while still learning a card does not count. "
                        "(Anki calls this true retention.)")
    if ever.total:
        st.caption(f"From {ever.total} reviews of learned cards, {ever.remembered} remembered.")
    else:
        st.caption("This appears once you review a card you learned on an earlier day.")

    st.subheader("A card's history")
    seen = [c for c in deck if c.id in progress]
    if seen:
        choice = st.selectbox("Card", [c.id for c in seen], key="fc_history_card",
                              format_func=lambda cid: f"{deck.get(cid).front[:70]} ({deck.get(cid).prompt})")
        st.dataframe(pd.DataFrame(stats.card_history_rows(
            store.load_reviews(engine, learner.id, card_id=choice))), hide_index=True)
    else:
        st.caption("No card reviewed yet.")

    st.subheader("Export")
    # Files are built only when a button is pressed (on Streamlit's download thread), so the
    # page does not read the whole review log or write an Anki file on every rerun.
    learner_id = learner.id
    cols = st.columns(3)
    cols[0].download_button(
        "Deck and progress (CSV)",
        lambda: export.progress_csv(deck, store.load_progress(engine, learner_id)),
        file_name="batchwise-flashcards.csv", mime="text/csv", key="fc_export_csv",
        icon=":material/table:", on_click="ignore")
    cols[1].download_button(
        "Review log (JSON)",
        lambda: export.review_log_json(store.load_reviews(engine, learner_id), deck),
        file_name="batchwise-review-log.json", mime="application/json", key="fc_export_json",
        icon=":material/data_object:", on_click="ignore")
    cols[2].download_button(
        "Anki deck (.apkg)", lambda: export.anki_package(deck, deck_name),
        file_name="batchwise.apkg", mime="application/octet-stream", key="fc_export_apkg",
        icon=":material/style:", on_click="ignore",
        help="Import into Anki (desktop or phone) to carry the cards with you. Anki "
             "schedules them afresh.")
