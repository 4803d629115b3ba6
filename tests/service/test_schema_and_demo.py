"""The schema migrates on both databases and the 2564 demo edition shows the announcement's figures."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import Session, SQLModel, func, select

import models
from services.contest import demo, editions, reference_2564
from services.platform.db import upgrade_schema
from services.results import stats


def test_migrations_build_every_table_and_match_the_models(engine):
    tables = set(inspect(engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), SQLModel.metadata)
    assert diff == [], f"models changed without a migration: {diff}"


def test_upgrade_is_idempotent(engine):
    upgrade_schema(engine)
    upgrade_schema(engine)
    assert "alembic_version" in inspect(engine).get_table_names()


def test_demo_shows_the_announcements_headline_figures(demo_session):
    edition = editions.current_edition(session=demo_session)
    assert edition is not None and edition.year_be == 2564
    figures = stats.headline_stats(session=demo_session, edition_id=edition.id)
    assert figures.works == 45
    assert figures.organisations == 44
    assert (figures.top_category.label, figures.top_category.count) == ("E-Service", 25)
    assert (figures.top_province.province, figures.top_province.organisations) == ("เชียงราย", 6)
    assert [(c.label, c.count) for c in figures.multi_work_organisations] == [("เทศบาลนครภูเก็ต", 2)]


def test_demo_criteria_follow_the_call_for_entries(demo_session):
    edition = editions.current_edition(session=demo_session)
    scored = edition.scored_criteria
    assert len(scored) == 11
    assert edition.max_total == 100
    assert [c.max_points for c in scored] == [10] * 9 + [5, 5]
    assert [c.code for c in edition.criteria if not c.scored] == ["limitations", "team"]


def test_demo_expands_the_announcements_abbreviations(demo_session):
    orgs = {o.short_name: o for o in demo_session.exec(select(models.Organisation))}
    assert orgs["ทต.ท่าคันโท"].full_name == "เทศบาลตำบลท่าคันโท"
    assert orgs["อบต.โคกขมิ้น"].full_name == "องค์การบริหารส่วนตำบลโคกขมิ้น"
    assert orgs["ทน.นครภูเก็ต"].full_name == "เทศบาลนครภูเก็ต"
    assert orgs["อบจ.เชียงราย"].org_type == "อบจ."


def test_demo_scores_are_deterministic_and_leave_one_judge_free(demo_session):
    first = reference_2564.WORKS[0]
    assert first.short_name == "ทต.ท่าคันโท"
    progress = stats.judging_progress(
        session=demo_session, edition_id=editions.current_edition(session=demo_session).id
    )
    assert (progress.judges, progress.sheets_expected, progress.sheets_submitted) == (10, 450, 405)
    total = demo_session.exec(select(func.sum(models.Score.points))).one()
    assert total == 26102.0  # a change in the synthetic generator shows up here


def test_loading_the_demo_twice_changes_nothing(demo_session):
    before = demo_session.exec(select(func.count()).select_from(models.Submission)).one()
    again = demo.load_demo(session=demo_session)
    assert again.created is False
    assert demo_session.exec(select(func.count()).select_from(models.Submission)).one() == before


def test_upgrading_a_database_that_holds_data_keeps_it_and_fills_new_columns(tmp_path):
    """A deployment upgrades in place on start: rows written under revision 0001 survive every later revision."""
    from services.platform.db import build_engine

    engine = build_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade_schema(engine, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO edition (id, name, year_be, theme, intake_opens_at, intake_closes_at, golive_cutoff, phase,"
            " award_plan, created_at) VALUES (1, 'เก่า', 2564, '', '2021-06-30 17:00:00', '2021-07-31 16:59:59',"
            " '2021-02-01', 'judging', '{}', '2021-06-01 00:00:00')"
        )
    upgrade_schema(engine)
    with Session(engine) as s:
        edition = s.get(models.Edition, 1)
        assert (edition.name, edition.config, edition.awards_frozen_at) == ("เก่า", {}, None)
    engine.dispose()


def test_every_published_2564_work_is_eligible_in_the_demo(demo_session):
    from services.intake import screening

    edition = editions.current_edition(session=demo_session)
    queue = screening.screening_queue(session=demo_session, edition_id=edition.id)
    assert len(queue) == 45
    assert [q.row.short_name for q in queue if not q.eligibility.eligible] == []
    assert {q.project.developed_by for q in queue} == {"in_house", "partner"}


def test_every_demo_work_is_complete_with_fictional_contacts_and_answers(demo_session):
    """The screening queue counts 45 of 45 complete, so every tab of every page has something true to show; the
    people are fictional and say so, and no address can reach anyone."""
    from services.intake import questionnaire, screening

    edition = editions.current_edition(session=demo_session)
    queue = screening.screening_queue(session=demo_session, edition_id=edition.id)
    assert [(q.row.short_name, [m.code for m in q.missing]) for q in queue if q.missing] == []
    subs = demo_session.exec(select(models.Submission).where(models.Submission.edition_id == edition.id)).all()
    assert all(s.submitter_name.endswith("(สมมติ)") and s.coordinator_name.endswith("(สมมติ)") for s in subs)
    assert all(s.coordinator_email.endswith("@demo.invalid") for s in subs)  # a reserved name: never delivered
    answers = [questionnaire.load_answers(s.answers) for s in subs]
    assert all(a.digital_tools and a.communication_channels and len(a.goals) == 3 and a.team for a in answers)
    assert len({tuple(a.digital_tools) for a in answers}) > 10  # varied from work to work
    assert [questionnaire.validate(a, for_confirm=True) for a in answers] == [[]] * len(answers)  # as applicants must
