"""Judging on the demo edition: drafts, submitting locks, the leaderboard counts only submitted sheets."""

import pytest
from sqlmodel import select

from models import AuditEvent, Role, User
from services.contest import editions
from services.judging import sheets, worklist
from services.platform.errors import Forbidden, ValidationFailed
from services.results import ranking, scoring


@pytest.fixture
def ctx(demo_session):
    edition = editions.current_edition(session=demo_session)
    judge = demo_session.exec(select(User).where(User.username == "judge-dga")).one()
    return demo_session, edition, judge


def full_points(edition, value=lambda c: c.max_points * 0.8):
    return {c.id: value(c) for c in edition.scored_criteria}


def test_the_free_demo_judge_has_all_45_works_unscored(ctx):
    session, edition, judge = ctx
    rows = worklist.list_assignments(session=session, judge_id=judge.id, edition_id=edition.id)
    assert len(rows) == 45
    assert {r.state for r in rows} == {"none"}


def test_a_draft_is_saved_totalled_and_not_yet_on_the_leaderboard(ctx):
    session, edition, judge = ctx
    sub_id = worklist.list_assignments(session=session, judge_id=judge.id, edition_id=edition.id)[0].submission.id
    before = {r.submission_id: r for r in ranking.leaderboard(session=session, edition_id=edition.id).rows}
    sheet = sheets.save_sheet(
        session=session,
        judge_id=judge.id,
        submission_id=sub_id,
        points=full_points(edition),
        comments={edition.scored_criteria[0].id: "ชัดเจนดี"},
        actor=judge.username,
    )
    assert sheet.state == "draft"
    assert sheet.total == pytest.approx(80.0)
    assert sheet.criteria[0].comment == "ชัดเจนดี"
    after = {r.submission_id: r for r in ranking.leaderboard(session=session, edition_id=edition.id).rows}
    assert after[sub_id].judge_count == before[sub_id].judge_count == 9


def test_submitting_locks_the_sheet_and_moves_the_leaderboard(ctx):
    session, edition, judge = ctx
    sub_id = worklist.list_assignments(session=session, judge_id=judge.id, edition_id=edition.id)[0].submission.id
    before = {r.submission_id: r for r in ranking.leaderboard(session=session, edition_id=edition.id).rows}
    sheets.save_sheet(
        session=session,
        judge_id=judge.id,
        submission_id=sub_id,
        points=full_points(edition, lambda c: c.max_points),
        submit=True,
        actor=judge.username,
    )
    after = {r.submission_id: r for r in ranking.leaderboard(session=session, edition_id=edition.id).rows}
    assert after[sub_id].judge_count == 10
    expected = (before[sub_id].score * 9 + 100) / 10
    assert after[sub_id].score == pytest.approx(expected, abs=0.01)
    with pytest.raises(ValidationFailed) as e:
        sheets.save_sheet(session=session, judge_id=judge.id, submission_id=sub_id, points={}, actor=judge.username)
    assert e.value.code == "sheet_locked"


def test_an_organiser_can_reopen_a_submitted_sheet_with_a_reason(ctx):
    session, edition, judge = ctx
    sub_id = worklist.list_assignments(session=session, judge_id=judge.id, edition_id=edition.id)[0].submission.id
    sheets.save_sheet(
        session=session,
        judge_id=judge.id,
        submission_id=sub_id,
        points=full_points(edition),
        submit=True,
        actor=judge.username,
    )
    with pytest.raises(ValidationFailed):
        sheets.reopen_sheet(session=session, judge_id=judge.id, submission_id=sub_id, reason=" ", actor="organiser")
    sheets.reopen_sheet(
        session=session, judge_id=judge.id, submission_id=sub_id, reason="กรรมการขอแก้", actor="organiser"
    )
    assert sheets.get_sheet(session=session, judge_id=judge.id, submission_id=sub_id).state == "draft"


def test_points_beyond_the_criterion_maximum_are_refused(ctx):
    session, edition, judge = ctx
    sub_id = worklist.list_assignments(session=session, judge_id=judge.id, edition_id=edition.id)[0].submission.id
    five_point = next(c for c in edition.scored_criteria if c.max_points == 5)
    with pytest.raises(ValidationFailed) as e:
        sheets.save_sheet(
            session=session, judge_id=judge.id, submission_id=sub_id, points={five_point.id: 6}, actor=judge.username
        )
    assert e.value.code == "points_out_of_range"
    assert sheets.get_sheet(session=session, judge_id=judge.id, submission_id=sub_id).state == "none"


def test_an_incomplete_sheet_cannot_be_submitted(ctx):
    session, edition, judge = ctx
    sub_id = worklist.list_assignments(session=session, judge_id=judge.id, edition_id=edition.id)[0].submission.id
    first = edition.scored_criteria[0]
    with pytest.raises(ValidationFailed) as e:
        sheets.save_sheet(
            session=session,
            judge_id=judge.id,
            submission_id=sub_id,
            points={first.id: 5},
            submit=True,
            actor=judge.username,
        )
    assert e.value.code == "sheet_incomplete"
    # The criteria still without points are named by their number on the sheet (the first one has points).
    numbers = ", ".join(str(n) for n in range(2, len(edition.scored_criteria) + 1))
    assert f"เกณฑ์ข้อ {numbers} (2. {edition.scored_criteria[1].title_th[:40]};" in e.value.message("th")
    assert f"criterion {numbers} (2. " in e.value.message("en")
    assert "(1. " not in e.value.message("th") and "; 1. " not in e.value.message("th")


def test_a_judge_cannot_open_an_unassigned_submission(ctx):
    session, edition, judge = ctx
    sub_id = worklist.list_assignments(session=session, judge_id=judge.id, edition_id=edition.id)[0].submission.id
    worklist.set_assignment(session=session, judge_id=judge.id, submission_id=sub_id, assigned=False, actor="organiser")
    with pytest.raises(Forbidden):
        sheets.get_sheet(session=session, judge_id=judge.id, submission_id=sub_id)


def test_non_judges_cannot_score(ctx):
    session, edition, _ = ctx
    exec_user = session.exec(select(User).where(User.role == Role.executive)).first()
    with pytest.raises(Forbidden):
        worklist.list_assignments(session=session, judge_id=exec_user.id, edition_id=edition.id)


def test_every_score_change_is_audited_with_before_and_after(ctx):
    session, edition, judge = ctx
    sub_id = worklist.list_assignments(session=session, judge_id=judge.id, edition_id=edition.id)[0].submission.id
    cid = edition.scored_criteria[0].id
    sheets.save_sheet(session=session, judge_id=judge.id, submission_id=sub_id, points={cid: 4}, actor="judge-dga")
    sheets.save_sheet(session=session, judge_id=judge.id, submission_id=sub_id, points={cid: 7}, actor="judge-dga")
    events = session.exec(
        select(AuditEvent).where(AuditEvent.entity_id == f"{judge.id}:{sub_id}:{cid}").order_by(AuditEvent.id)
    ).all()
    assert [(e.before, e.after["points"]) for e in events] == [(None, 4.0), ({"points": 4.0, "comment": ""}, 7.0)]


def test_leaderboard_ranks_all_45_with_every_method(ctx):
    session, edition, _ = ctx
    for method in scoring.Method:
        board = ranking.leaderboard(session=session, edition_id=edition.id, method=method)
        assert len(board.rows) == 45
        assert [r.rank for r in board.rows] == sorted(r.rank for r in board.rows)
        assert all(0 <= r.score <= 100 for r in board.rows)
        assert all(r.judge_count == 9 for r in board.rows)


def test_leaderboard_criterion_means_add_up_to_the_mean_total(ctx):
    session, edition, _ = ctx
    board = ranking.leaderboard(session=session, edition_id=edition.id)
    top = board.rows[0]
    assert sum(top.criterion_means.values()) == pytest.approx(top.score, abs=0.1)
    assert set(top.criterion_means) == {c.code for c in edition.scored_criteria}


def test_assign_all_adds_only_missing_pairs(ctx):
    session, edition, judge = ctx
    assert worklist.assign_all(session=session, edition_id=edition.id, actor="organiser") == 0
    sub_id = worklist.list_assignments(session=session, judge_id=judge.id, edition_id=edition.id)[0].submission.id
    worklist.set_assignment(session=session, judge_id=judge.id, submission_id=sub_id, assigned=False, actor="organiser")
    assert worklist.assign_all(session=session, edition_id=edition.id, actor="organiser") == 1
