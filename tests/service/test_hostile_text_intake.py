"""Hostile text at intake and on every export (issue 13), on SQLite and PostgreSQL: control characters stripped,
lengths bounded with a Thai message naming the field, nan/inf refused, and what was saved kept on a refusal."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from models import Organisation, Submission
from services.contest import editions
from services.intake import flow, phrases, questionnaire, records
from services.results import announcement, exports
from tests.helpers import cli as ldaward
from tests.service.test_intake_flow import ANSWERS, CONTACTS, DECK, DURING, FORM, ORG, PROJECT, through_send

NASTY_TITLE = "ระบบ\x01แจ้งซ่อม\x0b\x1b[2J\x1b]0;pwned\x07ไฟฟ้า\u202eLNIL\u202c\x00"
CLEAN_TITLE = "ระบบแจ้งซ่อม[2J]0;pwnedไฟฟ้าLNIL"
PLANTED = NASTY_TITLE.replace("\x00", "")  # what PostgreSQL can hold: everything but NUL


@pytest.fixture
def edition_id(demo_session):
    return editions.current_edition(session=demo_session).id


def _sub(session, access):
    return session.exec(select(Submission).where(Submission.receipt_code == access.receipt_code)).one()


def test_control_characters_and_nul_are_stripped_at_intake(demo_session, edition_id):
    org = dataclasses.replace(ORG, org_name="โคก\x00ขมิ้น\u202e", district="พลับ\x1bพลาชัย")
    started = flow.start(session=demo_session, edition_id=edition_id, organisation=org, now=DURING)
    access = started.access
    flow.save_contacts(
        session=demo_session,
        access=access,
        now=DURING,
        contacts=dataclasses.replace(CONTACTS, submitter_name="นายสมชาย\x00 ใจดี\x9b"),
    )
    flow.save_project(
        session=demo_session, access=access, now=DURING, project=dataclasses.replace(PROJECT, title=NASTY_TITLE)
    )
    demo_session.expire_all()
    sub = _sub(demo_session, access)
    assert sub.title == CLEAN_TITLE
    assert sub.submitter_name == "นายสมชาย ใจดี"
    org_row = demo_session.get(Organisation, sub.organisation_id)
    assert org_row.name == "โคกขมิ้น" and org_row.district == "พลับพลาชัย"


def test_a_title_over_the_limit_is_refused_in_thai_on_both_databases_and_the_saved_one_kept(demo_session, edition_id):
    access = through_send(demo_session, edition_id)
    too_long = "ก" * 501  # over the PostgreSQL column too: refused by the service first, the same on both
    with pytest.raises(records.SubmissionRejected) as caught:
        flow.save_project(
            session=demo_session, access=access, now=DURING, project=dataclasses.replace(PROJECT, title=too_long)
        )
    problem = caught.value.problems[0]
    assert problem.code == "too_long_title"
    assert "ชื่อโครงการยาวเกินกำหนด (501 ตัวอักษร เกิน 300)" in problem.message_th
    demo_session.rollback()
    assert _sub(demo_session, access).title == PROJECT.title
    at_limit = "ข" * 300
    flow.save_project(
        session=demo_session, access=access, now=DURING, project=dataclasses.replace(PROJECT, title=at_limit)
    )
    demo_session.expire_all()
    assert _sub(demo_session, access).title == at_limit


@pytest.mark.parametrize(
    ("field", "step"), [("org_name", "organisation"), ("coordinator_email", "contacts"), ("partner_name", "project")]
)
def test_every_applicant_field_has_a_limit_with_its_name_in_thai(demo_session, edition_id, field, step):
    access = through_send(demo_session, edition_id)
    long_text = "ก" * 1000
    with pytest.raises(records.SubmissionRejected) as caught:
        if step == "organisation":
            flow.save_organisation(
                session=demo_session,
                access=access,
                now=DURING,
                organisation=dataclasses.replace(ORG, org_name=long_text),
            )
        elif step == "contacts":
            flow.save_contacts(
                session=demo_session,
                access=access,
                now=DURING,
                contacts=dataclasses.replace(CONTACTS, coordinator_email=long_text + "@x.go.th"),
            )
        else:
            flow.save_project(
                session=demo_session,
                access=access,
                now=DURING,
                project=dataclasses.replace(
                    PROJECT, developed_by="partner", partner_name=long_text, partner_province="ขอนแก่น"
                ),
            )
    assert f"too_long_{field}" in {p.code for p in caught.value.problems}


def test_a_huge_answer_and_nan_inf_goals_are_refused_and_the_saved_answers_kept(demo_session, edition_id):
    access = through_send(demo_session, edition_id)
    flow.save_answers(session=demo_session, access=access, answers=ANSWERS, now=DURING)
    saved = dict(_sub(demo_session, access).answers)
    huge = ANSWERS.model_copy(update={"participation": "ก" * 21_000_000})
    with pytest.raises(records.SubmissionRejected) as caught:
        flow.save_answers(session=demo_session, access=access, answers=huge, now=DURING)
    assert caught.value.problems[0].code == "too_long_participation"
    assert "การมีส่วนร่วมยาวเกินกำหนด" in caught.value.problems[0].message_th
    demo_session.rollback()
    for bad in (math.nan, math.inf, -math.inf, 1e300):
        goals = [questionnaire.GoalRow(code="people_per_month", before=1, target=bad, after=2)]
        with pytest.raises(records.SubmissionRejected) as caught:
            flow.save_answers(
                session=demo_session, access=access, answers=ANSWERS.model_copy(update={"goals": goals}), now=DURING
            )
        assert "bad_number" in {p.code for p in caught.value.problems}
        demo_session.rollback()
    rows = [questionnaire.TeamMember(name=f"คน {i}") for i in range(questionnaire_rows() + 1)]
    with pytest.raises(records.SubmissionRejected):
        flow.save_answers(
            session=demo_session, access=access, answers=ANSWERS.model_copy(update={"team": rows}), now=DURING
        )
    demo_session.rollback()
    demo_session.expire_all()
    assert _sub(demo_session, access).answers == saved


def questionnaire_rows() -> int:
    from services.platform.text_limits import MAX_ROWS

    return MAX_ROWS


def test_answers_are_stored_clean(demo_session, edition_id):
    access = through_send(demo_session, edition_id)
    answers = ANSWERS.model_copy(
        update={
            "participation": "ชาวบ้าน\x00ร่วม\r\nประชุม\x1b[0m",
            "team": [questionnaire.TeamMember(name="นาย\u202eก", role="ผู้\x07พัฒนา")],
        }
    )
    flow.save_answers(session=demo_session, access=access, answers=answers, now=DURING)
    demo_session.expire_all()
    stored = questionnaire.load_answers(_sub(demo_session, access).answers)
    assert stored.participation == "ชาวบ้านร่วม\nประชุม[0m"
    assert (stored.team[0].name, stored.team[0].role) == ("นายก", "ผู้พัฒนา")


def test_the_one_shot_intake_used_by_bulk_import_cleans_and_bounds_too(demo_session, edition_id):
    form = records.SubmissionForm(
        records.OrganisationStep(org_type=ORG.org_type, org_name="หนอง\x0bบัว", province=ORG.province),
        records.ContactsStep(
            submitter_name="นาย\x00ก",
            submitter_position="นายก",
            coordinator_name="นางข",
            coordinator_phone="044123456",
            coordinator_email="a@b.go.th",
        ),
        records.ProjectStep(title=NASTY_TITLE, category="GIS"),
        declarations={c: True for c in phrases.DECLARATION},
    )
    receipt = flow.submit(
        session=demo_session, edition_id=edition_id, form=form, deck=DECK, signed_form=FORM, now=DURING
    )
    sub = demo_session.exec(select(Submission).where(Submission.receipt_code == receipt.receipt_code)).one()
    assert sub.title == CLEAN_TITLE and sub.submitter_name == "นายก"
    with pytest.raises(records.SubmissionRejected) as caught:
        flow.submit(
            session=demo_session,
            edition_id=edition_id,
            form=dataclasses.replace(form, project=dataclasses.replace(form.project, title="ก" * 301)),
            deck=DECK,
            signed_form=FORM,
            now=DURING,
        )
    assert "too_long_title" in {p.code for p in caught.value.problems}


def _plant(session, title: str) -> None:
    """A title stored before intake cleaned text (or written by a path we do not know of): exports must cope."""
    sub = session.exec(select(Submission).order_by(Submission.id)).first()
    sub.title = title
    session.add(sub)
    session.commit()


def test_every_export_survives_and_cleans_a_stored_hostile_title(demo_session, edition_id):
    _plant(demo_session, PLANTED)
    data = exports.results_data(session=demo_session, edition_id=edition_id)
    book = load_workbook(io.BytesIO(exports.results_xlsx(data)))
    titles = [
        row[list(data.columns).index(next(c for c in data.columns if c.key == "title"))].value
        for row in book["ผลคะแนน"].iter_rows(min_row=2)
    ]
    assert CLEAN_TITLE in titles
    rows = list(csv.DictReader(io.StringIO(exports.results_csv(data).decode("utf-8-sig"))))
    assert CLEAN_TITLE in {r["title"] for r in rows}
    body = exports.results_json(data).decode()
    assert CLEAN_TITLE in {r["title"] for r in json.loads(body)["results"]}
    assert "\\u001b" not in body and "\u202e" not in body
    text = announcement.announcement_text(session=demo_session, edition_id=edition_id)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\x00" not in text


def test_the_cli_writes_no_escape_sequence_to_the_terminal(demo_db_url):
    from sqlmodel import Session

    from services.platform.db import build_engine

    engine = build_engine(demo_db_url)
    with Session(engine) as session:
        _plant(session, PLANTED)
    engine.dispose()
    for args in (("results",), ("results", "--json"), ("announce",)):
        done = ldaward.in_process(demo_db_url, *args)  # what it writes is what a terminal would show
        assert done.returncode == 0, done.stderr
        assert not any(c in done.stdout for c in "\x1b\x07\x00\x01\x0b\u202e"), args
        assert "ระบบแจ้งซ่อม" in done.stdout or args == ("announce",)


def test_the_executive_deck_and_certificates_survive_hostile_titles(demo_session, edition_id):
    from pptx import Presentation

    from services.results import exec_deck

    for sub in demo_session.exec(select(Submission)).all():
        sub.title = PLANTED
        demo_session.add(sub)
    demo_session.commit()
    data = exec_deck.deck_data(session=demo_session, edition_id=edition_id, samples=10)
    for built in (exec_deck.build_deck(data), exec_deck.build_certificates(data)):
        prs = Presentation(io.BytesIO(built))
        text = "\n".join(
            shape.text_frame.text for slide in prs.slides for shape in slide.shapes if shape.has_text_frame
        )
        text += "\n".join(
            cell.text
            for slide in prs.slides
            for shape in slide.shapes
            if shape.has_table
            for row in shape.table.rows
            for cell in row.cells
        )
        assert CLEAN_TITLE in text
        assert not any(c in text for c in "\x1b\x07\x01\u202e")
