"""The blind rule: when a judge may see the other judges' scores, and those scores."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from models import (
    ConflictOfInterest,
    Criterion,
    Phase,
    Score,
    ScoreSheet,
    SheetState,
    User,
)
from services.contest.edition_config import EditionConfig
from services.judging import rounds
from services.judging.guards import CLOSED_PHASES
from services.judging.sheets import sheet_context
from services.platform.errors import Forbidden
from services.results import ranking

# --- the blind rule ---------------------------------------------------------------------------------------------


def others_visible(edition_config: EditionConfig, phase: Phase | str) -> bool:
    """Judges see other judges' scores and the leaderboard only once judging is closed, unless the edition
    switched blind judging off."""
    return not edition_config.blind_until_results or Phase(phase) in CLOSED_PHASES


@dataclass(frozen=True)
class PanelSheet:
    judge_name: str
    agency: str
    total: float


def round_others_visible(*, session: Session, edition_id: int, phase: Phase | str, round_no: int | None = None) -> bool:
    """others_visible for a round (the current one when None): its own blind rule, lifted once judging closes."""
    chosen = rounds.get_round(session=session, edition_id=edition_id, round_no=round_no)
    return not chosen.blind or Phase(phase) in CLOSED_PHASES


def panel_scores(*, session: Session, judge_id: int, submission_id: int) -> list[PanelSheet]:
    """Other judges' submitted totals for a submission the judge scored, in the current round; refused while that
    round is blind."""
    ctx = sheet_context(session, judge_id, submission_id)
    if not round_others_visible(
        session=session, edition_id=ctx.sub.edition_id, phase=ctx.edition.phase, round_no=ctx.round_no
    ):
        raise Forbidden(
            "blind",
            "ระหว่างการพิจารณา กรรมการไม่เห็นคะแนนของกรรมการท่านอื่น",
            "While judging is open, judges do not see other judges' scores.",
        )
    conflicted = set(
        session.exec(select(ConflictOfInterest.judge_id).where(ConflictOfInterest.submission_id == submission_id)).all()
    )
    totals: dict[int, float] = {}
    rows = session.exec(
        select(Score.judge_id, Score.points)
        .join(
            ScoreSheet,
            (col(ScoreSheet.judge_id) == col(Score.judge_id))
            & (col(ScoreSheet.submission_id) == col(Score.submission_id))
            & (col(ScoreSheet.round_no) == ctx.round_no),
        )
        .join(Criterion, col(Criterion.id) == col(Score.criterion_id))
        .where(
            Score.submission_id == submission_id,
            ScoreSheet.state == SheetState.submitted,
            col(Criterion.scored),
            Criterion.round_no == ctx.round_no,
        )
    ).all()
    for jid, pts in rows:
        if jid != judge_id and jid not in conflicted:
            totals[jid] = totals.get(jid, 0.0) + pts
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(list(totals))))}
    return sorted(
        (PanelSheet(users[j].display_name, users[j].agency, t) for j, t in totals.items()), key=lambda p: -p.total
    )


@dataclass(frozen=True)
class EarlierRound:
    """How a work fared in an earlier round, for the next round's judges when that round shows its scores."""

    round_no: int
    name_th: str
    name_en: str
    rank: int
    score: float
    judges: int
    max_total: int


def earlier_rounds(*, session: Session, judge_id: int, submission_id: int) -> list[EarlierRound]:
    """The earlier rounds' results of a work the judge scores in the current round: only those rounds whose scores
    are shown to the next round's judges; none while the judge may not open the work."""
    ctx = sheet_context(session, judge_id, submission_id)
    out = []
    for r in rounds.list_rounds(session=session, edition_id=ctx.sub.edition_id):
        if r.position >= ctx.round_no or not r.scores_visible_to_next:
            continue
        board = ranking.leaderboard(
            session=session, edition_id=ctx.sub.edition_id, round_no=r.position, criterion_detail=False
        )
        row = next((x for x in board.rows if x.submission_id == submission_id), None)
        if row is not None:
            out.append(
                EarlierRound(r.position, r.name_th, r.name_en, row.rank, row.score, row.judge_count, r.max_total)
            )
    return out
