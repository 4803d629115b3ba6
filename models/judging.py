"""Users and judging: assignments, the score link table (judge x submission x criterion) and score sheets."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, UniqueConstraint

from models.types import UTCDateTime, utcnow


class Role(StrEnum):
    organiser = "organiser"
    judge = "judge"
    executive = "executive"


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True, index=True)
    display_name: str = Field(max_length=200)
    role: Role = Field(sa_type=sa.String(20))
    agency: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=200)
    password_hash: str = Field(default="", max_length=255)
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class JudgeAssignment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("judge_id", "submission_id"),)
    id: int | None = Field(default=None, primary_key=True)
    judge_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    submission_id: int = Field(foreign_key="submission.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Score(SQLModel, table=True):
    # ix_score_sheet_points covers the ranking's sums per sheet: read in (submission, judge) order from the index
    # alone, they need neither the table nor a hash table of 50,000 groups (a national edition).
    __table_args__ = (UniqueConstraint("judge_id", "submission_id", "criterion_id"),
                      sa.Index("ix_score_sheet_points", "submission_id", "judge_id", "criterion_id", "points"))
    id: int | None = Field(default=None, primary_key=True)
    judge_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    submission_id: int = Field(foreign_key="submission.id", index=True, ondelete="CASCADE")
    criterion_id: int = Field(foreign_key="criterion.id", index=True, ondelete="CASCADE")
    points: float = Field(ge=0)
    comment: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SheetState(StrEnum):
    draft = "draft"
    submitted = "submitted"


class ScoreSheet(SQLModel, table=True):
    """One judge's sheet for one submission: its state and the overall comment."""

    __table_args__ = (UniqueConstraint("judge_id", "submission_id"),)
    id: int | None = Field(default=None, primary_key=True)
    judge_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    submission_id: int = Field(foreign_key="submission.id", index=True, ondelete="CASCADE")
    state: SheetState = Field(default=SheetState.draft, sa_type=sa.String(20))
    overall_comment: str = Field(default="", sa_type=sa.Text)
    # Bumped on every save, so a second tab holding an older version can be warned instead of overwriting.
    version: int = 0
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ConflictReason(StrEnum):
    own_province = "own_province"
    earlier_involvement = "earlier_involvement"
    supervising_agency = "supervising_agency"
    other = "other"


class ConflictOfInterest(SQLModel, table=True):
    """A judge may not open or score this submission, and their score is left out of its aggregates."""

    __table_args__ = (UniqueConstraint("judge_id", "submission_id"),)
    id: int | None = Field(default=None, primary_key=True)
    judge_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    submission_id: int = Field(foreign_key="submission.id", index=True, ondelete="CASCADE")
    reason: ConflictReason = Field(sa_type=sa.String(30))
    note: str = Field(default="", sa_type=sa.Text)
    declared_by: str = Field(max_length=80, description="the judge's or an organiser's username")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AwardResult(SQLModel, table=True):
    """One confirmed award of an edition (frozen once the organisers confirm the list)."""

    __table_args__ = (UniqueConstraint("edition_id", "submission_id"),)
    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True, ondelete="CASCADE")
    submission_id: int = Field(foreign_key="submission.id", index=True, ondelete="CASCADE")
    level: str = Field(max_length=40, description="an award_plan level code, e.g. 'excellent'")
    position: int = Field(description="rank within the results when confirmed")
    score: float
    confirmed_by: str = Field(max_length=80)
    confirmed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
