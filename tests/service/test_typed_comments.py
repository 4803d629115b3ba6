"""Comments sent before their criterion has points (judging.save_changes, as the score sheet sends them): kept
beside the sheet without a new version, cleared by submitting, refused where a score would be — on SQLite and
PostgreSQL. (The route, and folding them in with the points, are tested in test_sheet_route.py.)"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from models import ConflictReason, Phase, TypedComment, User
from services.contest import editions
from services.judging import conflicts, sheets, worklist
from services.platform.errors import Forbidden, ValidationFailed


@pytest.fixture
def dga(demo_session: Session):
    edition = editions.current_edition(session=demo_session)
    user = demo_session.exec(select(User).where(User.username == "judge-dga")).one()
    sub_id = worklist.list_assignments(session=demo_session, judge_id=user.id, edition_id=edition.id)[0].submission.id
    return demo_session, edition, user, sub_id


def typed_rows(session: Session, judge_id: int, sub_id: int) -> dict[int, str]:
    session.expire_all()
    rows = {
        t.criterion_id: t.text
        for t in session.exec(
            select(TypedComment).where(TypedComment.judge_id == judge_id, TypedComment.submission_id == sub_id)
        )
    }
    session.commit()  # end the read: on SQLite the app's route must be able to write next
    return rows


def typed(session: Session, user: User, sub_id: int, criterion_id: int, text: str) -> bool:
    """A comment sent as the score sheet sends it (judging.save_changes); True when the sheet's version moved."""
    return sheets.save_changes(
        session=session,
        judge_id=user.id,
        submission_id=sub_id,
        points={},
        comments={criterion_id: text},
        overall_comment=None,
        actor="judge-dga",
    )[1]


def test_a_comment_before_its_points_is_kept_beside_the_sheet_without_a_new_version(dga) -> None:
    session, edition, user, sub_id = dga
    c1, c2 = (c.id for c in edition.scored_criteria[:2])
    sheets.save_sheet(session=session, judge_id=user.id, submission_id=sub_id, points={c1: 3.0}, actor="judge-dga")
    version = sheets.get_sheet(session=session, judge_id=user.id, submission_id=sub_id).version
    for text in ("ดี", "ดีมาก", "ดีมาก แต่"):  # sent one after another as typed: the last one stands
        assert typed(session, user, sub_id, c2, text) is False  # the judge's own tab is not told "changed elsewhere"
    sheet = sheets.get_sheet(session=session, judge_id=user.id, submission_id=sub_id)
    assert sheet.version == version and dict(sheet.typed) == {c2: "ดีมาก แต่"}
    assert typed_rows(session, user.id, sub_id) == {c2: "ดีมาก แต่"}
    assert typed(session, user, sub_id, c1, "ตรงประเด็น") is True  # a scored criterion: straight into the sheet
    assert sheets.get_sheet(session=session, judge_id=user.id, submission_id=sub_id).criteria[0].comment == "ตรงประเด็น"


def test_submitting_the_sheet_clears_every_typed_copy(dga) -> None:
    session, edition, user, sub_id = dga
    points = {c.id: 1.0 for c in edition.scored_criteria}
    typed(session, user, sub_id, edition.scored_criteria[3].id, "ร่าง")
    sheets.save_sheet(
        session=session, judge_id=user.id, submission_id=sub_id, points=points, submit=True, actor="judge-dga"
    )
    assert typed_rows(session, user.id, sub_id) == {}
    with pytest.raises(ValidationFailed) as locked:
        typed(session, user, sub_id, edition.scored_criteria[3].id, "x")
    assert locked.value.code == "sheet_locked"


def test_typing_is_refused_where_scoring_is(dga) -> None:
    session, edition, user, sub_id = dga
    c1 = edition.scored_criteria[0].id
    with pytest.raises(ValidationFailed) as bad:
        typed(session, user, sub_id, 999_999, "x")
    assert bad.value.code == "bad_criterion"
    conflicts.declare(
        session=session,
        judge_id=user.id,
        submission_id=sub_id,
        reason=ConflictReason.other,
        note="ญาติ",
        actor="judge-dga",
    )
    with pytest.raises(Forbidden):
        typed(session, user, sub_id, c1, "x")
    other = worklist.list_assignments(session=session, judge_id=user.id, edition_id=edition.id)[1].submission.id
    editions.update_edition(session=session, edition_id=edition.id, phase=Phase.results, actor="organiser")
    with pytest.raises(ValidationFailed) as closed:
        typed(session, user, sub_id=other, criterion_id=c1, text="x")
    assert closed.value.code == "judging_closed"
    assert typed_rows(session, user.id, sub_id) == {} and typed_rows(session, user.id, other) == {}
