"""A judge's score sheet: reading it, saving drafts safely, submitting, reopening."""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, delete, update
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import (
    ConflictOfInterest,
    Criterion,
    Edition,
    JudgeAssignment,
    JudgingRound,
    Organisation,
    Role,
    Score,
    ScoreSheet,
    SheetState,
    Submission,
    TypedComment,
    User,
)
from models.rounds import FIRST_ROUND
from services.judging import rounds, sheet_rules
from services.judging.guards import JUDGEABLE, conflict_refused, judge_of, judging_closed_refused, phase_closed
from services.judging.worklist import SheetViewState, SubmissionCard, card_columns, view_state
from services.platform import audit
from services.platform.clock import contest_now
from services.platform.errors import Forbidden, NotFound, ValidationFailed


class SheetChanged(ValidationFailed):
    """The sheet was saved elsewhere (another tab or device) since this copy was read: reload before saving."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            "sheet_changed",
            "ใบให้คะแนนนี้ถูกแก้ไขจากอีกแท็บหรืออีกเครื่องหนึ่งหลังจากที่ท่านเปิดไว้ ระบบโหลดค่าล่าสุดให้แล้ว "
            "กรุณาตรวจสอบแล้วปรับคะแนนอีกครั้ง (การเปลี่ยนแปลงครั้งล่าสุดของหน้านี้ยังไม่ได้บันทึก)",
            "This sheet was changed in another tab or device after you opened it. The latest values are loaded; "
            "check them and make your change again (this page's last change was not saved).",
        )
        self.current_version = current_version


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
    state: SheetViewState
    overall_comment: str
    criteria: tuple[CriterionScore, ...]
    updated_at: datetime | None
    version: int = 0  # 0: never saved; the page sends it back so a stale tab is warned instead of overwriting
    # Comments typed on the page but not yet in the sheet: (criterion id, or 0 for the overall comment, text).
    typed: tuple[tuple[int, str], ...] = ()

    @property
    def total(self) -> float:
        return sum(c.points or 0.0 for c in self.criteria)

    @property
    def max_total(self) -> int:
        return sum(c.max_points for c in self.criteria)

    @property
    def complete(self) -> bool:
        return all(c.points is not None for c in self.criteria)


def bad_criterion() -> ValidationFailed:
    return ValidationFailed(
        "bad_criterion",
        "เกณฑ์นี้ไม่อยู่ในรุ่นการประกวดของผลงาน",
        "That criterion does not belong to this submission's edition.",
    )


def sheet_locked() -> ValidationFailed:
    return ValidationFailed(
        "sheet_locked",
        "ส่งคะแนนผลงานนี้แล้ว แก้ไขไม่ได้ หากต้องการแก้ไขกรุณาติดต่อผู้จัดงาน",
        "This sheet is submitted and locked; ask an organiser to reopen it.",
    )


@dataclass(frozen=True)
class SheetContext:
    card: SubmissionCard
    edition_id: int
    phase: str  # the edition's
    criteria: tuple[Criterion, ...]
    round_no: int = FIRST_ROUND  # the edition's current round: the only one a judge scores
    round_frozen: bool = False  # its shortlist is frozen: its sheets no longer change
    any_typed: bool = False  # the judge has typed text kept for a criterion of this work (TypedComment)


def sheet_context(session: Session, judge_id: int, submission_id: int) -> SheetContext:
    """Everything save_sheet checks before a judge may change a sheet, and the work's card for the answer.

    One round trip for the work's status and card, the edition's phase, the judge, the assignment and conflict, and
    whether text is typed, as plain columns (the work's JSON, answers included, is not read); one for the criteria:
    this runs on every slider movement, so it is kept short. The sheet is the one of the edition's current round,
    found in the same statement. Both statements are built once a process, the judge and the work as parameters:
    put together and keyed for SQLAlchemy's compiled cache on every call, they cost about as much as running them."""
    params = {"judge": judge_id, "work": submission_id}
    row = session.execute(_context_statement(), params).first()
    _check_may_open(session, judge_id, row and (row[0], *row[10:14]))
    assert row is not None  # _check_may_open refused otherwise
    edition_id, phase, *card = row[1:10]
    round_no, round_frozen, any_typed = row[14:]
    criteria = session.execute(_criteria_statement(False), {"edition": edition_id, "round": round_no}).scalars()
    return SheetContext(
        SubmissionCard(*card), edition_id, phase, tuple(criteria), int(round_no), bool(round_frozen), bool(any_typed)
    )


def _check_may_open(session: Session, judge_id: int, found: tuple[Any, ...] | None) -> None:
    """Refuse a judge who may not open the work: found is (the work's status, the judge's role and active flag,
    assigned in the current round, conflicted), None without such a work."""
    if found is None or found[1] != Role.judge or not found[2]:
        judge_of(session, judge_id)  # says "not a judge" when that is why; else the submission is missing
    if found is None or found[0] not in JUDGEABLE:
        raise NotFound(
            "no_submission", "ไม่พบผลงานนี้ หรือผลงานนี้ไม่อยู่ในการพิจารณา", "No such submission, or it is not being judged."
        )
    if not found[3]:
        raise Forbidden("not_assigned", "ผลงานนี้ไม่ได้มอบหมายให้ท่านพิจารณา", "This submission is not assigned to you.")
    if found[4]:
        raise conflict_refused()


_JUDGE = sa.bindparam("judge", type_=sa.Integer)
_WORK = sa.bindparam("work", type_=sa.Integer)


def _may_open_columns() -> tuple[Any, ...]:
    """The judge's role and active flag, assigned in the work's current round, conflicted, and that round: what
    _check_may_open and the sheet's round need, as columns of a statement on Submission joined to the judge."""
    current = rounds.current_round_expr(col(Submission.edition_id))
    assigned = (
        select(JudgeAssignment.id)
        .where(
            col(JudgeAssignment.judge_id) == _JUDGE,
            col(JudgeAssignment.submission_id) == _WORK,
            JudgeAssignment.round_no == current,
        )
        .exists()
    )
    conflicted = (
        select(ConflictOfInterest.id)
        .where(col(ConflictOfInterest.judge_id) == _JUDGE, col(ConflictOfInterest.submission_id) == _WORK)
        .exists()
    )
    return col(User.role), col(User.active), assigned, conflicted, current


def _any_typed() -> Any:
    """Whether the judge has typed text kept on the work (parameters judge and work), as a column."""
    return (
        select(TypedComment.id)
        .where(col(TypedComment.judge_id) == _JUDGE, col(TypedComment.submission_id) == _WORK)
        .exists()
    )


@functools.cache
def _context_statement() -> Any:
    """sheet_context's first statement (parameters judge and work)."""
    unfrozen_round = (
        select(JudgingRound.id)
        .where(JudgingRound.edition_id == col(Submission.edition_id), col(JudgingRound.frozen_at).is_(None))
        .exists()
    )
    any_round = select(JudgingRound.id).where(JudgingRound.edition_id == col(Submission.edition_id)).exists()
    return (
        sa_select(
            col(Submission.status),
            col(Submission.edition_id),
            col(Edition.phase),
            *card_columns(),
            *_may_open_columns(),
            any_round & ~unfrozen_round,
            _any_typed(),
        )
        .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
        .join(Edition, col(Edition.id) == col(Submission.edition_id))
        .join(User, col(User.id) == _JUDGE)
        .where(col(Submission.id) == _WORK)
    )


@functools.cache
def sheet_statement() -> Any:
    """get_sheet's first statement (parameters judge and work): the work's card, the checks' columns, the judge's
    sheet of the current round (at most one: unique) and whether any text is typed, as plain columns. sheet_of_row
    reads its first SHEET_COLUMNS; a caller may add columns of the same work after them (evidence.sheet_on_screen)."""
    may_open = _may_open_columns()
    return (
        sa_select(
            col(Submission.status),
            col(Submission.edition_id),
            *may_open[:4],
            may_open[4].label("round_no"),
            *card_columns(),
            col(ScoreSheet.state),
            col(ScoreSheet.overall_comment),
            col(ScoreSheet.updated_at),
            col(ScoreSheet.version),
            _any_typed(),
        )
        .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
        .join(User, col(User.id) == _JUDGE)
        .outerjoin(
            ScoreSheet,
            and_(
                col(ScoreSheet.judge_id) == _JUDGE,
                col(ScoreSheet.submission_id) == _WORK,
                col(ScoreSheet.round_no) == may_open[4],
            ),
        )
        .where(col(Submission.id) == _WORK)
    )


@functools.cache
def _criteria_statement(with_scores: bool) -> Any:
    """The round's scored criteria in order (parameters edition and round); with_scores as plain columns, each with
    the judge's points and comment on the work, if any (parameters judge and work)."""
    of_round = (
        col(Criterion.edition_id) == sa.bindparam("edition", type_=sa.Integer),
        col(Criterion.round_no) == sa.bindparam("round", type_=sa.Integer),
        col(Criterion.scored),
    )
    if not with_scores:
        return sa_select(Criterion).where(*of_round).order_by(col(Criterion.position))
    return (
        sa_select(
            col(Criterion.id),
            col(Criterion.code),
            col(Criterion.title_th),
            col(Criterion.title_en),
            col(Criterion.guidance_th),
            col(Criterion.max_points),
            col(Score.points),
            col(Score.comment),
        )
        .where(*of_round)
        .outerjoin(
            Score,
            and_(
                col(Score.criterion_id) == col(Criterion.id),
                col(Score.judge_id) == _JUDGE,
                col(Score.submission_id) == _WORK,
            ),
        )
        .order_by(col(Criterion.position))
    )


def _view(ctx: SheetContext, judge_id: int, sheet: ScoreSheet | None, scores: Mapping[int, Score]) -> SheetView:
    items = []
    for c in ctx.criteria:
        s = scores.get(c.id or 0)
        items.append(
            CriterionScore(
                c.id or 0,
                c.code,
                c.title_th,
                c.title_en,
                c.guidance_th,
                c.max_points,
                s.points if s else None,
                s.comment if s else "",
            )
        )
    return SheetView(
        judge_id,
        ctx.card,
        view_state(sheet.state if sheet else None),
        sheet.overall_comment if sheet else "",
        tuple(items),
        sheet.updated_at if sheet else None,
        sheet.version if sheet else 0,
    )


def _sheet_row(session: Session, judge_id: int, submission_id: int, round_no: int) -> ScoreSheet | None:
    # populate_existing: after another transaction committed, read its values, not this session's cached copy.
    return session.exec(
        select(ScoreSheet)
        .where(
            ScoreSheet.judge_id == judge_id, ScoreSheet.submission_id == submission_id, ScoreSheet.round_no == round_no
        )
        .execution_options(populate_existing=True)
    ).first()


def _score_rows(session: Session, judge_id: int, submission_id: int, round_no: int) -> dict[int, Score]:
    """The judge's scores of the work in a round (each round has criteria of its own)."""
    params = {"judge": judge_id, "work": submission_id, "round": round_no}
    return {s.criterion_id: s for s in session.scalars(_score_rows_statement(), params)}


@functools.cache
def _score_rows_statement() -> Any:
    """_score_rows' statement (parameters judge, work and round), built once as _context_statement. populate_existing:
    after another transaction committed, its values, not this session's cached copies."""
    return (
        sa_select(Score)
        .join(Criterion, col(Criterion.id) == col(Score.criterion_id))
        .where(
            col(Score.judge_id) == _JUDGE,
            col(Score.submission_id) == _WORK,
            col(Criterion.round_no) == sa.bindparam("round", type_=sa.Integer),
        )
        .execution_options(populate_existing=True)
    )


def get_sheet(*, session: Session, judge_id: int, submission_id: int) -> SheetView:
    """The judge's sheet of the work in the current round, after sheet_context's checks. Read as plain columns in
    two round trips (the work and the sheet, the criteria and scores; a third only when text is typed), no ORM
    rows: the judge page reads it on every follow of the live session, a hundred judges at once."""
    return sheet_of_row(
        session, judge_id, session.execute(sheet_statement(), {"judge": judge_id, "work": submission_id}).first()
    )


SHEET_COLUMNS = 19  # sheet_statement's own columns; a caller's added ones follow


def sheet_of_row(session: Session, judge_id: int, row: Any) -> SheetView:
    """The sheet from sheet_statement's row (None: no such work), after the same refusals as sheet_context."""
    _check_may_open(session, judge_id, row and row[:1] + row[2:6])
    assert row is not None  # _check_may_open refused otherwise
    submission_id = row[7]
    params = {"judge": judge_id, "work": submission_id, "edition": row[1], "round": row[6]}
    criteria = tuple(
        CriterionScore(cid, code, title_th, title_en, guidance_th, top, points, comment or "")
        for cid, code, title_th, title_en, guidance_th, top, points, comment in session.execute(
            _criteria_statement(True), params
        )
    )
    state, overall_comment, updated_at, version, any_typed = row[14:SHEET_COLUMNS]
    return SheetView(
        judge_id,
        SubmissionCard(*row[7:14]),
        view_state(state),
        overall_comment or "",
        criteria,
        updated_at,
        version or 0,
        _typed(session, judge_id, submission_id) if any_typed else (),
    )


def _typed(session: Session, judge_id: int, submission_id: int) -> tuple[tuple[int, str], ...]:
    typed = session.execute(_TYPED, {"judge": judge_id, "work": submission_id}).all()
    return tuple((int(c), str(t)) for c, t in typed)


_TYPED = (  # built once, as _context_statement
    sa_select(col(TypedComment.criterion_id), col(TypedComment.text))
    .where(col(TypedComment.judge_id) == _JUDGE, col(TypedComment.submission_id) == _WORK)
    .order_by(col(TypedComment.criterion_id))
)


MAX_COMMENT_CHARS = 5000

POINT_STEP = 0.5  # a slider moves in half points; any other value is not one a judge could have given


def save_changes(
    *,
    session: Session,
    judge_id: int,
    submission_id: int,
    points: Mapping[int, float],
    comments: Mapping[int, str],
    overall_comment: str | None,
    actor: str,
    now: datetime | None = None,
) -> tuple[SheetView, bool]:
    """What the score-sheet component sends as the judge works: some points, some comments, maybe the overall
    comment. Saved with save_sheet's rules (only the fields given: last write wins per criterion); a comment for a
    criterion with no points yet is kept as typed text (SheetView.typed) and folded into the sheet, with any text
    typed earlier, once that criterion gets points. Returns the stored sheet and whether its version moved."""
    for cid, value in points.items():
        if not math.isfinite(value) or value / POINT_STEP != round(value / POINT_STEP):
            raise ValidationFailed(
                "points_step",
                "คะแนนต้องเป็นจำนวนเต็มหรือครึ่งคะแนน (เช่น 7 หรือ 7.5)",
                f"Points must be whole or half points (criterion {cid}).",
            )
    with _sqlite_writer_turn(session):
        try:
            return _save_changes(
                session, judge_id, submission_id, points, comments, overall_comment, actor, now or contest_now()
            )
        except BaseException:
            session.rollback()
            raise


def _save_changes(
    session: Session,
    judge_id: int,
    submission_id: int,
    points: Mapping[int, float],
    comments: Mapping[int, str],
    overall_comment: str | None,
    actor: str,
    now: datetime,
) -> tuple[SheetView, bool]:
    ctx = sheet_context(session, judge_id, submission_id)
    if phase_closed(ctx.phase):
        raise judging_closed_refused()
    if ctx.round_frozen:
        raise rounds.round_frozen()
    known = {c.id for c in ctx.criteria}
    if any(cid not in known for cid in (*points, *comments)):
        raise bad_criterion()
    typed = dict(_typed(session, judge_id, submission_id)) if ctx.any_typed else {}
    # Points or the overall comment always change the sheet (a slider move, the common case): _save_sheet locks it
    # and reads it once. Only text changes it only when a criterion it is for has points: read first to know.
    wrote, sheet, stored = True, None, {}
    if not points and overall_comment is None:
        sheet = _sheet_row(session, judge_id, submission_id, ctx.round_no)
        if sheet is not None and sheet.state == SheetState.submitted:
            raise sheet_locked()
        stored = _score_rows(session, judge_id, submission_id, ctx.round_no)
        on_sheet, overall = _fold_typed(comments, typed, stored, (), None, sheet.overall_comment if sheet else "")
        wrote = bool(on_sheet or overall is not None)
    view = (
        _save_sheet(
            session, judge_id, submission_id, points, comments, overall_comment, False, actor, None, now, ctx, typed
        )
        if wrote
        else _view(ctx, judge_id, sheet, stored)
    )
    scored = {c.criterion_id for c in view.criteria if c.points is not None}
    unscored = {cid: text for cid, text in comments.items() if cid not in scored}
    for cid, text in unscored.items():
        _upsert_typed(session, judge_id, submission_id, cid, text[:MAX_COMMENT_CHARS], now)
    # A slider move with nothing typed anywhere (the common case) has no typed text to read back.
    return replace(view, typed=_typed(session, judge_id, submission_id) if typed or unscored else ()), wrote


def _fold_typed(
    comments: Mapping[int, str],
    typed: Mapping[int, str],
    stored: Collection[int],
    points: Collection[int],
    overall_comment: str | None,
    sheet_overall: str,
) -> tuple[dict[int, str], str | None]:
    """What of the text goes on the sheet: the comments of criteria with points (stored ones, or given points now)
    and the text typed earlier for a criterion getting its first points now; and the overall comment, or when none
    is given the one typed earlier (typed key 0) if it differs from the sheet's."""
    scored = set(stored) | set(points)
    on_sheet = {cid: text for cid, text in comments.items() if cid in scored}
    for cid, text in typed.items():
        if cid in scored and cid not in on_sheet and cid not in stored:
            on_sheet[cid] = text
    if overall_comment is None and 0 in typed and typed[0] != sheet_overall:
        overall_comment = typed[0]
    return on_sheet, overall_comment


def _upsert_typed(
    session: Session, judge_id: int, submission_id: int, criterion_id: int, text: str, now: datetime
) -> None:
    where = (
        col(TypedComment.judge_id) == judge_id,
        col(TypedComment.submission_id) == submission_id,
        col(TypedComment.criterion_id) == criterion_id,
    )
    for _attempt in range(2):  # insert, or update the row a concurrent request just inserted
        changed = session.exec(update(TypedComment).where(*where).values(text=text, updated_at=now)).rowcount
        if changed:
            break
        try:
            with session.begin_nested():
                session.add(
                    TypedComment(
                        judge_id=judge_id,
                        submission_id=submission_id,
                        criterion_id=criterion_id,
                        text=text,
                        updated_at=now,
                    )
                )
            break
        except IntegrityError:
            continue
    session.commit()


def _locked_sheet(
    session: Session, judge_id: int, submission_id: int, round_no: int, expected_version: int | None, now: datetime
) -> ScoreSheet:
    """The sheet, created if missing, its version bumped, holding its row lock to the end of the transaction.

    The bump is a compare-and-set when the caller says which version it read: two tabs that read version 3 cannot
    both write version 4, the second is told. Without expected_version writers simply queue on the row lock
    (PostgreSQL) or the database write lock (SQLite BEGIN IMMEDIATE), so no write is lost either way; the sheet is
    then made or bumped and read back in one statement (an upsert returning the row), as every slider move does."""
    table = ScoreSheet.__table__  # type: ignore[attr-defined]
    dialect = session.connection().dialect.name
    params = {"judge": judge_id, "work": submission_id, "round": round_no, "now": now}
    if expected_version is None:
        sheet: ScoreSheet = session.scalars(_sheet_insert(dialect, True), params, execution_options=_FRESH).one()
        return sheet
    conn = session.connection()  # the session's own transaction, so the lock lasts until it commits
    conn.execute(_sheet_insert(dialect, False), params)
    this_sheet = (table.c.judge_id == judge_id, table.c.submission_id == submission_id, table.c.round_no == round_no)
    bump = (
        update(table)
        .where(*this_sheet, table.c.version == expected_version)
        .values(version=table.c.version + 1, updated_at=now)
        .returning(table.c.version)
    )
    if conn.execute(bump).scalar() is None:
        current = conn.execute(select(table.c.version).where(*this_sheet)).scalar()
        raise SheetChanged(int(current or 0))
    bumped = _sheet_row(session, judge_id, submission_id, round_no)
    assert bumped is not None
    return bumped


_SHEET_KEYS = ["judge_id", "submission_id", "round_no"]  # a sheet's unique key
_FRESH = {"populate_existing": True}  # another transaction's values, not this session's cached copy


@functools.cache
def _sheet_insert(dialect: str, upsert: bool) -> Any:
    """A new draft sheet's insert (parameters judge, work, round and now), built once per dialect: with upsert, made
    at version 1 or bumped, and read back; else made at version 0 unless it exists."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = ScoreSheet.__table__  # type: ignore[attr-defined]
    now = sa.bindparam("now", type_=table.c.updated_at.type)
    new = insert(ScoreSheet).values(
        judge_id=_JUDGE,
        submission_id=_WORK,
        round_no=sa.bindparam("round", type_=sa.Integer),
        state=SheetState.draft.value,
        overall_comment="",
        version=1 if upsert else 0,
        updated_at=now,
    )
    if not upsert:
        return new.on_conflict_do_nothing(index_elements=_SHEET_KEYS)
    bump = {"version": table.c.version + 1, "updated_at": now}
    return new.on_conflict_do_update(index_elements=_SHEET_KEYS, set_=bump).returning(ScoreSheet)


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
    expected_version: int | None = None,
    now: datetime | None = None,
) -> SheetView:
    """Save a judge's points (a draft), or submit the sheet, which locks it. Each change is audited.

    Only the criteria given are written, so a page may send just the slider that moved. expected_version is the
    sheet version the caller read; if the sheet was saved since, SheetChanged is raised and nothing is written."""
    with _sqlite_writer_turn(session):
        return _save_sheet(
            session, judge_id, submission_id, points, comments, overall_comment, submit, actor, expected_version, now
        )


# SQLite has one writer at a time, and a writer that finds the lock taken polls for it with growing sleeps (up to
# 100 ms each), which shows as long tails when twenty judges save at once. Threads of one server process therefore
# take turns on a Python lock first, which hands over at once. Only when the session has no transaction open yet:
# one that already holds SQLite's lock must not wait behind a thread that is waiting for it.
_SQLITE_WRITERS = threading.Lock()


@contextmanager
def _sqlite_writer_turn(session: Session) -> Iterator[None]:
    if session.get_bind().dialect.name != "sqlite" or session.in_transaction():
        yield
        return
    with _SQLITE_WRITERS:
        yield


def _check_points(ctx: SheetContext, points: Mapping[int, float]) -> None:
    by_id = {c.id: c for c in ctx.criteria}
    for cid, value in points.items():
        crit = by_id.get(cid)
        if crit is None:
            raise bad_criterion()
        if not 0 <= value <= crit.max_points:
            raise ValidationFailed(
                "points_out_of_range",
                f"คะแนน '{crit.title_th[:40]}' ต้องอยู่ระหว่าง 0 ถึง {crit.max_points}",
                f"Points for '{crit.title_en}' must be between 0 and {crit.max_points}.",
            )


def _save_sheet(
    session: Session,
    judge_id: int,
    submission_id: int,
    points: Mapping[int, float],
    comments: Mapping[int, str] | None,
    overall_comment: str | None,
    submit: bool,
    actor: str,
    expected_version: int | None,
    now: datetime | None,
    ctx: SheetContext | None = None,
    typed: Mapping[int, str] | None = None,
) -> SheetView:
    """ctx: the sheet's context when the caller has just read it in this transaction. typed: the judge's typed text
    on the work (save_changes), folded in as the sheet stands once locked (_fold_typed); comments are then all the
    text sent, of scored criteria or not."""
    ctx = ctx or sheet_context(session, judge_id, submission_id)
    if phase_closed(ctx.phase):
        raise judging_closed_refused()
    if ctx.round_frozen:
        raise rounds.round_frozen()
    _check_points(ctx, points)
    now = now or contest_now()
    try:
        sheet = _locked_sheet(session, judge_id, submission_id, ctx.round_no, expected_version, now)
        version = sheet.version
        if sheet.state == SheetState.submitted:
            raise sheet_locked()
        existing = _score_rows(session, judge_id, submission_id, ctx.round_no)
        if typed is not None:
            comments, overall_comment = _fold_typed(
                comments or {}, typed, existing, points, overall_comment, sheet.overall_comment
            )
        plan = sheet_rules.merge(
            criterion_ids=[c.id for c in ctx.criteria if c.id is not None],
            stored={cid: sheet_rules.Stored(s.points, s.comment) for cid, s in existing.items()},
            points=points,
            comments=comments or {},
            overall_given=overall_comment is not None,
            submit=submit,
        )
        if plan.missing:
            raise incomplete_sheet(
                [(n, c.title_th, c.title_en) for n, c in enumerate(ctx.criteria, start=1) if c.id in plan.missing]
            )
        entity = f"{judge_id}:{submission_id}"
        for write in plan.writes:
            existing[write.criterion_id] = _write_score(
                session, existing.get(write.criterion_id), write, judge_id, submission_id, now
            )
            audit.record(
                session=session,
                actor=actor,
                action="score.save",
                entity="score",
                entity_id=f"{entity}:{write.criterion_id}",
                before=None
                if write.before is None
                else {"points": write.before.points, "comment": write.before.comment},
                after={"points": write.points, "comment": write.comment, "sheet_version": version},
            )
        if overall_comment is not None and overall_comment != sheet.overall_comment:
            audit.record(
                session=session,
                actor=actor,
                action="sheet.comment",
                entity="scoresheet",
                entity_id=entity,
                before={"overall_comment": sheet.overall_comment},
                after={"overall_comment": overall_comment, "sheet_version": version},
            )
            sheet.overall_comment = overall_comment
        if plan.settled:
            session.execute(
                delete(TypedComment).where(
                    col(TypedComment.judge_id) == judge_id,
                    col(TypedComment.submission_id) == submission_id,
                    col(TypedComment.criterion_id).in_(plan.settled),
                )
            )
        if submit:
            _submit(session, sheet, ctx, existing, actor, version, now)
        session.add(sheet)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return _view(ctx, judge_id, sheet, existing)


def _write_score(
    session: Session,
    score: Score | None,
    write: sheet_rules.ScoreWrite,
    judge_id: int,
    submission_id: int,
    now: datetime,
) -> Score:
    if score is None:
        score = Score(
            judge_id=judge_id,
            submission_id=submission_id,
            criterion_id=write.criterion_id,
            points=write.points,
            comment=write.comment,
            created_at=now,
            updated_at=now,
        )
    else:
        score.points, score.comment, score.updated_at = write.points, write.comment, now
    session.add(score)
    return score


def _submit(
    session: Session,
    sheet: ScoreSheet,
    ctx: SheetContext,
    scores: Mapping[int, Score],
    actor: str,
    version: int,
    now: datetime,
) -> None:
    """Lock the sheet with a frozen copy of its points (what the ranking reads once judging closes)."""
    sheet.state = SheetState.submitted
    sheet.submitted_at = now
    sheet.submitted_points, sheet.submitted_total = frozen_copy(
        {c.id: scores[c.id].points for c in ctx.criteria if c.id is not None and c.id in scores}
    )
    audit.record(
        session=session,
        actor=actor,
        action="sheet.submit",
        entity="scoresheet",
        entity_id=f"{sheet.judge_id}:{sheet.submission_id}",
        before={"state": "draft"},
        after={"state": "submitted", "sheet_version": version},
    )


def incomplete_sheet(missing: Sequence[tuple[int, str, str]]) -> ValidationFailed:
    """The error for a sheet submitted before every criterion has points: the criteria by their number on the sheet
    (as the judge sees them, "1." for the first), so the judge knows which sliders to move."""
    return ValidationFailed(
        "sheet_incomplete",
        "ยังให้คะแนนไม่ครบทุกเกณฑ์ กรุณาให้คะแนนเกณฑ์ข้อ "
        + ", ".join(str(n) for n, _, _ in missing)
        + " ("
        + "; ".join(f"{n}. {th[:40]}" for n, th, _ in missing)
        + ")",
        "Not every criterion has points yet: give points to criterion "
        + ", ".join(str(n) for n, _, _ in missing)
        + " ("
        + "; ".join(f"{n}. {en[:40]}" for n, _, en in missing)
        + ")",
    )


def missing_on_screen(sheet: SheetView, points: Mapping[int, float]) -> list[tuple[int, str, str]]:
    """The criteria (number, Thai and English title) with no points in the sheet nor among points."""
    return [
        (n, c.title_th, c.title_en)
        for n, c in enumerate(sheet.criteria, start=1)
        if c.points is None and c.criterion_id not in points
    ]


def frozen_copy(points: Mapping[int, float]) -> tuple[dict[str, float], float]:
    """What a sheet keeps on submission: its points by criterion id (JSON keys are strings) and their sum."""
    return {str(cid): float(v) for cid, v in points.items()}, math.fsum(points.values())


def reopen_sheet(
    *, session: Session, judge_id: int, submission_id: int, reason: str, actor: str, round_no: int | None = None
) -> None:
    """Reopen a submitted sheet of round_no (the current round when None); refused once that round is frozen."""
    if not reason.strip():
        raise ValidationFailed(
            "reason_required", "กรุณาระบุเหตุผลในการเปิดใบให้คะแนนใหม่", "Give a reason for reopening the sheet."
        )
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise NotFound("no_submission", "ไม่พบผลงานนี้", "No such submission.")
    chosen = rounds.get_round(session=session, edition_id=sub.edition_id, round_no=round_no)
    if chosen.frozen:
        raise rounds.round_frozen()
    sheet = _sheet_row(session, judge_id, submission_id, chosen.position)
    if sheet is None or sheet.state != SheetState.submitted:
        raise ValidationFailed("not_submitted", "ใบให้คะแนนนี้ยังไม่ได้ส่ง", "This sheet has not been submitted.")
    sheet.state = SheetState.draft
    sheet.submitted_at = None
    sheet.submitted_points = sheet.submitted_total = None  # the copy belongs to the submission being withdrawn
    sheet.version += 1  # a tab still showing the locked sheet must reload before it saves
    session.add(sheet)
    audit.record(
        session=session,
        actor=actor,
        action="sheet.reopen",
        entity="scoresheet",
        entity_id=f"{judge_id}:{submission_id}",
        before={"state": "submitted"},
        after={"state": "draft", "reason": reason.strip(), **rounds.audit_fields(chosen.position)},
    )
    session.commit()
