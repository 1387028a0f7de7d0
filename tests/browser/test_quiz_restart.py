"""A quiz survives a reload and a server restart: same question, the typed text, and a Check
clicked once in the reconnected tab is graded and stored."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from engine import db
from engine.quiz import history
from engine.quiz.session import new_quiz
from tests.browser.conftest import wait_for_app
from tests.browser.restart import restartable_server  # noqa: F401  (fixture)

LINK = "/quiz?kinds=iterations-per-epoch&seed=5&length=2"


def _quiz_id(page) -> str:
    return parse_qs(urlparse(page.url).query)["quiz"][0]


def test_reload_resumes_at_the_same_question_with_the_typed_text(restartable_server, page):
    question = new_quiz(["iterations-per-epoch"], 2, seed=5).question()
    floor = next(m for m in question.mistakes if m.id == "floor-instead-of-ceil")
    page.goto(restartable_server.base + LINK)
    box = page.get_by_role("textbox", name="Your answer (iterations)")
    box.fill(floor.value)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("Try 2 of 3")).to_be_visible()
    wait_for_app(page)

    page.reload()
    expect(page.get_by_text("Question 1 of 2")).to_be_visible()
    expect(page.get_by_text("Try 2 of 3")).to_be_visible()
    expect(page.get_by_text("Rounded down instead of up")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your answer (iterations)")).to_have_value(floor.value)


def test_a_check_clicked_once_after_a_restart_is_graded_and_stored(restartable_server, page):
    question = new_quiz(["iterations-per-epoch"], 2, seed=5).question()
    right = f"{int(question.answer.value):,}"
    page.goto(restartable_server.base + LINK)
    expect(page.get_by_text("Question 1 of 2")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    quiz_id = _quiz_id(page)
    page.get_by_role("textbox", name="Your answer (iterations)").fill(right)

    banner = page.get_by_test_id("batchwise-connection-banner")
    expect(banner).to_be_attached(timeout=30_000)  # the page's watcher is loaded (hidden)
    expect(banner).to_be_hidden()
    restartable_server.stop()
    expect(banner).to_contain_text("Connection to Batchwise lost", timeout=30_000)
    expect(banner).to_contain_text("what you typed stays in its box")
    restartable_server.start()
    check = page.get_by_role("button", name="Check")
    expect(check).to_be_enabled(timeout=60_000)  # the tab has reconnected
    expect(page.get_by_role("textbox", name="Your answer (iterations)")).to_have_value(right)
    check.click()  # once

    expect(page.get_by_text(f"Right: {right}.")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Worked solution")).to_be_visible()
    stored = history.load_quiz(db.connect(restartable_server.database_url), quiz_id)
    assert stored.quiz.items[0].solved and stored.quiz.items[0].tries == 1


def test_a_long_outage_shows_the_apps_banner_not_streamlits_developer_dialog(restartable_server, page):
    page.goto(restartable_server.base + LINK)
    expect(page.get_by_text("Question 1 of 2")).to_be_visible(timeout=30_000)
    banner = page.get_by_test_id("batchwise-connection-banner")
    expect(banner).to_be_attached(timeout=30_000)
    restartable_server.stop()
    # Streamlit opens its dialog after six failed reconnects (about 20-30 s); it is in the
    # page, but hidden, and the app's banner says what is going on in its own words.
    dialog_text = page.get_by_text("Streamlit server is not responding")
    expect(dialog_text).to_be_attached(timeout=90_000)
    expect(dialog_text).to_be_hidden()
    expect(page.get_by_text("Is Streamlit still running")).to_have_count(0)
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Connection to Batchwise lost")
    restartable_server.start()
    expect(banner).to_be_hidden(timeout=60_000)
    expect(page.get_by_text("Question 1 of 2")).to_be_visible()
