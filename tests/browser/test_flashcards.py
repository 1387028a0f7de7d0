"""Flashcards in a real browser: start, review with the keyboard, come back by the link."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_error, wait_for_app


def metric(page, label: str) -> int:
    box = page.get_by_test_id("stMetric").filter(has_text=label)
    return int(box.get_by_test_id("stMetricValue").inner_text())


def front(page) -> str:
    return page.locator(".st-key-fc_card h3").inner_text()


def press(page, key: str, button_name) -> None:
    """Press a shortcut once its button is on screen (and no text box has the focus)."""
    expect(page.get_by_role("button", name=button_name)).to_be_visible()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press(key)


def test_review_three_cards_with_the_keyboard_then_resume_by_link(page, base_url):
    page.goto(f"{base_url}/flashcards")
    expect(page.get_by_role("heading", name="Flashcards", exact=True)).to_be_visible()
    page.get_by_label("Your name or a nickname").fill("Browser Sam")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("button", name="Show answer")).to_be_visible()
    expect(page).to_have_url(re.compile(r"learner=[A-Za-z0-9_-]{24}"))
    wait_for_app(page)
    assert_no_error(page)
    new_at_start = metric(page, "New today")

    fronts = []
    for key, name in [("3", re.compile(r"^Good")), ("4", re.compile(r"^Easy")), ("1", re.compile(r"^Again"))]:
        fronts.append(front(page))
        press(page, "Space", "Show answer")
        press(page, key, name)
        # The next card is up once the counts moved on.
        expect(page.get_by_test_id("stMetric").filter(has_text="New today")
               .get_by_test_id("stMetricValue")).to_have_text(str(new_at_start - len(fronts)))
        wait_for_app(page)
    assert len(set(fronts)) == 3
    assert metric(page, "Learning") == 2  # Good and Again stay in learning today
    assert_no_error(page)

    resume_url = page.url
    page.goto("about:blank")
    page.goto(resume_url)
    # A fresh page load fetches the icon font again; elements with icons stay placeholders
    # until it arrives, which on a loaded CI machine can take a while.
    expect(page.get_by_role("button", name="Show answer")).to_be_visible(timeout=60_000)
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("Browser Sam")).to_be_visible()
    assert metric(page, "New today") == new_at_start - 3
    assert metric(page, "Learning") == 2
    assert front(page) != fronts[1]  # the card rated Easy is not back today
    assert_no_error(page)

    # The menu link drops the query string; the learner stays, and the code returns to the URL.
    page.get_by_test_id("stSidebar").get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="My progress")).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/progress\?learner=[A-Za-z0-9_-]{24}"))
    assert metric(page, "Learning") == 2
    with page.expect_download() as got:
        page.get_by_role("button", name="Review log (JSON)").click()
    log = json.loads(Path(got.value.path()).read_text())
    assert [r["rating_name"] for r in log["reviews"]] == ["Good", "Easy", "Again"]
    with page.expect_download() as got:
        page.get_by_role("button", name="Anki deck (.apkg)").click()
    assert "collection.anki2" in zipfile.ZipFile(got.value.path()).namelist()
    assert_no_error(page)


def test_a_double_click_on_a_rating_rates_once(page, base_url):
    page.goto(f"{base_url}/flashcards")
    page.get_by_label("Your name or a nickname").fill("Double Clicker")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("button", name="Show answer")).to_be_visible()
    wait_for_app(page)
    new_before = metric(page, "New today")
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("button", name=re.compile(r"^Easy")).dblclick()
    expect(page.get_by_role("button", name="Show answer")).to_be_visible()
    wait_for_app(page)
    page.wait_for_timeout(1000)  # let a stray second click arrive, if it were going to
    wait_for_app(page)
    assert metric(page, "New today") == new_before - 1
    assert_no_error(page)
