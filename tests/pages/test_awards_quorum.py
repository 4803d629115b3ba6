"""AppTest for the awards page under the judging quorum, on the 2564 demo (SQLite and PostgreSQL): confirming is
refused with the works and judges named, the override needs a reason, and the announcement then carries a note."""

from __future__ import annotations

import json

from sqlmodel import select

from models import AuditEvent
from services.judging import completeness
from services.results import awards
from tests.helpers.judging_factory import new_work_scored_by_one, submit_missing_sheets
from tests.pages.test_pages import DB, edition_id, ok, page_path, signed_in, table_with

NEW_TITLE = "ระบบใหม่ *ตัวหนา* [ลิงก์](http://x)"


def test_confirm_is_refused_naming_the_work_and_its_missing_judges_until_every_sheet_is_in(
    app_env: str, db: DB
) -> None:
    eid = edition_id(db)
    with db() as session:
        submit_missing_sheets(session, eid)
        sid = new_work_scored_by_one(session, eid, title=NEW_TITLE)
        missing = completeness.edition_completeness(session=session, edition_id=eid).by_work()[sid].missing
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("awards")).run())
    assert any("ยังมี 1 ผลงานที่ได้รับคะแนนไม่ครบองค์ประชุม" in e.value for e in at.error)
    below = table_with(at, "หน่วยงาน", "ผลงาน", "กรรมการ", "ยังไม่ส่ง")
    assert list(below["ผลงาน"]) == [NEW_TITLE] and list(below["กรรมการ"]) == ["1/10 กรรมการ"]
    # The proposal editor offers the award levels by their names, never their codes.
    (editor,) = [d for d in at.dataframe if "awards_proposal" in d.proto.id]
    config = json.loads(editor.proto.columns)["level"]
    assert "รางวัลยอดเยี่ยม" in json.dumps(config, ensure_ascii=False), config

    ok(at.button(key="awards_confirm").click().run())
    refusal = next(e.value for e in at.error if "จึงยืนยันผลรางวัลไม่ได้" in e.value)
    assert all(j.display_name.replace("(", "\\(").replace(")", "\\)").replace(".", "\\.") in refusal for j in missing)
    assert "\\*ตัวหนา\\*" in refusal and "\\[ลิงก์\\]" in refusal  # the applicant's title stays inert text
    with db() as session:
        assert awards.confirmed_awards(session=session, edition_id=eid) == ()
        submit_missing_sheets(session, eid)
    ok(at.button(key="awards_confirm").click().run())
    with db() as session:
        assert len(awards.confirmed_awards(session=session, edition_id=eid)) == 8
    assert not any(awards.QUORUM_NOTE_TH in c.value for c in at.code)


def test_the_override_needs_a_reason_and_the_announcement_then_says_so(app_env: str, db: DB) -> None:
    eid = edition_id(db)
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("awards")).run())
    assert len(table_with(at, "หน่วยงาน", "ผลงาน", "กรรมการ", "ยังไม่ส่ง")) == 45  # judge-dga owes every sheet
    ok(at.button(key="awards_confirm").click().run())
    assert any("ยังมี 45 ผลงาน" in e.value for e in at.error)
    reason = "มติที่ประชุม: กรรมการ สพร. ถอนตัว"
    at.text_area(key="awards_quorum_reason").input(reason)
    ok(at.button(key="awards_confirm").click().run())
    with db() as session:
        assert len(awards.confirmed_awards(session=session, edition_id=eid)) == 8
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "awards.confirm")).one()
    assert event.after["quorum_override"]["reason"] == reason
    text = at.code[0].value
    assert awards.QUORUM_NOTE_TH in text and reason in text
    assert any("ผลรางวัลนี้ยืนยันขณะที่ยังมีผลงานได้รับคะแนนไม่ครบองค์ประชุม" in w.value for w in at.warning)
