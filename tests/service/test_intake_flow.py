"""The guided flow: a draft at every step, resumed with the receipt code and edit token, the deadline and its
extension, "submit another project", and the screening queue built from it."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from factories_files import contest_deck, make_executable, make_jpeg, make_pdf
from sqlmodel import select

from models import Attachment, AuditEvent, Submission, SubmissionStatus
from services.contest import editions
from services.intake import access as intake_access
from services.intake import eligibility, files, flow, phrases, questionnaire, records, screening
from services.platform.errors import Forbidden, ValidationFailed

DURING = datetime(2021, 7, 20, 3, 0, tzinfo=UTC)
AFTER_CLOSE = datetime(2021, 8, 1, 0, 0, tzinfo=UTC)  # 07:00 on 1 August 2564 in Bangkok

ORG = records.OrganisationStep(
    org_type="อบต.", org_name="โคกขมิ้น", province="บุรีรัมย์", district="พลับพลาชัย", subdistrict="โคกขมิ้น"
)
CONTACTS = records.ContactsStep(
    submitter_name="นายสมชาย ใจดี",
    submitter_position="นายก อบต.",
    coordinator_name="นางสาวสมหญิง รักงาน",
    coordinator_phone="044-123-456",
    coordinator_email="Somying@Example.go.th",
    submitter_has_signing_authority=True,
)
PROJECT = records.ProjectStep(
    title="ระบบแจ้งซ่อมไฟฟ้าสาธารณะผ่าน LINE",
    category="E-Service",
    golive_date=date(2020, 10, 1),
    is_new_initiative=True,
    developed_by="in_house",
    digital_declared=True,
)
DECK = records.Upload("นำเสนอ.pptx", contest_deck())
FORM = records.Upload("ใบส่งโครงการ.pdf", make_pdf("Signed form"))
ALL_DECLARED = {code: True for code in phrases.DECLARATION}
ANSWERS = questionnaire.Answers(
    digital_tools=["e_saraban", "chatbot"],
    communication_channels=["facebook", "line_oa"],
    communication_channels_other=["รถแห่ประชาสัมพันธ์"],
    datasets=[questionnaire.DataSet(name="จุดติดตั้งไฟฟ้าสาธารณะ", url="https://data.go.th/dataset/streetlights")],
    roadmap=[questionnaire.RoadmapPeriod(period="3_6_months", plan="แจ้งเตือนสถานะ", responsible_unit="กองช่าง")],
)


@pytest.fixture
def edition_id(demo_session):
    return editions.current_edition(session=demo_session).id


def through_send(session, edition_id):
    started = flow.start(session=session, edition_id=edition_id, organisation=ORG, now=DURING)
    access = started.access
    flow.save_contacts(session=session, access=access, contacts=CONTACTS, now=DURING)
    flow.save_project(session=session, access=access, project=PROJECT, now=DURING)
    flow.save_documents(session=session, access=access, deck=DECK, signed_form=FORM, now=DURING)
    flow.send(session=session, access=access, declarations=ALL_DECLARED, now=DURING)
    return access


def test_each_step_saves_a_draft_that_the_code_and_token_reopen(demo_session, edition_id):
    started = flow.start(session=demo_session, edition_id=edition_id, organisation=ORG, now=DURING)
    access = started.access
    sub = demo_session.exec(select(Submission).where(Submission.receipt_code == access.receipt_code)).one()
    assert (sub.status, sub.draft_step) == (SubmissionStatus.draft, records.STEP_ORGANISATION)
    assert (
        sub.edit_token_hash == intake_access.hash_token(access.edit_token)
        and access.edit_token not in sub.edit_token_hash
    )
    # A random secret, not made from the draft's id or receipt (a short id may well appear in 43 random characters).
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,}", access.edit_token) and access.receipt_code not in access.edit_token

    flow.save_contacts(session=demo_session, access=access, contacts=CONTACTS, now=DURING)
    view = flow.save_project(session=demo_session, access=access, project=PROJECT, now=DURING)
    assert view.draft_step == records.STEP_PROJECT
    assert view.status == SubmissionStatus.draft

    # A new browser session: only the receipt code and the token.
    reopened = flow.load(
        session=demo_session, access=records.Access(access.receipt_code.lower(), access.edit_token), now=DURING
    )
    assert reopened.short_name == "อบต.โคกขมิ้น"
    assert reopened.contacts.coordinator_phone == "044123456"
    assert reopened.contacts.coordinator_email == "somying@example.go.th"
    assert reopened.project.title == PROJECT.title and reopened.project.golive_date == date(2020, 10, 1)
    assert {m.code for m in reopened.missing} == {
        "missing_deck",
        "missing_signed_form",
        "declarations",
        "not_confirmed",
    }
    assert reopened.editable


def test_a_wrong_token_or_a_demo_receipt_opens_nothing(demo_session, edition_id):
    access = flow.start(session=demo_session, edition_id=edition_id, organisation=ORG, now=DURING).access
    with pytest.raises(Forbidden):
        flow.load(session=demo_session, access=records.Access(access.receipt_code, access.edit_token + "x"))
    with pytest.raises(Forbidden):
        flow.load(session=demo_session, access=records.Access("LDA64-DEMO-0001", ""))


def test_send_needs_every_part_and_then_the_questionnaire_confirms(demo_session, edition_id):
    access = flow.start(session=demo_session, edition_id=edition_id, organisation=ORG, now=DURING).access
    with pytest.raises(records.SubmissionRejected) as e:
        flow.send(session=demo_session, access=access, declarations={"truthful": True}, now=DURING)
    assert {"missing_submitter", "missing_project", "missing_deck", "declarations"} <= {
        p.code for p in e.value.problems
    }

    flow.save_contacts(session=demo_session, access=access, contacts=CONTACTS, now=DURING)
    flow.save_project(session=demo_session, access=access, project=PROJECT, now=DURING)
    with pytest.raises(records.SubmissionRejected) as e:
        flow.save_documents(session=demo_session, access=access, deck=DECK, now=DURING)
    assert [p.code for p in e.value.problems] == ["attach_both"]
    view = flow.save_documents(session=demo_session, access=access, deck=DECK, signed_form=FORM, now=DURING)
    deck = view.attachment("deck")
    assert deck.analysis["slide_count"] == 16
    roadmap = next(t for t in deck.analysis["topics"] if t["code"] == "roadmap")
    assert roadmap["slides"] == [14, 15]
    assert "Roadmap: สไลด์ 14–15" in files.coverage_lines(deck.analysis)
    assert view.attachment("signed_form").analysis["page_count"] == 1

    with pytest.raises(ValidationFailed) as early:
        flow.save_answers(session=demo_session, access=access, answers=ANSWERS, confirm=True, now=DURING)
    assert early.value.code == "send_first"

    sent = flow.send(session=demo_session, access=access, declarations=ALL_DECLARED, now=DURING)
    assert sent.status == SubmissionStatus.submitted and sent.submitted_at == DURING
    assert [m.code for m in sent.missing] == ["not_confirmed"]

    with pytest.raises(records.SubmissionRejected) as e:
        flow.save_answers(
            session=demo_session, access=access, answers=questionnaire.Answers(), confirm=True, now=DURING
        )
    assert {p.code for p in e.value.problems} == {"no_tools", "no_channels"}
    done = flow.save_answers(session=demo_session, access=access, answers=ANSWERS, confirm=True, now=DURING)
    assert done.confirmed_at == DURING and done.missing == ()
    assert done.answers.datasets[0].on_data_go_th
    assert done.answers.communication_channels_other == ["รถแห่ประชาสัมพันธ์"]
    actions = [
        e.action
        for e in demo_session.exec(
            select(AuditEvent).where(AuditEvent.entity_id == str(done.id)).order_by(AuditEvent.id)
        )
    ]
    assert actions == [
        "submission.draft_start",
        "submission.edit_contacts",
        "submission.edit_project",
        "submission.upload",
        "submission.submit",
        "submission.confirm",
    ]


def test_personal_data_is_audited_as_changed_not_by_value(demo_session, edition_id):
    access = flow.start(session=demo_session, edition_id=edition_id, organisation=ORG, now=DURING).access
    flow.save_contacts(session=demo_session, access=access, contacts=CONTACTS, now=DURING)
    event = demo_session.exec(select(AuditEvent).where(AuditEvent.action == "submission.edit_contacts")).one()
    assert event.after["coordinator_phone"] == "(changed)"
    assert "044123456" not in str(event.after) and "somying" not in str(event.after)


def test_a_bad_file_in_the_documents_step_is_refused_and_the_earlier_one_kept(demo_session, edition_id):
    access = through_send(demo_session, edition_id)
    with pytest.raises(records.SubmissionRejected) as e:
        flow.save_documents(
            session=demo_session, access=access, deck=records.Upload("x.pptx", make_executable()), now=DURING
        )
    assert e.value.problems[0].message_th.startswith("ไฟล์นำเสนอ (PowerPoint): ไฟล์นี้ไม่ใช่ไฟล์ PowerPoint")
    view = flow.save_documents(
        session=demo_session, access=access, signed_form=records.Upload("scan.jpg", make_jpeg()), now=DURING
    )
    assert view.attachment("deck").original_name == "นำเสนอ.pptx"
    assert view.attachment("signed_form").media_type == "image/jpeg"
    assert view.attachment("signed_form").analysis["is_scan"] is True
    assert len(demo_session.exec(select(Attachment).where(Attachment.submission_id == view.id)).all()) == 2


def test_edits_are_refused_after_the_deadline_unless_an_organiser_extends_it(demo_session, edition_id):
    access = through_send(demo_session, edition_id)
    with pytest.raises(ValidationFailed) as e:
        flow.save_project(session=demo_session, access=access, project=PROJECT, now=AFTER_CLOSE)
    assert e.value.code == "intake_closed" and "31 กรกฎาคม 2564" in e.value.message_th
    assert not flow.load(session=demo_session, access=access, now=AFTER_CLOSE).editable
    with pytest.raises(ValidationFailed):
        flow.start(session=demo_session, edition_id=edition_id, organisation=ORG, now=AFTER_CLOSE)

    sub_id = flow.load(session=demo_session, access=access).id
    until = AFTER_CLOSE + timedelta(days=3)
    with pytest.raises(ValidationFailed):
        screening.grant_extension(session=demo_session, submission_id=sub_id, until=until, reason="", actor="organiser")
    screening.grant_extension(
        session=demo_session, submission_id=sub_id, until=until, reason="ไฟฟ้าดับวันปิดรับ", actor="organiser"
    )
    view = flow.save_project(
        session=demo_session,
        access=access,
        project=records.ProjectStep(**{**PROJECT.__dict__, "title": "ชื่อใหม่"}),
        now=AFTER_CLOSE,
    )
    assert view.project.title == "ชื่อใหม่" and view.deadline == until
    event = demo_session.exec(select(AuditEvent).where(AuditEvent.action == "submission.extension")).one()
    assert (event.actor, event.after["reason"]) == ("organiser", "ไฟฟ้าดับวันปิดรับ")
    # Only that submission: a new one is still refused.
    with pytest.raises(ValidationFailed):
        flow.start(session=demo_session, edition_id=edition_id, organisation=ORG, now=AFTER_CLOSE)
    with pytest.raises(ValidationFailed) as late:
        flow.save_project(session=demo_session, access=access, project=PROJECT, now=until + timedelta(seconds=1))
    assert late.value.code == "intake_closed"


def test_submit_another_project_carries_the_organisation_and_contacts(demo_session, edition_id):
    first = through_send(demo_session, edition_id)
    second = flow.start_another(session=demo_session, access=first, now=DURING)
    assert second.access.receipt_code != first.receipt_code
    view = second.view
    assert view.status == SubmissionStatus.draft and view.draft_step == records.STEP_CONTACTS
    assert view.short_name == "อบต.โคกขมิ้น"
    assert view.contacts.coordinator_name == CONTACTS.coordinator_name
    assert view.project.title == "" and view.attachments == ()
    with pytest.raises(Forbidden):  # the first token does not open the second project
        flow.load(session=demo_session, access=records.Access(second.access.receipt_code, first.edit_token))


def test_a_screened_submission_can_no_longer_be_edited(demo_session, edition_id):
    access = through_send(demo_session, edition_id)
    sub_id = flow.load(session=demo_session, access=access).id
    screening.set_status(
        session=demo_session, submission_id=sub_id, status=SubmissionStatus.accepted, reason="", actor="organiser"
    )
    with pytest.raises(ValidationFailed) as e:
        flow.save_contacts(session=demo_session, access=access, contacts=CONTACTS, now=DURING)
    assert e.value.code == "already_screened"


def test_the_project_step_asks_for_the_character_of_the_project(demo_session, edition_id):
    access = flow.start(session=demo_session, edition_id=edition_id, organisation=ORG, now=DURING).access
    bad = records.ProjectStep(
        title="x",
        category="E-Service",
        golive_date=None,
        is_new_initiative=False,
        earlier_project_year_be=2600,
        developed_by="partner",
        partner_province="ไม่มี",
    )
    with pytest.raises(records.SubmissionRejected) as e:
        flow.save_project(session=demo_session, access=access, project=bad, now=DURING)
    assert {p.code for p in e.value.problems} == {
        "missing_golive",
        "missing_earlier_name",
        "bad_earlier_year",
        "missing_partner",
        "bad_partner_province",
    }
    good = records.ProjectStep(
        title="x",
        category="GIS",
        golive_date=date(2020, 1, 1),
        is_new_initiative=False,
        earlier_project_name="แผนที่ภาษี",
        earlier_project_year_be=2562,
        developed_by="partner",
        partner_name="มหาวิทยาลัยราชภัฏบุรีรัมย์",
        partner_province="บุรีรัมย์",
    )
    view = flow.save_project(session=demo_session, access=access, project=good, now=DURING)
    assert (view.project.earlier_project_year_be, view.project.partner_province) == (2562, "บุรีรัมย์")


def test_screening_queue_shows_completeness_eligibility_and_files(demo_session, edition_id):
    through_send(demo_session, edition_id)
    late = flow.start(session=demo_session, edition_id=edition_id, organisation=ORG, now=DURING).access
    flow.save_contacts(session=demo_session, access=late, contacts=CONTACTS, now=DURING)
    flow.save_project(
        session=demo_session,
        access=late,
        now=DURING,
        project=records.ProjectStep(**{**PROJECT.__dict__, "title": "เริ่มใช้งานช้า", "golive_date": date(2021, 3, 1)}),
    )
    flow.save_documents(session=demo_session, access=late, deck=DECK, signed_form=FORM, now=DURING)
    flow.send(session=demo_session, access=late, declarations=ALL_DECLARED, now=DURING)

    queue = screening.screening_queue(session=demo_session, edition_id=edition_id)
    assert len(queue) == 47  # 45 demo works and the two sent here; drafts are left out
    by_title = {q.row.title: q for q in queue}
    ok = by_title[PROJECT.title]
    assert ok.eligibility.verdict == eligibility.Verdict.pending
    assert [r.code for r in ok.eligibility.reasons] == ["awaiting_confirmation"]
    assert [m.code for m in ok.missing] == ["not_confirmed"]
    assert ok.attachment("deck").analysis["slide_count"] == 16
    flagged = by_title["เริ่มใช้งานช้า"]
    assert flagged.eligibility.verdict == eligibility.Verdict.ineligible  # flagged, still listed
    assert "1 มีนาคม 2564" in flagged.eligibility.summary("th")

    eligibility.confirm(session=demo_session, submission_id=ok.row.id, actor="organiser")
    again = {q.row.id: q for q in screening.screening_queue(session=demo_session, edition_id=edition_id)}
    assert again[ok.row.id].eligibility.verdict == eligibility.Verdict.eligible
    assert demo_session.exec(select(AuditEvent).where(AuditEvent.action == "submission.eligibility_confirm")).one()
