"""Contest editions and their criteria: read models and the organiser's changes to them."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from models import Criterion, Edition, Phase, Score
from models.rounds import FIRST_ROUND
from services.contest.edition_config import EditionConfig, dump_config, load_config
from services.platform import audit
from services.platform.errors import NotFound, ValidationFailed
from services.thai.dates import BANGKOK


@dataclass(frozen=True)
class CriterionView:
    id: int
    position: int
    code: str
    title_th: str
    title_en: str
    guidance_th: str
    max_points: int
    scored: bool

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_th


@dataclass(frozen=True)
class EditionView:
    id: int
    name: str
    year_be: int
    theme: str
    intake_opens_at: datetime
    intake_closes_at: datetime
    golive_cutoff: date
    phase: Phase
    award_plan: dict[str, Any]
    criteria: tuple[CriterionView, ...]
    config: EditionConfig
    awards_frozen_at: datetime | None

    @property
    def scored_criteria(self) -> tuple[CriterionView, ...]:
        return tuple(c for c in self.criteria if c.scored)

    @property
    def max_total(self) -> int:
        return sum(c.max_points for c in self.scored_criteria)


def _criterion_view(c: Criterion) -> CriterionView:
    assert c.id is not None
    return CriterionView(c.id, c.position, c.code, c.title_th, c.title_en, c.guidance_th, c.max_points, c.scored)


def _view(session: Session, edition: Edition) -> EditionView:
    assert edition.id is not None
    criteria = session.exec(
        select(Criterion)
        .where(Criterion.edition_id == edition.id, Criterion.round_no == FIRST_ROUND)
        .order_by(col(Criterion.position))
    ).all()
    return edition_view(edition, tuple(_criterion_view(c) for c in criteria))


def edition_view(
    edition: Edition, criteria: tuple[CriterionView, ...], config: EditionConfig | None = None
) -> EditionView:
    """The view of edition with criteria (the first round's, or a later round's for the rounds' view) and config
    (None: the edition's own)."""
    assert edition.id is not None
    return EditionView(
        edition.id,
        edition.name,
        edition.year_be,
        edition.theme,
        edition.intake_opens_at,
        edition.intake_closes_at,
        edition.golive_cutoff,
        Phase(edition.phase),
        dict(edition.award_plan),
        criteria,
        load_config(edition.config) if config is None else config,
        edition.awards_frozen_at,
    )


def get_edition(*, session: Session, edition_id: int) -> EditionView:
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFound.edition()
    return _view(session, edition)


def list_editions(*, session: Session) -> list[EditionView]:
    editions = session.exec(select(Edition).order_by(col(Edition.year_be).desc(), col(Edition.id).desc())).all()
    return [_view(session, e) for e in editions]


def current_edition(*, session: Session) -> EditionView | None:
    """The newest edition that is not a draft, else the newest of all (every page asks: one row read, one built)."""
    newest = select(Edition).order_by(col(Edition.year_be).desc(), col(Edition.id).desc()).limit(1)
    row = session.exec(newest.where(Edition.phase != Phase.draft)).first() or session.exec(newest).first()
    return _view(session, row) if row is not None else None


def latest_announced_id(*, session: Session) -> int | None:
    """The newest edition whose results are announced (the public results' default), or None before any is."""
    return session.exec(
        select(Edition.id)
        .where(Edition.phase == Phase.announced)
        .order_by(col(Edition.year_be).desc(), col(Edition.id).desc())
    ).first()


def create_edition(
    *,
    session: Session,
    name: str,
    year_be: int,
    intake_opens_at: datetime,
    intake_closes_at: datetime,
    golive_cutoff: date,
    theme: str = "",
    phase: Phase = Phase.draft,
    award_plan: dict[str, Any] | None = None,
    config: EditionConfig | None = None,
    actor: str,
) -> EditionView:
    _check_window(intake_opens_at, intake_closes_at)
    if not name.strip():
        raise ValidationFailed("no_name", "กรุณาใส่ชื่อรุ่นการประกวด", "Give the edition a name.")
    edition = Edition(
        name=name.strip(),
        year_be=year_be,
        theme=theme,
        intake_opens_at=intake_opens_at,
        intake_closes_at=intake_closes_at,
        golive_cutoff=golive_cutoff,
        phase=phase,
        award_plan=award_plan or {},
        config=dump_config(config or EditionConfig()),
    )
    session.add(edition)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="edition.create",
        entity="edition",
        entity_id=edition.id,
        after={"name": edition.name, "year_be": year_be},
    )
    session.commit()
    return _view(session, edition)


def _check_window(opens: datetime, closes: datetime) -> None:
    if closes <= opens:
        raise ValidationFailed("bad_window", "วันปิดรับสมัครต้องอยู่หลังวันเปิดรับสมัคร", "Intake must close after it opens.")


def update_edition(*, session: Session, edition_id: int, actor: str, **changes: Any) -> EditionView:
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFound.edition()
    allowed = {"name", "theme", "intake_opens_at", "intake_closes_at", "golive_cutoff", "phase", "award_plan", "config"}
    if isinstance(changes.get("config"), EditionConfig):
        changes["config"] = dump_config(changes["config"])
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "phase" in changes:
        try:
            changes["phase"] = Phase(changes["phase"])
        except ValueError:
            raise ValidationFailed("bad_phase", "ไม่รู้จักขั้นตอนการประกวดนี้", "Unknown phase.") from None
    before = {k: getattr(edition, k) for k in changes}
    for key, value in changes.items():
        setattr(edition, key, value)
    _check_window(edition.intake_opens_at, edition.intake_closes_at)
    session.add(edition)
    audit.record(
        session=session,
        actor=actor,
        action="edition.update",
        entity="edition",
        entity_id=edition_id,
        before={k: str(v) for k, v in before.items()},
        after={k: str(v) for k, v in changes.items()},
    )
    session.commit()
    return _view(session, edition)


def save_criterion(
    *,
    session: Session,
    edition_id: int,
    code: str,
    title_th: str,
    title_en: str,
    max_points: int,
    position: int | None = None,
    guidance_th: str = "",
    scored: bool = True,
    round_no: int = FIRST_ROUND,
    actor: str,
) -> CriterionView:
    """Add a criterion, or change the one with this code. Criteria are data: the organiser may change them.

    round_no: the round whose criteria these are (the edition's own are the first round's)."""
    if session.get(Edition, edition_id) is None:
        raise NotFound.edition()
    code = code.strip().lower()
    if not code or not title_th.strip():
        raise ValidationFailed(
            "criterion_incomplete", "เกณฑ์ต้องมีรหัสและชื่อภาษาไทย", "A criterion needs a code and a Thai title."
        )
    if not 0 <= max_points <= 100 or (scored and max_points == 0):
        raise ValidationFailed(
            "bad_max_points",
            "คะแนนเต็มของเกณฑ์ที่คิดคะแนนต้องอยู่ระหว่าง 1 ถึง 100",
            "A scored criterion's maximum must be between 1 and 100.",
        )
    of_round = (col(Criterion.edition_id) == edition_id, col(Criterion.round_no) == round_no)
    crit = session.exec(select(Criterion).where(*of_round, Criterion.code == code)).first()
    before = None
    if crit is None:
        if position is None:
            last = session.exec(select(func.max(Criterion.position)).where(*of_round)).one()
            position = (last or 0) + 1
        crit = Criterion(
            edition_id=edition_id, round_no=round_no, code=code, position=position, title_th="", title_en=""
        )
    else:
        before = {"title_th": crit.title_th, "max_points": crit.max_points, "scored": crit.scored}
        if _has_scores(session, crit) and (crit.max_points != max_points or crit.scored != scored):
            raise ValidationFailed(
                "criterion_in_use",
                "เกณฑ์นี้มีคะแนนบันทึกแล้ว เปลี่ยนคะแนนเต็มหรือสถานะการคิดคะแนนไม่ได้",
                "This criterion already has scores: its maximum and scored flag cannot change.",
            )
    crit.title_th, crit.title_en, crit.guidance_th = title_th.strip(), title_en.strip(), guidance_th.strip()
    crit.max_points, crit.scored = max_points, scored
    if position is not None:
        crit.position = position
    session.add(crit)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="criterion.save",
        entity="criterion",
        entity_id=crit.id,
        before=before,
        after={
            "code": code,
            "title_th": crit.title_th,
            "max_points": max_points,
            "scored": scored,
            **({} if round_no == FIRST_ROUND else {"round_no": round_no}),  # as rounds.audit_fields
        },
    )
    session.commit()
    return _criterion_view(crit)


def _has_scores(session: Session, crit: Criterion) -> bool:
    return session.exec(select(Score.id).where(Score.criterion_id == crit.id).limit(1)).first() is not None


def delete_criterion(*, session: Session, criterion_id: int, actor: str) -> None:
    crit = session.get(Criterion, criterion_id)
    if crit is None:
        raise NotFound("no_criterion", "ไม่พบเกณฑ์นี้", "No such criterion.")
    if _has_scores(session, crit):
        raise ValidationFailed(
            "criterion_in_use", "เกณฑ์นี้มีคะแนนบันทึกแล้ว ลบไม่ได้", "This criterion already has scores and cannot be deleted."
        )
    audit.record(
        session=session,
        actor=actor,
        action="criterion.delete",
        entity="criterion",
        entity_id=criterion_id,
        before={"code": crit.code, "title_th": crit.title_th},
    )
    session.delete(crit)
    session.commit()


def default_golive_cutoff(intake_closes_on: date) -> date:
    """Six months before intake closes, counted as the call does: closing 31 July 2564 gives 1 February 2564."""
    day_after = intake_closes_on + timedelta(days=1)
    month = day_after.month - 6
    year = day_after.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(day_after.day, calendar.monthrange(year, month)[1]))


def create_next_edition(
    *,
    session: Session,
    source_id: int,
    name: str,
    year_be: int,
    intake_opens_on: date,
    intake_closes_on: date,
    actor: str,
) -> EditionView:
    """A new draft edition with the source's criteria and award plan, intake open from 00:00 on the first day to
    23:59:59 on the last day, Asia/Bangkok."""
    source = get_edition(session=session, edition_id=source_id)
    if intake_closes_on < intake_opens_on:
        raise ValidationFailed("bad_window", "วันปิดรับสมัครต้องไม่ก่อนวันเปิดรับสมัคร", "Intake must not close before it opens.")
    edition = create_edition(
        session=session,
        name=name,
        year_be=year_be,
        theme="",
        intake_opens_at=datetime.combine(intake_opens_on, time(0, 0), BANGKOK),
        intake_closes_at=datetime.combine(intake_closes_on, time(23, 59, 59), BANGKOK),
        golive_cutoff=default_golive_cutoff(intake_closes_on),
        award_plan=source.award_plan,
        config=source.config,
        actor=actor,
    )
    for c in source.criteria:
        session.add(
            Criterion(
                edition_id=edition.id,
                position=c.position,
                code=c.code,
                title_th=c.title_th,
                title_en=c.title_en,
                guidance_th=c.guidance_th,
                max_points=c.max_points,
                scored=c.scored,
            )
        )
    audit.record(
        session=session,
        actor=actor,
        action="edition.copy_criteria",
        entity="edition",
        entity_id=edition.id,
        after={"from_edition": source_id, "criteria": len(source.criteria)},
    )
    session.commit()
    return get_edition(session=session, edition_id=edition.id)
