"""Shared test fixtures: isolated storage per test, and AppTest for any page."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def _isolated_database(tmp_path, monkeypatch):
    """Every test gets its own SQLite file: no test sees another's learners or reviews."""
    monkeypatch.setenv("BATCHWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'batchwise.sqlite3'}")
    yield


@pytest.fixture
def app_test():
    """Open a page by its file, as a deep link would: `app_test("pages/lesson.py")`."""
    from streamlit.testing.v1 import AppTest

    def open_page(page_file: str = "app.py", query: dict | None = None, timeout: float = 30):
        at = AppTest.from_file(APP, default_timeout=timeout)
        if page_file != "app.py":
            at.switch_page(page_file)  # runs only that page, as a deep link does
        for k, v in (query or {}).items():
            at.query_params[k] = v
        return at.run()

    return open_page
