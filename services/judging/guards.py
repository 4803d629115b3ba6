"""Who may judge what, and when: assignment, conflicts of interest, the closed phases."""

from __future__ import annotations

from sqlmodel import Session, select

from models import (
    ConflictOfInterest,
    Edition,
    JudgeAssignment,
    Phase,
    Role,
    SubmissionStatus,
    User,
)
from services.platform.errors import Forbidden, ValidationFailed

# Submissions that are in the contest (a rejected or withdrawn one is not judged).
JUDGEABLE = (SubmissionStatus.submitted, SubmissionStatus.accepted)
# Once the edition reaches these phases judging is closed: sheets are frozen and the blind rule lifts.
CLOSED_PHASES = (Phase.results, Phase.announced)


def judge_of(session: Session, judge_id: int) -> User:
    user = session.get(User, judge_id)
    if user is None or user.role != Role.judge or not user.active:
        raise Forbidden("not_judge", "บัญชีนี้ไม่ใช่กรรมการที่ใช้งานอยู่", "This account is not an active judge.")
    return user


def _assigned(session: Session, judge_id: int, submission_id: int) -> bool:
    return (
        session.exec(
            select(JudgeAssignment.id).where(
                JudgeAssignment.judge_id == judge_id, JudgeAssignment.submission_id == submission_id
            )
        ).first()
        is not None
    )


def has_conflict(session: Session, judge_id: int, submission_id: int) -> bool:
    return (
        session.exec(
            select(ConflictOfInterest.id).where(
                ConflictOfInterest.judge_id == judge_id, ConflictOfInterest.submission_id == submission_id
            )
        ).first()
        is not None
    )


def conflict_refused() -> Forbidden:
    return Forbidden(
        "conflict_of_interest",
        "ท่านแจ้งหรือถูกบันทึกว่ามีส่วนได้เสียกับผลงานนี้ จึงเปิดหรือให้คะแนนผลงานนี้ไม่ได้ หากบันทึกผิด กรุณาติดต่อผู้จัดงาน",
        "You have a conflict of interest with this submission, so you may not open or score it. "
        "If that is a mistake, ask an organiser.",
    )


def judging_closed_refused() -> ValidationFailed:
    return ValidationFailed(
        "judging_closed",
        "การพิจารณาให้คะแนนของรุ่นนี้ปิดแล้ว แก้ไขคะแนนไม่ได้",
        "Judging of this edition is closed; scores can no longer change.",
    )


def judging_closed(edition: Edition) -> bool:
    return phase_closed(edition.phase)


def phase_closed(phase: str) -> bool:
    """Whether an edition in this phase has closed judging."""
    return Phase(phase) in CLOSED_PHASES
