"""Where things are at a laptop's (1280x800) and a phone's (390x844) size: home, lesson, glossary."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_error, wait_for_app
from tests.browser.layout_support import PHONE, SIZES, box, on_first_screen
from ui.setup import menu_entries


def open_page(page, url: str, heading: str) -> None:
    page.goto(url)
    expect(page.get_by_test_id("stMain").get_by_role("heading", name=heading).first
           ).to_be_visible(timeout=30_000)
    wait_for_app(page)
    assert_no_error(page)


@SIZES
def test_home_cards_read_in_menu_order(new_page, base_url, size):
    page = new_page(size)
    open_page(page, base_url, "Batchwise")
    main = page.get_by_test_id("stMain")
    staff_only = ("app.py", "pages/roster.py", "pages/admin.py")  # reached from the Teacher page
    labels = [label for path, label, _ in menu_entries() if path not in staff_only]
    places = [box(main.get_by_role("link", name=label, exact=True)) for label in labels]
    # Reading order: top to bottom, then left to right within a row.
    reading = sorted(range(len(labels)), key=lambda i: (round(places[i]["y"]), places[i]["x"]))
    assert [labels[i] for i in reading] == labels
    if size == PHONE:  # one column: each card strictly below the one before it
        assert all(a["y"] < b["y"] for a, b in zip(places, places[1:]))


@SIZES
def test_lesson_tabs_stay_near_the_top_with_the_detailed_summary(new_page, base_url, size):
    page = new_page(size)
    open_page(page, f"{base_url}/lesson", "Training phases of a neural network")
    page.get_by_role("radio", name="Detailed").or_(
        page.get_by_role("button", name="Detailed", exact=True)).first.click()
    folded = page.get_by_test_id("stExpander").filter(has_text="Detailed summary")
    expect(folded).to_be_visible()
    wait_for_app(page)
    tabs = page.get_by_role("tab", name="Explanations")
    assert on_first_screen(page, tabs), f"the tabs start at {box(tabs)['y']:.0f} px"
    expect(page.get_by_role("heading", name="The three units of a training run")).to_have_count(0)
    folded.get_by_text("Detailed summary").click()  # opened on request, it is all there
    expect(page.get_by_role("heading", name="The three units of a training run")).to_be_visible()


@SIZES
def test_glossary_list_shortens_while_typing_without_enter(new_page, base_url, size):
    page = new_page(size)
    open_page(page, f"{base_url}/glossary", "Glossary")
    count = page.get_by_text(re.compile(r"^\d+ of \d+ terms$"))
    total = int(count.inner_text().split()[0])
    box_ = page.get_by_role("searchbox", name="Filter terms").or_(
        page.get_by_role("textbox", name="Filter terms")).first
    assert on_first_screen(page, box_)
    box_.click()
    box_.press_sequentially("batch s", delay=60)  # no Enter, no leaving the box
    expect(count).not_to_have_text(f"{total} of {total} terms")
    shown = int(count.inner_text().split()[0])
    assert 0 < shown < total
    expect(page.get_by_role("heading", name="Batch size", exact=True)).to_be_visible()
    terms = page.get_by_test_id("stMain").locator("h4")
    assert terms.count() == shown
    # Still typing: the box keeps the focus and everything typed.
    assert page.evaluate("() => document.activeElement && document.activeElement.value") == "batch s"
    assert_no_error(page)
