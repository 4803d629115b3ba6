"""AppTest for the judging-completeness desk on the 2564 demo (SQLite and PostgreSQL): per work and per judge,
the filters, a reminder that reaches the judge's page outside a live session, and the deadline in Buddhist era."""

from __future__ import annotations

from datetime import date, time

from sqlmodel import select

from models import AuditEvent, User
from services.contest import editions
from tests.helpers.judging_factory import new_work_scored_by_one
from tests.pages.test_pages import DB, edition_id, ok, page_path, signed_in, table_with

WORKS = ("หน่วยงาน", "ผลงาน", "ต้องส่ง", "ส่งแล้ว", "ร่าง", "ยังไม่ส่ง")
JUDGES = ("กรรมการ", "หน่วยงาน", "ต้องส่ง", "ส่งแล้ว", "ค้างส่ง", "ใช้งานล่าสุด")


def test_the_desk_shows_what_is_missing_filters_and_reminds(app_env: str, db: DB) -> None:
    eid = edition_id(db)
    with db() as session:
        new_work_scored_by_one(session, eid, title="ระบบที่ยังขาดคะแนน")
        dga = session.exec(select(User).where(User.username == "judge-dga")).one()
        opm = session.exec(select(User).where(User.username == "judge-opm")).one()
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("judging_status")).run())
    assert [t.value for t in at.title] == ["ความครบถ้วนของการให้คะแนน"]
    works = table_with(at, *WORKS)
    assert len(works) == 46  # below quorum by default: the demo's 45 (judge-dga) and the new work
    first = works.iloc[0]
    assert (first["ผลงาน"], first["ต้องส่ง"], first["ส่งแล้ว"], first["ยังไม่ส่ง"]) == ("ระบบที่ยังขาดคะแนน", 10, 1, 9)
    judges = table_with(at, *JUDGES).set_index("กรรมการ")
    assert judges.loc[dga.display_name, "ค้างส่ง"] == 46 and judges.loc[opm.display_name, "ค้างส่ง"] == 0

    ok(at.segmented_control(key="status_work_filter").set_value("complete").run())
    assert len(table_with(at, *WORKS)) == 0
    ok(at.segmented_control(key="status_work_filter").set_value("all").run())
    ok(at.selectbox(key="status_judge_filter").set_value(opm.id).run())
    assert len(table_with(at, *WORKS)) == 0  # judge-opm owes nothing
    ok(at.selectbox(key="status_judge_filter").set_value(dga.id).run())
    assert len(table_with(at, *WORKS)) == 46

    ok(at.multiselect(key="status_remind_judges").set_value([dga.id]).run())
    ok(at.button(key="status_remind").click().run())
    with db() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "judging.remind")).all()
    assert [e.entity_id for e in events] == [str(dga.id)]

    at.date_input(key="status_deadline_date").set_value(date(2021, 9, 10))
    at.time_input(key="status_deadline_time").set_value(time(16, 30))
    assert any(c.value == "วันที่เลือก: 10 กันยายน 2564 (พ.ศ.)" for c in at.run().caption)
    ok(at.button(key="status_deadline_save").click().run())
    with db() as session:
        deadline = editions.get_edition(session=session, edition_id=eid).config.judging_deadline
    assert deadline is not None and deadline.isoformat() == "2021-09-10T09:30:00+00:00"

    judge = signed_in(db, "judge-dga")
    assert any("กำหนดส่งคะแนน: 10 กันยายน 2564 เวลา 16:30 น." in i.value for i in judge.info)
    assert any("ผู้จัดงานขอให้ส่งใบให้คะแนนที่ยังค้างอยู่ 46 ผลงาน" in w.value for w in judge.warning)
    # A judge with nothing owed sees neither.
    other = signed_in(db, "judge-opm")
    assert not any("ผู้จัดงานขอให้ส่งใบให้คะแนน" in w.value for w in other.warning)


def test_the_organiser_sets_the_quorum_rule_on_the_desk(app_env: str, db: DB) -> None:
    eid = edition_id(db)
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("judging_status")).run())
    assert len(table_with(at, *WORKS)) == 45  # every demo work waits for judge-dga under the default rule
    assert at.number_input(key="status_quorum_k").disabled

    ok(at.radio(key="status_quorum_mode").set_value("at_least").run())
    at.number_input(key="status_quorum_k").set_value(9)
    ok(at.button(key="status_quorum_save").click().run())
    with db() as session:
        assert editions.get_edition(session=session, edition_id=eid).config.quorum_min_sheets == 9
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action.startswith("edition.")).order_by(AuditEvent.id.desc())
        ).first()
    assert event is not None and event.actor == "organiser"
    assert len(table_with(at, *WORKS)) == 0  # nine sheets each: every demo work is now fully judged
    assert any("อย่างน้อย 9 ใบ" in c.value for c in at.caption)

    ok(at.radio(key="status_quorum_mode").set_value("every").run())
    ok(at.button(key="status_quorum_save").click().run())
    with db() as session:
        assert editions.get_edition(session=session, edition_id=eid).config.quorum_min_sheets is None
    assert len(table_with(at, *WORKS)) == 45
