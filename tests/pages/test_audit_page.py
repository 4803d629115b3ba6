"""AppTest for the organisers' audit page: the events as text, filtered by kind, work and person; the CSV offered."""

from __future__ import annotations

from test_pages import DB, account_for, ok, signed_in, table_with

from services.contest import editions
from services.judging import sheets, worklist
from tests.conftest import PAGE_ON_SQLITE

pytestmark = PAGE_ON_SQLITE


def test_organiser_sees_a_reopened_sheet_with_its_hostile_reason_as_plain_text(app_env: str, db: DB) -> None:
    opm = account_for(db, "judge-opm")
    reason = "**ด่วน** <img src=x onerror=alert(1)> [link](http://evil)"
    with db() as session:
        edition = editions.current_edition(session=session)
        assert edition is not None
        sub_id = worklist.list_assignments(session=session, judge_id=opm.id, edition_id=edition.id)[0].submission.id
        sheets.reopen_sheet(session=session, judge_id=opm.id, submission_id=sub_id, reason=reason, actor="organiser")

    at = signed_in(db, "organiser")
    ok(at.switch_page("pages/audit.py").run())
    assert [t.value for t in at.title] == ["บันทึกการเปลี่ยนแปลง"]
    at.selectbox(key="audit_kind").set_value("reopen")
    ok(at.run())
    table = table_with(at, "เมื่อ", "ผู้ดำเนินการ", "รายการ", "ก่อน → หลัง")
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["ผู้ดำเนินการ"], row["รายการ"]) == ("organiser", "เปิดใบให้คะแนนใหม่")
    assert row["ก่อน → หลัง"] == f"state: submitted → draft; reason: {reason}"
    assert " 25" in row["เมื่อ"] and row["เมื่อ"].endswith(" น.")  # a Buddhist-era date on Bangkok's clock
    assert not [m for m in at.markdown if "onerror" in m.value]  # never rendered as Markdown
    assert "พบ 1 รายการ" in [c.value for c in at.caption]
    assert at.get("download_button")  # the CSV of what is filtered

    # The same event is found through the work and through the judge, and not through another judge.
    at.selectbox(key="audit_kind").set_value("__all__")
    at.selectbox(key="audit_work").set_value(sub_id)
    ok(at.run())
    assert "เปิดใบให้คะแนนใหม่" in set(table_with(at, "รายการ")["รายการ"])
    at.selectbox(key="audit_work").set_value(0)
    at.selectbox(key="audit_person").set_value(opm.id)
    ok(at.run())
    assert "เปิดใบให้คะแนนใหม่" in set(table_with(at, "รายการ")["รายการ"])
    at.selectbox(key="audit_person").set_value(account_for(db, "judge-dga").id)
    ok(at.run())
    assert "เปิดใบให้คะแนนใหม่" not in set(table_with(at, "รายการ")["รายการ"])
