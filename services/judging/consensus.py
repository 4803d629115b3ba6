"""Consensus and calibration for organisers: where the committee disagrees, and which judges score harsh or lenient."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from models import JudgeAssignment, Organisation, Role, ScoreSheet, SheetState, Submission, User
from services.judging import conflicts
from services.judging.guards import JUDGEABLE
from services.results import ranking, scoring

# A judge whose totals sit on average more than this many points (of 100) below or above the rest of the panel,
# on the same submissions, is shown as harsh or lenient. Below MIN_SHEETS shared sheets there is too little to say.
LEAN_POINTS = 5.0
MIN_SHEETS = 3


class Lean(StrEnum):
    harsh = "harsh"
    lenient = "lenient"
    in_line = "in_line"
    too_few = "too_few"


@dataclass(frozen=True)
class CriterionSpread:
    criterion_id: int
    code: str
    title_th: str
    title_en: str
    max_points: int
    mean: float
    sd: float
    range: float
    n: int
    flagged: bool


@dataclass(frozen=True)
class SubmissionConsensus:
    submission_id: int
    title: str
    short_name: str
    judges: int
    mean_total: float
    total_sd: float
    total_range: float
    criteria: tuple[CriterionSpread, ...]

    @property
    def flagged(self) -> tuple[CriterionSpread, ...]:
        return tuple(c for c in self.criteria if c.flagged)


@dataclass(frozen=True)
class JudgeCalibration:
    judge_id: int
    username: str
    display_name: str
    agency: str
    assigned: int
    submitted: int
    mean_total: float | None
    mean_offset: float | None  # the judge's total minus the mean of the other judges on the same submission
    offset_sd: float | None
    lean: Lean


@dataclass(frozen=True)
class Consensus:
    edition_id: int
    threshold: float
    submissions: tuple[SubmissionConsensus, ...]
    judges: tuple[JudgeCalibration, ...]

    @property
    def flagged(self) -> tuple[SubmissionConsensus, ...]:
        return tuple(s for s in self.submissions if s.flagged)


# --- pure ---------------------------------------------------------------------------------------------------------


def criterion_spreads(points: scoring.Points) -> dict[int, dict[int, scoring.Spread]]:
    """submission -> criterion -> the judges' spread on it."""
    out: dict[int, dict[int, scoring.Spread]] = {}
    for sub, by_judge in points.items():
        values: dict[int, list[float]] = {}
        for by_crit in by_judge.values():
            for cid, p in by_crit.items():
                values.setdefault(cid, []).append(p)
        out[sub] = {cid: scoring.spread(v) for cid, v in values.items()}
    return out


def judge_offsets(totals: scoring.Totals) -> dict[int, list[float]]:
    """judge -> for each submission they share with at least one other judge, their total minus the others' mean.
    Comparing with the same submission's other judges keeps a judge who drew strong works from looking lenient."""
    out: dict[int, list[float]] = {}
    for by_judge in totals.values():
        if len(by_judge) < 2:
            continue
        total = sum(by_judge.values())
        for j, value in by_judge.items():
            others = (total - value) / (len(by_judge) - 1)
            out.setdefault(j, []).append(value - others)
    return out


def lean_of(offsets: list[float], lean_points: float = LEAN_POINTS, min_sheets: int = MIN_SHEETS) -> Lean:
    if len(offsets) < min_sheets:
        return Lean.too_few
    mean = statistics.fmean(offsets)
    if mean <= -lean_points:
        return Lean.harsh
    if mean >= lean_points:
        return Lean.lenient
    return Lean.in_line


# --- from the database --------------------------------------------------------------------------------------------


def consensus(*, session: Session, edition_id: int, round_no: int | None = None) -> Consensus:
    """From submitted sheets only, conflicted judges left out (results.submitted_points is the one definition), of
    round_no (the current round when None), on that round's criteria."""
    edition, round_no = ranking.round_rules(session, edition_id, round_no)
    threshold = edition.config.disagreement_threshold
    crits = {c.id: c for c in edition.scored_criteria}
    points = ranking.submitted_points(session=session, edition_id=edition_id, round_no=round_no).points
    totals = scoring.sheet_totals(points)
    spreads = criterion_spreads(points)
    info = {
        s.id: (s, o)
        for s, o in session.exec(
            select(Submission, Organisation)
            .join(Organisation)
            .where(Submission.edition_id == edition_id, col(Submission.status).in_(JUDGEABLE))
        )
    }
    subs = []
    for sid, by_judge in totals.items():
        if sid not in info:
            continue
        sub, org = info[sid]
        total_spread = scoring.spread(by_judge.values())
        means = {cid: statistics.fmean([p[cid] for p in points[sid].values() if cid in p]) for cid in spreads[sid]}
        items = tuple(
            CriterionSpread(
                cid,
                c.code,
                c.title_th,
                c.title_en,
                c.max_points,
                round(means[cid], 2),
                round(sp.sd, 2),
                sp.range,
                sp.n,
                sp.n >= 2 and sp.sd > threshold,
            )
            for cid, c in crits.items()
            if (sp := spreads[sid].get(cid)) is not None
        )
        subs.append(
            SubmissionConsensus(
                sid,
                sub.title,
                org.short_name,
                len(by_judge),
                round(statistics.fmean(by_judge.values()), 2),
                round(total_spread.sd, 2),
                total_spread.range,
                items,
            )
        )
    subs.sort(key=lambda s: (-len(s.flagged), -s.total_sd, s.submission_id))
    return Consensus(edition_id, threshold, tuple(subs), _calibration(session, edition_id, totals, round_no))


def _calibration(
    session: Session, edition_id: int, totals: Mapping[int, Mapping[int, float]], round_no: int
) -> tuple[JudgeCalibration, ...]:
    offsets = judge_offsets(totals)
    conflicted = conflicts.conflicted_pairs(session, edition_id)
    assigned: dict[int, int] = {}
    for j, s in session.exec(
        select(JudgeAssignment.judge_id, JudgeAssignment.submission_id)
        .join(Submission)
        .where(
            Submission.edition_id == edition_id,
            col(Submission.status).in_(JUDGEABLE),
            JudgeAssignment.round_no == round_no,
        )
    ):
        if (j, s) not in conflicted:
            assigned[j] = assigned.get(j, 0) + 1
    done: dict[int, int] = {}
    for j, s in session.exec(
        select(ScoreSheet.judge_id, ScoreSheet.submission_id)
        .join(Submission)
        .where(
            Submission.edition_id == edition_id,
            ScoreSheet.state == SheetState.submitted,
            col(Submission.status).in_(JUDGEABLE),
            ScoreSheet.round_no == round_no,
        )
    ):
        if (j, s) not in conflicted:
            done[j] = done.get(j, 0) + 1
    own: dict[int, list[float]] = {}
    for by_judge in totals.values():
        for j, v in by_judge.items():
            own.setdefault(j, []).append(v)
    out = []
    for u in session.exec(select(User).where(User.role == Role.judge).order_by(col(User.username))):
        assert u.id is not None
        offs = offsets.get(u.id, [])
        mine = own.get(u.id, [])
        out.append(
            JudgeCalibration(
                u.id,
                u.username,
                u.display_name,
                u.agency,
                assigned.get(u.id, 0),
                done.get(u.id, 0),
                round(statistics.fmean(mine), 2) if mine else None,
                round(statistics.fmean(offs), 2) if offs else None,
                round(statistics.pstdev(offs), 2) if len(offs) >= 2 else None,
                lean_of(offs),
            )
        )
    return tuple(out)
