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
from services.contest.edition_config import EditionConfig, load_config
from services.judging.guards import CLOSED_PHASES
from services.judging.sheets import sheet_context
from services.platform.errors import Forbidden

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


def panel_scores(*, session: Session, judge_id: int, submission_id: int) -> list[PanelSheet]:
    """Other judges' submitted totals for a submission the judge scored; refused while judging is blind."""
    ctx = sheet_context(session, judge_id, submission_id)
    if not others_visible(load_config(ctx.edition.config), ctx.edition.phase):
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
            & (col(ScoreSheet.submission_id) == col(Score.submission_id)),
        )
        .join(Criterion, col(Criterion.id) == col(Score.criterion_id))
        .where(Score.submission_id == submission_id, ScoreSheet.state == SheetState.submitted, col(Criterion.scored))
    ).all()
    for jid, pts in rows:
        if jid != judge_id and jid not in conflicted:
            totals[jid] = totals.get(jid, 0.0) + pts
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(list(totals))))}
    return sorted(
        (PanelSheet(users[j].display_name, users[j].agency, t) for j, t in totals.items()), key=lambda p: -p.total
    )
