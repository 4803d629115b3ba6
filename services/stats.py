"""The dashboard's figures: works, organisations, categories, provinces, judging progress."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_
from sqlmodel import Session, col, func, select

from models import JudgeAssignment, Organisation, ScoreSheet, SheetState, Submission
from services import geo
from services.judging import JUDGEABLE
from services.thai import BANGKOK, be_year, thai_sort_key

UNSTATED = "ไม่ระบุ"
DEVELOPER_LABELS = {"in_house": "พัฒนาเอง", "partner": "ร่วมกับภาคเอกชน/สถาบัน"}


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
    subs = session.exec(
            select(Submission, Organisation)
            .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
            .where(Submission.edition_id == edition_id, col(Submission.status).in_(JUDGEABLE))
        ).all()
    rows = [(sub.id, sub.category, org.id or 0, org.full_name, org.org_type, org.province) for sub, org in subs]
    golive: Counter[str] = Counter(str(be_year(sub.golive_date)) if sub.golive_date else UNSTATED for sub, _ in subs)
    developer: Counter[str] = Counter(DEVELOPER_LABELS.get(sub.developed_by, UNSTATED) for sub, _ in subs)
    org_works: Counter[int] = Counter(r[2] for r in rows)
    org_name = {r[2]: r[3] for r in rows}
    orgs_by_province: dict[str, set[int]] = {}
    works_by_province: Counter[str] = Counter()
    for _sid, _cat, org_id, _name, _type, province in rows:
        orgs_by_province.setdefault(province, set()).add(org_id)
        works_by_province[province] += 1
    by_province = tuple(
        ProvinceCount(p, _region(p), len(orgs_by_province[p]), works_by_province[p])
        for p in sorted(orgs_by_province, key=thai_sort_key)
    )
    org_types = Counter({r[2]: str(r[4]) for r in rows}.values())
    regions: Counter[str] = Counter()
    for p in by_province:
        regions[p.region] += p.works
    return HeadlineStats(
        edition_id=edition_id,
        works=len(rows),
        organisations=len(org_works),
        provinces=len(orgs_by_province),
        by_category=_ranked(Counter(r[1] for r in rows)),
        by_org_type=_ranked(org_types),
        by_region=_ranked(regions),
        by_province=by_province,
        multi_work_organisations=_ranked(Counter({org_name[o]: n for o, n in org_works.items() if n > 1})),
        judging=judging_progress(session=session, edition_id=edition_id),
        by_golive_year=tuple(Count(k, golive[k]) for k in sorted(golive, key=lambda y: (y == UNSTATED, y))),
        by_developer=_ranked(developer),
    )


def _region(province: str) -> str:
    found = geo.province_by_name(province)
    return found.region if found else "ไม่ระบุ"


def judging_progress(*, session: Session, edition_id: int) -> JudgingProgress:
    judgeable = and_(col(Submission.edition_id) == edition_id, col(Submission.status).in_(JUDGEABLE))
    expected = session.exec(select(func.count()).select_from(JudgeAssignment).join(Submission)
                            .where(judgeable)).one()
    judges = session.exec(select(func.count(func.distinct(JudgeAssignment.judge_id))).join(Submission)
                          .where(judgeable)).one()
    states = dict(session.exec(
        select(ScoreSheet.state, func.count()).join(Submission, col(Submission.id) == col(ScoreSheet.submission_id))
        .join(JudgeAssignment, (col(JudgeAssignment.judge_id) == col(ScoreSheet.judge_id))
              & (col(JudgeAssignment.submission_id) == col(ScoreSheet.submission_id)))
        .where(judgeable).group_by(col(ScoreSheet.state))
    ).all())
    return JudgingProgress(int(judges), int(expected), int(states.get(SheetState.submitted, 0)),
                           int(states.get(SheetState.draft, 0)))


@dataclass(frozen=True)
class DayProgress:
    day: date  # Bangkok calendar day
    submitted: int  # sheets submitted that day
    cumulative: int


def judging_timeline(*, session: Session, edition_id: int) -> tuple[DayProgress, ...]:
    """Score sheets submitted per Bangkok day, with the running total: how judging moved over time."""
    moments = session.exec(
        select(ScoreSheet.submitted_at).join(Submission, col(Submission.id) == col(ScoreSheet.submission_id))
        .where(Submission.edition_id == edition_id, col(Submission.status).in_(JUDGEABLE),
               ScoreSheet.state == SheetState.submitted, col(ScoreSheet.submitted_at).is_not(None))
    ).all()
    per_day = Counter(m.astimezone(BANGKOK).date() for m in moments if m is not None)
    out, running = [], 0
    for day in sorted(per_day):
        running += per_day[day]
        out.append(DayProgress(day, per_day[day], running))
    return tuple(out)
