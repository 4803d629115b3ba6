"""The organisers' side of intake: the list, the screening queue, decisions and extensions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from models import (
    Attachment,
    AttachmentKind,
    Organisation,
    Submission,
    SubmissionStatus,
)
from services.intake import eligibility
from services.intake.access import deadline_of, edition_of
from services.intake.files import attach_upload, check_files, view_attachment
from services.intake.flow import eligibility_of, missing_of
from services.intake.records import AttachmentView, Missing, ProjectStep, Upload
from services.mail import notify as mail_notify
from services.platform import audit
from services.platform.clock import contest_now
from services.platform.errors import NotFound, ValidationFailed
from services.thai.dates import format_thai_datetime

# --- organisers: list, screening queue, decisions, extensions -----------------------------------------------------


@dataclass(frozen=True)
class SubmissionRow:
    """A submission as organisers see it, personal contacts included (PDPA: organisers only)."""

    id: int
    receipt_code: str
    title: str
    category: str
    status: SubmissionStatus
    organisation: str
    short_name: str
    province: str
    golive_date: date | None
    submitter_name: str
    submitter_position: str
    coordinator_name: str
    coordinator_phone: str
    coordinator_email: str
    submitted_at: datetime | None
    attachments: tuple[AttachmentView, ...]


def list_for_organisers(*, session: Session, edition_id: int) -> list[SubmissionRow]:
    return [q.row for q in screening_queue(session=session, edition_id=edition_id, include_drafts=True)]


@dataclass(frozen=True)
class QueueRow:
    """One line of the organisers' screening queue."""

    row: SubmissionRow
    eligibility: eligibility.Eligibility
    missing: tuple[Missing, ...]
    deadline: datetime
    deadline_extended_until: datetime | None
    confirmed_at: datetime | None
    eligibility_confirmed_by: str
    screening_note: str
    answers: dict[str, Any]
    project: ProjectStep

    @property
    def complete(self) -> bool:
        return not self.missing

    def attachment(self, kind: AttachmentKind) -> AttachmentView | None:
        return next((a for a in self.row.attachments if a.kind == kind), None)


def screening_queue(
    *, session: Session, edition_id: int, include_drafts: bool = False, submission_ids: Sequence[int] | None = None
) -> list[QueueRow]:
    """The queue's full rows (files, answers, project): the whole edition, or only submission_ids (in id order, drafts
    included when asked for by id) — a national edition's list builds these for the page on screen only."""
    edition = edition_of(session, edition_id)
    stmt = (
        select(Submission, Organisation)
        .join(Organisation)
        .where(Submission.edition_id == edition_id)
        .order_by(col(Submission.id))
    )
    files_stmt = select(Attachment).join(Submission).where(Submission.edition_id == edition_id)
    if submission_ids is not None:
        stmt = stmt.where(col(Submission.id).in_(submission_ids))
        files_stmt = files_stmt.where(col(Attachment.submission_id).in_(submission_ids))
    elif not include_drafts:
        stmt = stmt.where(Submission.status != SubmissionStatus.draft)
    rows = session.exec(stmt).all()
    files: dict[int, list[AttachmentView]] = {}
    for a in session.exec(files_stmt.order_by(col(Attachment.kind))):
        files.setdefault(a.submission_id, []).append(view_attachment(a))
    out = []
    for s, o in rows:
        mine = tuple(files.get(s.id or 0, []))
        row = SubmissionRow(
            s.id or 0,
            s.receipt_code,
            s.title,
            s.category,
            SubmissionStatus(s.status),
            o.full_name,
            o.short_name,
            o.province,
            s.golive_date,
            s.submitter_name,
            s.submitter_position,
            s.coordinator_name,
            s.coordinator_phone,
            s.coordinator_email,
            s.submitted_at,
            mine,
        )
        out.append(
            QueueRow(
                row,
                eligibility_of(s, o, edition),
                tuple(missing_of(s, {a.kind for a in mine})),
                deadline_of(edition, s),
                s.deadline_extended_until,
                s.confirmed_at,
                s.eligibility_confirmed_by,
                s.screening_note,
                dict(s.answers or {}),
                ProjectStep(
                    s.title,
                    s.category,
                    s.golive_date,
                    s.is_new_initiative,
                    s.earlier_project_name,
                    s.earlier_project_year_be,
                    s.developed_by,
                    s.partner_name,
                    s.partner_province,
                    s.digital_declared,
                ),
            )
        )
    return out


def accept_refused(sub: Submission, verdict: eligibility.Eligibility) -> ValidationFailed | None:
    """Why this submission may not be accepted for judging, or None: it was never sent, its entrant withdrew it, or
    it fails a rule of the call. The one rule for the single decision and the queue's bulk one."""
    if sub.status == SubmissionStatus.draft:
        return ValidationFailed(
            "not_sent",
            "ผลงานนี้ยังเป็นร่าง ผู้ส่งยังไม่ได้กดส่ง จึงรับเข้าการพิจารณาไม่ได้",
            "This work is still a draft (never sent), so it cannot be accepted.",
        )
    if sub.status == SubmissionStatus.withdrawn:
        return ValidationFailed("withdrawn", "ผู้ส่งถอนผลงานนี้แล้ว จึงรับเข้าการพิจารณาไม่ได้", "The entrant withdrew this work.")
    if verdict.verdict == eligibility.Verdict.ineligible:
        return ValidationFailed(
            "ineligible",
            "ไม่มีคุณสมบัติตามประกาศ: " + "; ".join(r.message_th for r in verdict.reasons if r.blocking),
            "Not eligible under the call: " + "; ".join(r.message_en for r in verdict.reasons if r.blocking),
        )
    return None


def set_status(*, session: Session, submission_id: int, status: SubmissionStatus, reason: str, actor: str) -> None:
    """Screening decision: accept (refused as accept_refused says), reject (with a reason), or return to the
    applicant as a draft to fix (with what to fix: it is what the applicant is told), audited."""
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise NotFound.submission()
    if status == SubmissionStatus.accepted and sub.status != SubmissionStatus.accepted:
        org = session.get(Organisation, sub.organisation_id)
        refused = accept_refused(sub, eligibility_of(sub, org, edition_of(session, sub.edition_id)))
        if refused is not None:
            raise refused
    decide(session=session, sub=sub, status=status, reason=reason, actor=actor)
    session.commit()


def decide(
    *, session: Session, sub: Submission, status: SubmissionStatus, reason: str, actor: str, bulk: bool = False
) -> None:
    """Record one screening decision in the session, audited and the applicant told, without committing: the single
    decision commits it alone, the queue's bulk decision all together. The caller has checked accept_refused."""
    assert sub.id is not None
    if status == SubmissionStatus.rejected and not reason.strip():
        raise ValidationFailed("reason_required", "กรุณาระบุเหตุผลที่ไม่รับผลงาน", "Give the reason for rejecting.")
    if status == SubmissionStatus.draft and not reason.strip():
        raise ValidationFailed("reason_required", "กรุณาระบุสิ่งที่ผู้ส่งผลงานต้องแก้ไข", "Say what the applicant must fix.")
    before = {"status": str(sub.status)}
    sub.status = status
    if reason.strip():
        sub.screening_note = reason.strip()
    sub.updated_at = contest_now()
    session.add(sub)
    audit.record(
        session=session,
        actor=actor,
        action="submission.status",
        entity="submission",
        entity_id=sub.id,
        before=before,
        after={"status": status.value, "reason": reason.strip()} | ({"bulk": True} if bulk else {}),
    )
    mail_notify.status_changed(session=session, submission=sub, reason=reason.strip(), previous=before["status"])


def grant_extension(*, session: Session, submission_id: int, until: datetime | None, reason: str, actor: str) -> None:
    """An organiser lets one submission be sent or edited until `until` (None withdraws the extension). Audited."""
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise NotFound.submission()
    edition = edition_of(session, sub.edition_id)
    if not reason.strip():
        raise ValidationFailed("reason_required", "กรุณาระบุเหตุผลของการขยายเวลา", "Give the reason for the extension.")
    if until is not None and until <= edition.intake_closes_at:
        raise ValidationFailed(
            "extension_too_early",
            f"วันที่ขยายเวลาต้องอยู่หลังวันปิดรับสมัคร ({format_thai_datetime(edition.intake_closes_at)})",
            "The extension must end after intake closes.",
        )
    before = {"deadline_extended_until": sub.deadline_extended_until}
    sub.deadline_extended_until = until
    session.add(sub)
    audit.record(
        session=session,
        actor=actor,
        action="submission.extension",
        entity="submission",
        entity_id=submission_id,
        before=before,
        after={"deadline_extended_until": until, "reason": reason.strip()},
    )
    mail_notify.extension_granted(session=session, submission=sub)
    session.commit()


def attach_file(*, session: Session, submission_id: int, kind: AttachmentKind, upload: Upload) -> None:
    """Check one file as the intake does and attach it to the submission (replacing an earlier one of its kind).
    For loaders and re-keying; the applicant's own flow checks and attaches through its steps."""
    analyses, problems = check_files({kind: upload})
    if problems:
        raise problems[0]
    attach_upload(session, submission_id, kind, upload, analyses[kind])
