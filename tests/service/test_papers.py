"""The papers of the call's steps 2–3 (submission form, presentation template, guide) and the applicant's receipt,
made from the edition's data and reopened: pypdf text in Thai, python-pptx slide titles, the deck check on a deck made
from the template. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from factories_files import contest_deck, make_pdf
from pptx import Presentation
from pypdf import PdfReader
from sqlmodel import Session

from services.contest import editions, papers
from services.intake import deck_check, documents, flow, phrases, records, signed_form
from services.intake.receipt import printable, receipt, to_html
from services.platform import office
from services.platform.errors import Forbidden
from tests.conftest import skip_or_fail

DURING = datetime(2021, 7, 20, 3, 0, tzinfo=UTC)
ORG = records.OrganisationStep(
    org_type="ทต.", org_name="ท่าคันโท", province="กาฬสินธุ์", district="ท่าคันโท", subdistrict="ยางอู้ม"
)
CONTACTS = records.ContactsStep(
    submitter_name="นายสมชาย ใจดี",
    submitter_position="นายกเทศมนตรีตำบลท่าคันโท",
    coordinator_name="นางสาวสมหญิง รักงาน",
    coordinator_phone="043-123-456",
    coordinator_email="somying@example.go.th",
    submitter_has_signing_authority=True,
)
PROJECT = records.ProjectStep(
    title="ระบบแจ้งเหตุและติดตามคำร้องผ่าน LINE",
    category="E-Service",
    golive_date=date(2020, 10, 1),
    is_new_initiative=True,
    developed_by="in_house",
    digital_declared=True,
)
DECK = records.Upload("นำเสนอ.pptx", contest_deck())
FORM = records.Upload("ใบส่งโครงการ.pdf", make_pdf("Signed form"))

# Thai marks above and below a consonant, SARA AA and SARA AM: a shaped PDF draws some as positioned glyphs, and
# pypdf maps each glyph to one character, so a glyph shared by SARA AA and SARA AM reads back as either or neither.
# (or as a control character). Text is compared without them, spaces and line breaks (the page wraps lines).
_DROPPED = dict.fromkeys([*range(0x20), 0x0E31, 0x0E32, 0x0E33, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)])


def skeleton(text: str) -> str:
    return "".join(text.split()).translate(_DROPPED)


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), skeleton("".join(page.extract_text() for page in reader.pages))


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    papers.clear_cache()  # each database's run renders its own papers
    yield
    papers.clear_cache()


@pytest.fixture
def needs_office() -> None:
    if office.libreoffice() is None:  # optional for the app; .ci/system-deps installs it, so CI must run this
        skip_or_fail(
            "LibreOffice (sandboxed) is not available here (apt-get install libreoffice-impress-nogui "
            "bubblewrap): no PDF papers"
        )


@pytest.fixture
def edition(demo_session: Session) -> editions.EditionView:
    found = editions.current_edition(session=demo_session)
    assert found is not None
    return found


def draft(session: Session, edition_id: int, *, sent: bool = False) -> records.Access:
    access = flow.start(session=session, edition_id=edition_id, organisation=ORG, now=DURING).access
    flow.save_contacts(session=session, access=access, contacts=CONTACTS, now=DURING)
    flow.save_project(session=session, access=access, project=PROJECT, now=DURING)
    if sent:
        flow.save_documents(session=session, access=access, deck=DECK, signed_form=FORM, now=DURING)
        flow.send(session=session, access=access, now=DURING, declarations={code: True for code in phrases.DECLARATION})
    return access


def slide_titles(data: bytes) -> list[str]:
    return [slide.shapes.title.text_frame.text for slide in Presentation(io.BytesIO(data)).slides]


# --- the presentation template -----------------------------------------------------------------------------------


def test_the_template_has_a_cover_then_one_slide_per_criterion_in_the_editions_order(
    demo_session: Session, edition: editions.EditionView
) -> None:
    paper = papers.presentation_template(session=demo_session, edition_id=edition.id)
    assert paper.file_name == "presentation-template-2564.pptx" and paper.media_type == documents.PPTX_MEDIA_TYPE
    titles = slide_titles(paper.data)
    assert titles[0] == "[ชื่อโครงการ]"
    assert titles[1:] == [c.title_th for c in edition.criteria] and len(titles) == 14  # 11 scored, 2 not, a cover
    prs = Presentation(io.BytesIO(paper.data))
    participation = prs.slides[8]  # the eighth criterion
    texts = [s.text_frame.text for s in participation.shapes if s.has_text_frame]
    assert "หัวข้อที่ 8 · การมีส่วนร่วมและผลตอบรับ · 10 คะแนน" in texts
    assert any("ผลสำรวจความพึงพอใจ" in t for t in texts)  # the guide's prompts in the body ...
    assert "ผลสำรวจความพึงพอใจ" in participation.notes_slide.notes_text_frame.text  # ... and in the notes
    team = prs.slides[13]
    assert "หัวข้อที่ 13 · สมาชิกในทีม · ไม่คิดคะแนน" in [s.text_frame.text for s in team.shapes if s.has_text_frame]


def test_a_deck_made_from_the_template_passes_the_deck_check_with_every_topic_covered(
    demo_session: Session, edition: editions.EditionView
) -> None:
    prs = Presentation(io.BytesIO(papers.presentation_template(session=demo_session, edition_id=edition.id).data))
    cover = prs.slides[0]
    cover.shapes.title.text_frame.text = "ระบบแจ้งเหตุและติดตามคำร้องผ่าน LINE"
    for slide in list(prs.slides)[1:]:  # the applicant replaces the prompts with their own content
        slide.placeholders[1].text_frame.text = "หน่วยงานดำเนินการแล้วตามแผน พร้อมภาพประกอบและหลักฐาน"
    buffer = io.BytesIO()
    prs.save(buffer)
    info = deck_check.check_deck(buffer.getvalue(), "ของเรา.pptx")
    assert info.slide_count == 14 and info.missing_topics == []
    slide_of = {c.code: n for n, c in enumerate(edition.criteria, start=2)}
    for topic in info.topics:
        assert slide_of[topic.code] in topic.slides, topic


def test_an_organisers_criteria_change_changes_the_template_and_the_guide(
    demo_session: Session, edition: editions.EditionView
) -> None:
    before = papers.presentation_template(session=demo_session, edition_id=edition.id).data
    guide_before = printed(demo_session, edition.id, "guide").html()
    editions.save_criterion(
        session=demo_session,
        edition_id=edition.id,
        code="security",
        title_th="ความมั่นคงปลอดภัยไซเบอร์และการคุ้มครองข้อมูลส่วนบุคคล",
        title_en="Security",
        max_points=5,
        guidance_th="ระบุมาตรการรักษาความปลอดภัย <ตามมาตรฐาน>",
        actor="organiser",
    )
    first = edition.criteria[0]
    editions.save_criterion(
        session=demo_session,
        edition_id=edition.id,
        code=first.code,
        title_th="วัตถุประสงค์ของโครงการ (ปรับปรุงใหม่)",
        title_en=first.title_en,
        max_points=first.max_points,
        guidance_th=first.guidance_th,
        actor="organiser",
    )
    changed = editions.get_edition(session=demo_session, edition_id=edition.id)
    assert papers.version_key(changed) != papers.version_key(edition)
    after = papers.presentation_template(session=demo_session, edition_id=edition.id).data
    assert after != before
    titles = slide_titles(after)
    assert titles[1] == "วัตถุประสงค์ของโครงการ (ปรับปรุงใหม่)"
    assert titles[-1] == "ความมั่นคงปลอดภัยไซเบอร์และการคุ้มครองข้อมูลส่วนบุคคล" and len(titles) == 15
    guide = printed(demo_session, edition.id, "guide").html()
    assert guide != guide_before and "เกณฑ์การพิจารณา (รวม 105 คะแนน)" in guide
    assert "&lt;ตามมาตรฐาน&gt;" in guide and "<ตามมาตรฐาน>" not in guide  # organiser text is escaped


def printed(session: Session, edition_id: int, key: str, access: records.Access | None = None) -> papers.Printable:
    return next(
        p for p in papers.applicant_papers(session=session, edition_id=edition_id, access=access)[0] if p.key == key
    )


# --- the submission form ------------------------------------------------------------------------------------------


def test_the_blank_form_pdf_holds_the_seed_forms_fields_declarations_and_signature_in_thai(
    demo_session: Session, edition: editions.EditionView, needs_office: None
) -> None:
    form = printed(demo_session, edition.id, "form")
    assert form.file_stem == "submission-form-2564"
    data = form.pdf()
    pages, text = pdf_text(data)
    assert pages == 1
    for words in (
        "ใบส่งโครงการนวัตกรรมดิจิทัลเข้าประกวด",
        "รางวัลท้องถิ่นดิจิทัล ประจำปี 2564",
        "ข้าพเจ้า",
        "ตำแหน่ง",
        "สังกัดหน่วยงาน",
        "ตำบล",
        "อำเภอ",
        "จังหวัด",
        "ชื่อโครงการ",
        "ลงชื่อ",
        "ประทับตราหน่วยงาน",
        "ผู้ส่งโครงการนวัตกรรมดิจิทัลเข้าประกวด",
        "ต้องเป็นผู้มีอำนาจลงนามของหน่วยงาน",
    ):
        assert skeleton(words) in text, words
    for th, _en in phrases.DECLARATION.values():
        assert skeleton(th) in text, th
    # Printed, signed and scanned back as a PDF with text, it is what the intake's signed-form check accepts.
    info = signed_form.check_signed_form(data, f"{form.file_stem}.pdf")
    assert (info.kind, info.page_count, info.is_scan) == ("pdf", 1, False)
    assert skeleton("ใบส่งโครงการนวัตกรรมดิจิทัลเข้าประกวด") in skeleton(info.text)


def test_the_form_is_pre_filled_from_the_applicants_draft(
    demo_session: Session, edition: editions.EditionView, needs_office: None
) -> None:
    access = draft(demo_session, edition.id)
    form = printed(demo_session, edition.id, "form", access)
    assert form.file_stem == f"submission-form-{access.receipt_code}"
    data = form.pdf()
    pages, text = pdf_text(data)
    assert pages == 1
    for value in (
        "นายสมชาย ใจดี",
        "นายกเทศมนตรีตำบลท่าคันโท",
        "เทศบาลตำบลท่าคันโท",
        "ยางอู้ม",
        "กาฬสินธุ์",
        "ระบบแจ้งเหตุและติดตามคำร้องผ่าน LINE",
        access.receipt_code,
    ):
        assert skeleton(value) in text, value
    blank = printed(demo_session, edition.id, "form")
    assert blank.pdf() != data and blank.signature != form.signature
    with pytest.raises(Forbidden):
        printed(demo_session, edition.id, "form", records.Access(access.receipt_code, "not-the-token"))


def test_without_libreoffice_the_form_and_guide_are_offered_as_html_to_print(
    demo_session: Session, edition: editions.EditionView, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office, "libreoffice", lambda: None)  # a host without LibreOffice: no fake of the papers
    access = draft(demo_session, edition.id)
    printables, template = papers.applicant_papers(session=demo_session, edition_id=edition.id, access=access)
    assert [p.key for p in printables] == ["form", "guide"] and template.media_type == documents.PPTX_MEDIA_TYPE
    form = printables[0].html()
    assert "นายสมชาย ใจดี" in form and "&#9744; ข้าพเจ้ายอมรับว่าคำตัดสิน" in form
    with pytest.raises(papers.PaperFailed) as failed:
        papers.form_pdf(edition)
    assert failed.value.code == "no_office"


# --- the guide ----------------------------------------------------------------------------------------------------


def test_the_guide_pdf_gives_criteria_points_eligibility_steps_and_buddhist_era_dates(
    demo_session: Session, edition: editions.EditionView, needs_office: None
) -> None:
    guide = printed(demo_session, edition.id, "guide")
    assert guide.file_stem == "guide-2564"
    pages, text = pdf_text(guide.pdf())
    assert 2 <= pages <= 5
    for n, c in enumerate(edition.criteria, start=1):
        assert skeleton(f"{n}. {c.title_th}") in text, c.code
    for words in (
        "คุณสมบัติของโครงการที่ส่งเข้าประกวด",
        "องค์กรปกครองส่วนท้องถิ่น (อปท.)",
        "เริ่มใช้งานจริงภายในวันที่ 1 กุมภาพันธ์ 2564",
        "เกณฑ์การพิจารณา (รวม 100 คะแนน)",
        "5 คะแนน",
        "ไม่คิดคะแนน",
        "ขั้นตอนการส่งผลงานเข้าประกวด",
        "31 กรกฎาคม 2564 เวลา 23:59 น.",
        "1 กรกฎาคม 2564",
    ):
        assert skeleton(words) in text, words
    assert "2021" not in text  # dates in the Buddhist era only


# --- the cache ----------------------------------------------------------------------------------------------------


def test_a_paper_asked_for_twice_at_once_is_rendered_once() -> None:
    calls: list[int] = []

    def make() -> bytes:
        calls.append(1)
        time.sleep(0.2)
        return b"pdf"

    results: list[bytes] = []
    threads = [threading.Thread(target=lambda: results.append(papers.cached(("t", "1"), make))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [b"pdf"] * 3 and len(calls) == 1
    assert papers.cached(("t", "1"), make) == b"pdf" and len(calls) == 1


# --- the receipt --------------------------------------------------------------------------------------------------


def test_the_receipt_gives_code_organisation_project_time_files_with_sha256_and_eligibility(
    demo_session: Session, edition: editions.EditionView
) -> None:
    access = draft(demo_session, edition.id, sent=True)
    r = receipt(session=demo_session, access=access, now=DURING)
    assert (r.receipt_code, r.organisation, r.province, r.title) == (
        access.receipt_code,
        "เทศบาลตำบลท่าคันโท",
        "กาฬสินธุ์",
        PROJECT.title,
    )
    assert r.submitted_at == DURING and r.status_en == "sent, awaiting screening"
    assert {(f.name, f.sha256) for f in r.files} == {
        (DECK.filename, documents.sha256_hex(DECK.data)),
        (FORM.filename, documents.sha256_hex(FORM.data)),
    }
    assert r.eligibility_th.startswith("รอข้อมูลหรือการยืนยัน")  # an organiser has not confirmed it yet
    page = to_html(r)
    assert "20 กรกฎาคม 2564 เวลา 10:00 น." in page and documents.sha256_hex(DECK.data) in page
    assert access.edit_token not in page and CONTACTS.coordinator_email not in page  # printed and e-mailed
    with pytest.raises(Forbidden):
        receipt(session=demo_session, access=records.Access(access.receipt_code, "wrong"))


def test_the_receipt_pdf_reopens_with_its_thai_text_and_file_hashes(
    demo_session: Session, edition: editions.EditionView, needs_office: None
) -> None:
    access = draft(demo_session, edition.id, sent=True)
    paper = printable(receipt(session=demo_session, access=access))
    assert paper.file_stem == f"receipt-{access.receipt_code}"
    pages, text = pdf_text(paper.pdf())
    assert pages == 1
    for words in (
        "ใบรับผลงานเข้าประกวด",
        access.receipt_code,
        "เทศบาลตำบลท่าคันโท",
        PROJECT.title,
        "รับผลงานเมื่อ",
        "20 กรกฎาคม 2564 เวลา 10:00 น.",
        "คุณสมบัติตามประกาศ",
        documents.sha256_hex(DECK.data),
        documents.sha256_hex(FORM.data),
    ):
        assert skeleton(words) in text, words


def test_hostile_applicant_text_reaches_the_papers_as_text(
    demo_session: Session, edition: editions.EditionView
) -> None:
    access = draft(demo_session, edition.id)
    hostile = "<script>alert(1)</script>\u202eระบบ\x00 [link](javascript:x)"
    flow.save_project(
        session=demo_session,
        access=access,
        now=DURING,
        project=records.ProjectStep(**{**PROJECT.__dict__, "title": hostile}),
    )
    fields = papers.form_fields(flow.load(session=demo_session, access=access, now=DURING))
    assert "\u202e" not in fields.project_title and "\x00" not in fields.project_title
    page = papers.form_html(edition, fields)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;ระบบ [link](javascript:x)" in page
    slip = to_html(receipt(session=demo_session, access=access, now=DURING))
    assert "<script>" not in slip and "&lt;script&gt;" in slip and "\u202e" not in slip
    deck = Presentation(io.BytesIO(papers.form_pptx(edition, fields)))  # python-pptx refuses XML-invalid text
    assert any("ระบบ [link]" in s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
