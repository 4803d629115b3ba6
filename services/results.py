"""Results: the leaderboard from submitted score sheets, ranked by the edition's method and tie-break chain."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models import Criterion, Organisation, Score, ScoreSheet, SheetState, Submission
from services import scoring
from services.editions import CriterionView, get_edition
from services.judging import JUDGEABLE

# 2564 ranked by the mean of the judges' totals; a tie is then broken by the goals-and-results
# criterion and then by the smaller disagreement between judges.
TIE_BREAK_CRITERION = "goals_results"


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Leaderboard:
    edition_id: int
    method: scoring.Method
    criteria: tuple[CriterionView, ...]
    rows: tuple[LeaderboardRow, ...]
    unscored: int  # judgeable submissions with no submitted sheet yet
    tie_break_names: tuple[str, ...]


@dataclass(frozen=True)
class SheetPoints:
    """Submitted points of one edition: submission -> judge -> criterion_id -> points."""

    points: dict[int, dict[int, dict[int, float]]]

    def totals(self) -> dict[int, dict[int, float]]:
        return {s: {j: sum(c.values()) for j, c in judges.items()} for s, judges in self.points.items()}


def submitted_points(*, session: Session, edition_id: int) -> SheetPoints:
    """Only submitted sheets count: a draft is the judge's private work in progress."""
    rows = session.exec(
        select(Score.submission_id, Score.judge_id, Score.criterion_id, Score.points)
        .join(Criterion, col(Criterion.id) == col(Score.criterion_id))
        .join(ScoreSheet, (col(ScoreSheet.judge_id) == col(Score.judge_id))
              & (col(ScoreSheet.submission_id) == col(Score.submission_id)))
        .join(Submission, col(Submission.id) == col(Score.submission_id))
        .where(Criterion.edition_id == edition_id, col(Criterion.scored), ScoreSheet.state == SheetState.submitted,
               col(Submission.status).in_(JUDGEABLE))
    ).all()
    points: dict[int, dict[int, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for sub_id, judge_id, crit_id, pts in rows:
        points[sub_id][judge_id][crit_id] = float(pts)
    return SheetPoints({s: dict(j) for s, j in points.items()})


def leaderboard(*, session: Session, edition_id: int, method: scoring.Method = scoring.Method.mean) -> Leaderboard:
    edition = get_edition(session=session, edition_id=edition_id)
    criteria = edition.scored_criteria
    sheet_points = submitted_points(session=session, edition_id=edition_id)
    totals = sheet_points.totals()
    values = scoring.aggregate(totals, method)
    means = scoring.criterion_means(sheet_points.points)
    spreads = {s: scoring.spread(list(j.values())) for s, j in totals.items()}
    by_code = {c.code: c.id for c in criteria}
    tie_breakers = []
    if TIE_BREAK_CRITERION in by_code:
        cid = by_code[TIE_BREAK_CRITERION]
        tie_breakers.append(scoring.TieBreaker(
            "goals_results", {s: m.get(cid, 0.0) for s, m in means.items()}, higher_is_better=True))
    tie_breakers.append(scoring.TieBreaker("spread", {s: sp.sd for s, sp in spreads.items()},
                                           higher_is_better=False))
    ranked = scoring.rank_submissions(values, tie_breakers)
    info = {
        sub.id: (sub, org)
        for sub, org in session.exec(
            select(Submission, Organisation).join(Organisation)
            .where(Submission.edition_id == edition_id, col(Submission.status).in_(JUDGEABLE))
        ).all()
    }
    code_of = {c.id: c.code for c in criteria}
    rows = []
    for entry in ranked:
        sub, org = info[entry.submission_id]
        rows.append(LeaderboardRow(
            entry.rank, entry.tied, entry.submission_id, sub.title, org.full_name, org.short_name, org.province,
            sub.category, round(entry.score, 2), len(totals[entry.submission_id]),
            round(spreads[entry.submission_id].sd, 2),
            {code_of[c]: round(v, 2) for c, v in means.get(entry.submission_id, {}).items() if c in code_of},
        ))
    return Leaderboard(edition_id, method, criteria, tuple(rows), len(info) - len(rows),
                       tuple(t.name for t in tie_breakers))
