"""The organisers' broadcast: one message to a filtered list (coordinators of sent or of accepted works, judges
with sheets owed, every judge), previewed before it is queued. The list is read at send time, never shown in full:
the preview gives a count and a few masked addresses."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from models import Role, Submission, SubmissionStatus, User
from services.mail import messages
from services.mail.outbox import enqueue, mask, valid_address
from services.platform import audit
from services.platform.errors import ValidationFailed

MAX_BODY = 5000


class Audience(StrEnum):
    coordinators_sent = "coordinators_sent"
    coordinators_accepted = "coordinators_accepted"
    judges_owing = "judges_owing"
    judges_all = "judges_all"


@dataclass(frozen=True)
class Draft:
    audience: Audience
    subject_th: str
    subject_en: str
    body_th: str
    body_en: str


@dataclass(frozen=True)
class Preview:
    recipients: int
    sample: tuple[str, ...]  # a few addresses, masked
    message: messages.Rendered


def _recipients(session: Session, edition_id: int, audience: Audience) -> list[tuple[str, str]]:
    """(address, role) pairs, each address once, in a stable order; unusable addresses left out."""
    if audience in (Audience.coordinators_sent, Audience.coordinators_accepted):
        wanted = (
            (SubmissionStatus.accepted,)
            if audience == Audience.coordinators_accepted
            else (SubmissionStatus.submitted, SubmissionStatus.accepted, SubmissionStatus.rejected)
        )
        found = [
            (e, "coordinator")
            for e in session.exec(
                select(Submission.coordinator_email)
                .where(Submission.edition_id == edition_id, col(Submission.status).in_(wanted))
                .order_by(col(Submission.id))
            )
        ]
    else:
        judges = list(
            session.exec(select(User).where(User.role == Role.judge, col(User.active)).order_by(col(User.id)))
        )
        if audience == Audience.judges_owing:
            from services.judging.completeness import edition_completeness

            owing = {j.judge_id for j in edition_completeness(session=session, edition_id=edition_id).judges if j.owed}
            judges = [j for j in judges if j.id in owing]
        found = [(j.email, "judge") for j in judges]
    out: dict[str, str] = {}
    for address, role in found:
        key = address.strip().lower()
        if valid_address(key) and key not in out:
            out[key] = role
    return list(out.items())


def _message(draft: Draft) -> messages.Rendered:
    if not draft.subject_th.strip() or not draft.body_th.strip():
        raise ValidationFailed(
            "broadcast_empty", "กรุณากรอกหัวเรื่องและข้อความภาษาไทย", "Give the subject and the message in Thai."
        )
    th = [messages.value(line, MAX_BODY) for line in draft.body_th[:MAX_BODY].splitlines()]
    en = [messages.value(line, MAX_BODY) for line in draft.body_en[:MAX_BODY].splitlines()]
    return messages.compose(
        messages.value(draft.subject_th, 120), messages.value(draft.subject_en or draft.subject_th, 120), th, en
    )


def preview(*, session: Session, edition_id: int, draft: Draft) -> Preview:
    recipients = _recipients(session, edition_id, draft.audience)
    return Preview(len(recipients), tuple(mask(a) for a, _ in recipients[:5]), _message(draft))


def send(*, session: Session, edition_id: int, draft: Draft, actor: str) -> int:
    """Queue the message once per recipient, with an audit entry (audience, count, subject; no addresses).
    Commits; returns how many were queued."""
    message = _message(draft)
    queued = 0
    for address, role in _recipients(session, edition_id, draft.audience):
        queued += (
            enqueue(
                session=session,
                kind="broadcast",
                to=address,
                role=role,
                message=message,
                entity="edition",
                entity_id=edition_id,
            )
            is not None
        )
    audit.record(
        session=session,
        actor=actor,
        action="mail.broadcast",
        entity="edition",
        entity_id=edition_id,
        after={"audience": draft.audience.value, "recipients": queued, "subject": message.subject},
    )
    session.commit()
    return queued
