"""The contest's pure scoring math: aggregation, ranking with tie-breaks, judge agreement, rank stability."""

from __future__ import annotations

import math
import random
import statistics
from bisect import bisect_right
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from itertools import chain, compress, pairwise
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

from services.results import fsums
from services.results.fsums import group_fsums

# submission_id -> judge_id -> score-sheet total (0..100)
Totals: TypeAlias = Mapping[int, Mapping[int, float]]
# submission_id -> judge_id -> criterion_id -> points
Points: TypeAlias = Mapping[int, Mapping[int, Mapping[int, float]]]

# Totals are sums of points, so 0.1 + 0.2 and 0.3 must count as the same total; six decimals is far
# below any scoring step a judge can give and far above float noise.
DEFAULT_NDIGITS = 6

# Trimming one sheet from each end of three or four is no longer "dropping an outlier", it is
# throwing away half the panel, so trimming starts at five judges.
TRIM_MIN_JUDGES = 5

# A judge whose totals differ only by float noise (relative to their size) gave every submission the
# same score; treating that noise as spread would blow it up to z = +-1.  Relative, so that scaling a
# judge's totals by a positive factor does not change the verdict.
_FLAT_RELATIVE_SD = 1e-9

# z-scores are shown on the familiar T-score scale (mean 50, one standard deviation = 10 points) so a
# z-based result can sit in the same 0..100 column as the raw means.  |z| can exceed 5 for an extreme
# outlier of a large panel (population z reaches sqrt(n - 1)), so the scale is clipped, not stretched:
# the clip only merges submissions more than five standard deviations from the judges' average.
_Z_CENTRE = 50.0
_Z_SCALE = 10.0


class Method(StrEnum):
    """How one submission's judges' totals become its score."""

    mean = "mean"  # the 2564 contest's rule
    median = "median"
    trimmed_mean = "trimmed_mean"
    zscore = "zscore"


@dataclass(frozen=True)
class TieBreaker:
    """One link of a tie-break chain, e.g. the mean points on the innovation criterion."""

    name: str
    values: Mapping[int, float]
    higher_is_better: bool = True


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs ~5x more, and a ranking builds 10,000
class RankedEntry:
    """A submission's place; tie_break_values follow the chain's order, NaN where a value is missing."""

    submission_id: int
    rank: int
    score: float
    tied: bool
    tie_break_values: tuple[float, ...]


@dataclass(frozen=True)
class Spread:
    sd: float  # population standard deviation: the judges on a panel are all there is, not a sample
    range: float
    n: int


@dataclass(frozen=True)
class CutoffStability:
    """Whether the bootstrap keeps the submissions either side of one award cut-off on their side.

    inside are the entries ranked last within the cut-off, outside the entries ranked just after it.
    inside_probability is the lowest chance among inside of ranking within the cut-off;
    outside_probability the highest chance among outside of ranking within it (0.0 when none).
    """

    cutoff: int
    inside: tuple[int, ...]
    outside: tuple[int, ...]
    inside_probability: float
    outside_probability: float
    stable: bool


# A median or trimmed mean sorts each submission's totals along one row of a table as wide as the most sheets any
# has: beyond this many, the submissions are taken one by one instead.
_WIDEST_ROW = 64


# --- aggregation -------------------------------------------------------------------------------------


def sheet_totals(points: Points) -> dict[int, dict[int, float]]:
    """Each judge's score-sheet total per submission: the sum of their points over the criteria given."""
    return {
        submission_id: {judge_id: math.fsum(by_criterion.values()) for judge_id, by_criterion in by_judge.items()}
        for submission_id, by_judge in points.items()
    }


def aggregate(totals: Totals, method: Method = Method.mean) -> dict[int, float]:
    """Each submission's score from its judges' totals; submissions no judge has scored are left out."""
    _check_finite(totals)
    return _aggregated(totals, method)


def scores_and_spreads(
    totals: Totals, methods: Iterable[Method]
) -> tuple[dict[Method, dict[int, float]], dict[int, float]]:
    """aggregate(totals, method) for each of methods, and spreads(totals), as a ranking needs them: the totals
    checked once and laid out once as columns, the mean taken from the spread's pass (means_and_spreads)."""
    columns = _columns(totals)
    means, spread = _means_and_spreads(totals, columns)
    out: dict[Method, dict[int, float]] = {}
    for m in methods:
        if m is Method.mean:
            out[m] = means
        elif m is Method.zscore:
            out[m] = _z_scores(columns)
        else:
            out[m] = _by_order(columns, means, m) if len(columns.lengths) else {}
    return out, spread


def _aggregated(totals: Totals, method: Method) -> dict[int, float]:
    """aggregate, the totals already checked finite."""
    if method is Method.zscore:
        return _z_scores(_columns(totals))
    fsum = math.fsum
    if method is Method.mean:  # _combine's mean without a call and a list per submission (10,000 in a ranking)
        return {
            submission_id: fsum(by_judge.values()) / len(by_judge)
            for submission_id, by_judge in totals.items()
            if by_judge
        }
    if method is Method.trimmed_mean:  # the same for _combine's trimmed mean
        return {
            submission_id: fsum(sorted(by_judge.values())[1:-1]) / (len(by_judge) - 2)
            if len(by_judge) >= TRIM_MIN_JUDGES
            else fsum(by_judge.values()) / len(by_judge)
            for submission_id, by_judge in totals.items()
            if by_judge
        }
    out: dict[int, float] = {}  # the median: statistics.median's own steps, without its call per submission
    for submission_id, by_judge in totals.items():
        n = len(by_judge)
        if n:
            ordered = sorted(by_judge.values())
            half = n // 2
            out[submission_id] = ordered[half] if n % 2 else (ordered[half - 1] + ordered[half]) / 2
    return out


def criterion_means(points: Points) -> dict[int, dict[int, float]]:
    """Per submission, each criterion's mean points over the judges who scored that criterion."""
    means: dict[int, dict[int, float]] = {}
    for submission_id, by_judge in points.items():
        collected: dict[int, list[float]] = {}
        for by_criterion in by_judge.values():
            for criterion_id, value in by_criterion.items():
                collected.setdefault(criterion_id, []).append(value)
        if collected:
            means[submission_id] = {c: statistics.fmean(v) for c, v in sorted(collected.items())}
    return means


def spread(values: Iterable[float]) -> Spread:
    """How far apart the judges are on one submission (or one criterion)."""
    items = list(values)
    if not items:
        return Spread(sd=0.0, range=0.0, n=0)
    sd = statistics.pstdev(items) if len(items) >= 2 else 0.0
    return Spread(sd=sd, range=max(items) - min(items), n=len(items))


def _combine(values: Sequence[float], method: Method) -> float:
    # fsum / len is what statistics.fmean computes for a list, without its per-call overhead (10,000 calls a ranking).
    if method is Method.mean:
        return math.fsum(values) / len(values)
    if method is Method.median:
        return float(statistics.median(values))
    if method is Method.trimmed_mean:
        if len(values) < TRIM_MIN_JUDGES:
            return math.fsum(values) / len(values)
        kept = sorted(values)[1:-1]
        return math.fsum(kept) / len(kept)
    # zscore: the values are already each judge's z
    return min(100.0, max(0.0, _Z_CENTRE + _Z_SCALE * (math.fsum(values) / len(values))))


def spreads(totals: Totals) -> dict[int, float]:
    """float_pstdev of each submission's totals, in bulk (a national ranking's 10,000 calls were a tenth of it)."""
    return means_and_spreads(totals)[1]


def means_and_spreads(totals: Totals) -> tuple[dict[int, float], dict[int, float]]:
    """aggregate(totals, Method.mean) and spreads(totals) in one pass: the spread starts from the same mean, and a
    ranking by the mean, which always has the spread at hand for its tie-breaks, would otherwise add each
    submission's totals twice."""
    return _means_and_spreads(totals, _columns(totals))


@dataclass(frozen=True)
class _Columns:
    """The totals of the submissions that have any, as NumPy columns: each submission's sheets one run after the
    other, so that every per-submission and per-judge sum of a national ranking is a handful of array operations
    (fsums.group_fsums gives math.fsum's float for each, bit for bit) rather than 10,000 calls from Python."""

    submissions: list[int]  # in the totals' order
    lengths: NDArray[np.intp]  # each one's number of sheets
    totals: NDArray[np.float64]
    sheets: list[Mapping[int, float]]  # each one's judge -> total, in the same order

    def per_submission(self, values: NDArray[np.float64]) -> dict[int, float]:
        return dict(zip(self.submissions, values.tolist(), strict=True))

    def judges(self) -> NDArray[np.int64]:
        """Each sheet's judge, beside totals (only the z-score needs them)."""
        return np.fromiter(chain.from_iterable(t.keys() for t in self.sheets), np.int64, len(self.totals))


def _columns(totals: Totals) -> _Columns:
    """totals as columns, checked finite (a non-finite total is named by its judge and submission)."""
    submissions = [s for s, sheets in totals.items() if sheets]
    tables = [totals[s] for s in submissions] if len(submissions) < len(totals) else list(totals.values())
    lengths = np.fromiter(map(len, tables), np.intp, len(tables))
    n = int(lengths.sum())
    values = np.fromiter(chain.from_iterable(t.values() for t in tables), np.float64, n)
    if not np.isfinite(values).all():
        _check_finite(totals)
    return _Columns(submissions, lengths, values, tables)


def _means_and_spreads(totals: Totals, columns: _Columns) -> tuple[dict[int, float], dict[int, float]]:
    """Each mean is fsum / n and each spread sqrt(fsum((v - mean)^2) / n), float_pstdev's own steps; a submission
    without sheets has no mean and a spread of 0."""
    lengths = columns.lengths
    means = group_fsums(columns.totals, lengths) / lengths
    deviations = columns.totals - np.repeat(means, lengths)
    out = columns.per_submission(np.sqrt(group_fsums(deviations * deviations, lengths) / lengths))
    if len(out) < len(totals):
        out = {s: out.get(s, 0.0) for s in totals}
    return columns.per_submission(means), out


def _by_order(columns: _Columns, means: Mapping[int, float], method: Method) -> dict[int, float]:
    """_aggregated's median or trimmed mean of every submission at once: each one's totals sorted along a row of a
    table (padded with +inf after them), the median the middle one or the float mean of the middle two, the trimmed
    mean the exact sum of all but the first and last (group_fsums) over their number, and below TRIM_MIN_JUDGES the
    mean itself (the same fsum / n). Submissions with very many sheets are left to _aggregated."""
    lengths = columns.lengths
    width = int(lengths.max())
    if width > _WIDEST_ROW:
        return _aggregated({s: sheets for s, sheets in zip(columns.submissions, columns.sheets, strict=True)}, method)
    groups = np.arange(len(lengths))
    place = np.arange(len(columns.totals)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    table = np.full((len(lengths), width), np.inf)
    table[np.repeat(groups, lengths), place] = columns.totals
    table.sort(axis=1, kind="stable")  # as sorted() leaves 0.0 and -0.0 (equal) in their order
    if method is Method.median:
        half = lengths // 2
        upper = table[groups, half]
        lower = table[groups, np.maximum(half - 1, 0)]
        return columns.per_submission(np.where(lengths % 2 == 1, upper, (lower + upper) / 2))
    trimmed = lengths >= TRIM_MIN_JUDGES
    kept = (np.arange(width) >= 1) & (np.arange(width) < (lengths - 1)[:, None]) & trimmed[:, None]
    sums = group_fsums(table[kept], np.where(trimmed, lengths - 2, 0))
    with np.errstate(invalid="ignore", divide="ignore"):  # the untrimmed rows take the mean below
        scores = sums / (lengths - 2)
    out = columns.per_submission(scores)
    for s in compress(columns.submissions, (~trimmed).tolist()):
        out[s] = means[s]
    return out


def float_pstdev(values: Sequence[float]) -> float:
    """Population standard deviation in float arithmetic, two passes with fsum: within a few ulps of
    statistics.pstdev, which works in exact fractions and is 40x slower (a national ranking calls this 10,000
    times)."""
    n = len(values)
    if n < 2:
        return 0.0
    mean = math.fsum(values) / n
    return math.sqrt(math.fsum([(v - mean) * (v - mean) for v in values]) / n)


def _judge_scales(columns: _Columns) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[Any]]:
    """Each judge's centre and scale over their own sheets, and each sheet's judge as an index into them:
    z = (total - centre) / scale. The centre is fsum / n and the scale float_pstdev, as for a submission.

    One sheet or no spread says nothing about a judge's scale: such a judge gets centre 0 and an infinite scale,
    so every z of theirs is neutral (0), not extreme (totals are finite, checked before).
    """
    judge_of, counts = _dense(columns.judges())
    by_judge = columns.totals[np.argsort(judge_of, kind="stable")]
    mean = group_fsums(by_judge, counts) / counts
    deviations = by_judge - np.repeat(mean, counts)
    sd = np.sqrt(group_fsums(deviations * deviations, counts) / counts)
    starts = np.cumsum(counts) - counts
    largest = np.maximum(-np.minimum.reduceat(by_judge, starts), np.maximum.reduceat(by_judge, starts))  # of |total|
    spread = (counts >= 2) & (sd > _FLAT_RELATIVE_SD * largest)
    return np.where(spread, mean, 0.0), np.where(spread, sd, math.inf), judge_of


def _dense(ids: NDArray[np.int64]) -> tuple[NDArray[Any], NDArray[np.intp]]:
    """Each of ids as an index 0, 1, ... in the order of the distinct ids, and how often each occurs: np.unique's
    inverse and counts, by counting when the ids lie close together (judge ids do), which spares sorting 50,000."""
    low, high = int(ids.min()), int(ids.max())
    if high - low > 4 * len(ids) + 65_536:
        _, inverse, counts = np.unique(ids, return_inverse=True, return_counts=True)
        return inverse.reshape(-1), counts
    occurs = np.bincount(ids - low)
    # int16 when it fits: NumPy sorts small integers by radix (the stable argsort the caller makes).
    kind = np.int16 if np.count_nonzero(occurs) < 2**15 else np.intp
    return (np.cumsum(occurs > 0, dtype=kind) - 1)[ids - low], occurs[occurs > 0]


def _judge_z(totals: Totals) -> dict[int, dict[int, float]]:
    """Replace each total by its z-score within its judge's own sheets, so only a judge's order counts."""
    columns = _columns(totals)
    if not columns.submissions:
        return {s: {} for s in totals}
    centre, scale, judge_of = _judge_scales(columns)
    z = iter(((columns.totals - centre[judge_of]) / scale[judge_of] + 0.0).tolist())
    return {submission_id: {judge_id: next(z) for judge_id in sheets} for submission_id, sheets in totals.items()}


def _z_scores(columns: _Columns) -> dict[int, float]:
    """aggregate(totals, Method.zscore) without the table of every sheet's z (a national ranking's 50,000): _combine's
    zscore of each submission's z values, as columns. No "+ 0.0" on each z as _judge_z has: a -0.0 term changes no
    sum but a zero one, and 50 + 10 * -0.0 is 50.0 all the same."""
    if not columns.submissions:
        return {}
    centre, scale, judge_of = _judge_scales(columns)
    z = (columns.totals - centre[judge_of]) / scale[judge_of]
    mean_z = group_fsums(z, columns.lengths) / columns.lengths
    return columns.per_submission(np.minimum(100.0, np.maximum(0.0, _Z_CENTRE + _Z_SCALE * mean_z)))


def _check_finite(totals: Totals) -> None:
    if all(map(math.isfinite, chain.from_iterable(sheets.values() for sheets in totals.values()))):
        return
    for submission_id, sheets in totals.items():
        for judge_id, total in sheets.items():
            if not math.isfinite(total):
                raise ValueError(f"judge {judge_id} has a non-finite total {total!r} on submission {submission_id}")


def _judges(totals: Totals) -> list[int]:
    return sorted({judge_id for sheets in totals.values() for judge_id in sheets})


# --- ranking -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankOrder:
    """A ranking as columns, in rank order: what rank_submissions gives, without an object per submission (a
    national ranking has 10,000)."""

    ids: list[int]
    ranks: list[int]
    tied: list[bool]
    tie_break_values: list[tuple[float, ...]]  # the chain's values per entry, NaN where missing


def rank_submissions(
    scores: Mapping[int, float],
    tie_breakers: Sequence[TieBreaker] = (),
    ndigits: int = DEFAULT_NDIGITS,
) -> list[RankedEntry]:
    """Standard competition ranking ("1, 2, 2, 4") by score, then by each tie-breaker in turn.

    Scores and tie-break values are compared after rounding to ndigits.  A submission missing a
    tie-break value loses that link to everyone who has one.  Entries still level after the whole chain
    share the better rank and are marked tied.  Ordered by rank, then submission id.
    """
    order = rank_order(scores, tie_breakers, ndigits)
    return [
        RankedEntry(s, rank, scores[s], tied, values)
        for s, rank, tied, values in zip(order.ids, order.ranks, order.tied, order.tie_break_values, strict=True)
    ]


def rank_order(
    scores: Mapping[int, float],
    tie_breakers: Sequence[TieBreaker] = (),
    ndigits: int = DEFAULT_NDIGITS,
    behind: Collection[int] = (),
) -> RankOrder:
    """rank_submissions as columns; the submissions in behind are ranked after all the others, among themselves,
    their ranks going on from the last of the others (never level with one of them).

    One sort key per entry, as NumPy columns: the behind flag when any, the rounded score negated, then each link's
    rounded value (negated where higher is better), a missing one (None or NaN) as +inf so it sorts after every
    present one whichever way the link runs. The columns are sorted at once, stably from ids in order, so entries
    level on the whole key stay in id order; an entry level with the one before it on the whole key shares its rank.
    Rounded as round() rounds, bit for bit (fsums.rounded): a national ranking's 10,000 entries, and a shortlist's
    bootstrap ranks them hundreds of times.
    """
    if not all(map(math.isfinite, scores.values())):
        for submission_id, score in scores.items():
            if not math.isfinite(score):
                raise ValueError(f"submission {submission_id} has a non-finite score {score!r}")
    ids = sorted(scores)
    n = len(ids)
    if not n:
        return RankOrder([], [], [], [])
    # None becomes NaN in a float array: each link's values, NaN where missing.
    raw = [np.array(list(map(b.values.get, ids)), dtype=np.float64) for b in tie_breakers]
    keys = [_rounded_keys(np.fromiter(map(scores.__getitem__, ids), np.float64, n), ndigits, -1.0)]
    keys += [
        _rounded_keys(column, ndigits, -1.0 if b.higher_is_better else 1.0)
        for b, column in zip(tie_breakers, raw, strict=True)
    ]
    if behind:
        keys.insert(0, np.fromiter(map(behind.__contains__, ids), np.bool_, n).astype(np.float64))
    order = np.lexsort(keys[::-1])  # stable; its last key leads
    level = np.ones(n - 1, dtype=np.bool_)  # level[i]: entry i + 1 equals entry i on the whole key
    for key in keys:
        ordered = key[order]
        level &= ordered[1:] == ordered[:-1]
    positions = np.arange(1, n + 1)
    positions[1:][level] = 0
    tied = np.zeros(n, dtype=np.bool_)
    tied[1:] |= level
    tied[:-1] |= level
    chain_values: list[tuple[float, ...]] = (
        list(zip(*(column[order].tolist() for column in raw), strict=True)) if raw else [()] * n
    )
    return RankOrder(
        np.array(ids)[order].tolist(), np.maximum.accumulate(positions).tolist(), tied.tolist(), chain_values
    )


def _rounded_keys(values: NDArray[np.float64], ndigits: int, sign: float) -> NDArray[np.float64]:
    """sign * round(v, ndigits) of each of values, +inf where one is missing (NaN)."""
    missing = np.isnan(values)
    if 0 <= ndigits <= 15:
        out = fsums.rounded(np.where(missing, 0.0, values), ndigits)
    else:  # beyond fsums.rounded's range: round itself
        out = np.array([round(v, ndigits) for v in np.where(missing, 0.0, values).tolist()], dtype=np.float64)
    out *= sign
    out[missing] = math.inf
    return out


# --- judge agreement ---------------------------------------------------------------------------------


def _complete_block(totals: Totals) -> tuple[list[int], list[int]]:
    """The judges, and the submissions every one of them scored: agreement needs a full table."""
    judges = _judges(totals)
    submissions = sorted(s for s, sheets in totals.items() if sheets and all(j in sheets for j in judges))
    return judges, submissions


def kendalls_w(totals: Totals) -> float | None:
    """Kendall's W (0 = no agreement, 1 = every judge orders the submissions alike), tie-corrected.

    Uses only the submissions every judge in totals scored.  None with fewer than 2 judges or 2 such
    submissions, or when every judge gave every one of them the same total (no order to agree on).
    """
    _check_finite(totals)
    return _block_w(totals, *_complete_block(totals))


def _block_w(totals: Totals, judges: Sequence[int], submissions: Sequence[int]) -> float | None:
    """Kendall's W over a complete block: every one of judges scored every one of submissions."""
    m, n = len(judges), len(submissions)
    if m < 2 or n < 2:
        return None
    # Exact arithmetic, in integers: average ranks are halves, so twice each rank is a whole number, and W must come
    # out exactly 1 for a unanimous panel.  With doubled ranks, S = sum((2R - m(n + 1))^2) / 4 and W = 12 S / D.
    doubled_sums = [0] * n
    tie_correction = 0
    for judge_id in judges:
        ranks, ties = _doubled_average_ranks([round(totals[s][judge_id], DEFAULT_NDIGITS) for s in submissions])
        doubled_sums = [acc + r for acc, r in zip(doubled_sums, ranks, strict=True)]
        tie_correction += ties
    expected = m * (n + 1)
    s4 = sum((r - expected) ** 2 for r in doubled_sums)
    denominator = m * m * (n**3 - n) - m * tie_correction
    if denominator == 0:
        return None
    return float(Fraction(3 * s4, denominator))


def _doubled_average_ranks(values: Sequence[float]) -> tuple[list[int], int]:
    """Twice the ranks 1..n, tied values sharing their average rank, and the sum of t^3 - t over tie groups."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0] * len(values)
    correction = 0
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        shared = start + 1 + end + 1
        for i in order[start : end + 1]:
            ranks[i] = shared
        t = end - start + 1
        correction += t**3 - t
        start = end + 1
    return ranks, correction


def icc(totals: Totals) -> float | None:
    """ICC(2,1): two-way random effects, absolute agreement, single judge (Shrout & Fleiss 1979).

    Two-way because every judge scores every submission in the block (ICC(1,1) assumes different
    judges per submission); random because the panel stands in for any panel the contest could have
    invited; absolute agreement because a judge who is uniformly harsher moves the mean, so the
    question is whether one judge's total could stand for the panel's.  Uses only the submissions
    every judge scored; None with fewer than 2 judges or 2 such submissions, or when the table has no
    variance to apportion.  It can be negative when judges disagree more than chance.
    """
    _check_finite(totals)
    return _block_icc(totals, *_complete_block(totals))


def _block_icc(totals: Totals, judges: Sequence[int], submissions: Sequence[int]) -> float | None:
    """ICC(2,1) over a complete block: every one of judges scored every one of submissions."""
    k, n = len(judges), len(submissions)
    if k < 2 or n < 2:
        return None
    # Exact arithmetic, as fast as whole numbers: the mean squares are differences of near-equal sums when judges
    # agree closely.  Every float is a whole number over a power of two, so scaled by the largest such power the
    # table is whole; the scale (squared in every sum of squares) cancels in the ratio.
    ratios = [[totals[s][j].as_integer_ratio() for j in judges] for s in submissions]
    scale = max(den for row in ratios for _, den in row)
    table = [[num * (scale // den) for num, den in row] for row in ratios]
    grand = sum(map(sum, table))
    correction = Fraction(grand * grand, n * k)
    ss_total = sum(y * y for row in table for y in row) - correction
    ss_rows = Fraction(sum(sum(row) ** 2 for row in table), k) - correction
    ss_cols = Fraction(sum(sum(column) ** 2 for column in zip(*table, strict=True)), n) - correction
    ms_rows = ss_rows / (n - 1)
    ms_cols = ss_cols / (k - 1)
    ms_error = (ss_total - ss_rows - ss_cols) / ((n - 1) * (k - 1))
    denominator = ms_rows + (k - 1) * ms_error + k * (ms_cols - ms_error) / n
    if denominator == 0:
        return None
    return float((ms_rows - ms_error) / denominator)


@dataclass(frozen=True)
class PanelAgreement:
    """Agreement within each panel (the submissions scored by exactly the same judges), averaged over the panels,
    each weighted by its number of submissions.  One panel when every judge scores every submission (2564); five of
    five judges each when a national edition splits 25 judges into panels."""

    kendalls_w: float | None
    icc: float | None
    panels: int  # that gave a figure
    submissions: int  # in those panels
    judges: int  # in those panels


PANEL_MIN_SUBMISSIONS = 3  # two works give a judge no order worth agreeing on


def panel_agreement(totals: Totals) -> PanelAgreement:
    """Kendall's W and ICC(2,1) per panel of at least two judges and PANEL_MIN_SUBMISSIONS submissions, weighted
    by the panel's submissions; None where no panel gives a figure."""
    _check_finite(totals)
    panels: dict[frozenset[int], list[int]] = {}
    for submission_id, sheets in totals.items():
        if len(sheets) >= 2:
            panels.setdefault(frozenset(sheets), []).append(submission_id)
    # Weighted in fractions: a single panel's figure comes back exactly as it is (w * n / n need not, in floats).
    w_sum, icc_sum = Fraction(0), Fraction(0)
    w_weight = icc_weight = 0
    used: list[tuple[frozenset[int], int]] = []
    for judges, members in panels.items():
        if len(members) < PANEL_MIN_SUBMISSIONS:
            continue
        order = sorted(judges)  # a panel is complete by construction: every judge of it scored every member
        w, i = _block_w(totals, order, members), _block_icc(totals, order, members)
        if w is not None:
            w_sum, w_weight = w_sum + Fraction(w) * len(members), w_weight + len(members)
        if i is not None:
            icc_sum, icc_weight = icc_sum + Fraction(i) * len(members), icc_weight + len(members)
        if w is not None or i is not None:
            used.append((judges, len(members)))
    return PanelAgreement(
        float(w_sum / w_weight) if w_weight else None,
        float(icc_sum / icc_weight) if icc_weight else None,
        len(used),
        sum(n for _, n in used),
        len(frozenset().union(*(j for j, _ in used))),
    )


# --- rank stability ----------------------------------------------------------------------------------


def band_probabilities(
    totals: Totals,
    bands: Sequence[int],
    method: Method = Method.mean,
    samples: int = 500,
    seed: int = 0,
) -> dict[int, list[float]]:
    """Each submission's chance of landing in each award band when the panel is resampled.

    bands are cumulative rank cut-offs: [1, 8] means band 0 = rank 1, band 1 = ranks 2..8, band 2 =
    the rest.  Each replicate draws as many judges as there are, with replacement (a judge drawn twice
    counts twice), scores and ranks the submissions; a submission none of the drawn judges scored is
    unranked and falls in the last band.  Ties within a replicate share the better rank, as they would
    on the day.  Deterministic for a given seed.  Covers the submissions aggregate() scores.
    """
    cutoffs = _check_bands(bands)
    if samples < 1:
        raise ValueError(f"samples must be at least 1, got {samples}")
    _check_finite(totals)
    # A judge's z depends only on their own sheets, which a replicate never changes, so compute once.
    table: Totals = _judge_z(totals) if method is Method.zscore else totals
    judges = _judges(totals)
    submissions = sorted(s for s, sheets in totals.items() if sheets)
    counts = {s: [0] * (len(cutoffs) + 1) for s in submissions}
    last_band = len(cutoffs)
    rng = random.Random(seed)
    combine, mean = _combine, method is Method.mean
    for _ in range(samples):
        # How often each judge was drawn: a work's values are its judges' totals, each as often as its judge was
        # drawn. Every method's combination ignores the order of the values (math.fsum is exact, the others sort),
        # so this equals walking the drawn list for each work, at a work's few judges instead of all of them.
        times = Counter(rng.choices(judges, k=len(judges)))
        scores: dict[int, float] = {}
        for submission_id in submissions:
            values: list[float] = []
            for judge_id, total in table[submission_id].items():
                drawn = times.get(judge_id)
                if drawn:
                    values += [total] * drawn
            if values:
                scores[submission_id] = math.fsum(values) / len(values) if mean else combine(values, method)
        # In rank order each band is one stretch of the ranking: only the works ranked within the last cut-off are
        # counted here, the last band (the rest and the unranked) is what the replicates left.
        order = rank_order(scores)
        start = 0
        for band, cutoff in enumerate(cutoffs):
            end = bisect_right(order.ranks, cutoff, lo=start)
            for submission_id in order.ids[start:end]:
                counts[submission_id][band] += 1
            start = end
    for band_counts in counts.values():
        band_counts[last_band] = samples - sum(band_counts[:last_band])
    return {s: [c / samples for c in band_counts] for s, band_counts in counts.items()}


def leave_one_judge_out(totals: Totals, method: Method = Method.mean) -> dict[int, list[int]]:
    """Each submission's rank with each judge left out in turn, in order of judge id.

    A submission only the left-out judge scored ranks after every ranked one.
    """
    judges = _judges(totals)
    submissions = sorted(s for s, sheets in totals.items() if sheets)
    result: dict[int, list[int]] = {s: [] for s in submissions}
    for left_out in judges:
        remaining = {s: {j: t for j, t in sheets.items() if j != left_out} for s, sheets in totals.items()}
        ranks = {entry.submission_id: entry.rank for entry in rank_submissions(aggregate(remaining, method))}
        unranked = len(ranks) + 1
        for submission_id in submissions:
            result[submission_id].append(ranks.get(submission_id, unranked))
    return result


def cutoff_stability(
    ranking: Sequence[RankedEntry],
    probabilities: Mapping[int, Sequence[float]],
    bands: Sequence[int],
    confidence: float = 0.8,
) -> list[CutoffStability]:
    """For each cut-off in bands, whether the official ranking's neighbours at it hold up under resampling.

    ranking is the official result (with its tie-breaks), probabilities come from band_probabilities
    with the same bands.  A cut-off is stable when every entry ranked last within it stays within it
    with at least `confidence`, and every entry ranked just after it gets in with at most
    1 - confidence; otherwise the award line is within the noise of who happened to judge.
    """
    cutoffs = _check_bands(bands)
    if not 0.5 <= confidence <= 1.0:
        raise ValueError(f"confidence must be within 0.5..1, got {confidence}")
    checks: list[CutoffStability] = []
    for band, cutoff in enumerate(cutoffs):
        within = [e for e in ranking if e.rank <= cutoff]
        beyond = [e for e in ranking if e.rank > cutoff]
        if not within:
            continue
        last_in = max(e.rank for e in within)
        inside = tuple(e.submission_id for e in within if e.rank == last_in)
        first_out = min((e.rank for e in beyond), default=None)
        outside = tuple(e.submission_id for e in beyond if e.rank == first_out)

        def p_within(submission_id: int, band: int = band) -> float:
            return math.fsum(probabilities[submission_id][: band + 1])

        inside_p = min(p_within(s) for s in inside)
        outside_p = max((p_within(s) for s in outside), default=0.0)
        checks.append(
            CutoffStability(
                cutoff=cutoff,
                inside=inside,
                outside=outside,
                inside_probability=inside_p,
                outside_probability=outside_p,
                stable=inside_p >= confidence and outside_p <= 1.0 - confidence,
            )
        )
    return checks


def unstable_cutoffs(
    ranking: Sequence[RankedEntry],
    probabilities: Mapping[int, Sequence[float]],
    bands: Sequence[int],
    confidence: float = 0.8,
) -> list[CutoffStability]:
    """The cut-offs cutoff_stability finds unstable: the award lines a committee should look at again."""
    return [check for check in cutoff_stability(ranking, probabilities, bands, confidence) if not check.stable]


def _check_bands(bands: Sequence[int]) -> list[int]:
    cutoffs = list(bands)
    if any(c < 1 for c in cutoffs) or any(b <= a for a, b in pairwise(cutoffs)):
        raise ValueError(f"bands must be increasing rank cut-offs from 1 up, got {cutoffs}")
    return cutoffs
