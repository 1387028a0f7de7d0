"""The school command in a real browser: students go through HAProxy to one of two app
processes, stay on it, and carry on on the other one when theirs dies.

What a student loses when their process dies: that process's in-memory session (Streamlit's
session state, e.g. an unsubmitted quiz in progress); the page reloads on a live process with
the same address, and everything in the database (learner, reviews, tries, grades) is there.
"""
from __future__ import annotations

import os
import signal
import time
import urllib.request

import pytest

from tests.browser.conftest import _require_chromium, wait_for_app
from school_box_support import alive, require_haproxy, start_school

WORKER_HEADER = "x-batchwise-worker"


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    _require_chromium()
    require_haproxy()
    running = start_school(tmp_path_factory.mktemp("school"), workers=2)
    yield running
    running.stop()


def _get(url: str, cookie: str | None = None):
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, r.headers, r.read()


def test_health_checks_answer_through_the_proxy(school):
    status, _, body = _get(school.base + "/_stcore/health")
    assert (status, body) == (200, b"ok")
    status, _, _ = _get(school.base + "/_school/health")
    assert status == 200


def test_new_browsers_are_spread_and_each_stays_on_its_process(school):
    seen = []
    for _ in range(4):  # four browsers without a cookie
        _, headers, _ = _get(school.base + "/")
        cookie = headers["Set-Cookie"].split(";")[0]
        assert cookie.startswith("bw_route=")
        worker = headers[WORKER_HEADER]
        # The same browser (its cookie) comes back to the same process every time.
        for _ in range(3):
            _, again, _ = _get(school.base + "/_stcore/health", cookie)
            assert again[WORKER_HEADER] == worker
        seen.append(worker)
    assert set(seen) == {"w1", "w2"}


def _worker_of(page) -> str:
    resp = page.request.get(page.url.split("?")[0].rsplit("/", 1)[0] + "/_stcore/health")
    return resp.headers[WORKER_HEADER]


def test_a_student_whose_process_dies_carries_on_on_the_other(school, new_page):
    page = new_page()
    served = []
    page.on("response", lambda r: served.append(r.headers.get(WORKER_HEADER)))
    page.goto(school.base + "/lesson")
    wait_for_app(page)
    page.get_by_role("heading", level=1).first.wait_for()
    page.get_by_text("Detailed", exact=True).first.click()
    wait_for_app(page)

    # Every request of this browser (page, scripts, health) went to one process; the
    # browser's own requests carry its cookie, so they stay there too.
    first = {w for w in served if w}
    assert len(first) == 1, first
    victim = first.pop()
    assert _worker_of(page) == victim

    pids = school.worker_pids()
    os.kill(pids[victim], signal.SIGKILL)

    # The WebSocket of this tab was on the killed process: HAProxy logs the stream's end
    # against that process.
    deadline = time.monotonic() + 15
    while f"app/{victim} " not in _stream_lines(school.proxy_log()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert f"app/{victim} " in _stream_lines(school.proxy_log())

    # The page reconnects by itself to the other process and the student carries on.
    other = "w2" if victim == "w1" else "w1"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if _worker_of(page) == other:
                break
        except Exception:
            pass
        time.sleep(0.3)
    assert _worker_of(page) == other
    page.get_by_text("Quick", exact=True).first.click()
    wait_for_app(page)
    page.get_by_text("Detailed", exact=True).first.click()
    wait_for_app(page)
    assert page.get_by_role("heading", level=1).first.is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0

    # Meanwhile the school command restarted the killed process, and it serves again.
    school.wait_for_output(f"{victim}: restarted", timeout=30)
    assert not alive(pids[victim])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(school.base + "/_stcore/health", f"bw_route={victim}")[1][WORKER_HEADER] == victim:
                break
        except OSError:
            pass
        time.sleep(0.5)
    assert _get(school.base + "/_stcore/health", f"bw_route={victim}")[1][WORKER_HEADER] == victim


def _stream_lines(log: str) -> str:
    return "\n".join(line for line in log.splitlines() if "/_stcore/stream" in line)
