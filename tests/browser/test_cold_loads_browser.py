"""Full page loads (issue 17, item 8) in Chromium: a page opened by its own address connects to the server at once,
without first probing a wrong base (web_routes.ServerHint), Streamlit's bundles arrive gzipped (web_routes.StaticGzip),
and the app works as before: headers, sign-in, the menu."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from services.platform.web_sessions import COOKIE_NAME
from tests.browser.conftest import wait_until

pytestmark = pytest.mark.browser

SETTLE_MS = 30_000


def test_a_page_opened_by_its_address_connects_at_once_and_works(page: Page, base_url: str) -> None:
    asked: list[str] = []
    sockets: list[str] = []
    scripts: dict[str, dict[str, str]] = {}
    page.on("response", lambda r: scripts.update({r.url: r.headers}) if r.url.endswith(".js") else None)
    page.on("request", lambda r: asked.append(urlparse(r.url).path) if "/_stcore/" in r.url else None)
    page.on("websocket", lambda ws: sockets.append(urlparse(ws.url).path))

    response = page.goto(f"{base_url}/signin")

    assert response is not None and response.status == 200
    # The page changed on its way keeps the app's security headers.
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert response.headers["content-security-policy"] == "frame-ancestors 'self'"
    expect(page.get_by_role("heading", name="ลงชื่อเข้าใช้")).to_be_visible(timeout=SETTLE_MS)
    assert page.evaluate("() => window.__streamlit.BACKEND_BASE_URL") == f"{base_url}/"
    # Streamlit's own way would ask /signin/_stcore/health first (a 404), wait 100 ms, then ask the base.
    assert [p for p in asked if p.endswith("/_stcore/health")] == ["/_stcore/health"]
    assert sockets == ["/_stcore/stream"]
    # Every JavaScript bundle gzipped (but those under 1 KB, too small to gain), still cached for good, anti-framed.
    assert len(scripts) > 20
    plain = {url: h for url, h in scripts.items() if h.get("content-encoding") != "gzip"}
    assert len(plain) < len(scripts) / 2
    assert [url for url, h in plain.items() if int(h["content-length"]) >= 1024] == []
    assert {h.get("cache-control") for h in scripts.values()} == {"public, immutable, max-age=31536000"}
    assert {h.get("x-frame-options") for h in scripts.values()} == {"SAMEORIGIN"}

    page.get_by_label("ชื่อผู้ใช้", exact=True).fill("executive")
    page.get_by_label("รหัสผ่าน", exact=True).fill("executive-2564")
    page.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
    expect(page.get_by_role("heading", name="ผลคะแนนและสถิติ")).to_be_visible(timeout=SETTLE_MS)
    # The page sets the session cookie with a request of its own after landing (conftest.sign_in_as): a reload
    # before it arrives starts signed out, as a person's would (seen once in a run of the browser tests).
    wait_until(lambda: any(c["name"] == COOKIE_NAME for c in page.context.cookies()), what="the session cookie")
    # A refresh of a page address: the sign-in comes back from the cookie, over the one socket of the new load.
    asked.clear()
    sockets.clear()
    page.reload()
    expect(page.get_by_role("heading", name="ผลคะแนนและสถิติ")).to_be_visible(timeout=SETTLE_MS)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("ผู้บริหาร", timeout=SETTLE_MS)
    assert [p for p in asked if p.endswith("/_stcore/health")] == ["/_stcore/health"]
    assert sockets == ["/_stcore/stream"]
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="ผลการตัดสิน").click()
    expect(page.get_by_role("heading", name="ผลการตัดสิน")).to_be_visible(timeout=SETTLE_MS)
    expect(page.get_by_test_id("stException")).to_have_count(0)
