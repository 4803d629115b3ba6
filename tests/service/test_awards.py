"""Awards on the 2564 demo: the plan, the proposal and its cut-off checks, confirmation (frozen, audited),
reopening, announcing and the public results (SQLite and PostgreSQL)."""

import dataclasses

import pytest
from sqlmodel import select

from models import AuditEvent, AwardResult, Edition, Phase
from services.contest import editions
from services.platform.errors import Forbidden, ValidationFailed
from services.results import awards, exports, ranking
from tests.helpers.judging_factory import submit_missing_sheets

# The demo's judge-dga has scored nothing on purpose, so every demo work is below the default quorum: these tests
# confirm the demo's own ranking with the override (the quorum itself is tested in test_quorum.py).
REASON = "ทดสอบ: ยืนยันผลสาธิตโดยกรรมการ 9 จาก 10 คน"


@pytest.fixture
def ctx(demo_session):
    return demo_session, editions.current_edition(session=demo_session)


def test_the_2564_plan_gives_one_excellent_and_seven_outstanding_by_rank(ctx):
    session, edition = ctx
    proposal = awards.propose(session=session, edition_id=edition.id, samples=100)
    assert [(lv.code, lv.count) for lv in proposal.plan.levels] == [("excellent", 1), ("outstanding", 7)]
    assert "DG Award" in proposal.plan.levels[0].note_th
    board = ranking.leaderboard(session=session, edition_id=edition.id)
    assert [(a.submission_id, a.level_code) for a in proposal.awards] == (
        [(board.rows[0].submission_id, "excellent")] + [(r.submission_id, "outstanding") for r in board.rows[1:8]]
    )
    assert [t.code for t in proposal.tie_breaks] == ["criterion:goals_results", "spread"]
    assert proposal.judging_complete and proposal.frozen_at is None


def test_the_bootstrap_flags_a_cut_off_within_the_noise(ctx):
    session, edition = ctx
    proposal = awards.propose(session=session, edition_id=edition.id, samples=200)
    by_level = {c.level_code: c for c in proposal.cutoffs}
    assert by_level["excellent"].cutoff == 1 and by_level["excellent"].stable
    # The demo's 8th and 9th works are 0.6 points apart: resampling the panel swaps them often.
    eighth = by_level["outstanding"]
    assert eighth.cutoff == 8 and not eighth.stable
    assert eighth.inside_probability < awards.CONFIDENCE
    assert proposal.unstable == (eighth,)
    winner = proposal.awards[0]
    assert sum(winner.band_probabilities) == pytest.approx(1.0)
    assert winner.loo_best <= winner.rank <= winner.loo_worst


def test_a_threshold_plan_awards_every_work_above_the_line(ctx):
    session, edition = ctx
    awards.save_plan(
        session=session,
        edition_id=edition.id,
        actor="organiser",
        levels=[
            {"code": "gold", "th": "ทอง", "min_score": 80},
            {"code": "silver", "th": "เงิน", "min_score": 75, "count": 2},
        ],
    )
    proposal = awards.propose(session=session, edition_id=edition.id, samples=20)
    board = ranking.leaderboard(session=session, edition_id=edition.id)
    gold = [r.submission_id for r in board.rows if r.score >= 80]
    silver = [r.submission_id for r in board.rows if 75 <= r.score < 80][:2]
    assert [(a.submission_id, a.level_code) for a in proposal.awards] == (
        [(s, "gold") for s in gold] + [(s, "silver") for s in silver]
    )
    with pytest.raises(ValidationFailed):
        awards.save_plan(session=session, edition_id=edition.id, actor="organiser", levels=[{"code": "x"}])


def test_a_tie_at_the_cut_off_takes_both_and_is_flagged(ctx):
    session, edition = ctx
    plan = awards.AwardPlan((awards.AwardLevel("a", "ก", "A", 1, None),))
    rows = ranking.leaderboard(session=session, edition_id=edition.id).rows[:3]
    tied = (dataclasses.replace(rows[0], rank=1, tied=True), dataclasses.replace(rows[1], rank=1, tied=True), rows[2])
    assert awards._assign_levels(plan, tied) == {rows[0].submission_id: "a", rows[1].submission_id: "a"}


def test_confirming_freezes_the_list_and_audits_it(ctx):
    session, edition = ctx
    confirmed = awards.confirm_awards(
        session=session, edition_id=edition.id, actor="organiser", quorum_override_reason=REASON
    )
    assert len(confirmed) == 8
    assert [a.level_code for a in confirmed] == ["excellent"] + ["outstanding"] * 7
    # Within a level, by the Thai order of the province, as the announcement lists them.
    provinces = [a.province for a in confirmed[1:]]
    from services.thai.collation import thai_sorted

    assert provinces == thai_sorted(provinces)
    row = session.get(Edition, edition.id)
    session.refresh(row)
    assert row.awards_frozen_by == "organiser" and row.awards_frozen_at is not None
    assert len(session.exec(select(AwardResult).where(AwardResult.edition_id == edition.id)).all()) == 8
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "awards.confirm")).one()
    assert len(event.after["awards"]) == 8 and event.after["unstable_cutoffs"] == [8]
    with pytest.raises(ValidationFailed) as e:
        awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser", quorum_override_reason=REASON)
    assert e.value.code == "awards_frozen"
    with pytest.raises(ValidationFailed):
        awards.save_plan(session=session, edition_id=edition.id, actor="organiser", levels=[])


def test_only_an_organiser_may_confirm(ctx):
    session, edition = ctx
    for actor in ("executive", "judge-opm", "nobody"):
        with pytest.raises(Forbidden):
            awards.confirm_awards(session=session, edition_id=edition.id, actor=actor)
    assert session.exec(select(AwardResult)).all() == []


def test_the_committee_can_override_the_proposal_with_a_reason(ctx):
    session, edition = ctx
    board = ranking.leaderboard(session=session, edition_id=edition.id)
    eighth, ninth = board.rows[7].submission_id, board.rows[8].submission_id
    swap = {eighth: None, ninth: "outstanding"}
    with pytest.raises(ValidationFailed) as e:
        awards.confirm_awards(
            session=session, edition_id=edition.id, actor="organiser", overrides=swap, quorum_override_reason=REASON
        )
    assert e.value.code == "override_needs_note"
    confirmed = awards.confirm_awards(
        session=session,
        edition_id=edition.id,
        actor="organiser",
        overrides=swap,
        quorum_override_reason=REASON,
        note="มติคณะกรรมการ: อันดับ 8 และ 9 อยู่ในช่วงความคลาดเคลื่อน",
    )
    ids = {a.submission_id for a in confirmed}
    assert ninth in ids and eighth not in ids and len(ids) == 8
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "awards.confirm")).one()
    assert event.after["overrides"] == {str(eighth): None, str(ninth): "outstanding"}


def test_reopen_needs_a_reason_and_announcing_needs_confirmed_awards(ctx):
    session, edition = ctx
    with pytest.raises(ValidationFailed):
        awards.announce(session=session, edition_id=edition.id, actor="organiser")
    awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser", quorum_override_reason=REASON)
    with pytest.raises(ValidationFailed):
        awards.reopen_awards(session=session, edition_id=edition.id, actor="organiser", reason="  ")
    awards.reopen_awards(session=session, edition_id=edition.id, actor="organiser", reason="พบคะแนนบันทึกผิด")
    assert awards.confirmed_awards(session=session, edition_id=edition.id) == ()
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "awards.reopen")).one().before["awards"]
    awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser", quorum_override_reason=REASON)
    awards.announce(session=session, edition_id=edition.id, actor="organiser")
    assert editions.get_edition(session=session, edition_id=edition.id).phase == Phase.announced
    with pytest.raises(ValidationFailed) as e:
        awards.reopen_awards(session=session, edition_id=edition.id, actor="organiser", reason="สาย")
    assert e.value.code == "already_announced"


def test_public_results_open_only_once_announced_and_carry_no_scores(ctx):
    session, edition = ctx
    with pytest.raises(Forbidden):
        exports.public_results(session=session, edition_id=edition.id)
    assert submit_missing_sheets(session, edition.id) == 45  # judge-dga's, so the list needs no override
    awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser")
    awards.announce(session=session, edition_id=edition.id, actor="organiser")
    body = exports.public_results(session=session, edition_id=edition.id)
    assert [len(level["works"]) for level in body["awards"]] == [1, 7]
    assert len(body["works"]) == 45
    assert "note" in body  # the demo says its awards are illustrative
    keys = set(body) | {k for work in body["works"] for k in work}
    assert keys.isdisjoint({"score", "rank", "judges", "coordinator_name", "coordinator_phone", "receipt_code"})
