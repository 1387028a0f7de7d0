"""Flashcards in a real browser: start, review with the keyboard, come back by the link."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import sqlalchemy as sa
from fsrs import Rating
from playwright.sync_api import expect

from engine import db
from engine.flashcards import store
from engine.flashcards.showing import Showing
from engine.learners import learners
from tests.browser.conftest import assert_no_error, wait_for_app
from tests.browser.layout_support import PHONE, SIZES, box, on_first_screen
from tests.browser.restart import restartable_server  # noqa: F401  (fixture)


COUNT_LABELS = {"New today": "new today", "Learning": "learning", "To review": "to review"}


def metric(page, label: str) -> int:
    """A number from today's counts line (flashcards) or a metric (My progress)."""
    counts = page.locator(".st-key-fc_counts")
    if counts.count():
        text = counts.inner_text()
        return int(re.search(rf"(\d+)\s+{COUNT_LABELS[label]}", text).group(1))
    box = page.get_by_test_id("stMetric").filter(has_text=label)
    return int(box.get_by_test_id("stMetricValue").inner_text())


def front(page) -> str:
    return page.locator(".st-key-fc_card h3").inner_text()


def press(page, key: str, button_name) -> None:
    """Press a shortcut once its button is on screen (and no text box has the focus)."""
    expect(page.get_by_role("button", name=button_name)).to_be_visible()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press(key)


def test_review_three_cards_with_the_keyboard_then_come_back_on_this_device(page, base_url):
    page.goto(f"{base_url}/flashcards")
    # The first page of a cold server (expect's own default is 5 s).
    expect(page.get_by_role("heading", name="Flashcards", exact=True)).to_be_visible(timeout=30_000)
    page.get_by_label("Your name or a nickname").fill("Browser Sam")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("button", name="Show answer")).to_be_visible()
    assert "learner=" not in page.url  # no identity secret in the address
    wait_for_app(page)
    assert_no_error(page)
    new_at_start = metric(page, "New today")

    fronts = []
    for key, name in [("3", re.compile(r"^Good")), ("4", re.compile(r"^Easy")), ("1", re.compile(r"^Again"))]:
        fronts.append(front(page))
        press(page, "Space", "Show answer")
        press(page, key, name)
        # The next card is up once the counts moved on.
        expect(page.locator(".st-key-fc_counts")).to_contain_text(
            f"{new_at_start - len(fronts)} new today")
        wait_for_app(page)
    assert len(set(fronts)) == 3
    assert metric(page, "Learning") == 2  # Good and Again stay in learning today
    assert_no_error(page)

    resume_url = page.url  # the plain page address: the device remembers the learner
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

    # The menu link drops the query string; the learner stays, and no code enters the URL.
    page.get_by_test_id("stSidebar").get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="My progress")).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/progress$"))
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


def test_new_learner_sees_the_save_link_callout_and_settings_say_their_range(page, base_url):
    page.goto(f"{base_url}/flashcards")
    page.get_by_label("Your name or a nickname").fill("Callout Sam")
    page.get_by_role("button", name="Start").click()
    callout = page.locator(".st-key-learner_save_link")
    expect(callout.get_by_text("Your recovery code")).to_be_visible()
    code = callout.get_by_test_id("stCode").inner_text().strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}", code) and code not in page.url
    callout.get_by_role("button", name="I have saved it").click()
    expect(callout).to_have_count(0)
    wait_for_app(page)

    page.get_by_text("Settings", exact=True).click()
    box = page.get_by_test_id("stNumberInputField")
    box.fill("1000")
    box.press("Enter")
    expect(page.get_by_text(re.compile(r"must be a whole number from 0 to 500"))).to_be_visible()
    expect(box).to_have_value("20")
    box.fill("0")
    box.press("Enter")
    # The new card leaves the screen at once, and the message says why.
    expect(page.get_by_text(re.compile(r"New cards per day is 0"))).to_be_visible()
    expect(page.locator(".st-key-fc_card")).to_have_count(0)
    assert metric(page, "New today") == 0

    box.fill("20")
    box.press("Enter")
    expect(page.get_by_role("button", name="Show answer")).to_be_visible()
    page.get_by_text("Type my answer before rating").click()
    # Typed mode: a card that takes a typed answer comes up, answered with Enter.
    expect(page.get_by_label("Your answer")).to_be_visible()
    expect(page.locator(".st-key-fc_card").get_by_text("Which term is this?")).to_be_visible()
    page.get_by_label("Your answer").fill("epoch")
    page.get_by_label("Your answer").press("Enter")
    expect(page.get_by_text("Right!")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Good"))).to_be_visible()
    assert_no_error(page)


RATINGS = ["Again", "Hard", "Good", "Easy"]


def start_reviewing(page, base_url: str, name: str) -> None:
    page.goto(f"{base_url}/flashcards")
    expect(page.get_by_label("Your name or a nickname")).to_be_visible(timeout=30_000)
    page.get_by_label("Your name or a nickname").fill(name)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("button", name="Show answer")).to_be_visible()
    saved = page.get_by_role("button", name="I have saved it")
    if saved.count():  # the one-off "save your link" box sits above the card: put it away
        saved.click()
        expect(saved).to_have_count(0)
    wait_for_app(page)


@SIZES
def test_after_a_reveal_the_card_and_all_four_ratings_are_on_the_first_screen(new_page, base_url, size):
    page = new_page(size)
    start_reviewing(page, base_url, f"Thumb {size['width']}")
    counts = page.locator(".st-key-fc_counts")
    assert box(counts)["height"] < 48  # one line, not three stacked numbers
    reveal = page.get_by_role("button", name="Show answer")
    assert on_first_screen(page, reveal) and box(reveal)["height"] >= 44
    reveal.click()
    expect(page.get_by_role("button", name=re.compile(r"^Easy"))).to_be_visible()
    wait_for_app(page)
    assert on_first_screen(page, page.locator(".st-key-fc_card"))
    buttons = [page.get_by_role("button", name=re.compile(rf"^{name}")) for name in RATINGS]
    for name, button in zip(RATINGS, buttons):
        assert on_first_screen(page, button), f"{name} is off the first screen: {box(button)}"
        assert box(button)["height"] >= 44, f"{name} is too small a touch target: {box(button)}"
    # Reading order: Again before Easy, whether in one row or two by two.
    again, easy = box(buttons[0]), box(buttons[3])
    assert (again["y"], again["x"]) < (easy["y"], easy["x"])
    assert_no_error(page)


# What the connection banner says while it is up, recorded as it happens: a restart can be
# over before the test looks at the page, so a look afterwards could miss it.
RECORD_BANNER = """() => {
  const banner = document.querySelector('[data-testid="batchwise-connection-banner"]');
  window.__bannerSaid = [];
  const note = () => {
    if (banner.style.display !== "none" && banner.textContent) window.__bannerSaid.push(banner.textContent);
  };
  new MutationObserver(note).observe(banner, {attributes: true, childList: true, characterData: true, subtree: true});
}"""


def test_a_rating_clicked_after_a_server_restart_is_saved_once(new_page, restartable_server):
    page = new_page(PHONE)
    start_reviewing(page, restartable_server.base, "Restart Rae")
    new_before = metric(page, "New today")
    first = front(page)
    page.get_by_role("button", name="Show answer").click()
    good = page.get_by_role("button", name=re.compile(r"^Good"))
    expect(good).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]card="))  # the revealed card, in the address
    shown = Showing.from_param(parse_qs(urlparse(page.url).query)["card"][0])
    banner = page.get_by_test_id("batchwise-connection-banner")
    expect(banner).to_be_attached(timeout=30_000)  # the page's watcher is loaded (hidden)
    expect(banner).to_be_hidden()
    page.evaluate(RECORD_BANNER)

    # Stopped and started again on the same port and database, as after a deploy or a crash:
    # often back before Streamlit's own dialog would open (six failed reconnects).
    restartable_server.restart()
    # The student was told, in the app's words, even for so short an outage.
    page.wait_for_function(
        "() => window.__bannerSaid.some((t) => t.startsWith('Connection to Batchwise lost'))")
    # The tab reconnects by itself; the student clicks the moment the button works again,
    # before the new server session may have drawn the page (its click would then reach a
    # fragment that session does not know yet, which Streamlit drops): the banner holds the
    # click until the page is drawn again, from the address, with the same card and buttons.
    expect(good).to_be_enabled(timeout=60_000)
    good.click()  # once

    # Saved: the counts move on and the next card comes up (both, as the student sees them:
    # the counts line is drawn before the card).
    expect(page.locator(".st-key-fc_counts")).to_contain_text(f"{new_before - 1} new today",
                                                              timeout=60_000)
    card_front = page.locator(".st-key-fc_card h3")
    expect(card_front).not_to_have_text(first, timeout=30_000)
    assert front(page) != first
    assert metric(page, "Learning") == 1
    expect(banner).to_be_hidden()
    assert_no_error(page)
    # A reload finds the same saved state, and the database holds that one rating, once.
    page.reload()
    expect(page.locator(".st-key-fc_counts")).to_contain_text(f"{new_before - 1} new today",
                                                              timeout=60_000)
    assert metric(page, "Learning") == 1
    engine = db.connect(restartable_server.database_url)
    with engine.connect() as conn:
        learner_id = conn.execute(sa.select(learners.c.id).where(
            learners.c.display_name == "Restart Rae")).scalar_one()
    saved = store.load_reviews(engine, learner_id)
    assert [(r.card_id, r.rating) for r in saved] == [(shown.card_id, Rating.Good)]
