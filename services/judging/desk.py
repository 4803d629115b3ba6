"""The judging desk's list at national scale: the edition's judgeable works filtered, searched, sorted and paged as
the screening queue is, each with its panel (judges, sheets submitted, agencies, conflicts); and assigning the
selected works to judges (or taking them off) in one go, each pair refused, and audited, as the single one is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import exists, func
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
    judges: dict[int, int]  # submission -> judges assigned (no conflict)
    submitted: dict[int, int]  # submission -> sheets submitted by its panel
    conflicts: dict[int, int]


def _no_conflict(judge_id: Any, submission_id: Any) -> Any:
    return ~exists().where(
        col(ConflictOfInterest.judge_id) == judge_id, col(ConflictOfInterest.submission_id) == submission_id
    )


def _panels(session: Session, edition_id: int) -> _Panels:
    """Per work: judges on its panel, their sheets submitted, conflicts declared. Counted by the database: a
    national edition has 50,000 assignments and as many sheets, not worth carrying into Python to count."""
    in_edition = col(Submission.edition_id) == edition_id
    a, sh = JudgeAssignment, ScoreSheet
    run = session.connection().execute  # Core: plain (work, count) pairs
    judges = run(
        select(col(a.submission_id), func.count())
        .join(Submission, col(Submission.id) == col(a.submission_id))
        .where(in_edition, _no_conflict(a.judge_id, a.submission_id))
        .group_by(col(a.submission_id))
    ).all()
    submitted = run(
        select(col(sh.submission_id), func.count())
        .join(Submission, col(Submission.id) == col(sh.submission_id))
        .join(a, (col(a.judge_id) == col(sh.judge_id)) & (col(a.submission_id) == col(sh.submission_id)))
        .where(in_edition, sh.state == SheetState.submitted, _no_conflict(sh.judge_id, sh.submission_id))
        .group_by(col(sh.submission_id))
    ).all()
    conflicts = run(
        select(col(ConflictOfInterest.submission_id), func.count())
        .join(Submission, col(Submission.id) == col(ConflictOfInterest.submission_id))
        .where(in_edition)
        .group_by(col(ConflictOfInterest.submission_id))
    ).all()
    return _Panels({s: n for s, n in judges}, {s: n for s, n in submitted}, {s: n for s, n in conflicts})


def _panel_of(session: Session, submission_ids: Sequence[int]) -> dict[int, list[User]]:
    """The judges on these works' panels (conflicts left out), by username: for the page's rows only."""
    out: dict[int, list[User]] = {}
    for sid, user in session.exec(
        select(JudgeAssignment.submission_id, User)
        .join(User, col(User.id) == col(JudgeAssignment.judge_id))
        .where(
            col(JudgeAssignment.submission_id).in_(submission_ids),
            _no_conflict(JudgeAssignment.judge_id, JudgeAssignment.submission_id),
        )
        .order_by(col(User.username))
    ).all():
        out.setdefault(sid, []).append(user)
    return out


def desk_index(*, session: Session, edition_id: int) -> ListIndex:
    return list_index(session=session, edition_id=edition_id, statuses=JUDGEABLE)


def _panel_passes(panel: Panel, sid: int, panels: _Panels) -> bool:
    on = panels.judges.get(sid, 0)
    if panel == Panel.none:
        return not on
    if panel == Panel.started:
        return bool(on)
    if panel == Panel.open:
        return on > panels.submitted.get(sid, 0)
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
    ordered = index.sorted(found, sort, descending=descending)
    paged = page_of(ordered, page=page, size=size)
    on_panel = _panel_of(session, [line.id for line in paged.lines])
    rows = [
        DeskRow(
            line,
            tuple(u.username for u in on_panel.get(line.id, [])),
            panels.submitted.get(line.id, 0),
            len({u.agency or u.username for u in on_panel.get(line.id, [])}),
            panels.conflicts.get(line.id, 0),
        )
        for line in paged.lines
    ]
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
