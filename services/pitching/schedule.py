"""Pitching schedule: a first draft from the works in the contest, hand moves, publishing, calendar and agenda."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

from sqlmodel import Session, col, func, select

from models import Organisation, PitchDay, PitchSlot, SlotKind, Submission, SubmissionStatus
from services.judging import rounds
from services.mail import notify as mail_notify
from services.pitching import phrases
from services.platform import audit
from services.platform.clock import contest_now
from services.platform.errors import NotFound, ValidationFailed
from services.thai.collation import thai_sort_key
from services.thai.dates import BANGKOK, format_thai_day, format_thai_time, to_bangkok

# The works that are presented: in the contest and not rejected or withdrawn.
SCHEDULED_STATUSES = (SubmissionStatus.submitted, SubmissionStatus.accepted)
LUNCH_LABEL_MINUTES = 45  # a break this long is shown as the lunch break


@dataclass(frozen=True)
class ScheduleParams:
    days: tuple[date, ...]
    start: time = time(9, 0)
    end: time = time(17, 0)
    presentation_minutes: int = 15
    qa_minutes: int = 10
    break_after: int = 4  # a short break after this many presentations in a row (0: none)
    break_minutes: int = 10
    lunch_start: time | None = time(12, 0)
    lunch_minutes: int = 60
    rooms: int = 1
    group_by: str = "province"  # or "category"
    meeting_url: str = ""

    @property
    def slot_minutes(self) -> int:
        return self.presentation_minutes + self.qa_minutes


@dataclass(frozen=True)
class WorkRef:
    submission_id: int
    organisation_id: int
    province: str
    category: str
    organisation: str


@dataclass(frozen=True)
class PlannedSlot:
    day: date
    room: int
    kind: SlotKind
    submission_id: int | None
    starts_at: datetime  # aware, Asia/Bangkok
    presentation_minutes: int
    qa_minutes: int

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.presentation_minutes + self.qa_minutes)


def _check_params(params: ScheduleParams) -> None:
    if not params.days:
        raise ValidationFailed("no_days", "กรุณาเลือกวันนำเสนออย่างน้อย 1 วัน", "Choose at least one day.")
    if params.slot_minutes <= 0 or params.presentation_minutes < 0 or params.qa_minutes < 0:
        raise ValidationFailed(
            "bad_lengths",
            "เวลานำเสนอและตอบคำถามต้องมากกว่า 0 นาที",
            "Presentation and questions must last more than 0 minutes.",
        )
    if params.rooms < 1:
        raise ValidationFailed("bad_rooms", "ต้องมีห้องนำเสนออย่างน้อย 1 ห้อง", "At least one room.")
    if params.end <= params.start:
        raise ValidationFailed("bad_hours", "เวลาเลิกต้องอยู่หลังเวลาเริ่ม", "The day must end after it starts.")


def day_timetable(day: date, params: ScheduleParams) -> list[PlannedSlot]:
    """The day's rows for one room: presentation times with the short breaks and lunch between them."""
    at = datetime.combine(day, params.start, BANGKOK)
    end = datetime.combine(day, params.end, BANGKOK)
    lunch = (
        (
            datetime.combine(day, params.lunch_start, BANGKOK),
            datetime.combine(day, params.lunch_start, BANGKOK) + timedelta(minutes=params.lunch_minutes),
        )
        if params.lunch_start and params.lunch_minutes > 0
        else None
    )
    rows: list[PlannedSlot] = []
    in_a_row = 0
    had_lunch = False
    while True:
        if lunch and not had_lunch and at + timedelta(minutes=params.slot_minutes) > lunch[0]:
            rows.append(
                PlannedSlot(
                    day, 1, SlotKind.pause, None, max(at, lunch[0]) if at < lunch[1] else at, params.lunch_minutes, 0
                )
            )
            at, in_a_row, had_lunch = max(at, lunch[1]), 0, True
            continue
        room_after_break = at + timedelta(minutes=params.break_minutes + params.slot_minutes) <= end
        if params.break_after and in_a_row >= params.break_after and room_after_break:
            rows.append(PlannedSlot(day, 1, SlotKind.pause, None, at, params.break_minutes, 0))
            at += timedelta(minutes=params.break_minutes)
            in_a_row = 0
            continue
        if at + timedelta(minutes=params.slot_minutes) > end:
            break
        rows.append(PlannedSlot(day, 1, SlotKind.pitch, None, at, params.presentation_minutes, params.qa_minutes))
        at += timedelta(minutes=params.slot_minutes)
        in_a_row += 1
    while rows and rows[-1].kind == SlotKind.pause:  # a break with nothing after it is not a break
        rows.pop()
    return rows


def order_works(works: Sequence[WorkRef], group_by: str) -> list[WorkRef]:
    """Grouped by province (Thai dictionary order) or by category, an organisation's works side by side."""

    def key(w: WorkRef) -> tuple[object, ...]:
        province = thai_sort_key(w.province)
        organisation = thai_sort_key(w.organisation)
        if group_by == "category":
            return (w.category.casefold(), province, organisation, w.submission_id)
        return (province, organisation, w.submission_id)

    return sorted(works, key=key)


def plan(works: Sequence[WorkRef], params: ScheduleParams) -> list[PlannedSlot]:
    """Place every work once; rooms run in parallel on one timetable and never hold two works of one
    organisation at the same time. The works are spread evenly over the days chosen (46 works on four days: 12,
    12, 11, 11, not three full days and one work alone on the fourth). Raises when the days cannot hold them all."""
    _check_params(params)
    queue = order_works(works, params.group_by)
    planned: list[PlannedSlot] = []
    days = sorted(params.days)
    for left, day in zip(range(len(days), 0, -1), days, strict=True):
        quota = -(-len(queue) // left)  # this day's even share of what is left
        for row in day_timetable(day, params):
            if row.kind == SlotKind.pause:
                if quota:
                    planned.extend(replace(row, room=r) for r in range(1, params.rooms + 1))
                continue
            busy: set[int] = set()
            for room in range(1, params.rooms + 1):
                pick = next((w for w in queue if w.organisation_id not in busy), None) if quota else None
                if pick is None:
                    break
                queue.remove(pick)
                busy.add(pick.organisation_id)
                planned.append(replace(row, room=room, submission_id=pick.submission_id))
                quota -= 1
            if not quota:
                break
        while planned and planned[-1].kind == SlotKind.pause:  # a day ends on a presentation, not a break
            planned.pop()
    if queue:
        placed = len(works) - len(queue)
        raise ValidationFailed(
            "schedule_too_small",
            f"จัดได้ {placed} จาก {len(works)} ผลงาน กรุณาเพิ่มวัน ห้อง หรือขยายเวลาในแต่ละวัน",
            f"Only {placed} of {len(works)} works fit: add days or rooms, or lengthen the days.",
        )
    return planned


def days_needed(works: int, params: ScheduleParams) -> int:
    """How many days of params' timetable hold `works` works (at least one): the schedule form's first guess."""
    per_day = sum(r.kind == SlotKind.pitch for r in day_timetable(min(params.days), params)) * params.rooms
    return max(1, -(-works // per_day)) if per_day else 1


def overlap_problems(slots: Sequence[PlannedSlot], organisation_of: dict[int, int]) -> list[str]:
    """Every clash in a schedule: two rows at once in one room, one organisation in two rooms at once,
    a work presented twice."""
    problems: list[str] = []
    by_room: dict[tuple[date, int], list[PlannedSlot]] = {}
    for s in slots:
        by_room.setdefault((s.day, s.room), []).append(s)
    for (day, room), rows in by_room.items():
        rows.sort(key=lambda s: s.starts_at)
        for a, b in pairwise(rows):
            if b.starts_at < a.ends_at:
                problems.append(
                    f"{day} ห้อง {room}: {format_thai_time(a.starts_at)} ซ้อนกับ {format_thai_time(b.starts_at)}"
                )
    pitches = [s for s in slots if s.kind == SlotKind.pitch and s.submission_id is not None]
    seen: set[int] = set()
    for s in pitches:
        if s.submission_id in seen:
            problems.append(f"ผลงาน {s.submission_id} มีมากกว่า 1 ช่วงเวลา")
        seen.add(s.submission_id)  # type: ignore[arg-type]
    for i, a in enumerate(pitches):
        for b in pitches[i + 1 :]:
            same_org = organisation_of.get(a.submission_id or 0) == organisation_of.get(b.submission_id or 0)
            if same_org and a.room != b.room and a.starts_at < b.ends_at and b.starts_at < a.ends_at:
                problems.append(
                    f"หน่วยงานเดียวกันนำเสนอพร้อมกัน {format_thai_time(a.starts_at)} (ห้อง {a.room} และ {b.room})"
                )
    return problems


# ---- persistence ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotWork:
    submission_id: int
    title: str
    short_name: str
    organisation: str
    organisation_id: int
    province: str
    category: str
    receipt_code: str


@dataclass(frozen=True)
class SlotView:
    id: int
    day_id: int
    day: date
    room: int
    kind: SlotKind
    starts_at: datetime
    presentation_minutes: int
    qa_minutes: int
    meeting_url: str
    work: SlotWork | None
    published: bool
    changed_after_publish_at: datetime | None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.presentation_minutes + self.qa_minutes)

    @property
    def is_lunch(self) -> bool:
        return self.kind == SlotKind.pause and self.presentation_minutes >= LUNCH_LABEL_MINUTES

    def as_planned(self) -> PlannedSlot:
        return PlannedSlot(
            self.day,
            self.room,
            self.kind,
            self.work.submission_id if self.work else None,
            self.starts_at,
            self.presentation_minutes,
            self.qa_minutes,
        )


@dataclass(frozen=True)
class DayView:
    id: int
    day: date
    start_time: time
    rooms: int
    meeting_url: str
    published_at: datetime | None
    slots: tuple[SlotView, ...]

    @property
    def pitches(self) -> tuple[SlotView, ...]:
        return tuple(s for s in self.slots if s.kind == SlotKind.pitch and s.work is not None)


def works_to_present(*, session: Session, edition_id: int, round_no: int | None = None) -> int:
    """How many works a schedule generated now would hold (those in the contest, not rejected or withdrawn; in a
    later round, those the round before advanced)."""
    stmt = (
        select(func.count())
        .select_from(Submission)
        .where(Submission.edition_id == edition_id, col(Submission.status).in_(SCHEDULED_STATUSES))
    )
    admitted = _admitted(session, edition_id, round_no)
    if admitted is not None:
        stmt = stmt.where(col(Submission.id).in_(sorted(admitted)))
    return session.exec(stmt).one()


def _round(session: Session, edition_id: int, round_no: int | None) -> int:
    return rounds.current_round_no(session=session, edition_id=edition_id) if round_no is None else round_no


def _admitted(session: Session, edition_id: int, round_no: int | None) -> frozenset[int] | None:
    return rounds.works_in_round(session=session, edition_id=edition_id, round_no=_round(session, edition_id, round_no))


def _works(session: Session, edition_id: int, round_no: int | None = None) -> dict[int, SlotWork]:
    stmt = (
        select(Submission, Organisation)
        .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
        .where(Submission.edition_id == edition_id, col(Submission.status).in_(SCHEDULED_STATUSES))
    )
    admitted = _admitted(session, edition_id, round_no)
    if admitted is not None:
        stmt = stmt.where(col(Submission.id).in_(sorted(admitted)))
    rows = session.exec(stmt).all()
    return {
        s.id or 0: SlotWork(
            s.id or 0, s.title, o.short_name, o.full_name, o.id or 0, o.province, s.category, s.receipt_code
        )
        for s, o in rows
    }


def schedule(*, session: Session, edition_id: int, round_no: int | None = None) -> list[DayView]:
    """The pitching days of round_no (the current round when None), with their slots."""
    round_no = _round(session, edition_id, round_no)
    days = session.exec(
        select(PitchDay)
        .where(PitchDay.edition_id == edition_id, PitchDay.round_no == round_no)
        .order_by(col(PitchDay.day))
    ).all()
    if not days:
        return []
    works = _works(session, edition_id, round_no)
    slots = session.exec(
        select(PitchSlot)
        .where(col(PitchSlot.day_id).in_([d.id for d in days]))
        .order_by(col(PitchSlot.starts_at), col(PitchSlot.room))
    ).all()
    by_day: dict[int, list[SlotView]] = {}
    day_of = {d.id: d for d in days}
    for s in slots:
        d = day_of[s.day_id]
        by_day.setdefault(s.day_id, []).append(
            SlotView(
                s.id or 0,
                s.day_id,
                d.day,
                s.room,
                SlotKind(s.kind),
                s.starts_at,
                s.presentation_minutes,
                s.qa_minutes,
                s.meeting_url or d.meeting_url,
                works.get(s.submission_id) if s.submission_id else None,
                d.published_at is not None,
                s.changed_after_publish_at,
            )
        )
    return [
        DayView(
            d.id or 0, d.day, d.start_time, d.rooms, d.meeting_url, d.published_at, tuple(by_day.get(d.id or 0, []))
        )
        for d in days
    ]


def generate(
    *, session: Session, edition_id: int, params: ScheduleParams, actor: str, round_no: int | None = None
) -> list[DayView]:
    """Replace the unpublished schedule of round_no (the current round when None) with a first draft holding every
    work of that round; other rounds' days are left as they are."""
    round_no = _round(session, edition_id, round_no)
    existing = session.exec(
        select(PitchDay).where(PitchDay.edition_id == edition_id, PitchDay.round_no == round_no)
    ).all()
    if any(d.published_at for d in existing):
        raise ValidationFailed(
            "schedule_published",
            "กำหนดการถูกเผยแพร่แล้ว: ยกเลิกการเผยแพร่ก่อนสร้างใหม่ หรือย้ายช่วงเวลาทีละรายการ",
            "The schedule is published: unpublish it before regenerating, or move slots one by one.",
        )
    works = _works(session, edition_id, round_no)
    if not works:
        raise ValidationFailed("no_works", "ยังไม่มีผลงานที่จะนำเสนอ", "There are no works to schedule yet.")
    planned = plan(
        [WorkRef(w.submission_id, w.organisation_id, w.province, w.category, w.short_name) for w in works.values()],
        params,
    )
    for d in existing:
        session.delete(d)
    session.flush()
    day_ids: dict[date, int] = {}
    for day in sorted({p.day for p in planned}):
        row = PitchDay(
            edition_id=edition_id,
            round_no=round_no,
            day=day,
            start_time=params.start,
            rooms=params.rooms,
            meeting_url=params.meeting_url.strip(),
        )
        session.add(row)
        session.flush()
        day_ids[day] = row.id or 0
    for p in planned:
        session.add(
            PitchSlot(
                day_id=day_ids[p.day],
                room=p.room,
                kind=p.kind,
                submission_id=p.submission_id,
                starts_at=p.starts_at.astimezone(UTC),
                presentation_minutes=p.presentation_minutes,
                qa_minutes=p.qa_minutes,
            )
        )
    audit.record(
        session=session,
        actor=actor,
        action="schedule.generate",
        entity="edition",
        entity_id=edition_id,
        after={
            "days": [str(d) for d in day_ids],
            "works": len(works),
            "rooms": params.rooms,
            "group_by": params.group_by,
            **rounds.audit_fields(round_no),
        },
    )
    session.commit()
    return schedule(session=session, edition_id=edition_id, round_no=round_no)


def _slot(session: Session, slot_id: int) -> tuple[PitchSlot, PitchDay]:
    slot = session.get(PitchSlot, slot_id)
    day = session.get(PitchDay, slot.day_id) if slot else None
    if slot is None or day is None:
        raise NotFound("no_slot", "ไม่พบช่วงเวลานี้", "No such slot.")
    return slot, day


def _changed(session: Session, slots: Sequence[PitchSlot], days: Sequence[PitchDay], now: datetime) -> None:
    published = {d.id for d in days if d.published_at}
    for s in slots:
        if s.day_id in published:
            s.changed_after_publish_at = now
            session.add(s)


def _ensure_consistent(session: Session, edition_id: int, round_no: int) -> None:
    days = schedule(session=session, edition_id=edition_id, round_no=round_no)
    slots = [s for d in days for s in d.slots]
    problems = overlap_problems(
        [s.as_planned() for s in slots], {s.work.submission_id: s.work.organisation_id for s in slots if s.work}
    )
    if problems:
        raise ValidationFailed(
            "schedule_clash",
            "ย้ายไม่ได้เพราะเวลาจะซ้อนกัน: " + "; ".join(problems),
            "That move would make slots clash: " + "; ".join(problems),
        )


def swap_works(*, session: Session, slot_a: int, slot_b: int, actor: str, now: datetime | None = None) -> None:
    """Exchange the works of two presentation slots (the usual hand move: 'present at that time instead')."""
    a, day_a = _slot(session, slot_a)
    b, day_b = _slot(session, slot_b)
    if day_a.edition_id != day_b.edition_id or SlotKind.pause in (a.kind, b.kind):
        raise ValidationFailed(
            "bad_swap",
            "สลับได้เฉพาะช่วงนำเสนอของรุ่นการประกวดเดียวกัน",
            "Only presentation slots of one edition can be swapped.",
        )
    before = {"a": a.submission_id, "b": b.submission_id}
    a.submission_id, b.submission_id = b.submission_id, a.submission_id
    session.add_all([a, b])
    _changed(session, [a, b], [day_a, day_b], now or contest_now())
    session.flush()
    _ensure_consistent(session, day_a.edition_id, day_a.round_no)
    audit.record(
        session=session,
        actor=actor,
        action="schedule.swap",
        entity="pitchslot",
        entity_id=f"{slot_a}:{slot_b}",
        before=before,
        after={"a": a.submission_id, "b": b.submission_id, "published": bool(day_a.published_at)},
    )
    mail_notify.pitching_slots(session=session, edition_id=day_a.edition_id, slot_ids={slot_a, slot_b}, changed=True)
    session.commit()


def move_slot(
    *,
    session: Session,
    slot_id: int,
    starts_at: datetime,
    room: int | None = None,
    actor: str,
    now: datetime | None = None,
) -> None:
    """Give a slot a new start time (and room); refused if it would clash with another slot."""
    slot, day = _slot(session, slot_id)
    if to_bangkok(starts_at).date() != day.day:
        raise ValidationFailed("other_day", "ย้ายได้ภายในวันเดียวกันเท่านั้น", "A slot moves within its day only.")
    if room is not None and not 1 <= room <= day.rooms:
        raise ValidationFailed("bad_room", f"วันนี้มีห้อง 1 ถึง {day.rooms}", f"This day has rooms 1 to {day.rooms}.")
    before = {"starts_at": slot.starts_at.isoformat(), "room": slot.room}
    slot.starts_at = starts_at.astimezone(UTC)
    slot.room = room or slot.room
    session.add(slot)
    _changed(session, [slot], [day], now or contest_now())
    session.flush()
    _ensure_consistent(session, day.edition_id, day.round_no)
    audit.record(
        session=session,
        actor=actor,
        action="schedule.move",
        entity="pitchslot",
        entity_id=slot_id,
        before=before,
        after={"starts_at": slot.starts_at.isoformat(), "room": slot.room, "published": bool(day.published_at)},
    )
    mail_notify.pitching_slots(session=session, edition_id=day.edition_id, slot_ids={slot_id}, changed=True)
    session.commit()


def set_meeting_url(*, session: Session, day_id: int, url: str, slot_id: int | None = None, actor: str) -> None:
    url = url.strip()
    if url and not url.startswith(("https://", "http://")):
        raise ValidationFailed("bad_url", "ลิงก์ห้องประชุมต้องขึ้นต้นด้วย https://", "A meeting link starts with https://.")
    day = session.get(PitchDay, day_id)
    if day is None:
        raise NotFound.pitch_day()
    target: PitchDay | PitchSlot = day
    if slot_id is not None:
        target, _ = _slot(session, slot_id)
    before = {"meeting_url": target.meeting_url}
    target.meeting_url = url
    session.add(target)
    audit.record(
        session=session,
        actor=actor,
        action="schedule.meeting_url",
        entity=type(target).__name__.lower(),
        entity_id=target.id,
        before=before,
        after={"meeting_url": url},
    )
    session.commit()


def publish(*, session: Session, day_id: int, published: bool, actor: str, now: datetime | None = None) -> None:
    """Applicants see a day's slots once it is published; later changes to it are shown to them as changes."""
    day = session.get(PitchDay, day_id)
    if day is None:
        raise NotFound.pitch_day()
    before = {"published_at": day.published_at.isoformat() if day.published_at else None}
    day.published_at = (now or contest_now()) if published else None
    session.add(day)
    audit.record(
        session=session,
        actor=actor,
        action="schedule.publish" if published else "schedule.unpublish",
        entity="pitchday",
        entity_id=day_id,
        before=before,
        after={"published_at": day.published_at.isoformat() if day.published_at else None},
    )
    if published:
        mail_notify.pitching_slots(session=session, edition_id=day.edition_id, day_id=day_id)
    session.commit()


def slot_for_submission(*, session: Session, submission_id: int) -> SlotView | None:
    """The applicant's published slot (None while the day is unpublished)."""
    sub = session.get(Submission, submission_id)
    if sub is None:
        return None
    for day in schedule(session=session, edition_id=sub.edition_id):
        for s in day.slots:
            if s.work and s.work.submission_id == submission_id and s.published:
                return s
    return None


# ---- calendar and agenda ------------------------------------------------------------------------------------

_VTIMEZONE = (
    "BEGIN:VTIMEZONE\r\nTZID:Asia/Bangkok\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
    "TZOFFSETFROM:+0700\r\nTZOFFSETTO:+0700\r\nTZNAME:ICT\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
)


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets continue on the next line after a space, never inside a character."""
    out: list[str] = []
    current = b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def to_ics(days: Sequence[DayView], *, calendar_name: str, stamp: datetime | None = None) -> str:
    """One VEVENT per presentation, in Asia/Bangkok time."""
    stamp_text = (stamp or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//DGTi//Local Digital Award//TH",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_text(calendar_name)}",
        "X-WR-TIMEZONE:Asia/Bangkok",
    ]
    body = "\r\n".join(_fold(x) for x in lines) + "\r\n" + _VTIMEZONE
    for day in days:
        for s in day.pitches:
            assert s.work is not None
            start, end = to_bangkok(s.starts_at), to_bangkok(s.ends_at)
            event = [
                "BEGIN:VEVENT",
                f"UID:ldaward-slot-{s.id}@dgti.dga.or.th",
                f"DTSTAMP:{stamp_text}",
                f"DTSTART;TZID=Asia/Bangkok:{start:%Y%m%dT%H%M%S}",
                f"DTEND;TZID=Asia/Bangkok:{end:%Y%m%dT%H%M%S}",
                f"SUMMARY:{_ics_text(f'นำเสนอผลงาน {s.work.short_name}: {s.work.title}')}",
                "DESCRIPTION:"
                + _ics_text(
                    f"{s.work.organisation} จ.{s.work.province} · นำเสนอ "
                    f"{s.presentation_minutes} นาที ตอบคำถาม {s.qa_minutes} นาที · ห้อง {s.room}"
                ),
            ]
            if s.meeting_url:
                event += [f"LOCATION:{_ics_text(s.meeting_url)}", f"URL:{s.meeting_url}"]
            event.append("END:VEVENT")
            body += "\r\n".join(_fold(x) for x in event) + "\r\n"
    return body + "END:VCALENDAR\r\n"


def agenda_html(days: Sequence[DayView], *, title: str) -> str:
    """A printable Thai agenda (open in a browser and print); every value from users is escaped."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='th'><head><meta charset='utf-8'>",
        f"<title>{e(title)}</title><style>body{{font-family:'Sarabun','TH Sarabun New',Tahoma,sans-serif;"
        "margin:2em}table{border-collapse:collapse;width:100%;margin-bottom:2em}td,th{border:1px solid #999;"
        "padding:4px 8px;text-align:left;vertical-align:top}tr.pause td{background:#eee;font-style:italic}"
        "@media print{h2{page-break-before:always}h2:first-of-type{page-break-before:avoid}}</style></head><body>",
        f"<h1>{e(title)}</h1>",
    ]
    for day in days:
        parts.append(f"<h2>{e(format_thai_day(day.day))}</h2>")
        if day.meeting_url:
            parts.append(f"<p>ลิงก์ห้องประชุม: {e(day.meeting_url)}</p>")
        parts.append("<table><tr><th>เวลา</th><th>ห้อง</th><th>หน่วยงาน</th><th>จังหวัด</th><th>ผลงาน</th></tr>")
        for s in day.slots:
            when = f"{to_bangkok(s.starts_at):%H:%M}–{to_bangkok(s.ends_at):%H:%M} น."
            if s.kind == SlotKind.pause:
                label = (phrases.LUNCH if s.is_lunch else phrases.SLOT_KIND[s.kind])[0]
                parts.append(f"<tr class='pause'><td>{when}</td><td>{s.room}</td><td colspan='3'>{label}</td></tr>")
            elif s.work:
                parts.append(
                    f"<tr><td>{when}</td><td>{s.room}</td><td>{e(s.work.short_name)}</td>"
                    f"<td>{e(s.work.province)}</td><td>{e(s.work.title)}</td></tr>"
                )
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)
