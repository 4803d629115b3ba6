"""A sign-in survives a page reload and a deep link in a new tab (signed, HTTP-only cookie), ends with "sign out"
everywhere, and ends by itself after inactivity with a message — in Debian's Chromium against the real server."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from services.platform.web_sessions import COOKIE_NAME
from tests.browser.conftest import serve_app
from tests.browser.test_smoke import SETTLE_MS, open_signin_from_menu, sign_in

pytestmark = pytest.mark.browser

IDLE_MINUTES = 0.25  # 15 s, so the test can wait it out


def session_cookie(page: Page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == COOKIE_NAME), None)


def wait_for_cookie(page: Page, timeout_s: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while (cookie := session_cookie(page)) is None:
        assert time.monotonic() < deadline, "the session cookie was never set"
        page.wait_for_timeout(100)
    return cookie


def wait_for_no_cookie(page: Page, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while session_cookie(page) is not None:
        assert time.monotonic() < deadline, "the session cookie should have been cleared"
        page.wait_for_timeout(100)


def expect_judge_page(page: Page) -> None:
    expect(page.get_by_role("heading", name="ให้คะแนนผลงาน")).to_be_visible(timeout=SETTLE_MS)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("ลงชื่อเข้าใช้: ", timeout=SETTLE_MS)


def expect_signed_out(page: Page) -> None:
    """The anonymous menu (submit, my submission, sign in) and no signed-in name."""
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link", name="ลงชื่อเข้าใช้")).to_be_visible(timeout=SETTLE_MS)
    expect(nav.get_by_role("link", name="ให้คะแนน")).to_have_count(0)
    expect(page.get_by_test_id("stSidebar")).not_to_contain_text("ลงชื่อเข้าใช้: ")


def test_sign_in_survives_reload_and_new_tabs_and_ends_on_sign_out_or_inactivity(
    page: Page, demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shot: Callable[[str], Path]
) -> None:
    monkeypatch.setenv("LDAWARD_SESSION_IDLE_MINUTES", str(IDLE_MINUTES))
    shutil.copy(demo_template, tmp_path / "ldaward.db")
    with serve_app(tmp_path / "ldaward.db", tmp_path / "streamlit-sessions.log") as app:
        open_signin_from_menu(page, app.base_url)
        sign_in(page, "judge-dga", "judge-2564")
        expect_judge_page(page)
        cookie = wait_for_cookie(page)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
        assert page.evaluate("document.cookie").find(COOKIE_NAME) == -1  # page script cannot read it

        page.reload()
        expect_judge_page(page)
        shot("reloaded-still-signed-in")
        second = page.context.new_page()  # a deep link in another tab of the same browser
        second.goto(f"{app.base_url}/judge")
        expect_judge_page(second)

        page.get_by_role("button", name="ออกจากระบบ").click()
        expect_signed_out(page)
        wait_for_no_cookie(page)
        page.reload()
        expect_signed_out(page)
        second.reload()  # the other tab's next page load is signed out too
        expect_signed_out(second)
        second.close()

        # Inactivity: sign in again, leave the page alone past the limit, come back.
        open_signin_from_menu(page, app.base_url)
        sign_in(page, "judge-dga", "judge-2564")
        expect_judge_page(page)
        wait_for_cookie(page)
        page.wait_for_timeout(IDLE_MINUTES * 60_000 + 3_000)
        page.reload()
        expect_signed_out(page)
        expect(page.get_by_text("ออกจากระบบอัตโนมัติเพราะไม่มีการใช้งานนานเกินกำหนด")).to_be_visible(timeout=SETTLE_MS)
        shot("signed-out-after-inactivity")
        wait_for_no_cookie(page)
        page.reload()  # told once: the cookie is cleared, a further reload is a plain sign-in page
        expect_signed_out(page)
        expect(page.get_by_text("ออกจากระบบอัตโนมัติ")).to_have_count(0)
