"""All table models, imported here so that metadata is complete before create_all or Alembic."""

from models.audit import AuditEvent
from models.contest import Criterion, Edition, Phase
from models.judging import (
    AwardResult,
    ConflictOfInterest,
    ConflictReason,
    JudgeAssignment,
    Role,
    Score,
    ScoreSheet,
    SheetState,
    User,
)
from models.submission import (
    Attachment,
    AttachmentKind,
    Organisation,
    OrgType,
    StoredFile,
    Submission,
    SubmissionStatus,
)

__all__ = [
    "Attachment",
    "AttachmentKind",
    "AuditEvent",
    "AwardResult",
    "ConflictOfInterest",
    "ConflictReason",
    "Criterion",
    "Edition",
    "JudgeAssignment",
    "OrgType",
    "Organisation",
    "Phase",
    "Role",
    "Score",
    "ScoreSheet",
    "SheetState",
    "StoredFile",
    "Submission",
    "SubmissionStatus",
    "User",
]
