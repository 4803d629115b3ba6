"""A sign-in survives a page reload and a deep link in a new tab (signed, HTTP-only cookie), ends with "sign out"
everywhere, and ends by itself after inactivity with a message — in Debian's Chromium against the real server."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from models import User, WebSession
from services.platform.db import build_engine
from services.platform.settings import get_settings
from services.platform.web_sessions import COOKIE_NAME
from tests.browser.conftest import LiveApp
from tests.browser.test_smoke import SETTLE_MS, open_signin_from_menu, sign_in

pytestmark = pytest.mark.browser

JUDGE = "judge-dga"  # no other test signs in as this judge on the shared server


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


def leave_idle_past_the_limit(database_url: str, username: str) -> None:
    """What leaving the page alone for longer than the idle limit does to the server's record of the sign-in: its
    last activity is that long ago. (Waiting it out took the test 18 s with the limit shortened to 15 s.)"""
    limit = timedelta(minutes=get_settings().session_idle_minutes)  # the server's limit: the same environment
    engine = build_engine(database_url)
    try:
        with Session(engine) as s:
            user_id = s.exec(select(User.id).where(User.username == username)).one()
            live = s.exec(
                select(WebSession).where(WebSession.user_id == user_id, col(WebSession.revoked_at).is_(None))
            ).all()
            assert live, f"{username} has no sign-in to leave idle"
            for row in live:
                row.last_seen_at = datetime.now(UTC) - limit - timedelta(minutes=1)
                s.add(row)
            s.commit()
    finally:
        engine.dispose()


def test_sign_in_survives_reload_and_new_tabs_and_ends_on_sign_out_or_inactivity(
    page: Page, live_app: LiveApp, shot: Callable[[str], Path]
) -> None:
    app = live_app
    open_signin_from_menu(page, app.base_url)
    sign_in(page, JUDGE, "judge-2564")
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
    sign_in(page, JUDGE, "judge-2564")
    expect_judge_page(page)
    wait_for_cookie(page)
    leave_idle_past_the_limit(app.database_url, JUDGE)
    page.reload()
    expect_signed_out(page)
    expect(page.get_by_text("ออกจากระบบอัตโนมัติเพราะไม่มีการใช้งานนานเกินกำหนด")).to_be_visible(timeout=SETTLE_MS)
    shot("signed-out-after-inactivity")
    wait_for_no_cookie(page)
    page.reload()  # told once: the cookie is cleared, a further reload is a plain sign-in page
    expect_signed_out(page)
    expect(page.get_by_text("ออกจากระบบอัตโนมัติ")).to_have_count(0)
