"""A server that pauses once, as a busy machine does, right after a chosen widget is registered
in a run, before that run's message for it goes out: a browser test then acts during the
pause, as a teacher clicking while the page is still drawing does.

Loaded only by a test server started with this folder on PYTHONPATH (see
`tests/browser/test_teacher.py`) and BATCHWISE_TEST_PAUSE_AFTER=<widget key>; it writes the
file BATCHWISE_TEST_PAUSE_MARKER when the pause starts.
"""
import os
import time
from pathlib import Path

_KEY = os.environ.get("BATCHWISE_TEST_PAUSE_AFTER")

if _KEY:
    from streamlit.runtime.state.session_state import SessionState

    _register = SessionState.register_widget
    _paused: list[bool] = []

    def _register_then_pause(self, metadata, user_key):
        result = _register(self, metadata, user_key)
        if user_key == _KEY and not _paused:
            _paused.append(True)
            Path(os.environ["BATCHWISE_TEST_PAUSE_MARKER"]).write_text(_KEY)
            time.sleep(float(os.environ.get("BATCHWISE_TEST_PAUSE_SECONDS", "3")))
        return result

    SessionState.register_widget = _register_then_pause
