"""My progress, flashcard part: today's counts, the forecast, retention, history, exports."""
from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from engine import db
from engine.flashcards import Deck, export, stats, store
from engine.flashcards.queue import Queue, day_bounds, todays_queue
from engine.learners import Learner
from ui.learner import engine_from_config


def timezone_name() -> str | None:
    try:
        return st.context.timezone
    except Exception:
        return None


def counts_line(queue: Queue) -> None:
    """Today's three counts in one short line (three stacked metrics filled a phone's screen)."""
    c = queue.counts
    with st.container(key="fc_counts"):
        st.markdown(f":blue-badge[**{c['new']}** new today] :orange-badge[**{c['learning']}** "
                    f"learning] :green-badge[**{c['due']}** to review]",
                    help="**New today**: cards you have not seen yet, within today's limit. "
                         "**Learning**: cards in their first short steps, due again today. "
                         "**To review**: cards you learned before that are due today.")


def progress_report(learner: Learner, deck: Deck, deck_name: str) -> None:
    engine = engine_from_config()
    tz = timezone_name()
    now = db.now()
    progress = store.load_progress(engine, learner.id)
    queue = todays_queue(engine, learner.id, deck, now, tz)

    st.subheader("Today")
    counts_line(queue)
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
