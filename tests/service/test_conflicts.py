"""Conflicts of interest: declared by judges, added by organisers, refused on the sheet, left out of results."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from models import AuditEvent, ConflictReason, Organisation, Submission, User
from services.contest import editions
from services.judging import conflicts, sheets, worklist
from services.platform.errors import Forbidden, ValidationFailed
from services.results import ranking


def judge(session: Session, username: str) -> User:
    return session.exec(select(User).where(User.username == username)).one()


def first_sub(session: Session, judge_id: int) -> int:
    edition = editions.current_edition(session=session)
    assert edition is not None
    return worklist.list_assignments(session=session, judge_id=judge_id, edition_id=edition.id)[0].submission.id


def test_a_declared_conflict_bars_the_judge_from_opening_and_scoring(demo_session: Session) -> None:
    dga = judge(demo_session, "judge-dga")
    sub_id = first_sub(demo_session, dga.id)
    view = conflicts.declare(
        session=demo_session,
        judge_id=dga.id,
        submission_id=sub_id,
        reason=ConflictReason.earlier_involvement,
        note="เคยเป็นที่ปรึกษาโครงการ",
        actor="judge-dga",
    )
    assert (view.reason, view.declared_by) == (ConflictReason.earlier_involvement, "judge-dga")
    with pytest.raises(Forbidden) as e:
        sheets.get_sheet(session=demo_session, judge_id=dga.id, submission_id=sub_id)
    assert e.value.code == "conflict_of_interest" and "มีส่วนได้เสีย" in e.value.message_th
    with pytest.raises(Forbidden):
        sheets.save_sheet(session=demo_session, judge_id=dga.id, submission_id=sub_id, points={}, actor="judge-dga")
    row = next(
        a
        for a in worklist.list_assignments(
            session=demo_session, judge_id=dga.id, edition_id=editions.current_edition(session=demo_session).id
        )
        if a.submission.id == sub_id
    )
    assert row.conflicted
    event = demo_session.exec(select(AuditEvent).where(AuditEvent.action == "conflict.declare")).one()
    assert event.after == {"reason": "earlier_involvement", "note": "เคยเป็นที่ปรึกษาโครงการ", "declared_by": "judge-dga"}


def test_a_judge_declares_only_their_own_and_other_needs_a_note(demo_session: Session) -> None:
    dga, opm = judge(demo_session, "judge-dga"), judge(demo_session, "judge-opm")
    sub_id = first_sub(demo_session, dga.id)
    with pytest.raises(Forbidden):
        conflicts.declare(
            session=demo_session,
            judge_id=opm.id,
            submission_id=sub_id,
            reason=ConflictReason.own_province,
            actor="judge-dga",
        )
    with pytest.raises(ValidationFailed) as e:
        conflicts.declare(
            session=demo_session, judge_id=dga.id, submission_id=sub_id, reason="other", note=" ", actor="judge-dga"
        )
    assert e.value.code == "note_required"
    with pytest.raises(Forbidden):
        conflicts.declare(
            session=demo_session, judge_id=dga.id, submission_id=sub_id, reason="other", note="x", actor="executive"
        )
    assert conflicts.conflicted_pairs(demo_session, editions.current_edition(session=demo_session).id) == set()


def test_an_organisers_conflict_takes_the_judges_score_out_of_the_leaderboard_until_lifted(
    demo_session: Session,
) -> None:
    edition = editions.current_edition(session=demo_session)
    opm = judge(demo_session, "judge-opm")  # opm has submitted every sheet
    sub_id = first_sub(demo_session, opm.id)
    before = {r.submission_id: r for r in ranking.leaderboard(session=demo_session, edition_id=edition.id).rows}
    assert before[sub_id].judge_count == 9
    conflicts.declare(
        session=demo_session, judge_id=opm.id, submission_id=sub_id, reason="supervising_agency", actor="organiser"
    )
    assert conflicts.conflicted_pairs(demo_session, edition.id) == {(opm.id, sub_id)}
    after = {r.submission_id: r for r in ranking.leaderboard(session=demo_session, edition_id=edition.id).rows}
    assert after[sub_id].judge_count == 8
    assert all(after[s].judge_count == 9 for s in after if s != sub_id)
    with pytest.raises(Forbidden):
        conflicts.withdraw(session=demo_session, judge_id=opm.id, submission_id=sub_id, reason="ผิด", actor="judge-opm")
    conflicts.withdraw(
        session=demo_session, judge_id=opm.id, submission_id=sub_id, reason="บันทึกผิดคน", actor="organiser"
    )
    again = {r.submission_id: r for r in ranking.leaderboard(session=demo_session, edition_id=edition.id).rows}
    assert again[sub_id].judge_count == 9 and again[sub_id].score == before[sub_id].score


def test_assign_all_and_set_assignment_skip_conflicts(demo_session: Session) -> None:
    edition = editions.current_edition(session=demo_session)
    dga = judge(demo_session, "judge-dga")
    sub_id = first_sub(demo_session, dga.id)
    worklist.set_assignment(
        session=demo_session, judge_id=dga.id, submission_id=sub_id, assigned=False, actor="organiser"
    )
    conflicts.declare(
        session=demo_session, judge_id=dga.id, submission_id=sub_id, reason="own_province", actor="organiser"
    )
    assert worklist.assign_all(session=demo_session, edition_id=edition.id, actor="organiser") == 0
    with pytest.raises(Forbidden):
        worklist.set_assignment(
            session=demo_session, judge_id=dga.id, submission_id=sub_id, assigned=True, actor="organiser"
        )


def test_the_province_rule_suggests_a_judge_whose_agency_is_in_the_applicants_province(demo_session: Session) -> None:
    edition = editions.current_edition(session=demo_session)
    nia = judge(demo_session, "judge-nia")
    nia.agency = "สำนักงานจังหวัดเชียงราย"
    demo_session.add(nia)
    demo_session.commit()
    in_chiang_rai = demo_session.exec(
        select(Submission.id)
        .join(Organisation)
        .where(Submission.edition_id == edition.id, Organisation.province == "เชียงราย")
    ).all()
    assert len(in_chiang_rai) >= 6  # the 2564 list: Chiang Rai had the most organisations
    found = conflicts.suggest(session=demo_session, edition_id=edition.id)
    assert {(s.judge_username, s.submission_id) for s in found} == {("judge-nia", s) for s in in_chiang_rai}
    assert {s.reason for s in found} == {ConflictReason.own_province}
    conflicts.declare(
        session=demo_session, judge_id=nia.id, submission_id=in_chiang_rai[0], reason="own_province", actor="organiser"
    )
    assert len(conflicts.suggest(session=demo_session, edition_id=edition.id)) == len(in_chiang_rai) - 1


def test_provinces_named_in_an_agency_prefer_the_longest_name() -> None:
    assert conflicts.provinces_named_in("อบจ.ชัยนาท") == {"ชัยนาท"}
    assert conflicts.provinces_named_in("สำนักงานพัฒนารัฐบาลดิจิทัล") == set()
