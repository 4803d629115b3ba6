"""Advancing between rounds: a shortlist by top N, threshold or by hand with each work's bootstrap chance of being
above the cut; frozen and audited; the works not advanced told; the next round judging only the advanced works, on
its own criteria and sheets, never mixed with the round before; awards from the final round (SQLite and
PostgreSQL)."""

import pytest
from sqlmodel import col, select

from models import (
    AuditEvent,
    JudgeAssignment,
    OutboxMessage,
    RoundAdvance,
    ScoreSheet,
    Submission,
    TypedComment,
    User,
)
from services.contest import editions
from services.judging import rounds, sheets, worklist
from services.platform.errors import Forbidden, ValidationFailed
from services.results import advance, awards, ranking

SAMPLES = 60  # enough to order the chances, quick on two cores


@pytest.fixture
def ctx(demo_session):
    edition = editions.current_edition(session=demo_session)
    rounds.add_round(session=demo_session, edition_id=edition.id, name_th="รอบนำเสนอ", actor="organiser")
    return demo_session, edition


def round_one_name(session, edition_id):
    return rounds.get_round(session=session, edition_id=edition_id, round_no=1).name_th


def _user(session, username):
    return session.exec(select(User).where(User.username == username)).one()


def test_a_top_n_preview_shows_each_works_chance_of_being_above_the_cut(ctx):
    session, edition = ctx
    preview = advance.shortlist(session=session, edition_id=edition.id, rule="top_n", n=10, samples=SAMPLES)
    assert (preview.round_no, preview.cut, preview.frozen) == (1, 10, False)
    assert len(preview.rows) == 45 and len(preview.advancing) == 10
    assert [r.rank for r in preview.advancing] == sorted(r.rank for r in preview.advancing)
    assert max(r.rank for r in preview.advancing) < min(r.rank for r in preview.not_advancing)
    chances = [r.probability_above_cut for r in preview.rows]
    assert all(0.0 <= p <= 1.0 for p in chances)
    assert chances[0] >= 0.9 and chances[-1] <= 0.1  # the leader is safely in, the last safely out
    assert preview.stability is not None and preview.stability.cutoff == 10
    assert session.exec(select(RoundAdvance)).all() == []  # a preview writes nothing


def test_freezing_writes_the_shortlist_audits_it_tells_the_others_and_opens_the_next_round(ctx):
    session, edition = ctx
    board = ranking.leaderboard(session=session, edition_id=edition.id, round_no=1)
    dga = _user(session, "judge-dga")  # a comment typed on a criterion not scored yet: kept as typed text
    sheets.save_changes(
        session=session,
        judge_id=dga.id,
        submission_id=board.rows[0].submission_id,
        points={},
        comments={edition.scored_criteria[0].id: "ยังพิมพ์ไม่เสร็จ"},
        overall_comment=None,
        actor=dga.username,
    )
    assert len(session.exec(select(TypedComment)).all()) == 1
    frozen = advance.freeze(
        session=session, edition_id=edition.id, rule="top_n", n=10, actor="organiser", samples=SAMPLES
    )
    advanced = {r.submission_id for r in frozen.advancing}
    assert frozen.frozen and advanced == {r.submission_id for r in board.rows[:10]}
    with pytest.raises(ValidationFailed) as needed:  # the advanced works need the round they advanced to
        rounds.remove_round(session=session, edition_id=edition.id, round_no=2, actor="organiser")
    assert needed.value.code == "earlier_round_frozen"
    stored = session.exec(select(RoundAdvance)).all()
    assert {a.submission_id for a in stored} == advanced and all(a.probability_above_cut is not None for a in stored)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "round.freeze")).one()
    assert event.actor == "organiser" and event.after["rule"] == "top_n" and event.after["n"] == 10
    assert sorted(event.after["advanced"]) == sorted(advanced) and len(event.after["not_advanced"]) == 35
    assert event.after["typed_comments_discarded"] == 1 and session.exec(select(TypedComment)).all() == []
    told = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "not_advanced")).all()
    # Each entrant of a work not advanced is told, by the outbox (sent when the project can send mail).
    assert sorted(int(m.entity_id) for m in told) == sorted(event.after["not_advanced"])
    assert all(m.recipient == session.get(Submission, int(m.entity_id)).coordinator_email for m in told)
    assert "ไม่ได้รับการคัดเลือก" in told[0].body_text
    # The second round is now current and judges only the advanced works.
    assert rounds.current_round_no(session=session, edition_id=edition.id) == 2
    assert rounds.works_in_round(session=session, edition_id=edition.id, round_no=2) == advanced
    # Nothing of the frozen round changes any more.
    with pytest.raises(ValidationFailed) as again:
        advance.freeze(session=session, edition_id=edition.id, round_no=1, rule="top_n", n=5, actor="organiser")
    assert again.value.code == "round_frozen"
    with pytest.raises(ValidationFailed):
        rounds.update_round(session=session, edition_id=edition.id, round_no=1, name_th="x", actor="organiser")
    judge = _user(session, "judge-opm")
    with pytest.raises(ValidationFailed) as reopen:
        sheets.reopen_sheet(
            session=session,
            judge_id=judge.id,
            submission_id=board.rows[0].submission_id,
            reason="แก้ไข",
            actor="organiser",
            round_no=1,
        )
    assert reopen.value.code == "round_frozen"
    assert advance.shortlist(session=session, edition_id=edition.id, round_no=1).frozen


def test_the_next_round_scores_apart_on_its_own_criteria_and_sheets(ctx):
    session, edition = ctx
    before = [(r.submission_id, r.score) for r in ranking.leaderboard(session=session, edition_id=edition.id).rows]
    advance.freeze(session=session, edition_id=edition.id, rule="top_n", n=10, actor="organiser", samples=SAMPLES)
    advanced = rounds.works_in_round(session=session, edition_id=edition.id, round_no=2)
    added = worklist.assign_all(session=session, edition_id=edition.id, actor="organiser")
    judges = session.exec(select(User).where(User.role == "judge", col(User.active))).all()
    assert added == len(judges) * 10  # the demo records no conflict
    assert {a.submission_id for a in session.exec(select(JudgeAssignment).where(JudgeAssignment.round_no == 2))} == (
        advanced
    )
    out = next(sid for sid, _ in before if sid not in advanced)
    judge = _user(session, "judge-opm")
    with pytest.raises(ValidationFailed) as refused:
        worklist.set_assignment(session=session, judge_id=judge.id, submission_id=out, assigned=True, actor="organiser")
    assert refused.value.code == "not_in_round"
    mine = worklist.list_assignments(session=session, judge_id=judge.id, edition_id=edition.id)
    assert {a.submission.id for a in mine} == advanced and {a.state for a in mine} == {"none"}
    # The judge scored every work in round 1; in round 2 the sheet is a new one, on round 2's criteria.
    work = sorted(advanced)[0]
    sheet = sheets.get_sheet(session=session, judge_id=judge.id, submission_id=work)
    second = rounds.get_round(session=session, edition_id=edition.id, round_no=2)
    assert [c.criterion_id for c in sheet.criteria] == [c.id for c in second.scored_criteria]
    assert sheet.state == "none"
    from services.judging import blind

    notes = blind.round_notes(
        session=session, edition_id=edition.id, edition_config=edition.config, phase=edition.phase, submission_id=work
    )
    assert notes.earlier == [] and notes.others_visible is False  # round 1 keeps its results from round 2's judges
    sheets.save_sheet(
        session=session,
        judge_id=judge.id,
        submission_id=work,
        points={c.criterion_id: c.max_points for c in sheet.criteria},
        submit=True,
        actor=judge.username,
    )
    with pytest.raises(Forbidden):  # a work that did not advance is not the judge's in round 2
        sheets.get_sheet(session=session, judge_id=judge.id, submission_id=out)
    first_round = ranking.leaderboard(session=session, edition_id=edition.id, round_no=1)
    assert [(r.submission_id, r.score) for r in first_round.rows] == before  # round 1 is untouched
    current = ranking.leaderboard(session=session, edition_id=edition.id)
    assert current.round_no == 2 and [(r.submission_id, r.score, r.judge_count) for r in current.rows] == [
        (work, 100.0, 1)
    ]
    states = dict(
        session.exec(
            select(ScoreSheet.round_no, ScoreSheet.state).where(
                ScoreSheet.judge_id == judge.id, ScoreSheet.submission_id == work
            )
        ).all()
    )
    assert states == {1: "submitted", 2: "submitted"}
    progress = rounds.get_round(session=session, edition_id=edition.id)
    assert progress.position == 2


def test_a_threshold_and_a_shortlist_by_hand(ctx):
    session, edition = ctx
    board = ranking.leaderboard(session=session, edition_id=edition.id, round_no=1)
    line = board.rows[14].score
    by_score = advance.shortlist(session=session, edition_id=edition.id, rule="threshold", threshold=line, samples=5)
    assert {r.submission_id for r in by_score.advancing} == {r.submission_id for r in board.rows if r.score >= line}
    assert by_score.cut == len(by_score.advancing) and by_score.stability is not None
    with pytest.raises(ValidationFailed) as bad:
        advance.shortlist(session=session, edition_id=edition.id, rule="threshold", threshold=101)
    assert bad.value.code == "bad_threshold"
    picked = [board.rows[0].submission_id, board.rows[20].submission_id]
    with pytest.raises(ValidationFailed) as no_reason:
        advance.freeze(session=session, edition_id=edition.id, rule="by_hand", by_hand=picked, actor="organiser")
    assert no_reason.value.code == "reason_required"
    frozen = advance.freeze(
        session=session,
        edition_id=edition.id,
        rule="by_hand",
        by_hand=picked,
        reason="คณะกรรมการเลือกผลงานที่มีนวัตกรรมโดดเด่น",
        actor="organiser",
        samples=5,
    )
    assert {r.submission_id for r in frozen.advancing} == set(picked) and frozen.rule == "by_hand"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "round.freeze")).one()
    assert event.after["reason"] == "คณะกรรมการเลือกผลงานที่มีนวัตกรรมโดดเด่น"


def test_awards_come_from_the_final_round_only(ctx):
    session, edition = ctx
    with pytest.raises(ValidationFailed) as early:
        awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser", quorum_override_reason="x")
    assert early.value.code == "earlier_round_open"


def test_the_next_round_has_its_own_panels_progress_schedule_blind_rule_and_may_see_the_first(ctx):
    from datetime import date

    from services.judging import assignments, blind, consensus
    from services.pitching import schedule
    from services.results import stats

    session, edition = ctx
    first_days = schedule.generate(
        session=session,
        edition_id=edition.id,
        actor="organiser",
        params=schedule.ScheduleParams(days=(date(2021, 8, 23), date(2021, 8, 24), date(2021, 8, 25))),
    )
    rounds.update_round(
        session=session, edition_id=edition.id, round_no=1, scores_visible_to_next=True, actor="organiser"
    )
    round_one = ranking.leaderboard(session=session, edition_id=edition.id, round_no=1)
    before = len(session.exec(select(JudgeAssignment)).all())
    advance.freeze(session=session, edition_id=edition.id, rule="top_n", n=10, actor="organiser", samples=SAMPLES)
    advanced = rounds.works_in_round(session=session, edition_id=edition.id, round_no=2)

    result = assignments.assign_panels(
        session=session, edition_id=edition.id, judges_per_submission=3, min_agencies=3, actor="organiser"
    )
    assert (result.added, result.removed, result.short) == (30, 0, {})
    assert len(session.exec(select(JudgeAssignment)).all()) == before + 30  # round 1's are left as they were
    desk = assignments.progress(session=session, edition_id=edition.id)
    assert {s.submission_id for s in desk.submissions} == advanced and all(len(s.judges) == 3 for s in desk.submissions)
    figures = stats.judging_progress(session=session, edition_id=edition.id)
    assert (figures.sheets_expected, figures.sheets_submitted) == (30, 0)

    days = schedule.generate(
        session=session,
        edition_id=edition.id,
        actor="organiser",
        params=schedule.ScheduleParams(days=(date(2021, 9, 6),)),
    )
    assert {s.work.submission_id for d in days for s in d.slots if s.work} == advanced
    kept = schedule.schedule(session=session, edition_id=edition.id, round_no=1)
    assert [d.id for d in kept] == [d.id for d in first_days]  # the first round's days stay

    work = sorted(advanced)[0]
    panel = next(s.judges for s in desk.submissions if s.submission_id == work)
    judge, other = (session.get(User, j) for j in panel[:2])

    def notes() -> blind.RoundNotes:  # as the judge page asks, next to the sheet
        return blind.round_notes(
            session=session,
            edition_id=edition.id,
            edition_config=edition.config,
            phase=edition.phase,
            submission_id=work,
        )

    (earlier,) = notes().earlier
    row = next(r for r in round_one.rows if r.submission_id == work)
    assert (earlier.round_no, earlier.rank, earlier.score) == (1, row.rank, row.score)
    assert earlier.max_total == round_one.max_total and earlier.name("th") == round_one_name(session, edition.id)
    assert notes().others_visible is False
    with pytest.raises(Forbidden):  # the second round is blind
        blind.panel_scores(session=session, judge_id=judge.id, submission_id=work)
    rounds.update_round(session=session, edition_id=edition.id, round_no=2, blind=False, actor="organiser")
    assert notes().others_visible is True
    assert blind.panel_scores(session=session, judge_id=judge.id, submission_id=work) == []  # round 1's not shown
    criteria = sheets.get_sheet(session=session, judge_id=other.id, submission_id=work).criteria
    sheets.save_sheet(
        session=session,
        judge_id=other.id,
        submission_id=work,
        points={c.criterion_id: c.max_points / 2 for c in criteria},
        submit=True,
        actor=other.username,
    )
    (seen,) = blind.panel_scores(session=session, judge_id=judge.id, submission_id=work)
    assert seen.total == 50.0
    agreed = consensus.consensus(session=session, edition_id=edition.id)
    assert [s.submission_id for s in agreed.submissions] == [work]


def test_a_two_round_edition_awards_from_the_final_round_and_reports_on_the_first(ctx):
    from services.results import exports, feedback

    session, edition = ctx
    round_one = ranking.leaderboard(session=session, edition_id=edition.id, round_no=1)
    advance.freeze(session=session, edition_id=edition.id, rule="top_n", n=10, actor="organiser", samples=SAMPLES)
    worklist.assign_all(session=session, edition_id=edition.id, actor="organiser")
    shortlisted = [r.submission_id for r in round_one.rows[:10]]
    judges = session.exec(select(User).where(User.role == "judge", col(User.active))).all()
    for place, work in enumerate(shortlisted):  # the pitch turns the order round: round 1's tenth wins
        for judge in judges:
            criteria = sheets.get_sheet(session=session, judge_id=judge.id, submission_id=work).criteria
            sheets.save_sheet(
                session=session,
                judge_id=judge.id,
                submission_id=work,
                points={c.criterion_id: c.max_points * (0.5 + place * 0.05) for c in criteria},
                submit=True,
                actor=judge.username,
            )
    final = ranking.leaderboard(session=session, edition_id=edition.id)
    assert final.round_no == 2 and [r.submission_id for r in final.rows] == shortlisted[::-1]
    confirmed = awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser")
    assert {a.submission_id for a in confirmed} <= set(shortlisted)
    excellent = next(a for a in confirmed if a.level_code == "excellent")
    assert excellent.submission_id == shortlisted[-1]
    # The open data of each round, the final by default; the first round's ranking is untouched.
    assert len(exports.results_data(session=session, edition_id=edition.id).rows) == 10
    assert len(exports.results_data(session=session, edition_id=edition.id, round_no=1).rows) == 45
    assert [r.score for r in ranking.leaderboard(session=session, edition_id=edition.id, round_no=1).rows] == [
        r.score for r in round_one.rows
    ]
    # Every entrant's report compares the first round's figures, where every work was judged.
    out = round_one.rows[-1].submission_id
    (report,) = feedback.reports(session=session, edition_id=edition.id, submission_ids=[out])
    assert report.works == 45 and report.score == round_one.rows[-1].score and len(report.criteria) == 11


def test_the_live_session_of_the_pitching_round_counts_that_rounds_sheets(ctx):
    from services.pitching import live

    session, edition = ctx
    work = ranking.leaderboard(session=session, edition_id=edition.id, round_no=1).rows[0].submission_id
    assert {s.state for s in live.sheet_status(session=session, submission_id=work)} >= {"submitted"}
    advance.freeze(session=session, edition_id=edition.id, rule="top_n", n=10, actor="organiser", samples=SAMPLES)
    worklist.assign_all(session=session, edition_id=edition.id, actor="organiser")
    statuses = live.sheet_status(session=session, submission_id=work)
    assert len(statuses) == 10 and {s.state for s in statuses} == {"none"}  # round 1's sheets are not this round's
