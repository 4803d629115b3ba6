"""Feedback to entrants and the public results: what the organisers released, how they edited the committee's
comments, and the winners' descriptions they approved."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, UniqueConstraint

from models.types import UTCDateTime, utcnow


class FeedbackRelease(SQLModel, table=True):
    """One work's feedback report, released to its entrant. Releasing an edition writes one row per work, so a
    work's state is always one row to read; no row, nothing of the report is shown to the applicant."""

    __tablename__ = "feedback_release"
    __table_args__ = (UniqueConstraint("submission_id"),)
    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True, ondelete="CASCADE")
    submission_id: int = Field(foreign_key="submission.id", ondelete="CASCADE")
    # The exact rank is shown only when the organiser chose so; otherwise the report gives the rank band.
    show_rank: bool = False
    released_by: str = Field(max_length=80)
    released_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FeedbackCommentEdit(SQLModel, table=True):
    """An organiser's decision on one judge's comment before it reaches the entrant: hidden, or rephrased. The
    judge's own text stays where it is (and in the audit trail): this row only says what the report shows."""

    __tablename__ = "feedback_comment_edit"
    __table_args__ = (UniqueConstraint("source", "source_id"),)
    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True, ondelete="CASCADE")
    submission_id: int = Field(foreign_key="submission.id", index=True, ondelete="CASCADE")
    source: str = Field(max_length=20, description="'score' (a criterion's comment) or 'sheet' (the overall one)")
    source_id: int = Field(description="the Score or ScoreSheet row the comment lives on")
    hidden: bool = False
    text: str = Field(default="", sa_type=sa.Text, description="the rephrased comment; empty keeps the judge's")
    edited_by: str = Field(max_length=80)
    edited_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WinnerDescription(SQLModel, table=True):
    """The short description of an awarded work that the organisers approved for the public results page."""

    __tablename__ = "winner_description"
    __table_args__ = (UniqueConstraint("submission_id"),)
    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True, ondelete="CASCADE")
    submission_id: int = Field(foreign_key="submission.id", ondelete="CASCADE")
    text: str = Field(sa_type=sa.Text)
    approved_by: str = Field(max_length=80)
    approved_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
