"""Signing in once and staying signed in, in a real browser: roster codes, new tabs, reloads,
a server restart; a pasted link of another student; teacher A and teacher B's class."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from engine import db
from engine.identity import accounts, roster
from engine.learners import create_learner
from engine.teachers import classes as cls
from engine.teachers.auth import ENV_VAR
from teachers_support import FAST_HASH
from tests.browser.conftest import _require_chromium, start_server, stop_server, wait_for_app


@pytest.fixture
def school(tmp_path):
    """A server with a database of its own; `restart()` stops it and starts it again on the
    same port (what a reconnecting tab finds after a deploy or a crash)."""
    _require_chromium()
    url = f"sqlite:///{tmp_path / 'school.sqlite3'}"
    env = {ENV_VAR: FAST_HASH, "BATCHWISE_DATABASE_URL": url}
    state = {}
    state["proc"], state["base"] = start_server(tmp_path, env)

    def restart():
        port = urlsplit(state["base"]).port
        stop_server(state["proc"])
        state["proc"], state["base"] = start_server(tmp_path, env, port=port)

    engine = db.connect(url)
    yield state["base"], engine, restart
    engine.dispose()
    stop_server(state["proc"])


def signed_in_as(page, name: str) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Studying as")).to_be_visible(timeout=30_000)
    expect(sidebar.get_by_text(name, exact=True)).to_be_visible()
    assert "learner=" not in page.url


def roster_sign_in(page, base, card) -> None:
    page.goto(f"{base}/sign_in")
    wait_for_app(page)
    expect(page.get_by_label("Class code")).to_be_visible(timeout=30_000)
    page.get_by_label("Class code").fill(card.class_code.lower())
    page.get_by_label("Your code").fill(card.code.replace("-", " "))
    page.get_by_role("button", name="Sign in").first.click()
    expect(page.get_by_text("You are signed in as")).to_be_visible(timeout=30_000)
    wait_for_app(page)


def test_a_roster_code_signs_in_once_for_tabs_reloads_and_a_server_restart(school, new_page):
    base, engine, restart = school
    c = cls.create_class(engine, "Year 10")
    (ava,) = roster.add_students(engine, c.id, roster.parse_class_list("Ava Patel"))
    page = new_page()
    roster_sign_in(page, base, ava)
    signed_in_as(page, "Ava Patel")

    tab = page.context.new_page()                    # a new tab, straight to another page
    tab.goto(f"{base}/flashcards")
    wait_for_app(tab)
    signed_in_as(tab, "Ava Patel")
    expect(tab.get_by_label("Class code")).to_have_count(0)

    tab.reload()
    wait_for_app(tab)
    signed_in_as(tab, "Ava Patel")

    restart()                                        # the server restarts under the open tab
    # The tab reconnects by itself: its first run on the new server knows who it is.
    signed_in_as(tab, "Ava Patel")
    tab.reload()
    wait_for_app(tab)
    signed_in_as(tab, "Ava Patel")
    expect(tab.get_by_label("Class code")).to_have_count(0)

    # Sign out: this device is signed out, in a new tab too.
    tab.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    expect(tab.get_by_label("Class code")).to_be_visible(timeout=30_000)
    fresh = page.context.new_page()
    fresh.goto(f"{base}/progress")
    wait_for_app(fresh)
    expect(fresh.get_by_label("Class code")).to_be_visible(timeout=30_000)


def test_a_pasted_link_of_another_student_does_not_switch_identity(school, new_page):
    base, engine, _ = school
    c = cls.create_class(engine, "Year 10")
    (ava,) = roster.add_students(engine, c.id, roster.parse_class_list("Ava Patel"))
    kim = create_learner(engine, "Kim Other")                        # with an old-style link
    page = new_page()
    roster_sign_in(page, base, ava)
    page.goto(f"{base}/assignments?learner={kim.code}")              # pasted from the chat
    wait_for_app(page)
    expect(page.get_by_text("This link signs in someone else")).to_be_visible(timeout=30_000)
    signed_in_as(page, "Ava Patel")
    assert kim.code not in page.url
    page.get_by_role("button", name="Stay as Ava Patel").click()
    wait_for_app(page)
    signed_in_as(page, "Ava Patel")

    # On a device where nobody is signed in, the old link signs its owner in once and leaves
    # the address bar.
    other = new_page()
    other.goto(f"{base}/flashcards?learner={kim.code}")
    wait_for_app(other)
    signed_in_as(other, "Kim Other")
    assert kim.code not in other.url


def test_teacher_a_cannot_see_teacher_b_s_class_by_any_link(school, new_page):
    base, engine, _ = school
    ada = accounts.create_teacher(engine, "Ada", passcode="ada's very own passcode")
    accounts.create_teacher(engine, "Bo", passcode="bo's very own passcode")
    secret = cls.create_class(engine, "Ada's secret class", owner=ada)
    roster.add_students(engine, secret.id, roster.parse_class_list("Zed Hidden"))
    page = new_page()
    page.goto(f"{base}/teacher")
    page.get_by_role("textbox", name="Your e-mail or name").fill("Bo")
    page.get_by_role("textbox", name="Passcode").fill("bo's very own passcode")
    page.get_by_role("button", name="Sign in").click()
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("Signed in as teacher")).to_be_visible()
    # The device's cookie is written by the page a moment after the sign-in shows; a person
    # cannot click that fast, a test can: wait for the browser to hold it.
    deadline = time.monotonic() + 15
    while not any(c["name"] == "batchwise_teacher" for c in page.context.cookies()):
        assert time.monotonic() < deadline, "the sign-in cookie was never written"
        page.wait_for_timeout(100)
    for path in ("teacher", f"roster?class={secret.id}", "admin", f"teacher?class={secret.id}"):
        page.goto(f"{base}/{path}")
        wait_for_app(page)
        expect(page.get_by_test_id("stSidebar").get_by_text("Signed in as teacher")).to_be_visible(timeout=30_000)
        if path == "admin":  # Bo is no admin: refused, and no class list either
            expect(page.get_by_text("This page is for admins")).to_be_visible()
        body = page.locator("body").inner_text()
        assert "Ada's secret class" not in body and "Zed Hidden" not in body, path
