"""Contest editions and their criteria: the rules of one year's award, kept as data."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel, UniqueConstraint

from models.rounds import round_no_field
from models.types import UTCDateTime, utcnow


class Phase(StrEnum):
    draft = "draft"
    intake = "intake"
    screening = "screening"
    judging = "judging"
    results = "results"
    announced = "announced"


class EditionBase(SQLModel):
    name: str = Field(max_length=300)
    year_be: int = Field(index=True, description="Buddhist-era year, e.g. 2564")
    theme: str = Field(default="", max_length=500)
    intake_opens_at: datetime = Field(sa_type=UTCDateTime)
    intake_closes_at: datetime = Field(sa_type=UTCDateTime)
    golive_cutoff: date = Field(description="works must be in real use on or before this date")
    phase: Phase = Field(default=Phase.draft, sa_type=sa.String(20))
    # e.g. {"levels": [{"code": "excellent", "th": "รางวัลยอดเยี่ยม", "count": 1}, ...]}
    award_plan: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Per-edition rules that are data, not code: aggregation method, tie-break chain, blind judging,
    # disagreement threshold, suggested-points rules for the 5-point criteria, panel sizes.
    config: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Edition(EditionBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Set when the organisers confirm the award list; from then on it is frozen.
    awards_frozen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    awards_frozen_by: str = Field(default="", max_length=80)


class CriterionBase(SQLModel):
    position: int
    code: str = Field(max_length=40, description="stable key, e.g. 'objectives'")
    title_th: str = Field(max_length=500)
    title_en: str = Field(max_length=300)
    guidance_th: str = Field(default="", sa_type=sa.Text)
    max_points: int = Field(default=10, ge=0, le=100)
    scored: bool = True


class Criterion(CriterionBase, table=True):
    __table_args__ = (UniqueConstraint("edition_id", "round_no", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True, ondelete="CASCADE")
    # The edition's criteria are the first round's; a later round has its own copy, edited apart.
    round_no: int = round_no_field()
