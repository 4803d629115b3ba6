"""Panels: k judges per submission, balanced load, at least m agencies, conflicts respected, started work kept."""

from __future__ import annotations

from sqlmodel import Session, select

from models import User
from services.contest import editions
from services.judging import assignments, conflicts, worklist


def test_plan_balances_load_and_spreads_agencies() -> None:
    judges = {j: f"agency-{j % 5}" for j in range(10)}  # two judges per agency
    plan = assignments.plan_panels(judges, list(range(100, 145)), 3, 3, set())
    assert all(len(p) == 3 for p in plan.panels.values())
    assert all(len({judges[j] for j in p}) == 3 for p in plan.panels.values())
    load = plan.load()
    assert sum(load.values()) == 135 and max(load.values()) - min(load.values()) <= 1
    assert plan.short == {}


def test_plan_respects_conflicts_and_reports_what_it_cannot_staff() -> None:
    judges = {1: "A", 2: "A", 3: "B"}
    conflicted = {(3, 10), (1, 11), (2, 11)}
    plan = assignments.plan_panels(judges, [10, 11], 2, 2, conflicted)
    assert all((j, s) not in conflicted for s, p in plan.panels.items() for j in p)
    assert plan.panels[11] == (3,)
    assert plan.short == {10: "agencies", 11: "judges"}


def test_assign_panels_keeps_started_sheets_and_never_assigns_a_conflict(demo_session: Session) -> None:
    edition = editions.current_edition(session=demo_session)
    opm = demo_session.exec(select(User).where(User.username == "judge-opm")).one()
    dga = demo_session.exec(select(User).where(User.username == "judge-dga")).one()
    sub_ids = [
        a.submission.id for a in worklist.list_assignments(session=demo_session, judge_id=dga.id, edition_id=edition.id)
    ]
    conflicts.declare(
        session=demo_session, judge_id=dga.id, submission_id=sub_ids[1], reason="own_province", actor="organiser"
    )
    result = assignments.assign_panels(
        session=demo_session, edition_id=edition.id, judges_per_submission=3, min_agencies=3, actor="organiser"
    )
    assert result.short == {}
    progress = assignments.progress(session=demo_session, edition_id=edition.id)
    by_name = {j.username: j for j in progress.judges}
    # Nine judges have sheets for all 45 works and keep them; the free judge gets nothing more to do.
    assert by_name["judge-opm"].assigned == 45 and by_name["judge-dga"].assigned == 0
    assert all(s.submitted == 9 and s.agencies == 9 for s in progress.submissions)
    assert result.removed == 45 and result.added == 0
    ids = {
        a.submission.id for a in worklist.list_assignments(session=demo_session, judge_id=opm.id, edition_id=edition.id)
    }
    assert ids == set(sub_ids)


def test_a_fresh_edition_gets_balanced_panels(demo_session: Session) -> None:
    """With the started sheets gone (a new edition), panels of 3 from 10 agencies are balanced."""
    edition = editions.current_edition(session=demo_session)
    from models import ScoreSheet

    for sheet in demo_session.exec(select(ScoreSheet)).all():
        demo_session.delete(sheet)
    demo_session.commit()
    assignments.assign_panels(
        session=demo_session, edition_id=edition.id, judges_per_submission=3, min_agencies=3, actor="organiser"
    )
    progress = assignments.progress(session=demo_session, edition_id=edition.id)
    loads = [j.assigned for j in progress.judges]
    assert sum(loads) == 135 and max(loads) - min(loads) <= 1
    assert all(len(s.judges) == 3 and s.agencies == 3 for s in progress.submissions)
