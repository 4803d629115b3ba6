"""What the web layer keeps in the database so that every app replica sees it: signed-in browser sessions, the
secret that signs their cookies, text a judge is still typing, and hits counted against rate limits."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Index, SQLModel, UniqueConstraint

from models.types import UTCDateTime, utcnow


class WebSession(SQLModel, table=True):
    """A browser's sign-in. The cookie carries a random token (signed); only its SHA-256 is stored. A new row first
    holds a one-time handoff code (hashed too) that the browser trades for the cookie over HTTP."""

    __tablename__ = "web_session"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    handoff_hash: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_why: str = Field(default="", max_length=20)


class AppSecret(SQLModel, table=True):
    """Server-side secrets shared by all replicas (the cookie-signing key), made once on first use."""

    __tablename__ = "app_secret"
    name: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TypedComment(SQLModel, table=True):
    """A comment the judge wrote for a criterion that has no points yet (the sheet stores a criterion's comment with
    its points): kept here and shown with the sheet, so nothing typed is lost. criterion_id 0 is the overall comment
    (written so by older pages). Folded into the sheet, and deleted, when that criterion gets points."""

    __tablename__ = "typed_comment"
    __table_args__ = (UniqueConstraint("judge_id", "submission_id", "criterion_id"),)
    id: int | None = Field(default=None, primary_key=True)
    judge_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    submission_id: int = Field(foreign_key="submission.id", index=True, ondelete="CASCADE")
    criterion_id: int = Field(default=0)
    text: str = Field(default="", sa_type=sa.Text)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RateHit(SQLModel, table=True):
    """One counted action (e.g. a new draft from the public submit page) by a subject (a hash, never a raw IP)."""

    __tablename__ = "rate_hit"
    __table_args__ = (Index("ix_rate_hit_bucket_subject_at", "bucket", "subject", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    bucket: str = Field(max_length=40)
    subject: str = Field(max_length=64)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
