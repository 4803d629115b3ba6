"""Online pitching days: days, slots (presentations and breaks) and the live session that drives the judges' pages."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, UniqueConstraint

from models.rounds import round_no_field
from models.types import UTCDateTime, utcnow


class PitchDay(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("edition_id", "day"),)
    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True, ondelete="CASCADE")
    round_no: int = round_no_field()  # the round whose works pitch on this day
    day: date
    start_time: time = Field(description="local Asia/Bangkok time the first slot starts")
    rooms: int = Field(default=1, ge=1, description="parallel online rooms")
    meeting_url: str = Field(default="", max_length=500)
    note: str = Field(default="", sa_type=sa.Text)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SlotKind(StrEnum):
    pitch = "pitch"
    pause = "break"


class PitchSlot(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    day_id: int = Field(foreign_key="pitchday.id", index=True, ondelete="CASCADE")
    room: int = 1
    kind: SlotKind = Field(default=SlotKind.pitch, sa_type=sa.String(10))
    submission_id: int | None = Field(default=None, foreign_key="submission.id", index=True, ondelete="SET NULL")
    starts_at: datetime = Field(sa_type=UTCDateTime)
    presentation_minutes: int = Field(default=15, ge=0)
    qa_minutes: int = Field(default=10, ge=0)
    meeting_url: str = Field(default="", max_length=500, description="overrides the day's link when set")
    # Set when the slot changes after its day was published, so the applicant is told.
    changed_after_publish_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LiveStage(StrEnum):
    idle = "idle"
    presentation = "presentation"
    questions = "questions"
    ended = "ended"


class LiveSession(SQLModel, table=True):
    """One live pitching session; the judges' pages follow current_slot_id."""

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True, ondelete="CASCADE")
    day_id: int = Field(foreign_key="pitchday.id", index=True, ondelete="CASCADE")
    current_slot_id: int | None = Field(default=None, foreign_key="pitchslot.id", ondelete="SET NULL")
    stage: LiveStage = Field(default=LiveStage.idle, sa_type=sa.String(20))
    stage_started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    started_by: str = Field(max_length=80)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
