"""Judging rounds of an edition, in order, and the works each frozen round advanced to the next."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel, UniqueConstraint

from models.types import UTCDateTime, utcnow

# Score sheets, assignments, criteria and pitching days say which round they belong to by its position in the
# edition (round_no, 1 for the first): a one-round edition, and every row written before rounds existed, is round 1
# without a word, so the code that knows nothing of rounds keeps doing what it did.
FIRST_ROUND = 1


def round_no_field() -> Any:
    """The round a row belongs to: its position in the edition, the first round unless said otherwise."""
    return Field(default=FIRST_ROUND, ge=1, sa_column_kwargs={"server_default": sa.text(str(FIRST_ROUND))})


class JudgingRound(SQLModel, table=True):
    """One judging round: its name, dates and rules. A rule left None takes the edition's (EditionConfig)."""

    __tablename__ = "judging_round"
    __table_args__ = (UniqueConstraint("edition_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True, ondelete="CASCADE")
    position: int = Field(ge=1, description="1 for the first round; rows of other tables name it as round_no")
    name_th: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    starts_on: date | None = None
    ends_on: date | None = None
    aggregation_method: str | None = Field(default=None, max_length=20)
    quorum_min_sheets: int | None = Field(default=None, ge=1)
    blind: bool = Field(default=True, description="judges see no other judge's scores in this round")
    scores_visible_to_next: bool = Field(
        default=False, description="the next round's judges may see this round's results"
    )
    # Set when the organiser freezes the shortlist: the rule, its figures and who decided; no change after.
    advance_rule: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    frozen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    frozen_by: str = Field(default="", max_length=80)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RoundAdvance(SQLModel, table=True):
    """A work a frozen round advanced to the next one, with its place and its chance of being above the cut."""

    __tablename__ = "round_advance"
    __table_args__ = (UniqueConstraint("round_id", "submission_id"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="judging_round.id", index=True, ondelete="CASCADE")
    submission_id: int = Field(foreign_key="submission.id", index=True, ondelete="CASCADE")
    rank: int | None = None  # None: advanced by hand without a place in the ranking
    score: float | None = None
    probability_above_cut: float | None = Field(
        default=None, sa_type=sa.Float, description="bootstrap chance of ranking above the cut"
    )
