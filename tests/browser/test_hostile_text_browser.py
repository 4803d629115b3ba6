"""In a real browser (issue 13): hostile applicant text in titles, organisation names and answers shows as the
characters the applicant typed on the screening and leaderboard pages — no link, image or heading comes out of it,
nothing is fetched from the attacker's host — and every response, Streamlit's own page included, carries the
anti-framing and no-sniffing headers."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from services.platform.db import build_engine
from services.platform.safe_text import clean
from tests.browser.conftest import LiveApp, serve_app, settled, sign_in_as
from tests.helpers.hostile import HOSTILE, MARKERS, plant_hostile_text

pytestmark = pytest.mark.browser

SETTLE_MS = 30_000
ATTACKER = ("evil.example", "look-alike.example", "127.0.0.1:9")


@pytest.fixture
def hostile_app(demo_template: Path, tmp_path: Path) -> Iterator[LiveApp]:
    db_path = tmp_path / "ldaward.db"
    db_path.write_bytes(demo_template.read_bytes())
    engine = build_engine(f"sqlite:///{db_path}")
    plant_hostile_text(lambda: Session(engine, expire_on_commit=False))
    engine.dispose()
    with serve_app(db_path, tmp_path / "streamlit-hostile.log") as app:
        yield app


def shown_text(page: Page) -> str:
    return page.locator("section.stMain, [data-testid='stMain']").first.inner_text().replace("\u2060", "")


def assert_nothing_live(page: Page, requests: list[str]) -> None:
    """No <a>, <img> or heading made from the corpus, and no request to the attacker's hosts."""
    main = page.locator("section.stMain, [data-testid='stMain']").first
    links = main.locator("a").evaluate_all("els => els.map(e => [e.getAttribute('href') || '', e.textContent])")
    assert not [a for a in links if any(h in a[0] for h in ATTACKER) or any(m in a[1] for m in MARKERS)], links
    images = main.locator("img").evaluate_all("els => els.map(e => e.getAttribute('src') || '')")
    assert not [src for src in images if any(h in src for h in ATTACKER) or src == "x"], images
    headings = main.locator("h1, h2, h3, h4, h5, h6").all_inner_texts()
    assert "หัวข้อปลอม" not in [h.strip() for h in headings], headings  # what "# หัวข้อปลอม" would have made
    assert not [u for u in requests if any(h in u for h in ATTACKER)], requests


def test_hostile_text_shows_literally_on_screening_and_leaderboard(
    page: Page, hostile_app: LiveApp, shot: Callable[[str], Path]
) -> None:
    for path in ("/", "/submissions", "/api/public/results.json"):
        try:
            reply = urllib.request.urlopen(f"{hostile_app.base_url}{path}", timeout=30)
        except urllib.error.HTTPError as e:  # the results route is 404 before the announcement
            reply = e
        assert reply.headers["X-Frame-Options"] == "SAMEORIGIN", path
        assert reply.headers["Content-Security-Policy"] == "frame-ancestors 'self'", path
        assert reply.headers["X-Content-Type-Options"] == "nosniff", path
        assert reply.headers["Referrer-Policy"] == "same-origin", path

    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    sign_in_as(page, hostile_app.base_url, "organiser", "organiser-2564", "ผลคะแนนและสถิติ")
    page.goto(f"{hostile_app.base_url}/submissions")
    expect(page.get_by_role("heading", name="ผลงานที่ส่งเข้าประกวด")).to_be_visible(timeout=SETTLE_MS)
    settled(page)
    heading = page.locator("[data-testid='stHeadingWithActionElements'] h2").first.inner_text().strip()
    assert heading in {" ".join(clean(h).split()) for h in HOSTILE}, heading  # the title exactly as typed
    page.get_by_role("tab", name="คำตอบขั้นตอนที่ 7").click()
    settled(page)
    text = shown_text(page)
    for literal in (
        "[แบบฟอร์ม](http://evil.example/form)",
        "![ภาพ](http://127.0.0.1:9/x.png)",
        '<a href="http://evil.example">คลิก</a>',
        ":red[ด่วนมาก] :material/warning: :smile:",
        "$x^2$ และ $$y$$",
        "ดูที่ https://look-alike.example/form หรือ www.look-alike.example",
        "evil เทศบาล",
    ):
        assert literal in text, literal
    assert_nothing_live(page, requests)
    shot("screening")

    page.get_by_test_id("stSidebarNav").get_by_text("ผลคะแนนและสถิติ", exact=True).click()
    expect(page.get_by_role("heading", name="อันดับ")).to_be_visible(timeout=SETTLE_MS)
    text = shown_text(page)
    assert "> อ้างอิง - รายการ 1. ลำดับ ---" in text  # an organisation's name, on one line as typed
    shot("leaderboard-overview")
    page.get_by_text("รายผลงาน", exact=True).first.click()  # one work: its title is the radar chart's title
    page.locator(".js-plotly-plot").first.wait_for(timeout=SETTLE_MS)
    assert page.locator(".js-plotly-plot a").count() == 0  # an <a href> in a title stays text inside the chart
    assert_nothing_live(page, requests)
    shot("leaderboard")
