"""The mail outbox: each e-mail the contest sends, written with the event that causes it, delivered by a worker."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, Index, SQLModel

from models.types import UTCDateTime, utcnow


class MailState(StrEnum):
    queued = "queued"  # waiting for its next try (next_attempt_at)
    sending = "sending"  # a worker holds it until lease_until; past that, another may take it
    sent = "sent"  # the SMTP server accepted it
    failed = "failed"  # refused for good, or out of tries: an organiser may resend


class OutboxMessage(SQLModel, table=True):
    """One message. The body holds what the recipient reads (the receipt's edit link too), so the table is for the
    worker and organisers only; the audit trail gets its kind, id and recipient role, never the body or address."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "state", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40, index=True)
    recipient: str = Field(max_length=200)
    recipient_role: str = Field(max_length=20, description="coordinator, judge or organiser")
    subject: str = Field(max_length=300)
    body_text: str = Field(sa_type=sa.Text)
    body_html: str = Field(default="", sa_type=sa.Text)
    # [{"filename", "media_type", "content_b64"}]: small files only (an .ics), kept with the message.
    attachments: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Made at enqueue, so a retry after a lost acknowledgement carries the same Message-ID and mail clients
    # show one message.
    message_id: str = Field(max_length=200, unique=True)
    entity: str = Field(default="", max_length=40)
    entity_id: str = Field(default="", max_length=80)
    state: MailState = Field(default=MailState.queued, sa_type=sa.String(10))
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    lease_owner: str = Field(default="", max_length=80)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_answer: str = Field(default="", max_length=500, description="the SMTP server's last reply or the error")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
