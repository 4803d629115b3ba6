"""Accounts and sign-in: argon2 hashes, constant-time checks, lock-out after repeated failures."""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select, update

from models import Role, User, WebSession
from models.web import RateHit
from services.platform import audit, ratelimit
from services.platform.errors import DomainError, NotFound, ValidationFailed
from services.platform.settings import get_settings

# Argon2id with one of OWASP's recommended configurations (Password Storage Cheat Sheet: 46 MiB, 1 pass, 1 lane):
# ~34 ms of one core per check here, against ~120 ms of CPU (64 MiB, 3 passes, 4 lanes) for argon2-cffi's default,
# so a hundred judges signing in at the start of a pitching day cost ~3.5 s of CPU instead of ~12 s. Not the 19 MiB
# configuration, though cheaper: below glibc's 32 MiB mmap ceiling each thread's malloc arena keeps the 19 MiB after
# a check (bench/bench_signin.py saw ~300 MB kept), while 46 MiB blocks are mapped and given back every time.
# Hashes made with other parameters still verify (the parameters are in the hash) and are re-made on next sign-in.
ARGON2_TIME_COST = 1
ARGON2_MEMORY_KIB = 46 * 1024
ARGON2_LANES = 1
_hasher = PasswordHasher(time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_LANES)
# Verifying against this when the username is unknown makes a miss cost the same as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
MIN_PASSWORD_LENGTH = 8
KNOWN_CLIENT = "signin_known_client"
KNOWN_CLIENT_FAILURE = "signin_known_failure"


class SignInFailed(DomainError):
    pass


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: Role
    agency: str
    email: str
    active: bool
    locked_until: datetime | None

    @classmethod
    def of(cls, user: User) -> Account:
        assert user.id is not None
        return cls(
            user.id,
            user.username,
            user.display_name,
            Role(user.role),
            user.agency,
            user.email,
            user.active,
            user.locked_until,
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            "weak_password",
            f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD_LENGTH} ตัวอักษร",
            f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.",
        )


def create_user(
    *,
    session: Session,
    username: str,
    display_name: str,
    role: Role | str,
    password: str,
    agency: str = "",
    email: str = "",
    actor: str = "system",
) -> Account:
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise ValidationFailed(
            "bad_username",
            "ชื่อผู้ใช้ต้องมี 3–80 ตัว ใช้ได้เฉพาะ a–z 0–9 จุด ขีด และขีดล่าง",
            "A username has 3–80 characters: a–z, 0–9, dot, dash and underscore.",
        )
    try:
        role = Role(role)
    except ValueError:
        raise ValidationFailed("bad_role", f"ไม่รู้จักบทบาท {role}", f"Unknown role {role}.") from None
    _check_password_rules(password)
    if session.exec(select(User).where(User.username == username)).first():
        raise ValidationFailed("username_taken", f"มีผู้ใช้ชื่อ {username} อยู่แล้ว", f"The username {username} is taken.")
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        role=role,
        agency=agency.strip(),
        email=email.strip().lower(),
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="user.create",
        entity="user",
        entity_id=user.id,
        after={"username": username, "role": role.value, "agency": user.agency},
    )
    session.commit()
    return Account.of(user)


def authenticate(
    *, session: Session, username: str, password: str, client: str | None = None, now: datetime | None = None
) -> Account:
    """The account for these credentials, or SignInFailed / RateLimited with a reason a person can act on.

    client is whom the attempt comes from (an IP address, or a browser-session id when there is none; see
    pages/_ui.client_id). Order matters: the per-client throttle first (nothing else is done for a client over it),
    then the attempt is counted in the database before the slow hash (so N attempts at once cannot all pass an "is it
    locked?" check), then the hash under a process-wide cap. The account lock-out applies only to clients that have
    not signed in to this account recently; a known client has its own allowance instead (see _admit)."""
    now = now or datetime.now(UTC)
    throttle = _throttle(session, client, now)
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    # End the read before the deliberately slow hash check: on SQLite a sign-in must not hold the write lock
    # while argon2 runs, or thirty judges signing in at once queue past the busy timeout.
    session.commit()
    if user is None or not user.password_hash:
        _verify(_DUMMY_HASH, password)
        raise _bad_credentials()
    assert user.id is not None
    ok = _checked(session, user.id, user.password_hash, password, client, now, throttle)
    if not ok:
        raise _bad_credentials()
    if not user.active:
        raise SignInFailed(
            "inactive", "บัญชีนี้ถูกปิดการใช้งาน กรุณาติดต่อผู้จัดงาน", "This account is disabled. Please contact the organisers."
        )
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    session.add(user)
    audit.record(session=session, actor=user.username, action="user.sign_in", entity="user", entity_id=user.id)
    session.commit()
    session.refresh(user)
    return Account.of(user)


def _throttle(session: Session, client: str | None, now: datetime) -> int | None:
    """Reserve one attempt against the client's sign-in allowance (any usernames); None when there is no client."""
    if client is None:
        return None
    limit = ratelimit.signin_limit()
    subject = ratelimit.subject_of(session=session, bucket=limit.bucket, client=client)
    return ratelimit.reserve(session=session, limit=limit, subject=subject, now=now)


def _known_client_limit() -> ratelimit.Limit:
    return ratelimit.Limit(KNOWN_CLIENT, 1, timedelta(days=get_settings().known_client_days))


def _pair_limit() -> ratelimit.Limit:
    s = get_settings()
    return ratelimit.Limit(KNOWN_CLIENT_FAILURE, s.max_failed_logins, timedelta(minutes=s.lockout_minutes))


def _pair(user_id: int, client: str) -> str:
    return f"{user_id}\x1f{client}"


def _checked(
    session: Session,
    user_id: int,
    password_hash: str,
    password: str,
    client: str | None,
    now: datetime,
    throttle: int | None,
) -> bool:
    """Whether the password is the account's: admitted (counted) first, then hashed under the cap. On success
    the failures are forgotten and the client remembered as known; on failure they stay counted."""
    pair_hit = _admit(session, user_id, client, now)
    try:
        ok = _verify(password_hash, password, capped=True)
    except SignInFailed:  # too busy: the password was never checked, so the attempt does not count
        _give_back(session, user_id, pair_hit, throttle)
        raise
    if ok:
        _give_back(session, user_id, pair_hit, throttle)
        session.execute(update(User).where(col(User.id) == user_id).values(failed_logins=0, locked_until=None))
        if client is not None:
            limit = _known_client_limit()
            subject = ratelimit.subject_of(session=session, bucket=limit.bucket, client=_pair(user_id, client))
            ratelimit.prune(session=session, bucket=limit.bucket, before=now - limit.window)
            session.add(RateHit(bucket=limit.bucket, subject=subject, at=now))
        session.commit()
        return True
    if pair_hit is None:
        _lock_if_spent(session, user_id, now)
    return False


def _admit(session: Session, user_id: int, client: str | None, now: datetime) -> int | None:
    """Count this attempt before the hash. A known client (one that signed in to this account within
    known_client_days) spends its own allowance, a rate-limit hit returned here; any other spends the account's,
    through one conditional UPDATE that only succeeds while the account is not locked and has tries left, so
    concurrent attempts cannot overrun it on SQLite or PostgreSQL."""
    settings = get_settings()
    if client is not None:
        known = _known_client_limit()
        if ratelimit.seen(
            session=session,
            limit=known,
            now=now,
            subject=ratelimit.subject_of(session=session, bucket=known.bucket, client=_pair(user_id, client)),
        ):
            pair = _pair_limit()
            subject = ratelimit.subject_of(session=session, bucket=pair.bucket, client=_pair(user_id, client))
            try:
                return ratelimit.reserve(session=session, limit=pair, subject=subject, now=now)
            except ratelimit.RateLimited as e:
                raise _locked(e.retry_after) from None
    free = (col(User.locked_until).is_(None)) | (col(User.locked_until) <= now)
    admitted = session.exec(
        update(User)
        .where(col(User.id) == user_id, free, col(User.failed_logins) < settings.max_failed_logins)
        .values(failed_logins=col(User.failed_logins) + 1, locked_until=None)
    ).rowcount
    session.commit()
    if not admitted:
        locked_until = session.exec(select(User.locked_until).where(User.id == user_id)).one()
        session.commit()
        # Tries still in flight hold the last allowance: refuse as locked for the time they take.
        raise _locked((locked_until - now) if locked_until and locked_until > now else timedelta(minutes=1))
    return None


def _lock_if_spent(session: Session, user_id: int, now: datetime) -> None:
    """After a wrong password: lock when the account's allowance is spent. A success meanwhile reset the count, and
    then nothing is locked."""
    settings = get_settings()
    locked_until = now + timedelta(minutes=settings.lockout_minutes)
    locked = session.exec(
        update(User)
        .where(col(User.id) == user_id, col(User.failed_logins) >= settings.max_failed_logins)
        .values(locked_until=locked_until, failed_logins=0)
    ).rowcount
    if locked:
        username = session.exec(select(User.username).where(User.id == user_id)).one()
        audit.record(
            session=session,
            actor=username,
            action="user.locked",
            entity="user",
            entity_id=user_id,
            after={"locked_until": locked_until},
        )
    session.commit()


def _give_back(session: Session, user_id: int, pair_hit: int | None, throttle: int | None) -> None:
    """Return the reserved tries of an attempt that succeeded or was never checked."""
    if throttle is not None:
        ratelimit.release(session=session, hit_id=throttle)
    if pair_hit is not None:
        ratelimit.release(session=session, hit_id=pair_hit)
    else:
        session.execute(
            update(User)
            .where(col(User.id) == user_id, col(User.failed_logins) > 0)
            .values(failed_logins=col(User.failed_logins) - 1)
        )
        session.commit()


def _locked(retry_after: timedelta) -> SignInFailed:
    minutes = max(1, math.ceil(retry_after.total_seconds() / 60))
    return SignInFailed(
        "locked",
        f"บัญชีนี้ถูกระงับชั่วคราวเพราะใส่รหัสผ่านผิดหลายครั้ง กรุณาลองใหม่ในอีก {minutes} นาที หรือติดต่อผู้ดูแลระบบ",
        f"This account is locked after repeated wrong passwords. Try again in {minutes} minutes or ask an organiser.",
    )


def _verify(password_hash: str, password: str, *, capped: bool = True) -> bool:
    """argon2 check, at most max_concurrent_password_checks at a time in this process (each holds 46 MiB)."""
    if capped:
        if not _slots().acquire(timeout=get_settings().password_check_wait_seconds):
            raise SignInFailed(
                "busy",
                "มีผู้ลงชื่อเข้าใช้พร้อมกันจำนวนมาก กรุณาลองใหม่อีกครั้งในอีกสักครู่",
                "Many people are signing in at this moment; please try again in a little while.",
            )
        try:
            return _verify(password_hash, password, capped=False)
        finally:
            _slots().release()
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_slots_lock = threading.Lock()
_slots_made: tuple[int, threading.BoundedSemaphore] | None = None


def _slots() -> threading.BoundedSemaphore:
    """The process-wide cap on argon2 checks (remade if the setting changes, as in tests)."""
    global _slots_made
    size = max(1, get_settings().max_concurrent_password_checks)
    with _slots_lock:
        if _slots_made is None or _slots_made[0] != size:
            _slots_made = (size, threading.BoundedSemaphore(size))
        return _slots_made[1]


def _bad_credentials() -> SignInFailed:
    return SignInFailed("bad_credentials", "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "Wrong username or password.")


def account_by_email(*, session: Session, email: str) -> Account | None:
    """The active account whose e-mail matches an OIDC identity, for sign-in through st.login."""
    user = session.exec(select(User).where(User.email == email.strip().lower(), col(User.active))).first()
    return Account.of(user) if user else None


def get_account(*, session: Session, user_id: int) -> Account:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound.user()
    return Account.of(user)


def list_accounts(*, session: Session, role: Role | None = None) -> list[Account]:
    stmt = select(User).order_by(col(User.role), col(User.username))
    if role is not None:
        stmt = stmt.where(User.role == role)
    return [Account.of(u) for u in session.exec(stmt)]


def set_active(*, session: Session, user_id: int, active: bool, actor: str) -> Account:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound.user()
    before = {"active": user.active}
    user.active = active
    if active:
        user.locked_until = None
        user.failed_logins = 0
    else:
        _end_sessions(session, user_id)
    session.add(user)
    audit.record(
        session=session,
        actor=actor,
        action="user.set_active",
        entity="user",
        entity_id=user_id,
        before=before,
        after={"active": active},
    )
    session.commit()
    return Account.of(user)


def _end_sessions(session: Session, user_id: int, keep: int | None = None) -> None:
    """Sign the user out of every browser (but `keep`): their password changed or the account was suspended.
    (Here rather than in services/platform/web_sessions.py, which builds on this module's Account.)"""
    stmt = update(WebSession).where(col(WebSession.user_id) == user_id, col(WebSession.revoked_at).is_(None))
    if keep is not None:
        stmt = stmt.where(col(WebSession.id) != keep)
    session.execute(stmt.values(revoked_at=datetime.now(UTC), revoked_why="account"))


def set_password(
    *, session: Session, user_id: int, password: str, actor: str, keep_web_session: int | None = None
) -> None:
    """Set a new password and sign the user out everywhere else (keep_web_session: the browser that changed it)."""
    _check_password_rules(password)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound.user()
    user.password_hash = hash_password(password)
    user.locked_until = None
    user.failed_logins = 0
    session.add(user)
    _end_sessions(session, user_id, keep_web_session)
    audit.record(session=session, actor=actor, action="user.set_password", entity="user", entity_id=user_id)
    session.commit()


def change_own_password(
    *,
    session: Session,
    user_id: int,
    current_password: str,
    new_password: str,
    client: str | None = None,
    keep_web_session: int | None = None,
    now: datetime | None = None,
) -> None:
    """A signed-in person changing their own password: the current one is checked first, through the same
    throttled, counted and capped path as signing in (so a borrowed, unlocked screen cannot take the account over)."""
    now = now or datetime.now(UTC)
    _check_password_rules(new_password)
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise NotFound.user()
    username, password_hash = user.username, user.password_hash
    session.commit()
    throttle = _throttle(session, client, now)
    if not password_hash or not _checked(session, user_id, password_hash, current_password, client, now, throttle):
        raise SignInFailed("wrong_current_password", "รหัสผ่านปัจจุบันไม่ถูกต้อง", "The current password is wrong.")
    if current_password == new_password:
        raise ValidationFailed(
            "same_password", "รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านปัจจุบัน", "The new password must differ from the current one."
        )
    set_password(
        session=session, user_id=user_id, password=new_password, actor=username, keep_web_session=keep_web_session
    )


def ensure_admin_from_settings(*, session: Session) -> Account | None:
    """Create the first organiser from LDAWARD_ADMIN_USERNAME / LDAWARD_ADMIN_PASSWORD if it does not exist."""
    settings = get_settings()
    if not (settings.admin_username and settings.admin_password):
        return None
    existing = session.exec(select(User).where(User.username == settings.admin_username.lower())).first()
    if existing:
        return None
    return create_user(
        session=session,
        username=settings.admin_username,
        display_name="ผู้ดูแลระบบ",
        role=Role.organiser,
        password=settings.admin_password,
        agency="DGTi",
    )
