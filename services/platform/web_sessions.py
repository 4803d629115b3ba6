"""Browser sessions that survive a page reload: a signed, HTTP-only cookie naming a server-side session row.

The flow, without the session token ever passing through page script:
1. the sign-in page checks the password and calls `begin`, which stores a session row holding only the hash of a
   one-time handoff code (valid for two minutes) and returns the code;
2. the page's script POSTs that code to the app's own HTTP route (web_routes.py), which calls `complete_handoff`:
   it makes the session token, stores its hash and answers with Set-Cookie (HttpOnly, SameSite=Lax);
3. a later page load (a reload, a new tab, a deep link) reads the cookie from the websocket handshake and calls
   `resume`; each page run calls `touch`, which also notices a sign-out elsewhere or inactivity.

Sessions end after `session_idle_minutes` without activity and `session_max_hours` after sign-in. Times are real
(wall-clock) time, never the contest clock. Only hashes are stored: a copy of the database signs nobody in.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Pool
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select, update

from models import AppSecret, User, WebSession
from services.platform.auth import Account
from services.platform.db import READ_ONLY_OPTION, in_memory
from services.platform.errors import DomainError
from services.platform.settings import get_settings

COOKIE_NAME = "ldaward_session"
HANDOFF_TTL = timedelta(minutes=2)
# Write last_seen_at at most this often per session: activity is tracked to the minute, not per click.
TOUCH_EVERY = timedelta(seconds=30)
_KEY_NAME = "cookie_signing_key"
_stored_keys: weakref.WeakKeyDictionary[Pool, bytes] = weakref.WeakKeyDictionary()  # signing_key's, per database


class Ended(StrEnum):
    signout = "signout"
    idle = "idle"
    max_age = "max_age"
    account = "account"  # the account was deactivated or its password changed


class HandoffFailed(DomainError):
    pass


@dataclass(frozen=True)
class Resumed:
    account: Account | None
    web_session_id: int | None
    ended: Ended | None = None  # why the cookie's session no longer signs in (None: no usable cookie at all)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def signing_key(*, session: Session) -> bytes:
    """LDAWARD_SECRET_KEY, or a key made once and kept in the database so that all replicas share it.

    The stored key never changes once made, so a process reads it once per database (every cookie check asks: each
    slider save and each live-session poll). Only a committed key is kept: one this session has just made could
    still be rolled back. It is read on a connection of its own only while session holds no transaction: one that
    has written holds SQLite's write lock, and waiting for a second connection then would keep every other writer
    waiting too, past the busy timeout when thirty judges sign in at once and the pool is taken."""
    configured = get_settings().secret_key
    if configured:
        return configured.encode()
    engine = session.get_bind().engine
    kept = _stored_keys.get(engine.pool)  # by pool: a read-only session's engine is a copy made for it, its pool not
    if kept is not None:
        return kept
    if not in_memory(engine) and not session.in_transaction():  # in memory, another connection is another database
        with engine.connect().execution_options(**{READ_ONLY_OPTION: True}) as conn:  # SQLite: no write lock
            value = conn.execute(select(AppSecret.value).where(AppSecret.name == _KEY_NAME)).scalar()
        if value:
            _stored_keys[engine.pool] = kept = value.encode()
            return kept
    row = session.get(AppSecret, _KEY_NAME)
    if row is None:
        try:
            with session.begin_nested():
                session.add(AppSecret(name=_KEY_NAME, value=secrets.token_urlsafe(48)))
        except IntegrityError:  # another replica made it first: use theirs
            pass
        row = session.get(AppSecret, _KEY_NAME)
        assert row is not None
    return row.value.encode()


def sign(token: str, key: bytes) -> str:
    mac = hmac.new(key, token.encode(), hashlib.sha256).digest()
    return f"{token}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


def unsign(value: str, key: bytes) -> str | None:
    """The token inside a cookie value, or None when the value was not signed with key."""
    if not isinstance(value, str) or len(value) > 200:
        return None
    token, _, _mac = value.rpartition(".")
    if not token:
        return None
    return token if hmac.compare_digest(sign(token, key), value) else None


def begin(*, session: Session, user_id: int, now: datetime | None = None) -> tuple[int, str]:
    """Start a session for a user who has just proved who they are; returns its id and the one-time handoff code."""
    code = secrets.token_urlsafe(32)
    row = WebSession(user_id=user_id, handoff_hash=_digest(code), created_at=_now(now), last_seen_at=_now(now))
    session.add(row)
    session.commit()
    assert row.id is not None
    return row.id, code


def complete_handoff(*, session: Session, code: str, now: datetime | None = None) -> str:
    """Trade a fresh handoff code (once) for the signed cookie value."""
    now = _now(now)
    key = signing_key(session=session)  # before the transaction: read (and kept) without holding the write lock
    row = session.exec(select(WebSession).where(WebSession.handoff_hash == _digest(code))).first() if code else None
    if row is None or row.revoked_at is not None or now - row.created_at > HANDOFF_TTL:
        raise HandoffFailed(
            "handoff_invalid",
            "รหัสยืนยันการลงชื่อเข้าใช้ไม่ถูกต้องหรือหมดอายุ กรุณาลงชื่อเข้าใช้ใหม่",
            "The sign-in code is wrong or has expired; please sign in again.",
        )
    token = secrets.token_urlsafe(32)
    # Compare-and-set on the handoff hash: two requests with one code cannot both get a cookie.
    taken = session.exec(
        update(WebSession)
        .where(col(WebSession.id) == row.id, col(WebSession.handoff_hash) == row.handoff_hash)
        .values(handoff_hash=None, token_hash=_digest(token), last_seen_at=now)
    )
    if taken.rowcount != 1:
        session.rollback()
        raise HandoffFailed("handoff_used", "รหัสยืนยันนี้ถูกใช้ไปแล้ว", "This sign-in code was already used.")
    session.commit()
    return sign(token, key)


def handoff_done(*, session: Session, web_session_id: int) -> bool:
    """Whether the browser has traded this session's handoff code for its cookie (or the code has lapsed)."""
    row = session.get(WebSession, web_session_id)
    return row is None or row.handoff_hash is None or datetime.now(UTC) - row.created_at > HANDOFF_TTL


def _expired(row: WebSession, now: datetime) -> Ended | None:
    settings = get_settings()
    if row.revoked_at is not None:
        return Ended(row.revoked_why) if row.revoked_why in Ended.__members__ else Ended.signout
    if now - row.created_at > timedelta(hours=settings.session_max_hours):
        return Ended.max_age
    if now - row.last_seen_at > timedelta(minutes=settings.session_idle_minutes):
        return Ended.idle
    return None


def _check(
    session: Session, row: WebSession, now: datetime, user: User | None = None
) -> tuple[Ended | None, User | None]:
    """Why row no longer signs anyone in (ending it for good if it just expired), or None while it is good; with the
    session's user (read here unless given: the identity map holds it only while someone does)."""
    ended = _expired(row, now)
    user = user or session.get(User, row.user_id)
    if ended is None and (user is None or not user.active):
        ended = Ended.account
    if ended is not None and row.revoked_at is None:
        row.revoked_at, row.revoked_why = now, ended.value
        session.add(row)
        session.commit()
    return ended, user


@functools.cache
def _resume_statement() -> Any:
    """The session of a token hash and its user, in one round trip: every save and every live-session poll starts
    here. Built once a process (parameter token_hash): put together on every call it costs about as much as running
    it."""
    return (
        select(WebSession, User)
        .outerjoin(User, col(User.id) == col(WebSession.user_id))
        .where(col(WebSession.token_hash) == sa.bindparam("token_hash", type_=sa.String))
    )


def resume(*, session: Session, cookie_value: str | None, now: datetime | None = None) -> Resumed:
    """The account a session cookie signs in, refreshing its activity; or why it does not."""
    now = _now(now)
    token = unsign(cookie_value, signing_key(session=session)) if cookie_value else None
    if token is None:
        return Resumed(None, None)
    found = session.execute(_resume_statement(), {"token_hash": _digest(token)}).first()
    if found is None:
        return Resumed(None, None)
    row, joined = found
    ended, user = _check(session, row, now, joined)
    if ended is not None:
        return Resumed(None, row.id, ended)
    assert user is not None
    account = Account.of(user)
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
        session.commit()
    return Resumed(account, row.id)


def touch_due(*, session: Session, web_session_id: int, now: datetime | None = None) -> bool:
    """Whether `touch` has anything to write (activity to record, or an ending to notice): a read, so that the
    frequent check runs in a read-only transaction and only the occasional write takes SQLite's write lock."""
    now = _now(now)
    row = session.get(WebSession, web_session_id)
    if row is None or _expired(row, now) is not None or now - row.last_seen_at >= TOUCH_EVERY:
        return True
    user = session.get(User, row.user_id)
    return user is None or not user.active


def touch(*, session: Session, web_session_id: int, now: datetime | None = None) -> Ended | None:
    """Record activity on a signed-in page; returns why the session has ended (elsewhere, or idle), else None."""
    now = _now(now)
    row = session.get(WebSession, web_session_id)
    if row is None:
        return Ended.signout
    if (ended := _check(session, row, now)[0]) is not None:
        return ended
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
        session.commit()
    return None


def end(*, session: Session, web_session_id: int, why: Ended = Ended.signout, now: datetime | None = None) -> None:
    session.execute(
        update(WebSession)
        .where(col(WebSession.id) == web_session_id, col(WebSession.revoked_at).is_(None))
        .values(revoked_at=_now(now), revoked_why=why.value)
    )
    session.commit()


def prune(*, session: Session, older_than: timedelta = timedelta(days=30), now: datetime | None = None) -> int:
    """Delete session rows whose last activity is older than older_than (ended or not)."""
    result = session.exec(delete(WebSession).where(col(WebSession.last_seen_at) < _now(now) - older_than))
    session.commit()
    return int(result.rowcount)


ENDED_MESSAGES = {
    Ended.signout: ("ท่านออกจากระบบแล้ว", "You have signed out."),
    Ended.idle: (
        "ออกจากระบบอัตโนมัติเพราะไม่มีการใช้งานนานเกินกำหนด กรุณาลงชื่อเข้าใช้ใหม่ คะแนนและร่างที่บันทึกไว้แล้วยังอยู่ครบ",
        "Signed out after a period without activity. Please sign in again; everything saved is kept.",
    ),
    Ended.max_age: (
        "การลงชื่อเข้าใช้ครบเวลาสูงสุดแล้ว กรุณาลงชื่อเข้าใช้ใหม่ ข้อมูลที่บันทึกแล้วยังอยู่ครบ",
        "Your sign-in reached its maximum age. Please sign in again; everything saved is kept.",
    ),
    Ended.account: (
        "บัญชีนี้ถูกระงับหรือเปลี่ยนรหัสผ่านแล้ว กรุณาลงชื่อเข้าใช้ใหม่หรือติดต่อผู้จัดงาน",
        "This account was suspended or its password changed; sign in again or ask the organisers.",
    ),
}
