"""The simulator in a real browser: a run, a change of batch size, the charts redrawn."""
from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_error, wait_for_app


# The first run of a page on a busy 2-core machine can take a while: allow it a minute.
FIRST_RUN = 60_000


def open_simulator(page, url: str):
    page.goto(url)
    readout = page.get_by_role("heading", name=re.compile("training samples ÷ batch"))
    expect(readout).to_be_visible(timeout=FIRST_RUN)
    wait_for_app(page)
    return readout


def chart_picture(page, index: int) -> bytes:
    return page.get_by_test_id("stVegaLiteChart").nth(index).screenshot()


def wait_until_redrawn(page, index: int, before: bytes, timeout: float = 15.0) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = chart_picture(page, index)
        if now != before:
            return now
        time.sleep(0.3)
    raise AssertionError(f"chart {index} was not redrawn within {timeout} s")


def test_run_change_batch_size_and_see_the_charts_redraw(page, base_url):
    readout = open_simulator(page, f"{base_url}/simulator")
    expect(page.get_by_role("heading", name="Training simulator")).to_be_visible()
    expect(readout).to_have_text("800 training samples ÷ batch 32 → 25 iterations per epoch; "
                                 "20 epochs → 500 weight updates")
    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts).to_have_count(4)
    wait_for_app(page)
    assert_no_error(page)
    expect(page).to_have_url(re.compile(r"batch_size=32"))
    before = [chart_picture(page, i) for i in range(3)]

    batch = page.get_by_role("spinbutton", name="Batch size")
    batch.fill("8")
    batch.press("Enter")
    expect(readout).to_have_text(re.compile(r"÷ batch 8 → 100 iterations per epoch; 20 epochs → 2,000 weight updates"))
    wait_for_app(page)
    for i in range(3):  # loss, accuracy and per-iteration loss all show the new run
        wait_until_redrawn(page, i, before[i])
    expect(charts).to_have_count(4)
    expect(page).to_have_url(re.compile(r"batch_size=8"))
    assert_no_error(page)


def test_a_shared_link_reproduces_the_run_and_tampering_is_flagged(page, base_url):
    readout = open_simulator(page, f"{base_url}/simulator?batch_size=64&epochs=7&learning_rate=banana")
    expect(readout).to_have_text(re.compile(r"÷ batch 64 → 13 iterations per epoch; 7 epochs → 91 weight updates"))
    expect(page.get_by_text(re.compile(r"learning_rate: could not read 'banana'"))).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(4)


def test_the_learning_rate_too_high_preset_explains_instead_of_breaking(page, base_url):
    open_simulator(page, f"{base_url}/simulator")
    button = page.get_by_role("button", name="Learning rate too high")
    expect(button).to_be_visible()
    button.click()
    expect(page.get_by_text(re.compile(r"Training diverged in epoch 1"))).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(1)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_preset_link_brings_back_its_lesson_and_a_typed_epoch_count_is_explained(page, base_url):
    open_simulator(page, f"{base_url}/simulator")
    page.get_by_role("button", name="Tiny vs huge batch").click()
    expect(page.get_by_text(re.compile(r"Batch 4 makes 200 small, noisy updates"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"preset=tiny-vs-huge-batch"))
    wait_for_app(page)
    link = page.url

    page.goto("about:blank")
    readout = open_simulator(page, link)  # a fresh visit, as someone the link was sent to
    expect(page.get_by_text(re.compile(r"Batch 4 makes 200 small, noisy updates"))).to_be_visible()
    expect(readout).to_have_text(re.compile(r"÷ batch 4 → 200 iterations per epoch"))

    epochs = page.get_by_role("spinbutton", name="Epochs", exact=True)
    epochs.fill("9999")
    epochs.press("Enter")
    expect(page.get_by_text("Epochs: 9,999 is above the largest allowed value; using 500 (allowed: 1 to 500).")
           ).to_be_visible(timeout=FIRST_RUN)
    expect(epochs).to_have_value("500")
    assert_no_error(page)
