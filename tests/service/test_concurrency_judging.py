"""Real threads, real databases (SQLite and PostgreSQL): concurrent score saves never lose a write, and a stale tab is
told instead of overwriting."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import AuditEvent, Role, Score, ScoreSheet, User
from services.contest import editions
from services.judging import sheets, worklist
from tests.helpers.threads import run_together


def setup(engine: Engine) -> tuple[int, list[int], list[tuple[int, int]], int]:
    with Session(engine) as s:
        edition = editions.current_edition(session=s)
        assert edition is not None
        judges = [u.id for u in s.exec(select(User).where(User.role == Role.judge).order_by(User.id))]
        crits = [(c.id, c.max_points) for c in edition.scored_criteria]
        sub_id = worklist.list_assignments(session=s, judge_id=judges[0], edition_id=edition.id)[0].submission.id
    return edition.id, judges, crits, sub_id


def test_ten_judges_saving_the_same_submission_at_once_lose_nothing(demo_engine: Engine) -> None:
    _, judges, crits, sub_id = setup(demo_engine)
    with Session(demo_engine) as s:  # open their sheets again so that every judge writes
        for j in judges:
            if s.exec(select(ScoreSheet).where(ScoreSheet.judge_id == j, ScoreSheet.submission_id == sub_id)).first():
                sheets.reopen_sheet(session=s, judge_id=j, submission_id=sub_id, reason="test", actor="organiser")

    def save(j: int, k: int) -> sheets.SheetView:
        with Session(demo_engine, expire_on_commit=False) as s:
            return sheets.save_sheet(
                session=s,
                judge_id=j,
                submission_id=sub_id,
                actor=f"j{j}",
                points={cid: (k + i) % (mp + 1) for i, (cid, mp) in enumerate(crits)},
            )

    results = run_together([lambda j=j, k=k: save(j, k) for k, j in enumerate(judges)])
    assert [r for r in results if isinstance(r, Exception)] == []
    with Session(demo_engine) as s:
        for k, j in enumerate(judges):
            saved = {
                sc.criterion_id: sc.points
                for sc in s.exec(select(Score).where(Score.judge_id == j, Score.submission_id == sub_id))
            }
            assert saved == {cid: float((k + i) % (mp + 1)) for i, (cid, mp) in enumerate(crits)}


def test_the_same_judge_saving_different_criteria_from_many_tabs_keeps_every_one(demo_engine: Engine) -> None:
    _, _, crits, sub_id = setup(demo_engine)
    with Session(demo_engine) as s:
        dga = s.exec(select(User.id).where(User.username == "judge-dga")).one()

    def save(cid: int, value: float) -> sheets.SheetView:
        with Session(demo_engine, expire_on_commit=False) as s:
            return sheets.save_sheet(
                session=s, judge_id=dga, submission_id=sub_id, points={cid: value}, actor="judge-dga"
            )

    results = run_together([lambda c=cid, v=mp / 2: save(c, v) for cid, mp in crits])
    assert [r for r in results if isinstance(r, Exception)] == []
    with Session(demo_engine) as s:
        sheet = sheets.get_sheet(session=s, judge_id=dga, submission_id=sub_id)
        assert {c.criterion_id: c.points for c in sheet.criteria} == {cid: mp / 2 for cid, mp in crits}
        assert sheet.version == len(crits)  # every save bumped the version once: none overwrote another
        events = s.exec(
            select(AuditEvent).where(AuditEvent.action == "score.save", AuditEvent.actor == "judge-dga")
        ).all()
        assert sorted(e.after["sheet_version"] for e in events) == list(range(1, len(crits) + 1))


def test_two_tabs_of_one_judge_that_read_the_same_version_cannot_both_write(demo_engine: Engine) -> None:
    _, _, crits, sub_id = setup(demo_engine)
    with Session(demo_engine) as s:
        dga = s.exec(select(User.id).where(User.username == "judge-dga")).one()
        first = crits[0][0]
        sheets.save_sheet(session=s, judge_id=dga, submission_id=sub_id, points={first: 5}, actor="judge-dga")
        read = sheets.get_sheet(session=s, judge_id=dga, submission_id=sub_id).version
    assert read == 1

    def tab(value: float) -> sheets.SheetView:
        with Session(demo_engine, expire_on_commit=False) as s:
            return sheets.save_sheet(
                session=s,
                judge_id=dga,
                submission_id=sub_id,
                points={first: value},
                actor="judge-dga",
                expected_version=read,
            )

    outcome = run_together([lambda: tab(7.0), lambda: tab(3.0)])
    won = [r for r in outcome if isinstance(r, sheets.SheetView)]
    told = [r for r in outcome if isinstance(r, sheets.SheetChanged)]
    assert len(won) == 1 and len(told) == 1, outcome
    assert told[0].code == "sheet_changed" and told[0].current_version == 2
    with Session(demo_engine) as s:
        final = sheets.get_sheet(session=s, judge_id=dga, submission_id=sub_id)
    assert final.version == 2
    assert final.criteria[0].points == won[0].criteria[0].points


def test_a_tab_holding_an_old_version_is_told_and_writes_nothing(demo_session: Session) -> None:
    edition = editions.current_edition(session=demo_session)
    assert edition is not None
    dga = demo_session.exec(select(User.id).where(User.username == "judge-dga")).one()
    sub_id = worklist.list_assignments(session=demo_session, judge_id=dga, edition_id=edition.id)[0].submission.id
    cid = edition.scored_criteria[0].id
    fresh = sheets.get_sheet(session=demo_session, judge_id=dga, submission_id=sub_id)
    assert fresh.version == 0
    sheets.save_sheet(
        session=demo_session, judge_id=dga, submission_id=sub_id, points={cid: 4}, actor="judge-dga", expected_version=0
    )
    with pytest.raises(sheets.SheetChanged):  # the second tab still thinks the sheet is empty
        sheets.save_sheet(
            session=demo_session,
            judge_id=dga,
            submission_id=sub_id,
            points={cid: 9},
            actor="judge-dga",
            expected_version=0,
        )
    after = sheets.get_sheet(session=demo_session, judge_id=dga, submission_id=sub_id)
    assert (after.criteria[0].points, after.version) == (4.0, 1)
