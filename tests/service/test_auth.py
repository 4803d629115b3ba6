"""Sign-in: argon2 hashes, generic failures, lock-out after repeated wrong passwords."""

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from models import AuditEvent, Role, User
from services.platform import auth
from services.platform.errors import ValidationFailed

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def make_judge(session, username="judge-a", password="correct-horse"):
    return auth.create_user(
        session=session, username=username, display_name="กรรมการ ก", role=Role.judge, password=password, agency="สพร."
    )


def test_password_is_stored_as_an_argon2_hash(session):
    make_judge(session)
    stored = session.exec(select(User).where(User.username == "judge-a")).one()
    assert stored.password_hash.startswith("$argon2")
    assert "correct-horse" not in stored.password_hash
    # One of OWASP's Argon2id configurations: 46 MiB, 1 pass, 1 lane.
    assert stored.password_hash.startswith("$argon2id$v=19$m=47104,t=1,p=1$")


def test_a_hash_made_with_the_old_parameters_signs_in_and_is_made_again(session):
    make_judge(session)
    stored = session.exec(select(User).where(User.username == "judge-a")).one()
    stored.password_hash = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash("correct-horse")
    session.add(stored)
    session.commit()
    assert (
        auth.authenticate(session=session, username="judge-a", password="correct-horse", now=T0).username == "judge-a"
    )
    remade = session.exec(select(User.password_hash).where(User.username == "judge-a")).one()
    assert remade.startswith("$argon2id$v=19$m=47104,t=1,p=1$")
    assert (
        auth.authenticate(session=session, username="judge-a", password="correct-horse", now=T0).username == "judge-a"
    )


def test_right_password_signs_in_and_is_audited(session):
    make_judge(session)
    account = auth.authenticate(session=session, username="Judge-A ", password="correct-horse", now=T0)
    assert (account.username, account.role) == ("judge-a", Role.judge)
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.actor == "judge-a")).all()
    assert "user.sign_in" in actions


def test_wrong_password_and_unknown_user_fail_alike(session):
    make_judge(session)
    with pytest.raises(auth.SignInFailed) as wrong:
        auth.authenticate(session=session, username="judge-a", password="nope-nope", now=T0)
    with pytest.raises(auth.SignInFailed) as unknown:
        auth.authenticate(session=session, username="nobody", password="nope-nope", now=T0)
    assert wrong.value.code == unknown.value.code == "bad_credentials"
    assert wrong.value.message_th == "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(session):
    make_judge(session)
    for _ in range(5):
        with pytest.raises(auth.SignInFailed):
            auth.authenticate(session=session, username="judge-a", password="wrong-wrong", now=T0)
    with pytest.raises(auth.SignInFailed) as locked:
        auth.authenticate(session=session, username="judge-a", password="correct-horse", now=T0 + timedelta(minutes=1))
    assert locked.value.code == "locked"
    assert "15 นาที" in locked.value.message_th or "14 นาที" in locked.value.message_th
    later = auth.authenticate(
        session=session, username="judge-a", password="correct-horse", now=T0 + timedelta(minutes=16)
    )
    assert later.username == "judge-a"


def test_failures_survive_the_transaction_that_raised(engine):
    from sqlmodel import Session

    with Session(engine) as s:
        make_judge(s)
    for _ in range(3):
        with Session(engine) as s, pytest.raises(auth.SignInFailed):
            auth.authenticate(session=s, username="judge-a", password="wrong-wrong", now=T0)
    with Session(engine) as s:
        assert s.exec(select(User.failed_logins).where(User.username == "judge-a")).one() == 3


def test_disabled_account_cannot_sign_in(session):
    acc = make_judge(session)
    auth.set_active(session=session, user_id=acc.id, active=False, actor="organiser")
    with pytest.raises(auth.SignInFailed) as e:
        auth.authenticate(session=session, username="judge-a", password="correct-horse", now=T0)
    assert e.value.code == "inactive"


@pytest.mark.parametrize(
    ("username", "password", "code"),
    [
        ("ab", "long-enough", "bad_username"),
        ("ok-name", "short", "weak_password"),
        ("has space", "long-enough", "bad_username"),
    ],
)
def test_bad_accounts_are_refused_with_a_reason(session, username, password, code):
    with pytest.raises(ValidationFailed) as e:
        auth.create_user(session=session, username=username, display_name="x", role=Role.judge, password=password)
    assert e.value.code == code


def test_duplicate_username_is_refused(session):
    make_judge(session)
    with pytest.raises(ValidationFailed) as e:
        make_judge(session)
    assert e.value.code == "username_taken"


def test_first_organiser_comes_from_the_environment(session, monkeypatch):
    from services.platform.settings import get_settings

    monkeypatch.setenv("LDAWARD_ADMIN_USERNAME", "dgti-admin")
    monkeypatch.setenv("LDAWARD_ADMIN_PASSWORD", "a-long-secret")
    get_settings.cache_clear()
    try:
        created = auth.ensure_admin_from_settings(session=session)
        assert created is not None and created.role == Role.organiser
        assert auth.ensure_admin_from_settings(session=session) is None  # only once
        assert (
            auth.authenticate(session=session, username="dgti-admin", password="a-long-secret").role == Role.organiser
        )
    finally:
        get_settings.cache_clear()
