"""Browser journey: a new work scored by one of its ten judges cannot be confirmed as an award until the other nine
judges have submitted; then the awards confirm."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from services.contest import editions
from services.platform.db import build_engine
from services.results import awards
from tests.browser.conftest import open_tab, report_failure, serve_app, settled, sign_in_as
from tests.helpers.judging_factory import new_work_scored_by_one, submit_missing_sheets

pytestmark = pytest.mark.browser

# After the 2564 intake closed, during judging: the contest clock lets the awards be confirmed.
JUDGING_CLOCK = "2021-09-01T10:00:00+07:00"
TITLE = "ระบบคิวออนไลน์ที่กรรมการให้คะแนนคนเดียว"


def test_a_work_with_one_sheet_blocks_confirmation_until_the_rest_are_in(
    browser: Browser, demo_template: Path, tmp_path: Path, shot_of: Callable[[Page, str], Path]
) -> None:
    db_path = tmp_path / "ldaward.db"
    shutil.copy(demo_template, db_path)
    engine = build_engine(f"sqlite:///{db_path}")
    with Session(engine) as s:
        eid = editions.current_edition(session=s).id
        submit_missing_sheets(s, eid)  # judge-dga's sheets on the 45 demo works: only the new work is short
        new_work_scored_by_one(s, eid, title=TITLE)
    with serve_app(db_path, tmp_path / "streamlit-quorum.log", clock=JUDGING_CLOCK) as app:
        tab = open_tab(browser, width=1440)
        try:
            sign_in_as(tab, app.base_url, "organiser", "organiser-2564", "ผลคะแนนและสถิติ")
            expect(tab.get_by_text("1 ผลงานยังได้รับคะแนนไม่ครบองค์ประชุม")).to_be_visible()
            expect(tab.get_by_test_id("stDataFrame").first.locator("canvas").first).to_be_visible()
            settled(tab)
            shot_of(tab, "leaderboard-1440")
            tab.goto(f"{app.base_url}/awards")
            expect(tab.get_by_role("heading", name="ผลรางวัล")).to_be_visible()
            tab.get_by_role("button", name="ยืนยันและล็อกผลรางวัล").click()
            settled(tab)
            refusal = tab.get_by_test_id("stAlert").filter(has_text="จึงยืนยันผลรางวัลไม่ได้")
            expect(refusal).to_contain_text(TITLE)
            expect(refusal).to_contain_text("1/10 กรรมการ")
            shot_of(tab, "refused")
            with Session(engine) as s:
                assert awards.confirmed_awards(session=s, edition_id=eid) == ()
                assert submit_missing_sheets(s, eid) == 9  # the nine judges who still owed the new work's sheet
            tab.reload()
            expect(tab.get_by_role("heading", name="ผลรางวัล")).to_be_visible()
            tab.get_by_role("button", name="ยืนยันและล็อกผลรางวัล").click()
            expect(tab.get_by_text("ยืนยันผลรางวัลแล้วโดย organiser")).to_be_visible()
            shot_of(tab, "confirmed")
            with Session(engine) as s:
                assert len(awards.confirmed_awards(session=s, edition_id=eid)) == 8
        except Exception:
            report_failure("awards_quorum", {"organiser": tab}, app.log_path)
            raise
        finally:
            tab.context.close()
            engine.dispose()
