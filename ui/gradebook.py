"""Teacher screen: the live gradebook. A fragment reruns every few seconds; each rerun asks
the database one cheap question (`gradebook.signature`) and rebuilds the book only when the
answer changed, so a new submission appears without a reload and an idle page costs little."""
from __future__ import annotations

import streamlit as st

from engine.teachers import classes as cls
from engine.teachers import gradebook as gb
from ui.teacher import acting
from ui.text import md_escape

ss = st.session_state
LIVE_SECONDS = 4
CACHE = "t_gb_cache"


def current_book(engine, class_id: int, zone) -> gb.Gradebook:
    """The class's gradebook, rebuilt only when something in it changed."""
    sig = (class_id, str(zone), gb.signature(engine, class_id))
    cached = ss.get(CACHE)
    if cached is not None and cached[0] == sig:
        return cached[1]
    book = gb.class_gradebook(engine, class_id, zone)
    ss[CACHE] = (sig, book)
    return book


def live_gradebook(engine, teacher, class_id: int, zone, live: bool = True) -> None:
    """The gradebook, rerunning by itself every few seconds while `live` (its tab is open:
    a timer in a hidden tab would only cost the server and disturb the other tabs' menus)."""
    st.fragment(_gradebook, run_every=LIVE_SECONDS if live else None)(engine, teacher, class_id, zone)


def _gradebook(engine, teacher, class_id: int, zone) -> None:
    # Each tick reruns only this part, not the page's checks: a teacher signed out or taken
    # off the class meanwhile stops seeing its grades at the next tick.
    try:
        cls.require_class(engine, acting(teacher), class_id)
    except cls.NotYourClass as exc:
        st.warning(md_escape(exc), icon=":material/block:")
        return
    book = current_book(engine, class_id, zone)
    if not book.members:
        st.info("Nobody has joined this class yet.")
        return
    if not book.assignments:
        st.info("This class has no assignments yet.")
        return
    zname = getattr(zone, "key", str(zone))
    st.caption(f"Best try per student (tries used in brackets), or your own grade. Updates by "
               f"itself every few seconds. Times in {zname}.")
    st.dataframe(book.table(), hide_index=True, key="t_gradebook_table")
    latest = gb.latest_submission(book)
    if latest:
        st.caption(md_escape(latest))  # names typed by students and teachers
    c1, c2 = st.columns(2)
    c1.download_button("Download CSV", book.csv(), file_name="gradebook.csv", mime="text/csv",
                       key="t_csv", icon=":material/download:",
                       help="One row per student and assignment, with a stable student id.")
    c2.download_button("Download answers CSV", book.questions_csv(), file_name="gradebook-answers.csv",
                       mime="text/csv", key="t_csv_questions", icon=":material/download:",
                       help="One row per question answered: the per-question sheet.")
    shares = gb.kind_shares(book)
    if not shares.empty:
        st.subheader("Share answered right, per question kind", anchor=False)
        st.altair_chart(gb.kind_chart(shares), key="t_kind_chart")
