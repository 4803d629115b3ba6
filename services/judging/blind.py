"""The blind rule: when a judge may see the other judges' scores, and those scores."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from models import (
    ConflictOfInterest,
    Criterion,
    Phase,
    Score,
    ScoreSheet,
    SheetState,
    User,
)
from models.rounds import JudgingRound, RoundAdvance
from services.contest.edition_config import EditionConfig
from services.judging import rounds
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


def round_others_visible(*, session: Session, edition_id: int, phase: Phase | str, round_no: int | None = None) -> bool:
    """others_visible for a round (the current one when None): its own blind rule, lifted once judging closes."""
    chosen = rounds.get_round(session=session, edition_id=edition_id, round_no=round_no)
    return not chosen.blind or Phase(phase) in CLOSED_PHASES


def panel_scores(*, session: Session, judge_id: int, submission_id: int) -> list[PanelSheet]:
    """Other judges' submitted totals for a submission the judge scored, in the current round; refused while that
    round is blind."""
    ctx = sheet_context(session, judge_id, submission_id)
    if not round_others_visible(session=session, edition_id=ctx.edition_id, phase=ctx.phase, round_no=ctx.round_no):
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
    """How a work fared in an earlier round, for the next round's judges when that round shows its scores: the place
    and score the round gave it when its shortlist was frozen (None: advanced by hand, without a place)."""

    round_no: int
    name_th: str
    name_en: str
    rank: int | None
    score: float | None
    max_total: int | None

    def name(self, lang: str = "th") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_th


@dataclass(frozen=True)
class RoundNotes:
    """What a judge's page says of rounds beside a work's sheet."""

    others_visible: bool  # the current round's blind rule (lifted once judging closes)
    earlier: list[EarlierRound]  # the earlier rounds that advanced the work and show their results, in order


def round_notes(
    *, session: Session, edition_id: int, edition_config: EditionConfig, phase: Phase | str, submission_id: int
) -> RoundNotes:
    """The blind rule of the edition's current round and the earlier rounds' results on submission_id, for a judge
    page that has just opened the work's sheet (so the judge may see it). Read from the round rows and their frozen
    decisions, not by ranking earlier rounds again: one small query for a one-round edition, which runs on every
    judge's page each time the live session moves on."""
    rows = session.exec(
        select(JudgingRound).where(JudgingRound.edition_id == edition_id).order_by(col(JudgingRound.position))
    ).all()
    if not rows:  # the implied first round: the edition's own rule
        return RoundNotes(others_visible(edition_config, phase), [])
    current = next((r for r in rows if r.frozen_at is None), rows[-1])
    visible = not current.blind or Phase(phase) in CLOSED_PHASES
    shown = {r.id: r for r in rows if r.position < current.position and r.scores_visible_to_next}
    if not shown:
        return RoundNotes(visible, [])
    decided = session.exec(
        select(RoundAdvance).where(
            col(RoundAdvance.round_id).in_(list(shown)), RoundAdvance.submission_id == submission_id
        )
    ).all()
    maxima = dict(
        session.exec(
            select(Criterion.round_no, func.sum(Criterion.max_points))
            .where(Criterion.edition_id == edition_id, col(Criterion.scored))
            .group_by(col(Criterion.round_no))
        ).all()
    )
    earlier = []
    for a in decided:
        r = shown[a.round_id]
        total = maxima.get(r.position)
        earlier.append(EarlierRound(r.position, r.name_th, r.name_en, a.rank, a.score, int(total) if total else None))
    return RoundNotes(visible, sorted(earlier, key=lambda e: e.round_no))
