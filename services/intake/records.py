"""The records of a submission as the applicant fills it in, step by step, and the views of a draft."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from models import (
    AttachmentKind,
    SubmissionStatus,
)
from services.intake import eligibility, questionnaire
from services.platform.errors import DomainError

CATEGORIES: tuple[str, ...] = ("E-Service", "GIS", "e-Office", "Smart City", "Data Platform", "อื่น ๆ")

# The guided flow's steps; Submission.draft_step holds the last one saved.
STEP_ORGANISATION, STEP_CONTACTS, STEP_PROJECT, STEP_DOCUMENTS, STEP_SEND, STEP_CONFIRM = 1, 2, 3, 4, 5, 6
# Personal data (PDPA): the audit trail records that these changed, not their values.
PERSONAL_FIELDS = frozenset(
    {"submitter_name", "submitter_position", "coordinator_name", "coordinator_phone", "coordinator_email"}
)
EDITABLE_STATUSES = (SubmissionStatus.draft, SubmissionStatus.submitted)


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Access:
    """What the applicant holds: the receipt code and the secret edit token (only its hash is stored)."""

    receipt_code: str
    edit_token: str


@dataclass
class OrganisationStep:
    org_type: str
    org_name: str
    province: str
    district: str = ""
    subdistrict: str = ""


@dataclass
class ContactsStep:
    submitter_name: str
    submitter_position: str
    coordinator_name: str
    coordinator_phone: str
    coordinator_email: str
    submitter_has_signing_authority: bool = False


@dataclass
class ProjectStep:
    title: str
    category: str
    golive_date: date | None = None
    is_new_initiative: bool | None = None
    earlier_project_name: str = ""
    earlier_project_year_be: int | None = None
    developed_by: str = ""
    partner_name: str = ""
    partner_province: str = ""
    digital_declared: bool = False


@dataclass
class SubmissionForm:
    """Everything at once: the one-shot intake used by `ldaward import` and by the organisers' re-keying. Made of
    the guided flow's own steps, so both paths check and store the same fields the same way."""

    organisation: OrganisationStep
    contacts: ContactsStep
    project: ProjectStep
    declarations: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class Receipt:
    submission_id: int
    receipt_code: str
    edit_token: str
    organisation: str
    title: str
    submitted_at: datetime


@dataclass(frozen=True)
class AttachmentView:
    id: int
    kind: AttachmentKind
    original_name: str
    media_type: str
    size: int
    sha256: str
    analysis: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Missing:
    code: str
    message_th: str
    message_en: str

    def message(self, lang: str = "th") -> str:
        return self.message_en if lang == "en" else self.message_th


@dataclass(frozen=True)
class DraftView:
    """A submission as its applicant sees it (their own contacts included)."""

    id: int
    edition_id: int
    receipt_code: str
    status: SubmissionStatus
    draft_step: int
    organisation: OrganisationStep
    full_name: str
    short_name: str
    contacts: ContactsStep
    project: ProjectStep
    declarations: dict[str, bool]
    answers: questionnaire.Answers
    attachments: tuple[AttachmentView, ...]
    submitted_at: datetime | None
    confirmed_at: datetime | None
    deadline: datetime
    editable: bool
    eligibility: eligibility.Eligibility
    missing: tuple[Missing, ...]

    def attachment(self, kind: AttachmentKind) -> AttachmentView | None:
        return next((a for a in self.attachments if a.kind == kind), None)


@dataclass(frozen=True)
class Started:
    access: Access
    view: DraftView


class SubmissionRejected(DomainError):
    """The submission has problems; `problems` lists each one. Nothing was saved."""

    def __init__(self, problems: list[DomainError]) -> None:
        super().__init__(
            "submission_invalid",
            "ยังส่งไม่ได้ กรุณาแก้ไข: " + "; ".join(p.message_th for p in problems),
            "Not sent yet. Please fix: " + "; ".join(p.message_en for p in problems),
        )
        self.problems = problems
