"""The first journeys in a real browser: the home page, and a cold-start deep link."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_error, wait_for_app


def test_deep_link_to_glossary_on_a_fresh_server(page, base_url):
    # The first request this server ever gets is a deep link to a page, not the home page.
    page.goto(f"{base_url}/glossary")
    expect(page.get_by_role("heading", name="Glossary")).to_be_visible()
    wait_for_app(page)
    assert_no_error(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("link", name="Home")).to_be_visible()
    expect(sidebar.get_by_text(re.compile(r"^app$"))).to_have_count(0)  # no default "app" label
    page.get_by_role("searchbox", name="Filter terms").fill("batch size")
    page.get_by_role("searchbox", name="Filter terms").press("Enter")
    expect(page.get_by_role("heading", name="Batch size", exact=True)).to_be_visible()


def test_home_page_leads_to_the_lesson(page, base_url):
    page.goto(base_url)
    expect(page.get_by_test_id("stMain").get_by_role("heading", name="Batchwise", exact=True)).to_be_visible()
    wait_for_app(page)
    assert_no_error(page)
    page.get_by_test_id("stMain").get_by_role("link", name="Lesson").click()
    expect(page).to_have_url(re.compile(r"/lesson"))
    page.get_by_role("tab", name="Worked examples").click()
    expect(page.get_by_text("31 full batches of 32").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"tab=Worked"))
    assert_no_error(page)


def test_a_glossary_example_opens_with_its_arithmetic(page, base_url):
    # Examples are built only when opened (a class opening the glossary is sent the list
    # alone): opening one must still show its text and the computed steps.
    page.goto(f"{base_url}/glossary")
    expect(page.get_by_role("heading", name="Glossary")).to_be_visible()
    wait_for_app(page)
    page.get_by_role("searchbox", name="Filter terms").fill("iteration")
    page.get_by_role("searchbox", name="Filter terms").press("Enter")
    expect(page.get_by_text(re.compile(r"^\d+ of \d+ terms$"))).not_to_have_text(re.compile(r"^(\d+) of \1 terms$"))
    page.get_by_text("Example: 1,000 samples at batch size 32").first.click()
    details = page.get_by_test_id("stExpanderDetails").first
    expect(details).to_contain_text("How many iterations")
    expect(details).to_contain_text("31 full batches of 32 cover 992 samples")
    assert_no_error(page)


def test_a_see_also_link_jumps_to_that_term(page, base_url):
    page.goto(f"{base_url}/glossary")
    expect(page.get_by_role("heading", name="Glossary")).to_be_visible()
    wait_for_app(page)
    links = page.locator("[data-testid=stMarkdownContainer] a[href^='#']").filter(has_text=re.compile(r"\w"))
    expect(links.first).to_be_visible()
    # Every link names a heading that is on the page (the ids are the browser's own).
    broken = page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid=stMarkdownContainer] a[href^="#"]'))
        .filter(a => a.innerText.trim() && !document.getElementById(a.getAttribute('href').slice(1)))
        .map(a => a.getAttribute('href'))""")
    assert links.count() > 50 and broken == []
    target = page.get_by_role("heading", name="Weight update", exact=True)
    assert target.bounding_box()["y"] > page.viewport_size["height"]  # last term: far below
    page.locator("a[href='#weight-update']").filter(has_text="Weight update").first.click()
    expect(target).to_be_in_viewport()
    assert_no_error(page)
