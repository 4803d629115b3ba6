"""Two judges in separate browser contexts score the same submission at once, with the keyboard; every slider
movement reaches the database as a draft, and neither judge's work touches the other's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import Score, User
from services.contest import editions
from services.judging import sheets, worklist
from tests.browser.conftest import open_tab, settled, sign_in_as

pytestmark = pytest.mark.browser

SETTLE_MS = 30_000


def sign_in(page: Page, base_url: str, username: str) -> None:
    sign_in_as(page, base_url, username, "judge-2564", "ให้คะแนนผลงาน", timeout_ms=SETTLE_MS)
    expect(page.get_by_role("slider").first).to_be_visible(timeout=SETTLE_MS)


def test_two_judges_score_at_once_and_every_move_is_saved(
    browser: Browser, fresh_base_url: str, fresh_db: Engine, tmp_path: Path, shot_of: Callable[[Page, str], Path]
) -> None:
    engine = fresh_db
    with Session(engine) as s:
        edition = editions.current_edition(session=s)
        assert edition is not None
        ids = {u.username: u.id for u in s.exec(select(User).where(User.username.in_(["judge-dga", "judge-opm"])))}
        sub_id = worklist.list_assignments(session=s, judge_id=ids["judge-dga"], edition_id=edition.id)[0].submission.id
        # judge-opm finished in 2564; an organiser reopens one sheet so that both judges work on the same work.
        sheets.reopen_sheet(
            session=s, judge_id=ids["judge-opm"], submission_id=sub_id, reason="ทดสอบ", actor="organiser"
        )
        before = sheets.get_sheet(session=s, judge_id=ids["judge-opm"], submission_id=sub_id)
    first, second = before.criteria[0], before.criteria[1]

    dga, opm = (open_tab(browser, width=1180, height=820) for _ in range(2))  # tablets, landscape
    try:
        sign_in(dga, fresh_base_url, "judge-dga")
        sign_in(opm, fresh_base_url, "judge-opm")
        # Key presses only once each page has finished the runs signing in started: a rerun arriving between focus
        # and key press can redraw the slider, and the presses then go nowhere.
        settled(dga)
        settled(opm)
        # Interleaved key presses: both sessions rerun and save while the other is saving.
        dga_first, opm_first = dga.get_by_role("slider").nth(0), opm.get_by_role("slider").nth(0)
        dga_first.focus()
        opm_first.focus()
        for _ in range(6):
            dga.keyboard.press("ArrowRight")
            opm.keyboard.press("ArrowLeft")
        dga.get_by_role("slider").nth(1).focus()
        for _ in range(4):
            dga.keyboard.press("ArrowRight")
        expect(dga_first).to_have_value("3", timeout=SETTLE_MS)
        expect(opm_first).to_have_value(f"{max(0.0, first.points - 3):g}", timeout=SETTLE_MS)
        expect(dga.get_by_role("slider").nth(1)).to_have_value("2", timeout=SETTLE_MS)

        def saved() -> tuple[dict[int, float], dict[int, float]]:
            with Session(engine) as s:
                rows = s.exec(select(Score).where(Score.submission_id == sub_id)).all()
            return (
                {r.criterion_id: r.points for r in rows if r.judge_id == ids["judge-dga"]},
                {r.criterion_id: r.points for r in rows if r.judge_id == ids["judge-opm"]},
            )

        for _ in range(200):  # both judges' last reruns may still be saving
            mine, theirs = saved()
            if mine == {first.criterion_id: 3.0, second.criterion_id: 2.0} and theirs.get(first.criterion_id) == max(
                0.0, first.points - 3
            ):
                break
            dga.wait_for_timeout(100)
        assert mine == {first.criterion_id: 3.0, second.criterion_id: 2.0}
        assert theirs[first.criterion_id] == max(0.0, first.points - 3)
        assert {c: p for c, p in theirs.items() if c != first.criterion_id} == {
            c.criterion_id: c.points for c in before.criteria if c.criterion_id != first.criterion_id
        }
        for tab in (dga, opm):
            expect(tab.get_by_test_id("stException")).to_have_count(0)
            expect(tab.get_by_text("อีกแท็บหรืออีกเครื่องหนึ่ง")).to_have_count(0)  # different judges never clash
        shot_of(dga, "dga-scoring-on-a-tablet")
    finally:
        dga.context.close()
        opm.context.close()
