"""The live session: now presenting, countdown, advancing, sheet status per judge, reminders."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from models import LiveStage, User
from services.contest import editions
from services.judging import sheets
from services.pitching import live, schedule
from services.platform.errors import ValidationFailed

T0 = datetime(2021, 8, 4, 2, 0, tzinfo=UTC)  # 09:00 in Bangkok


@pytest.fixture
def day(demo_session):
    edition = editions.current_edition(session=demo_session)
    days = schedule.generate(
        session=demo_session,
        edition_id=edition.id,
        actor="organiser",
        params=schedule.ScheduleParams(days=(date(2021, 8, 4), date(2021, 8, 5), date(2021, 8, 6))),
    )
    return demo_session, edition, days[0]


def test_present_starts_the_countdown_and_names_the_work(day):
    session, edition, d = day
    running = live.start(session=session, edition_id=edition.id, day_id=d.id, actor="organiser", now=T0)
    assert running.stage == LiveStage.idle and running.next_slot.id == d.pitches[0].id
    now = live.present(session=session, live_id=running.id, slot_id=d.pitches[0].id, actor="organiser", now=T0)
    assert now.submission_id == d.pitches[0].work.submission_id
    assert (now.stage, now.stage_minutes, now.seconds_left) == (LiveStage.presentation, 15, 15 * 60)
    seen_later = live.current(session=session, edition_id=edition.id, now=T0 + timedelta(minutes=16))
    assert seen_later.seconds_left == -60  # a minute over time
    qa = live.questions(session=session, live_id=running.id, actor="organiser", now=T0 + timedelta(minutes=16))
    assert (qa.stage, qa.stage_minutes, qa.seconds_left) == (LiveStage.questions, 10, 600)


def test_advance_walks_the_days_presentations_in_order_then_waits(day):
    session, edition, d = day
    running = live.start(session=session, edition_id=edition.id, day_id=d.id, actor="organiser", now=T0)
    order = []
    view = running
    for _ in range(len(d.pitches) + 1):
        view = live.advance(session=session, live_id=running.id, actor="organiser", now=T0)
        order.append(view.submission_id if view.stage == LiveStage.presentation else None)
    assert order[:-1] == [s.work.submission_id for s in d.pitches]
    assert order[-1] is None and view.stage == LiveStage.idle


def test_only_one_session_runs_at_a_time_and_an_ended_one_refuses_changes(day):
    session, edition, d = day
    running = live.start(session=session, edition_id=edition.id, day_id=d.id, actor="organiser")
    with pytest.raises(ValidationFailed) as e:
        live.start(session=session, edition_id=edition.id, day_id=d.id, actor="organiser")
    assert e.value.code == "live_running"
    live.end(session=session, live_id=running.id, actor="organiser")
    assert live.current(session=session, edition_id=edition.id) is None
    with pytest.raises(ValidationFailed):
        live.advance(session=session, live_id=running.id, actor="organiser")


def test_a_break_cannot_be_presented(day):
    session, edition, d = day
    pause = next(s for s in d.slots if s.work is None)
    running = live.start(session=session, edition_id=edition.id, day_id=d.id, actor="organiser")
    with pytest.raises(ValidationFailed):
        live.present(session=session, live_id=running.id, slot_id=pause.id, actor="organiser")


def test_sheet_status_shows_who_still_has_to_score_and_reminders_reach_them(day):
    session, _, d = day
    sub_id = d.pitches[0].work.submission_id
    status = {s.display_name: s.state for s in live.sheet_status(session=session, submission_id=sub_id)}
    assert len(status) == 10
    assert sorted(status.values()).count("submitted") == 9
    dga = session.exec(select(User).where(User.username == "judge-dga")).one()
    sheets.save_sheet(
        session=session,
        judge_id=dga.id,
        submission_id=sub_id,
        points={editions.current_edition(session=session).scored_criteria[0].id: 5},
        actor="judge-dga",
    )
    states = {s.judge_id: s.state for s in live.sheet_status(session=session, submission_id=sub_id)}
    assert states[dga.id] == "draft"
    assert live.remind(session=session, submission_id=sub_id, judge_ids=[dga.id], actor="organiser") == 1
    got = live.reminders_for(session=session, judge_id=dga.id, since=T0)
    assert [(r.submission_id, r.by) for r in got] == [(sub_id, "organiser")]
