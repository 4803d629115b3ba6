"""Accounts and sign-in: argon2 hashes, constant-time checks, lock-out after repeated failures."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select, update

from models import Role, User, WebSession
from services import audit
from services.errors import DomainError, NotFound, ValidationFailed
from services.settings import get_settings

_hasher = PasswordHasher()
# Verifying against this when the username is unknown makes a miss cost the same as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
MIN_PASSWORD_LENGTH = 8


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
            user.id, user.username, user.display_name, Role(user.role), user.agency, user.email,
            user.active, user.locked_until,
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
        raise ValidationFailed(
            "username_taken", f"มีผู้ใช้ชื่อ {username} อยู่แล้ว", f"The username {username} is taken."
        )
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
        session=session, actor=actor, action="user.create", entity="user", entity_id=user.id,
        after={"username": username, "role": role.value, "agency": user.agency},
    )
    session.commit()
    return Account.of(user)


def authenticate(*, session: Session, username: str, password: str, now: datetime | None = None) -> Account:
    """The account for these credentials, or SignInFailed with a reason a person can act on."""
    settings = get_settings()
    now = now or datetime.now(UTC)
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    # End the read before the deliberately slow hash check: on SQLite a sign-in must not hold the write lock
    # while argon2 runs, or thirty judges signing in at once queue past the busy timeout.
    session.commit()
    if user is None or not user.password_hash:
        _verify(_DUMMY_HASH, password)
        raise _bad_credentials()
    if user.locked_until is not None and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise SignInFailed(
            "locked",
            f"บัญชีนี้ถูกระงับชั่วคราวเพราะใส่รหัสผ่านผิดหลายครั้ง กรุณาลองใหม่ในอีก {minutes} นาที "
            "หรือติดต่อผู้ดูแลระบบ",
            f"This account is locked after repeated wrong passwords. Try again in {minutes} minutes "
            "or ask an organiser.",
        )
    if not _verify(user.password_hash, password):
        # Counted in SQL, so wrong passwords tried at the same moment all count.
        failed = session.execute(update(User).where(col(User.id) == user.id)
                                 .values(failed_logins=col(User.failed_logins) + 1)
                                 .returning(col(User.failed_logins))).scalar_one()
        if failed >= settings.max_failed_logins:
            locked_until = now + timedelta(minutes=settings.lockout_minutes)
            session.execute(update(User).where(col(User.id) == user.id)
                            .values(locked_until=locked_until, failed_logins=0))
            audit.record(session=session, actor=user.username, action="user.locked", entity="user",
                         entity_id=user.id, after={"locked_until": locked_until})
        session.commit()  # the failure must count even though the caller sees an exception
        session.refresh(user)
        raise _bad_credentials()
    if not user.active:
        raise SignInFailed("inactive", "บัญชีนี้ถูกปิดการใช้งาน กรุณาติดต่อผู้จัดงาน",
                           "This account is disabled. Please contact the organisers.")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.add(user)
    audit.record(session=session, actor=user.username, action="user.sign_in", entity="user", entity_id=user.id)
    session.commit()
    return Account.of(user)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _bad_credentials() -> SignInFailed:
    return SignInFailed("bad_credentials", "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "Wrong username or password.")


def account_by_email(*, session: Session, email: str) -> Account | None:
    """The active account whose e-mail matches an OIDC identity, for sign-in through st.login."""
    user = session.exec(select(User).where(User.email == email.strip().lower(), col(User.active))).first()
    return Account.of(user) if user else None


def get_account(*, session: Session, user_id: int) -> Account:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("no_user", "ไม่พบผู้ใช้นี้", "No such user.")
    return Account.of(user)


def list_accounts(*, session: Session, role: Role | None = None) -> list[Account]:
    stmt = select(User).order_by(col(User.role), col(User.username))
    if role is not None:
        stmt = stmt.where(User.role == role)
    return [Account.of(u) for u in session.exec(stmt)]


def set_active(*, session: Session, user_id: int, active: bool, actor: str) -> Account:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("no_user", "ไม่พบผู้ใช้นี้", "No such user.")
    before = {"active": user.active}
    user.active = active
    if active:
        user.locked_until = None
        user.failed_logins = 0
    else:
        _end_sessions(session, user_id)
    session.add(user)
    audit.record(session=session, actor=actor, action="user.set_active", entity="user", entity_id=user_id,
                 before=before, after={"active": active})
    session.commit()
    return Account.of(user)


def _end_sessions(session: Session, user_id: int, keep: int | None = None) -> None:
    """Sign the user out of every browser (but `keep`): their password changed or the account was suspended.
    (Here rather than in services/web_sessions.py, which builds on this module's Account.)"""
    stmt = update(WebSession).where(col(WebSession.user_id) == user_id, col(WebSession.revoked_at).is_(None))
    if keep is not None:
        stmt = stmt.where(col(WebSession.id) != keep)
    session.execute(stmt.values(revoked_at=datetime.now(UTC), revoked_why="account"))


def set_password(*, session: Session, user_id: int, password: str, actor: str,
                 keep_web_session: int | None = None) -> None:
    """Set a new password and sign the user out everywhere else (keep_web_session: the browser that changed it)."""
    _check_password_rules(password)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("no_user", "ไม่พบผู้ใช้นี้", "No such user.")
    user.password_hash = hash_password(password)
    user.locked_until = None
    user.failed_logins = 0
    session.add(user)
    _end_sessions(session, user_id, keep_web_session)
    audit.record(session=session, actor=actor, action="user.set_password", entity="user", entity_id=user_id)
    session.commit()


def ensure_admin_from_settings(*, session: Session) -> Account | None:
    """Create the first organiser from LDAWARD_ADMIN_USERNAME / LDAWARD_ADMIN_PASSWORD if it does not exist."""
    settings = get_settings()
    if not (settings.admin_username and settings.admin_password):
        return None
    existing = session.exec(select(User).where(User.username == settings.admin_username.lower())).first()
    if existing:
        return None
    return create_user(
        session=session, username=settings.admin_username, display_name="ผู้ดูแลระบบ",
        role=Role.organiser, password=settings.admin_password, agency="DGTi",
    )
