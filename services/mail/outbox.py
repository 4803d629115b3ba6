"""The outbox: messages written in the caller's transaction, claimed by workers under a lease, and what organisers
see of them (state, masked recipient, the server's last answer) with a resend for failed ones."""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, or_, select

from models import MailState, OutboxMessage
from models.types import utcnow
from services.mail.messages import Rendered
from services.mail.smtp import Attachment
from services.platform import audit
from services.platform.errors import NotFound, ValidationFailed
from services.platform.safe_text import clean

# A worker that dies mid-send leaves its messages to others once the lease ends; longer than an SMTP timeout (30 s)
# times a batch, so a slow but living worker keeps what it holds.
LEASE = timedelta(minutes=5)
_ADDRESS = re.compile(r"^[^@\s<>\"(),;:\\]+@[^@\s<>\"(),;:\\]+\.[^@\s<>\"(),;:\\]{2,}$")
MAX_ADDRESS = 200
# Kinds whose body holds an edit link (a bearer key to the applicant's draft).
SECRET_KINDS = frozenset({"receipt", "edit_link"})


def valid_address(address: str) -> bool:
    """One plain address, nothing a header could be bent with (no display name, list, comment or line break)."""
    return len(address) <= MAX_ADDRESS and bool(_ADDRESS.match(address))


def backoff(attempts: int) -> timedelta:
    """Wait before try number attempts+1: 1, 2, 4 ... minutes, at most 2 hours (a server down for the night is
    retried every two hours, not hammered)."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 120))


def enqueue(
    *,
    session: Session,
    kind: str,
    to: str,
    role: str,
    message: Rendered,
    entity: str = "",
    entity_id: object = "",
    attachments: Sequence[Attachment] = (),
    key: str = "",
) -> int | None:
    """Add a message to the session's transaction (the caller commits it with the event, or rolls both back).
    An empty or unusable address queues nothing and returns None: the event itself must not fail for it.
    key: makes the Message-ID, so a second writer of the same message fails on its unique index (the automatic
    reminders, which any worker may decide to write)."""
    address = clean(to, multiline=False).strip()
    if not valid_address(address):
        return None
    row = OutboxMessage(
        kind=kind,
        recipient=address,
        recipient_role=role,
        subject=message.subject[:300],
        body_text=message.text,
        body_html=message.html,
        message_id=f"<{key or secrets.token_hex(16)}@ldaward>",
        entity=entity,
        entity_id=str(entity_id),
        attachments=[
            {"filename": a.filename, "media_type": a.media_type, "content_b64": base64.b64encode(a.content).decode()}
            for a in attachments
        ],
    )
    session.add(row)
    session.flush()
    return row.id


def attachments_of(row: OutboxMessage) -> list[Attachment]:
    return [Attachment(a["filename"], a["media_type"], base64.b64decode(a["content_b64"])) for a in row.attachments]


def _due(now: datetime):  # type: ignore[no-untyped-def]
    return or_(
        (col(OutboxMessage.state) == MailState.queued) & (col(OutboxMessage.next_attempt_at) <= now),
        (col(OutboxMessage.state) == MailState.sending) & (col(OutboxMessage.lease_until) < now),
    )


def claim(*, session: Session, worker: str, limit: int = 20, now: datetime | None = None) -> list[int]:
    """Take up to `limit` due messages (queued and due, or sending with an expired lease) for this worker, and
    COMMIT, so other workers see the lease. One statement: on PostgreSQL the candidates are locked with FOR UPDATE
    SKIP LOCKED, so two workers claiming together get disjoint sets without waiting on each other; SQLite runs
    writers one at a time (BEGIN IMMEDIATE), so the same conditional UPDATE is a claim there too."""
    now = now or utcnow()
    candidates = (
        select(OutboxMessage.id)
        .where(_due(now))
        .order_by(col(OutboxMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    result = session.connection().execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(candidates.scalar_subquery()), _due(now))
        .values(
            state=MailState.sending,
            lease_owner=worker,
            lease_until=now + LEASE,
            attempts=col(OutboxMessage.attempts) + 1,
        )
        .returning(col(OutboxMessage.id))
    )
    ids = sorted(int(i) for i in result.scalars() if i is not None)
    session.commit()
    return ids


def _fresh(session: Session, message_id: int) -> OutboxMessage | None:
    """The row as the database has it now (claims and settles are plain UPDATEs the session does not track)."""
    return session.get(OutboxMessage, message_id, populate_existing=True)


def _settle(session: Session, message_id: int, worker: str, **values: object) -> bool:
    """Write a claimed message's outcome, only while this worker still holds it (a lease that ran out may have
    passed it to another worker, whose outcome then stands)."""
    result = session.connection().execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id) == message_id,
            col(OutboxMessage.lease_owner) == worker,
            col(OutboxMessage.state) == MailState.sending,
        )
        .values(lease_owner="", lease_until=None, **values)
    )
    return bool(result.rowcount)


def mark_sent(*, session: Session, message_id: int, worker: str, answer: str, now: datetime | None = None) -> None:
    row = _fresh(session, message_id)
    # A message carrying an edit link is a key to someone's draft: once delivered, the copy here (and in every
    # backup made from now on) goes; subject, state and answer stay for the outbox page.
    scrub = {"body_text": "", "body_html": ""} if row is not None and row.kind in SECRET_KINDS else {}
    if row is None or not _settle(
        session, message_id, worker, state=MailState.sent, sent_at=now or utcnow(), last_answer=answer[:500], **scrub
    ):
        session.rollback()
        return
    # PDPA: the trail names the kind, the message and whom it went to by role, never the address or the body.
    audit.record(
        session=session,
        actor="system",
        action="mail.sent",
        entity="mail",
        entity_id=message_id,
        after={
            "kind": row.kind,
            "message_id": row.message_id,
            "recipient_role": row.recipient_role,
            "attempts": row.attempts,
        },
    )
    session.commit()


def mark_unsent(
    *,
    session: Session,
    message_id: int,
    worker: str,
    answer: str,
    permanent: bool,
    max_attempts: int,
    now: datetime | None = None,
) -> MailState:
    """A try failed: back to the queue with back-off, or failed for good (a permanent refusal, or out of tries)."""
    now = now or utcnow()
    row = _fresh(session, message_id)
    if row is None:
        return MailState.failed
    give_up = permanent or row.attempts >= max_attempts
    state = MailState.failed if give_up else MailState.queued
    if not _settle(
        session, message_id, worker, state=state, last_answer=answer[:500], next_attempt_at=now + backoff(row.attempts)
    ):
        session.rollback()
        return MailState(row.state)
    if give_up:
        audit.record(
            session=session,
            actor="system",
            action="mail.failed",
            entity="mail",
            entity_id=message_id,
            after={
                "kind": row.kind,
                "message_id": row.message_id,
                "recipient_role": row.recipient_role,
                "attempts": row.attempts,
            },
        )
    session.commit()
    return state


def resend(*, session: Session, message_id: int, actor: str, now: datetime | None = None) -> None:
    """An organiser puts a failed message back in the queue, due now, with a fresh count of tries. Audited."""
    row = session.get(OutboxMessage, message_id)
    if row is None:
        raise NotFound("no_message", "ไม่พบข้อความนี้ในกล่องจดหมายออก", "No such message in the outbox.")
    if row.state != MailState.failed:
        raise ValidationFailed("not_failed", "ส่งซ้ำได้เฉพาะข้อความที่ส่งไม่สำเร็จ", "Only a failed message can be resent.")
    before = {"state": row.state, "attempts": row.attempts}
    row.state, row.attempts, row.next_attempt_at = MailState.queued, 0, now or utcnow()
    session.add(row)
    audit.record(
        session=session,
        actor=actor,
        action="mail.resend",
        entity="mail",
        entity_id=message_id,
        before=before,
        after={"kind": row.kind, "message_id": row.message_id, "state": MailState.queued},
    )
    session.commit()


def mask(address: str) -> str:
    """Enough of an address to tell messages apart on screen: 'so***@example.go.th'."""
    local, _, domain = address.partition("@")
    return f"{local[:2]}***@{domain}" if domain else "***"


@dataclass(frozen=True)
class OutboxRow:
    """A message as organisers see it: the address masked, no body."""

    id: int
    kind: str
    recipient: str
    recipient_role: str
    subject: str
    state: MailState
    attempts: int
    last_answer: str
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None


def messages(*, session: Session, state: MailState | None = None, limit: int = 200) -> list[OutboxRow]:
    stmt = select(OutboxMessage).order_by(col(OutboxMessage.id).desc()).limit(limit)
    if state is not None:
        stmt = stmt.where(OutboxMessage.state == state)
    return [
        OutboxRow(
            m.id or 0,
            m.kind,
            mask(m.recipient),
            m.recipient_role,
            m.subject,
            MailState(m.state),
            m.attempts,
            m.last_answer,
            m.created_at,
            m.next_attempt_at,
            m.sent_at,
        )
        for m in session.exec(stmt)
    ]


def counts(*, session: Session) -> dict[MailState, int]:
    found = dict(
        session.exec(select(OutboxMessage.state, func.count(col(OutboxMessage.id))).group_by(OutboxMessage.state)).all()
    )
    return {s: int(found.get(s, 0)) for s in MailState}


@dataclass(frozen=True)
class MailSetup:
    """Whether mail can go out, for the organisers' page: where to (never the password), or why not."""

    configured: bool
    server: str
    problem: str


def setup() -> MailSetup:
    from services.mail.smtp import configured

    try:
        config = configured()
    except ValueError as e:
        return MailSetup(False, "", str(e))
    return MailSetup(config is not None, config.display if config else "", "")
