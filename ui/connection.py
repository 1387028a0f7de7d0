"""What a student sees when the connection to the server drops, and clicks made after it.

`keep_actions_on_reconnect()`: Streamlit 1.67's page requests a full run of the script when it
reconnects only in some cases: a first connection, an interrupted run, a last run that was a
fragment's, or a page holding a fragment with `run_every` (frontend `App.
handleConnectionStateChanged`, `autoRerunIntervals.size > 0` in static/js/index.*.js). After a
server restart the new session has no fragments, and the server drops a click in a fragment
it does not know (runtime/app_session.py `request_rerun`: "The fragment with id … does not
exist anymore"). A tiny fragment with a long `run_every` makes every reconnect start with a
full run, so the page's fragments exist again before the student's next click.
"""
from __future__ import annotations

from datetime import timedelta

import streamlit as st

HEARTBEAT = timedelta(minutes=10)  # the reconnect rule needs one; its reruns draw nothing


@st.fragment(run_every=HEARTBEAT)
def _reconnect_marker() -> None:
    pass


def keep_actions_on_reconnect() -> None:
    """Call on a page with a fragment whose buttons must work after a server restart."""
    _reconnect_marker()
