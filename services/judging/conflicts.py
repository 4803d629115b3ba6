"""Conflicts of interest: judges declare them, organisers add them, suggestions come from the province rule."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models import ConflictOfInterest, ConflictReason, Organisation, Role, Submission, User
from services.platform import audit
from services.platform.errors import Forbidden, NotFound, ValidationFailed
from services.thai.dates import normalize_thai
from services.thai.geo import PROVINCES


@dataclass(frozen=True)
class ConflictView:
    id: int
    judge_id: int
    judge_username: str
    judge_name: str
    submission_id: int
    submission_title: str
    organisation: str
    reason: ConflictReason
    note: str
    declared_by: str


@dataclass(frozen=True)
class ConflictSuggestion:
    """A likely conflict the organisers have not recorded yet, with the rule that found it."""

    judge_id: int
    judge_username: str
    submission_id: int
    organisation: str
    reason: ConflictReason
    why_th: str
    why_en: str


def conflicted_pairs(session: Session, edition_id: int) -> set[tuple[int, int]]:
    """(judge_id, submission_id) pairs whose score must not count: results and consensus leave them out."""
    rows = session.exec(
        select(ConflictOfInterest.judge_id, ConflictOfInterest.submission_id)
        .join(Submission, col(Submission.id) == col(ConflictOfInterest.submission_id))
        .where(Submission.edition_id == edition_id)
    ).all()
    return {(j, s) for j, s in rows}


def is_conflicted(session: Session, judge_id: int, submission_id: int) -> bool:
    return (
        session.exec(
            select(ConflictOfInterest.id).where(
                ConflictOfInterest.judge_id == judge_id, ConflictOfInterest.submission_id == submission_id
            )
        ).first()
        is not None
    )


def _actor(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        raise Forbidden("no_actor", "ไม่พบบัญชีผู้ใช้ที่ทำรายการ", "The acting account was not found.")
    return user


def declare(
    *, session: Session, judge_id: int, submission_id: int, reason: ConflictReason | str, note: str = "", actor: str
) -> ConflictView:
    """Record a conflict. A judge may declare only their own; an organiser may add one for any judge."""
    by = _actor(session, actor)
    if by.role == Role.judge and by.id != judge_id:
        raise Forbidden(
            "not_own_conflict", "กรรมการแจ้งการมีส่วนได้เสียได้เฉพาะของตนเอง", "A judge may declare only their own conflicts."
        )
    if by.role not in (Role.judge, Role.organiser):
        raise Forbidden("not_allowed", "ท่านไม่มีสิทธิ์บันทึกการมีส่วนได้เสีย", "You may not record conflicts.")
    try:
        why = ConflictReason(reason)
    except ValueError:
        raise ValidationFailed(
            "bad_reason", "กรุณาเลือกเหตุของการมีส่วนได้เสียจากรายการ", "Choose a reason from the list."
        ) from None
    note = note.strip()
    if why == ConflictReason.other and not note:
        raise ValidationFailed(
            "note_required",
            "กรุณาระบุรายละเอียดของการมีส่วนได้เสีย (เหตุ 'อื่น ๆ')",
            "Say what the conflict is (reason 'other').",
        )
    judge = session.get(User, judge_id)
    if judge is None or judge.role != Role.judge:
        raise NotFound.judge()
    if session.get(Submission, submission_id) is None:
        raise NotFound.submission()
    existing = session.exec(
        select(ConflictOfInterest).where(
            ConflictOfInterest.judge_id == judge_id, ConflictOfInterest.submission_id == submission_id
        )
    ).first()
    if existing is not None:
        before = {"reason": existing.reason, "note": existing.note, "declared_by": existing.declared_by}
        existing.reason, existing.note = why, note
        row = existing
    else:
        before = None
        row = ConflictOfInterest(
            judge_id=judge_id, submission_id=submission_id, reason=why, note=note, declared_by=actor
        )
    session.add(row)
    audit.record(
        session=session,
        actor=actor,
        action="conflict.declare",
        entity="conflict",
        entity_id=f"{judge_id}:{submission_id}",
        before=before,
        after={"reason": str(why), "note": note, "declared_by": row.declared_by},
    )
    session.commit()
    return _views(session, select(ConflictOfInterest).where(ConflictOfInterest.id == row.id))[0]


def withdraw(*, session: Session, judge_id: int, submission_id: int, reason: str, actor: str) -> None:
    """Only an organiser lifts a conflict, and says why: the judge's earlier score counts again."""
    by = _actor(session, actor)
    if by.role != Role.organiser:
        raise Forbidden("organiser_only", "เฉพาะผู้จัดงานที่ยกเลิกการมีส่วนได้เสียได้", "Only an organiser may lift a conflict.")
    if not reason.strip():
        raise ValidationFailed("reason_required", "กรุณาระบุเหตุผลในการยกเลิก", "Give a reason for lifting it.")
    row = session.exec(
        select(ConflictOfInterest).where(
            ConflictOfInterest.judge_id == judge_id, ConflictOfInterest.submission_id == submission_id
        )
    ).first()
    if row is None:
        raise NotFound("no_conflict", "ไม่พบการมีส่วนได้เสียนี้", "No such conflict.")
    audit.record(
        session=session,
        actor=actor,
        action="conflict.withdraw",
        entity="conflict",
        entity_id=f"{judge_id}:{submission_id}",
        before={"reason": row.reason, "note": row.note, "declared_by": row.declared_by},
        after={"withdrawn_because": reason.strip()},
    )
    session.delete(row)
    session.commit()


def _views(session: Session, stmt: object) -> list[ConflictView]:
    rows = session.exec(stmt).all()  # type: ignore[call-overload]
    out = []
    for c in rows:
        judge = session.get(User, c.judge_id)
        sub = session.get(Submission, c.submission_id)
        org = session.get(Organisation, sub.organisation_id) if sub else None
        out.append(
            ConflictView(
                c.id or 0,
                c.judge_id,
                judge.username if judge else "?",
                judge.display_name if judge else "?",
                c.submission_id,
                sub.title if sub else "?",
                org.short_name if org else "?",
                ConflictReason(c.reason),
                c.note,
                c.declared_by,
            )
        )
    return out


def list_conflicts(*, session: Session, edition_id: int, judge_id: int | None = None) -> list[ConflictView]:
    stmt = (
        select(ConflictOfInterest)
        .join(Submission, col(Submission.id) == col(ConflictOfInterest.submission_id))
        .where(Submission.edition_id == edition_id)
        .order_by(col(ConflictOfInterest.judge_id), col(ConflictOfInterest.submission_id))
    )
    if judge_id is not None:
        stmt = stmt.where(ConflictOfInterest.judge_id == judge_id)
    return _views(session, stmt)


def provinces_named_in(text: str) -> set[str]:
    """Thai province names mentioned in an agency's name, e.g. 'สำนักงานจังหวัดเชียงราย' -> {'เชียงราย'}."""
    norm = normalize_thai(text)
    found = {p.name_th for p in PROVINCES if p.name_th in norm}
    # "ชัยนาท" is not "นาท"; keep the longest names only when one is inside another.
    return {n for n in found if not any(n != m and n in m for m in found)}


def suggest(*, session: Session, edition_id: int) -> list[ConflictSuggestion]:
    """Conflicts the rules see but nobody recorded: a judge whose agency names the applicant's province
    (own province), or whose agency is named as the project's development partner (earlier involvement).

    Users carry no province of their own, so the province rule reads it from the agency's name."""
    recorded = conflicted_pairs(session, edition_id)
    judges = session.exec(select(User).where(User.role == Role.judge, col(User.active))).all()
    # Plain columns, each partner's name normalised once: 10,000 works built as ORM rows and normalised once per
    # judge were most of the judging desk's first open.
    subs = [
        (int(sid), short_name, province, partner, normalize_thai(partner))
        for sid, short_name, province, partner in session.execute(
            sa.select(
                col(Submission.id),
                col(Organisation.short_name),
                col(Organisation.province),
                col(Submission.partner_name),
            )
            .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
            .where(col(Submission.edition_id) == edition_id)
            .order_by(col(Submission.id))
        )
    ]
    out = []
    for judge in judges:
        assert judge.id is not None
        home = provinces_named_in(judge.agency)
        agency = normalize_thai(judge.agency).strip()
        for sid, short_name, province, partner, partner_normalised in subs:
            if (judge.id, sid) in recorded:
                continue
            if province in home:
                out.append(
                    ConflictSuggestion(
                        judge.id,
                        judge.username,
                        sid,
                        short_name,
                        ConflictReason.own_province,
                        f"หน่วยงานของกรรมการ ({judge.agency}) อยู่ในจังหวัด{province} เช่นเดียวกับผู้สมัคร",
                        f"The judge's agency ({judge.agency}) is in {province}, as is the applicant.",
                    )
                )
            elif agency and len(agency) >= 3 and agency in partner_normalised:
                out.append(
                    ConflictSuggestion(
                        judge.id,
                        judge.username,
                        sid,
                        short_name,
                        ConflictReason.earlier_involvement,
                        f"หน่วยงานของกรรมการเป็นผู้ร่วมพัฒนาโครงการ ({partner})",
                        f"The judge's agency co-developed the project ({partner}).",
                    )
                )
    return out
