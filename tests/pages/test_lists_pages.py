"""AppTest of the organisers' long lists (issue 17, item 6): the screening queue's and the judging desk's filters,
search, Thai-order sorting, pages and bulk actions, with what a bulk action refused said in Thai."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from models import AuditEvent, JudgeAssignment, Submission, SubmissionStatus, User
from services.contest import editions
from services.platform import auth
from services.thai.collation import thai_sorted
from tests.conftest import PAGE_ON_SQLITE

pytestmark = PAGE_ON_SQLITE

ROOT = Path(__file__).resolve().parents[2]
DB = Callable[[], Session]


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def organiser_on(db: DB, page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    with db() as session:
        at.session_state["account"] = auth.authenticate(
            session=session, username="organiser", password="organiser-2564"
        )
    ok(at.run())
    return ok(at.switch_page(f"pages/{page}.py").run())


def table(at: AppTest, *columns: str) -> pd.DataFrame:
    (found,) = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    return found


def works(db: DB) -> list[Submission]:
    with db() as session:
        edition_id = editions.current_edition(session=session).id
        return list(
            session.exec(
                select(Submission).where(Submission.edition_id == edition_id).order_by(col(Submission.id))
            ).all()
        )


def change(db: DB, sub_id: int, **values: object) -> None:
    with db() as session:
        sub = session.get(Submission, sub_id)
        for k, v in values.items():
            setattr(sub, k, v)
        session.add(sub)
        session.commit()


def test_the_queue_filters_sorts_and_pages_sending_only_the_rows_shown(app_env: str, db: DB) -> None:
    at = organiser_on(db, "submissions")
    assert len(table(at, "คุณสมบัติ")) == 45

    ok(at.multiselect(key="subs_provinces").set_value(["เชียงราย"]).run())
    assert set(table(at, "คุณสมบัติ")["จังหวัด"]) == {"เชียงราย"} and len(table(at, "คุณสมบัติ")) == 6
    ok(at.multiselect(key="subs_provinces").set_value([]).run())

    ok(at.selectbox(key="subs_sort").set_value("organisation").run())
    names = list(table(at, "คุณสมบัติ")["หน่วยงาน"])
    assert names == thai_sorted(names)

    ok(at.selectbox(key="subs_size").set_value(25).run())
    assert len(table(at, "คุณสมบัติ")) == 25
    assert any("แสดง 1–25 จาก 45 ผลงานที่พบ" in c.value for c in at.caption)
    ok(at.number_input(key="subs_page").set_value(2).run())
    second = table(at, "คุณสมบัติ")
    assert len(second) == 20 and list(second["หน่วยงาน"]) == names[25:]

    # A new filter starts again from the first page.
    ok(at.multiselect(key="subs_categories").set_value(["GIS"]).run())
    assert at.number_input(key="subs_page").value == 1 and len(table(at, "คุณสมบัติ")) == 7


def test_bulk_accept_accepts_the_found_works_and_says_in_thai_why_others_were_not(app_env: str, db: DB) -> None:
    a, b, late = (s.id for s in works(db)[:3])
    for sid in (a, b, late):
        change(db, sid, status=SubmissionStatus.submitted)
    change(db, late, golive_date=date(2021, 6, 1))
    at = organiser_on(db, "submissions")
    ok(at.multiselect(key="subs_statuses").set_value(["submitted"]).run())
    assert len(table(at, "คุณสมบัติ")) == 3
    ok(at.radio(key="subs_bulk_scope").set_value("found").run())
    ok(at.button(key="subs_bulk_accept").click().run())

    assert any("รับเข้าการพิจารณาแล้ว 2 ผลงาน" in s.value for s in at.success)
    assert any("ดำเนินการไม่ได้ 1 รายการ" in w.value for w in at.warning)
    refused = table(at, "กรรมการ", "เหตุผล")
    assert refused["เหตุผล"].iloc[0].startswith("ไม่มีคุณสมบัติตามประกาศ: เริ่มใช้งานจริงเมื่อ 1 มิถุนายน 2564")
    with db() as session:
        assert [session.get(Submission, i).status for i in (a, b, late)] == ["accepted", "accepted", "submitted"]
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "submission.status")).all()
    assert sorted(int(e.entity_id) for e in events) == sorted([a, b])


def test_bulk_accept_of_works_picked_by_hand(app_env: str, db: DB) -> None:
    a, b = (s.id for s in works(db)[:2])
    for sid in (a, b):
        change(db, sid, status=SubmissionStatus.submitted)
    at = organiser_on(db, "submissions")
    assert at.button(key="subs_bulk_accept").disabled  # nothing picked yet
    ok(at.multiselect(key="subs_bulk_picked").set_value([b]).run())
    ok(at.button(key="subs_bulk_accept").click().run())
    with db() as session:
        assert [session.get(Submission, i).status for i in (a, b)] == ["submitted", "accepted"]


def test_the_desk_finds_works_without_judges_and_assigns_them_refusing_a_conflict(app_env: str, db: DB) -> None:
    first, second = (s.id for s in works(db)[:2])
    with db() as session:
        for row in session.exec(
            select(JudgeAssignment).where(col(JudgeAssignment.submission_id).in_([first, second]))
        ).all():
            session.delete(row)
        session.commit()
        opm = session.exec(select(User).where(User.username == "judge-opm")).one()
        dla = session.exec(select(User).where(User.username == "judge-dla")).one()
    from services.judging import conflicts

    with db() as session:
        conflicts.declare(
            session=session, judge_id=dla.id, submission_id=second, reason="own_province", actor="organiser"
        )
    at = organiser_on(db, "judging_admin")
    assert any("ผลงานที่ยังไม่มีกรรมการ 2 ผลงาน" in c.value for c in at.caption)
    ok(at.selectbox(key="jlist_panel").set_value("none").run())
    assert len(table(at, "รายชื่อกรรมการ")) == 2
    ok(at.radio(key="jlist_bulk_scope").set_value("page").run())
    ok(at.multiselect(key="jlist_judges").set_value([opm.id, dla.id]).run())
    ok(at.button(key="jlist_assign").click().run())

    assert any("มอบหมายแล้ว 3 คู่ ใน 2 ผลงาน" in s.value for s in at.success)
    refused = table(at, "กรรมการ", "เหตุผล")
    assert list(refused["กรรมการ"]) == ["judge-dla"]
    assert refused["เหตุผล"].iloc[0].startswith("ท่านแจ้งหรือถูกบันทึกว่ามีส่วนได้เสีย")
    with db() as session:
        pairs = set(
            session.exec(
                select(JudgeAssignment.judge_id, JudgeAssignment.submission_id).where(
                    col(JudgeAssignment.submission_id).in_([first, second])
                )
            ).all()
        )
    assert pairs == {(opm.id, first), (dla.id, first), (opm.id, second)}
    assert not any("ผลงานที่ยังไม่มีกรรมการ" in c.value for c in at.caption)  # both have a panel now


def test_the_list_is_read_once_for_a_while_and_again_on_refresh(app_env: str, db: DB) -> None:
    first = works(db)[0]
    at = organiser_on(db, "submissions")
    assert any("รายการนี้อ่านจากฐานข้อมูลเมื่อ" in c.value for c in at.caption)
    change(db, first.id, status=SubmissionStatus.submitted)  # as another organiser's process would
    ok(at.multiselect(key="subs_statuses").set_value(["submitted"]).run())
    # The rows on screen are read on every run; which rows match is the shared list of a few seconds ago.
    assert any("ไม่พบผลงานที่ตรงกับคำค้นหรือตัวกรอง (ทั้งหมด 45 ผลงาน)" in c.value for c in at.caption)
    ok(at.button(key="subs_refresh").click().run())
    (row,) = table(at, "คุณสมบัติ").to_dict("records")
    assert (row["เลขที่ใบรับ"], row["สถานะ"]) == (first.receipt_code, "รอตรวจ")


def test_the_desks_other_tabs_find_one_work_by_a_search_not_from_a_list_of_every_work(
    app_env: str, db: DB, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pages import _lists

    monkeypatch.setattr(_lists, "PICK_LIMIT", 10)  # a national edition's many works, in the demo's 45
    with db() as session:
        edition = editions.current_edition(session=session)
        assert edition is not None
        works = session.exec(
            select(Submission).where(Submission.edition_id == edition.id).order_by(col(Submission.id))
        ).all()
    at = organiser_on(db, "judging_admin")
    for prefix in ("jadmin_hand", "jadmin_coi", "jadmin_reopen", "jadmin_print"):
        pick = at.selectbox(key=f"{prefix}_sub")
        assert len(pick.options) == 10, prefix
        assert any(c.value == "แสดง 10 จาก 45 ผลงานที่พบ พิมพ์คำค้นเพิ่มเพื่อให้แคบลง" for c in at.caption)
    wanted = works[30]
    ok(at.text_input(key="jadmin_reopen_find").input(wanted.receipt_code.lower()).run())
    pick = at.selectbox(key="jadmin_reopen_sub")
    assert len(pick.options) == 1 and pick.options[0].startswith(f"{wanted.receipt_code} · ")
    assert pick.value == wanted.id
    assert len(at.selectbox(key="jadmin_coi_sub").options) == 10  # each tab keeps its own search
    ok(at.text_input(key="jadmin_reopen_find").input("ไม่มีผลงานชื่อนี้แน่นอน").run())
    assert at.selectbox(key="jadmin_reopen_sub").options == []
    assert any(c.value == "ไม่พบผลงานที่ตรงกับคำค้น" for c in at.caption)
