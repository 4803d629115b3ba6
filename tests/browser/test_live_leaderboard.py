"""Browser journey: an executive keeps the leaderboard open while a judge submits a sheet; the page updates by itself
(the live fragment's run_every), with no click or reload."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from models import User
from services.contest import editions
from services.judging import sheets
from services.platform.db import build_engine
from services.results import ranking
from tests.browser.conftest import LiveApp, serve_app
from tests.browser.test_smoke import SETTLE_MS, metric_value, sign_in

pytestmark = pytest.mark.browser

PROGRESS = "ความคืบหน้าการให้คะแนน"
# run_every=10 s plus the read models' 5 s cache: a change must show within about 15 s.
LIVE_MS = 25_000


@pytest.fixture
def own_app(demo_template: Path, tmp_path: Path) -> Iterator[LiveApp]:
    """A server of its own: this journey writes a score sheet, which other journeys must not see."""
    db_path = tmp_path / "ldaward.db"
    db_path.write_bytes(demo_template.read_bytes())
    with serve_app(db_path, tmp_path / "streamlit-live.log") as app:
        yield app


def metric_delta(page: Page, label: str):  # type: ignore[no-untyped-def]
    card = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return card.get_by_test_id("stMetricDelta")


def test_the_leaderboard_moves_by_itself_after_a_judge_submits(
    page: Page, own_app: LiveApp, shot: Callable[[str], Path]
) -> None:
    page.goto(f"{own_app.base_url}/signin")
    expect(page.get_by_label("ชื่อผู้ใช้", exact=True)).to_be_visible(timeout=SETTLE_MS)
    sign_in(page, "executive", "executive-2564")
    expect(metric_value(page, "ผลงาน")).to_have_text("45", timeout=SETTLE_MS)
    expect(metric_value(page, PROGRESS)).to_have_text("90%", timeout=SETTLE_MS)
    expect(metric_delta(page, PROGRESS)).to_have_text("405/450")
    shot("before")

    # The DGA judge submits full marks for the last-ranked work, through the same service the judge page uses.
    engine = build_engine(own_app.database_url)
    with Session(engine, expire_on_commit=False) as session:
        edition = editions.current_edition(session=session)
        assert edition is not None
        last = ranking.leaderboard(session=session, edition_id=edition.id).rows[-1]
        dga = session.exec(select(User).where(User.username == "judge-dga")).one()
        sheets.save_sheet(
            session=session,
            judge_id=dga.id,
            submission_id=last.submission_id,
            points={c.id: c.max_points for c in edition.scored_criteria},
            submit=True,
            actor=dga.username,
        )
        moved = {r.submission_id: r for r in ranking.leaderboard(session=session, edition_id=edition.id).rows}
    engine.dispose()
    assert moved[last.submission_id].rank < last.rank and moved[last.submission_id].judge_count == 10

    # No click, no reload: the fragment refreshes and reads the new figures.
    expect(metric_delta(page, PROGRESS)).to_have_text("406/450", timeout=LIVE_MS)
    expect(metric_value(page, PROGRESS)).to_have_text("90%")  # 90.2 %, percentages as whole numbers, rounded down
    expect(page.get_by_test_id("stException")).to_have_count(0)
    shot("after")
