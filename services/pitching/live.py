"""The live pitching session: the organiser sets "now presenting", everyone sees the countdown, judges follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from models import (
    AuditEvent,
    JudgeAssignment,
    LiveSession,
    LiveStage,
    PitchDay,
    PitchSlot,
    Role,
    ScoreSheet,
    SlotKind,
    Submission,
    User,
)
from models.rounds import FIRST_ROUND
from services.judging import rounds
from services.judging.worklist import SheetViewState, view_state
from services.mail import notify as mail_notify
from services.pitching import live_feed, schedule
from services.platform import audit
from services.platform.errors import NotFound, ValidationFailed


@dataclass(frozen=True)
class LiveView:
    id: int
    edition_id: int
    day_id: int
    stage: LiveStage
    slot: schedule.SlotView | None
    next_slot: schedule.SlotView | None
    stage_started_at: datetime | None
    stage_minutes: int
    seconds_left: int | None  # negative once the stage runs over
    started_by: str
    ended_at: datetime | None

    @property
    def submission_id(self) -> int | None:
        return self.slot.work.submission_id if self.slot and self.slot.work else None


def _pitches(session: Session, live: LiveSession) -> list[schedule.SlotView]:
    row = session.get(PitchDay, live.day_id)  # the day's own round: a pitching day belongs to one
    days = schedule.schedule(session=session, edition_id=live.edition_id, round_no=row.round_no if row else None)
    day = next((d for d in days if d.id == live.day_id), None)
    return list(day.pitches) if day else []


def _view(session: Session, live: LiveSession, now: datetime) -> LiveView:
    pitches = _pitches(session, live)
    slot = next((s for s in pitches if s.id == live.current_slot_id), None)
    next_slot = _next_after(pitches, slot)
    minutes = 0
    if slot is not None:
        minutes = (
            slot.presentation_minutes
            if live.stage == LiveStage.presentation
            else (slot.qa_minutes if live.stage == LiveStage.questions else 0)
        )
    return LiveView(
        live.id or 0,
        live.edition_id,
        live.day_id,
        LiveStage(live.stage),
        slot,
        next_slot,
        live.stage_started_at,
        minutes,
        seconds_left(LiveStage(live.stage), live.stage_started_at, minutes, now),
        live.started_by,
        live.ended_at,
    )


def seconds_left(stage: LiveStage, started: datetime | None, minutes: int, now: datetime) -> int | None:
    """The stage's countdown at `now` (negative once over time); None when nothing is being timed."""
    if started is None or stage not in (LiveStage.presentation, LiveStage.questions):
        return None
    return int((started + timedelta(minutes=minutes) - now).total_seconds())


def _next_after(pitches: list[schedule.SlotView], slot: schedule.SlotView | None) -> schedule.SlotView | None:
    if slot is None:
        return pitches[0] if pitches else None
    same_room = [s for s in pitches if s.room == slot.room]
    later = [s for s in same_room if s.starts_at > slot.starts_at]
    return later[0] if later else None


def _live(session: Session, live_id: int) -> LiveSession:
    live = session.get(LiveSession, live_id)
    if live is None:
        raise NotFound("no_live", "ไม่พบการนำเสนอสดนี้", "No such live session.")
    if live.ended_at is not None:
        raise ValidationFailed("live_ended", "การนำเสนอสดนี้จบแล้ว", "This live session has ended.")
    return live


def current(*, session: Session, edition_id: int, now: datetime | None = None) -> LiveView | None:
    """The edition's running session, if any (what the judges' pages follow)."""
    live = session.exec(
        select(LiveSession)
        .where(LiveSession.edition_id == edition_id, col(LiveSession.ended_at).is_(None))
        .order_by(col(LiveSession.id).desc())
    ).first()
    return _view(session, live, now or datetime.now(UTC)) if live else None


def start(*, session: Session, edition_id: int, day_id: int, actor: str, now: datetime | None = None) -> LiveView:
    day = session.get(PitchDay, day_id)
    if day is None or day.edition_id != edition_id:
        raise NotFound.pitch_day()
    if current(session=session, edition_id=edition_id) is not None:
        raise ValidationFailed(
            "live_running",
            "มีการนำเสนอสดที่ยังไม่จบอยู่แล้ว กรุณาจบรอบเดิมก่อน",
            "A live session is already running; end it first.",
        )
    live = LiveSession(edition_id=edition_id, day_id=day_id, started_by=actor, started_at=now or datetime.now(UTC))
    session.add(live)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="live.start",
        entity="livesession",
        entity_id=live.id,
        after={"day": str(day.day)},
    )
    live_feed.announce(session)
    session.commit()
    live_feed.changed(session)
    return _view(session, live, now or datetime.now(UTC))


def _set(
    session: Session, live: LiveSession, slot_id: int | None, stage: LiveStage, actor: str, now: datetime
) -> LiveView:
    before = {"slot": live.current_slot_id, "stage": str(live.stage)}
    live.current_slot_id, live.stage, live.stage_started_at = slot_id, stage, now
    session.add(live)
    audit.record(
        session=session,
        actor=actor,
        action="live.stage",
        entity="livesession",
        entity_id=live.id,
        before=before,
        after={"slot": slot_id, "stage": stage.value},
    )
    live_feed.announce(session)
    session.commit()
    live_feed.changed(session)
    return _view(session, live, now)


def present(*, session: Session, live_id: int, slot_id: int, actor: str, now: datetime | None = None) -> LiveView:
    """Set "now presenting": the presentation countdown starts and the judges' pages move to this work."""
    live = _live(session, live_id)
    slot = session.get(PitchSlot, slot_id)
    if slot is None or slot.day_id != live.day_id or slot.kind != SlotKind.pitch or slot.submission_id is None:
        raise ValidationFailed("bad_slot", "เลือกได้เฉพาะช่วงนำเสนอของวันนี้", "Choose a presentation of this day.")
    return _set(session, live, slot_id, LiveStage.presentation, actor, now or datetime.now(UTC))


def questions(*, session: Session, live_id: int, actor: str, now: datetime | None = None) -> LiveView:
    live = _live(session, live_id)
    if live.current_slot_id is None:
        raise ValidationFailed("nothing_presenting", "ยังไม่ได้เลือกผลงานที่กำลังนำเสนอ", "Nothing is being presented.")
    return _set(session, live, live.current_slot_id, LiveStage.questions, actor, now or datetime.now(UTC))


def advance(*, session: Session, live_id: int, actor: str, now: datetime | None = None) -> LiveView:
    """Move to the next presentation in the same room; after the last one the session waits (idle)."""
    live = _live(session, live_id)
    view = _view(session, live, now or datetime.now(UTC))
    if view.next_slot is None:
        return _set(session, live, live.current_slot_id, LiveStage.idle, actor, now or datetime.now(UTC))
    return _set(session, live, view.next_slot.id, LiveStage.presentation, actor, now or datetime.now(UTC))


def end(*, session: Session, live_id: int, actor: str, now: datetime | None = None) -> None:
    live = _live(session, live_id)
    live.ended_at, live.stage = now or datetime.now(UTC), LiveStage.ended
    session.add(live)
    audit.record(session=session, actor=actor, action="live.end", entity="livesession", entity_id=live_id)
    live_feed.announce(session)
    session.commit()
    live_feed.changed(session)


@dataclass(frozen=True)
class JudgeStatus:
    judge_id: int
    display_name: str
    agency: str
    state: SheetViewState


def sheet_status(*, session: Session, submission_id: int) -> list[JudgeStatus]:
    """For one presentation: each assigned judge's sheet in the current round, so the organiser can remind those
    without one."""
    sub = session.get(Submission, submission_id)
    round_no = rounds.current_round_no(session=session, edition_id=sub.edition_id) if sub else FIRST_ROUND
    judges = session.exec(
        select(User)
        .join(JudgeAssignment, col(JudgeAssignment.judge_id) == col(User.id))
        .where(
            JudgeAssignment.submission_id == submission_id,
            JudgeAssignment.round_no == round_no,
            User.role == Role.judge,
            col(User.active),
        )
        .order_by(col(User.username))
    ).all()
    states = {
        s.judge_id: view_state(s.state)
        for s in session.exec(
            select(ScoreSheet).where(ScoreSheet.submission_id == submission_id, ScoreSheet.round_no == round_no)
        )
    }
    return [JudgeStatus(j.id or 0, j.display_name, j.agency, states.get(j.id or 0, "none")) for j in judges]


REMIND_ACTIONS = live_feed.REMIND_ACTIONS


def remind(
    *,
    session: Session,
    judge_ids: list[int],
    actor: str,
    submission_id: int | None = None,
    edition_id: int | None = None,
    live_session: bool = True,
) -> int:
    """Leave each judge a reminder, for one work (a presentation) or, submission_id None, for every sheet they owe;
    their scoring page shows it, with or without a live session running (e-mail follows when the project can send
    mail). live_session False records it as the judging desk's reminder."""
    action = "live.remind" if live_session else "judging.remind"
    for judge_id in judge_ids:
        audit.record(
            session=session,
            actor=actor,
            action=action,
            entity="user",
            entity_id=judge_id,
            after={"submission_id": submission_id or 0, "edition_id": edition_id},
        )
    if not live_session:  # the desk's reminder also goes by e-mail; a live session's is seen on screen at once
        mail_notify.judges_reminded(session=session, judge_ids=judge_ids, edition_id=edition_id)
    live_feed.announce(session)
    session.commit()
    live_feed.changed(session)
    return len(judge_ids)


@dataclass(frozen=True)
class Reminder:
    at: datetime
    submission_id: int  # 0: every sheet the judge still owes
    by: str
    live: bool = True  # False: from the judging-completeness desk


def reminders_for(
    *, session: Session, judge_id: int, since: datetime, actions: tuple[str, ...] = REMIND_ACTIONS
) -> list[Reminder]:
    """The judge's reminders since `since`, newest first: the live session's and the desk's."""
    rows = session.exec(
        select(AuditEvent)
        .where(
            col(AuditEvent.action).in_(actions),
            AuditEvent.entity == "user",
            AuditEvent.entity_id == str(judge_id),
            AuditEvent.at >= since,
        )
        .order_by(col(AuditEvent.id).desc())
    ).all()
    return [
        Reminder(r.at, int((r.after or {}).get("submission_id") or 0), r.actor, r.action == "live.remind") for r in rows
    ]
