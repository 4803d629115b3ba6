"""The judging desk's list at national scale: the edition's judgeable works filtered, searched, sorted and paged as
the screening queue is, each with its panel (judges, sheets submitted, agencies, conflicts); and assigning the
selected works to judges (or taking them off) in one go, each pair refused, and audited, as the single one is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from models import ConflictOfInterest, JudgeAssignment, ScoreSheet, SheetState, Submission, SubmissionStatus, User
from services.intake import phrases as intake_phrases
from services.intake.queue import (
    DEFAULT_PAGE_SIZE,
    BulkResult,
    Filters,
    Line,
    ListIndex,
    Paged,
    Refusal,
    Sort,
    list_index,
    page_of,
    refusal,
    sort_lines,
)
from services.judging.guards import JUDGEABLE, conflict_refused, judge_of
from services.mail import notify as mail_notify
from services.platform import audit
from services.platform.errors import DomainError, ValidationFailed


class Panel(StrEnum):
    """The desk's panel filter."""

    any = "any"
    none = "none"  # no judge yet
    started = "started"  # at least one judge
    open = "open"  # a judge on the panel has not submitted their sheet


@dataclass(frozen=True)
class DeskRow:
    line: Line
    judges: tuple[str, ...]  # usernames on the panel, conflicts left out
    submitted: int
    agencies: int
    conflicts: int


@dataclass(frozen=True)
class DeskPage:
    rows: tuple[DeskRow, ...]
    paged: Paged
    matching_ids: tuple[int, ...]
    index: ListIndex
    without_judges: int  # among the judgeable works, whatever the filters


@dataclass(frozen=True)
class _Panels:
    judges: dict[int, list[int]]  # submission -> judges assigned (no conflict)
    submitted: dict[int, int]  # submission -> sheets submitted by its panel
    conflicts: dict[int, int]


def _panels(session: Session, edition_id: int) -> _Panels:
    conflicts = set(
        session.exec(
            select(ConflictOfInterest.judge_id, ConflictOfInterest.submission_id)
            .join(Submission, col(Submission.id) == col(ConflictOfInterest.submission_id))
            .where(Submission.edition_id == edition_id)
        ).all()
    )
    judges: dict[int, list[int]] = {}
    for j, s in session.exec(
        select(JudgeAssignment.judge_id, JudgeAssignment.submission_id)
        .join(Submission, col(Submission.id) == col(JudgeAssignment.submission_id))
        .where(Submission.edition_id == edition_id)
    ).all():
        if (j, s) not in conflicts:
            judges.setdefault(s, []).append(j)
    submitted: dict[int, int] = {}
    for j, s in session.exec(
        select(ScoreSheet.judge_id, ScoreSheet.submission_id)
        .join(Submission, col(Submission.id) == col(ScoreSheet.submission_id))
        .where(Submission.edition_id == edition_id, ScoreSheet.state == SheetState.submitted)
    ).all():
        if j in judges.get(s, ()):
            submitted[s] = submitted.get(s, 0) + 1
    by_sub: dict[int, int] = {}
    for _, s in conflicts:
        by_sub[s] = by_sub.get(s, 0) + 1
    return _Panels(judges, submitted, by_sub)


def desk_index(*, session: Session, edition_id: int) -> ListIndex:
    return list_index(session=session, edition_id=edition_id, statuses=JUDGEABLE)


def _panel_passes(panel: Panel, sid: int, panels: _Panels) -> bool:
    on = panels.judges.get(sid, [])
    if panel == Panel.none:
        return not on
    if panel == Panel.started:
        return bool(on)
    if panel == Panel.open:
        return len(on) > panels.submitted.get(sid, 0)
    return True


def desk_page(
    *,
    session: Session,
    edition_id: int,
    filters: Filters,
    panel: Panel = Panel.any,
    sort: Sort = Sort.receipt,
    descending: bool = False,
    page: int = 1,
    size: int = DEFAULT_PAGE_SIZE,
    index: ListIndex | None = None,
) -> DeskPage:
    """The judgeable works (sent or accepted) as the desk lists them, one page of them with their panels; index: the
    desk_index the page already read, else read."""
    index = index or desk_index(session=session, edition_id=edition_id)
    panels = _panels(session, edition_id)
    found = [line for line in index.matching(filters) if _panel_passes(panel, line.id, panels)]
    ordered = sort_lines(found, sort, descending=descending)
    paged = page_of(ordered, page=page, size=size)
    users = {
        u.id: u
        for u in session.exec(
            select(User).where(col(User.id).in_({j for x in paged.lines for j in panels.judges.get(x.id, [])}))
        ).all()
    }
    rows = []
    for line in paged.lines:
        on = sorted(panels.judges.get(line.id, []), key=lambda j: users[j].username if j in users else "")
        rows.append(
            DeskRow(
                line,
                tuple(users[j].username for j in on if j in users),
                panels.submitted.get(line.id, 0),
                len({users[j].agency or users[j].username for j in on if j in users}),
                panels.conflicts.get(line.id, 0),
            )
        )
    return DeskPage(
        tuple(rows),
        paged,
        tuple(x.id for x in ordered),
        index,
        sum(1 for line in index.lines if not panels.judges.get(line.id)),
    )


def not_judgeable(status: str) -> ValidationFailed:
    state = intake_phrases.SUBMISSION_STATUS_SHORT.get(status, (status, status))
    return ValidationFailed(
        "not_judgeable",
        f"ผลงานนี้ไม่อยู่ในการพิจารณา (สถานะ: {state[0]}) จึงมอบหมายกรรมการไม่ได้",
        f"This work is not being judged (status: {state[1]}), so it cannot be assigned.",
    )


def assign_many(
    *,
    session: Session,
    edition_id: int,
    judge_ids: Sequence[int],
    submission_ids: Sequence[int],
    assigned: bool,
    actor: str,
) -> BulkResult:
    """Put each of the judges on each selected work's panel (assigned) or take them off. As the single assignment:
    an inactive judge or one who is not a judge refuses the whole action; a pair with a recorded conflict of
    interest is refused (and so is a work no longer being judged, when assigning); each change is audited as
    "assignment.set". The judges hear of their new works as after panels are made. One transaction."""
    judges = [judge_of(session, j) for j in dict.fromkeys(judge_ids)]  # raises Forbidden for a non-judge
    wanted = list(dict.fromkeys(submission_ids))
    subs = {
        s.id: s
        for s in session.exec(
            select(Submission).where(col(Submission.id).in_(wanted), Submission.edition_id == edition_id)
        ).all()
    }
    have = {
        (a.judge_id, a.submission_id): a
        for a in session.exec(select(JudgeAssignment).where(col(JudgeAssignment.submission_id).in_(wanted))).all()
    }
    conflicts = set(
        session.exec(
            select(ConflictOfInterest.judge_id, ConflictOfInterest.submission_id).where(
                col(ConflictOfInterest.submission_id).in_(wanted)
            )
        ).all()
    )
    done: list[int] = []
    unchanged: list[int] = []
    refused: list[Refusal] = []
    added: list[tuple[int, int]] = []
    pairs = 0
    for sid in wanted:
        sub = subs.get(sid)
        if sub is None:
            refused.append(Refusal(sid, "", "no_submission", "ไม่พบผลงานนี้ในรุ่นนี้", "No such work in this edition."))
            continue
        if assigned and sub.status not in JUDGEABLE:
            refused.append(refusal(sid, sub.receipt_code, not_judgeable(SubmissionStatus(sub.status))))
            continue
        changed = blocked = False
        for judge in judges:
            assert judge.id is not None
            pair = (judge.id, sid)
            error: DomainError | None = conflict_refused() if assigned and pair in conflicts else None
            if error is not None:
                refused.append(refusal(sid, sub.receipt_code, error, judge.username))
                blocked = True
                continue
            if assigned == (pair in have):
                continue
            if assigned:
                session.add(JudgeAssignment(judge_id=judge.id, submission_id=sid))
                added.append(pair)
            else:
                session.delete(have[pair])
            audit.record(
                session=session,
                actor=actor,
                action="assignment.set",
                entity="assignment",
                entity_id=f"{judge.id}:{sid}",
                before={"assigned": not assigned},
                after={"assigned": assigned, "bulk": True},
            )
            changed = True
            pairs += 1
        if changed:
            done.append(sid)
        elif not blocked:
            unchanged.append(sid)
    if added:
        mail_notify.judges_assigned(session=session, edition_id=edition_id, added=added)
    session.commit()
    return BulkResult(tuple(done), tuple(unchanged), tuple(refused), pairs)
