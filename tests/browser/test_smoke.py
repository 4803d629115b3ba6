"""Browser smoke journey: an executive signs in and sees the 2564 leaderboard; a wrong password is refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

SETTLE_MS = 30_000  # Streamlit reruns over a websocket; a session's first run also builds the caches.


def metric_value(page: Page, label: str) -> Locator:
    """The value of the st.metric whose label is exactly `label`."""
    card = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return card.get_by_test_id("stMetricValue")


def open_signin_from_menu(page: Page, base_url: str) -> None:
    """Arrive the way a visitor does: the home page, then the sign-in entry of the menu."""
    page.goto(base_url)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="ลงชื่อเข้าใช้").click()
    expect(page.get_by_role("heading", name="ลงชื่อเข้าใช้")).to_be_visible(timeout=SETTLE_MS)
    expect(page.get_by_label("ชื่อผู้ใช้", exact=True)).to_be_visible(timeout=SETTLE_MS)


def sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("ชื่อผู้ใช้", exact=True).fill(username)
    page.get_by_label("รหัสผ่าน", exact=True).fill(password)
    page.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()


def expect_leaderboard(page: Page) -> None:
    expect(page.get_by_role("heading", name="ผลคะแนนและสถิติ")).to_be_visible(timeout=SETTLE_MS)
    expect(metric_value(page, "ผลงาน")).to_have_text("45", timeout=SETTLE_MS)
    expect(metric_value(page, "อปท.")).to_have_text("44", timeout=SETTLE_MS)
    expect(page.get_by_role("heading", name="อันดับ")).to_be_visible(timeout=SETTLE_MS)
    expect(page.get_by_test_id("stDataFrame")).to_be_visible(timeout=SETTLE_MS)


def test_executive_signs_in_and_sees_the_leaderboard(page: Page, base_url: str, shot: Callable[[str], Path]) -> None:
    open_signin_from_menu(page, base_url)
    shot("signin-form")

    sign_in(page, "executive", "executive-2564")

    expect_leaderboard(page)
    # The sidebar names the role, and the menu offers an executive the board, the public results and the account
    # page only.
    expect(page.get_by_test_id("stSidebar")).to_contain_text("ผู้บริหาร", timeout=SETTLE_MS)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link")).to_have_count(3)
    expect(nav.get_by_role("link")).to_contain_text(["ผลคะแนนและสถิติ", "ผลการตัดสิน", "บัญชีของฉัน"])
    expect(page.get_by_test_id("stException")).to_have_count(0)
    shot("leaderboard")


def test_wrong_password_is_refused_in_thai(page: Page, base_url: str, shot: Callable[[str], Path]) -> None:
    open_signin_from_menu(page, base_url)

    sign_in(page, "executive", "not-the-password")

    expect(page.get_by_text("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")).to_be_visible(timeout=SETTLE_MS)
    # Still signed out: the form is there, the leaderboard is not, and nothing crashed after the message.
    expect(page.get_by_role("button", name="เข้าสู่ระบบ", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="ผลคะแนนและสถิติ")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    shot("wrong-password")


def test_a_deep_link_on_a_fresh_server_goes_through_the_app(
    page: Page, fresh_base_url: str, shot: Callable[[str], Path]
) -> None:
    page.goto(f"{fresh_base_url}/signin")  # the very first request this server sees
    expect(page.get_by_label("ชื่อผู้ใช้", exact=True)).to_be_visible(timeout=SETTLE_MS)
    shot("signin-deep-link")
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link")).to_have_count(4, timeout=5_000)
    expect(nav.get_by_role("link")).to_contain_text(["ส่งผลงานเข้าประกวด", "ผลงานของฉัน", "ผลการตัดสิน", "ลงชื่อเข้าใช้"])

    sign_in(page, "executive", "executive-2564")

    expect(page.get_by_role("heading", name="ผลคะแนนและสถิติ")).to_be_visible(timeout=15_000)


def test_changing_ones_password_asks_for_the_current_one(
    page: Page, base_url: str, shot: Callable[[str], Path]
) -> None:
    open_signin_from_menu(page, base_url)
    sign_in(page, "executive", "executive-2564")
    expect_leaderboard(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="บัญชีของฉัน").click()
    expect(page.get_by_role("heading", name="บัญชีของฉัน")).to_be_visible(timeout=SETTLE_MS)

    page.get_by_label("รหัสผ่านปัจจุบัน", exact=True).fill("not-the-password")
    page.get_by_label("รหัสผ่านใหม่", exact=True).fill("a-new-password")
    page.get_by_label("ยืนยันรหัสผ่านใหม่", exact=True).fill("a-new-password")
    page.get_by_role("button", name="เปลี่ยนรหัสผ่าน", exact=True).click()

    # Refused, and nothing changed: the shared server's executive keeps its password for the other tests.
    expect(page.get_by_text("รหัสผ่านปัจจุบันไม่ถูกต้อง")).to_be_visible(timeout=SETTLE_MS)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    shot("wrong-current-password")


def test_the_browser_reaches_loopback_and_nothing_else(page: Page, base_url: str) -> None:
    """What the browser tests rely on to keep every request on this machine (conftest.CHROMIUM_ARGS): a name or an
    address beyond loopback fails at the proxy that is not there, before any DNS query; the app itself answers."""
    failed: dict[str, str] = {}
    page.on("requestfailed", lambda r: failed.update({r.url: r.failure or ""}))
    page.goto(f"{base_url}/_stcore/health")
    outside = [
        "http://example.com/x",
        "https://fonts.googleapis.com/css",
        "http://192.0.2.1/x",
        "http://[2001:db8::1]/",
    ]
    said = page.evaluate(
        """async (urls) => Promise.all(urls.map(u => fetch(u, {mode: "no-cors"}).then(() => "reached", () => "failed")))""",
        outside,
    )
    assert said == ["failed"] * len(outside)
    assert {failed.get(u, "") for u in outside} == {"net::ERR_PROXY_CONNECTION_FAILED"}, failed
    assert page.evaluate("async () => (await fetch('/_stcore/health')).status") == 200
