"""Browser: the executive's ranking comes a page at a time, with a page size, a page number and a search; the big
screen shows the top ten without them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_smoke import SETTLE_MS, expect_leaderboard, sign_in

pytestmark = pytest.mark.browser


def test_the_executive_pages_and_searches_the_ranking(page: Page, base_url: str, shot: Callable[[str], Path]) -> None:
    page.goto(f"{base_url}/signin")
    expect(page.get_by_label("ชื่อผู้ใช้", exact=True)).to_be_visible(timeout=SETTLE_MS)
    sign_in(page, "executive", "executive-2564")
    expect_leaderboard(page)
    expect(page.get_by_text("หน้า 1 จาก 1 · 45 จาก 45 ผลงาน")).to_be_visible(timeout=SETTLE_MS)

    page.get_by_test_id("stSelectbox").filter(has_text="แถวต่อหน้า").click()
    page.get_by_role("option", name="25", exact=True).click()
    expect(page.get_by_text("หน้า 1 จาก 2 · 45 จาก 45 ผลงาน")).to_be_visible(timeout=SETTLE_MS)
    shot("page-1-of-2")

    number = page.get_by_label("หน้า", exact=True)
    number.fill("2")
    number.press("Enter")
    expect(page.get_by_text("หน้า 2 จาก 2 · 45 จาก 45 ผลงาน")).to_be_visible(timeout=SETTLE_MS)
    shot("page-2-of-2")

    search = page.get_by_label("ค้นหาหน่วยงาน จังหวัด หรือชื่อผลงาน", exact=True)
    search.fill("เชียงราย")
    search.press("Enter")
    expect(page.get_by_text("หน้า 1 จาก 1 · 6 จาก 45 ผลงาน")).to_be_visible(timeout=SETTLE_MS)  # Chiang Rai's six
    shot("searched")

    page.get_by_test_id("stCheckbox").filter(has_text="โหมดจอใหญ่").click()
    expect(page.get_by_label("ค้นหาหน่วยงาน จังหวัด หรือชื่อผลงาน", exact=True)).to_have_count(0, timeout=SETTLE_MS)
    expect(page.get_by_test_id("stDataFrame")).to_be_visible(timeout=SETTLE_MS)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    shot("big-screen")
