"""The pitching schedule on the 2564 demo: generated, moved by hand, published, seen by applicants, exported."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from models import AuditEvent, SlotKind
from services.contest import editions
from services.pitching import schedule
from services.platform.errors import ValidationFailed
from services.thai.dates import to_bangkok

DAYS = (date(2021, 8, 4), date(2021, 8, 5), date(2021, 8, 6))


@pytest.fixture
def planned(demo_session):
    edition = editions.current_edition(session=demo_session)
    days = schedule.generate(
        session=demo_session,
        edition_id=edition.id,
        actor="organiser",
        params=schedule.ScheduleParams(days=DAYS, meeting_url="https://meet.example.go.th/lda"),
    )
    return demo_session, edition, days


def test_generating_places_all_45_works_over_three_days(planned):
    session, _, days = planned
    assert [d.day for d in days] == list(DAYS)
    works = [s.work.submission_id for d in days for s in d.pitches]
    assert len(works) == len(set(works)) == 45
    first = days[0].pitches[0]
    assert f"{to_bangkok(first.starts_at):%H:%M}" == "09:00"
    assert first.work.province == "กาฬสินธุ์"  # Thai order of provinces, as the announcement lists them
    assert first.meeting_url == "https://meet.example.go.th/lda"
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "schedule.generate")).one()


def test_regenerating_replaces_an_unpublished_draft(planned):
    session, edition, _ = planned
    again = schedule.generate(
        session=session, edition_id=edition.id, actor="organiser", params=schedule.ScheduleParams(days=DAYS, rooms=2)
    )
    assert {d.rooms for d in again} == {2}
    assert len([s for d in again for s in d.pitches]) == 45


def test_swapping_two_works_keeps_the_times(planned):
    session, edition, days = planned
    a, b = days[0].pitches[0], days[1].pitches[3]
    schedule.swap_works(session=session, slot_a=a.id, slot_b=b.id, actor="organiser")
    after = {s.id: s for d in schedule.schedule(session=session, edition_id=edition.id) for s in d.slots}
    assert after[a.id].work.submission_id == b.work.submission_id
    assert after[b.id].work.submission_id == a.work.submission_id
    assert after[a.id].starts_at == a.starts_at
    assert after[a.id].changed_after_publish_at is None  # nothing published yet


def test_a_move_onto_another_slot_is_refused_and_nothing_changes(planned):
    session, edition, days = planned
    first, second = days[0].pitches[0], days[0].pitches[1]
    with pytest.raises(ValidationFailed) as e:
        schedule.move_slot(
            session=session, slot_id=first.id, starts_at=second.starts_at + timedelta(minutes=5), actor="organiser"
        )
    assert e.value.code == "schedule_clash"
    session.rollback()
    unchanged = {s.id: s for d in schedule.schedule(session=session, edition_id=edition.id) for s in d.slots}
    assert unchanged[first.id].starts_at == first.starts_at


def test_applicants_see_their_slot_only_once_published_and_changes_are_marked(planned):
    session, _, days = planned
    slot = days[1].pitches[0]
    sub_id = slot.work.submission_id
    assert schedule.slot_for_submission(session=session, submission_id=sub_id) is None
    schedule.publish(session=session, day_id=days[1].id, published=True, actor="organiser")
    seen = schedule.slot_for_submission(session=session, submission_id=sub_id)
    assert seen is not None and seen.starts_at == slot.starts_at and seen.changed_after_publish_at is None
    last = days[1].slots[-1]
    later = last.ends_at + timedelta(minutes=30)
    with pytest.raises(ValidationFailed) as e:  # a slot moves within its own day
        schedule.move_slot(
            session=session, slot_id=slot.id, starts_at=datetime(2021, 8, 6, 2, tzinfo=UTC), actor="organiser"
        )
    assert e.value.code == "other_day"
    session.rollback()
    schedule.move_slot(session=session, slot_id=slot.id, starts_at=later, actor="organiser")
    moved = schedule.slot_for_submission(session=session, submission_id=sub_id)
    assert moved.starts_at == later and moved.changed_after_publish_at is not None
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "schedule.move")).one()
    assert event.after["published"] is True


def test_generating_over_a_published_schedule_is_refused(planned):
    session, edition, days = planned
    schedule.publish(session=session, day_id=days[0].id, published=True, actor="organiser")
    with pytest.raises(ValidationFailed) as e:
        schedule.generate(
            session=session, edition_id=edition.id, actor="organiser", params=schedule.ScheduleParams(days=DAYS)
        )
    assert e.value.code == "schedule_published"


def test_meeting_links_must_be_web_addresses(planned):
    session, edition, days = planned
    with pytest.raises(ValidationFailed):
        schedule.set_meeting_url(session=session, day_id=days[0].id, url="javascript:alert(1)", actor="organiser")
    schedule.set_meeting_url(
        session=session,
        day_id=days[0].id,
        slot_id=days[0].pitches[0].id,
        url="https://meet.example.go.th/room-2",
        actor="organiser",
    )
    again = schedule.schedule(session=session, edition_id=edition.id)
    assert again[0].pitches[0].meeting_url == "https://meet.example.go.th/room-2"
    assert again[0].pitches[1].meeting_url == "https://meet.example.go.th/lda"


def test_calendar_has_one_event_per_presentation_in_bangkok_time(planned):
    _, edition, days = planned
    ics = schedule.to_ics(days, calendar_name=edition.name, stamp=datetime(2021, 7, 20, tzinfo=UTC))
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert ics.count("BEGIN:VEVENT") == 45
    assert "DTSTART;TZID=Asia/Bangkok:20210804T090000" in ics
    assert "DTEND;TZID=Asia/Bangkok:20210804T092500" in ics
    assert "TZOFFSETTO:+0700" in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    unfolded = ics.replace("\r\n ", "")
    assert "SUMMARY:นำเสนอผลงาน ทต.ท่าคันโท: โครงการนวัตกรรมพิกัดชีวิตพิกัดฉุกเฉิน" in unfolded


def test_agenda_is_thai_and_escapes_what_users_typed(planned):
    _, _, days = planned
    html_text = schedule.agenda_html(days, title="กำหนดการ <b>นำเสนอ</b>")
    assert "วันพุธที่ 4 สิงหาคม 2564" in html_text
    assert "09:00–09:25 น." in html_text
    assert "พักรับประทานอาหารกลางวัน" in html_text
    assert "<b>นำเสนอ</b>" not in html_text and "&lt;b&gt;" in html_text


def test_breaks_are_rows_of_their_own(planned):
    _, _, days = planned
    kinds = [s.kind for s in days[0].slots]
    assert SlotKind.pause in kinds
    assert kinds[0] == SlotKind.pitch and kinds[-1] == SlotKind.pitch
