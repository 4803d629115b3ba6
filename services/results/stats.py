"""The dashboard's figures: works, organisations, categories, provinces, judging progress."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_
from sqlmodel import Session, col, func, select

from models import JudgeAssignment, Organisation, ScoreSheet, SheetState, Submission
from services.intake.phrases import DEVELOPED_BY_SHORT
from services.judging import rounds
from services.judging.guards import JUDGEABLE
from services.thai import geo
from services.thai.collation import thai_sort_key
from services.thai.dates import BANGKOK, be_year

UNSTATED = "ไม่ระบุ"


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True)
class ProvinceCount:
    province: str
    region: str
    organisations: int
    works: int


@dataclass(frozen=True)
class JudgingProgress:
    judges: int
    sheets_expected: int
    sheets_submitted: int
    sheets_draft: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.sheets_submitted / self.sheets_expected, 1) if self.sheets_expected else 0.0


@dataclass(frozen=True)
class HeadlineStats:
    edition_id: int
    works: int
    organisations: int
    provinces: int
    by_category: tuple[Count, ...]
    by_org_type: tuple[Count, ...]
    by_region: tuple[Count, ...]
    by_province: tuple[ProvinceCount, ...]
    multi_work_organisations: tuple[Count, ...]
    judging: JudgingProgress
    by_golive_year: tuple[Count, ...] = ()  # Buddhist-era year the work went live, oldest first
    by_developer: tuple[Count, ...] = ()  # in-house, partner, or not stated

    @property
    def top_category(self) -> Count | None:
        return self.by_category[0] if self.by_category else None

    @property
    def top_province(self) -> ProvinceCount | None:
        return max(self.by_province, key=lambda p: (p.organisations, p.works), default=None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["top_category"] = asdict(self.top_category) if self.top_category else None
        data["top_province"] = asdict(self.top_province) if self.top_province else None
        data["judging"]["percent"] = self.judging.percent
        return data


def _ranked(counter: Counter[str]) -> tuple[Count, ...]:
    return tuple(Count(k, v) for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], thai_sort_key(kv[0]))))


def headline_stats(*, session: Session, edition_id: int) -> HeadlineStats:
    """Counted by the database: a national edition's 10,000 works arrive as a few hundred grouped rows (one per
    organisation, category, go-live date, way of development), not as 10,000 ORM objects to count in Python."""
    conn = session.connection()
    judgeable = and_(col(Submission.edition_id) == edition_id, col(Submission.status).in_(JUDGEABLE))
    n = func.count(col(Submission.id))
    per_org = conn.execute(
        sa.select(
            col(Organisation.id), col(Organisation.full_name), col(Organisation.org_type), col(Organisation.province), n
        )
        .join(Submission, col(Organisation.id) == col(Submission.organisation_id))
        .where(judgeable)
        .group_by(
            col(Organisation.id), col(Organisation.full_name), col(Organisation.org_type), col(Organisation.province)
        )
    ).all()

    def grouped(column: Any) -> list[tuple[Any, int]]:
        return [(v, int(c)) for v, c in conn.execute(sa.select(column, n).where(judgeable).group_by(column)).all()]

    golive: Counter[str] = Counter()
    for day, count in grouped(col(Submission.golive_date)):
        golive[str(be_year(day)) if day else UNSTATED] += count
    developer: Counter[str] = Counter()
    for how, count in grouped(col(Submission.developed_by)):
        developer[DEVELOPED_BY_SHORT[how][0] if how in DEVELOPED_BY_SHORT else UNSTATED] += count
    orgs_by_province: Counter[str] = Counter()
    works_by_province: Counter[str] = Counter()
    org_types: Counter[str] = Counter()
    for _org_id, _name, org_type, province, count in per_org:
        orgs_by_province[province] += 1
        works_by_province[province] += count
        org_types[str(org_type)] += 1
    by_province = tuple(
        ProvinceCount(p, _region(p), orgs_by_province[p], works_by_province[p])
        for p in sorted(orgs_by_province, key=thai_sort_key)
    )
    regions: Counter[str] = Counter()
    for p in by_province:
        regions[p.region] += p.works
    return HeadlineStats(
        edition_id=edition_id,
        works=sum(works_by_province.values()),
        organisations=len(per_org),
        provinces=len(orgs_by_province),
        by_category=_ranked(Counter(dict(grouped(col(Submission.category))))),
        by_org_type=_ranked(org_types),
        by_region=_ranked(regions),
        by_province=by_province,
        multi_work_organisations=_ranked(Counter({name: int(c) for _o, name, _t, _p, c in per_org if c > 1})),
        judging=judging_progress(session=session, edition_id=edition_id),
        by_golive_year=tuple(Count(k, golive[k]) for k in sorted(golive, key=lambda y: (y == UNSTATED, y))),
        by_developer=_ranked(developer),
    )


def _region(province: str) -> str:
    found = geo.province_by_name(province)
    return found.region if found else "ไม่ระบุ"


def judging_progress(*, session: Session, edition_id: int, round_no: int | None = None) -> JudgingProgress:
    """Judges, sheets expected, submitted and in draft in round_no (the current round when None)."""
    if round_no is None:
        round_no = rounds.current_round_no(session=session, edition_id=edition_id)
    judgeable = and_(
        col(Submission.edition_id) == edition_id,
        col(Submission.status).in_(JUDGEABLE),
        col(JudgeAssignment.round_no) == round_no,
    )
    expected = session.exec(select(func.count()).select_from(JudgeAssignment).join(Submission).where(judgeable)).one()
    judges = session.exec(
        select(func.count(func.distinct(JudgeAssignment.judge_id))).join(Submission).where(judgeable)
    ).one()
    states = dict(
        session.exec(
            select(ScoreSheet.state, func.count())
            .join(Submission, col(Submission.id) == col(ScoreSheet.submission_id))
            .join(
                JudgeAssignment,
                (col(JudgeAssignment.judge_id) == col(ScoreSheet.judge_id))
                & (col(JudgeAssignment.submission_id) == col(ScoreSheet.submission_id))
                & (col(JudgeAssignment.round_no) == col(ScoreSheet.round_no)),
            )
            .where(judgeable)
            .group_by(col(ScoreSheet.state))
        ).all()
    )
    return JudgingProgress(
        int(judges), int(expected), int(states.get(SheetState.submitted, 0)), int(states.get(SheetState.draft, 0))
    )


@dataclass(frozen=True)
class DayProgress:
    day: date  # Bangkok calendar day
    submitted: int  # sheets submitted that day
    cumulative: int


def judging_timeline(*, session: Session, edition_id: int) -> tuple[DayProgress, ...]:
    """Score sheets submitted per Bangkok day, with the running total: how judging moved over time."""
    moments = session.exec(
        select(ScoreSheet.submitted_at)
        .join(Submission, col(Submission.id) == col(ScoreSheet.submission_id))
        .where(
            Submission.edition_id == edition_id,
            col(Submission.status).in_(JUDGEABLE),
            ScoreSheet.state == SheetState.submitted,
            col(ScoreSheet.submitted_at).is_not(None),
        )
    ).all()
    per_day = Counter(m.astimezone(BANGKOK).date() for m in moments if m is not None)
    out, running = [], 0
    for day in sorted(per_day):
        running += per_day[day]
        out.append(DayProgress(day, per_day[day], running))
    return tuple(out)
