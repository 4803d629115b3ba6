"""Results: the leaderboard from submitted score sheets, ranked by the edition's method and tie-break chain.

The ranking reads the frozen copy each submitted sheet keeps of its points (one row per sheet, and the means per
submission taken in SQL), so ranking a national edition moves tens of thousands of rows, not the half-million
individual scores.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session, col, func

from models import ConflictOfInterest, Organisation, ScoreSheet, SheetState, Submission
from models.rounds import FIRST_ROUND
from services.contest.editions import CriterionView, EditionView
from services.judging import completeness, rounds
from services.judging.completeness import WorkRange
from services.judging.conflicts import conflicted_pairs
from services.judging.guards import JUDGEABLE
from services.platform.db import SharedSnapshot, one_snapshot, plain_rows
from services.results import fsums, scoring
from services.thai.dates import be_year
from services.thai.geo import province_by_name

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


class WorkDetails(NamedTuple):
    """What the ranking shows of a work besides its figures: read apart from the ranking (work_details), since it
    changes when a work is edited, not when a sheet is submitted, and a dashboard can keep it longer."""

    title: str
    organisation: str
    short_name: str
    province: str
    category: str
    org_type: str
    region: str
    golive_year_be: int | None
    developed_by: str
    receipt_code: str


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs ~8x more, and a national ranking builds 10,000
class LeaderboardRow:
    rank: int
    tied: bool
    submission_id: int
    score: float
    tie_break_values: tuple[float, ...]
    judge_count: int
    spread_sd: float
    criterion_means: dict[str, float]
    judges_expected: int  # the sheets the work should have: assigned judges less conflicts
    meets_quorum: bool  # False: ranked after every fully judged work, and marked
    work: WorkDetails

    @property
    def title(self) -> str:
        return self.work.title

    @property
    def organisation(self) -> str:
        return self.work.organisation

    @property
    def short_name(self) -> str:
        return self.work.short_name

    @property
    def province(self) -> str:
        return self.work.province

    @property
    def category(self) -> str:
        return self.work.category

    @property
    def org_type(self) -> str:
        return self.work.org_type

    @property
    def region(self) -> str:
        return self.work.region

    @property
    def golive_year_be(self) -> int | None:
        return self.work.golive_year_be

    @property
    def developed_by(self) -> str:
        return self.work.developed_by

    @property
    def receipt_code(self) -> str:
        return self.work.receipt_code

    def quorum_label(self, lang: str = "th") -> str:
        th, en = completeness.quorum_label(self.judge_count, self.judges_expected)
        return en if lang == "en" else th


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
    below_quorum: int = 0  # ranked works that do not meet the edition's quorum (ranked after the others)
    round_no: int = FIRST_ROUND  # the judging round ranked


@dataclass(frozen=True)
class SheetPoints:
    """Submitted points of one edition: submission -> judge -> criterion_id -> points."""

    points: dict[int, dict[int, dict[int, float]]]

    def totals(self) -> dict[int, dict[int, float]]:
        return {s: {j: math.fsum(c.values()) for j, c in judges.items()} for s, judges in self.points.items()}


def submitted_points(*, session: Session, edition_id: int, round_no: int | None = None) -> SheetPoints:
    """Every counted score of round_no (the current round when None), criterion by criterion (for agreement per
    criterion and the judges' detail), from the frozen copies of the counted sheets. Only submitted sheets count: a
    draft is the judge's private work in progress."""
    if round_no is None:
        round_no = rounds.current_round_no(session=session, edition_id=edition_id)
    points: dict[int, dict[int, dict[int, float]]] = {}
    for sid, judge_id, frozen in (
        session.connection()
        .execute(
            _counted_sheets(
                edition_id,
                col(ScoreSheet.submitted_points),
                round_no=round_no,
                works=edition_works(session, edition_id),
            )
        )
        .all()
    ):
        points.setdefault(sid, {})[judge_id] = {int(cid): float(v) for cid, v in frozen.items()}
    return SheetPoints(points)


def edition_works(session: Session, edition_id: int) -> WorkRange | None:
    """The lowest and highest id of the edition's works (None without any), from the submissions' (edition, id)
    index: a work of the edition has an id between them, and a kept edition's works have ids of their own."""
    low, high = (
        session.connection()
        .execute(
            sa.select(func.min(col(Submission.id)), func.max(col(Submission.id))).where(
                col(Submission.edition_id) == edition_id
            )
        )
        .one()
    )
    return (low, high) if low is not None and high is not None else None


def _counted_sheets(
    edition_id: int,
    *columns: Any,
    conflicts: bool = True,
    round_no: int = FIRST_ROUND,
    works: WorkRange | None = None,
) -> Any:
    """The score sheets that count: submitted in round_no, on a submission of the edition still in the contest, by a
    judge with no declared conflict of interest on it. conflicts=False leaves the conflicts to the caller. A round's
    sheets are never mixed with another's.

    works, the edition's id range (edition_works), changes no row: it tells PostgreSQL's planner how few of the
    sheets are the edition's, so with earlier editions kept it reads only this one's stretch of the sheets' work-led
    index instead of every sheet of every edition (three national editions kept: 78 -> 36 ms). The bounds are sent
    as literals: a prepared statement's generic plan would guess the range's share instead of reading it."""
    stmt = (
        sa.select(col(ScoreSheet.submission_id), col(ScoreSheet.judge_id), *columns)
        .join(Submission, col(Submission.id) == col(ScoreSheet.submission_id))
        .where(
            col(Submission.edition_id) == edition_id,
            col(Submission.status).in_(JUDGEABLE),
            col(ScoreSheet.state) == SheetState.submitted,
            col(ScoreSheet.round_no) == round_no,
        )
    )
    if works is not None:
        stmt = stmt.where(
            col(ScoreSheet.submission_id).between(
                sa.literal(works[0], sa.Integer, literal_execute=True),
                sa.literal(works[1], sa.Integer, literal_execute=True),
            )
        )
    if not conflicts:
        return stmt
    conflicted = (
        sa.select(col(ConflictOfInterest.id))
        .where(
            col(ConflictOfInterest.judge_id) == col(ScoreSheet.judge_id),
            col(ConflictOfInterest.submission_id) == col(ScoreSheet.submission_id),
        )
        .exists()
    )
    return stmt.where(~conflicted)


def _frozen_points(criterion_id: int) -> Any:
    """A criterion's points in a sheet's frozen copy (NULL where the sheet has none for it)."""
    return col(ScoreSheet.submitted_points)[str(criterion_id)].as_float()


def _sheet_totals(
    session: Session, edition_id: int, criterion_ids: Sequence[int], round_no: int, works: WorkRange | None
) -> Sequence[tuple[Any, ...]]:
    """(submission_id, judge_id, total, points on each of criterion_ids) per submitted score sheet of a work in the
    contest, conflicted ones included, from the sheets' frozen copies: a national edition's 50,000 sheets rather
    than its 550,000 scores."""
    return plain_rows(
        session,
        _counted_sheets(
            edition_id,
            col(ScoreSheet.submitted_total),
            *[_frozen_points(cid) for cid in criterion_ids],
            conflicts=False,
            round_no=round_no,
            works=works,
        ),
    )


def _criterion_means(
    session: Session, edition_id: int, criterion_ids: Sequence[int], round_no: int, works: WorkRange | None
) -> Sequence[tuple[Any, ...]]:
    """(submission_id, mean on each of criterion_ids over the counted sheets that scored it) per submission, averaged
    by the database: 10,000 rows of means cost far less to fetch than 50,000 sheets of points to average in
    Python."""
    counted = _counted_sheets(
        edition_id, *[_frozen_points(cid).label(f"c{cid}") for cid in criterion_ids], round_no=round_no, works=works
    ).subquery("counted")
    return plain_rows(
        session,
        sa.select(counted.c.submission_id, *[func.avg(counted.c[f"c{cid}"]) for cid in criterion_ids]).group_by(
            counted.c.submission_id
        ),
    )


@dataclass(frozen=True)
class SheetTable:
    """The counted sheets of an edition."""

    totals: dict[int, dict[int, float]]  # submission -> judge -> sheet total
    criterion_means: dict[int, dict[int, float]]  # submission -> criterion_id -> mean over the judges who scored it


def sheet_table(
    *, session: Session, edition_id: int, mean_of: Sequence[int] = (), round_no: int | None = None
) -> SheetTable:
    """The counted sheets' totals, and per-submission means of the criteria in mean_of (a tie-break chain's few).

    The chain's points come with the totals, one column each, and are averaged here: cheaper than a second query
    for a criterion or two. For every criterion at once, criterion_means has the database average them. The
    conflicts (a few pairs) are left out here, not by the database: probing them once per sheet cost a quarter of
    reading a national edition's 50,000 sheets.
    """
    if round_no is None:
        round_no = rounds.current_round_no(session=session, edition_id=edition_id)
    return _sheet_table(
        session,
        edition_id,
        list(mean_of),
        conflicted_pairs(session, edition_id),
        round_no,
        edition_works(session, edition_id),
    )


def _sheet_table(
    session: Session,
    edition_id: int,
    wanted: Sequence[int],
    conflicts: Collection[tuple[int, int]],
    round_no: int,
    works: WorkRange | None,
) -> SheetTable:
    conflicted: dict[int, set[int]] = {}  # submission -> its conflicted judges
    for judge_id, sid in conflicts:
        conflicted.setdefault(sid, set()).add(judge_id)
    rows = _sheet_totals(session, edition_id, wanted, round_no, works)
    totals: dict[int, dict[int, float]] = {}
    if not wanted and not conflicted:  # the common case, kept to the bare loop: it runs once per sheet
        last: int | None = None
        of_work: dict[int, float] = {}
        for sid, judge_id, total in rows:  # a float column: the drivers give floats
            if sid != last:  # a work's sheets mostly come together (the join walks the works): one lookup each
                last, of_work = sid, totals.setdefault(sid, {})
            of_work[judge_id] = total
        return SheetTable(totals, {})
    sums: dict[int, list[list[float]]] = {}  # submission -> per criterion of wanted: [sum, count]
    for sid, judge_id, total, *points in rows:
        if sid in conflicted and judge_id in conflicted[sid]:
            continue
        sheets = totals.get(sid)
        if sheets is None:
            totals[sid] = {judge_id: total}
            if wanted:
                sums[sid] = [[0.0, 0] for _ in wanted]
        else:
            sheets[judge_id] = total
        if wanted:
            for acc, value in zip(sums[sid], points, strict=True):
                if value is not None:
                    acc[0] += value
                    acc[1] += 1
    means = {
        sid: {cid: acc[0] / acc[1] for cid, acc in zip(wanted, per, strict=True) if acc[1]} for sid, per in sums.items()
    }
    return SheetTable(totals, means)


def criterion_means(
    *, session: Session, edition_id: int, criterion_ids: Sequence[int] | None = None, round_no: int | None = None
) -> dict[int, dict[int, float]]:
    """Per submission, each criterion's mean (criterion_ids, or every scored criterion of the edition) over the
    counted sheets that scored it; a criterion no counted sheet scored is left out. The same for every aggregation
    method, so the dashboard computes it once."""
    if criterion_ids is None:
        chosen = rounds.get_round(session=session, edition_id=edition_id, round_no=round_no)
        criterion_ids, round_no = [c.id for c in chosen.scored_criteria], chosen.position
    elif round_no is None:
        round_no = rounds.current_round_no(session=session, edition_id=edition_id)
    return _means_by_work(session, edition_id, list(criterion_ids), round_no, edition_works(session, edition_id))


def _means_by_work(
    session: Session, edition_id: int, wanted: Sequence[int], round_no: int, works: WorkRange | None
) -> dict[int, dict[int, float]]:
    if not wanted:
        return {}
    return {
        sid: {cid: float(v) for cid, v in zip(wanted, values, strict=True) if v is not None}
        for sid, *values in _criterion_means(session, edition_id, wanted, round_no, works)
    }


def tie_break_chain(edition: EditionView) -> tuple[TieBreakLink, ...]:
    """The edition's configured chain; a criterion code the edition no longer has is left out."""
    by_code = {c.code: c for c in edition.scored_criteria}
    links: list[TieBreakLink] = []
    for item in edition.config.tie_breakers:
        if item == SPREAD:
            links.append(
                TieBreakLink(
                    SPREAD,
                    "ความต่างของคะแนนระหว่างกรรมการน้อยกว่า (SD)",
                    "smaller spread between judges (SD)",
                    higher_is_better=False,
                )
            )
        elif item.startswith(CRITERION_PREFIX) and item[len(CRITERION_PREFIX) :] in by_code:
            c = by_code[item[len(CRITERION_PREFIX) :]]
            links.append(
                TieBreakLink(
                    item,
                    f"คะแนนเฉลี่ยเกณฑ์ {c.position}. {c.title_th} สูงกว่า",
                    f"higher mean on criterion {c.position}. {c.title_en}",
                    higher_is_better=True,
                )
            )
    return tuple(links)


def work_details(
    *, session: Session, edition_id: int, submission_ids: Collection[int] | None = None
) -> dict[int, WorkDetails]:
    """Each judgeable work's details (those of submission_ids, or every one of the edition)."""
    stmt = (
        sa.select(
            col(Submission.id),
            col(Submission.title),
            col(Organisation.full_name),
            col(Organisation.short_name),
            col(Organisation.province),
            col(Submission.category),
            col(Organisation.org_type),
            col(Submission.golive_date),
            col(Submission.developed_by),
            col(Submission.receipt_code),
        )
        .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
        .where(col(Submission.edition_id) == edition_id, col(Submission.status).in_(JUDGEABLE))
    )
    if submission_ids is not None:
        stmt = stmt.where(col(Submission.id).in_(list(submission_ids)))
    rows = session.connection().execute(stmt).all()
    regions = {p: (found.region.value if (found := province_by_name(p)) else "") for p in {r[4] for r in rows}}
    return {
        r[0]: WorkDetails(
            r[1], r[2], r[3], r[4], r[5], str(r[6]), regions[r[4]], be_year(r[7]) if r[7] else None, r[8] or "", r[9]
        )
        for r in rows
        if r[0] is not None
    }  # a primary key: never None


def _details_of(
    session: Session, edition_id: int, ranked: Collection[int], works: Mapping[int, WorkDetails] | None
) -> Mapping[int, WorkDetails]:
    """The details of the ranked works: from works where it has them (a dashboard's longer-lived copy), the rest
    read now (a work judged since that copy was made)."""
    if works is None:
        return work_details(session=session, edition_id=edition_id)
    missing = [s for s in ranked if s not in works]
    if not missing:
        return works
    found = work_details(
        session=session, edition_id=edition_id, submission_ids=None if len(missing) > _DETAILS_BY_ID else missing
    )
    return {**works, **found}


_DETAILS_BY_ID = 500  # more missing works than this: read the edition's every work rather than a long IN list


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


def leaderboard(
    *,
    session: Session,
    edition_id: int,
    method: scoring.Method | None = None,
    criterion_detail: bool = True,
    detail: Mapping[int, Mapping[int, float]] | None = None,
    works: Mapping[int, WorkDetails] | None = None,
    round_no: int | None = None,
) -> Leaderboard:
    """The ranking of round_no (the current round when None); method None uses the round's aggregation method.

    criterion_detail=False leaves out each row's per-criterion means (the tie-break criteria are still used):
    the ranking alone, for callers that only need the order and the scores. detail passes those means in, as
    criterion_means gave them: they are the same whatever the method, so a dashboard comparing methods computes
    them once. works passes the works' details in, as work_details gave them (any ranked work it lacks is read):
    they change with the works, not the sheets, so a dashboard keeps them longer than the ranking.
    """
    with one_snapshot(session) as shared:
        main = shared.main if shared else session
        edition, round_no = round_rules(main, edition_id, round_no)
        chosen = edition.config.aggregation_method if method is None else scoring.Method(method)
        with _collector_paused():
            return _leaderboards(main, shared, edition, [chosen], criterion_detail, detail, works, round_no)[chosen]


def leaderboards(
    *,
    session: Session,
    edition_id: int,
    methods: Sequence[scoring.Method] = tuple(scoring.Method),
    criterion_detail: bool = True,
    detail: Mapping[int, Mapping[int, float]] | None = None,
    works: Mapping[int, WorkDetails] | None = None,
    round_no: int | None = None,
) -> dict[scoring.Method, Leaderboard]:
    """The ranking by each of methods, side by side: the sheets, the works and the tie-break values are read once,
    only the aggregation and the order differ. round_no: as for leaderboard."""
    with one_snapshot(session) as shared:
        main = shared.main if shared else session
        edition, round_no = round_rules(main, edition_id, round_no)
        with _collector_paused():
            return _leaderboards(
                main, shared, edition, [scoring.Method(m) for m in methods], criterion_detail, detail, works, round_no
            )


def round_rules(session: Session, edition_id: int, round_no: int | None) -> tuple[EditionView, int]:
    """The edition as a round ranks it: that round's criteria, aggregation method and quorum (round_no None: the
    current round). A one-round edition's first round is the edition itself."""
    edition, chosen = rounds.edition_in_round(session=session, edition_id=edition_id, round_no=round_no)
    return edition, chosen.position


_NO_MEANS: dict[str, float] = {}  # the rows' means when left out: one shared empty dict (rows are never changed)


@dataclass(frozen=True)
class _SideReads:
    """What a ranking reads besides the sheets, none of it needed before the sheets are aggregated."""

    unsheeted: completeness.Unsheeted  # for the quorum
    judgeable: int | None  # the edition's judgeable works, when asked for
    detail: dict[int, dict[int, float]] | None  # criterion_means, when asked for


def _side_reads(
    session: Session,
    *,
    edition_id: int,
    works: WorkRange | None,
    round_no: int,
    count: bool,
    criterion_ids: Sequence[int] | None,
) -> _SideReads:
    """works: the edition's id range (edition_works), which trims the quorum's read and the means' to its works."""
    return _SideReads(
        completeness.unsheeted_assignments(session=session, round_no=round_no, works=works),
        _judgeable_count(session, edition_id) if count else None,
        None if criterion_ids is None else _means_by_work(session, edition_id, criterion_ids, round_no, works),
    )


@contextmanager
def _aside(
    shared: SharedSnapshot | None, read: Callable[[Session], _SideReads]
) -> Iterator[Callable[[Session], _SideReads]]:
    """read's result when asked for. Given shared (the view this thread reads), read starts now on a thread of its
    own, on another session of that view: its queries (a fifth of a national ranking's time, mostly the database's)
    run while this thread reads and aggregates the sheets. Otherwise, or when the view could not be shared after
    all, read runs when asked, on the session then given."""
    if shared is None:
        yield read
        return

    def aside() -> _SideReads | None:
        try:
            with shared.another() as side:
                return None if side is None else read(side)
        except sa.exc.SQLAlchemyError:  # no second connection to be had (the pool spent), or it failed: read in turn
            return None

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ranking-aside") as pool:  # waits for it on the way out
        future = pool.submit(aside)
        yield lambda session: future.result() or read(session)


def _leaderboards(
    session: Session,
    shared: SharedSnapshot | None,
    edition: EditionView,
    methods: Sequence[scoring.Method],
    criterion_detail: bool,
    detail: Mapping[int, Mapping[int, float]] | None,
    works: Mapping[int, WorkDetails] | None,
    round_no: int = FIRST_ROUND,
) -> dict[scoring.Method, Leaderboard]:
    edition_id = edition.id
    criteria = edition.scored_criteria
    chain = tie_break_chain(edition)
    by_code = {c.code: c.id for c in criteria}
    chain_ids = [by_code[link.code[len(CRITERION_PREFIX) :]] for link in chain if link.code != SPREAD]
    edition_range = edition_works(session, edition_id)
    read = partial(
        _side_reads,
        edition_id=edition_id,
        works=edition_range,
        round_no=round_no,
        count=works is not None,
        criterion_ids=[c.id for c in criteria] if criterion_detail and detail is None else None,
    )
    with _aside(shared, read) as aside:
        conflicts = conflicted_pairs(session, edition_id)
        table = _sheet_table(session, edition_id, chain_ids, conflicts, round_no, edition_range)
        totals, chain_means = table.totals, table.criterion_means
        scores_by, spreads = scoring.scores_and_spreads(totals, methods)
        tie_breakers = []
        for link in chain:
            if link.code == SPREAD:
                tie_breakers.append(scoring.TieBreaker(SPREAD, spreads, higher_is_better=False))
            else:
                cid = by_code[link.code[len(CRITERION_PREFIX) :]]
                tie_breakers.append(
                    scoring.TieBreaker(
                        link.code, {s: m[cid] for s, m in chain_means.items() if cid in m}, higher_is_better=True
                    )
                )
        details = _details_of(session, edition_id, totals, works)
        got = aside(session)
    if got.detail is not None:
        detail = got.detail
    # The works not ranked yet: every judgeable work has details when they were read here, not in a kept copy.
    unscored = (len(details) if got.judgeable is None else got.judgeable) - len(totals)
    code_of = {c.id: c.code for c in criteria}
    # Each work's means by criterion code, built once and shared by the boards (rows are read, never changed).
    shown = (
        {sid: {code_of[c]: v for c, v in means.items() if c in code_of} for sid, means in detail.items()}
        if criterion_detail and detail is not None
        else {}
    )
    owed = got.unsheeted.owed(totals, conflicts)
    below = completeness.below_quorum(totals, owed, edition.config.quorum_min_sheets)  # ranked after the others
    boards = {}
    spread_shown = _rounded_2(spreads)
    for method in methods:
        scores = scores_by[method]
        order = scoring.rank_order(scores, tie_breakers, behind=below)
        score_shown = _rounded_2(scores)
        # Each row made in the works' own order, where every lookup below finds its neighbour of the last one in
        # memory, then put in rank order and given its place: a third faster than making them in rank order.
        by_work = {
            sid: LeaderboardRow(
                0,
                False,
                sid,
                score_shown[scores[sid]],
                (),
                len(judges),
                spread_shown[spreads[sid]],
                shown.get(sid, _NO_MEANS),
                len(judges) + owed.get(sid, 0),
                sid not in below,
                details[sid],
            )
            for sid, judges in totals.items()
        }
        rows = tuple(map(by_work.__getitem__, order.ids))
        for row, rank, tied, values in zip(rows, order.ranks, order.tied, order.tie_break_values, strict=True):
            row.rank, row.tied, row.tie_break_values = rank, tied, values
        boards[method] = Leaderboard(
            edition_id,
            method,
            criteria,
            rows,
            unscored,
            tuple(t.name for t in tie_breakers),
            chain,
            edition.max_total,
            len(below),
            round_no,
        )
    return boards


def _rounded_2(values: Mapping[int, float]) -> Mapping[float, float]:
    """round(v, 2) of each of values, by value: each distinct one rounded once (a national ranking's 10,000 means and
    spreads of half-point totals take a few hundred values), all at once by fsums.rounded (its 10,000 distinct
    z-scores: 10.4 -> 2.4 ms)."""
    distinct = set(values.values())
    shown = fsums.rounded(np.fromiter(distinct, np.float64, len(distinct)), 2).tolist()
    return dict(zip(distinct, shown, strict=True))


def _judgeable_count(session: Session, edition_id: int) -> int:
    return (
        session.connection()
        .execute(
            sa.select(func.count())
            .select_from(Submission)
            .where(col(Submission.edition_id) == edition_id, col(Submission.status).in_(JUDGEABLE))
        )
        .scalar_one()
    )


# --- how sure the ranking is ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Agreement:
    """Judge agreement within each panel (the works scored by exactly the same judges), averaged over the panels by
    their number of works; None where no panel gives a figure. One panel when every judge scores every work."""

    judges: int  # in the panels that gave a figure
    submissions: int  # in those panels
    kendalls_w: float | None
    icc: float | None
    by_criterion: tuple[tuple[str, float | None, float | None], ...]  # (criterion code, W, ICC)
    panels: int = 1


def agreement(*, session: Session, edition_id: int, round_no: int | None = None) -> Agreement:
    edition, round_no = round_rules(session, edition_id, round_no)
    points = submitted_points(session=session, edition_id=edition_id, round_no=round_no).points
    overall = scoring.panel_agreement(
        {s: {j: math.fsum(c.values()) for j, c in judges.items()} for s, judges in points.items()}
    )
    per_criterion = []
    for c in edition.scored_criteria:
        table = {s: {j: pts[c.id] for j, pts in judges_.items() if c.id in pts} for s, judges_ in points.items()}
        found = scoring.panel_agreement(table)
        per_criterion.append((c.code, found.kendalls_w, found.icc))
    return Agreement(
        overall.judges, overall.submissions, overall.kendalls_w, overall.icc, tuple(per_criterion), overall.panels
    )
