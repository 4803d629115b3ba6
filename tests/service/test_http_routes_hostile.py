"""The app's HTTP routes against hostile input (issue 13): every parameter is checked, so a bad one is a 400 or
404 with a Thai and an English message and never a 500; every response carries the anti-framing, no-sniffing and
referrer headers. Driven as ASGI through the same middleware as asgi.py, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from models import User
from services.contest import editions
from services.judging import sheets, worklist
from services.platform.db import dispose_engines, get_engine, session_scope
from services.platform.settings import get_settings
from services.platform.web_sessions import COOKIE_NAME
from tests.helpers.asgi import Reply, call, session_cookies
from web_routes import MAX_BODY, PUBLIC_RESULTS_PATH, SESSION_PATH, SHEET_PATH, SIGNOUT_PATH

SECURITY = {
    "x-frame-options": "SAMEORIGIN",
    "content-security-policy": "frame-ancestors 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def assert_safe(reply: Reply, status: int) -> None:
    headers = dict(reply.headers)
    assert reply.status == status, (reply.status, reply.body[:300])
    assert {k: headers.get(k) for k in SECURITY} == SECURITY
    if status >= 400:
        body = reply.json()
        assert body["error"] and body["message_th"] and body["message_en"]
        assert "Traceback" not in reply.body.decode()


@pytest.fixture
def judge_app(demo_db_url: str, demo_session: Session, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DATABASE_URL", demo_db_url)
    get_settings.cache_clear()
    edition = editions.current_edition(session=demo_session)
    user = demo_session.exec(select(User).where(User.username == "judge-dga")).one()
    sub_id = worklist.list_assignments(session=demo_session, judge_id=user.id, edition_id=edition.id)[0].submission.id
    yield session_cookies(demo_session, user.id), sub_id, edition.id
    dispose_engines()
    get_settings.cache_clear()


# (JSON body, expected status, expected error code)
SHEET_CASES = [
    ({"submission": 999_999, "version": 0}, 404, "no_submission"),
    ({"submission": -1, "version": 0}, 400, "bad_request"),
    ({"submission": 0, "version": 0}, 400, "bad_request"),
    ({"submission": 10**20, "version": 0}, 400, "bad_request"),
    ({"submission": "99999999999999999999", "version": 0}, 400, "bad_request"),
    ({"submission": "²", "version": 0}, 400, "bad_request"),
    ({"submission": "๑", "version": 0}, 400, "bad_request"),  # Thai digit one
    ({"submission": True, "version": 0}, 400, "bad_request"),
    ({"submission": 1.5, "version": 0}, 400, "bad_request"),
    ({"submission": [1], "version": 0}, 400, "bad_request"),
    ({"submission": None, "version": 0}, 400, "bad_request"),
    ({"version": 0}, 400, "bad_request"),
    ({"submission": "SUB"}, 400, "bad_request"),
    ({"submission": "SUB", "version": -1}, 400, "bad_request"),
    ({"submission": "SUB", "version": True}, 400, "bad_request"),
    ({"submission": "SUB", "version": 0, "points": [1]}, 400, "bad_request"),
    ({"submission": "SUB", "version": 0, "points": {"-5": 1}}, 400, "bad_request"),
    ({"submission": "SUB", "version": 0, "points": {str(2**40): 1}}, 400, "bad_request"),
    ({"submission": "SUB", "version": 0, "points": {"999999": 1}}, 400, "bad_criterion"),
    ({"submission": "SUB", "version": 0, "points": {"CRIT": "3"}}, 400, "bad_request"),
    ({"submission": "SUB", "version": 0, "points": {"CRIT": True}}, 400, "bad_request"),
    ({"submission": "SUB", "version": 0, "points": {"CRIT": None}}, 400, "bad_request"),
    ({"submission": "SUB", "version": 0, "points": {"CRIT": 1e400}}, 400, "bad_request"),  # inf in JSON
    ({"submission": "SUB", "version": 0, "points": {"CRIT": 1.25}}, 400, "points_step"),
    ({"submission": "SUB", "version": 0, "points": {"CRIT": -0.5}}, 400, "points_out_of_range"),
    ({"submission": "SUB", "version": 0, "points": {"CRIT": 1000}}, 400, "points_out_of_range"),
    ({"submission": "SUB", "version": 0, "comments": {"CRIT": {"a": 1}}}, 400, "bad_request"),
    ({"submission": "SUB", "version": 0, "comments": "x"}, 400, "bad_request"),
    ({"submission": "SUB", "version": 0, "overall": 5}, 400, "bad_request"),
    ({"submission": "SUB", "version": 0, "overall": "ก" * 5001}, 400, "too_long_judge_comment"),
    ([1, 2, 3], 400, "bad_request"),
]


def test_the_sheet_route_answers_every_bad_input_with_400_or_404(judge_app) -> None:
    cookies, sub_id, _ = judge_app
    crit = str(judge_app_criterion(sub_id))
    for body, status, code in SHEET_CASES:
        if isinstance(body, dict) and body.get("submission") == "SUB":
            body = {**body, "submission": sub_id}
            for part in ("points", "comments"):
                if isinstance(body.get(part), dict) and "CRIT" in body[part]:
                    body[part] = {crit: body[part]["CRIT"]}
        reply = call("POST", SHEET_PATH, body=body, cookies=cookies)
        assert_safe(reply, status)
        assert reply.json()["error"] == code, body

    for raw in (b"{not json", b"\xff\xfe\x00", b"", b'"a string"', b"null", b'{"submission": NaN}'):
        assert_safe(call("POST", SHEET_PATH, body=raw, cookies=cookies), 400)
    assert_safe(call("POST", SHEET_PATH, body=b"<x>", content_type="text/html", cookies=cookies), 400)
    huge = {"submission": sub_id, "version": 0, "overall": "ก" * MAX_BODY}
    assert_safe(call("POST", SHEET_PATH, body=huge, cookies=cookies), 413)

    ok = call("POST", SHEET_PATH, body={"submission": str(sub_id), "version": "0", "overall": "ดี"}, cookies=cookies)
    assert_safe(ok, 200)
    assert ok.json()["sheet"]["overall"] == "ดี"


def judge_app_criterion(sub_id: int) -> int:
    """The first scored criterion of the submission's edition, read through the app's own settings."""
    with session_scope(get_engine(), read_only=True) as session:
        return (
            sheets.get_sheet(
                session=session,
                judge_id=session.exec(select(User.id).where(User.username == "judge-dga")).one(),
                submission_id=sub_id,
            )
            .criteria[0]
            .criterion_id
        )


def test_public_results_and_session_routes_check_their_parameters(judge_app) -> None:
    _, _, edition_id = judge_app
    for query, status in [
        ("edition=²", 400),
        ("edition=12345678901234567890", 400),
        ("edition=-1", 400),
        ("edition=0", 400),
        ("edition=", 400),
        ("edition=abc", 400),
        ("edition=1e3", 400),
        ("edition=%00", 400),
        ("edition=999999", 404),
        (f"edition={edition_id}", 404),
        ("", 404),
    ]:
        reply = call("GET", PUBLIC_RESULTS_PATH, query=query)
        assert_safe(reply, status)
        assert reply.json()["error"] == ("bad_request" if status == 400 else reply.json()["error"]), query

    for body, status in [
        ({"code": 123}, 400),
        ({"code": ["a"]}, 400),
        ({"code": "x" * 500}, 400),
        ({"code": "not-a-code"}, 400),
        ({}, 400),
        (b"{bad", 400),
    ]:
        assert_safe(call("POST", SESSION_PATH, body=body), status)
    assert_safe(call("POST", SIGNOUT_PATH, cookies={COOKIE_NAME: "\u202e" + "x" * 300}), 204)
    not_allowed = call("GET", SHEET_PATH)  # Starlette's own plain-text answer still carries the headers
    assert not_allowed.status == 405
    assert {k: dict(not_allowed.headers).get(k) for k in SECURITY} == SECURITY


def test_a_database_that_cannot_be_reached_is_a_503_not_a_500(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/no/such/dir/app.db")
    get_settings.cache_clear()
    try:
        reply = call("GET", PUBLIC_RESULTS_PATH)
        assert_safe(reply, 503)
        assert reply.json()["error"] == "unavailable" and dict(reply.headers)["retry-after"] == "5"
    finally:
        dispose_engines()
        get_settings.cache_clear()
