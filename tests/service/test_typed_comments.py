"""Comments kept as they are typed (before the page's text box commits them): stored without touching the sheet,
shown with it, folded into it when that comment is saved, refused where a score would be — on SQLite and
PostgreSQL. (The sheet route that stores them is tested in test_sheet_route.py.)"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from models import ConflictReason, Phase, TypedComment, User
from services import conflicts, editions, judging
from services.errors import Forbidden, ValidationFailed


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
