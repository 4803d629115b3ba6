"""The judging quorum on SQLite and PostgreSQL: who is expected (assigned, less conflicts), k-of-n, the ranking
that puts works below quorum last, and every refusal to confirm the awards, with the audited override."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import (
    AuditEvent,
    ConflictOfInterest,
    ConflictReason,
    Edition,
    JudgeAssignment,
    Phase,
    ScoreSheet,
    SheetState,
    User,
)
from services.contest import editions
from services.contest import phrases as contest_phrases
from services.judging import completeness, sheets
from services.platform.errors import ValidationFailed
from services.platform.settings import get_settings
from services.results import announcement, awards, exec_deck, ranking
from tests.helpers.judging_factory import new_work_scored_by_one, submit_missing_sheets


@pytest.fixture
def ctx(demo_session):
    return demo_session, editions.current_edition(session=demo_session)


def user(session, username):
    return session.exec(select(User).where(User.username == username)).one()


def set_rule(session, edition, **changes):
    config = editions.get_edition(session=session, edition_id=edition.id).config
    editions.update_edition(
        session=session, edition_id=edition.id, actor="organiser", config=config.model_copy(update=changes)
    )


def test_on_the_demo_every_work_waits_for_judge_dga(ctx):
    session, edition = ctx
    state = completeness.edition_completeness(session=session, edition_id=edition.id)
    assert len(state.works) == 45 and len(state.below_quorum) == 45
    assert {(w.expected, w.submitted, tuple(j.username for j in w.missing)) for w in state.works} == {
        (10, 9, ("judge-dga",))
    }
    dga = next(j for j in state.judges if j.username == "judge-dga")
    assert (dga.expected, dga.submitted, len(dga.owed)) == (45, 0, 45)
    assert submit_missing_sheets(session, edition.id) == 45
    assert completeness.edition_completeness(session=session, edition_id=edition.id).complete


def test_a_conflict_removes_the_judge_from_the_expected_sheets(ctx):
    session, edition = ctx
    sid = completeness.edition_completeness(session=session, edition_id=edition.id).works[0].submission_id
    session.add(
        ConflictOfInterest(
            judge_id=user(session, "judge-dga").id,
            submission_id=sid,
            reason=ConflictReason.other,
            declared_by="organiser",
        )
    )
    session.commit()
    work = completeness.edition_completeness(session=session, edition_id=edition.id).by_work()[sid]
    assert (work.expected, work.submitted, work.missing, work.meets_quorum) == (9, 9, (), True)


def test_k_of_n_counts_submitted_sheets_and_a_draft_is_still_missing(ctx):
    session, edition = ctx
    sid = new_work_scored_by_one(session, edition.id)
    set_rule(session, edition, quorum_min_sheets=2)
    work = completeness.edition_completeness(session=session, edition_id=edition.id).by_work()[sid]
    assert (work.expected, work.submitted, work.meets_quorum, len(work.missing)) == (10, 1, False, 9)
    dga = user(session, "judge-dga")
    judging_points = {c.id: 5.0 for c in edition.scored_criteria}
    sheets.save_sheet(session=session, judge_id=dga.id, submission_id=sid, points=judging_points, actor=dga.username)
    work = completeness.edition_completeness(session=session, edition_id=edition.id).by_work()[sid]
    assert (work.submitted, work.draft, work.meets_quorum) == (1, 1, False)
    assert "judge-dga" in [j.username for j in work.missing]
    sheets.save_sheet(
        session=session, judge_id=dga.id, submission_id=sid, points=judging_points, actor=dga.username, submit=True
    )
    work = completeness.edition_completeness(session=session, edition_id=edition.id).by_work()[sid]
    assert (work.submitted, work.draft, work.meets_quorum) == (2, 0, True)


def test_a_work_one_judge_scored_89_is_ranked_after_every_fully_judged_work(ctx):
    session, edition = ctx
    submit_missing_sheets(session, edition.id)
    sid = new_work_scored_by_one(session, edition.id)
    board = ranking.leaderboard(session=session, edition_id=edition.id)
    last = board.rows[-1]
    assert (last.submission_id, last.score, last.rank, last.meets_quorum) == (sid, 89.0, 46, False)
    assert last.quorum_label() == "1/10 กรรมการ" and board.below_quorum == 1
    assert board.rows[0].score < 89 and all(r.meets_quorum for r in board.rows[:45])
    proposal = awards.propose(session=session, edition_id=edition.id, samples=20)
    assert sid not in {a.submission_id for a in proposal.awards}
    assert [w.submission_id for w in proposal.below_quorum] == [sid]


def assert_ranking_quorum_matches_the_desk(session, edition_id):
    """The ranking reads the quorum its own lean way (one query); it must agree with the completeness desk."""
    desk = completeness.edition_completeness(session=session, edition_id=edition_id).by_work()
    rows = ranking.leaderboard(session=session, edition_id=edition_id).rows
    assert rows
    for row in rows:
        work = desk[row.submission_id]
        assert (row.judges_expected, row.judge_count, row.meets_quorum) == (
            work.expected,
            work.submitted,
            work.meets_quorum,
        ), row.submission_id
    return {r.submission_id: (r.judges_expected, r.judge_count, r.meets_quorum) for r in rows}


def test_the_rankings_quorum_agrees_with_the_desk_through_conflicts_drafts_and_inactive_judges(ctx):
    session, edition = ctx
    assert set(assert_ranking_quorum_matches_the_desk(session, edition.id).values()) == {(10, 9, False)}
    sid = new_work_scored_by_one(session, edition.id)
    dga, opm = user(session, "judge-dga"), user(session, "judge-opm")
    points = {c.id: 5.0 for c in edition.scored_criteria}
    sheets.save_sheet(session=session, judge_id=dga.id, submission_id=sid, points=points, actor=dga.username)
    assert assert_ranking_quorum_matches_the_desk(session, edition.id)[sid] == (10, 1, False)  # a draft is owed
    first = completeness.edition_completeness(session=session, edition_id=edition.id).works[-1].submission_id
    session.add(
        ConflictOfInterest(judge_id=dga.id, submission_id=first, reason=ConflictReason.other, declared_by="organiser")
    )
    session.add(
        ConflictOfInterest(judge_id=opm.id, submission_id=sid, reason=ConflictReason.other, declared_by="organiser")
    )  # the one counted sheet no longer counts
    session.commit()
    found = assert_ranking_quorum_matches_the_desk(session, edition.id)
    assert found[first] == (9, 9, True) and sid not in found
    assert {v for s, v in found.items() if s != first} == {(10, 9, False)}
    dga.active = False  # an inactive judge is no longer expected
    session.add(dga)
    session.commit()
    assert set(assert_ranking_quorum_matches_the_desk(session, edition.id).values()) == {(9, 9, True)}
    set_rule(session, edition, quorum_min_sheets=10)
    assert set(assert_ranking_quorum_matches_the_desk(session, edition.id).values()) == {(9, 9, False)}


def test_an_unassigned_judges_sheet_counts_and_another_rounds_sheet_pays_nothing(ctx):
    """The ranking asks the database for the assignments without a submitted sheet: a counted sheet whose
    assignment was taken away is still expected, and a sheet submitted in round 2 does not settle round 1."""
    session, edition = ctx
    first = completeness.edition_completeness(session=session, edition_id=edition.id).works[0].submission_id
    dga, opm = user(session, "judge-dga"), user(session, "judge-opm")
    taken = session.exec(
        select(JudgeAssignment).where(JudgeAssignment.judge_id == opm.id, JudgeAssignment.submission_id == first)
    ).one()
    session.delete(taken)
    session.add(JudgeAssignment(judge_id=dga.id, submission_id=first, round_no=2))
    session.add(
        ScoreSheet(
            judge_id=dga.id,
            submission_id=first,
            round_no=2,
            state=SheetState.submitted,
            submitted_total=50.0,
            submitted_points={str(c.id): 1.0 for c in edition.scored_criteria},
        )
    )
    session.commit()
    found = assert_ranking_quorum_matches_the_desk(session, edition.id)
    assert set(found.values()) == {(10, 9, False)}
    owed = completeness.owed_sheets(session=session, edition_id=edition.id, counted={first: {opm.id}}, round_no=1)
    assert owed == {first: 1}  # judge-dga's, whatever the other judges' sheets; round 2's sheet pays nothing


def test_confirming_is_refused_naming_the_new_work_and_its_nine_missing_judges_first(ctx):
    session, edition = ctx
    sid = new_work_scored_by_one(session, edition.id, title="ระบบทดสอบองค์ประชุม")
    with pytest.raises(ValidationFailed) as e:
        awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser")
    assert e.value.code == "below_quorum"
    message = e.value.message_th
    assert message.startswith("ยังมี 46 ผลงาน") and "และอีก 43 ผลงาน" in message
    first = message.split(";")[0]
    assert "ระบบทดสอบองค์ประชุม" in first and "1/10 กรรมการ" in first
    missing = completeness.edition_completeness(session=session, edition_id=edition.id).by_work()[sid].missing
    assert len(missing) == 9, first
    assert [j.display_name for j in missing if j.display_name not in first] == []
    assert awards.confirmed_awards(session=session, edition_id=edition.id) == ()
    # With every sheet in, the awards confirm and the announcement lists the 45 works (and the new one).
    submit_missing_sheets(session, edition.id)
    assert len(awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser")) == 8
    built = announcement.build(session=session, edition_id=edition.id)
    assert built.confirmed and len(built.works) == 46 and built.quorum_note == ""


def test_the_override_needs_a_reason_is_audited_and_noted_in_the_announcement_and_deck(ctx):
    session, edition = ctx
    with pytest.raises(ValidationFailed) as e:
        awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser", quorum_override_reason="  ")
    assert e.value.code == "below_quorum"
    reason = "มติคณะกรรมการ: กรรมการ 1 ท่านลาป่วย ใช้คะแนน 9 ท่าน"
    awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser", quorum_override_reason=reason)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "awards.confirm")).one()
    assert event.actor == "organiser" and event.at is not None
    assert event.after["quorum_override"]["reason"] == reason
    missing = event.after["quorum_override"]["missing"]
    assert len(missing) == 45 and set(map(tuple, missing.values())) == {("judge-dga",)}
    override = awards.quorum_override(session=session, edition_id=edition.id)
    assert override is not None and override.works == 45 and override.reason == reason
    text = announcement.announcement_text(session=session, edition_id=edition.id)
    assert awards.QUORUM_NOTE_TH in text and reason in text
    data = exec_deck.deck_data(session=session, edition_id=edition.id, samples=20)
    assert data.quorum_note and awards.QUORUM_NOTE_TH in data.quorum_note
    assert awards.QUORUM_NOTE_TH in exec_deck._status_line(data)


@pytest.mark.parametrize("phase", [Phase.draft, Phase.intake, Phase.screening])
def test_confirming_outside_judging_or_results_is_refused(ctx, phase):
    session, edition = ctx
    submit_missing_sheets(session, edition.id)
    editions.update_edition(session=session, edition_id=edition.id, actor="organiser", phase=phase)
    with pytest.raises(ValidationFailed) as e:
        awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser")
    # The phase by its name, in each language, never its code.
    assert e.value.code == "wrong_phase" and f"“{contest_phrases.PHASE[phase][0]}”" in e.value.message_th
    assert f"the {contest_phrases.PHASE[phase][1]} phase" in e.value.message_en


def test_confirming_while_intake_is_open_on_the_contest_clock_is_refused(ctx, monkeypatch):
    session, edition = ctx
    submit_missing_sheets(session, edition.id)
    row = session.get(Edition, edition.id)
    monkeypatch.setenv("LDAWARD_CLOCK", (row.intake_closes_at - timedelta(hours=1)).isoformat())
    get_settings.cache_clear()
    try:
        with pytest.raises(ValidationFailed) as e:
            awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser")
    finally:
        monkeypatch.delenv("LDAWARD_CLOCK")
        get_settings.cache_clear()
    assert e.value.code == "intake_open" and "รับสมัคร" in e.value.message_th
    assert len(awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser")) == 8


def test_the_quorum_rule_is_set_audited_and_refuses_less_than_one_sheet(ctx):
    session, edition = ctx
    completeness.set_quorum_rule(session=session, edition_id=edition.id, min_sheets=9, actor="organiser")
    state = completeness.edition_completeness(session=session, edition_id=edition.id)
    assert state.min_sheets == 9 and state.complete
    with pytest.raises(ValidationFailed) as refused:
        completeness.set_quorum_rule(session=session, edition_id=edition.id, min_sheets=0, actor="organiser")
    assert refused.value.code == "bad_quorum"
    completeness.set_quorum_rule(session=session, edition_id=edition.id, min_sheets=None, actor="organiser")
    assert len(completeness.edition_completeness(session=session, edition_id=edition.id).below_quorum) == 45
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "edition.update").order_by(AuditEvent.id)).all()
    assert ["'quorum_min_sheets': 9" in e.after["config"] for e in events] == [True, False]
