"""Results: the leaderboard from submitted score sheets, ranked by the edition's method and tie-break chain.

Sums and means are taken in SQL (one row per score sheet, one per submission x criterion), so ranking a
national edition moves tens of thousands of rows, not the half-million individual scores.
"""

from __future__ import annotations

import gc
import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, func, select

from models import ConflictOfInterest, Criterion, Organisation, Score, ScoreSheet, SheetState, Submission
from services import scoring
from services.editions import CriterionView, EditionView, get_edition
from services.geo import province_by_name
from services.judging import JUDGEABLE
from services.thai import be_year

SPREAD = "spread"
CRITERION_PREFIX = "criterion:"


@dataclass(frozen=True)
class TieBreakLink:
    """One link of the edition's tie-break chain, as shown beside the ranking."""

    code: str  # "criterion:<code>" or "spread"
    label_th: str
    label_en: str
    higher_is_better: bool

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_th


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs ~8x more, and a national ranking builds 10,000
class LeaderboardRow:
    rank: int
    tied: bool
    submission_id: int
    title: str
    organisation: str
    short_name: str
    province: str
    category: str
    score: float
    judge_count: int
    spread_sd: float
    criterion_means: dict[str, float]
    tie_break_values: tuple[float, ...] = ()
    org_type: str = ""
    region: str = ""
    golive_year_be: int | None = None
    developed_by: str = ""
    receipt_code: str = ""


@dataclass(frozen=True)
class Leaderboard:
    edition_id: int
    method: scoring.Method
    criteria: tuple[CriterionView, ...]
    rows: tuple[LeaderboardRow, ...]
    unscored: int  # judgeable submissions with no submitted sheet yet
    tie_break_names: tuple[str, ...]
    tie_breaks: tuple[TieBreakLink, ...] = ()
    max_total: int = 100


@dataclass(frozen=True)
class SheetPoints:
    """Submitted points of one edition: submission -> judge -> criterion_id -> points."""

    points: dict[int, dict[int, dict[int, float]]]

    def totals(self) -> dict[int, dict[int, float]]:
        return {s: {j: math.fsum(c.values()) for j, c in judges.items()} for s, judges in self.points.items()}


def _counted(edition_id: int) -> list[ColumnElement[bool]]:
    """The one definition of a score that counts: a scored criterion of the edition, on a submitted sheet, of a
    submission still in the contest, by a judge with no declared conflict of interest on that submission."""
    conflicted = (
        select(ConflictOfInterest.id)
        .where(col(ConflictOfInterest.judge_id) == col(Score.judge_id),
               col(ConflictOfInterest.submission_id) == col(Score.submission_id))
        .exists()
    )
    return [col(Criterion.edition_id) == edition_id, col(Criterion.scored).is_(True),
            col(ScoreSheet.state) == SheetState.submitted, col(Submission.status).in_(JUDGEABLE), ~conflicted]


def _scores_from(stmt: Any) -> Any:
    return (stmt.select_from(Score)
            .join(Criterion, col(Criterion.id) == col(Score.criterion_id))
            .join(ScoreSheet, (col(ScoreSheet.judge_id) == col(Score.judge_id))
                  & (col(ScoreSheet.submission_id) == col(Score.submission_id)))
            .join(Submission, col(Submission.id) == col(Score.submission_id)))


def submitted_points(*, session: Session, edition_id: int) -> SheetPoints:
    """Every counted score, criterion by criterion (for agreement per criterion and the judges' detail).
    Only submitted sheets count: a draft is the judge's private work in progress."""
    rows = session.exec(
        _scores_from(select(Score.submission_id, Score.judge_id, Score.criterion_id, Score.points))
        .where(*_counted(edition_id))
    ).all()
    points: dict[int, dict[int, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for sub_id, judge_id, crit_id, pts in rows:
        points[sub_id][judge_id][crit_id] = float(pts)
    return SheetPoints({s: dict(j) for s, j in points.items()})


def _counted_sheets(edition_id: int) -> Any:
    """The score sheets that count: submitted, on a submission of the edition still in the contest, by a judge with
    no declared conflict of interest on it."""
    conflicted = (sa.select(col(ConflictOfInterest.id))
                  .where(col(ConflictOfInterest.judge_id) == col(ScoreSheet.judge_id),
                         col(ConflictOfInterest.submission_id) == col(ScoreSheet.submission_id))
                  .exists())
    return (sa.select(col(ScoreSheet.submission_id), col(ScoreSheet.judge_id))
            .join(Submission, col(Submission.id) == col(ScoreSheet.submission_id))
            .where(col(Submission.edition_id) == edition_id, col(Submission.status).in_(JUDGEABLE),
                   col(ScoreSheet.state) == SheetState.submitted, ~conflicted))


RANKING_WORK_MEM = "64MB"


def _sheet_rows(session: Session, edition_id: int, criterion_ids: Sequence[int],
                pivot: Sequence[int]) -> Sequence[tuple[Any, ...]]:
    """One row per counted score sheet, (submission_id, judge_id, total), and, when pivot names criteria, one row
    per submission, (submission_id, None, None, mean on each criterion of pivot over the judges who scored it).

    The scores are summed per sheet first, with no join: the criteria already pick out the edition's scores. The
    sheet-level rules are then applied to the 50,000 sums of a national edition, not to its 550,000 scores; the
    counted sheets are materialised so that PostgreSQL, which cannot estimate how many sums survive a two-column
    join, hashes them instead of looking each sum's submission up in a nested loop. The criterion means are
    averaged by the database too: 10,000 rows of means cost far less to fetch than 50,000 rows of points to average
    in Python.
    """
    if not criterion_ids:
        return []
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        # For this transaction only, measured on a national edition (50,000 sheets). The sums are best read in
        # (submission, judge) order from ix_score_sheet_points alone, in parallel, and added up as they come: the
        # planner prefers hashing 50,000 groups from the table (~1.6x slower), so hashed aggregation is off; and
        # the default parallel_tuple_cost (0.1) prices passing the workers' partial sums to the leader so high
        # that it would aggregate in one process. work_mem: should it hash anyway (no index yet), eleven criterion
        # columns take ~8 MB, and with the default 4 MB the aggregate spills to disk.
        connection = session.connection()
        connection.exec_driver_sql("SET LOCAL enable_hashagg = off")
        connection.exec_driver_sql("SET LOCAL parallel_tuple_cost = 0.01")
        connection.exec_driver_sql(f"SET LOCAL work_mem = '{RANKING_WORK_MEM}'")
    # "+ 0" for SQLite, which would otherwise fetch the scores criterion by criterion through ix_score_criterion_id
    # and sort them into sheets; walking the (judge, submission, criterion) index gives them sheet by sheet.
    # PostgreSQL reads the table either way, and without "+ 0" estimates the row count well enough to aggregate in
    # parallel.
    criterion = col(Score.criterion_id) if postgres else col(Score.criterion_id) + 0
    sums = (
        sa.select(col(Score.submission_id).label("submission_id"), col(Score.judge_id).label("judge_id"),
                  func.sum(Score.points).label("total"),
                  *[func.sum(sa.case((col(Score.criterion_id) == cid, col(Score.points)))).label(f"c{cid}")
                    for cid in pivot])
        .where(criterion.in_(list(criterion_ids)))
        .group_by(col(Score.submission_id), col(Score.judge_id))
        .subquery("sums")
    )
    counted = _counted_sheets(edition_id).cte("counted").prefix_with("MATERIALIZED")
    sheets = sa.select(sums).join(counted, (counted.c.submission_id == sums.c.submission_id)
                                  & (counted.c.judge_id == sums.c.judge_id))
    if not pivot:
        return _plain_rows(session, sheets)
    counted_sums = sheets.cte("counted_sums").prefix_with("MATERIALIZED")
    per_sheet = sa.select(counted_sums.c.submission_id, counted_sums.c.judge_id, counted_sums.c.total,
                          *[sa.cast(sa.null(), sa.Float).label(f"c{cid}") for cid in pivot])
    per_submission = sa.select(counted_sums.c.submission_id, sa.cast(sa.null(), sa.Integer).label("judge_id"),
                               sa.cast(sa.null(), sa.Float).label("total"),
                               *[func.avg(counted_sums.c[f"c{cid}"]).label(f"c{cid}") for cid in pivot]
                               ).group_by(counted_sums.c.submission_id)
    return _plain_rows(session, sa.union_all(per_sheet, per_submission))


def _plain_rows(session: Session, stmt: Any) -> Sequence[tuple[Any, ...]]:
    """The driver's own tuples: a SQLAlchemy Row costs about a microsecond to build, which for the 50,000 score
    sheets of a national edition is more than the Python maths on them. Only for columns that need no type
    conversion (integers, floats)."""
    result = session.connection().execute(stmt)
    try:
        rows: Sequence[tuple[Any, ...]] = result.cursor.fetchall()
    finally:
        result.close()
    return rows


@dataclass(frozen=True)
class SheetTable:
    """The counted sheets of an edition, summed in SQL."""

    totals: dict[int, dict[int, float]]  # submission -> judge -> sheet total
    criterion_means: dict[int, dict[int, float]]  # submission -> criterion_id -> mean over the judges who scored it


def sheet_table(*, session: Session, edition_id: int, criterion_ids: Sequence[int],
                mean_of: Sequence[int] = ()) -> SheetTable:
    """Totals per sheet for criterion_ids, and per-submission means of the criteria in mean_of."""
    pivot = list(mean_of)
    totals: dict[int, dict[int, float]] = {}
    means: dict[int, dict[int, float]] = {}
    for row in _sheet_rows(session, edition_id, criterion_ids, pivot):
        sid, judge_id = row[0], row[1]
        if judge_id is None:  # a submission's means; None where no counted sheet scored that criterion
            means[sid] = {cid: float(v) for cid, v in zip(pivot, row[3:], strict=True) if v is not None}
            continue
        sheets = totals.get(sid)
        if sheets is None:
            totals[sid] = {judge_id: float(row[2])}
        else:
            sheets[judge_id] = float(row[2])
    return SheetTable(totals, means)


def tie_break_chain(edition: EditionView) -> tuple[TieBreakLink, ...]:
    """The edition's configured chain; a criterion code the edition no longer has is left out."""
    by_code = {c.code: c for c in edition.scored_criteria}
    links: list[TieBreakLink] = []
    for item in edition.config.tie_breakers:
        if item == SPREAD:
            links.append(TieBreakLink(SPREAD, "ความต่างของคะแนนระหว่างกรรมการน้อยกว่า (SD)",
                                      "smaller spread between judges (SD)", higher_is_better=False))
        elif item.startswith(CRITERION_PREFIX) and item[len(CRITERION_PREFIX):] in by_code:
            c = by_code[item[len(CRITERION_PREFIX):]]
            links.append(TieBreakLink(item, f"คะแนนเฉลี่ยเกณฑ์ {c.position}. {c.title_th} สูงกว่า",
                                      f"higher mean on criterion {c.position}. {c.title_en}", higher_is_better=True))
    return tuple(links)


def _submission_info(session: Session, edition_id: int) -> dict[Any, tuple[Any, ...]]:
    """Per judgeable submission: (title, organisation, short name, province, category, organisation type, go-live
    year BE, developed by, receipt code)."""
    rows = session.connection().execute(
        sa.select(col(Submission.id), col(Submission.title), col(Organisation.full_name),
                  col(Organisation.short_name), col(Organisation.province), col(Submission.category),
                  col(Organisation.org_type), col(Submission.golive_date), col(Submission.developed_by),
                  col(Submission.receipt_code))
        .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
        .where(col(Submission.edition_id) == edition_id, col(Submission.status).in_(JUDGEABLE))
    ).all()
    return {
        r[0]: (r[1], r[2], r[3], r[4], r[5], str(r[6]), be_year(r[7]) if r[7] else None, r[8] or "", r[9])
        for r in rows
    }


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a national ranking builds its ~150,000 short-lived containers.

    None of them forms a cycle (reference counting frees them all), but each 700 allocations trigger a collection,
    and the older generations' passes walk the whole heap: a third of the ranking's time went there. Only pauses
    it: a collector someone else paused stays paused.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def leaderboard(*, session: Session, edition_id: int, method: scoring.Method | None = None,
                criterion_detail: bool = True) -> Leaderboard:
    """The ranking; method None uses the edition's configured aggregation method.

    criterion_detail=False leaves out each row's per-criterion means (the tie-break criteria are still used):
    the ranking alone, for callers that only need the order and the scores.
    """
    with _collector_paused():
        return _leaderboard(session, edition_id, method, criterion_detail)


def _leaderboard(session: Session, edition_id: int, method: scoring.Method | None,
                 criterion_detail: bool) -> Leaderboard:
    edition = get_edition(session=session, edition_id=edition_id)
    method = edition.config.aggregation_method if method is None else scoring.Method(method)
    criteria = edition.scored_criteria
    chain = tie_break_chain(edition)
    by_code = {c.code: c.id for c in criteria}
    chain_ids = [by_code[link.code[len(CRITERION_PREFIX):]] for link in chain if link.code != SPREAD]
    shown = [c.id for c in criteria] if criterion_detail else chain_ids
    table = sheet_table(session=session, edition_id=edition_id, criterion_ids=[c.id for c in criteria],
                        mean_of=shown)
    totals, means = table.totals, table.criterion_means
    values = scoring.aggregate(totals, method)
    spreads = {s: scoring.float_pstdev(list(j.values())) for s, j in totals.items()}
    tie_breakers = []
    for link in chain:
        if link.code == SPREAD:
            tie_breakers.append(scoring.TieBreaker(SPREAD, spreads, higher_is_better=False))
        else:
            cid = by_code[link.code[len(CRITERION_PREFIX):]]
            tie_breakers.append(scoring.TieBreaker(
                link.code, {s: m[cid] for s, m in means.items() if cid in m}, higher_is_better=True))
    ranked = scoring.rank_submissions(values, tie_breakers)
    info = _submission_info(session, edition_id)
    code_of = {c.id: c.code for c in criteria} if criterion_detail else {}
    regions = {p: (found.region.value if (found := province_by_name(p)) else "") for p in {i[3] for i in
                                                                                            info.values()}}
    rows = []
    for entry in ranked:
        sid = entry.submission_id
        title, organisation, short_name, province, category, org_type, golive_be, developed_by, receipt = info[sid]
        rows.append(LeaderboardRow(
            entry.rank, entry.tied, sid, title, organisation, short_name, province, category,
            round(entry.score, 2), len(totals[sid]), round(spreads[sid], 2),
            {code_of[c]: v for c, v in means.get(sid, {}).items() if c in code_of},
            entry.tie_break_values,
            org_type, regions[province], golive_be, developed_by, receipt,
        ))
    return Leaderboard(edition_id, method, criteria, tuple(rows), len(info) - len(rows),
                       tuple(t.name for t in tie_breakers), chain, edition.max_total)


# --- how sure the ranking is ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Agreement:
    """Judge agreement over the submissions every judge scored (None where it cannot be computed)."""

    judges: int
    submissions: int  # in the complete block
    kendalls_w: float | None
    icc: float | None
    by_criterion: tuple[tuple[str, float | None, float | None], ...]  # (criterion code, W, ICC)


def agreement(*, session: Session, edition_id: int) -> Agreement:
    edition = get_edition(session=session, edition_id=edition_id)
    points = submitted_points(session=session, edition_id=edition_id).points
    totals = {s: {j: math.fsum(c.values()) for j, c in judges.items()} for s, judges in points.items()}
    judges = {j for sheets in totals.values() for j in sheets}
    block = [s for s, sheets in totals.items() if len(sheets) == len(judges)]
    per_criterion = []
    for c in edition.scored_criteria:
        table = {s: {j: pts[c.id] for j, pts in judges_.items() if c.id in pts} for s, judges_ in points.items()}
        per_criterion.append((c.code, scoring.kendalls_w(table), scoring.icc(table)))
    return Agreement(len(judges), len(block), scoring.kendalls_w(totals), scoring.icc(totals), tuple(per_criterion))
