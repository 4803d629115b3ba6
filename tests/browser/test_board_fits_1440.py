"""Browser: the leaderboard at 1440 pixels (issue 17, item 3): the ranking table's last column is on screen without
scrolling sideways, and the method selector shows its four names whole."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from services.platform.phrases import label
from services.results import scoring
from services.results.phrases import METHOD
from tests.browser.conftest import SCREENSHOTS, open_tab, sign_in_as

pytestmark = pytest.mark.browser


def test_the_ranking_table_and_the_method_names_fit_a_1440_pixel_screen(browser: Browser, base_url: str) -> None:
    tab = open_tab(browser, width=1440, height=900)
    try:
        sign_in_as(tab, base_url, "executive", "executive-2564", "ผลคะแนนและสถิติ")
        grid = tab.get_by_test_id("stDataFrame").first
        expect(grid).to_be_visible()
        grid.scroll_into_view_if_needed()
        # The grid draws on a canvas inside a scroller: wider content than the scroller means a hidden column.
        widths = grid.evaluate(
            "e => { const s = e.querySelector('.dvn-scroller'); return [s.scrollWidth, s.clientWidth] }"
        )
        assert widths[0] <= widths[1], widths
        for method in scoring.Method:
            option = tab.get_by_test_id("stButtonGroup").first.get_by_text(label(METHOD, method, "th"), exact=True)
            expect(option).to_be_visible()
            # Whole: the text fits its button (a cut label would be wider than the box that shows it).
            assert option.evaluate(
                "e => { const b = e.closest('button') || e; return e.scrollWidth <= e.clientWidth"
                " && b.scrollWidth <= b.clientWidth }"
            ), method
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        grid.screenshot(path=str(SCREENSHOTS / "board-ranking-1440.png"))
    finally:
        tab.context.close()
