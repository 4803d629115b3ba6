"""A submitted score sheet keeps a frozen copy of its points and their sum, which the results read instead of the
scores: the copy is made on submission, cleared on reopening, always equal to the scores, enforced by the database,
and filled in for sheets submitted before it existed (SQLite and PostgreSQL)."""

import math
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import (
    Edition,
    Organisation,
    Phase,
    Role,
    Score,
    ScoreSheet,
    SheetState,
    Submission,
    SubmissionStatus,
    User,
)
from services.contest import editions
from services.judging import sheets as judging_sheets
from services.platform.db import build_engine, upgrade_schema
from services.results import ranking


@pytest.fixture
def ctx(demo_session):
    return demo_session, editions.current_edition(session=demo_session)


def _sheet(session, judge_id, submission_id):
    session.expire_all()
    return session.exec(
        select(ScoreSheet).where(ScoreSheet.judge_id == judge_id, ScoreSheet.submission_id == submission_id)
    ).one()


def _unscored(session, edition):
    """The demo's judge who has scored nothing, and a work assigned to them."""
    user = session.exec(select(User).where(User.username == "judge-dga")).one()
    sub_id = ranking.leaderboard(session=session, edition_id=edition.id, criterion_detail=False).rows[0].submission_id
    return user, sub_id


def test_submitting_freezes_the_points_and_reopening_clears_them(ctx):
    session, edition = ctx
    user, sub_id = _unscored(session, edition)
    given = {c.id: c.max_points - 0.5 * (i % 3) for i, c in enumerate(edition.scored_criteria)}
    judging_sheets.save_sheet(
        session=session, judge_id=user.id, submission_id=sub_id, points=given, actor=user.username
    )
    draft = _sheet(session, user.id, sub_id)
    assert (draft.state, draft.submitted_total, draft.submitted_points) == (SheetState.draft, None, None)

    judging_sheets.save_sheet(
        session=session, judge_id=user.id, submission_id=sub_id, points={}, submit=True, actor=user.username
    )
    sheet = _sheet(session, user.id, sub_id)
    assert sheet.submitted_points == {str(cid): float(v) for cid, v in given.items()}
    assert sheet.submitted_total == math.fsum(given.values())
    board = {r.submission_id: r for r in ranking.leaderboard(session=session, edition_id=edition.id).rows}
    assert board[sub_id].judge_count == 10

    judging_sheets.reopen_sheet(
        session=session, judge_id=user.id, submission_id=sub_id, reason="แก้คะแนนเกณฑ์ 1", actor="organiser"
    )
    reopened = _sheet(session, user.id, sub_id)
    assert (reopened.state, reopened.submitted_total, reopened.submitted_points) == (SheetState.draft, None, None)
    board = {r.submission_id: r for r in ranking.leaderboard(session=session, edition_id=edition.id).rows}
    assert board[sub_id].judge_count == 9  # the withdrawn sheet no longer counts

    first = edition.scored_criteria[0].id
    judging_sheets.save_sheet(
        session=session, judge_id=user.id, submission_id=sub_id, points={first: 0.0}, submit=True, actor=user.username
    )
    again = _sheet(session, user.id, sub_id)
    assert again.submitted_points[str(first)] == 0.0
    assert again.submitted_total == math.fsum({**given, first: 0.0}.values())


def test_every_frozen_copy_equals_the_scores_it_was_made_from(ctx):
    session, edition = ctx
    from_scores: dict[int, dict[int, dict[int, float]]] = {}  # read from the score rows themselves
    for score in session.exec(select(Score)).all():
        from_scores.setdefault(score.submission_id, {}).setdefault(score.judge_id, {})[score.criterion_id] = (
            score.points
        )
    sheets = session.exec(select(ScoreSheet).where(ScoreSheet.state == SheetState.submitted)).all()
    assert len(sheets) == 405
    for sheet in sheets:
        points = from_scores[sheet.submission_id][sheet.judge_id]
        assert sheet.submitted_points == {str(c): p for c, p in points.items()}
        assert sheet.submitted_total == math.fsum(points.values())
    assert ranking.submitted_points(session=session, edition_id=edition.id).points == from_scores
    # The ranking's per-criterion means (from the copies) are the scores' means.
    means = ranking.criterion_means(session=session, edition_id=edition.id)
    for sub_id, judges in from_scores.items():
        for cid in edition.scored_criteria:
            values = [p[cid.id] for p in judges.values()]
            assert means[sub_id][cid.id] == pytest.approx(math.fsum(values) / len(values), abs=1e-12)


def test_the_database_refuses_a_submitted_sheet_without_its_copy_and_a_draft_with_one(ctx):
    session, edition = ctx
    user, sub_id = _unscored(session, edition)
    session.add(ScoreSheet(judge_id=user.id, submission_id=sub_id, state=SheetState.submitted))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    session.add(
        ScoreSheet(
            judge_id=user.id,
            submission_id=sub_id,
            state=SheetState.draft,
            submitted_total=10.0,
            submitted_points={"1": 10.0},
        )
    )
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_upgrading_fills_the_copies_of_sheets_submitted_before_they_existed(db_url):
    """A database at revision 0005 (scores and sheets, no copies) upgrades in place: each submitted sheet gets the
    copy of its scores on scored criteria, a draft gets none."""
    engine = build_engine(db_url)
    _downgrade_to_0005(engine)  # db_url is a fresh, empty database at head
    # Only the score sheet and the criterion (0009: its round) changed after 0005: the other rows go in through
    # today's models, the criteria as rows of 0005's table.
    at = datetime(2021, 8, 1, tzinfo=UTC)
    with Session(engine) as s:
        ed = Edition(
            name="เก่า",
            year_be=2564,
            intake_opens_at=at,
            intake_closes_at=at,
            golive_cutoff=date(2021, 2, 1),
            phase=Phase.judging,
        )
        org = Organisation(org_type="ทต.", name="x", full_name="เทศบาลตำบลx", short_name="ทต.x", province="น่าน")
        s.add_all([ed, org, User(username="j", display_name="J", role=Role.judge)])
        s.flush()
        crit_table = sa.table(
            "criterion",
            *(sa.column(n) for n in ("id", "edition_id", "position", "code", "title_th", "title_en", "guidance_th")),
            sa.column("max_points"),
            sa.column("scored"),
        )
        crit_ids = [
            s.connection()
            .execute(
                sa.insert(crit_table)
                .values(
                    edition_id=ed.id,
                    position=i,
                    code=f"c{i}",
                    title_th="เกณฑ์",
                    title_en="C",
                    guidance_th="",
                    max_points=10,
                    scored=i < 3,
                )
                .returning(crit_table.c.id)
            )
            .scalar_one()
            for i in (1, 2, 3)
        ]
        subs = [
            Submission(
                edition_id=ed.id,
                organisation_id=org.id,
                title="ผลงาน",
                category="E-Service",
                status=SubmissionStatus.accepted,
                receipt_code=f"R-{i}",
            )
            for i in (1, 2)
        ]
        s.add_all(subs)
        s.commit()
        ids = (ed.id, crit_ids, [x.id for x in subs], s.exec(select(User.id)).one())
    edition_id, crit_ids, sub_ids, judge_id = ids
    with engine.begin() as conn:
        for sid, state in zip(sub_ids, ("submitted", "draft"), strict=True):
            conn.execute(
                sa.text(
                    "INSERT INTO scoresheet (judge_id, submission_id, state, overall_comment, version,"
                    " updated_at) VALUES (:j, :s, :state, '', 1, :at)"
                ),
                {"j": judge_id, "s": sid, "state": state, "at": at.replace(tzinfo=None)},
            )
            for cid, pts in zip(crit_ids, (7.5, 4.0, 9.0), strict=True):  # the third criterion is not scored
                conn.execute(
                    sa.insert(Score),
                    [
                        {
                            "judge_id": judge_id,
                            "submission_id": sid,
                            "criterion_id": cid,
                            "points": pts,
                            "comment": "",
                            "created_at": at,
                            "updated_at": at,
                        }
                    ],
                )
    upgrade_schema(engine)
    with Session(engine) as s:
        submitted, draft = (_sheet(s, judge_id, sid) for sid in sub_ids)
        assert submitted.submitted_total == 11.5
        assert submitted.submitted_points == {str(crit_ids[0]): 7.5, str(crit_ids[1]): 4.0}
        assert (draft.submitted_total, draft.submitted_points) == (None, None)
        assert ranking.sheet_table(session=s, edition_id=edition_id).totals == {sub_ids[0]: {judge_id: 11.5}}
    with engine.connect() as conn:
        indexes = {ix["name"] for ix in sa.inspect(conn).get_indexes("score")}
    assert "ix_score_sheet_points" not in indexes  # the ranking no longer reads scores: one index less per save
    engine.dispose()


def _downgrade_to_0005(engine):
    from alembic import command
    from alembic.config import Config

    from services.platform.settings import PROJECT_ROOT

    with engine.begin() as conn:
        cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
        cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
