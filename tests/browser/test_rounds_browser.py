"""Browser journey of a two-round edition: the organiser adds a pitching round, freezes the documents round's top 10
with each work's chance at the cut on screen, and a judge of the second round finds those ten works only."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from models import RoundAdvance
from services.contest import editions
from services.judging import rounds, worklist
from services.platform.db import build_engine, upgrade_schema
from tests.browser.conftest import open_tab, report_failure, serve_app, settled, sign_in_as, wait_until

pytestmark = pytest.mark.browser

JUDGING_CLOCK = "2021-09-01T10:00:00+07:00"


def test_an_organiser_shortlists_ten_for_the_pitching_round_and_a_judge_sees_them(
    browser: Browser, demo_template: Path, tmp_path: Path, shot_of: Callable[[Page, str], Path]
) -> None:
    db_path = tmp_path / "ldaward.db"
    shutil.copy(demo_template, db_path)
    engine = build_engine(f"sqlite:///{db_path}")
    upgrade_schema(engine)  # as the app does on start (the template may come from an older checkout's `ldaward`)
    with Session(engine) as s:
        eid = editions.current_edition(session=s).id
    with serve_app(db_path, tmp_path / "streamlit-rounds.log", clock=JUDGING_CLOCK) as app:
        tab = open_tab(browser, width=1440)
        judge_tab: Page | None = None
        try:
            sign_in_as(tab, app.base_url, "organiser", "organiser-2564", "ผลคะแนนและสถิติ")
            tab.goto(f"{app.base_url}/rounds")
            expect(tab.get_by_role("heading", name="รอบการตัดสิน")).to_be_visible()
            # One round: no shortlist to make, and the page says how to add the next round.
            expect(tab.get_by_text("รอบนี้เป็นรอบสุดท้าย", exact=False)).to_be_visible()
            expect(tab.get_by_role("button", name="ยืนยันรายชื่อผ่านเข้ารอบ")).to_have_count(0)
            tab.get_by_text("เพิ่มรอบการตัดสิน", exact=True).click()
            tab.get_by_label("ชื่อรอบ (ไทย)").fill("รอบนำเสนอ")
            tab.get_by_label("ชื่อรอบ (ไทย)").press("Enter")
            settled(tab)
            tab.get_by_role("button", name="เพิ่มรอบ", exact=True).click()
            settled(tab)

            def added() -> bool:
                with Session(engine) as s:
                    return len(rounds.list_rounds(session=s, edition_id=eid)) == 2

            wait_until(added, what="the second round")
            expect(tab.get_by_text("ที่จุดตัดอันดับ 10")).to_be_visible()  # the top 10 by default, with its chance
            shot_of(tab, "preview")
            tab.get_by_text("ยืนยันรายชื่อนี้").click()
            settled(tab)
            tab.get_by_role("button", name="ยืนยันรายชื่อผ่านเข้ารอบ").click()
            expect(tab.get_by_text("ยืนยันรายชื่อแล้ว 10 ผลงาน")).to_be_visible()
            shot_of(tab, "frozen")
            with Session(engine) as s:
                assert len(s.exec(select(RoundAdvance)).all()) == 10
                assert rounds.current_round_no(session=s, edition_id=eid) == 2
                assert worklist.assign_all(session=s, edition_id=eid, actor="organiser") == 100  # ten judges

            judge_tab = open_tab(browser, width=1440)
            sign_in_as(judge_tab, app.base_url, "judge-opm", "judge-2564", "ให้คะแนนผลงาน")
            expect(judge_tab.get_by_text("ส่งคะแนนแล้ว 0 จาก 10 ผลงาน")).to_be_visible()
            shot_of(judge_tab, "judge-round-2")
        except Exception:
            tabs = {"organiser": tab} | ({"judge": judge_tab} if judge_tab else {})
            report_failure("rounds", tabs, app.log_path)
            raise
        finally:
            tab.context.close()
            if judge_tab is not None:
                judge_tab.context.close()
            engine.dispose()
