"""Real-browser harness: a fresh `streamlit run app.py` server and Debian's Chromium.

The server is started once per test session on a free port with its own database, so the
first request every browser test makes is a cold start, as a deep link on a new server is.
Browser tests skip on a machine without Chromium, except in CI (CI=true), where they fail.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: .ci/run should have installed it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


def start_server(tmp_dir: Path, env_extra: dict[str, str] | None = None,
                 port: int | None = None) -> tuple[subprocess.Popen, str]:
    """Start a headless app server (on `port`, e.g. to restart one, or a free port); return
    the process and its base URL once healthy."""
    port = port or _free_port()
    env = {**os.environ,
           "BATCHWISE_DATABASE_URL": f"sqlite:///{tmp_dir / 'browser.sqlite3'}",
           **(env_extra or {})}
    log = open(tmp_dir / f"server-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1",
         "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    proc.log_file = log  # closed by stop_server
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.close()
            raise RuntimeError(f"streamlit exited early; see {log.name}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return proc, base
        except OSError:
            time.sleep(0.3)
    stop_server(proc)
    raise RuntimeError(f"streamlit did not become healthy in 60 s; see {log.name}")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    log = getattr(proc, "log_file", None)
    if log is not None:
        log.close()


@pytest.fixture(scope="session")
def base_url(tmp_path_factory):
    _require_chromium()
    proc, base = start_server(tmp_path_factory.mktemp("server"))
    yield base
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def _screenshot_on_failure(request, pages) -> None:
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for i, pg in enumerate(pages):
            try:
                pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{i}.png"), full_page=True)
            except Exception:  # a crashed page must not hide the test's own failure
                pass


@pytest.fixture
def new_page(browser, request):
    """Open pages in fresh browser contexts (separate cookies): `new_page()` per user;
    `new_page({"width": 390, "height": 844})` for a phone (touch-only, as one is)."""
    contexts, pages = [], []

    def make(size: dict | None = None):
        size = size or {"width": 1280, "height": 900}
        phone = size["width"] < 640
        ctx = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone)
        ctx.set_default_timeout(20_000)
        contexts.append(ctx)
        pg = ctx.new_page()
        pages.append(pg)
        return pg

    yield make
    _screenshot_on_failure(request, pages)
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(new_page):
    return new_page()


def wait_for_app(page) -> None:
    """Wait until the page is connected and Streamlit has finished running the script.

    Read from the app's root (`data-test-script-state`, `data-test-connection-state`): the
    "Running…" status widget is not drawn with `client.toolbarMode = "minimal"`, so waiting for
    it to go away waited for nothing."""
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            const script = app && app.getAttribute('data-test-script-state');
            const link = app && app.getAttribute('data-test-connection-state');
            return !!app && ['notRunning', 'compilationError'].includes(script)
                && (!link || link === 'CONNECTED' || link === 'STATIC_CONNECTED');
        }""",
        timeout=30_000,
    )


def assert_no_error(page) -> None:
    errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.first.inner_text()
