"""The organisers' view of the audit trail: kinds, work and person filters, Bangkok days, paging, the CSV for Excel.
On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import Session

from models import AuditEvent
from services.platform import audit, audit_log
from services.platform.audit_log import AuditFilter
from services.platform.errors import ValidationFailed


def event(
    session: Session,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEvent(at=at, actor=actor, action=action, entity=entity, entity_id=entity_id, before=before, after=after)
    )


@pytest.fixture
def trail(session: Session) -> Session:
    """A small trail: judge 7 scores work 15 and work 5; an organiser reopens, extends, confirms awards."""
    day = datetime(2021, 8, 4, 2, 0, tzinfo=UTC)  # 09:00 in Bangkok, 4 August 2564
    event(session, day, "judge-a", "user.sign_in", "user", "7")
    event(session, day.replace(hour=3), "judge-a", "score.save", "score", "7:15:3", None, {"points": 8.0})
    event(
        session,
        day.replace(hour=4),
        "judge-a",
        "sheet.submit",
        "scoresheet",
        "7:15",
        {"state": "draft"},
        {"state": "submitted"},
    )
    event(session, day.replace(hour=5), "judge-a", "score.save", "score", "7:5:3", None, {"points": 2.0})
    event(
        session,
        day.replace(hour=6),
        "organiser",
        "sheet.reopen",
        "scoresheet",
        "7:15",
        {"state": "submitted"},
        {"state": "draft", "reason": '=HYPERLINK("http://x")'},
    )
    event(
        session,
        day.replace(hour=7),
        "organiser",
        "submission.extension",
        "submission",
        "15",
        {"deadline": None},
        {"deadline": "2021-08-10"},
    )
    # 18:30 UTC on 4 August is 01:30 on 5 August in Bangkok.
    event(
        session,
        day.replace(hour=18, minute=30),
        "organiser",
        "awards.confirm",
        "edition",
        "1",
        None,
        {"gold": ["ทต.ท่าคันโท"]},
    )
    event(session, day.replace(hour=19), "judge-b", "score.save", "score", "17:15:4", {"points": 1.0}, {"points": 1.5})
    session.commit()
    return session


def actions(page: audit_log.AuditPage) -> list[str]:
    return [e.action for e in page.entries]


def test_kinds_pick_their_actions_newest_first(trail: Session) -> None:
    assert actions(audit_log.search(session=trail, where=AuditFilter(kind="reopen"))) == ["sheet.reopen"]
    assert actions(audit_log.search(session=trail, where=AuditFilter(kind="awards"))) == ["awards.confirm"]
    assert actions(audit_log.search(session=trail, where=AuditFilter(kind="extension"))) == ["submission.extension"]
    assert actions(audit_log.search(session=trail, where=AuditFilter(kind="signin"))) == ["user.sign_in"]
    assert actions(audit_log.search(session=trail, where=AuditFilter(kind="scores"))) == [
        "score.save",
        "sheet.reopen",
        "score.save",
        "sheet.submit",
        "score.save",
    ]
    with pytest.raises(ValidationFailed):
        audit_log.search(session=trail, where=AuditFilter(kind="nonsense"))


def test_a_work_filter_finds_its_scores_sheets_and_own_events_but_not_a_work_with_a_similar_id(trail: Session) -> None:
    page = audit_log.search(session=trail, where=AuditFilter(submission_id=15))
    assert [(e.action, e.entity_id) for e in page.entries] == [
        ("score.save", "17:15:4"),
        ("submission.extension", "15"),
        ("sheet.reopen", "7:15"),
        ("sheet.submit", "7:15"),
        ("score.save", "7:15:3"),
    ]
    five = audit_log.search(session=trail, where=AuditFilter(submission_id=5))
    assert [e.entity_id for e in five.entries] == ["7:5:3"]  # not 7:15:3, nor 15


def test_a_person_filter_finds_their_account_and_sheets_and_an_actor_filter_what_they_did(trail: Session) -> None:
    mine = audit_log.search(session=trail, where=AuditFilter(user_id=7))
    assert actions(mine) == ["sheet.reopen", "score.save", "sheet.submit", "score.save", "user.sign_in"]
    by_organiser = audit_log.search(session=trail, where=AuditFilter(actor="organiser"))
    assert actions(by_organiser) == ["awards.confirm", "submission.extension", "sheet.reopen"]
    both = audit_log.search(session=trail, where=AuditFilter(actor="organiser", submission_id=15, kind="override"))
    assert both.total == 0


def test_days_are_bangkok_days_and_pages_count_everything(trail: Session) -> None:
    fourth = audit_log.search(session=trail, where=AuditFilter(since=date(2021, 8, 4), until=date(2021, 8, 4)))
    assert fourth.total == 6 and "awards.confirm" not in actions(fourth)  # 01:30 on the 5th in Bangkok
    fifth = audit_log.search(session=trail, where=AuditFilter(since=date(2021, 8, 5)))
    assert actions(fifth) == ["score.save", "awards.confirm"]
    with pytest.raises(ValidationFailed):
        audit_log.search(session=trail, where=AuditFilter(since=date(2021, 8, 5), until=date(2021, 8, 4)))

    first = audit_log.search(session=trail, offset=0, limit=3)
    second = audit_log.search(session=trail, offset=3, limit=3)
    last = audit_log.search(session=trail, offset=6, limit=3)
    assert (first.total, second.total, last.total) == (8, 8, 8)
    assert len(first.entries) == 3 and len(second.entries) == 3 and len(last.entries) == 2
    seen = [e.entity_id + e.action for p in (first, second, last) for e in p.entries]
    assert len(set(seen)) == 8
    with pytest.raises(ValidationFailed):
        audit_log.search(session=trail, limit=0)


def test_records_written_by_the_audit_writer_are_found(session: Session) -> None:
    audit.record(
        session=session,
        actor="organiser",
        action="schedule.swap",
        entity="pitchslot",
        entity_id=3,
        before={"slot": 1},
        after={"slot": 2},
    )
    session.commit()
    page = audit_log.search(session=session, where=AuditFilter(kind="schedule"))
    assert page.total == 1 and page.entries[0].after == {"slot": 2}
    assert audit_log.action_name("schedule.swap") == "สลับช่วงเวลานำเสนอ"
    assert audit_log.action_name("made.up") == "made.up"
    assert audit_log.actors(session=session) == ["organiser"]


def test_change_text_shows_only_what_changed_in_one_line() -> None:
    assert (
        audit_log.change_text({"state": "submitted"}, {"state": "draft", "reason": "ผิดเกณฑ์"})
        == "state: submitted → draft; reason: ผิดเกณฑ์"
    )
    assert audit_log.change_text(None, {"points": 8.0}) == "points: 8.0"
    assert (
        audit_log.change_text({"points": 1.0, "comment": "ดี"}, {"points": 1.5, "comment": "ดี"}) == "points: 1.0 → 1.5"
    )
    assert audit_log.change_text({"note": "x"}, {}) == "note: x → —"
    assert len(audit_log.change_text(None, {"t": "ก" * 500})) <= 160


def test_csv_opens_in_excel_with_thai_and_no_formulas(trail: Session) -> None:
    data = audit_log.export_csv(session=trail, where=AuditFilter(actor="organiser"))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["รหัสรายการ"] for r in rows] == ["awards.confirm", "submission.extension", "sheet.reopen"]
    assert rows[0]["เวลา (พ.ศ.)"] == "5 สิงหาคม 2564 เวลา 01:30 น."
    assert rows[0]["รายการ"] == "ยืนยันผลรางวัล" and "ทต.ท่าคันโท" in rows[0]["หลัง"]
    assert rows[2]["ก่อน"] == '{"state": "submitted"}'
    # A value an applicant or organiser typed that starts like a formula is text in Excel.
    hostile = audit_log.export_csv(session=trail, where=AuditFilter(kind="reopen"))
    assert b"=HYPERLINK" in hostile
    event(trail, datetime(2021, 9, 1, tzinfo=UTC), "=cmd|' /C calc'!A0", "user.sign_in", "user", "9")
    trail.commit()
    rows = list(
        csv.DictReader(
            io.StringIO(audit_log.export_csv(session=trail, where=AuditFilter(kind="signin")).decode("utf-8-sig"))
        )
    )
    assert rows[0]["ผู้ดำเนินการ"] == "'=cmd|' /C calc'!A0"
