"""Judging panels: k judges per submission with balanced load and enough agencies, conflicts respected; progress."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models import (
    ConflictOfInterest,
    JudgeAssignment,
    Organisation,
    Role,
    ScoreSheet,
    SheetState,
    Submission,
    User,
)
from services.judging import rounds
from services.judging.guards import JUDGEABLE
from services.mail import notify as mail_notify
from services.platform import audit
from services.platform.errors import ValidationFailed


@dataclass(frozen=True)
class PanelPlan:
    """submission -> its judges, and the submissions whose panel falls short of k judges or m agencies."""

    panels: dict[int, tuple[int, ...]]
    short: dict[int, str]  # submission -> "judges" or "agencies"

    def load(self) -> Counter[int]:
        return Counter(j for panel in self.panels.values() for j in panel)


def plan_panels(
    judges: Mapping[int, str],
    submissions: Sequence[int],
    k: int,
    min_agencies: int,
    conflicts: set[tuple[int, int]],
    keep: Mapping[int, Sequence[int]] | None = None,
) -> PanelPlan:
    """Greedy and deterministic: the submissions with the fewest eligible judges are staffed first; each seat goes to
    an eligible judge from an agency not yet on the panel, then to the least-loaded one. `keep` holds judges who
    must stay on a panel (they have started a sheet)."""
    if k < 1:
        raise ValidationFailed("bad_k", "จำนวนกรรมการต่อผลงานต้องมีอย่างน้อย 1 คน", "A panel needs at least 1 judge.")
    keep = keep or {}
    load: Counter[int] = Counter({j: 0 for j in judges})
    for panel in keep.values():
        load.update(j for j in panel if j in judges)
    eligible = {s: [j for j in judges if (j, s) not in conflicts] for s in submissions}
    order = sorted(submissions, key=lambda s: (len(eligible[s]), s))
    panels: dict[int, tuple[int, ...]] = {}
    short: dict[int, str] = {}
    for s in order:
        panel = [j for j in keep.get(s, ()) if j in judges]
        while len(panel) < k:
            agencies = {judges[j] for j in panel}
            candidates = [j for j in eligible[s] if j not in panel]
            if not candidates:
                break
            best = min(candidates, key=lambda j: (judges[j] in agencies, load[j], j))
            panel.append(best)
            load[best] += 1
        panels[s] = tuple(sorted(panel))
        if len(panel) < k:
            short[s] = "judges"
        elif len({judges[j] for j in panel}) < min_agencies:
            short[s] = "agencies"
    return PanelPlan(panels, short)


@dataclass(frozen=True)
class PanelResult:
    added: int
    removed: int
    kept: int
    short: dict[int, str]


def assign_panels(
    *,
    session: Session,
    edition_id: int,
    judges_per_submission: int,
    min_agencies: int,
    actor: str,
    round_no: int | None = None,
) -> PanelResult:
    """Replace the assignments of round_no (the current round when None) with balanced panels over its works. A
    judge who has started a sheet in it keeps that submission (their work is never thrown away); conflicts are
    never assigned. Other rounds' assignments are left as they are."""
    if round_no is None:
        round_no = rounds.current_round_no(session=session, edition_id=edition_id)
    admitted = rounds.works_in_round(session=session, edition_id=edition_id, round_no=round_no)
    judges = {
        u.id: (u.agency or u.username)
        for u in session.exec(select(User).where(User.role == Role.judge, col(User.active)))
        if u.id is not None
    }
    if judges_per_submission > len(judges):
        raise ValidationFailed(
            "too_few_judges",
            f"มีกรรมการที่ใช้งานอยู่ {len(judges)} คน น้อยกว่าจำนวนต่อผลงานที่ขอ ({judges_per_submission})",
            f"Only {len(judges)} active judges for panels of {judges_per_submission}.",
        )
    subs = [
        s
        for s in session.exec(
            select(Submission.id)
            .where(Submission.edition_id == edition_id, col(Submission.status).in_(JUDGEABLE))
            .order_by(col(Submission.id))
        )
        if s is not None and (admitted is None or s in admitted)
    ]
    conflicts = {(j, s) for j, s in session.exec(select(ConflictOfInterest.judge_id, ConflictOfInterest.submission_id))}
    started: dict[int, list[int]] = {}
    for sheet in session.exec(
        select(ScoreSheet).join(Submission).where(Submission.edition_id == edition_id, ScoreSheet.round_no == round_no)
    ):
        if (sheet.judge_id, sheet.submission_id) not in conflicts and sheet.judge_id in judges:
            started.setdefault(sheet.submission_id, []).append(sheet.judge_id)
    plan = plan_panels(judges, subs, judges_per_submission, min_agencies, conflicts, started)
    wanted = {(j, s) for s, panel in plan.panels.items() for j in panel}
    current = {
        (a.judge_id, a.submission_id): a
        for a in session.exec(
            select(JudgeAssignment)
            .join(Submission)
            .where(Submission.edition_id == edition_id, JudgeAssignment.round_no == round_no)
        )
    }
    removed = 0
    for pair, row in current.items():
        if pair not in wanted:
            session.delete(row)
            removed += 1
    added = 0
    for j, s in sorted(wanted - set(current)):
        session.add(JudgeAssignment(judge_id=j, submission_id=s, round_no=round_no))
        added += 1
    kept = len(wanted & set(current))
    audit.record(
        session=session,
        actor=actor,
        action="assignment.panels",
        entity="edition",
        entity_id=edition_id,
        before={"assignments": len(current)},
        after={
            "judges_per_submission": judges_per_submission,
            "min_agencies": min_agencies,
            **rounds.audit_fields(round_no),
            "added": added,
            "removed": removed,
            "kept": kept,
            "short": len(plan.short),
        },
    )
    mail_notify.judges_assigned(session=session, edition_id=edition_id, added=sorted(wanted - set(current)))
    session.commit()
    return PanelResult(added, removed, kept, plan.short)


@dataclass(frozen=True)
class JudgeProgress:
    judge_id: int
    username: str
    display_name: str
    agency: str
    assigned: int  # conflicts not counted
    submitted: int
    draft: int
    conflicts: int


@dataclass(frozen=True)
class SubmissionProgress:
    submission_id: int
    title: str
    short_name: str
    province: str
    judges: tuple[int, ...]
    submitted: int
    agencies: int
    conflicts: int


@dataclass(frozen=True)
class Progress:
    judges: tuple[JudgeProgress, ...]
    submissions: tuple[SubmissionProgress, ...]


def progress(*, session: Session, edition_id: int, round_no: int | None = None) -> Progress:
    """Per judge and per submission of round_no (the current round when None): assigned, submitted and draft
    sheets, agencies on the panel, conflicts."""
    if round_no is None:
        round_no = rounds.current_round_no(session=session, edition_id=edition_id)
    admitted = rounds.works_in_round(session=session, edition_id=edition_id, round_no=round_no)
    users = {u.id: u for u in session.exec(select(User).where(User.role == Role.judge)) if u.id is not None}
    # Plain columns, not ORM rows: a national edition's 10,000 works and 50,000 sheets (with their frozen points)
    # built as objects were most of the judging desk's first open (~2.8 s).
    of_edition = (col(Submission.edition_id) == edition_id, col(Submission.status).in_(JUDGEABLE))
    subs = [
        (int(sid), title, short_name, province)
        for sid, title, short_name, province in session.execute(
            sa.select(
                col(Submission.id), col(Submission.title), col(Organisation.short_name), col(Organisation.province)
            )
            .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
            .where(*of_edition)
            .order_by(col(Submission.id))
        )
    ]
    if admitted is not None:
        subs = [row for row in subs if row[0] in admitted]
    sub_ids = {row[0] for row in subs}
    conflicts = {
        (j, s)
        for j, s in session.exec(select(ConflictOfInterest.judge_id, ConflictOfInterest.submission_id))
        if s in sub_ids
    }
    pairs = [
        (j, s)
        for j, s in session.exec(
            select(JudgeAssignment.judge_id, JudgeAssignment.submission_id).where(JudgeAssignment.round_no == round_no)
        )
        if s in sub_ids and (j, s) not in conflicts
    ]
    states = {
        (j, s): state
        for j, s, state in session.exec(
            select(ScoreSheet.judge_id, ScoreSheet.submission_id, ScoreSheet.state)
            .join(Submission, col(Submission.id) == col(ScoreSheet.submission_id))
            .where(*of_edition, ScoreSheet.round_no == round_no)
        )
    }
    conflicts_of_judge = Counter(j for j, _ in conflicts)
    conflicts_on_work = Counter(s for _, s in conflicts)
    by_judge: dict[int, list[int]] = {}
    by_sub: dict[int, list[int]] = {}
    for j, s in pairs:
        by_judge.setdefault(j, []).append(s)
        by_sub.setdefault(s, []).append(j)
    judges = []
    for j, u in sorted(users.items(), key=lambda kv: kv[1].username):
        mine = by_judge.get(j, [])
        judges.append(
            JudgeProgress(
                j,
                u.username,
                u.display_name,
                u.agency,
                len(mine),
                sum(states.get((j, s)) == SheetState.submitted for s in mine),
                sum(states.get((j, s)) == SheetState.draft for s in mine),
                conflicts_of_judge[j],
            )
        )
    submissions = []
    for sid, title, short_name, province in subs:
        panel = tuple(sorted(by_sub.get(sid, [])))
        submissions.append(
            SubmissionProgress(
                sid,
                title,
                short_name,
                province,
                panel,
                sum(states.get((j, sid)) == SheetState.submitted for j in panel),
                len({users[j].agency for j in panel if j in users}),
                conflicts_on_work[sid],
            )
        )
    return Progress(tuple(judges), tuple(submissions))
