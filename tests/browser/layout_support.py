"""Pages at a laptop's and a phone's size, and where things are on the first screen."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect


# expect's own 5 s default is shorter than a Streamlit rerun on a loaded 2-core CI machine
# (the context's default timeout, 20 s, does not apply to expect).
expect.set_options(timeout=20_000)

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])


def box(locator) -> dict:
    """The element's box in the window: x, y, width, height (scrolled as it is now)."""
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not on the page"
    return found


def on_first_screen(page, locator) -> bool:
    """Whether the whole element is inside the window without scrolling."""
    b, size = box(locator), page.viewport_size
    return b["y"] >= 0 and b["y"] + b["height"] <= size["height"] and \
        b["x"] >= 0 and b["x"] + b["width"] <= size["width"]
