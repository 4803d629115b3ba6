"""Reading the audit trail for organisers: its kinds and action labels, filtered pages of events, a CSV export."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from models import AuditEvent
from services.platform.audit import AuditEntry
from services.platform.errors import ValidationFailed
from services.results.exports import to_csv
from services.thai.dates import BANGKOK, format_thai_datetime


@dataclass(frozen=True)
class Kind:
    th: str
    en: str
    patterns: tuple[str, ...]  # SQL LIKE patterns on the action code


# The kinds of event an organiser filters by. An action may belong to more than one kind.
KINDS: dict[str, Kind] = {
    "awards": Kind("ผลรางวัล", "Awards", ("awards.%", "results.%")),
    "feedback": Kind("รายงานผลถึงผู้ส่งผลงาน", "Feedback to entrants", ("feedback.%",)),
    "reopen": Kind("เปิดใบให้คะแนนใหม่", "Reopened sheets", ("sheet.reopen",)),
    "extension": Kind("ขยายเวลาส่งผลงาน", "Extensions", ("submission.extension",)),
    "override": Kind(
        "การตัดสินใจแทนหรือยกเว้นโดยผู้จัดงาน",
        "Overrides",
        ("%override%", "submission.status", "submission.eligibility_confirm", "conflict.%", "assignment.set"),
    ),
    "signin": Kind("การลงชื่อเข้าใช้", "Sign-ins", ("user.sign_in", "user.locked")),
    "schedule": Kind("กำหนดการนำเสนอ", "Schedule changes", ("schedule.%",)),
    "scores": Kind("การให้คะแนน", "Scoring", ("score.%", "sheet.%")),
    "submissions": Kind("ผลงานที่ส่ง", "Submissions", ("submission.%",)),
    "accounts": Kind("บัญชีผู้ใช้", "Accounts", ("user.%",)),
    "contest": Kind("รุ่นการประกวดและเกณฑ์", "Edition & criteria", ("edition.%", "criterion.%", "demo.%")),
    "live": Kind("การนำเสนอสด", "Live pitching", ("live.%",)),
    "rounds": Kind("รอบการตัดสินและการคัดเลือกเข้ารอบ", "Rounds & shortlists", ("round.%",)),
}

# Every action code the services write, as a person reads it. An unknown code is shown as it is.
ACTION_NAMES: dict[str, tuple[str, str]] = {
    "assignment.assign_all": ("มอบหมายกรรมการทุกคนให้ทุกผลงาน", "assigned every judge to every work"),
    "assignment.panels": ("จัดคณะกรรมการ", "made judging panels"),
    "assignment.set": ("ปรับการมอบหมายด้วยมือ", "changed an assignment by hand"),
    "awards.confirm": ("ยืนยันผลรางวัล", "confirmed the awards"),
    "awards.reopen": ("เปิดผลรางวัลให้แก้ไข", "reopened the awards"),
    "feedback.comment_edit": ("ซ่อนหรือเรียบเรียงความเห็นกรรมการ", "hid or rephrased a judge's comment"),
    "feedback.release": ("เผยแพร่รายงานผลการพิจารณา", "released feedback reports"),
    "conflict.declare": ("บันทึกการมีส่วนได้เสีย", "recorded a conflict of interest"),
    "conflict.withdraw": ("ยกเลิกการมีส่วนได้เสีย", "lifted a conflict of interest"),
    "criterion.delete": ("ลบเกณฑ์", "deleted a criterion"),
    "criterion.save": ("บันทึกเกณฑ์", "saved a criterion"),
    "demo.load": ("โหลดข้อมูลสาธิต", "loaded the demo data"),
    "edition.copy_criteria": ("คัดลอกเกณฑ์จากรุ่นก่อน", "copied criteria from an earlier edition"),
    "edition.create": ("สร้างรุ่นการประกวด", "created an edition"),
    "edition.update": ("แก้ไขรุ่นการประกวด", "changed the edition"),
    "live.end": ("จบการนำเสนอสด", "ended the live session"),
    "live.remind": ("เตือนกรรมการให้ส่งคะแนน", "reminded a judge"),
    "live.stage": ("เปลี่ยนช่วงการนำเสนอ", "moved the live session on"),
    "live.start": ("เริ่มการนำเสนอสด", "started the live session"),
    "round.add": ("เพิ่มรอบการตัดสิน", "added a judging round"),
    "round.freeze": ("ยืนยันรายชื่อผลงานที่ผ่านเข้ารอบ", "froze a round's shortlist"),
    "round.update": ("แก้ไขรอบการตัดสิน", "changed a judging round"),
    "results.description": ("อนุมัติคำอธิบายผลงานที่ได้รับรางวัล", "approved a winner's public description"),
    "schedule.generate": ("จัดกำหนดการนำเสนอ", "generated the schedule"),
    "schedule.meeting_url": ("แก้ไขลิงก์ประชุม", "changed a meeting link"),
    "schedule.move": ("ย้ายช่วงเวลานำเสนอ", "moved a pitching slot"),
    "schedule.publish": ("เผยแพร่กำหนดการ", "published the schedule"),
    "schedule.swap": ("สลับช่วงเวลานำเสนอ", "swapped two pitching slots"),
    "score.save": ("ให้คะแนนเกณฑ์", "scored a criterion"),
    "sheet.comment": ("แก้ไขความเห็นโดยรวม", "changed an overall comment"),
    "sheet.reopen": ("เปิดใบให้คะแนนใหม่", "reopened a score sheet"),
    "sheet.submit": ("ส่งใบให้คะแนน", "submitted a score sheet"),
    "submission.confirm": ("ยืนยันการส่งผลงาน", "confirmed a submission"),
    "submission.draft_start": ("เริ่มร่างผลงาน", "started a draft submission"),
    "submission.eligibility_confirm": ("ยืนยันคุณสมบัติผู้สมัคร", "confirmed eligibility"),
    "submission.extension": ("ขยายเวลาส่งผลงาน", "extended a deadline"),
    "submission.status": ("เปลี่ยนสถานะผลงาน", "changed a submission's status"),
    "submission.submit": ("ส่งผลงาน", "submitted a work"),
    "submission.upload": ("แนบไฟล์", "uploaded a file"),
    "user.create": ("สร้างบัญชีผู้ใช้", "created an account"),
    "user.locked": ("บัญชีถูกล็อกชั่วคราว", "account locked"),
    "user.set_active": ("เปิด/ปิดการใช้งานบัญชี", "(de)activated an account"),
    "user.set_password": ("ตั้งรหัสผ่าน", "set a password"),
    "user.sign_in": ("ลงชื่อเข้าใช้", "signed in"),
}

# Entities whose id starts with the judge's id and holds the work's id ("judge:submission[:criterion]").
_JUDGE_WORK = ("score", "scoresheet", "conflict", "assignment")
MAX_PAGE = 500


def action_name(action: str, lang: str = "th") -> str:
    th, en = ACTION_NAMES.get(action, (action, action))
    return en if lang == "en" else th


def kind_name(kind: str, lang: str = "th") -> str:
    k = KINDS[kind]
    return k.en if lang == "en" else k.th


@dataclass(frozen=True)
class AuditFilter:
    """What an organiser asked for; every part optional. Dates are days on Bangkok's calendar, both included."""

    kind: str | None = None
    actor: str | None = None  # a username, exactly
    submission_id: int | None = None  # events about this work (its scores, sheets, conflicts too)
    user_id: int | None = None  # events about this person's account or their sheets
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditPage:
    entries: tuple[AuditEntry, ...]
    total: int  # events matching the filter, all pages
    offset: int
    limit: int


def _conditions(f: AuditFilter) -> list[Any]:
    conds: list[Any] = []
    if f.kind is not None:
        if f.kind not in KINDS:
            raise ValidationFailed(
                "unknown_audit_kind", f"ไม่รู้จักประเภทรายการ '{f.kind}'", f"Unknown kind of event '{f.kind}'."
            )
        conds.append(sa.or_(*(col(AuditEvent.action).like(p) for p in KINDS[f.kind].patterns)))
    if f.actor:
        conds.append(col(AuditEvent.actor) == f.actor.strip())
    entity, entity_id = col(AuditEvent.entity), col(AuditEvent.entity_id)
    if f.submission_id is not None:
        sid = str(f.submission_id)
        conds.append(
            sa.or_(
                sa.and_(entity == "submission", entity_id == sid),
                sa.and_(entity == "score", entity_id.like(f"%:{sid}:%")),
                sa.and_(entity.in_([e for e in _JUDGE_WORK if e != "score"]), entity_id.like(f"%:{sid}")),
            )
        )
    if f.user_id is not None:
        uid = str(f.user_id)
        conds.append(
            sa.or_(
                sa.and_(entity == "user", entity_id == uid),
                sa.and_(entity.in_(_JUDGE_WORK), entity_id.like(f"{uid}:%")),
            )
        )
    if f.since is not None and f.until is not None and f.since > f.until:
        raise ValidationFailed(
            "bad_date_range", "วันเริ่มต้นต้องไม่อยู่หลังวันสิ้นสุด", "The first day must not be after the last day."
        )
    if f.since is not None:
        conds.append(col(AuditEvent.at) >= datetime.combine(f.since, time(0), BANGKOK))
    if f.until is not None:
        conds.append(col(AuditEvent.at) < datetime.combine(f.until + timedelta(days=1), time(0), BANGKOK))
    return conds


def _entry(e: AuditEvent) -> AuditEntry:
    return AuditEntry(e.at, e.actor, e.action, e.entity, e.entity_id, e.before, e.after)


def search(*, session: Session, where: AuditFilter | None = None, offset: int = 0, limit: int = 50) -> AuditPage:
    """One page of the events matching where, newest first, and how many match in all."""
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise ValidationFailed(
            "bad_page", f"ขอได้ครั้งละ 1 ถึง {MAX_PAGE} รายการ", f"Ask for 1 to {MAX_PAGE} events at a time."
        )
    conds = _conditions(where or AuditFilter())
    total = session.exec(select(func.count()).select_from(AuditEvent).where(*conds)).one()
    rows = session.exec(
        select(AuditEvent)
        .where(*conds)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return AuditPage(tuple(_entry(e) for e in rows), int(total), offset, limit)


def actors(*, session: Session) -> list[str]:
    """Everyone who appears in the trail, for a filter's choices."""
    return sorted(str(a) for a in session.exec(select(AuditEvent.actor).distinct()).all())


def change_text(before: dict[str, Any] | None, after: dict[str, Any] | None, *, width: int = 160) -> str:
    """Before → after in one short line: only the fields that changed, as plain text (never Markdown)."""
    before, after = before or {}, after or {}
    keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
    parts = [
        f"{k}: {_short(before.get(k))} → {_short(after.get(k))}"
        if k in before and k in after
        else f"{k}: {_short(after[k])}"
        if k in after
        else f"{k}: {_short(before[k])} → —"
        for k in keys
    ]
    text = "; ".join(parts)
    return text if len(text) <= width else text[: width - 1] + "…"


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"


CSV_COLUMNS: Sequence[tuple[str, str]] = (
    ("at_th", "เวลา (พ.ศ.)"),
    ("at_utc", "เวลา UTC"),
    ("actor", "ผู้ดำเนินการ"),
    ("action_name", "รายการ"),
    ("action", "รหัสรายการ"),
    ("entity", "ประเภทข้อมูล"),
    ("entity_id", "รหัสข้อมูล"),
    ("before", "ก่อน"),
    ("after", "หลัง"),
)


def export_csv(*, session: Session, where: AuditFilter | None = None, lang: str = "th") -> bytes:
    """Every event matching where (not one page), for Excel: UTF-8 with BOM, formula-like cells made text."""
    conds = _conditions(where or AuditFilter())
    rows = []
    for e in session.exec(
        select(AuditEvent).where(*conds).order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    ):
        rows.append(
            {
                "เวลา (พ.ศ.)": format_thai_datetime(e.at),
                "เวลา UTC": e.at.isoformat(timespec="seconds"),
                "ผู้ดำเนินการ": e.actor,
                "รายการ": action_name(e.action, lang),
                "รหัสรายการ": e.action,
                "ประเภทข้อมูล": e.entity,
                "รหัสข้อมูล": e.entity_id,
                "ก่อน": json.dumps(e.before, ensure_ascii=False) if e.before is not None else "",
                "หลัง": json.dumps(e.after, ensure_ascii=False) if e.after is not None else "",
            }
        )
    return to_csv(rows, [th for _, th in CSV_COLUMNS])
