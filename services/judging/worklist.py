"""The judges' work list: who is assigned what, and the next sheet to score."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import and_, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models import (
    ConflictOfInterest,
    Criterion,
    JudgeAssignment,
    Organisation,
    Role,
    Score,
    ScoreSheet,
    SheetState,
    Submission,
    User,
)
from services.judging import rounds
from services.judging.guards import JUDGEABLE, conflict_refused, has_conflict, judge_of
from services.platform import audit
from services.platform.errors import NotFound, ValidationFailed


def not_in_round() -> ValidationFailed:
    return ValidationFailed(
        "not_in_round",
        "ผลงานนี้ไม่ได้ผ่านเข้ารอบนี้",
        "This work did not advance to this round.",
    )


# A judge's sheet as screens show it: the stored SheetState values, and "none" for a work not scored yet. Typed, so
# a page comparing against a misspelt state fails the type check instead of never matching.
SheetViewState = Literal["none", "draft", "submitted"]


def view_state(state: str | None) -> SheetViewState:
    """The view state of a stored ScoreSheet.state (None: no sheet)."""
    if state == SheetState.submitted:
        return "submitted"
    return "draft" if state == SheetState.draft else "none"


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
    state: SheetViewState
    total: float | None
    conflicted: bool = False  # declared or added conflict: the judge may not open it, the score does not count


def card_of(sub: Submission, org: Organisation) -> SubmissionCard:
    assert sub.id is not None
    return SubmissionCard(
        sub.id, sub.title, sub.category, org.full_name, org.short_name, org.province, sub.receipt_code
    )


def card_columns() -> tuple[Any, ...]:
    """SubmissionCard's fields as the columns of a statement on Submission joined to its Organisation, in its order."""
    return (
        col(Submission.id),
        col(Submission.title),
        col(Submission.category),
        col(Organisation.full_name),
        col(Organisation.short_name),
        col(Organisation.province),
        col(Submission.receipt_code),
    )


def list_assignments(
    *, session: Session, judge_id: int, edition_id: int, round_no: int | None = None
) -> list[AssignmentView]:
    """The judge's works in round_no (the edition's current round when None) with their sheet's state and running
    total. One statement of plain columns, no ORM rows: every run of the judge page asks, a hundred judges at once
    when the live session moves on, and on PostgreSQL each statement is a round trip (five of them were a third of
    a follow run). An inactive or removed judge gets no works: judge_of then says why."""
    params = {"judge": judge_id, "edition": edition_id, "round": round_no}
    rows = session.execute(_assignments_statement(round_no is None), params).all()
    if not rows:
        judge_of(session, judge_id)  # "not an active judge" when that is why there are none
    return [
        AssignmentView(
            SubmissionCard(*row[:7]),
            view_state(row[7]),
            None if row[8] is None else float(row[8]),
            bool(row[9]),
        )
        for row in rows
    ]


@functools.cache
def _assignments_statement(current_round: bool) -> Any:
    """list_assignments' statement, built once a process with its values as parameters (judge, edition, round): put
    together and keyed for SQLAlchemy's compiled cache on every call, it cost as much as running it."""
    judge_id, edition_id = sa.bindparam("judge", type_=sa.Integer), sa.bindparam("edition", type_=sa.Integer)
    in_round = rounds.current_round_expr(edition_id) if current_round else sa.bindparam("round", type_=sa.Integer)
    totals = (
        sa_select(col(Score.submission_id), func.sum(Score.points).label("total"))
        .join(Criterion, col(Criterion.id) == col(Score.criterion_id))
        .where(col(Score.judge_id) == judge_id, col(Criterion.scored), col(Criterion.round_no) == in_round)
        .group_by(col(Score.submission_id))
        .subquery("totals")
    )
    conflicted = (
        sa_select(col(ConflictOfInterest.id))
        .where(
            col(ConflictOfInterest.judge_id) == judge_id, col(ConflictOfInterest.submission_id) == col(Submission.id)
        )
        .exists()
    )
    active_judge = (
        sa_select(col(User.id)).where(col(User.id) == judge_id, col(User.role) == Role.judge, col(User.active)).exists()
    )
    # SQLAlchemy's select: sqlmodel's types a select of at most four columns
    return (
        sa_select(
            *card_columns(),
            col(ScoreSheet.state),
            totals.c.total,
            conflicted,
        )
        .join(JudgeAssignment, col(JudgeAssignment.submission_id) == col(Submission.id))
        .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
        .outerjoin(  # at most one sheet a judge, work and round (unique)
            ScoreSheet,
            and_(
                col(ScoreSheet.judge_id) == judge_id,
                col(ScoreSheet.submission_id) == col(Submission.id),
                col(ScoreSheet.round_no) == in_round,
            ),
        )
        .outerjoin(totals, totals.c.submission_id == col(Submission.id))
        .where(
            col(JudgeAssignment.judge_id) == judge_id,
            col(JudgeAssignment.round_no) == in_round,
            col(Submission.edition_id) == edition_id,
            col(Submission.status).in_(JUDGEABLE),
            active_judge,
        )
        .order_by(col(Submission.id))
    )


def next_unscored(assignments: Sequence[AssignmentView], current_id: int | None) -> int | None:
    """The next submission after current_id (wrapping round) whose sheet is not submitted, skipping conflicts."""
    open_ids = [a.submission.id for a in assignments if a.state != SheetState.submitted and not a.conflicted]
    if not open_ids:
        return None
    ids = [a.submission.id for a in assignments]
    start = ids.index(current_id) + 1 if current_id in ids else 0
    for sid in ids[start:] + ids[:start]:
        if sid in open_ids and sid != current_id:
            return sid
    return None


def assign_all(*, session: Session, edition_id: int, actor: str, round_no: int | None = None) -> int:
    """Every active judge scores every judgeable submission of round_no (the current round when None; as in 2564),
    except where a conflict is recorded. Returns how many were added."""
    if round_no is None:
        round_no = rounds.current_round_no(session=session, edition_id=edition_id)
    judges = session.exec(select(User.id).where(User.role == Role.judge, col(User.active))).all()
    admitted = rounds.works_in_round(session=session, edition_id=edition_id, round_no=round_no)
    subs = [
        s
        for s in session.exec(
            select(Submission.id).where(Submission.edition_id == edition_id, col(Submission.status).in_(JUDGEABLE))
        ).all()
        if admitted is None or s in admitted
    ]
    have = set(
        session.exec(
            select(JudgeAssignment.judge_id, JudgeAssignment.submission_id)
            .join(Submission)
            .where(Submission.edition_id == edition_id, JudgeAssignment.round_no == round_no)
        ).all()
    )
    have |= set(session.exec(select(ConflictOfInterest.judge_id, ConflictOfInterest.submission_id)).all())
    added = 0
    for j in judges:
        for s in subs:
            if (j, s) not in have and j is not None and s is not None:
                session.add(JudgeAssignment(judge_id=j, submission_id=s, round_no=round_no))
                added += 1
    audit.record(
        session=session,
        actor=actor,
        action="assignment.assign_all",
        entity="edition",
        entity_id=edition_id,
        after={"added": added, **rounds.audit_fields(round_no)},
    )
    session.commit()
    return added


def set_assignment(
    *, session: Session, judge_id: int, submission_id: int, assigned: bool, actor: str, round_no: int | None = None
) -> None:
    """Assign a work to a judge in round_no (the current round when None), or take it back. A later round's works
    are the ones the round before advanced."""
    judge_of(session, judge_id)
    if assigned and has_conflict(session, judge_id, submission_id):
        raise conflict_refused()
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise NotFound("no_submission", "ไม่พบผลงานนี้", "No such submission.")
    if round_no is None:
        round_no = rounds.current_round_no(session=session, edition_id=sub.edition_id)
    admitted = rounds.works_in_round(session=session, edition_id=sub.edition_id, round_no=round_no)
    if assigned and admitted is not None and submission_id not in admitted:
        raise not_in_round()
    row = session.exec(
        select(JudgeAssignment).where(
            JudgeAssignment.judge_id == judge_id,
            JudgeAssignment.submission_id == submission_id,
            JudgeAssignment.round_no == round_no,
        )
    ).first()
    if assigned and row is None:
        session.add(JudgeAssignment(judge_id=judge_id, submission_id=submission_id, round_no=round_no))
    elif not assigned and row is not None:
        session.delete(row)
    else:
        return
    audit.record(
        session=session,
        actor=actor,
        action="assignment.set",
        entity="assignment",
        entity_id=f"{judge_id}:{submission_id}",
        before={"assigned": not assigned},
        after={"assigned": assigned, **rounds.audit_fields(round_no)},
    )
    session.commit()
