"""The events that send mail: each function reads what its message needs and queues it in the caller's
transaction (the event's own commit sends it; its rollback sends nothing). Event sites call one of these in one
line. PDPA: coordinators' and judges' addresses are read here and in the worker only."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Collection, Iterable
from dataclasses import replace
from datetime import timedelta

from sqlmodel import Session, col, select

from models import (
    Attachment,
    AwardResult,
    Edition,
    Organisation,
    Phase,
    Role,
    Submission,
    SubmissionStatus,
    User,
)
from services.contest.edition_config import load_config
from services.intake import eligibility
from services.mail import messages
from services.mail.outbox import enqueue
from services.mail.smtp import Attachment as SmtpAttachment
from services.platform import audit, ratelimit
from services.platform.settings import get_settings

COORDINATOR, JUDGE = "coordinator", "judge"
EDIT_LINK_MAIL = "edit_link_mail"


def _organisation(session: Session, sub: Submission) -> str:
    org = session.get(Organisation, sub.organisation_id)
    return org.full_name if org else ""


def _to_coordinator(session: Session, sub: Submission, kind: str, message: messages.Rendered) -> int | None:
    return enqueue(
        session=session,
        kind=kind,
        to=sub.coordinator_email,
        role=COORDINATOR,
        message=message,
        entity="submission",
        entity_id=sub.id,
    )


def submission_sent(*, session: Session, submission: Submission, token: str) -> int | None:
    """The receipt, when a draft is first sent. The edit token is in hand only now (the database keeps its hash),
    so this is the one moment the receipt can carry a working edit link."""
    sub = submission
    files = session.exec(
        select(Attachment.original_name, Attachment.sha256)
        .where(Attachment.submission_id == sub.id)
        .order_by(col(Attachment.kind))
    ).all()
    message = messages.receipt(
        receipt_code=sub.receipt_code,
        organisation=_organisation(session, sub),
        title=sub.title,
        sent_at=sub.submitted_at or sub.updated_at,
        link=messages.edit_link(sub.receipt_code, token),
        files=[(name, sha) for name, sha in files],
    )
    return _to_coordinator(session, sub, "receipt", message)


def edit_link_limits() -> tuple[ratelimit.Limit, ratelimit.Limit]:
    """Per client, and per submission (so many clients together cannot flood one coordinator's mailbox)."""
    s = get_settings()
    window = timedelta(minutes=s.rate_edit_link_minutes)
    return (
        ratelimit.Limit(EDIT_LINK_MAIL, s.rate_edit_link_mails, window),
        ratelimit.Limit(EDIT_LINK_MAIL + "_receipt", s.rate_edit_link_mails, window),
    )


def request_edit_link(*, session: Session, receipt_code: str, email: str, client: str) -> None:
    """ "Send my edit link again": when the receipt code and the coordinator's address on file both match, a NEW
    edit token replaces the old one and its link is mailed to that address. Commits.

    Why a new token: only the token's hash is stored (a copy of the database must not open anyone's draft), so
    the old one cannot be sent; replacing it also shuts a link that leaked. Asking takes both the receipt code and
    the address, so a stranger holding a receipt code alone cannot keep cancelling someone's link.

    The answer is the same whether or not anything matched (nothing tells which receipt codes or addresses exist).
    Every request counts against the client's limit, which raises RateLimited. The per-submission limit counts only
    matching requests and, when full, quietly sends nothing: raising there would tell a prober that the address
    matched, and counting non-matching ones would let anyone with a receipt code block its owner's requests."""
    code = messages.value(receipt_code, 40).upper()
    given = messages.value(email, 200).lower()
    per_client, per_receipt = edit_link_limits()
    ratelimit.hit(
        session=session,
        limit=per_client,
        subject=ratelimit.subject_of(session=session, bucket=per_client.bucket, client=client),
    )
    sub = session.exec(select(Submission).where(Submission.receipt_code == code)).first()
    on_file = (sub.coordinator_email.strip().lower() if sub else "") or "\x00"
    if sub is not None and hmac.compare_digest(on_file.encode(), given.encode()):
        _send_new_edit_link(session, sub, per_receipt)
    session.commit()


def _send_new_edit_link(session: Session, sub: Submission, limit: ratelimit.Limit) -> None:
    from services.intake import access  # intake calls this package at its events; imported here to keep one way

    subject = ratelimit.subject_of(session=session, bucket=limit.bucket, client=sub.receipt_code)
    try:
        ratelimit.hit(session=session, limit=limit, subject=subject)
    except ratelimit.RateLimited:
        return
    token = secrets.token_urlsafe(24)
    sub.edit_token_hash = access.hash_token(token)
    session.add(sub)
    audit.record(
        session=session,
        actor=f"applicant:{sub.receipt_code}",
        action="submission.edit_link_resent",
        entity="submission",
        entity_id=sub.id,
    )
    _to_coordinator(
        session,
        sub,
        "edit_link",
        messages.edit_link_again(
            receipt_code=sub.receipt_code, title=sub.title, link=messages.edit_link(sub.receipt_code, token)
        ),
    )


def status_changed(*, session: Session, submission: Submission, reason: str, previous: str) -> int | None:
    """Screening decided: accepted; not accepted (the reason and the call's rules it fails); or back to the
    applicant for fixes (status submitted or draft again, with what to fix). A decision that changes nothing
    (accepted twice) sends nothing."""
    sub = submission
    if previous == sub.status and not (sub.status in (SubmissionStatus.submitted, SubmissionStatus.draft) and reason):
        return None
    org = _organisation(session, sub)
    if sub.status == SubmissionStatus.accepted:
        message = messages.accepted(receipt_code=sub.receipt_code, title=sub.title, organisation=org)
        kind = "accepted"
    elif sub.status == SubmissionStatus.rejected:
        edition = session.get(Edition, sub.edition_id)
        org_row = session.get(Organisation, sub.organisation_id)
        rules = (
            []
            if edition is None
            else [
                (r.message_th, r.message_en)
                for r in eligibility.assess(
                    org_type=str(org_row.org_type) if org_row else None,
                    golive_date=sub.golive_date,
                    golive_cutoff=edition.golive_cutoff,
                    digital_declared=sub.digital_declared,
                    confirmed_by=sub.eligibility_confirmed_by,
                ).reasons
                if r.blocking
            ]
        )
        message = messages.ineligible(
            receipt_code=sub.receipt_code, title=sub.title, organisation=org, reason=reason, rule_reasons=rules
        )
        kind = "ineligible"
    elif sub.status in (SubmissionStatus.submitted, SubmissionStatus.draft):
        from services.intake import access

        edition = session.get(Edition, sub.edition_id)
        if edition is None:
            return None
        message = messages.returned(
            receipt_code=sub.receipt_code, title=sub.title, reason=reason, deadline=access.deadline_of(edition, sub)
        )
        kind = "returned"
    else:
        return None
    return _to_coordinator(session, sub, kind, message)


def extension_granted(*, session: Session, submission: Submission) -> int | None:
    sub = submission
    if sub.deadline_extended_until is None:
        return None  # an extension withdrawn is not news to send
    return _to_coordinator(
        session,
        sub,
        "extension",
        messages.extension(receipt_code=sub.receipt_code, title=sub.title, until=sub.deadline_extended_until),
    )


def results_announced(*, session: Session, edition_id: int) -> int:
    """To every entrant (each sent submission's coordinator) when the results are announced; returns how many."""
    edition = session.get(Edition, edition_id)
    if edition is None or edition.phase == Phase.announced:
        return 0  # announcing again (after a reopen) does not mail everyone twice
    from services.results.awards import parse_plan  # awards calls this module when it announces

    plan = {lv.code: (lv.name_th, lv.name_en) for lv in parse_plan(edition.award_plan).levels}
    awarded = {
        a.submission_id: a.level for a in session.exec(select(AwardResult).where(AwardResult.edition_id == edition_id))
    }
    queued = 0
    for sub in session.exec(
        select(Submission).where(
            Submission.edition_id == edition_id,
            col(Submission.status).in_(
                (SubmissionStatus.submitted, SubmissionStatus.accepted, SubmissionStatus.rejected)
            ),
        )
    ):
        level = awarded.get(sub.id or 0)
        award = (plan.get(level) or (level, level)) if level else None
        message = messages.results_announced(
            edition_name=edition.name, receipt_code=sub.receipt_code, title=sub.title, award=award
        )
        queued += _to_coordinator(session, sub, "results", message) is not None
    return queued


def feedback_released(*, session: Session, edition_id: int, submission_ids: Collection[int]) -> int:
    """To each entrant whose feedback report was just released; returns how many were queued."""
    edition = session.get(Edition, edition_id)
    if edition is None or not submission_ids:
        return 0
    queued = 0
    for sub in session.exec(select(Submission).where(col(Submission.id).in_(submission_ids))):
        message = messages.feedback_released(edition_name=edition.name, receipt_code=sub.receipt_code, title=sub.title)
        queued += _to_coordinator(session, sub, "feedback", message) is not None
    return queued


def not_advanced(*, session: Session, edition_id: int, round_name: str, submission_ids: Collection[int]) -> int:
    """To each entrant whose work a frozen round did not advance; returns how many were queued."""
    edition = session.get(Edition, edition_id)
    if edition is None or not submission_ids:
        return 0
    queued = 0
    for sub in session.exec(select(Submission).where(col(Submission.id).in_(submission_ids))):
        message = messages.not_advanced(
            edition_name=edition.name, round_name=round_name, receipt_code=sub.receipt_code, title=sub.title
        )
        queued += _to_coordinator(session, sub, "not_advanced", message) is not None
    return queued


def judges_by_id(session: Session, judge_ids: Iterable[int]) -> list[User]:
    """The active judges among judge_ids (an address is read from each by the caller)."""
    return list(
        session.exec(select(User).where(col(User.id).in_(list(judge_ids)), User.role == Role.judge, col(User.active)))
    )


def judges_assigned(*, session: Session, edition_id: int, added: Iterable[tuple[int, int]]) -> int:
    """Each judge with newly assigned works (judge id, submission id pairs) hears which; returns how many."""
    by_judge: dict[int, list[int]] = {}
    for judge_id, submission_id in added:
        by_judge.setdefault(judge_id, []).append(submission_id)
    if not by_judge:
        return 0
    edition = session.get(Edition, edition_id)
    deadline = load_config(edition.config).judging_deadline if edition else None
    titles = dict(
        session.exec(
            select(Submission.id, Submission.title).where(
                col(Submission.id).in_({s for subs in by_judge.values() for s in subs})
            )
        ).all()
    )
    queued = 0
    for judge in judges_by_id(session, by_judge):
        message = messages.judge_assigned(
            name=judge.display_name,
            deadline=deadline,
            titles=[titles.get(s, "") for s in sorted(by_judge[judge.id or 0])],
        )
        queued += (
            enqueue(
                session=session,
                kind="judge_assigned",
                to=judge.email,
                role=JUDGE,
                message=message,
                entity="user",
                entity_id=judge.id,
            )
            is not None
        )
    return queued


def judges_reminded(*, session: Session, judge_ids: Iterable[int], edition_id: int | None) -> int:
    """The organiser's "remind" from the completeness desk: each judge hears how many sheets they still owe."""
    if edition_id is None:
        return 0
    from services.judging.completeness import edition_completeness

    state = edition_completeness(session=session, edition_id=edition_id)
    owed = {j.judge_id: len(j.owed) for j in state.judges}
    queued = 0
    for judge in judges_by_id(session, judge_ids):
        if owed.get(judge.id or 0):
            message = messages.judge_reminder(
                name=judge.display_name, owed=owed[judge.id or 0], deadline=state.deadline
            )
            queued += (
                enqueue(
                    session=session,
                    kind="judge_reminder",
                    to=judge.email,
                    role=JUDGE,
                    message=message,
                    entity="user",
                    entity_id=judge.id,
                )
                is not None
            )
    return queued


def pitching_slots(
    *,
    session: Session,
    edition_id: int,
    day_id: int | None = None,
    slot_ids: Collection[int] | None = None,
    changed: bool = False,
) -> int:
    """Each coordinator whose presentation slot is on a published day (that day, or those slots) hears its time,
    with an .ics; `changed` after a move or swap. Slots of unpublished days send nothing. Returns how many."""
    from services.pitching import schedule  # schedule calls this module at its events

    queued = 0
    for day in schedule.schedule(session=session, edition_id=edition_id):
        if day.published_at is None or (day_id is not None and day.id != day_id):
            continue
        for slot in day.pitches:
            if slot_ids is not None and slot.id not in slot_ids:
                continue
            assert slot.work is not None
            sub = session.get(Submission, slot.work.submission_id)
            if sub is None:
                continue
            ics = schedule.to_ics([replace(day, slots=(slot,))], calendar_name="รางวัลท้องถิ่นดิจิทัล")
            message = messages.pitching_slot(
                receipt_code=sub.receipt_code,
                title=sub.title,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                presentation_minutes=slot.presentation_minutes,
                qa_minutes=slot.qa_minutes,
                room=slot.room,
                meeting_url=slot.meeting_url,
                changed=changed,
            )
            queued += (
                enqueue(
                    session=session,
                    kind="pitching_moved" if changed else "pitching_slot",
                    to=sub.coordinator_email,
                    role=COORDINATOR,
                    message=message,
                    entity="submission",
                    entity_id=sub.id,
                    attachments=[SmtpAttachment("ldaward-pitching.ics", "text/calendar", ics.encode())],
                )
                is not None
            )
    return queued
