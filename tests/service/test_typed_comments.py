"""Comments kept as they are typed (before the page's text box commits them): stored without touching the sheet,
shown with it, folded into it when that comment is saved, refused where a score would be — on SQLite and
PostgreSQL, and through the app's HTTP route with the judge's session cookie."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import Session, select

from models import ConflictReason, Phase, Role, TypedComment, User
from services import auth, conflicts, editions, judging, web_sessions
from services.db import dispose_engines
from services.errors import Forbidden, ValidationFailed
from services.settings import get_settings
from services.web_sessions import COOKIE_NAME
from tests.helpers.asgi import call
from web_routes import TYPING_PATH


@pytest.fixture
def dga(demo_session: Session):
    edition = editions.current_edition(session=demo_session)
    user = demo_session.exec(select(User).where(User.username == "judge-dga")).one()
    sub_id = judging.list_assignments(session=demo_session, judge_id=user.id, edition_id=edition.id)[0].submission.id
    return demo_session, edition, user, sub_id


def typed_rows(session: Session, judge_id: int, sub_id: int) -> dict[int, str]:
    session.expire_all()
    rows = {t.criterion_id: t.text for t in session.exec(select(TypedComment).where(
        TypedComment.judge_id == judge_id, TypedComment.submission_id == sub_id))}
    session.commit()  # end the read: on SQLite the app's route must be able to write next
    return rows


def test_typing_is_kept_beside_the_sheet_without_a_new_version_and_folded_on_save(dga) -> None:
    session, edition, user, sub_id = dga
    c1, c2 = (c.id for c in edition.scored_criteria[:2])
    judging.save_sheet(session=session, judge_id=user.id, submission_id=sub_id, points={c1: 3.0}, actor="judge-dga")
    version = judging.get_sheet(session=session, judge_id=user.id, submission_id=sub_id).version

    for text in ("ดี", "ดีมาก", "ดีมาก แต่"):  # keystrokes arrive one after another: the last one stands
        judging.save_typed_comment(session=session, judge_id=user.id, submission_id=sub_id, criterion_id=c1,
                                   text=text)
    judging.save_typed_comment(session=session, judge_id=user.id, submission_id=sub_id, criterion_id=0,
                               text="ภาพรวม")
    judging.save_typed_comment(session=session, judge_id=user.id, submission_id=sub_id, criterion_id=c2,
                               text="ยังไม่ให้คะแนน")
    sheet = judging.get_sheet(session=session, judge_id=user.id, submission_id=sub_id)
    assert sheet.version == version  # the judge's own tab is not told "changed elsewhere"
    assert dict(sheet.typed) == {0: "ภาพรวม", c1: "ดีมาก แต่", c2: "ยังไม่ให้คะแนน"}
    assert sheet.criteria[0].comment == "" and sheet.overall_comment == ""

    judging.save_sheet(session=session, judge_id=user.id, submission_id=sub_id, points={},
                       comments={c1: "ดีมาก แต่", c2: "ยังไม่ให้คะแนน"}, overall_comment="ภาพรวม", actor="judge-dga")
    sheet = judging.get_sheet(session=session, judge_id=user.id, submission_id=sub_id)
    assert sheet.criteria[0].comment == "ดีมาก แต่" and sheet.overall_comment == "ภาพรวม"
    # c2 has no points yet, so its comment cannot be stored: its typed copy stays, nothing is lost
    assert typed_rows(session, user.id, sub_id) == {c2: "ยังไม่ให้คะแนน"}


def test_submitting_the_sheet_clears_every_typed_copy(dga) -> None:
    session, edition, user, sub_id = dga
    points = {c.id: 1.0 for c in edition.scored_criteria}
    judging.save_typed_comment(session=session, judge_id=user.id, submission_id=sub_id,
                               criterion_id=edition.scored_criteria[3].id, text="ร่าง")
    judging.save_sheet(session=session, judge_id=user.id, submission_id=sub_id, points=points, submit=True,
                       actor="judge-dga")
    assert typed_rows(session, user.id, sub_id) == {}
    with pytest.raises(ValidationFailed) as locked:
        judging.save_typed_comment(session=session, judge_id=user.id, submission_id=sub_id, criterion_id=0, text="x")
    assert locked.value.code == "sheet_locked"


def test_typing_is_refused_where_scoring_is(dga) -> None:
    session, edition, user, sub_id = dga
    with pytest.raises(ValidationFailed):
        judging.save_typed_comment(session=session, judge_id=user.id, submission_id=sub_id, criterion_id=999_999,
                                   text="x")
    conflicts.declare(session=session, judge_id=user.id, submission_id=sub_id, reason=ConflictReason.other,
                      note="ญาติ", actor="judge-dga")
    with pytest.raises(Forbidden):
        judging.save_typed_comment(session=session, judge_id=user.id, submission_id=sub_id, criterion_id=0, text="x")
    other = judging.list_assignments(session=session, judge_id=user.id, edition_id=edition.id)[1].submission.id
    editions.update_edition(session=session, edition_id=edition.id, phase=Phase.results, actor="organiser")
    with pytest.raises(ValidationFailed) as closed:
        judging.save_typed_comment(session=session, judge_id=user.id, submission_id=other, criterion_id=0, text="x")
    assert closed.value.code == "judging_closed"
    assert typed_rows(session, user.id, sub_id) == {} and typed_rows(session, user.id, other) == {}


def test_the_typing_route_needs_a_judges_session_cookie(dga, demo_db_url, monkeypatch) -> None:
    session, _edition, user, sub_id = dga
    monkeypatch.setenv("DATABASE_URL", demo_db_url)
    get_settings.cache_clear()
    try:
        def cookie_for(user_id: int) -> str:
            _, code = web_sessions.begin(session=session, user_id=user_id)
            return web_sessions.complete_handoff(session=session, code=code)

        judge_cookie = cookie_for(user.id)
        executive = auth.create_user(session=session, username="exec-x", display_name="ผู้บริหาร", role=Role.executive,
                                     password="a-long-password")
        session.commit()
        body = {"submission": sub_id, "criterion": 0, "text": "กำลังพิมพ์<script>"}
        assert call("POST", TYPING_PATH, body=body).status == 403  # no cookie
        assert call("POST", TYPING_PATH, body=body, cookies={COOKIE_NAME: cookie_for(executive.id)}).status == 403
        assert call("POST", TYPING_PATH, body=body, cookies={COOKIE_NAME: judge_cookie + "x"}).status == 403
        assert call("POST", TYPING_PATH, body={"submission": "x"}, cookies={COOKIE_NAME: judge_cookie}).status == 400
        assert typed_rows(session, user.id, sub_id) == {}

        reply = call("POST", TYPING_PATH, body=body, cookies={COOKIE_NAME: judge_cookie})
        assert reply.status == 204
        assert typed_rows(session, user.id, sub_id) == {0: "กำลังพิมพ์<script>"}  # stored as text, shown as text
    finally:
        dispose_engines()
        get_settings.cache_clear()


def test_typed_text_wins_over_the_boxes_and_waits_for_points(dga) -> None:
    session, edition, user, sub_id = dga
    c1, c2, c3 = (c.id for c in edition.scored_criteria[:3])
    judging.save_sheet(session=session, judge_id=user.id, submission_id=sub_id, points={c1: 2.0},
                       overall_comment="เดิม", actor="judge-dga")
    for cid, text in ((c1, "พิมพ์ต่อ"), (c2, "ยังไม่มีคะแนน"), (c3, "กำลังให้คะแนน"), (0, "ภาพรวมใหม่")):
        judging.save_typed_comment(session=session, judge_id=user.id, submission_id=sub_id, criterion_id=cid,
                                   text=text)
    sheet = judging.get_sheet(session=session, judge_id=user.id, submission_id=sub_id)
    points, comments, overall = judging.with_typed(sheet, {c3: 4.0}, {c1: "ค่าเก่าในกล่อง"}, None)
    assert points == {c3: 4.0}
    assert comments == {c1: "พิมพ์ต่อ", c3: "กำลังให้คะแนน"}  # c2 has no points: its text stays typed
    assert overall == "ภาพรวมใหม่"
    unchanged = replace(sheet, typed=((0, "เดิม"),))  # typed text equal to the saved overall comment: nothing to do
    assert judging.with_typed(unchanged, {}, {}, None) == ({}, {}, None)


def test_typed_waiting_names_the_works_whose_typed_text_the_sheet_lacks(dga) -> None:
    session, edition, user, sub_id = dga
    other = judging.list_assignments(session=session, judge_id=user.id, edition_id=edition.id)[1].submission.id
    c1, c2 = (c.id for c in edition.scored_criteria[:2])

    def waiting() -> set[int]:
        found = judging.typed_waiting(session=session, judge_id=user.id, submission_ids=[sub_id, other])
        session.commit()
        return found

    assert waiting() == set()
    judging.save_typed_comment(session=session, judge_id=user.id, submission_id=sub_id, criterion_id=c2,
                               text="ยังไม่ให้คะแนน")
    assert waiting() == set()  # a comment on an unscored criterion cannot be folded in yet
    judging.save_sheet(session=session, judge_id=user.id, submission_id=sub_id, points={c1: 2.0},
                       comments={c1: "ดี"}, actor="judge-dga")
    judging.save_typed_comment(session=session, judge_id=user.id, submission_id=sub_id, criterion_id=c1, text="ดี")
    assert waiting() == set()  # typed text equal to the saved comment needs nothing
    judging.save_typed_comment(session=session, judge_id=user.id, submission_id=sub_id, criterion_id=c1,
                               text="ดีมาก")
    judging.save_typed_comment(session=session, judge_id=user.id, submission_id=other, criterion_id=0,
                               text="ภาพรวม")  # an overall comment on a work with no sheet yet
    assert waiting() == {sub_id, other}
    assert judging.typed_waiting(session=session, judge_id=user.id, submission_ids=[other]) == {other}
    session.commit()

    # Folded as the page does it: with_typed over no unsaved changes, then saved.
    sheet = judging.get_sheet(session=session, judge_id=user.id, submission_id=sub_id)
    points, comments, overall = judging.with_typed(sheet, {}, {}, None)
    assert (points, comments, overall) == ({}, {c1: "ดีมาก"}, None)
    judging.save_sheet(session=session, judge_id=user.id, submission_id=sub_id, points=points, comments=comments,
                       overall_comment=overall, actor="judge-dga")
    assert waiting() == {other}
    judging.save_sheet(session=session, judge_id=user.id, submission_id=other,
                       points={c.id: 1.0 for c in edition.scored_criteria}, overall_comment="อื่น", submit=True,
                       actor="judge-dga")
    assert waiting() == set()  # submitting clears the typed copies; a submitted sheet never waits
