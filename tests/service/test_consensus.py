"""Consensus and calibration: spreads per submission and criterion, flags beyond the threshold, harsh and lenient
judges, sheets done; conflicted judges left out."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from models import User
from services.contest import editions
from services.judging import conflicts, consensus, sheets, worklist


def test_judge_offsets_compare_each_judge_with_the_others_on_the_same_submission() -> None:
    totals = {1: {10: 80.0, 11: 70.0, 12: 60.0}, 2: {10: 50.0, 11: 40.0}, 3: {12: 99.0}}
    offsets = consensus.judge_offsets(totals)
    assert offsets == {10: [15.0, 10.0], 11: [0.0, -10.0], 12: [-15.0]}  # submission 3 has no one to compare with


def test_lean_needs_enough_sheets_and_a_clear_offset() -> None:
    assert consensus.lean_of([-6.0, -5.0, -7.0]) is consensus.Lean.harsh
    assert consensus.lean_of([6.0, 5.0, 7.0]) is consensus.Lean.lenient
    assert consensus.lean_of([6.0, -5.0, 2.0]) is consensus.Lean.in_line
    assert consensus.lean_of([-20.0, -20.0]) is consensus.Lean.too_few


def test_criterion_spreads_give_sd_and_max_minus_min() -> None:
    spreads = consensus.criterion_spreads({7: {1: {100: 2.0, 101: 5.0}, 2: {100: 8.0, 101: 5.0}}})
    assert spreads[7][100].sd == pytest.approx(3.0) and spreads[7][100].range == 6.0
    assert spreads[7][101].sd == 0.0 and spreads[7][101].n == 2


def test_the_demo_committee_shows_lenient_judges_and_progress(demo_session: Session) -> None:
    edition = editions.current_edition(session=demo_session)
    view = consensus.consensus(session=demo_session, edition_id=edition.id)
    assert len(view.submissions) == 45 and all(s.judges == 9 for s in view.submissions)
    by_name = {j.username: j for j in view.judges}
    assert (by_name["judge-dga"].assigned, by_name["judge-dga"].submitted) == (45, 0)
    assert by_name["judge-dga"].lean is consensus.Lean.too_few
    assert all(j.submitted == 45 for n, j in by_name.items() if n != "judge-dga")
    # The synthetic data gives each judge a leniency of up to ±7 %; the offsets must add up to zero overall.
    assert sum(j.mean_offset or 0 for j in view.judges) == pytest.approx(0.0, abs=0.5)
    assert {j.lean for j in view.judges} >= {consensus.Lean.lenient, consensus.Lean.in_line}
    top = view.submissions[0]
    assert len(top.criteria) == 11
    assert top.total_range >= max(c.range for c in top.criteria)


def test_a_wild_sheet_is_flagged_and_a_conflict_removes_it_again(demo_session: Session) -> None:
    edition = editions.current_edition(session=demo_session)
    dga = demo_session.exec(select(User).where(User.username == "judge-dga")).one()
    sub_id = worklist.list_assignments(session=demo_session, judge_id=dga.id, edition_id=edition.id)[0].submission.id
    # One sheet far from nine others moves the population SD by d·3/10, so the edition's threshold is set to 1.5 here.
    editions.update_edition(
        session=demo_session,
        edition_id=edition.id,
        actor="organiser",
        config=edition.config.model_copy(update={"disagreement_threshold": 1.5}),
    )
    sheets.save_sheet(
        session=demo_session,
        judge_id=dga.id,
        submission_id=sub_id,
        submit=True,
        actor="judge-dga",
        points={c.id: 0.0 if c.max_points == 10 else float(c.max_points) for c in edition.scored_criteria},
    )
    view = consensus.consensus(session=demo_session, edition_id=edition.id)
    assert view.flagged and view.flagged[0].submission_id == sub_id  # most flags sort first
    wild = view.flagged[0]
    assert wild.judges == 10
    ten_point = [c for c in wild.criteria if c.max_points == 10]
    assert view.threshold == 1.5
    assert all(c.flagged == (c.sd > 1.5) for c in wild.criteria)
    assert all(c.flagged for c in ten_point)
    assert all(c.range >= 5 for c in ten_point)
    conflicts.declare(
        session=demo_session, judge_id=dga.id, submission_id=sub_id, reason="other", note="ลืมแจ้ง", actor="organiser"
    )
    again = consensus.consensus(session=demo_session, edition_id=edition.id)
    assert sub_id not in {s.submission_id for s in again.flagged}
    assert next(s for s in again.submissions if s.submission_id == sub_id).judges == 9
