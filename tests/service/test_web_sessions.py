"""Browser sessions behind the signed, HTTP-only cookie: the one-time handoff, resume after a reload, inactivity
and absolute expiry, sign-out, a suspended account, tampered cookies — on SQLite and PostgreSQL, and through the
app's own HTTP routes."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from models import AppSecret, Role, WebSession
from services.platform import auth, web_sessions
from services.platform.db import build_engine, dispose_engines, session_scope
from services.platform.settings import get_settings
from services.platform.web_sessions import COOKIE_NAME, Ended, HandoffFailed
from tests.helpers.asgi import call
from web_routes import SESSION_PATH, SIGNOUT_PATH

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@pytest.fixture
def judge(session):
    return auth.create_user(
        session=session, username="judge-x", display_name="กรรมการ เอ็กซ์", role=Role.judge, password="a-long-password"
    )


def signed_cookie(session, user_id, at=T0):
    sid, code = web_sessions.begin(session=session, user_id=user_id, now=at)
    return sid, web_sessions.complete_handoff(session=session, code=code, now=at + timedelta(seconds=1))


def test_handoff_gives_a_cookie_that_resumes_the_account_and_only_hashes_are_stored(session, judge):
    sid, code = web_sessions.begin(session=session, user_id=judge.id, now=T0)
    cookie = web_sessions.complete_handoff(session=session, code=code, now=T0 + timedelta(seconds=2))
    token = cookie.rpartition(".")[0]
    row = session.get(WebSession, sid)
    session.refresh(row)
    assert row.handoff_hash is None and row.token_hash and token not in row.token_hash and code not in cookie

    found = web_sessions.resume(session=session, cookie_value=cookie, now=T0 + timedelta(minutes=5))
    assert found.account == judge and found.web_session_id == sid and found.ended is None
    session.refresh(row)
    assert row.last_seen_at == T0 + timedelta(minutes=5)


def test_a_handoff_code_works_once_and_only_while_fresh(session, judge):
    _, code = web_sessions.begin(session=session, user_id=judge.id, now=T0)
    web_sessions.complete_handoff(session=session, code=code, now=T0)
    with pytest.raises(HandoffFailed):
        web_sessions.complete_handoff(session=session, code=code, now=T0)
    _, late = web_sessions.begin(session=session, user_id=judge.id, now=T0)
    with pytest.raises(HandoffFailed) as refused:
        web_sessions.complete_handoff(
            session=session, code=late, now=T0 + web_sessions.HANDOFF_TTL + timedelta(seconds=1)
        )
    assert "ลงชื่อเข้าใช้ใหม่" in refused.value.message_th
    with pytest.raises(HandoffFailed):
        web_sessions.complete_handoff(session=session, code="", now=T0)


def test_tampered_or_foreign_cookies_sign_nobody_in(session, judge):
    _, cookie = signed_cookie(session, judge.id)
    token, _, mac = cookie.rpartition(".")
    other_last = "B" if mac.endswith("A") else "A"  # a different last character, whatever the signature ends with
    for bad in (
        f"{token}x.{mac}",
        f"{token}.{mac[:-1]}{other_last}",
        token,
        "",
        "." * 300,
        web_sessions.sign(token, b"another key"),
    ):
        found = web_sessions.resume(session=session, cookie_value=bad, now=T0)
        assert found.account is None and found.web_session_id is None, bad


def test_inactivity_ends_the_session_and_says_why(session, judge, monkeypatch):
    monkeypatch.setenv("LDAWARD_SESSION_IDLE_MINUTES", "30")
    get_settings.cache_clear()
    sid, cookie = signed_cookie(session, judge.id)
    assert web_sessions.touch(session=session, web_session_id=sid, now=T0 + timedelta(minutes=29)) is None
    # activity at 29 minutes keeps it alive until 59
    assert web_sessions.resume(session=session, cookie_value=cookie, now=T0 + timedelta(minutes=58)).account == judge
    late = web_sessions.resume(session=session, cookie_value=cookie, now=T0 + timedelta(minutes=89))
    assert late.account is None and late.ended is Ended.idle
    # once ended it stays ended, even if the clock were earlier
    assert web_sessions.touch(session=session, web_session_id=sid, now=T0 + timedelta(minutes=90)) is Ended.idle
    assert web_sessions.ENDED_MESSAGES[Ended.idle][0].startswith("ออกจากระบบอัตโนมัติ")
    get_settings.cache_clear()


def test_sessions_end_at_their_maximum_age_however_active(session, judge, monkeypatch):
    monkeypatch.setenv("LDAWARD_SESSION_MAX_HOURS", "2")
    get_settings.cache_clear()
    sid, cookie = signed_cookie(session, judge.id)
    for minutes in range(10, 120, 10):
        assert web_sessions.touch(session=session, web_session_id=sid, now=T0 + timedelta(minutes=minutes)) is None
    assert (
        web_sessions.resume(session=session, cookie_value=cookie, now=T0 + timedelta(minutes=121)).ended
        is Ended.max_age
    )
    get_settings.cache_clear()


def test_sign_out_and_suspension_end_sessions(session, judge):
    sid, cookie = signed_cookie(session, judge.id)
    other_sid, other_cookie = signed_cookie(session, judge.id)
    web_sessions.end(session=session, web_session_id=sid, now=T0)
    assert web_sessions.resume(session=session, cookie_value=cookie, now=T0).ended is Ended.signout
    assert web_sessions.resume(session=session, cookie_value=other_cookie, now=T0).account == judge  # other device

    auth.set_active(session=session, user_id=judge.id, active=False, actor="organiser")
    assert web_sessions.touch(session=session, web_session_id=other_sid, now=T0) is Ended.account
    auth.set_active(session=session, user_id=judge.id, active=True, actor="organiser")
    assert web_sessions.resume(session=session, cookie_value=other_cookie, now=T0).account is None  # stays ended


def test_the_signing_key_is_made_once_and_shared(session, judge, monkeypatch):
    monkeypatch.delenv("LDAWARD_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    first = web_sessions.signing_key(session=session)
    assert web_sessions.signing_key(session=session) == first and len(first) >= 48
    assert len(session.exec(select(AppSecret)).all()) == 1
    monkeypatch.setenv("LDAWARD_SECRET_KEY", "configured-key")
    get_settings.cache_clear()
    assert web_sessions.signing_key(session=session) == b"configured-key"
    get_settings.cache_clear()


def test_a_stored_signing_key_is_read_once_and_one_rolled_back_is_never_kept(engine, monkeypatch):
    """Every slider save and live-session poll checks a cookie: the stored key is read from the database once per
    process, and only once committed (a key made in a transaction that is then rolled back was never the key)."""
    monkeypatch.delenv("LDAWARD_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with Session(engine) as first:
        dropped = web_sessions.signing_key(session=first)
        first.rollback()  # the request that made it failed: its key is gone
    with Session(engine) as second:
        key = web_sessions.signing_key(session=second)
        second.commit()
    assert key != dropped
    with Session(engine) as third:
        assert web_sessions.signing_key(session=third) == key  # read, committed now: kept
    statements.clear()
    for read_only in (False, True):  # a read-only session's engine is a copy made for it: the key is kept all the same
        with session_scope(engine, read_only=read_only) as fourth:
            assert web_sessions.signing_key(session=fourth) == key
            assert web_sessions.unsign(web_sessions.sign("t", key), web_sessions.signing_key(session=fourth)) == "t"
    assert statements == []  # no read at all
    with Session(engine) as fifth:
        assert fifth.exec(select(AppSecret.value)).one() == key.decode()  # the one kept is the one stored
    get_settings.cache_clear()


def test_a_session_in_a_transaction_reads_the_signing_key_without_a_second_connection(db_url, monkeypatch):
    """A sign-in's handoff that has begun its transaction holds SQLite's write lock: waiting there for a second
    connection from a pool the other sign-ins had taken kept every writer waiting past the busy timeout (thirty judges
    signing in at once, on a busy machine). The key another process stored is read in the session's own transaction."""
    monkeypatch.delenv("LDAWARD_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    other_process = build_engine(db_url)
    with Session(other_process) as maker:
        key = web_sessions.signing_key(session=maker)
        maker.commit()
    other_process.dispose()
    engine = build_engine(db_url)  # this process: the key not read yet
    checkouts: list[object] = []
    event.listen(engine, "checkout", lambda *args: checkouts.append(args[0]))
    with Session(engine) as session:
        session.exec(select(WebSession)).all()  # the transaction has begun (SQLite: BEGIN IMMEDIATE)
        assert web_sessions.signing_key(session=session) == key
    assert len(checkouts) == 1  # the session's own connection only
    engine.dispose()
    get_settings.cache_clear()


def test_prune_deletes_only_old_rows(session, judge):
    signed_cookie(session, judge.id, at=T0 - timedelta(days=40))
    signed_cookie(session, judge.id, at=T0)
    assert web_sessions.prune(session=session, now=T0) == 1
    assert len(session.exec(select(WebSession)).all()) == 1


@pytest.fixture
def routes_db(db_url, monkeypatch, session, judge):
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    session.commit()
    yield session
    dispose_engines()
    get_settings.cache_clear()


def test_routes_set_an_http_only_cookie_and_clear_it_on_sign_out(routes_db, judge):
    session = routes_db
    sid, code = web_sessions.begin(session=session, user_id=judge.id)
    reply = call("POST", SESSION_PATH, body={"code": code})
    assert reply.status == 204
    header = reply.set_cookie_headers()[0]
    assert "httponly" in header.lower() and "samesite=lax" in header.lower() and "path=/" in header.lower()
    assert "max-age=43200" in header.lower()  # session_max_hours 12
    cookie = reply.set_cookies()[COOKIE_NAME].value
    session.expire_all()
    assert web_sessions.resume(session=session, cookie_value=cookie).account == judge
    session.commit()  # end the read: on SQLite the route must be able to write next

    again = call("POST", SESSION_PATH, body={"code": code})
    assert again.status == 400 and again.json()["message_th"] and not again.set_cookie_headers()
    assert (
        call(
            "POST", SESSION_PATH, body=f"code={code}".encode(), content_type="application/x-www-form-urlencoded"
        ).status
        == 400
    )  # JSON only: no cross-site forms

    out = call("POST", SIGNOUT_PATH, body={}, cookies={COOKIE_NAME: cookie})
    assert out.status == 204 and 'ldaward_session=""' in out.set_cookie_headers()[0]
    session.expire_all()
    assert web_sessions.resume(session=session, cookie_value=cookie).ended is Ended.signout
    assert session.get(WebSession, sid).revoked_why == "signout"


def test_a_new_password_signs_the_user_out_everywhere_but_the_browser_that_set_it(session, judge):
    here, here_cookie = signed_cookie(session, judge.id)
    _, there_cookie = signed_cookie(session, judge.id)
    auth.set_password(
        session=session, user_id=judge.id, password="another-long-one", actor="judge-x", keep_web_session=here
    )
    assert web_sessions.resume(session=session, cookie_value=here_cookie, now=T0).account == judge
    assert web_sessions.resume(session=session, cookie_value=there_cookie, now=T0).ended is Ended.account
    auth.set_password(session=session, user_id=judge.id, password="a-third-long-one", actor="organiser")
    assert web_sessions.resume(session=session, cookie_value=here_cookie, now=T0).ended is Ended.account
