"""Who may edit a submission until when: the deadline, receipt and access codes, the organisation."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlmodel import Session, select

from models import (
    Edition,
    Organisation,
    OrgType,
    Submission,
)
from services.intake.records import EDITABLE_STATUSES, Access, OrganisationStep
from services.intake.validation import compose_names
from services.platform.clock import contest_now
from services.platform.errors import Forbidden, NotFound, ValidationFailed
from services.thai import geo
from services.thai.dates import format_thai_datetime

_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread over the phone


# --- deadline ------------------------------------------------------------------------------------------------------


def intake_open(edition: Edition, now: datetime) -> bool:
    return edition.intake_opens_at <= now <= edition.intake_closes_at


def deadline_of(edition: Edition, sub: Submission | None = None) -> datetime:
    """When intake closes for this submission: the edition's close, or the organisers' later extension."""
    closes = edition.intake_closes_at
    if sub is not None and sub.deadline_extended_until is not None and sub.deadline_extended_until > closes:
        return sub.deadline_extended_until
    return closes


def _check_open(edition: Edition, sub: Submission | None, now: datetime) -> None:
    if now < edition.intake_opens_at:
        raise ValidationFailed(
            "intake_not_open",
            f"{edition.name} ยังไม่เปิดรับสมัคร เปิดรับตั้งแต่ {format_thai_datetime(edition.intake_opens_at)}",
            f"Intake for this edition has not opened yet; it opens {edition.intake_opens_at:%Y-%m-%d %H:%M} UTC.",
        )
    deadline = deadline_of(edition, sub)
    if now > deadline:
        extended = sub is not None and deadline != edition.intake_closes_at
        raise ValidationFailed(
            "intake_closed",
            f"ขณะนี้ไม่อยู่ในช่วงรับสมัคร ({edition.name} รับสมัคร{'และแก้ไขผลงานนี้' if extended else ''}ถึง "
            f"{format_thai_datetime(deadline)}) จึงส่งหรือแก้ไขผลงานไม่ได้ กรุณาติดต่อผู้จัดงาน โทร 02-612-6060",
            f"Intake is closed (it closed {deadline:%Y-%m-%d %H:%M} UTC), so nothing can be sent or changed. "
            "Please contact the organisers, tel. 02-612-6060.",
        )


def ensure_open(*, session: Session, edition_id: int, now: datetime | None = None) -> None:
    """Raise the deadline message when the edition takes no new submissions now."""
    _check_open(edition_of(session, edition_id), None, now or contest_now())


# --- receipts and access -------------------------------------------------------------------------------------------


def new_receipt_code(year_be: int) -> str:
    body = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(8))
    return f"LDA{year_be % 100:02d}-{body[:4]}-{body[4:]}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_codes(session: Session, edition: Edition) -> tuple[str, str]:
    code = new_receipt_code(edition.year_be)
    while session.exec(select(Submission.id).where(Submission.receipt_code == code)).first():
        code = new_receipt_code(edition.year_be)
    return code, secrets.token_urlsafe(24)


def _bad_access() -> Forbidden:
    return Forbidden(
        "bad_access",
        "เลขที่ใบรับหรือรหัสแก้ไขไม่ถูกต้อง กรุณาตรวจสอบลิงก์หรือรหัสที่ได้รับเมื่อบันทึกครั้งแรก",
        "The receipt code or edit code is wrong. Check the link or codes you were given.",
    )


def _authorised(session: Session, access: Access) -> Submission:
    code = access.receipt_code.strip().upper()
    sub = session.exec(select(Submission).where(Submission.receipt_code == code)).first()
    # Compare digests in constant time; a submission without a token (demo, re-keyed) can never be opened.
    if (
        sub is None
        or not sub.edit_token_hash
        or not hmac.compare_digest(sub.edit_token_hash, hash_token(access.edit_token.strip()))
    ):
        raise _bad_access()
    return sub


def edition_of(session: Session, edition_id: int) -> Edition:
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFound.edition()
    return edition


def _for_edit(session: Session, access: Access, now: datetime) -> tuple[Submission, Edition]:
    sub = _authorised(session, access)
    edition = edition_of(session, sub.edition_id)
    if sub.status not in EDITABLE_STATUSES:
        raise ValidationFailed(
            "already_screened",
            "ผู้จัดงานตรวจผลงานนี้แล้ว จึงแก้ไขไม่ได้ หากต้องการแก้ไขกรุณาติดต่อผู้จัดงาน โทร 02-612-6060",
            "The organisers have already screened this submission, so it cannot be changed. Please contact them.",
        )
    _check_open(edition, sub, now)
    return sub, edition


# --- organisations -------------------------------------------------------------------------------------------------


def find_or_create_organisation(
    *,
    session: Session,
    org_type: OrgType,
    name: str,
    province: str,
    district: str = "",
    subdistrict: str = "",
    short_name: str | None = None,
    full_name: str | None = None,
) -> Organisation:
    full, short = compose_names(org_type, name)
    place = short[len(org_type.value) :] if org_type != OrgType.special else short
    known = geo.province_by_name(province)
    province = known.name_th if known else province
    org = session.exec(
        select(Organisation).where(
            Organisation.org_type == org_type, Organisation.name == place, Organisation.province == province
        )
    ).first()
    if org is None:
        org = Organisation(
            org_type=org_type,
            name=place,
            full_name=full_name or full,
            short_name=short_name or short,
            province=province,
            district=district.strip(),
            subdistrict=subdistrict.strip(),
        )
        session.add(org)
        session.flush()
    elif (district.strip() and not org.district) or (subdistrict.strip() and not org.subdistrict):
        # Fill in what is missing; an applicant never overwrites what another submission already said.
        org.district = org.district or district.strip()
        org.subdistrict = org.subdistrict or subdistrict.strip()
        session.add(org)
    return org


def _organisation_of(session: Session, step: OrganisationStep) -> Organisation:
    return find_or_create_organisation(
        session=session,
        org_type=OrgType(step.org_type),
        name=step.org_name,
        province=step.province,
        district=step.district,
        subdistrict=step.subdistrict,
    )
