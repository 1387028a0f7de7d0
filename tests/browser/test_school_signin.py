"""School sign-in through a REAL OpenID Connect provider on loopback (npm `oidc-provider`,
OpenID Certified, with its development login form), started by a fixture with node: a
student lands in their class by the e-mail on the roster, a teacher in their own classes."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from engine import db
from engine.identity import accounts, roster
from engine.teachers import classes as cls
from tests.browser.conftest import _free_port, _require_chromium, start_server, stop_server, wait_for_app

OIDC_DIR = Path(__file__).resolve().parents[1] / "oidc"


@pytest.fixture
def oidc_provider():
    """Start tests/oidc/provider.js; yields (issuer, a function making redirect URIs' port)."""
    node = shutil.which("node")
    if node is None or not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        if os.environ.get("CI"):
            pytest.fail("node or tests/oidc/node_modules is missing: .ci/run should have run npm ci")
        pytest.skip("school sign-in tests need Node.js and `npm ci` in tests/oidc")
    port, app_port = _free_port(), _free_port()
    proc = subprocess.Popen([node, "provider.js", str(port), f"http://127.0.0.1:{app_port}/oauth2callback"],
                            cwd=OIDC_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        line = ""
        while time.monotonic() < deadline and not line.startswith("ready"):
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                raise RuntimeError("the OpenID Connect provider did not start")
        yield f"http://127.0.0.1:{port}", app_port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


@pytest.fixture
def school_with_sign_in(tmp_path, oidc_provider):
    _require_chromium()
    issuer, app_port = oidc_provider
    url = f"sqlite:///{tmp_path / 'school.sqlite3'}"
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        'cookie_secret = "a-long-random-test-cookie-secret-0123456789"\n'
        'client_id = "batchwise"\n'
        'client_secret = "batchwise-test-secret"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
        # "login": the provider asks every time (shared computers); oidc-provider has no
        # "select_account", Streamlit's default.
        'client_kwargs = { prompt = "login" }\n'
        "\n[teacher]\n"
        'emails = ["listed.teacher@school.example"]\n')
    engine = db.connect(url)
    proc, base = start_server(tmp_path, {"BATCHWISE_DATABASE_URL": url,
                                         "STREAMLIT_SECRETS_FILES": str(secrets)}, port=app_port)
    yield base, engine
    stop_server(proc)
    engine.dispose()


def school_sign_in(page, base: str, path: str, login: str) -> None:
    """From `path`, "Sign in with your school account", through the provider's development
    login form and consent screen, and back to `path` on the app."""
    page.goto(f"{base}/{path}")
    page.get_by_role("button", name="Sign in with your school account").click(timeout=30_000)
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(re.escape(base)))
    page.goto(f"{base}/{path}")
    wait_for_app(page)


def test_a_student_and_a_teacher_sign_in_with_their_school_accounts(school_with_sign_in, new_page):
    base, engine = school_with_sign_in
    ada = accounts.create_teacher(engine, "Ada Teacher", email="ada@school.example")
    other = accounts.create_teacher(engine, "Other", email="other@school.example")
    year10 = cls.create_class(engine, "Year 10 physics", owner=ada)
    cls.create_class(engine, "Someone else's class", owner=other)
    roster.add_students(engine, year10.id, roster.parse_class_list("Ava Patel, ava@school.example"))

    student = new_page()
    school_sign_in(student, base, "sign_in", "ava@school.example")
    expect(student.get_by_text("You are signed in as")).to_be_visible(timeout=30_000)
    expect(student.get_by_test_id("stSidebar").get_by_text("Ava Patel", exact=True)).to_be_visible()  # the roster entry
    expect(student.get_by_text(re.compile(r"Your classes: Year 10 physics"))).to_be_visible()
    assert len(cls.members(engine, year10.id)) == 1  # no second "Ava Patel"

    teacher = new_page()
    school_sign_in(teacher, base, "teacher", "ada@school.example")
    sidebar = teacher.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Signed in as teacher")).to_be_visible(timeout=30_000)
    expect(sidebar.get_by_text("Ada Teacher", exact=True)).to_be_visible()
    body = teacher.locator("body")
    expect(body).to_contain_text("Year 10 physics")
    assert "Someone else's class" not in body.inner_text()
