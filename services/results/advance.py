"""Advancing: the organisers shortlist a round's works for the next round (top N, a score threshold, or by hand),
each work shown with its chance of being above the cut when the panel is resampled; the decision is frozen, audited,
and the entrants not advanced are told."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from models import JudgingRound, RoundAdvance, Submission, TypedComment
from models.rounds import FIRST_ROUND
from services.judging import rounds
from services.mail import notify
from services.platform import audit
from services.platform.clock import contest_now
from services.platform.errors import ValidationFailed
from services.results import ranking, scoring

SAMPLES = 500  # bootstrap replicates: the awards page's figure
# Above this many ranked works a preview draws LARGE_SAMPLES replicates: the pure-Python bootstrap costs ~0.1 s per
# replicate at 10,000 works on this machine, and a chance known to a few points is enough to look at a cut.
LARGE_EDITION = 2_000
LARGE_SAMPLES = 100


def default_samples(works: int) -> int:
    return SAMPLES if works <= LARGE_EDITION else LARGE_SAMPLES


MAX_REASON_CHARS = 1000


class Rule(StrEnum):
    top_n = "top_n"
    threshold = "threshold"
    by_hand = "by_hand"


@dataclass(frozen=True)
class ShortlistRow:
    rank: int
    submission_id: int
    title: str
    organisation: str
    province: str
    score: float
    judge_count: int
    meets_quorum: bool
    advances: bool
    probability_above_cut: float | None  # None: no cut to be above (nothing advances)


@dataclass(frozen=True)
class Shortlist:
    """A round's ranking with the rule's shortlist applied; frozen when the round's decision is taken."""

    edition_id: int
    round_no: int
    round_name: str
    rule: Rule
    n: int | None
    threshold: float | None
    method: scoring.Method
    rows: tuple[ShortlistRow, ...]
    cut: int  # how many advance: the rank the bootstrap asks each work to be within
    stability: scoring.CutoffStability | None
    frozen: bool

    @property
    def advancing(self) -> tuple[ShortlistRow, ...]:
        return tuple(r for r in self.rows if r.advances)

    @property
    def not_advancing(self) -> tuple[ShortlistRow, ...]:
        return tuple(r for r in self.rows if not r.advances)


def _rows(
    board: ranking.Leaderboard, advancing: Collection[int], chance: Callable[[int], float | None]
) -> tuple[ShortlistRow, ...]:
    """The board's rows as a shortlist: advancing the works that advance, chance their bootstrap chance above the
    cut."""
    return tuple(
        ShortlistRow(
            r.rank,
            r.submission_id,
            r.title,
            r.organisation,
            r.province,
            r.score,
            r.judge_count,
            r.meets_quorum,
            r.submission_id in advancing,
            chance(r.submission_id),
        )
        for r in board.rows
    )


def _bad(code: str, th: str, en: str) -> ValidationFailed:
    return ValidationFailed(code, th, en)


def _chosen(
    board: ranking.Leaderboard, rule: Rule, n: int | None, threshold: float | None, by_hand: Collection[int]
) -> set[int]:
    if rule is Rule.top_n:
        if n is None or n < 1:
            raise _bad("bad_top_n", "จำนวนผลงานที่ผ่านเข้ารอบต้องมีอย่างน้อย 1", "Advance at least one work.")
        return {r.submission_id for r in board.rows if r.rank <= n}  # works tied at the cut all advance
    if rule is Rule.threshold:
        if threshold is None or not 0 <= threshold <= board.max_total:
            raise _bad(
                "bad_threshold",
                f"คะแนนขั้นต่ำต้องอยู่ระหว่าง 0 ถึง {board.max_total}",
                f"The threshold must be between 0 and {board.max_total}.",
            )
        return {r.submission_id for r in board.rows if r.score >= threshold}
    ranked = {r.submission_id for r in board.rows}
    if not set(by_hand) <= ranked:
        raise _bad(
            "not_ranked_in_round",
            "เลือกได้เฉพาะผลงานที่มีคะแนนในรอบนี้",
            "Only works ranked in this round can be chosen.",
        )
    return set(by_hand)


def shortlist(
    *,
    session: Session,
    edition_id: int,
    round_no: int | None = None,
    rule: Rule | str = Rule.top_n,
    n: int | None = None,
    threshold: float | None = None,
    by_hand: Collection[int] = (),
    samples: int | None = None,
    seed: int = 0,
) -> Shortlist:
    """The round's ranking with the rule applied (a preview until frozen; a frozen round shows what was decided).

    Each work's probability above the cut is its bootstrap chance (judges resampled, as for the award bands) of
    ranking within the number advancing."""
    chosen_round = rounds.get_round(session=session, edition_id=edition_id, round_no=round_no)
    if chosen_round.frozen:
        return frozen_shortlist(session=session, edition_id=edition_id, round_no=chosen_round.position)
    rule = Rule(rule)
    board = ranking.leaderboard(
        session=session, edition_id=edition_id, round_no=chosen_round.position, criterion_detail=False
    )
    advancing = _chosen(board, rule, n, threshold, by_hand)
    # The rank a work must reach to be above the cut: for top N the last advancing work's (works tied there all
    # advance); otherwise the number advancing (a threshold may take a work ranked after the others for want of a
    # quorum, whose rank says nothing of the cut).
    cut = (
        max((r.rank for r in board.rows if r.submission_id in advancing), default=0)
        if rule is Rule.top_n
        else len(advancing)
    )
    probabilities: dict[int, list[float]] = {}
    stability = None
    if 0 < cut < len(board.rows):
        table = ranking.sheet_table(session=session, edition_id=edition_id, round_no=chosen_round.position)
        replicates = default_samples(len(board.rows)) if samples is None else samples
        probabilities = scoring.band_probabilities(table.totals, [cut], board.method, samples=replicates, seed=seed)
        # The cut's stability where the advancing works are the ranking's first ones (by hand they need not be).
        if rule is Rule.top_n or {r.submission_id for r in board.rows[:cut]} == advancing:
            entries = [scoring.RankedEntry(r.submission_id, r.rank, r.score, r.tied, ()) for r in board.rows]
            checks = scoring.cutoff_stability(entries, probabilities, [cut])
            stability = checks[0] if checks else None

    def above_cut(submission_id: int) -> float | None:
        if not cut:
            return None
        found = probabilities.get(submission_id)
        return found[0] if found is not None else 1.0  # everything advances: no chance of falling below

    rows = _rows(board, advancing, above_cut)
    return Shortlist(
        edition_id,
        chosen_round.position,
        chosen_round.name_th,
        rule,
        n if rule is Rule.top_n else None,
        threshold if rule is Rule.threshold else None,
        board.method,
        rows,
        cut,
        stability,
        False,
    )


def ranked_works(*, session: Session, edition_id: int, round_no: int | None = None) -> tuple[ShortlistRow, ...]:
    """The round's ranked works, none marked as advancing: what an organiser picks from by hand."""
    board = ranking.leaderboard(session=session, edition_id=edition_id, round_no=round_no, criterion_detail=False)
    return _rows(board, (), lambda _sid: None)


def freeze(
    *,
    session: Session,
    edition_id: int,
    round_no: int | None = None,
    rule: Rule | str,
    n: int | None = None,
    threshold: float | None = None,
    by_hand: Collection[int] = (),
    reason: str = "",
    actor: str,
    now: datetime | None = None,
    samples: int | None = None,
) -> Shortlist:
    """Take the shortlist as the rule gives it, for good: the advanced works are written with their rank and
    probability, the round is frozen (its sheets no longer change), the decision is audited, and the entrants of
    the works not advanced are told (queued in the outbox with this transaction)."""
    preview = shortlist(
        session=session,
        edition_id=edition_id,
        round_no=round_no,
        rule=rule,
        n=n,
        threshold=threshold,
        by_hand=by_hand,
        samples=samples,
    )
    if preview.frozen:
        raise rounds.round_frozen()
    if not preview.advancing:
        raise _bad("empty_shortlist", "ยังไม่มีผลงานที่ผ่านเข้ารอบ", "No work would advance.")
    if preview.rule is Rule.by_hand and not reason.strip():
        raise _bad("reason_required", "การเลือกเองต้องระบุเหตุผล", "A shortlist chosen by hand needs a reason.")
    row = _round_row(session, edition_id, preview.round_no)
    if row.frozen_at is not None:  # frozen by another organiser since the preview was read
        raise rounds.round_frozen()
    now = now or contest_now()  # the contest clock, as the awards' freeze
    assert row.id is not None
    for r in preview.advancing:
        session.add(
            RoundAdvance(
                round_id=row.id,
                submission_id=r.submission_id,
                rank=r.rank,
                score=r.score,
                probability_above_cut=r.probability_above_cut,
            )
        )
    decision: dict[str, Any] = {
        "rule": preview.rule.value,
        "n": preview.n,
        "threshold": preview.threshold,
        "method": preview.method.value,
        "advanced": sorted(r.submission_id for r in preview.advancing),
        "not_advanced": sorted(r.submission_id for r in preview.not_advancing),
        "cut": preview.cut,
        "cut_stable": preview.stability.stable if preview.stability else None,
        "reason": reason.strip()[:MAX_REASON_CHARS],
    }
    # Comments typed on this round's sheets but never saved can no longer be: left, the next round's sheet of the
    # same judge and work would offer the overall one (typed comments know no round; the next round has not begun).
    discarded = session.exec(
        delete(TypedComment).where(
            col(TypedComment.submission_id).in_(select(Submission.id).where(Submission.edition_id == edition_id))
        )
    ).rowcount
    decision["typed_comments_discarded"] = int(discarded or 0)
    row.advance_rule = decision
    row.frozen_at, row.frozen_by = now, actor
    session.add(row)
    audit.record(
        session=session,
        actor=actor,
        action="round.freeze",
        entity="judging_round",
        entity_id=row.id,
        before={"frozen": False},
        after={"round_no": preview.round_no, **decision},
    )
    notify.not_advanced(
        session=session,
        edition_id=edition_id,
        round_name=preview.round_name,
        submission_ids=[r.submission_id for r in preview.not_advancing],
    )
    session.commit()
    return frozen_shortlist(session=session, edition_id=edition_id, round_no=preview.round_no)


def _round_row(session: Session, edition_id: int, round_no: int) -> JudgingRound:
    """The round's row with a write lock (PostgreSQL), so two organisers cannot freeze it at once."""
    if round_no == FIRST_ROUND:
        rounds.ensure_first_round(session=session, edition_id=edition_id)
    row = session.exec(
        select(JudgingRound)
        .where(JudgingRound.edition_id == edition_id, JudgingRound.position == round_no)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise rounds.round_not_found()
    return row


def frozen_shortlist(*, session: Session, edition_id: int, round_no: int) -> Shortlist:
    """What a frozen round decided: its ranking as it stands, the advanced works as written when it froze."""
    chosen_round = rounds.get_round(session=session, edition_id=edition_id, round_no=round_no)
    assert chosen_round.id is not None and chosen_round.frozen
    decided = chosen_round.advance_rule
    advanced = {
        a.submission_id: a
        for a in session.exec(select(RoundAdvance).where(RoundAdvance.round_id == chosen_round.id)).all()
    }
    board = ranking.leaderboard(session=session, edition_id=edition_id, round_no=round_no, criterion_detail=False)
    rows = _rows(board, advanced, lambda sid: advanced[sid].probability_above_cut if sid in advanced else None)
    return Shortlist(
        edition_id,
        round_no,
        chosen_round.name_th,
        Rule(decided.get("rule", Rule.by_hand)),
        decided.get("n"),
        decided.get("threshold"),
        scoring.Method(decided.get("method", board.method)),
        rows,
        int(decided.get("cut", len(advanced))),
        None,
        True,
    )
