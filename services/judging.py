"""Judging: assignments, a judge's score sheet, saving drafts and submitting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from models import (
    Criterion,
    JudgeAssignment,
    Organisation,
    Role,
    Score,
    ScoreSheet,
    SheetState,
    Submission,
    SubmissionStatus,
    User,
)
from services import audit
from services.errors import Forbidden, NotFound, ValidationFailed

# Submissions that are in the contest (a rejected or withdrawn one is not judged).
JUDGEABLE = (SubmissionStatus.submitted, SubmissionStatus.accepted)


@dataclass(frozen=True)
class SubmissionCard:
    """What a judge may see of a submission: the organisation and project, never personal contacts."""

    id: int
    title: str
    category: str
    organisation: str
    short_name: str
    province: str
    receipt_code: str


@dataclass(frozen=True)
class AssignmentView:
    submission: SubmissionCard
    state: str  # "none", "draft" or "submitted"
    total: float | None


@dataclass(frozen=True)
class CriterionScore:
    criterion_id: int
    code: str
    title_th: str
    title_en: str
    guidance_th: str
    max_points: int
    points: float | None
    comment: str


@dataclass(frozen=True)
class SheetView:
    judge_id: int
    submission: SubmissionCard
    state: str
    overall_comment: str
    criteria: tuple[CriterionScore, ...]
    updated_at: datetime | None

    @property
    def total(self) -> float:
        return sum(c.points or 0.0 for c in self.criteria)

    @property
    def max_total(self) -> int:
        return sum(c.max_points for c in self.criteria)

    @property
    def complete(self) -> bool:
        return all(c.points is not None for c in self.criteria)


def _card(sub: Submission, org: Organisation) -> SubmissionCard:
    assert sub.id is not None
    return SubmissionCard(sub.id, sub.title, sub.category, org.full_name, org.short_name, org.province,
                          sub.receipt_code)


def _judge(session: Session, judge_id: int) -> User:
    user = session.get(User, judge_id)
    if user is None or user.role != Role.judge or not user.active:
        raise Forbidden("not_judge", "บัญชีนี้ไม่ใช่กรรมการที่ใช้งานอยู่", "This account is not an active judge.")
    return user


def _assigned(session: Session, judge_id: int, submission_id: int) -> bool:
    return session.exec(select(JudgeAssignment.id).where(
        JudgeAssignment.judge_id == judge_id, JudgeAssignment.submission_id == submission_id)).first() is not None


def list_assignments(*, session: Session, judge_id: int, edition_id: int) -> list[AssignmentView]:
    _judge(session, judge_id)
    rows = session.exec(
        select(Submission, Organisation)
        .join(JudgeAssignment, col(JudgeAssignment.submission_id) == col(Submission.id))
        .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
        .where(JudgeAssignment.judge_id == judge_id, Submission.edition_id == edition_id,
               col(Submission.status).in_(JUDGEABLE))
        .order_by(col(Submission.id))
    ).all()
    sheets = {s.submission_id: s for s in session.exec(select(ScoreSheet).where(ScoreSheet.judge_id == judge_id))}
    totals: dict[int, float] = {}
    for score in session.exec(select(Score).join(Criterion).where(Score.judge_id == judge_id, col(Criterion.scored))):
        totals[score.submission_id] = totals.get(score.submission_id, 0.0) + score.points
    out = []
    for sub, org in rows:
        sheet = sheets.get(sub.id or 0)
        state = sheet.state if sheet else "none"
        out.append(AssignmentView(_card(sub, org), str(state), totals.get(sub.id or 0)))
    return out


def get_sheet(*, session: Session, judge_id: int, submission_id: int) -> SheetView:
    _judge(session, judge_id)
    sub = session.get(Submission, submission_id)
    if sub is None or sub.status not in JUDGEABLE:
        raise NotFound("no_submission", "ไม่พบผลงานนี้ หรือผลงานนี้ไม่อยู่ในการพิจารณา",
                       "No such submission, or it is not being judged.")
    if not _assigned(session, judge_id, submission_id):
        raise Forbidden("not_assigned", "ผลงานนี้ไม่ได้มอบหมายให้ท่านพิจารณา",
                        "This submission is not assigned to you.")
    org = session.get(Organisation, sub.organisation_id)
    assert org is not None
    criteria = session.exec(select(Criterion).where(Criterion.edition_id == sub.edition_id, col(Criterion.scored))
                            .order_by(col(Criterion.position))).all()
    scores = {s.criterion_id: s for s in session.exec(
        select(Score).where(Score.judge_id == judge_id, Score.submission_id == submission_id))}
    sheet = session.exec(select(ScoreSheet).where(ScoreSheet.judge_id == judge_id,
                                                  ScoreSheet.submission_id == submission_id)).first()
    items = []
    for c in criteria:
        s = scores.get(c.id or 0)
        items.append(CriterionScore(c.id or 0, c.code, c.title_th, c.title_en, c.guidance_th, c.max_points,
                                    s.points if s else None, s.comment if s else ""))
    return SheetView(judge_id, _card(sub, org), str(sheet.state) if sheet else "none",
                     sheet.overall_comment if sheet else "", tuple(items), sheet.updated_at if sheet else None)


def save_sheet(
    *,
    session: Session,
    judge_id: int,
    submission_id: int,
    points: Mapping[int, float],
    comments: Mapping[int, str] | None = None,
    overall_comment: str | None = None,
    submit: bool = False,
    actor: str,
    now: datetime | None = None,
) -> SheetView:
    """Save a judge's points (a draft), or submit the sheet, which locks it. Each change is audited."""
    view = get_sheet(session=session, judge_id=judge_id, submission_id=submission_id)
    if view.state == SheetState.submitted:
        raise ValidationFailed("sheet_locked", "ส่งคะแนนผลงานนี้แล้ว แก้ไขไม่ได้ หากต้องการแก้ไขกรุณาติดต่อผู้จัดงาน",
                               "This sheet is submitted and locked; ask an organiser to reopen it.")
    now = now or datetime.now(UTC)
    comments = comments or {}
    by_id = {c.criterion_id: c for c in view.criteria}
    for cid, value in points.items():
        crit = by_id.get(cid)
        if crit is None:
            raise ValidationFailed("bad_criterion", "เกณฑ์นี้ไม่อยู่ในรุ่นการประกวดของผลงาน",
                                   "That criterion does not belong to this submission's edition.")
        if not 0 <= value <= crit.max_points:
            raise ValidationFailed("points_out_of_range",
                                   f"คะแนน '{crit.title_th[:40]}' ต้องอยู่ระหว่าง 0 ถึง {crit.max_points}",
                                   f"Points for '{crit.title_en}' must be between 0 and {crit.max_points}.")
    existing = {s.criterion_id: s for s in session.exec(
        select(Score).where(Score.judge_id == judge_id, Score.submission_id == submission_id))}
    for cid in set(points) | {c for c in comments if c in by_id}:
        score = existing.get(cid)
        new_points = float(points[cid]) if cid in points else (score.points if score else None)
        new_comment = comments.get(cid, score.comment if score else "")
        if new_points is None:
            continue  # a comment without points waits until the judge moves the slider
        if score is None:
            score = Score(judge_id=judge_id, submission_id=submission_id, criterion_id=cid, points=new_points,
                          comment=new_comment, created_at=now, updated_at=now)
            before = None
        elif score.points == new_points and score.comment == new_comment:
            continue
        else:
            before = {"points": score.points, "comment": score.comment}
            score.points, score.comment, score.updated_at = new_points, new_comment, now
        session.add(score)
        audit.record(session=session, actor=actor, action="score.save", entity="score",
                     entity_id=f"{judge_id}:{submission_id}:{cid}", before=before,
                     after={"points": new_points, "comment": new_comment})
    sheet = session.exec(select(ScoreSheet).where(ScoreSheet.judge_id == judge_id,
                                                  ScoreSheet.submission_id == submission_id)).first()
    if sheet is None:
        sheet = ScoreSheet(judge_id=judge_id, submission_id=submission_id)
    if overall_comment is not None:
        sheet.overall_comment = overall_comment
    sheet.updated_at = now
    if submit:
        session.flush()
        missing = [c for c in view.criteria if c.criterion_id not in points and c.points is None]
        if missing:
            raise ValidationFailed(
                "sheet_incomplete",
                "ยังให้คะแนนไม่ครบทุกเกณฑ์: " + ", ".join(c.title_th[:30] for c in missing),
                "Not every criterion has points yet: " + ", ".join(c.title_en for c in missing),
            )
        sheet.state = SheetState.submitted
        sheet.submitted_at = now
        audit.record(session=session, actor=actor, action="sheet.submit", entity="scoresheet",
                     entity_id=f"{judge_id}:{submission_id}", after={"state": "submitted"})
    session.add(sheet)
    session.commit()
    return get_sheet(session=session, judge_id=judge_id, submission_id=submission_id)


def reopen_sheet(*, session: Session, judge_id: int, submission_id: int, reason: str, actor: str) -> None:
    if not reason.strip():
        raise ValidationFailed("reason_required", "กรุณาระบุเหตุผลในการเปิดใบให้คะแนนใหม่",
                               "Give a reason for reopening the sheet.")
    sheet = session.exec(select(ScoreSheet).where(ScoreSheet.judge_id == judge_id,
                                                  ScoreSheet.submission_id == submission_id)).first()
    if sheet is None or sheet.state != SheetState.submitted:
        raise ValidationFailed("not_submitted", "ใบให้คะแนนนี้ยังไม่ได้ส่ง", "This sheet has not been submitted.")
    sheet.state = SheetState.draft
    sheet.submitted_at = None
    session.add(sheet)
    audit.record(session=session, actor=actor, action="sheet.reopen", entity="scoresheet",
                 entity_id=f"{judge_id}:{submission_id}", before={"state": "submitted"},
                 after={"state": "draft", "reason": reason.strip()})
    session.commit()


def assign_all(*, session: Session, edition_id: int, actor: str) -> int:
    """Every active judge scores every judgeable submission (as in 2564). Returns how many were added."""
    judges = session.exec(select(User.id).where(User.role == Role.judge, col(User.active))).all()
    subs = session.exec(select(Submission.id).where(Submission.edition_id == edition_id,
                                                    col(Submission.status).in_(JUDGEABLE))).all()
    have = set(session.exec(select(JudgeAssignment.judge_id, JudgeAssignment.submission_id)
                            .join(Submission).where(Submission.edition_id == edition_id)).all())
    added = 0
    for j in judges:
        for s in subs:
            if (j, s) not in have and j is not None and s is not None:
                session.add(JudgeAssignment(judge_id=j, submission_id=s))
                added += 1
    audit.record(session=session, actor=actor, action="assignment.assign_all", entity="edition",
                 entity_id=edition_id, after={"added": added})
    session.commit()
    return added


def set_assignment(*, session: Session, judge_id: int, submission_id: int, assigned: bool, actor: str) -> None:
    _judge(session, judge_id)
    row = session.exec(select(JudgeAssignment).where(JudgeAssignment.judge_id == judge_id,
                                                     JudgeAssignment.submission_id == submission_id)).first()
    if assigned and row is None:
        session.add(JudgeAssignment(judge_id=judge_id, submission_id=submission_id))
    elif not assigned and row is not None:
        session.delete(row)
    else:
        return
    audit.record(session=session, actor=actor, action="assignment.set", entity="assignment",
                 entity_id=f"{judge_id}:{submission_id}", after={"assigned": assigned})
    session.commit()
