"""Helpers for browser tests on a 390 x 844 phone (issue 17, item 7): what a phone shows is checked by the boxes of
its elements and the document's width, not by eye; the viewport's screenshot is kept for a person to look at."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser.conftest import SCREENSHOTS, open_tab

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

PHONE = {"width": 390, "height": 844}

# Headings, captions and button labels narrower than the text they hold, i.e. clipped (not wrapped). A box that
# scrolls on purpose (tab lists, tables, the submit page's step bar) is its own scroller and is not counted.
_CLIPPED_JS = """() => [...document.querySelectorAll(
    'h1, h2, h3, [data-testid="stCaptionContainer"], .stButton p, .stDownloadButton p')]
  .filter(e => { const r = e.getBoundingClientRect(); return r.right > 0 && r.left < innerWidth; })  // not the
  // folded sidebar, which a phone keeps off screen
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.tagName + ': ' + e.innerText.slice(0, 60))"""


def phone_tab(browser: Browser) -> Page:
    """A tab the size of a 390 x 844 phone, like conftest's open_tab (Thai, loopback only)."""
    return open_tab(browser, width=PHONE["width"], height=PHONE["height"])


def overflow(tab: Page) -> tuple[int, int]:
    """(document width, viewport width): the first above the second means the page scrolls sideways."""
    widths = tab.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    return int(widths[0]), int(widths[1])


def clipped(tab: Page) -> list[str]:
    return list(tab.evaluate(_CLIPPED_JS))


def box_in_view(element: Locator) -> dict[str, float]:
    """The element's box, asserted to lie wholly inside the phone's viewport."""
    box = element.bounding_box()
    assert box is not None, "not displayed"
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    return box


def keep_shot(tab: Page, name: str) -> Path:
    """The viewport as the phone shows it (Streamlit scrolls inside its main box, so a full-page shot adds nothing)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"phone-390--{name}.png"
    tab.screenshot(path=str(path))
    return path
