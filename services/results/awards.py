"""Awards: the edition's plan, the proposal drawn from the ranking (with how sure each cut-off is), and the
organisers' confirmation, which freezes the list and is audited."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from models import AuditEvent, AwardResult, Edition, Organisation, Phase, Role, Submission, User
from services.contest.editions import get_edition, update_edition
from services.contest.phrases import PHASE
from services.judging import completeness, rounds
from services.mail import notify as mail_notify
from services.platform import audit
from services.platform.clock import contest_now
from services.platform.errors import Forbidden, NotFound, ValidationFailed
from services.results import ranking as results
from services.results import scoring
from services.results.phrases import AWARD_LEVEL
from services.thai.collation import thai_sort_key

# Replicates of the judges' bootstrap: 400 keeps the error of a 0.8 probability near +-0.02.
DEFAULT_SAMPLES = 400
# A cut-off is trusted when the works just inside it stay inside, and those just outside stay outside, in at
# least this share of the resampled panels.
CONFIDENCE = 0.8


@dataclass(frozen=True)
class AwardLevel:
    code: str
    name_th: str
    name_en: str
    count: int | None  # how many works get it, or None when a score threshold decides
    min_score: float | None  # the threshold, or None
    note_th: str = ""

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_th


@dataclass(frozen=True)
class AwardPlan:
    levels: tuple[AwardLevel, ...]

    def level(self, code: str) -> AwardLevel:
        for level in self.levels:
            if level.code == code:
                return level
        raise NotFound(
            "no_award_level", f"ไม่มีระดับรางวัล “{code}” ในแผนรางวัลของรุ่นนี้", f"The award plan has no level {code!r}."
        )


def parse_plan(raw: Mapping[str, Any] | None) -> AwardPlan:
    """The plan stored in Edition.award_plan: {"levels": [{"code", "th", "en", "count" | "min_score", "note_th"}]}."""
    levels = []
    for item in (raw or {}).get("levels", []):
        code = str(item.get("code", "")).strip()
        count = item.get("count")
        min_score = item.get("min_score")
        if not code or (count is None and min_score is None):
            raise ValidationFailed(
                "bad_award_plan",
                "แผนรางวัลต้องระบุรหัสระดับ และจำนวนรางวัลหรือคะแนนขั้นต่ำ ทุกระดับ",
                "Every award level needs a code and either a count or a minimum score.",
            )
        if count is not None and int(count) < 0:
            raise ValidationFailed("bad_award_plan", "จำนวนรางวัลต้องไม่ติดลบ", "An award count cannot be negative.")
        # A plan without names for a known code takes the reference names, so no page shows "excellent".
        known = AWARD_LEVEL.get(code, (code, code))
        levels.append(
            AwardLevel(
                code,
                str(item.get("th") or known[0]),
                str(item.get("en") or known[1]),
                None if count is None else int(count),
                None if min_score is None else float(min_score),
                str(item.get("note_th", "")),
            )
        )
    if len({lv.code for lv in levels}) != len(levels):
        raise ValidationFailed("bad_award_plan", "รหัสระดับรางวัลซ้ำกัน", "Award level codes repeat.")
    return AwardPlan(tuple(levels))


def plan_from_form(levels: list[dict[str, Any]]) -> dict[str, Any]:
    """Validate a plan typed on the awards page and return it as stored."""
    raw = {"levels": [{k: v for k, v in lv.items() if v not in (None, "")} for lv in levels]}
    parse_plan(raw)
    return raw


def save_plan(*, session: Session, edition_id: int, levels: list[dict[str, Any]], actor: str) -> AwardPlan:
    _require_organiser(session, actor)
    edition = _edition_row(session, edition_id)
    if edition.awards_frozen_at is not None:
        raise _frozen_error()
    raw = plan_from_form(levels)
    update_edition(session=session, edition_id=edition_id, actor=actor, award_plan=raw)
    return parse_plan(raw)


# --- the proposal -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposedAward:
    submission_id: int
    level_code: str
    rank: int
    tied: bool
    score: float
    title: str
    organisation: str
    short_name: str
    province: str
    tie_break_values: tuple[float, ...]
    # Chance of landing in each band (the plan's levels in order, then "no award") when the panel is resampled.
    band_probabilities: tuple[float, ...]
    # Best and worst rank with one judge left out in turn.
    loo_best: int
    loo_worst: int


@dataclass(frozen=True)
class CutoffCheck:
    level_code: str
    cutoff: int  # the last rank inside the level (cumulative over the levels above it)
    inside: tuple[str, ...]  # short names of the works ranked last inside
    outside: tuple[str, ...]  # ... and of those ranked just after
    inside_probability: float
    outside_probability: float
    stable: bool
    exact_tie: bool  # a tie at the cut-off that the whole tie-break chain could not split


@dataclass(frozen=True)
class ConfirmedAward:
    submission_id: int
    level_code: str
    level_th: str
    level_en: str
    position: int
    score: float
    title: str
    organisation: str
    short_name: str
    province: str
    org_type: str
    confirmed_by: str
    confirmed_at: datetime


@dataclass(frozen=True)
class QuorumOverride:
    """The confirmed list went out with works below quorum: who decided, when and why."""

    actor: str
    at: datetime
    reason: str
    works: int  # how many works were below quorum


QUORUM_NOTE_TH = "หมายเหตุ: ผลรางวัลนี้ยืนยันขณะที่ยังมีผลงานได้รับคะแนนไม่ครบองค์ประชุม"
QUORUM_NOTE_EN = "Note: these awards were confirmed while some works were below the judging quorum"


def quorum_note_th(override: QuorumOverride) -> str:
    return f"{QUORUM_NOTE_TH} ({override.works} ผลงาน) เหตุผล: {override.reason}"


@dataclass(frozen=True)
class AwardProposal:
    edition_id: int
    plan: AwardPlan
    method: scoring.Method
    tie_breaks: tuple[results.TieBreakLink, ...]
    awards: tuple[ProposedAward, ...]
    cutoffs: tuple[CutoffCheck, ...]
    samples: int
    judging_complete: bool
    unscored: int
    frozen_at: datetime | None
    frozen_by: str
    confirmed: tuple[ConfirmedAward, ...]
    # Works below the edition's quorum, most missing sheets first (with the judges who still owe a sheet).
    below_quorum: tuple[completeness.WorkCompleteness, ...] = ()
    quorum_override: QuorumOverride | None = None

    @property
    def unstable(self) -> tuple[CutoffCheck, ...]:
        return tuple(c for c in self.cutoffs if not c.stable or c.exact_tie)


def _assign_levels(plan: AwardPlan, rows: tuple[results.LeaderboardRow, ...]) -> dict[int, str]:
    """Walk the ranking down the plan's levels. A count level takes the next `count` ranks; works tied with its last
    one come in too (the committee then decides, and the cut-off is flagged). A threshold level takes every
    remaining work scoring at least min_score, up to its count when it also has one."""
    assigned: dict[int, str] = {}
    position = 0
    for level in plan.levels:
        taken = 0
        while position < len(rows):
            row = rows[position]
            if level.min_score is not None and row.score < level.min_score:
                break
            if level.count is not None and taken >= level.count:
                # Past the count: only a work tied (after the whole chain) with the last one taken comes in.
                last = rows[position - 1] if position else None
                if not (last and row.tied and last.tied and row.rank == last.rank):
                    break
            assigned[row.submission_id] = level.code
            taken += 1
            position += 1
    return assigned


def propose(
    *,
    session: Session,
    edition_id: int,
    method: scoring.Method | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    stability: bool = True,
) -> AwardProposal:
    """The awards the ranking gives under the edition's plan; stability=False skips the resampling (for callers
    that only need the list)."""
    edition = get_edition(session=session, edition_id=edition_id)
    plan = parse_plan(edition.award_plan)
    board = results.leaderboard(session=session, edition_id=edition_id, method=method)
    assigned = _assign_levels(plan, board.rows)
    # Bands in rank space: the cumulative number of works each level actually received.
    bands: list[int] = []
    running = 0
    for level in plan.levels:
        running += sum(1 for code in assigned.values() if code == level.code)
        if running and (not bands or running > bands[-1]):
            bands.append(running)
    totals = results.sheet_table(session=session, edition_id=edition_id).totals
    probabilities: dict[int, list[float]] = {}
    loo: dict[int, list[int]] = {}
    checks: list[CutoffCheck] = []
    if stability and bands and totals:
        probabilities = scoring.band_probabilities(totals, bands, board.method, samples=samples, seed=seed)
        loo = scoring.leave_one_judge_out(totals, board.method)
        ranking = [
            scoring.RankedEntry(r.submission_id, r.rank, r.score, r.tied, r.tie_break_values) for r in board.rows
        ]
        name = {r.submission_id: r.short_name for r in board.rows}
        level_at: dict[int, AwardLevel] = {}
        awarded: dict[str, int] = {}
        running = 0
        for level in plan.levels:
            awarded[level.code] = sum(1 for code in assigned.values() if code == level.code)
            running += awarded[level.code]
            level_at.setdefault(running, level)
        for check in scoring.cutoff_stability(ranking, probabilities, bands, CONFIDENCE):
            level = level_at[check.cutoff]
            # More works than the plan's count: a tie the whole chain could not split sits on this line.
            exact_tie = level.count is not None and awarded[level.code] > level.count
            checks.append(
                CutoffCheck(
                    level.code,
                    check.cutoff,
                    tuple(name[s] for s in check.inside),
                    tuple(name[s] for s in check.outside),
                    check.inside_probability,
                    check.outside_probability,
                    check.stable,
                    exact_tie,
                )
            )
    proposed = []
    n_bands = len(bands) + 1
    for row in board.rows:
        if row.submission_id not in assigned:
            continue
        ranks = loo.get(row.submission_id, [row.rank])
        proposed.append(
            ProposedAward(
                row.submission_id,
                assigned[row.submission_id],
                row.rank,
                row.tied,
                row.score,
                row.title,
                row.organisation,
                row.short_name,
                row.province,
                row.tie_break_values,
                tuple(probabilities.get(row.submission_id, [math.nan] * n_bands)),
                min(ranks),
                max(ranks),
            )
        )
    frozen = _edition_row(session, edition_id)
    state = completeness.edition_completeness(session=session, edition_id=edition_id)
    return AwardProposal(
        edition_id,
        plan,
        board.method,
        board.tie_breaks,
        tuple(proposed),
        tuple(checks),
        samples,
        board.unscored == 0,
        board.unscored,
        frozen.awards_frozen_at,
        frozen.awards_frozen_by,
        confirmed_awards(session=session, edition_id=edition_id),
        tuple(completeness.below_quorum_order(state.works)),
        quorum_override(session=session, edition_id=edition_id),
    )


def _check_final_round(session: Session, edition_id: int) -> None:
    """Awards come from the final round: every earlier round's shortlist must be frozen, so that the current round,
    which the results read by default, is the last."""
    listed = rounds.list_rounds(session=session, edition_id=edition_id)
    if rounds.current_of(listed) != listed[-1].position:
        raise ValidationFailed(
            "earlier_round_open",
            "ยังไม่ได้ยืนยันรายชื่อผลงานที่ผ่านเข้ารอบของรอบก่อนหน้า ผลรางวัลต้องมาจากรอบสุดท้าย",
            "An earlier round's shortlist is not frozen yet; the awards come from the final round.",
        )


def quorum_override(*, session: Session, edition_id: int) -> QuorumOverride | None:
    """The override behind the current confirmed list, if it was confirmed below quorum."""
    edition = _edition_row(session, edition_id)
    if edition.awards_frozen_at is None:
        return None
    event = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.action == "awards.confirm",
            AuditEvent.entity == "edition",
            AuditEvent.entity_id == str(edition_id),
        )
        .order_by(col(AuditEvent.id).desc())
    ).first()
    found = ((event.after or {}).get("quorum_override") if event else None) or None
    if event is None or not found:
        return None
    return QuorumOverride(event.actor, event.at, str(found.get("reason", "")), len(found.get("missing", {})))


# --- confirmation --------------------------------------------------------------------------------------------


def _edition_row(session: Session, edition_id: int) -> Edition:
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFound.edition()
    return edition


def _require_organiser(session: Session, actor: str) -> None:
    user = session.exec(select(User).where(User.username == actor)).first()
    if user is None or not user.active or user.role != Role.organiser:
        raise Forbidden(
            "organisers_only",
            "เฉพาะผู้จัดงานเท่านั้นที่ยืนยันหรือแก้ไขผลรางวัลได้",
            "Only organisers may confirm or change the awards.",
        )


def _frozen_error() -> ValidationFailed:
    return ValidationFailed(
        "awards_frozen",
        "ผลรางวัลยืนยันแล้วและถูกล็อก หากต้องแก้ไข ให้เปิดการแก้ไขพร้อมระบุเหตุผลก่อน",
        "The awards are confirmed and frozen; reopen them, with a reason, to change them.",
    )


def _check_can_confirm(edition: Edition) -> None:
    """The contest must be past intake and in judging or results before any list can be frozen."""
    closes = edition.intake_closes_at
    if contest_now() < closes:
        raise ValidationFailed(
            "intake_open",
            "ยังอยู่ในช่วงรับสมัครผลงานตามเวลาของการประกวด จึงยืนยันผลรางวัลไม่ได้ รอให้ปิดรับสมัครและกรรมการให้คะแนนครบก่อน",
            "Intake is still open on the contest clock; wait for it to close and for the judging to finish.",
        )
    if Phase(edition.phase) not in (Phase.judging, Phase.results):
        th, en = PHASE.get(edition.phase, (str(edition.phase), str(edition.phase)))
        raise ValidationFailed(
            "wrong_phase",
            f"การประกวดอยู่ในขั้นตอน “{th}” ยืนยันผลรางวัลได้เฉพาะขั้นตอน“{PHASE['judging'][0]}”"
            f"หรือ“{PHASE['results'][0]}” เปลี่ยนขั้นตอนในหน้าผู้ดูแลระบบก่อน",
            f"The edition is in the {en} phase; awards are confirmed only in the judging or results "
            "phase. Change the phase on the administration page first.",
        )


def confirm_awards(
    *,
    session: Session,
    edition_id: int,
    actor: str,
    method: scoring.Method | None = None,
    overrides: Mapping[int, str | None] | None = None,
    note: str = "",
    quorum_override_reason: str = "",
) -> tuple[ConfirmedAward, ...]:
    """Freeze the proposal (with the committee's overrides: submission -> level code, or None for no award).

    Refused while any eligible work is below the edition's quorum, unless quorum_override_reason says why the list
    must go out anyway: that is audited with the missing sheets, and the announcement and the deck then say so."""
    _require_organiser(session, actor)
    edition = _edition_row(session, edition_id)
    if edition.awards_frozen_at is not None:
        raise _frozen_error()
    _check_can_confirm(edition)
    _check_final_round(session, edition_id)
    proposal = propose(session=session, edition_id=edition_id, method=method, samples=100)
    reason = quorum_override_reason.strip()
    if proposal.below_quorum and not reason:
        th, en = completeness.refusal_text(proposal.below_quorum)
        raise ValidationFailed("below_quorum", th, en)
    board = results.leaderboard(session=session, edition_id=edition_id, method=proposal.method, criterion_detail=False)
    by_id = {r.submission_id: r for r in board.rows}
    chosen = {a.submission_id: a.level_code for a in proposal.awards}
    for submission_id, code in (overrides or {}).items():
        if submission_id not in by_id:
            raise NotFound("no_submission", "ไม่พบผลงานนี้ในผลคะแนน", "That work is not in the results.")
        if code is None:
            chosen.pop(submission_id, None)
        else:
            proposal.plan.level(code)
            chosen[submission_id] = code
    if overrides and not note.strip():
        raise ValidationFailed(
            "override_needs_note",
            "การเปลี่ยนแปลงจากข้อเสนอตามอันดับต้องระบุเหตุผลของคณะกรรมการ",
            "Changing the proposal needs the committee's reason.",
        )
    if not chosen:
        raise ValidationFailed("no_awards", "ยังไม่มีผลงานที่จะได้รับรางวัล", "No work would receive an award.")
    now = contest_now()
    for submission_id, code in chosen.items():
        row = by_id[submission_id]
        session.add(
            AwardResult(
                edition_id=edition_id,
                submission_id=submission_id,
                level=code,
                position=row.rank,
                score=row.score,
                confirmed_by=actor,
                confirmed_at=now,
            )
        )
    edition.awards_frozen_at = now
    edition.awards_frozen_by = actor
    session.add(edition)
    audit.record(
        session=session,
        actor=actor,
        action="awards.confirm",
        entity="edition",
        entity_id=edition_id,
        after={
            "method": proposal.method.value,
            "awards": {str(s): c for s, c in chosen.items()},
            "overrides": {str(s): c for s, c in (overrides or {}).items()},
            "note": note.strip(),
            "unstable_cutoffs": [c.cutoff for c in proposal.unstable],
            "quorum_override": {
                "reason": reason,
                "missing": {str(w.submission_id): [j.username for j in w.missing] for w in proposal.below_quorum},
            }
            if proposal.below_quorum
            else None,
        },
    )
    session.commit()
    return confirmed_awards(session=session, edition_id=edition_id)


def reopen_awards(*, session: Session, edition_id: int, actor: str, reason: str) -> None:
    _require_organiser(session, actor)
    if not reason.strip():
        raise ValidationFailed("reason_required", "กรุณาระบุเหตุผลที่เปิดแก้ไขผลรางวัล", "Give the reason for reopening.")
    edition = _edition_row(session, edition_id)
    if edition.awards_frozen_at is None:
        raise ValidationFailed("awards_not_frozen", "ผลรางวัลยังไม่ได้ยืนยัน", "The awards are not confirmed yet.")
    if edition.phase == Phase.announced:
        raise ValidationFailed(
            "already_announced",
            "ประกาศผลไปแล้ว แก้ไขผลรางวัลไม่ได้",
            "The results are announced; the awards can no longer change.",
        )
    before = {
        str(a.submission_id): a.level
        for a in session.exec(select(AwardResult).where(AwardResult.edition_id == edition_id)).all()
    }
    for award in session.exec(select(AwardResult).where(AwardResult.edition_id == edition_id)).all():
        session.delete(award)
    edition.awards_frozen_at = None
    edition.awards_frozen_by = ""
    session.add(edition)
    audit.record(
        session=session,
        actor=actor,
        action="awards.reopen",
        entity="edition",
        entity_id=edition_id,
        before={"awards": before},
        after={"reason": reason.strip()},
    )
    session.commit()


def announce(*, session: Session, edition_id: int, actor: str) -> None:
    """Move the edition to 'announced': only once the awards are confirmed; the public results then open."""
    _require_organiser(session, actor)
    edition = _edition_row(session, edition_id)
    if edition.awards_frozen_at is None:
        raise ValidationFailed("awards_not_frozen", "ต้องยืนยันผลรางวัลก่อนประกาศผล", "Confirm the awards first.")
    mail_notify.results_announced(session=session, edition_id=edition_id)  # committed by update_edition
    update_edition(session=session, edition_id=edition_id, actor=actor, phase=Phase.announced)


def confirmed_awards(*, session: Session, edition_id: int) -> tuple[ConfirmedAward, ...]:
    """The frozen list, by level in plan order, then by the Thai order of the province, as announced."""
    edition = get_edition(session=session, edition_id=edition_id)
    plan = parse_plan(edition.award_plan)
    order = {lv.code: i for i, lv in enumerate(plan.levels)}
    rows = session.exec(
        select(AwardResult, Submission, Organisation)
        .join(Submission, col(Submission.id) == col(AwardResult.submission_id))
        .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
        .where(AwardResult.edition_id == edition_id)
    ).all()
    out = []
    for award, sub, org in rows:
        level = next((lv for lv in plan.levels if lv.code == award.level), None)
        assert sub.id is not None
        out.append(
            ConfirmedAward(
                sub.id,
                award.level,
                level.name_th if level else award.level,
                level.name_en if level else award.level,
                award.position,
                award.score,
                sub.title,
                org.full_name,
                org.short_name,
                org.province,
                str(org.org_type),
                award.confirmed_by,
                award.confirmed_at,
            )
        )
    out.sort(
        key=lambda a: (
            order.get(a.level_code, len(order)),
            thai_sort_key(a.province),
            thai_sort_key(a.short_name),
            a.submission_id,
        )
    )
    return tuple(out)
