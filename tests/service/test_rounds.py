"""Judging rounds: an edition's rounds in order, the criteria a new round copies and edits apart, the first round
every edition has (implied, or written by the upgrade), and a round's scores kept to that round (SQLite and
PostgreSQL)."""

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from models import AuditEvent, Criterion, JudgeAssignment, JudgingRound, ScoreSheet, User
from services.contest import editions
from services.judging import rounds
from services.platform.db import upgrade_schema
from services.platform.errors import ValidationFailed
from services.results import ranking


@pytest.fixture
def ctx(demo_session):
    return demo_session, editions.current_edition(session=demo_session)


def test_an_edition_without_round_rows_has_one_implied_first_round_with_its_rules(ctx):
    session, edition = ctx
    (only,) = rounds.list_rounds(session=session, edition_id=edition.id)
    assert (only.position, only.id, only.name_th, only.last, only.frozen) == (1, None, "รอบตัดสิน", True, False)
    assert only.criteria == edition.criteria
    assert only.method == edition.config.aggregation_method
    assert rounds.current_round_no(session=session, edition_id=edition.id) == 1
    assert session.exec(select(JudgingRound)).all() == []  # reading wrote nothing


def test_a_new_round_copies_the_editions_criteria_and_edits_them_apart(ctx):
    session, edition = ctx
    second = rounds.add_round(
        session=session,
        edition_id=edition.id,
        name_th="รอบนำเสนอ\x00 ",
        name_en="Pitching",
        starts_on=date(2021, 9, 1),
        ends_on=date(2021, 9, 3),
        quorum_min_sheets=3,
        actor="organiser",
    )
    assert (second.position, second.name_th, second.quorum_min_sheets, second.frozen) == (2, "รอบนำเสนอ", 3, False)
    assert [c.code for c in second.criteria] == [c.code for c in edition.criteria]
    assert not {c.id for c in second.criteria} & {c.id for c in edition.criteria}  # copies, not the same rows
    first, again = rounds.list_rounds(session=session, edition_id=edition.id)
    assert first.id is not None and not first.last and again.last  # the first round's row was written
    code = edition.scored_criteria[0].code
    editions.save_criterion(
        session=session,
        edition_id=edition.id,
        code=code,
        title_th="การนำเสนอและตอบคำถาม",
        title_en="Pitch",
        max_points=20,
        round_no=2,
        actor="organiser",
    )
    assert rounds.get_round(session=session, edition_id=edition.id, round_no=2).criteria[0].max_points == 20
    after = editions.get_edition(session=session, edition_id=edition.id)
    assert after.criteria == edition.criteria  # the edition's (the first round's) criteria are untouched
    added = session.exec(select(AuditEvent).where(AuditEvent.action == "round.add")).one()
    assert added.after["criteria_copied"] == len(edition.criteria) and added.actor == "organiser"
    # Until the first round's shortlist is frozen the first round stays current and the second admits no work.
    assert rounds.current_round_no(session=session, edition_id=edition.id) == 1
    assert rounds.works_in_round(session=session, edition_id=edition.id, round_no=2) == frozenset()
    assert rounds.works_in_round(session=session, edition_id=edition.id, round_no=1) is None


def test_the_last_round_added_by_mistake_is_removed_while_nothing_hangs_on_it(ctx):
    session, edition = ctx
    for name in ("รอบนำเสนอ", "รอบชิงชนะเลิศ"):
        rounds.add_round(session=session, edition_id=edition.id, name_th=name, actor="organiser")
    criteria = len(edition.criteria)
    with pytest.raises(ValidationFailed) as not_last:
        rounds.remove_round(session=session, edition_id=edition.id, round_no=2, actor="organiser")
    with pytest.raises(ValidationFailed) as first:
        rounds.remove_round(session=session, edition_id=edition.id, round_no=1, actor="organiser")
    assert (not_last.value.code, first.value.code) == ("not_last_round", "first_round")

    rounds.remove_round(session=session, edition_id=edition.id, round_no=3, actor="organiser")
    assert [r.name_th for r in rounds.list_rounds(session=session, edition_id=edition.id)] == ["รอบตัดสิน", "รอบนำเสนอ"]
    assert len(session.exec(select(Criterion).where(Criterion.edition_id == edition.id)).all()) == 2 * criteria
    removed = session.exec(select(AuditEvent).where(AuditEvent.action == "round.remove")).one()
    assert (removed.actor, removed.before["name_th"], removed.before["criteria"]) == (
        "organiser",
        "รอบชิงชนะเลิศ",
        criteria,
    )

    judge = session.exec(select(User).where(User.username == "judge-dga")).one()
    work = session.exec(select(ScoreSheet.submission_id)).first()
    session.add(JudgeAssignment(judge_id=judge.id, submission_id=work, round_no=2))
    session.commit()
    with pytest.raises(ValidationFailed) as in_use:
        rounds.remove_round(session=session, edition_id=edition.id, round_no=2, actor="organiser")
    assert in_use.value.code == "round_in_use" and "การมอบหมายกรรมการ 1 รายการ" in in_use.value.message_th
    assert len(rounds.list_rounds(session=session, edition_id=edition.id)) == 2  # nothing removed


def test_a_rounds_name_and_dates_are_checked(ctx):
    session, edition = ctx
    with pytest.raises(ValidationFailed) as no_name:
        rounds.add_round(session=session, edition_id=edition.id, name_th=" \u200b\t", actor="organiser")
    assert no_name.value.code == "no_round_name"
    with pytest.raises(ValidationFailed) as bad_dates:
        rounds.add_round(
            session=session,
            edition_id=edition.id,
            name_th="รอบสอง",
            starts_on=date(2021, 9, 3),
            ends_on=date(2021, 9, 1),
            actor="organiser",
        )
    assert bad_dates.value.code == "bad_round_dates"
    long_name = rounds.add_round(session=session, edition_id=edition.id, name_th="ก" * 500, actor="organiser")
    assert len(long_name.name_th) == rounds.MAX_NAME_CHARS
    changed = rounds.update_round(
        session=session, edition_id=edition.id, round_no=1, name_th="รอบเอกสาร", blind=False, actor="organiser"
    )
    assert (changed.name_th, changed.blind) == ("รอบเอกสาร", False)


def test_upgrading_a_database_with_data_gives_each_edition_its_first_round_and_keeps_its_ranking(demo_engine):
    """The demo's database taken back to 0008 (no rounds), then upgraded: the edition gets its first round, every
    sheet is in it, and the ranking reads the same."""
    from sqlmodel import Session

    with Session(demo_engine) as s:
        edition = editions.current_edition(session=s)
        before = [(r.submission_id, r.score) for r in ranking.leaderboard(session=s, edition_id=edition.id).rows]
        editions.update_edition(
            session=s,
            edition_id=edition.id,
            config=edition.config.model_copy(update={"blind_until_results": False}),
            actor="organiser",
        )
    _downgrade(demo_engine, "0008")
    with demo_engine.connect() as conn:
        assert "judging_round" not in sa.inspect(conn).get_table_names()
        assert "round_no" not in {c["name"] for c in sa.inspect(conn).get_columns("scoresheet")}
    upgrade_schema(demo_engine)
    with Session(demo_engine) as s:
        (first,) = s.exec(select(JudgingRound)).all()
        assert (first.edition_id, first.position, first.frozen_at) == (edition.id, 1, None)
        assert (first.name_th, first.blind, first.advance_rule) == ("รอบตัดสิน", False, {})  # blind as the edition was
        assert set(s.exec(select(ScoreSheet.round_no)).all()) == {1}
        after = [(r.submission_id, r.score) for r in ranking.leaderboard(session=s, edition_id=edition.id).rows]
        assert after == before and len(after) == 45
        # A judge may now have a second sheet on the same work, in another round.
        sheet = s.exec(select(ScoreSheet)).first()
        s.add(ScoreSheet(judge_id=sheet.judge_id, submission_id=sheet.submission_id, round_no=2))
        s.commit()
        s.add(ScoreSheet(judge_id=sheet.judge_id, submission_id=sheet.submission_id, round_no=2))
        with pytest.raises(sa.exc.IntegrityError):
            s.commit()


def _downgrade(engine, revision):
    from alembic import command
    from alembic.config import Config

    from services.platform.settings import PROJECT_ROOT

    with engine.begin() as conn:
        cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
        cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def _judge(session, username):
    return session.exec(select(User).where(User.username == username)).one()
