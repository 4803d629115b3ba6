"""Users and judging: assignments, the score link table (judge x submission x criterion) and score sheets."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlmodel import Field, SQLModel, UniqueConstraint

from models.rounds import round_no_field
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
    __table_args__ = (
        UniqueConstraint("judge_id", "submission_id", "round_no"),
        # Led by the work: the quorum's anti-join walks one edition's works (an id range) beside the score sheets'
        # index of the same order (migration 0011), whatever other editions the database keeps.
        sa.Index("ix_judgeassignment_work_judge_round", "submission_id", "judge_id", "round_no"),
    )
    id: int | None = Field(default=None, primary_key=True)
    judge_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    submission_id: int = Field(foreign_key="submission.id", ondelete="CASCADE")
    round_no: int = round_no_field()
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Score(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("judge_id", "submission_id", "criterion_id"),)
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


# The frozen copy of a submitted sheet: jsonb on PostgreSQL, so the ranking reads a criterion's points by key without
# parsing text; a Python None is SQL NULL (SQLAlchemy would store JSON 'null'), as the check below needs.
FROZEN_POINTS = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
# A submitted sheet carries its frozen copy and a draft has none: what the results read is always there and never stale.
SHEET_FROZEN_CHECK = (
    "(state = 'submitted' AND submitted_total IS NOT NULL AND submitted_points IS NOT NULL) OR "
    "(state <> 'submitted' AND submitted_total IS NULL AND submitted_points IS NULL)"
)


class ScoreSheet(SQLModel, table=True):
    """One judge's sheet for one submission: its state and the overall comment.

    On submission the sheet also keeps a frozen copy of its points (submitted_points, criterion id -> points) and
    their sum (submitted_total). A submitted sheet is locked, so the copy cannot go stale; reopening clears it. The
    results read these 50,000 rows of a national edition instead of re-adding its 550,000 scores on every refresh.
    """

    __table_args__ = (
        # A judge's sheets are found by its unique (judge, work, round) index; judge_id has no index of its own.
        UniqueConstraint("judge_id", "submission_id", "round_no"),
        sa.CheckConstraint(SHEET_FROZEN_CHECK, name="ck_scoresheet_frozen_when_submitted"),
        # The quorum walks one edition's works in it beside the assignments' index of the same order (0011).
        sa.Index("ix_scoresheet_work_judge_round_state", "submission_id", "judge_id", "round_no", "state"),
    )
    id: int | None = Field(default=None, primary_key=True)
    judge_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    submission_id: int = Field(foreign_key="submission.id", ondelete="CASCADE")
    round_no: int = round_no_field()  # a judge may score the same work again in a later round
    state: SheetState = Field(default=SheetState.draft, sa_type=sa.String(20))
    overall_comment: str = Field(default="", sa_type=sa.Text)
    # Bumped on every save, so a second tab holding an older version can be warned instead of overwriting.
    version: int = 0
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_total: float | None = None
    submitted_points: dict[str, float] | None = Field(default=None, sa_type=FROZEN_POINTS)


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
