"""The simulator in a real browser: results first at laptop and phone sizes, a long run's
progress where the student looks, a change of batch size redrawing the charts."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_error, wait_for_app

# The first run of a page on a busy 2-core machine can take a while: allow it a minute.
FIRST_RUN = 60_000
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# The costly link (4 × 64 units at batch 1 on 1,800 samples): ~2 s of training, capped.
LONG_RUN = "?batch_size=1&hidden_layers=64,64,64,64&epochs=500&n_samples=2000&val_fraction=0.1&seed=31"


@pytest.fixture
def sized_page(browser, request):
    """A page in a fresh context at a given viewport: `sized_page(PHONE)`."""
    contexts = []

    def make(viewport: dict, mobile: bool = False):
        ctx = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile)
        ctx.set_default_timeout(30_000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def open_simulator(page, url: str):
    page.goto(url)
    readout = page.get_by_role("heading", name=re.compile("training samples ÷ batch"))
    expect(readout).to_be_visible(timeout=FIRST_RUN)
    expect(page.get_by_test_id("stVegaLiteChart").nth(1)).to_be_visible(timeout=FIRST_RUN)
    wait_for_app(page)
    return readout


def choose_preset(page, name: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text="Preset").click()
    page.get_by_role("option", name=name).click()


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None, "not on the page"
    return found


def inside(viewport: dict, locator, whole: bool = True) -> bool:
    b = box(locator)
    bottom = b["y"] + b["height"] if whole else b["y"]
    return b["y"] >= 0 and bottom <= viewport["height"] and b["x"] >= 0 and b["x"] + b["width"] <= viewport["width"]


def chart_picture(page, index: int, tries: int = 20) -> bytes:
    """A picture of chart `index`; a chart being redrawn is replaced in the page, so try again."""
    from playwright.sync_api import Error

    for _ in range(tries):
        try:
            return page.get_by_test_id("stVegaLiteChart").nth(index).screenshot(timeout=5_000)
        except Error:
            time.sleep(0.3)
    raise AssertionError(f"chart {index} never held still for a picture")


def wait_until_redrawn(page, index: int, before: bytes, timeout: float = 15.0) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = chart_picture(page, index)
        if now != before:
            return now
        time.sleep(0.3)
    raise AssertionError(f"chart {index} was not redrawn within {timeout} s")


def test_on_a_laptop_the_main_controls_and_both_charts_share_the_first_screen(sized_page, base_url):
    page = sized_page(LAPTOP)
    open_simulator(page, f"{base_url}/simulator")
    controls = [page.get_by_test_id("stSelectbox").filter(has_text="Preset"),
                page.get_by_test_id("stSelectbox").filter(has_text="Optimizer"),
                page.get_by_test_id("stSlider").filter(has_text="Learning rate"),
                page.get_by_role("spinbutton", name="Batch size"),
                page.get_by_role("spinbutton", name="Epochs", exact=True),
                page.get_by_role("button", name=re.compile("More settings"))]
    for control in controls:
        assert inside(LAPTOP, control), control
    charts = page.get_by_test_id("stVegaLiteChart")
    for i in (0, 1):  # loss and accuracy per epoch, whole, without scrolling
        assert inside(LAPTOP, charts.nth(i)), f"chart {i} at {box(charts.nth(i))}"
    assert page.evaluate("() => window.scrollY") == 0
    assert_no_error(page)


def test_on_a_phone_a_preset_shows_its_headline_and_first_chart_on_the_first_screen(sized_page, base_url):
    page = sized_page(PHONE, mobile=True)
    readout = open_simulator(page, f"{base_url}/simulator")
    choose_preset(page, "Overfitting")
    expect(readout).to_have_text(re.compile(r"80 training samples ÷ batch 8 → 10 iterations per epoch"))
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"Epoch 150: validation accuracy"))).to_be_visible()  # this run drawn
    assert inside(PHONE, readout)
    first_chart = page.get_by_test_id("stVegaLiteChart").first
    assert inside(PHONE, first_chart, whole=False), f"first chart starts at {box(first_chart)['y']}"
    assert box(first_chart)["y"] + 150 < PHONE["height"]  # and most of its plot shows too
    assert_no_error(page)


def test_a_long_run_shows_its_progress_in_the_chart_area(sized_page, base_url):
    page = sized_page(LAPTOP)
    page.goto(f"{base_url}/simulator{LONG_RUN}")
    progress = page.get_by_test_id("stProgress")
    expect(progress).to_be_visible(timeout=FIRST_RUN)
    assert inside(LAPTOP, progress)  # where the charts go, on the first screen
    expect(page.get_by_text(re.compile(r"Training: epoch \d+/\d+"))).to_be_visible()
    readout = page.get_by_role("heading", name=re.compile("capped by the work budget"))
    expect(readout).to_be_visible(timeout=FIRST_RUN)
    expect(progress).to_have_count(0)
    expect(page.get_by_text(re.compile(r"so only \d+ epochs run"))).to_be_visible()
    assert_no_error(page)


def test_run_change_batch_size_and_see_the_charts_redraw(page, base_url):
    readout = open_simulator(page, f"{base_url}/simulator")
    expect(readout).to_have_text("800 training samples ÷ batch 32 → 25 iterations per epoch; "
                                 "20 epochs → 500 weight updates")
    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts).to_have_count(4)
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
    readout = open_simulator(page, f"{base_url}/simulator?batch_size=64&epochs=7&learning_rate=banana&noise=-0.0")
    expect(readout).to_have_text(re.compile(r"÷ batch 64 → 13 iterations per epoch; 7 epochs → 91 weight updates"))
    expect(page.get_by_text(re.compile(r"learning_rate: could not read 'banana'"))).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(4)
    assert_no_error(page)


def test_the_learning_rate_too_high_preset_explains_instead_of_breaking(page, base_url):
    open_simulator(page, f"{base_url}/simulator")
    choose_preset(page, "Learning rate too high")
    expect(page.get_by_text(re.compile(r"Training diverged in epoch 1"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"ran: 0 epochs → 25 weight updates"))).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(1)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_preset_link_brings_back_its_lesson_and_a_typed_epoch_count_is_explained(page, base_url):
    open_simulator(page, f"{base_url}/simulator")
    choose_preset(page, "Tiny vs huge batch")
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


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_more_settings_open_in_view_and_unit_labels_never_break(sized_page, base_url, viewport):
    page = sized_page(viewport, mobile=viewport is PHONE)
    open_simulator(page, f"{base_url}/simulator?hidden_layers=16,16,16")
    page.get_by_role("button", name=re.compile("More settings")).click()
    page.get_by_role("tab", name="Network").click()
    labels = [page.get_by_text(f"Layer {i} units", exact=True) for i in (1, 2, 3)]
    for label in labels:
        expect(label).to_be_visible()
        assert inside(viewport, label)
        assert box(label)["height"] < 30, "the label wrapped onto a second line"
    box_ = page.get_by_role("spinbutton", name="Layer 3 units")
    assert inside(viewport, box_)
    assert_no_error(page)
