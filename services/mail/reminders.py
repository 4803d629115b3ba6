"""The automatic reminder before the judging deadline: at the hours the organisers set (edition config
mail_reminder_hours, e.g. 72 and 24 hours before), each judge who still owes sheets is e-mailed once per mark.

Any worker may find a mark due; the first to commit wins. Its audit entry (entity_id "edition:hours:deadline") is
the marker others look for, and each message's Message-ID is made from the same key, so a second writer racing the
first fails on the outbox's unique index and writes nothing. A deadline that moves makes new marks."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import AuditEvent, Edition, Phase
from models.types import utcnow
from services.contest.edition_config import EditionConfig
from services.mail import messages
from services.mail.notify import JUDGE, judges_by_id
from services.mail.outbox import enqueue
from services.platform import audit
from services.platform.errors import ValidationFailed

log = logging.getLogger("ldaward.mail")
ACTION = "mail.deadline_reminder"
MAX_HOURS = 24 * 30


def set_hours(*, session: Session, edition_id: int, hours: list[int], actor: str) -> list[int]:
    """The organisers' marks, in hours before the deadline (none: no automatic reminder). Audited, committed."""
    from services.contest.editions import get_edition, update_edition

    if any(not 1 <= h <= MAX_HOURS for h in hours):
        raise ValidationFailed(
            "bad_hours", f"ระบุจำนวนชั่วโมงระหว่าง 1 ถึง {MAX_HOURS}", f"Give hours between 1 and {MAX_HOURS}."
        )
    marks = sorted(set(hours), reverse=True)
    config = get_edition(session=session, edition_id=edition_id).config
    update_edition(
        session=session,
        edition_id=edition_id,
        actor=actor,
        config=config.model_copy(update={"mail_reminder_hours": marks}),
    )
    return marks


def due_mark(deadline: datetime, marks: list[int], now: datetime) -> int | None:
    """The mark whose window holds now: the smallest h with deadline - h <= now < deadline (a deadline set late
    sends one reminder, not every mark at once)."""
    if now >= deadline:
        return None
    inside = [h for h in marks if deadline - timedelta(hours=h) <= now]
    return min(inside) if inside else None


def send_due(*, session: Session, now: datetime | None = None) -> int:
    """Queue the reminders whose mark has come, once each; returns how many were queued. Commits."""
    now = now or utcnow()
    queued = 0
    for edition in session.exec(select(Edition).where(col(Edition.phase) != Phase.announced)).all():
        config = EditionConfig.model_validate(edition.config or {})
        deadline = config.judging_deadline
        mark = due_mark(deadline, config.mail_reminder_hours, now) if deadline else None
        if deadline is None or mark is None:
            continue
        key = f"{edition.id}:{mark}:{deadline:%Y%m%d%H%M}"
        if session.exec(
            select(AuditEvent.id).where(
                AuditEvent.action == ACTION, AuditEvent.entity == "edition", AuditEvent.entity_id == key
            )
        ).first():
            continue
        try:
            count = _write_mark(session, edition, key, mark, deadline)
        except IntegrityError:  # another worker wrote this mark's messages first
            session.rollback()
            continue
        queued += count
    session.commit()  # nothing left open: on SQLite the read above holds the write lock
    return queued


def _write_mark(session: Session, edition: Edition, key: str, mark: int, deadline: datetime) -> int:
    from services.judging.completeness import edition_completeness  # it reaches back to the event sites

    state = edition_completeness(session=session, edition_id=edition.id or 0)
    owed = {j.judge_id: len(j.owed) for j in state.judges if j.owed}
    count = 0
    for judge in judges_by_id(session, owed):
        message = messages.judge_reminder(name=judge.display_name, owed=owed[judge.id or 0], deadline=deadline)
        count += (
            enqueue(
                session=session,
                kind="judge_deadline",
                to=judge.email,
                role=JUDGE,
                message=message,
                entity="user",
                entity_id=judge.id,
                key=f"deadline-{key.replace(':', '-')}-{judge.id}",
            )
            is not None
        )
    audit.record(
        session=session,
        actor="system",
        action=ACTION,
        entity="edition",
        entity_id=key,
        after={"hours_before": mark, "judges": count},
    )
    session.commit()
    return count
