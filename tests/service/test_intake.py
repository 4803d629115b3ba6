"""Intake: a complete submission is saved with its files and a receipt; a bad one is refused and nothing saved."""

import dataclasses
from datetime import UTC, date, datetime

import pytest
from factories_files import contest_deck, make_executable, make_jpeg, make_legacy_ppt, make_pdf
from sqlmodel import func, select

from models import Attachment, AuditEvent, Organisation, StoredFile, Submission, SubmissionStatus
from services.contest import editions, reference_2564
from services.intake import files as intake_files
from services.intake import flow, phrases, records, screening, validation
from services.platform.errors import ValidationFailed

DURING_INTAKE = datetime(2021, 7, 20, 3, 0, tzinfo=UTC)


def form(**overrides):
    data = dict(
        org_type="ทต.",
        org_name="ทดสอบ",
        province="เชียงราย",
        district="เมืองเชียงราย",
        subdistrict="ริมกก",
        title="โครงการระบบรับเรื่องร้องเรียนออนไลน์",
        category="E-Service",
        submitter_name="นายสมชาย ใจดี",
        submitter_position="นายกเทศมนตรี",
        coordinator_name="นางสาวสมหญิง รักงาน",
        coordinator_phone="081-234-5678",
        coordinator_email="Somying@Example.go.th",
        golive_date=date(2020, 6, 1),
        declarations={code: True for code in phrases.DECLARATION},
    )
    data.update(overrides)

    def step(cls):  # the flat test data, each step taking its own fields
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data})

    return records.SubmissionForm(
        step(records.OrganisationStep), step(records.ContactsStep), step(records.ProjectStep), data["declarations"]
    )


DECK = records.Upload("โครงการ.pptx", contest_deck())
SIGNED = records.Upload("ใบส่งโครงการ.pdf", make_pdf("Signed form"))


@pytest.fixture
def edition_id(demo_session):
    return editions.current_edition(session=demo_session).id


def count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def test_a_complete_submission_gets_a_receipt_and_keeps_its_files(demo_session, edition_id):
    receipt = flow.submit(
        session=demo_session, edition_id=edition_id, form=form(), deck=DECK, signed_form=SIGNED, now=DURING_INTAKE
    )
    assert receipt.receipt_code.startswith("LDA64-")
    assert len(receipt.edit_token) >= 32
    assert receipt.organisation == "เทศบาลตำบลทดสอบ"
    sub = demo_session.get(Submission, receipt.submission_id)
    assert sub.status == SubmissionStatus.submitted
    assert sub.coordinator_phone == "0812345678"
    assert sub.coordinator_email == "somying@example.go.th"
    assert receipt.edit_token not in sub.edit_token_hash  # only a hash is kept
    files = {a.kind: a for a in intake_files.attachments(session=demo_session, submission_id=sub.id)}
    assert files["deck"].original_name == "โครงการ.pptx"
    assert files["signed_form"].media_type == "application/pdf"
    assert intake_files.file_content(session=demo_session, sha256=files["deck"].sha256) == DECK.data
    org = demo_session.get(Organisation, sub.organisation_id)
    assert (org.short_name, org.province, org.district) == ("ทต.ทดสอบ", "เชียงราย", "เมืองเชียงราย")
    assert demo_session.exec(select(AuditEvent).where(AuditEvent.action == "submission.submit")).one()


def test_the_same_file_sent_twice_is_stored_once(demo_session, edition_id):
    before, attached = count(demo_session, StoredFile), count(demo_session, Attachment)
    flow.submit(
        session=demo_session, edition_id=edition_id, form=form(), deck=DECK, signed_form=SIGNED, now=DURING_INTAKE
    )
    flow.submit(
        session=demo_session,
        edition_id=edition_id,
        form=form(title="โครงการที่สอง"),
        deck=DECK,
        signed_form=SIGNED,
        now=DURING_INTAKE,
    )
    assert count(demo_session, StoredFile) == before + 2
    assert count(demo_session, Attachment) == attached + 4


def test_a_second_project_reuses_the_organisation(demo_session, edition_id):
    a = flow.submit(
        session=demo_session, edition_id=edition_id, form=form(), deck=DECK, signed_form=SIGNED, now=DURING_INTAKE
    )
    b = flow.submit(
        session=demo_session,
        edition_id=edition_id,
        form=form(title="อีกโครงการ", org_name="ทต.ทดสอบ"),
        deck=DECK,
        signed_form=SIGNED,
        now=DURING_INTAKE,
    )
    assert (
        demo_session.get(Submission, a.submission_id).organisation_id
        == demo_session.get(Submission, b.submission_id).organisation_id
    )


def test_every_problem_is_reported_at_once_and_nothing_is_saved(demo_session, edition_id):
    before = count(demo_session, Submission)
    bad = form(
        org_name=" ",
        province="แอตแลนติส",
        coordinator_phone="12",
        coordinator_email="not-an-email",
        declarations={"truthful": True},
    )
    with pytest.raises(records.SubmissionRejected) as e:
        flow.submit(
            session=demo_session,
            edition_id=edition_id,
            form=bad,
            deck=records.Upload("deck.pptx", make_executable()),
            signed_form=records.Upload("form.jpg", make_jpeg()),
            now=DURING_INTAKE,
        )
    codes = {p.code for p in e.value.problems}
    assert {"missing_org_name", "bad_province", "bad_phone", "bad_email", "declarations"} <= codes
    assert any(p.message_th.startswith("ไฟล์นำเสนอ") for p in e.value.problems)
    assert count(demo_session, Submission) == before


def test_a_legacy_ppt_is_refused_with_what_to_do(demo_session, edition_id):
    with pytest.raises(records.SubmissionRejected) as e:
        flow.submit(
            session=demo_session,
            edition_id=edition_id,
            form=form(),
            deck=records.Upload("deck.pptx", make_legacy_ppt()),
            signed_form=SIGNED,
            now=DURING_INTAKE,
        )
    (problem,) = e.value.problems
    assert problem.code == "legacy_ppt"
    assert ".pptx" in problem.message_th


def test_a_jpg_scan_is_accepted_as_the_signed_form(demo_session, edition_id):
    receipt = flow.submit(
        session=demo_session,
        edition_id=edition_id,
        form=form(),
        deck=DECK,
        signed_form=records.Upload("scan.jpg", make_jpeg()),
        now=DURING_INTAKE,
    )
    files = {a.kind: a for a in intake_files.attachments(session=demo_session, submission_id=receipt.submission_id)}
    assert files["signed_form"].media_type == "image/jpeg"


def test_after_intake_closes_a_submission_is_refused_with_the_deadline_in_thai(demo_session, edition_id):
    after = reference_2564.INTAKE_CLOSES_AT.replace(day=31, hour=23, minute=59, second=59).astimezone(UTC)
    with pytest.raises(ValidationFailed) as e:
        flow.submit(
            session=demo_session,
            edition_id=edition_id,
            form=form(),
            deck=DECK,
            signed_form=SIGNED,
            now=after.replace(microsecond=1),
        )
    assert e.value.code == "intake_closed"
    assert "31 กรกฎาคม 2564" in e.value.message_th


@pytest.mark.parametrize(
    ("org_type", "name", "full", "short"),
    [
        ("ทต.", "ท่าคันโท", "เทศบาลตำบลท่าคันโท", "ทต.ท่าคันโท"),
        ("อบต.", "องค์การบริหารส่วนตำบลโคกขมิ้น", "องค์การบริหารส่วนตำบลโคกขมิ้น", "อบต.โคกขมิ้น"),
        ("ทน.", "ทน.ขอนแก่น", "เทศบาลนครขอนแก่น", "ทน.ขอนแก่น"),
    ],
)
def test_names_are_composed_the_way_the_announcement_writes_them(org_type, name, full, short):
    from models import OrgType

    assert validation.compose_names(OrgType(org_type), name) == (full, short)


def test_screening_decisions_are_audited_and_rejection_needs_a_reason(demo_session, edition_id):
    receipt = flow.submit(
        session=demo_session, edition_id=edition_id, form=form(), deck=DECK, signed_form=SIGNED, now=DURING_INTAKE
    )
    with pytest.raises(ValidationFailed):
        screening.set_status(
            session=demo_session,
            submission_id=receipt.submission_id,
            status=SubmissionStatus.rejected,
            reason="",
            actor="organiser",
        )
    screening.set_status(
        session=demo_session,
        submission_id=receipt.submission_id,
        status=SubmissionStatus.rejected,
        reason="เริ่มใช้งานหลังวันที่กำหนด",
        actor="organiser",
    )
    event = demo_session.exec(select(AuditEvent).where(AuditEvent.action == "submission.status")).one()
    assert event.after == {"status": "rejected", "reason": "เริ่มใช้งานหลังวันที่กำหนด"}
    with pytest.raises(ValidationFailed) as refused:  # returned for fixes: the applicant is told what to fix
        screening.set_status(
            session=demo_session,
            submission_id=receipt.submission_id,
            status=SubmissionStatus.draft,
            reason=" ",
            actor="organiser",
        )
    assert refused.value.code == "reason_required"
    screening.set_status(
        session=demo_session,
        submission_id=receipt.submission_id,
        status=SubmissionStatus.draft,
        reason="แนบใบส่งโครงการที่ลงนามแล้ว",
        actor="organiser",
    )
    assert demo_session.get(Submission, receipt.submission_id).status == SubmissionStatus.draft
    rows = screening.list_for_organisers(session=demo_session, edition_id=edition_id)
    assert len(rows) == 46
    assert next(r for r in rows if r.id == receipt.submission_id).coordinator_name == "นางสาวสมหญิง รักงาน"
