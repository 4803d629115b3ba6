"""The judge's score sheet (a components-v2 component saving through POST /api/judge/sheet) in a real browser:
quick slider moves and typing followed at once by a switch of work and a reload all reach the database; changes
made while the route is away (503, then no network) are queued and arrive when it is back; text typed just before
the page goes away is sent as it hides; on a 390 px phone the running total stays in view."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import User
from services.contest import editions
from services.judging import sheets, worklist
from tests.browser.conftest import SCREENSHOTS, open_tab, report_failure, settled, sign_in_as, wait_until

pytestmark = pytest.mark.browser

SETTLE_MS = 30_000
SHEET_ROUTE = "**/api/judge/sheet"


def sheet_of(tab: Page, sub_id: int):  # type: ignore[no-untyped-def]
    return tab.locator(f'[data-sheet="{sub_id}"]')


def dga_works(engine: Engine) -> tuple[int, list[worklist.AssignmentView]]:
    with Session(engine) as s:
        edition = editions.current_edition(session=s)
        assert edition is not None
        judge_id = s.exec(select(User.id).where(User.username == "judge-dga")).one()
        return judge_id, worklist.list_assignments(session=s, judge_id=judge_id, edition_id=edition.id)


def stored(engine: Engine, judge_id: int, sub_id: int) -> sheets.SheetView:
    with Session(engine) as s:
        return sheets.get_sheet(session=s, judge_id=judge_id, submission_id=sub_id)


def open_work(tab: Page, title: str) -> None:
    """Choose a work in the picker by typing part of its title (the list filters as one types)."""
    chooser = tab.get_by_role("combobox", name="ผลงาน", exact=True)
    expect(chooser).to_have_count(1, timeout=SETTLE_MS)
    chooser.click()
    chooser.press_sequentially(title[:30], delay=5)
    option = tab.get_by_role("option").filter(has_text=title[:30]).first
    expect(option).to_be_visible(timeout=SETTLE_MS)
    option.click()


def test_quick_changes_then_a_switch_and_a_reload_lose_nothing_and_an_outage_is_waited_out(
    browser: Browser, fresh_base_url: str, fresh_db: Engine, tmp_path: Path, shot_of: Callable[[Page, str], Path]
) -> None:
    engine = fresh_db
    judge_id, works = dga_works(engine)
    first, second = works[0].submission, works[1].submission
    tab = open_tab(browser, width=1440, height=900)
    try:
        sign_in_as(tab, fresh_base_url, "judge-dga", "judge-2564", "ให้คะแนนผลงาน")
        sheet = sheet_of(tab, first.id)
        expect(sheet.get_by_role("slider").first).to_be_visible(timeout=SETTLE_MS)
        settled(tab)
        criteria = [
            int(c) for c in sheet.locator("section.criterion").evaluate_all("els => els.map(e => e.dataset.criterion)")
        ]

        # Quick work: three sliders by keyboard, a comment typed, "0 points" given, an overall comment typed, a
        # comment on a criterion that has no points yet — and at once another work is opened, then the page reloaded.
        for index, presses in ((0, 7), (1, 3), (2, 12)):
            slider = sheet.get_by_role("slider").nth(index)
            slider.focus()
            for _ in range(presses):
                tab.keyboard.press("ArrowRight")
        sheet.locator(f'input.comment[data-criterion="{criteria[0]}"]').press_sequentially("ชัดเจนมาก", delay=5)
        sheet.locator(f'button.zero[data-criterion="{criteria[3]}"]').click()
        sheet.locator("textarea.overall").press_sequentially("ภาพรวมดี", delay=5)
        sheet.locator(f'input.comment[data-criterion="{criteria[5]}"]').press_sequentially("รอคะแนน", delay=5)
        expect(sheet.locator(".total")).to_have_text("คะแนนรวม 11 / 100")
        expect(sheet.locator(".scored")).to_contain_text("ให้คะแนนแล้ว 4 จาก 11 เกณฑ์")
        shot_of(tab, "desktop-scoring")
        sheet.locator("section.criterion").first.scroll_into_view_if_needed()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / "score-sheet--desktop-1440.png"))  # the viewport, as seen
        open_work(tab, second.title)
        expect(sheet_of(tab, second.id).get_by_role("slider").first).to_be_visible(timeout=SETTLE_MS)
        tab.reload()

        def all_saved() -> sheets.SheetView | None:
            now = stored(engine, judge_id, first.id)
            points = {c.criterion_id: c.points for c in now.criteria if c.points is not None}
            ok = (
                points == {criteria[0]: 3.5, criteria[1]: 1.5, criteria[2]: 6.0, criteria[3]: 0.0}
                and now.criteria[0].comment == "ชัดเจนมาก"
                and now.overall_comment == "ภาพรวมดี"
                and dict(now.typed).get(criteria[5]) == "รอคะแนน"
            )
            return now if ok else None

        wait_until(all_saved, what="every change of the quick work in the database", timeout_s=15)
        # Back on that work after the reload: the sheet shows it all, the waiting comment included.
        expect(tab.get_by_role("heading", name="ให้คะแนนผลงาน")).to_be_visible(timeout=SETTLE_MS)
        open_work(tab, first.title)
        sheet = sheet_of(tab, first.id)
        expect(sheet.locator(".total")).to_have_text("คะแนนรวม 11 / 100", timeout=SETTLE_MS)
        expect(sheet.locator(f'input.comment[data-criterion="{criteria[5]}"]')).to_have_value("รอคะแนน")
        expect(sheet.locator("textarea.overall")).to_have_value("ภาพรวมดี")
        settled(tab)

        # The route answers 503 for a while, then the network is gone: changes wait, the judge is told, and they
        # arrive in order once it is back.
        tab.route(
            SHEET_ROUTE,
            lambda route: route.fulfill(
                status=503,
                content_type="application/json",
                body='{"error": "unavailable", "message_th": "x", "message_en": "x"}',
            ),
        )
        slider = sheet.get_by_role("slider").nth(4)
        slider.focus()
        for _ in range(4):
            tab.keyboard.press("ArrowRight")
        expect(sheet.locator(".status")).to_have_text("ออฟไลน์ — จะบันทึกเมื่อเชื่อมต่อได้", timeout=10_000)
        tab.unroute(SHEET_ROUTE)
        tab.route(SHEET_ROUTE, lambda route: route.abort("internetdisconnected"))
        sheet.locator(f'input.comment[data-criterion="{criteria[4]}"]').press_sequentially("ระหว่างออฟไลน์", delay=5)
        tab.wait_for_timeout(1500)
        assert stored(engine, judge_id, first.id).criteria[4].points is None  # nothing got through
        shot_of(tab, "desktop-offline")
        tab.unroute(SHEET_ROUTE)
        assert tab.evaluate("window.__ldawardSheet.flush()") is True  # every queued change answered, all saved
        after = stored(engine, judge_id, first.id)
        assert (after.criteria[4].points, after.criteria[4].comment) == (2.0, "ระหว่างออฟไลน์")
        expect(sheet.locator(".status")).to_contain_text("บันทึกแล้ว")
        expect(tab.get_by_text("อีกแท็บหรืออีกเครื่องหนึ่ง")).to_have_count(0)
        expect(tab.get_by_test_id("stException")).to_have_count(0)

        # Text typed in the last moment before the page goes away (still waiting for its pause) is sent as the page
        # hides, with keepalive.
        sheet.locator(f'input.comment[data-criterion="{criteria[1]}"]').press_sequentially("พิมพ์ก่อนปิด", delay=5)
        tab.goto("about:blank")
        wait_until(
            lambda: stored(engine, judge_id, first.id).criteria[1].comment == "พิมพ์ก่อนปิด",
            what="the comment typed just before leaving the page",
            timeout_s=10,
        )
    except BaseException:
        report_failure("score-sheet", {"judge-dga": tab}, tmp_path / "streamlit-fresh.log")
        raise
    finally:
        tab.context.close()


def test_on_a_phone_the_total_stays_in_view_and_another_tab_is_noticed(
    browser: Browser, fresh_base_url: str, fresh_db: Engine, tmp_path: Path
) -> None:
    engine = fresh_db
    judge_id, works = dga_works(engine)
    sub_id = works[0].submission.id
    phone = open_tab(browser, width=390, height=844)
    try:
        sign_in_as(phone, fresh_base_url, "judge-dga", "judge-2564", "ให้คะแนนผลงาน")
        sheet = sheet_of(phone, sub_id)
        expect(sheet.get_by_role("slider").first).to_be_visible(timeout=SETTLE_MS)
        settled(phone)
        last = sheet.get_by_role("slider").last
        last.scroll_into_view_if_needed()
        last.focus()
        for _ in range(6):
            phone.keyboard.press("ArrowRight")
        expect(sheet.locator(".total")).to_have_text("คะแนนรวม 3 / 100")
        bar = sheet.locator(".bar").bounding_box()
        top = sheet.locator("section.criterion").first.bounding_box()
        assert top is not None and top["y"] + top["height"] < 0, top  # scrolled well past the sheet's start ...
        assert bar is not None and bar["y"] >= 0 and bar["y"] + bar["height"] <= 844, bar  # ... the total in view
        assert bar["x"] >= 0 and bar["x"] + bar["width"] <= 390, bar  # and not wider than the phone
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SCREENSHOTS / "score-sheet--phone-390-scrolled.png"))  # the viewport, as seen
        wait_until(
            lambda: stored(engine, judge_id, sub_id).criteria[-1].points == 3.0,
            what="the last criterion's points in the database",
            timeout_s=10,
        )

        # Another device writes the same sheet; this page's next change is saved, and it is told and shows the
        # stored values.
        with Session(engine) as s:
            first = stored(engine, judge_id, sub_id).criteria[0].criterion_id
            sheets.save_sheet(
                session=s, judge_id=judge_id, submission_id=sub_id, points={first: 9.0}, actor="judge-dga"
            )
        last.focus()
        phone.keyboard.press("ArrowRight")
        expect(sheet.get_by_text("อีกแท็บหรืออีกเครื่องหนึ่ง")).to_be_visible(timeout=10_000)
        expect(sheet.locator(".total")).to_have_text("คะแนนรวม 12.5 / 100")
        assert [c.points for c in stored(engine, judge_id, sub_id).criteria if c.points is not None] == [9.0, 3.5]
    except BaseException:
        report_failure("score-sheet-phone", {"phone": phone}, tmp_path / "streamlit-fresh.log")
        raise
    finally:
        phone.context.close()
