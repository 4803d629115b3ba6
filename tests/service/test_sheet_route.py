"""The score sheet's save route (POST /api/judge/sheet), as the judge's page component calls it: save_sheet's rules
(assignment, conflict, lock, phase, bounds), only the fields sent, comments kept before their criterion has points,
another tab's writes reported as `foreign`, refused cross-site — on SQLite and PostgreSQL, through ASGI."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from models import AuditEvent, ConflictReason, Phase, Role, User
from services.contest import editions
from services.judging import conflicts, sheets, worklist
from services.platform import auth
from services.platform.db import dispose_engines, get_engine
from services.platform.settings import get_settings
from services.platform.web_sessions import COOKIE_NAME
from tests.helpers.asgi import Reply, call, session_cookies
from web_routes import SHEET_PATH


@pytest.fixture
def judge(demo_db_url: str, demo_session: Session, monkeypatch: pytest.MonkeyPatch):
    """The demo's judge-dga signed in (its cookie), its first assigned work and the edition's scored criteria."""
    monkeypatch.setenv("DATABASE_URL", demo_db_url)
    get_settings.cache_clear()
    edition = editions.current_edition(session=demo_session)
    user = demo_session.exec(select(User).where(User.username == "judge-dga")).one()
    works = worklist.list_assignments(session=demo_session, judge_id=user.id, edition_id=edition.id)
    yield demo_session, edition, user, works, session_cookies(demo_session, user.id)
    dispose_engines()
    get_settings.cache_clear()


def stored(session: Session, judge_id: int, sub_id: int) -> sheets.SheetView:
    session.expire_all()
    sheet = sheets.get_sheet(session=session, judge_id=judge_id, submission_id=sub_id)
    session.commit()  # end the read: on SQLite the route must be able to write next
    return sheet


def post(cookies: dict[str, str] | None, body: object, **headers: str) -> Reply:
    return call("POST", SHEET_PATH, body=body, cookies=cookies, headers=headers)


def test_a_slider_move_is_saved_with_its_version_total_and_audit(judge) -> None:
    session, edition, user, works, cookies = judge
    sub_id = works[0].submission.id
    c1, c2 = (str(c.id) for c in edition.scored_criteria[:2])
    first = post(cookies, {"submission": sub_id, "version": 0, "points": {c1: 7.5}})
    assert first.status == 200, first.body
    answer = first.json()
    assert (answer["version"], answer["state"], answer["total"], answer["scored"], answer["foreign"]) == (
        1,
        "draft",
        7.5,
        1,
        False,
    )
    assert answer["sheet"]["points"] == {c1: 7.5} and answer["updated_at"]
    second = post(cookies, {"submission": sub_id, "version": 1, "points": {c2: 4}, "comments": {c1: "ดี"}}).json()
    assert (second["version"], second["total"], second["scored"], second["foreign"]) == (2, 11.5, 2, False)
    sheet = stored(session, user.id, sub_id)
    assert [(c.points, c.comment) for c in sheet.criteria[:2]] == [(7.5, "ดี"), (4.0, "")]
    assert sheet.version == 2 and sheet.state == "draft"
    saves = session.exec(
        select(AuditEvent).where(AuditEvent.action == "score.save", AuditEvent.actor == "judge-dga")
    ).all()
    assert len(saves) == 3  # c1, c2, then c1's comment: every change audited


def test_a_slider_move_is_seven_statements_and_text_typed_earlier_still_goes_in_with_its_points(judge) -> None:
    """The route's common case, a slider move with nothing typed: the session with its judge, the work's checks,
    the criteria, the sheet made or bumped and read back in one upsert, its scores, the audit, the score. A
    comment sent before its criterion had points comes in with the first points (read only when some is kept)."""
    session, edition, user, works, cookies = judge
    sub_id = works[0].submission.id
    c1, c2 = (str(c.id) for c in edition.scored_criteria[:2])
    assert post(cookies, {"submission": sub_id, "version": 0, "points": {c1: 5}}).status == 200
    statements: list[str] = []
    # SQL statements, not SQLite's BEGIN IMMEDIATE and COMMIT
    listen = lambda *args: args[2].startswith(("SELECT", "INSERT", "UPDATE", "DELETE")) and statements.append(args[2])  # noqa: E731
    sa.event.listen(get_engine(), "before_cursor_execute", listen)
    try:
        moved = post(cookies, {"submission": sub_id, "version": 1, "points": {c1: 6}}).json()
        assert len(statements) == 7, statements
        assert (moved["version"], moved["total"], moved["foreign"]) == (2, 6.0, False)
        typed = post(cookies, {"submission": sub_id, "version": 2, "comments": {c2: "ก่อนให้คะแนน"}}).json()
        assert typed["version"] == 2 and typed["sheet"]["comments"][c2] == "ก่อนให้คะแนน"
        statements.clear()
        scored = post(cookies, {"submission": sub_id, "version": 2, "points": {c2: 3}}).json()
        assert len(statements) == 10, statements  # and the typed text read, cleared once folded in, read again
    finally:
        sa.event.remove(get_engine(), "before_cursor_execute", listen)
    assert (scored["version"], scored["total"], scored["sheet"]["comments"][c2]) == (3, 9.0, "ก่อนให้คะแนน")
    sheet = stored(session, user.id, sub_id)
    assert sheet.typed == () and [(c.points, c.comment) for c in sheet.criteria[:2]] == [(6.0, ""), (3.0, "ก่อนให้คะแนน")]


def test_another_tab_writing_in_between_is_reported_as_foreign_with_the_stored_values(judge) -> None:
    session, edition, user, works, cookies = judge
    sub_id = works[0].submission.id
    c1 = str(edition.scored_criteria[0].id)
    assert post(cookies, {"submission": sub_id, "version": 0, "points": {c1: 3}}).json()["foreign"] is False
    other_tab = post(cookies, {"submission": sub_id, "version": 1, "points": {c1: 9}}).json()
    assert other_tab["version"] == 2 and other_tab["foreign"] is False
    # This tab last saw version 1: its move still lands (last write wins per criterion), and it is told.
    stale = post(cookies, {"submission": sub_id, "version": 1, "comments": {c1: "จากแท็บเก่า"}}).json()
    assert stale["version"] == 3 and stale["foreign"] is True
    assert stale["sheet"]["points"] == {c1: 9.0} and stale["sheet"]["comments"][c1] == "จากแท็บเก่า"
    # Nothing to write (a load): foreign when the version is not the one the page saw.
    assert post(cookies, {"submission": sub_id, "version": 3}).json()["foreign"] is False
    assert post(cookies, {"submission": sub_id, "version": 2}).json()["foreign"] is True
    assert stored(session, user.id, sub_id).version == 3


def test_a_comment_before_its_points_is_kept_given_back_and_folded_in_with_them(judge) -> None:
    session, edition, user, works, cookies = judge
    sub_id = works[0].submission.id
    c1, c2 = (str(c.id) for c in edition.scored_criteria[:2])
    early = post(cookies, {"submission": sub_id, "version": 0, "comments": {c2: "ยังไม่ให้คะแนน แต่มีข้อสังเกต"}}).json()
    assert early["version"] == 0 and early["foreign"] is False  # only typed text: the sheet itself is untouched
    assert early["sheet"]["comments"][c2] == "ยังไม่ให้คะแนน แต่มีข้อสังเกต" and early["sheet"]["points"] == {}
    sheet = stored(session, user.id, sub_id)
    assert sheet.state == "none" and dict(sheet.typed) == {int(c2): "ยังไม่ให้คะแนน แต่มีข้อสังเกต"}

    post(cookies, {"submission": sub_id, "version": 0, "points": {c1: 5}})  # another criterion: c2 still waits
    assert dict(stored(session, user.id, sub_id).typed) == {int(c2): "ยังไม่ให้คะแนน แต่มีข้อสังเกต"}
    later = post(cookies, {"submission": sub_id, "version": 1, "points": {c2: 2.5}}).json()
    assert later["sheet"]["comments"][c2] == "ยังไม่ให้คะแนน แต่มีข้อสังเกต"
    sheet = stored(session, user.id, sub_id)
    assert sheet.criteria[1].comment == "ยังไม่ให้คะแนน แต่มีข้อสังเกต" and sheet.typed == ()


def test_hostile_text_is_stored_cleaned(judge) -> None:
    session, edition, user, works, cookies = judge
    sub_id = works[0].submission.id
    c1, c2 = (str(c.id) for c in edition.scored_criteria[:2])
    hostile = "ดี\u202e<script>alert(1)</script>\x00\u200b [x](javascript:1)\r\nบรรทัดสอง"
    reply = post(
        cookies,
        {
            "submission": sub_id,
            "version": 0,
            "points": {c1: 1},
            "comments": {c1: hostile, c2: hostile},
            "overall": hostile,
        },
    ).json()
    cleaned = "ดี<script>alert(1)</script> [x](javascript:1)\nบรรทัดสอง"
    assert reply["sheet"]["comments"] == {**reply["sheet"]["comments"], c1: cleaned, c2: cleaned}
    sheet = stored(session, user.id, sub_id)
    assert sheet.criteria[0].comment == cleaned and sheet.overall_comment == cleaned
    assert dict(sheet.typed) == {int(c2): cleaned}


def test_refused_without_a_judges_session_or_from_another_site(judge) -> None:
    session, edition, user, works, cookies = judge
    sub_id = works[0].submission.id
    body = {"submission": sub_id, "version": 0, "points": {str(edition.scored_criteria[0].id): 1}}
    executive = auth.create_user(
        session=session, username="exec-x", display_name="ผู้บริหาร", role=Role.executive, password="a-long-password"
    )
    session.commit()
    refusals = [
        post(None, body),
        post({COOKIE_NAME: cookies[COOKIE_NAME] + "x"}, body),
        post(session_cookies(session, executive.id), body),
        post(cookies, body, Origin="https://evil.example"),
        post(cookies, body, Origin="null"),
        post(cookies, body, Origin="https://test"),  # this host, another scheme
        post(cookies, body, **{"Sec-Fetch-Site": "cross-site"}),
    ]
    for reply in refusals:
        assert reply.status == 403, reply.body
        assert reply.json()["message_th"] and reply.json()["message_en"]
    assert stored(session, user.id, sub_id).version == 0
    same_site = post(cookies, body, Origin="http://test", **{"Sec-Fetch-Site": "same-origin"})
    assert same_site.status == 200 and same_site.json()["version"] == 1


def test_a_work_not_assigned_or_in_conflict_is_refused(judge) -> None:
    session, edition, user, works, cookies = judge
    assigned = {w.submission.id for w in works}
    other_judge = session.exec(select(User).where(User.role == Role.judge, User.id != user.id)).first()
    foreign_work = next(
        (
            w.submission.id
            for w in worklist.list_assignments(session=session, judge_id=other_judge.id, edition_id=edition.id)
            if w.submission.id not in assigned
        ),
        None,
    )
    c1 = str(edition.scored_criteria[0].id)
    if foreign_work is not None:
        reply = post(cookies, {"submission": foreign_work, "version": 0, "points": {c1: 1}})
        assert (reply.status, reply.json()["error"]) == (403, "not_assigned")
    sub_id = works[1].submission.id
    conflicts.declare(
        session=session,
        judge_id=user.id,
        submission_id=sub_id,
        reason=ConflictReason.other,
        note="ญาติ",
        actor="judge-dga",
    )
    session.commit()
    reply = post(cookies, {"submission": sub_id, "version": 0, "comments": {c1: "x"}})
    assert (reply.status, reply.json()["error"]) == (403, "conflict_of_interest")


def test_a_locked_sheet_and_closed_judging_refuse_every_change(judge) -> None:
    session, edition, user, works, cookies = judge
    sub_id, other = works[0].submission.id, works[1].submission.id
    criteria = [str(c.id) for c in edition.scored_criteria]
    sheets.save_sheet(
        session=session,
        judge_id=user.id,
        submission_id=sub_id,
        points={c.id: 1.0 for c in edition.scored_criteria},
        submit=True,
        actor="judge-dga",
    )
    for body in ({"points": {criteria[0]: 2}}, {"comments": {criteria[0]: "แก้"}}, {"overall": "แก้"}):
        reply = post(cookies, {"submission": sub_id, "version": 1, **body})
        assert (reply.status, reply.json()["error"]) == (400, "sheet_locked"), body
    sheet = stored(session, user.id, sub_id)
    assert sheet.state == "submitted" and sheet.criteria[0].points == 1.0 and sheet.version == 1

    editions.update_edition(session=session, edition_id=edition.id, phase=Phase.results, actor="organiser")
    session.commit()
    for body in ({"points": {criteria[0]: 2}}, {"comments": {criteria[1]: "x"}}):
        reply = post(cookies, {"submission": other, "version": 0, **body})
        assert (reply.status, reply.json()["error"]) == (400, "judging_closed"), body
    assert stored(session, user.id, other).state == "none"


def test_a_database_that_is_away_answers_503(judge, tmp_path, monkeypatch) -> None:
    _session, edition, _user, works, cookies = judge
    dispose_engines()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/no/such/dir/app.db")
    get_settings.cache_clear()
    reply = post(
        cookies, {"submission": works[0].submission.id, "version": 0, "points": {str(edition.scored_criteria[0].id): 1}}
    )
    assert reply.status == 503 and reply.json()["message_th"]
