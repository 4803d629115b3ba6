"""An edition's judging rounds: listing them, the current one, adding a round with a copy of the criteria, editing.

A round is named elsewhere by its position (round_no, 1 for the first). An edition with no round rows (made before
rounds, or by hand) has one implied first round with the edition's rules, so reading never writes; the first change
to the rounds writes that row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from models import Criterion, Edition, JudgeAssignment, JudgingRound, PitchDay, RoundAdvance, ScoreSheet, Submission
from models.rounds import FIRST_ROUND
from services.contest.edition_config import EditionConfig, load_config
from services.contest.editions import CriterionView, EditionView, edition_view
from services.platform import audit
from services.platform.errors import NotFound, ValidationFailed
from services.results.scoring import Method

MAX_NAME_CHARS = 200
FIRST_ROUND_NAMES = ("รอบตัดสิน", "Judging")


@dataclass(frozen=True)
class RoundView:
    edition_id: int
    position: int
    name_th: str
    name_en: str
    starts_on: date | None
    ends_on: date | None
    method: Method  # the round's own, else the edition's
    quorum_min_sheets: int | None  # the round's own, else the edition's
    blind: bool
    scores_visible_to_next: bool
    criteria: tuple[CriterionView, ...]
    frozen_at: datetime | None
    frozen_by: str
    advance_rule: dict[str, Any]
    id: int | None = None  # None: the implied first round of an edition with no round rows
    last: bool = True  # no later round follows

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def scored_criteria(self) -> tuple[CriterionView, ...]:
        return tuple(c for c in self.criteria if c.scored)

    @property
    def max_total(self) -> int:
        return sum(c.max_points for c in self.scored_criteria)

    def name(self, lang: str = "th") -> str:
        return (self.name_en or self.name_th) if lang == "en" else self.name_th


def audit_fields(round_no: int) -> dict[str, int]:
    """What an audit record adds to say its round: nothing for the first (a one-round edition's trail reads as it
    did before rounds), the round's position for a later one."""
    return {} if round_no == FIRST_ROUND else {"round_no": round_no}


def round_not_found() -> NotFound:
    return NotFound("no_round", "ไม่พบรอบการตัดสินนี้", "No such judging round.")


def round_frozen() -> ValidationFailed:
    return ValidationFailed(
        "round_frozen",
        "รอบนี้ยืนยันผลการคัดเลือกแล้ว แก้ไขไม่ได้",
        "This round's shortlist is frozen; it cannot change.",
    )


def _criteria(session: Session, edition_id: int, round_no: int) -> tuple[CriterionView, ...]:
    rows = session.exec(
        select(Criterion)
        .where(Criterion.edition_id == edition_id, Criterion.round_no == round_no)
        .order_by(col(Criterion.position))
    ).all()
    return tuple(
        CriterionView(c.id or 0, c.position, c.code, c.title_th, c.title_en, c.guidance_th, c.max_points, c.scored)
        for c in rows
    )


def list_rounds(*, session: Session, edition_id: int) -> list[RoundView]:
    """The edition's rounds in order (at least the first)."""
    edition = _edition_row(session, edition_id)
    config = load_config(edition.config)
    rows = _round_rows(session, edition_id)
    if not rows:
        return [_implied_first_round(session, edition_id, config)]
    return [_round_view(session, config, r, rows[-1].position) for r in rows]


def get_round(*, session: Session, edition_id: int, round_no: int | None = None) -> RoundView:
    """The round at round_no, or the current one."""
    edition = _edition_row(session, edition_id)
    return _chosen_round(session, edition, load_config(edition.config), round_no)


def edition_in_round(
    *, session: Session, edition_id: int, round_no: int | None = None
) -> tuple[EditionView, RoundView]:
    """The edition as the round at round_no (or the current one) judges it, and that round: the edition's view with
    the round's criteria, aggregation method and quorum. The edition is read once, and only the chosen round's
    criteria (a ranking asks this first, on every page that ranks)."""
    edition = _edition_row(session, edition_id)
    config = load_config(edition.config)
    chosen = _chosen_round(session, edition, config, round_no)
    config = config.model_copy(
        update={"aggregation_method": chosen.method, "quorum_min_sheets": chosen.quorum_min_sheets}
    )
    return edition_view(edition, chosen.criteria, config), chosen


def current_of(rounds: Sequence[RoundView | JudgingRound]) -> int:
    """The first round whose shortlist is not frozen yet; the last once all are."""
    return next((r.position for r in rounds if r.frozen_at is None), rounds[-1].position)


def _edition_row(session: Session, edition_id: int) -> Edition:
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFound.edition()
    return edition


def _round_rows(session: Session, edition_id: int) -> Sequence[JudgingRound]:
    return session.exec(
        select(JudgingRound).where(JudgingRound.edition_id == edition_id).order_by(col(JudgingRound.position))
    ).all()


def _chosen_round(session: Session, edition: Edition, config: EditionConfig, round_no: int | None) -> RoundView:
    """The round at round_no (None: the current one), its criteria read and no other round's."""
    assert edition.id is not None
    rows = _round_rows(session, edition.id)
    if not rows:
        if round_no not in (None, FIRST_ROUND):
            raise round_not_found()
        return _implied_first_round(session, edition.id, config)
    wanted = current_of(rows) if round_no is None else round_no
    for r in rows:
        if r.position == wanted:
            return _round_view(session, config, r, rows[-1].position)
    raise round_not_found()


def _implied_first_round(session: Session, edition_id: int, config: EditionConfig) -> RoundView:
    """The first round of an edition with no round rows: the edition's own rules."""
    return RoundView(
        edition_id,
        FIRST_ROUND,
        *FIRST_ROUND_NAMES,
        None,
        None,
        config.aggregation_method,
        config.quorum_min_sheets,
        config.blind_until_results,
        False,
        _criteria(session, edition_id, FIRST_ROUND),
        None,
        "",
        {},
    )


def _round_view(session: Session, config: EditionConfig, r: JudgingRound, last: int) -> RoundView:
    return RoundView(
        r.edition_id,
        r.position,
        r.name_th,
        r.name_en,
        r.starts_on,
        r.ends_on,
        Method(r.aggregation_method) if r.aggregation_method else config.aggregation_method,
        r.quorum_min_sheets if r.quorum_min_sheets is not None else config.quorum_min_sheets,
        r.blind,
        r.scores_visible_to_next,
        _criteria(session, r.edition_id, r.position),
        r.frozen_at,
        r.frozen_by,
        dict(r.advance_rule),
        r.id,
        r.position == last,
    )


def current_round_no(*, session: Session, edition_id: int) -> int:
    """The round judges score now and results show by default (one small query)."""
    return int(session.connection().execute(sa.select(current_round_expr(edition_id))).scalar_one())


def current_round_expr(edition_id: Any) -> Any:
    """current_round_no as an SQL expression, for a statement that needs it inline (edition_id a value or a
    column)."""
    rounds = sa.select(func.min(col(JudgingRound.position))).where(col(JudgingRound.edition_id) == edition_id)
    return func.coalesce(
        rounds.where(col(JudgingRound.frozen_at).is_(None)).scalar_subquery(),
        sa.select(func.max(col(JudgingRound.position)))
        .where(col(JudgingRound.edition_id) == edition_id)
        .scalar_subquery(),
        FIRST_ROUND,
    )


def ensure_first_round(*, session: Session, edition_id: int) -> None:
    """Write the implied first round's row if the edition has none (in the caller's transaction)."""
    _first_round_row(session, edition_id)


def _first_round_row(session: Session, edition_id: int) -> JudgingRound:
    """The first round's row, written from the implied round when the edition has none."""
    row = session.exec(
        select(JudgingRound).where(JudgingRound.edition_id == edition_id, JudgingRound.position == FIRST_ROUND)
    ).first()
    if row is not None:
        return row
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFound.edition()
    row = JudgingRound(
        edition_id=edition_id,
        position=FIRST_ROUND,
        name_th=FIRST_ROUND_NAMES[0],
        name_en=FIRST_ROUND_NAMES[1],
        blind=load_config(edition.config).blind_until_results,
    )
    session.add(row)
    session.flush()
    return row


def _clean_name(text: str) -> str:
    return " ".join("".join(ch for ch in text if ch.isprintable()).split())[:MAX_NAME_CHARS]


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationFailed("bad_round_dates", "วันสิ้นสุดรอบต้องไม่ก่อนวันเริ่ม", "A round must not end before it starts.")


def add_round(
    *,
    session: Session,
    edition_id: int,
    name_th: str,
    name_en: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    method: Method | None = None,
    quorum_min_sheets: int | None = None,
    blind: bool = True,
    scores_visible_to_next: bool = False,
    actor: str,
) -> RoundView:
    """A round after the last one, with a copy of the edition's criteria (the first round's) to edit apart."""
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFound.edition()
    if edition.awards_frozen_at is not None:
        raise ValidationFailed(
            "awards_frozen", "ยืนยันผลรางวัลแล้ว เพิ่มรอบไม่ได้", "The awards are confirmed; no round can be added."
        )
    name_th, name_en = _clean_name(name_th), _clean_name(name_en)
    if not name_th:
        raise ValidationFailed("no_round_name", "กรุณาใส่ชื่อรอบ", "Give the round a name.")
    if quorum_min_sheets is not None and quorum_min_sheets < 1:
        raise ValidationFailed("bad_quorum", "องค์ประชุมต้องมีอย่างน้อย 1 ใบ", "A quorum is at least one sheet.")
    _check_dates(starts_on, ends_on)
    _first_round_row(session, edition_id)
    last = session.exec(select(func.max(JudgingRound.position)).where(JudgingRound.edition_id == edition_id)).one()
    position = int(last or FIRST_ROUND) + 1
    row = JudgingRound(
        edition_id=edition_id,
        position=position,
        name_th=name_th,
        name_en=name_en,
        starts_on=starts_on,
        ends_on=ends_on,
        aggregation_method=Method(method).value if method is not None else None,
        quorum_min_sheets=quorum_min_sheets,
        blind=blind,
        scores_visible_to_next=scores_visible_to_next,
    )
    session.add(row)
    copied = 0
    for c in _criteria(session, edition_id, FIRST_ROUND):
        session.add(
            Criterion(
                edition_id=edition_id,
                round_no=position,
                position=c.position,
                code=c.code,
                title_th=c.title_th,
                title_en=c.title_en,
                guidance_th=c.guidance_th,
                max_points=c.max_points,
                scored=c.scored,
            )
        )
        copied += 1
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="round.add",
        entity="judging_round",
        entity_id=row.id,
        after={
            "edition_id": edition_id,
            "position": position,
            "name_th": name_th,
            "method": row.aggregation_method,
            "quorum_min_sheets": quorum_min_sheets,
            "blind": blind,
            "scores_visible_to_next": scores_visible_to_next,
            "criteria_copied": copied,
        },
    )
    session.commit()
    return get_round(session=session, edition_id=edition_id, round_no=position)


EDITABLE = frozenset(
    {
        "name_th",
        "name_en",
        "starts_on",
        "ends_on",
        "aggregation_method",
        "quorum_min_sheets",
        "blind",
        "scores_visible_to_next",
    }
)


def update_round(*, session: Session, edition_id: int, round_no: int, actor: str, **changes: Any) -> RoundView:
    """Change a round's name, dates or rules; refused once its shortlist is frozen."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    row = (
        _first_round_row(session, edition_id)
        if round_no == FIRST_ROUND
        else session.exec(
            select(JudgingRound).where(JudgingRound.edition_id == edition_id, JudgingRound.position == round_no)
        ).first()
    )
    if row is None:
        raise round_not_found()
    if row.frozen_at is not None:
        raise round_frozen()
    for key in ("name_th", "name_en"):
        if key in changes:
            changes[key] = _clean_name(str(changes[key]))
    if "name_th" in changes and not changes["name_th"]:
        raise ValidationFailed("no_round_name", "กรุณาใส่ชื่อรอบ", "Give the round a name.")
    if changes.get("aggregation_method") is not None:
        changes["aggregation_method"] = Method(changes["aggregation_method"]).value
    if changes.get("quorum_min_sheets") is not None and int(changes["quorum_min_sheets"]) < 1:
        raise ValidationFailed("bad_quorum", "องค์ประชุมต้องมีอย่างน้อย 1 ใบ", "A quorum is at least one sheet.")
    _check_dates(changes.get("starts_on", row.starts_on), changes.get("ends_on", row.ends_on))
    before = {k: getattr(row, k) for k in changes}
    for key, value in changes.items():
        setattr(row, key, value)
    session.add(row)
    audit.record(
        session=session,
        actor=actor,
        action="round.update",
        entity="judging_round",
        entity_id=row.id,
        before={k: str(v) for k, v in before.items()},
        after={k: str(v) for k, v in changes.items()},
    )
    session.commit()
    return get_round(session=session, edition_id=edition_id, round_no=round_no)


def remove_round(*, session: Session, edition_id: int, round_no: int, actor: str) -> None:
    """Take away the last round, added by mistake: only while nothing hangs on it (no sheet, assignment or pitching
    day) and the round before it is still open (works a frozen shortlist advanced need a round to be judged in).
    The first round is never removed."""
    if round_no <= FIRST_ROUND:
        raise ValidationFailed(
            "first_round", "รอบแรกลบไม่ได้ ทุกการประกวดต้องมีอย่างน้อยหนึ่งรอบ", "The first round cannot be removed."
        )
    rows = session.exec(
        select(JudgingRound).where(JudgingRound.edition_id == edition_id).order_by(col(JudgingRound.position))
    ).all()
    row = next((r for r in rows if r.position == round_no), None)
    if row is None:
        raise round_not_found()
    if row is not rows[-1]:
        raise ValidationFailed(
            "not_last_round",
            "ลบได้เฉพาะรอบสุดท้าย กรุณาลบรอบที่อยู่ถัดไปก่อน",
            "Only the last round can be removed; remove the rounds after it first.",
        )
    before = next(r for r in rows if r.position == round_no - 1)
    if before.frozen_at is not None:
        raise ValidationFailed(
            "earlier_round_frozen",
            "รอบก่อนหน้ายืนยันผลการคัดเลือกแล้ว ผลงานที่ผ่านเข้ารอบนี้ต้องมีรอบให้ตัดสิน จึงลบรอบนี้ไม่ได้ (แก้ไขชื่อ วันที่ และเกณฑ์ได้)",
            "The round before has frozen its shortlist: the works it advanced need this round; edit it instead.",
        )
    in_use = {
        "sheets": sheets_in_round(session=session, edition_id=edition_id, round_no=round_no),
        "assignments": _count_in_round(session, JudgeAssignment, edition_id, round_no),
        "pitch_days": int(
            session.exec(
                select(func.count())
                .select_from(PitchDay)
                .where(PitchDay.edition_id == edition_id, PitchDay.round_no == round_no)
            ).one()
        ),
    }
    if any(in_use.values()):
        raise ValidationFailed(
            "round_in_use",
            f"รอบนี้มีใบให้คะแนน {in_use['sheets']} ใบ การมอบหมายกรรมการ {in_use['assignments']} รายการ "
            f"และวันนำเสนอ {in_use['pitch_days']} วัน จึงลบไม่ได้ กรุณายกเลิกรายการเหล่านี้ก่อน",
            f"This round has {in_use['sheets']} score sheets, {in_use['assignments']} judge assignments and "
            f"{in_use['pitch_days']} pitching days; remove them first.",
        )
    criteria = session.exec(
        select(Criterion).where(Criterion.edition_id == edition_id, Criterion.round_no == round_no)
    ).all()
    for criterion in criteria:
        session.delete(criterion)
    session.delete(row)
    audit.record(
        session=session,
        actor=actor,
        action="round.remove",
        entity="judging_round",
        entity_id=row.id,
        before={"edition_id": edition_id, "position": round_no, "name_th": row.name_th, "criteria": len(criteria)},
    )
    session.commit()


def _count_in_round(session: Session, table: Any, edition_id: int, round_no: int) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(table)
            .join(Submission, col(Submission.id) == col(table.submission_id))
            .where(Submission.edition_id == edition_id, table.round_no == round_no)
        ).one()
    )


def works_in_round(*, session: Session, edition_id: int, round_no: int) -> frozenset[int] | None:
    """The works a round judges: None for the first round (every work in the contest), else the works the round
    before advanced (none until its shortlist is frozen)."""
    if round_no <= FIRST_ROUND:
        return None
    before = session.exec(
        select(JudgingRound).where(JudgingRound.edition_id == edition_id, JudgingRound.position == round_no - 1)
    ).first()
    if before is None or before.frozen_at is None:
        return frozenset()
    return frozenset(session.exec(select(RoundAdvance.submission_id).where(RoundAdvance.round_id == before.id)).all())


def sheets_in_round(*, session: Session, edition_id: int, round_no: int) -> int:
    """How many score sheets the round has (a round with sheets keeps its criteria's maxima)."""
    return _count_in_round(session, ScoreSheet, edition_id, round_no)
