"""Rate limits for anonymous actions (new submission drafts, edit-code tries, file uploads): sliding windows counted
in the database, so every app replica shares them. Subjects are salted SHA-256 digests; a raw IP address is never
stored."""

from __future__ import annotations

import hashlib
import ipaddress
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.types import utcnow
from models.web import AppSecret, RateHit
from services.platform.errors import DomainError
from services.platform.settings import get_settings

SALT_NAME = "ratelimit_salt"
NEW_DRAFT = "submit_new_draft"
EDIT_CODE_FAILURE = "edit_code_failure"
SIGNIN_FAILURE = "signin_failure"
UPLOAD = "submit_upload"


class RateLimited(DomainError):
    """Too many actions from one subject in the window; retry_after says how long until the oldest one expires."""

    retry_after: timedelta = timedelta(0)


@dataclass(frozen=True)
class Limit:
    bucket: str
    limit: int
    window: timedelta


def new_draft_limit() -> Limit:
    s = get_settings()
    return Limit(NEW_DRAFT, s.rate_new_drafts, timedelta(minutes=s.rate_new_drafts_minutes))


def edit_code_limit() -> Limit:
    s = get_settings()
    return Limit(EDIT_CODE_FAILURE, s.rate_edit_code_failures, timedelta(minutes=s.rate_edit_code_minutes))


def signin_limit() -> Limit:
    s = get_settings()
    return Limit(SIGNIN_FAILURE, s.rate_signin_failures, timedelta(minutes=s.rate_signin_minutes))


def upload_limit() -> Limit:
    s = get_settings()
    return Limit(UPLOAD, s.rate_uploads, timedelta(minutes=s.rate_uploads_minutes))


def rate_limited(retry_after: timedelta) -> RateLimited:
    minutes = max(1, math.ceil(retry_after.total_seconds() / 60))
    error = RateLimited(
        "rate_limited",
        f"ส่งคำขอบ่อยเกินไป กรุณารอประมาณ {minutes} นาทีแล้วลองใหม่ ข้อมูลที่บันทึกไว้แล้วไม่สูญหาย",
        f"Too many requests. Please wait about {minutes} minute{'s' if minutes > 1 else ''} and try again. "
        "Nothing already saved is lost.",
    )
    error.retry_after = retry_after
    return error


def _salt(session: Session) -> str:
    """A random salt made once and kept in the database (shared by replicas), so digests of the small IPv4 space
    cannot be reversed by someone holding only the rate_hit table."""
    row = session.get(AppSecret, SALT_NAME)
    if row is not None:
        return row.value
    value = secrets.token_hex(32)
    try:
        with session.begin_nested():  # another replica may make it at the same moment
            session.add(AppSecret(name=SALT_NAME, value=value))
    except IntegrityError:
        row = session.get(AppSecret, SALT_NAME)
        assert row is not None
        return row.value
    return value


def _networks(trusted: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for item in trusted.split(","):
        if item.strip():
            try:
                networks.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError:
                raise ValueError(f"LDAWARD_TRUSTED_PROXIES: {item.strip()!r} is not an address or a network") from None
    return networks


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(*, peer: str | None, forwarded_for: str | None, trusted: str) -> str | None:
    """The address to count a client by. peer is the connection's address (Streamlit reports none for a loopback
    connection); when it is a trusted proxy, the client is the rightmost X-Forwarded-For hop that is not one (proxies
    append, so hops left of an untrusted one may be forged). None when there is no address to go by."""
    networks = _networks(trusted)
    hop = _address(peer) if peer else ipaddress.ip_address("127.0.0.1")
    if not networks or hop is None or not any(hop in n for n in networks):
        return peer
    for text in reversed((forwarded_for or "").split(",")):
        found = _address(text)
        if found is None:
            return peer  # a malformed hop: nothing left of it can be trusted
        if not any(found in n for n in networks):
            return str(found)
    return peer


def subject_of(*, session: Session, bucket: str, client: str) -> str:
    """The stored subject for a client (an IP address, or a browser-session id when there is none)."""
    return hashlib.sha256(f"{_salt(session)}\x1f{bucket}\x1f{client}".encode()).hexdigest()


def _window_hits(session: Session, limit: Limit, subject: str, now: datetime) -> tuple[int, datetime | None]:
    count, oldest = session.exec(
        select(func.count(col(RateHit.id)), func.min(RateHit.at)).where(
            RateHit.bucket == limit.bucket, RateHit.subject == subject, RateHit.at > now - limit.window
        )
    ).one()
    return int(count), oldest


def check(*, session: Session, limit: Limit, subject: str, now: datetime | None = None) -> None:
    """Raise RateLimited when the subject already has limit.limit hits in the window ending now; record nothing."""
    now = now or utcnow()
    count, oldest = _window_hits(session, limit, subject, now)
    if count >= limit.limit:
        raise rate_limited((oldest or now) + limit.window - now)


def hit(*, session: Session, limit: Limit, subject: str, now: datetime | None = None) -> None:
    """Count one action: raise RateLimited if the window is full, else record it (committed with the caller's
    transaction, so an action that fails and rolls back is not counted). Expired rows of the bucket go first."""
    now = now or utcnow()
    prune(session=session, bucket=limit.bucket, before=now - limit.window)
    check(session=session, limit=limit, subject=subject, now=now)
    session.add(RateHit(bucket=limit.bucket, subject=subject, at=now))
    session.flush()


def prune(*, session: Session, before: datetime, bucket: str | None = None) -> int:
    """Delete hits at or before `before` (of one bucket, or all); returns how many went."""
    stmt = delete(RateHit).where(col(RateHit.at) <= before)
    if bucket is not None:
        stmt = stmt.where(col(RateHit.bucket) == bucket)
    result = session.exec(stmt)
    return int(result.rowcount or 0)


def reserve(*, session: Session, limit: Limit, subject: str, now: datetime | None = None) -> int:
    """Count one attempt before doing the expensive part: record it and COMMIT, then count. Concurrent attempts
    cannot all pass: whichever counts last sees every committed one, so at most limit.limit are let through (a race
    can refuse one too many, never admit one too many). Returns the hit's id (see release); raises RateLimited,
    recording nothing, when the window is already full. Commits the session."""
    now = now or utcnow()
    prune(session=session, bucket=limit.bucket, before=now - limit.window)
    check(session=session, limit=limit, subject=subject, now=now)
    row = RateHit(bucket=limit.bucket, subject=subject, at=now)
    session.add(row)
    session.commit()
    assert row.id is not None
    count, oldest = _window_hits(session, limit, subject, now)
    if count > limit.limit:
        release(session=session, hit_id=row.id)
        raise rate_limited((oldest or now) + limit.window - now)
    return row.id


def release(*, session: Session, hit_id: int) -> None:
    """Take back a reserved attempt (it succeeded, or it was never tried). Commits."""
    session.exec(delete(RateHit).where(col(RateHit.id) == hit_id))
    session.commit()


def seen(*, session: Session, limit: Limit, subject: str, now: datetime | None = None) -> bool:
    """Whether the subject has any hit in the window ending now."""
    now = now or utcnow()
    return _window_hits(session, limit, subject, now)[0] > 0
