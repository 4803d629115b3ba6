"""All table models, imported here so that metadata is complete before create_all or Alembic."""

from models.audit import AuditEvent
from models.contest import Criterion, Edition, Phase
from models.feedback import FeedbackCommentEdit, FeedbackRelease, WinnerDescription
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
from models.mail import MailState, OutboxMessage
from models.pitching import LiveSession, LiveStage, PitchDay, PitchSlot, SlotKind
from models.rounds import JudgingRound, RoundAdvance
from models.submission import (
    Attachment,
    AttachmentKind,
    Organisation,
    OrgType,
    StoredFile,
    Submission,
    SubmissionStatus,
)
from models.web import AppSecret, RateHit, TypedComment, WebSession

__all__ = [
    "AppSecret",
    "Attachment",
    "AttachmentKind",
    "AuditEvent",
    "AwardResult",
    "ConflictOfInterest",
    "ConflictReason",
    "Criterion",
    "Edition",
    "FeedbackCommentEdit",
    "FeedbackRelease",
    "JudgeAssignment",
    "JudgingRound",
    "LiveSession",
    "LiveStage",
    "MailState",
    "OrgType",
    "Organisation",
    "OutboxMessage",
    "Phase",
    "PitchDay",
    "PitchSlot",
    "RateHit",
    "Role",
    "RoundAdvance",
    "Score",
    "ScoreSheet",
    "SheetState",
    "SlotKind",
    "StoredFile",
    "Submission",
    "SubmissionStatus",
    "TypedComment",
    "User",
    "WebSession",
    "WinnerDescription",
]
