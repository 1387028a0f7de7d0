"""A server the test can restart: same port, same database, as after a deploy or a crash.

    def test_x(restartable_server, page):
        page.goto(f"{restartable_server.base}/quiz")
        restartable_server.restart()          # the tab reconnects by itself
        restartable_server.database_url       # to check what was stored

Import the fixture in a test module with `from tests.browser.restart import restartable_server`.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import ROOT, _free_port, _require_chromium


class RestartableServer:
    def __init__(self, tmp_dir: Path, env_extra: dict[str, str] | None = None):
        self.tmp_dir = tmp_dir
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.database_url = f"sqlite:///{tmp_dir / 'restart.sqlite3'}"
        self.env = {**os.environ, "BATCHWISE_DATABASE_URL": self.database_url, **(env_extra or {})}
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = open(self.tmp_dir / f"server-{self.port}-{self.starts}.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.headless=true", f"--server.port={self.port}", "--server.address=127.0.0.1",
             "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.proc.log_file = log
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early; see {log.name}")
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not become healthy in 60 s; see {log.name}")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc.log_file.close()
        self.proc = None

    def restart(self) -> None:
        """Stop the server and start a new one on the same port and database (the port is
        free again once the old process has exited)."""
        self.stop()
        self.start()


@pytest.fixture
def restartable_server(tmp_path):
    _require_chromium()
    server = RestartableServer(tmp_path)
    server.start()
    yield server
    server.stop()
