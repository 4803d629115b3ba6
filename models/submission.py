"""Organisations, their submissions and the files attached to them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel, UniqueConstraint

from models.types import UTCDateTime, utcnow


class OrgType(StrEnum):
    """Local administrative organisation types, by the abbreviation the announcement uses."""

    pao = "อบจ."  # องค์การบริหารส่วนจังหวัด
    city = "ทน."  # เทศบาลนคร
    town = "ทม."  # เทศบาลเมือง
    subdistrict_muni = "ทต."  # เทศบาลตำบล
    sao = "อบต."  # องค์การบริหารส่วนตำบล
    special = "พิเศษ"  # กรุงเทพมหานคร, เมืองพัทยา


class SubmissionStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    accepted = "accepted"
    rejected = "rejected"
    withdrawn = "withdrawn"


class Organisation(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("org_type", "name", "province"),)
    id: int | None = Field(default=None, primary_key=True)
    org_type: OrgType = Field(sa_type=sa.String(10))
    name: str = Field(max_length=200, description="place name without the type, e.g. ท่าคันโท")
    full_name: str = Field(max_length=300, description="e.g. เทศบาลตำบลท่าคันโท")
    short_name: str = Field(max_length=200, description="as the announcement writes it, e.g. ทต.ท่าคันโท")
    province: str = Field(max_length=100, index=True)
    district: str = Field(default="", max_length=100)
    subdistrict: str = Field(default="", max_length=100)


class Submission(SQLModel, table=True):
    # An edition's works, and the lowest and highest of their ids at once (results.ranking.edition_works: an index on
    # edition_id alone made PostgreSQL walk the primary key past every earlier edition's works).
    __table_args__ = (sa.Index("ix_submission_edition_work", "edition_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    title: str = Field(max_length=500)
    category: str = Field(max_length=60, index=True)
    status: SubmissionStatus = Field(default=SubmissionStatus.draft, sa_type=sa.String(20), index=True)
    receipt_code: str = Field(max_length=32, unique=True)
    edit_token_hash: str = Field(default="", max_length=128)
    golive_date: date | None = None
    # Personal data (PDPA): shown to organisers only.
    submitter_name: str = Field(default="", max_length=200)
    submitter_position: str = Field(default="", max_length=200)
    coordinator_name: str = Field(default="", max_length=200)
    coordinator_phone: str = Field(default="", max_length=40)
    coordinator_email: str = Field(default="", max_length=200)
    submitter_has_signing_authority: bool = False
    declarations: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The on-screen questionnaire of step 7 (tools, channels, data sets, goals table, roadmap, team, ...).
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Character of the project, as the guide asks it.
    is_new_initiative: bool | None = None
    earlier_project_name: str = Field(default="", max_length=300)
    earlier_project_year_be: int | None = None
    developed_by: str = Field(default="", max_length=20, description="'in_house' or 'partner'")
    partner_name: str = Field(default="", max_length=300)
    partner_province: str = Field(default="", max_length=100)
    # Eligibility: the applicant declares digital technology applied to a government process; an organiser confirms.
    digital_declared: bool = False
    eligibility_confirmed_by: str = Field(default="", max_length=80)
    eligibility_confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    screening_note: str = Field(default="", sa_type=sa.Text)
    # The guided flow: the last step saved, and when the applicant pressed "confirm" after the questionnaire.
    draft_step: int = 0
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deadline_extended_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    is_demo: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AttachmentKind(StrEnum):
    deck = "deck"
    signed_form = "signed_form"


class StoredFile(SQLModel, table=True):
    """File content, addressed by its sha256: the same file uploaded twice is stored once."""

    sha256: str = Field(primary_key=True, max_length=64)
    size: int
    content: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Attachment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("submission_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True, ondelete="CASCADE")
    kind: AttachmentKind = Field(sa_type=sa.String(20))
    original_name: str = Field(max_length=255)
    media_type: str = Field(max_length=120)
    size: int
    sha256: str = Field(foreign_key="storedfile.sha256", max_length=64, index=True)
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # What the checks found: slide titles and topic coverage for a deck, page count and text for a form.
    analysis: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
