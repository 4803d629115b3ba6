"""Browser journey: an organisation sends a project with a real deck and signed form; a renamed program is refused."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pptx import Presentation
from pypdf import PdfWriter
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from models import Attachment, AttachmentKind, Organisation, StoredFile, Submission
from services.platform.db import build_engine

pytestmark = pytest.mark.browser

SETTLE_MS = 30_000
DECLARATION_COUNT = 4


@pytest.fixture
def app_db(app_database_url: str) -> Iterator[Engine]:
    """The served app's own database, to check what a journey saved."""
    engine = build_engine(app_database_url)
    yield engine
    engine.dispose()


def make_deck(path: Path) -> Path:
    """A real .pptx in Thai, laid out like the organiser's template."""
    prs = Presentation()
    for title, body in (
        ("ระบบทดสอบการส่งผลงาน องค์การบริหารส่วนจังหวัดทดสอบระบบ", "รางวัลท้องถิ่นดิจิทัล ประจำปี 2564"),
        ("วัตถุประสงค์ของโครงการ", "ลดเวลาการให้บริการประชาชน"),
        ("ปัญหา (Pain point)", "ประชาชนต้องเดินทางมาที่สำนักงานหลายครั้ง"),
        ("Roadmap", "เชื่อมต่อระบบกับจังหวัดเชียงราย"),
    ):
        slide = prs.slides.add_slide(prs.slide_layouts[1])  # title and content
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    prs.save(path)
    return path


def make_signed_form(path: Path) -> Path:
    """A one-page PDF with nothing on it, like a scan."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with path.open("wb") as f:
        writer.write(f)
    return path


def counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return (
            session.exec(select(func.count()).select_from(Submission)).one(),
            session.exec(select(func.count()).select_from(Organisation)).one(),
            session.exec(select(func.count()).select_from(StoredFile)).one(),
        )


def upload(page: Page, label: str, path: Path) -> None:
    """Attach path to the file uploader labelled `label` and wait until the upload is done."""
    uploader = page.get_by_test_id("stFileUploader").filter(has_text=label)
    uploader.locator("input[type=file]").set_input_files(path)
    expect(uploader.get_by_test_id("stFileChipName")).to_have_text(path.name, timeout=SETTLE_MS)
    # While the bytes travel the chip offers "Cancel upload of …"; "Remove …" means the server has them.
    expect(uploader.get_by_role("button", name=f"Remove {path.name}", exact=True)).to_be_visible(timeout=SETTLE_MS)


def save_step(page: Page, form_label: str, next_heading: str) -> None:
    """Press the step's primary button and wait for the next step's heading."""
    page.get_by_test_id("stForm").get_by_role("button", name=form_label, exact=True).click()
    expect(page.get_by_role("heading", name=next_heading)).to_be_visible(timeout=SETTLE_MS)


def fill_first_steps(page: Page, base_url: str, *, title: str) -> None:
    """Steps 1–3 of the guided flow: organisation, submitter and coordinator, project."""
    page.goto(base_url)  # the submit page is a visitor's home page
    expect(page.get_by_role("heading", name="ส่งผลงานเข้าประกวด")).to_be_visible(timeout=SETTLE_MS)
    expect(page.get_by_role("heading", name="1 หน่วยงาน")).to_be_visible(timeout=SETTLE_MS)
    form = page.get_by_test_id("stForm")
    # The organisation type keeps its default (the first, อบจ.).
    form.get_by_label("ชื่อหน่วยงาน (ไม่ต้องใส่ประเภท เช่น ท่าคันโท)").fill("ทดสอบระบบ")
    province = form.get_by_role("combobox", name="จังหวัด", exact=True)
    province.click()
    page.keyboard.type("เชียงราย")
    page.get_by_role("option", name="เชียงราย", exact=True).click()
    expect(province).to_have_value("เชียงราย")
    save_step(page, "บันทึกและไปขั้นถัดไป", "2 ผู้ส่งและผู้ประสานงาน")

    form = page.get_by_test_id("stForm")
    form.get_by_label("ชื่อ-นามสกุล ผู้ส่งโครงการ (ผู้มีอำนาจลงนาม)").fill("นายทดสอบ ระบบดี")
    form.get_by_label("ตำแหน่ง", exact=True).fill("นายกองค์การบริหารส่วนจังหวัด")
    form.get_by_test_id("stCheckbox").first.locator("label").click()
    form.get_by_label("ชื่อผู้ประสานงาน", exact=True).fill("นางสาวประสาน งานดี")
    form.get_by_label("โทรศัพท์", exact=True).fill("081-234-5678")
    form.get_by_label("อีเมล", exact=True).fill("test@example.go.th")
    save_step(page, "บันทึกและไปขั้นถัดไป", "3 โครงการ")

    form = page.get_by_test_id("stForm")
    form.get_by_label("ชื่อโครงการ", exact=True).fill(title)
    # A segmented date field: day, month and year spin buttons, typed in order.
    form.get_by_role("spinbutton", name="day, วันที่เริ่มใช้งานจริง").click()
    page.keyboard.type("01062020")
    expect(form.get_by_role("spinbutton", name="year, วันที่เริ่มใช้งานจริง")).to_have_text("2020")
    form.get_by_text("ริเริ่มขึ้นใหม่", exact=True).click()
    form.get_by_text("พัฒนาโดยบุคลากรภายใน อปท. เอง", exact=True).click()
    form.get_by_text("ผลงานนี้เป็นนวัตกรรมที่นำเทคโนโลยีดิจิทัลมาประยุกต์ใช้ในกระบวนการทำงานของภาครัฐ").click()
    save_step(page, "บันทึกและไปขั้นถัดไป", "4 เอกสาร")


def upload_documents(page: Page, *, deck: Path, signed_form: Path) -> None:
    upload(page, "ไฟล์นำเสนอ PowerPoint", deck)
    upload(page, "ใบส่งโครงการที่ลงนาม", signed_form)
    page.get_by_test_id("stForm").get_by_role("button", name="อัปโหลดและไปขั้นถัดไป", exact=True).click()


def test_a_visitor_sends_a_project_with_a_deck_and_a_signed_form(
    page: Page, fresh_base_url: str, fresh_db: Engine, tmp_path: Path, shot: Callable[[str], Path]
) -> None:
    """On a server of its own: the shared one keeps the demo's 45 works, which the leaderboard tests count."""
    base_url, app_db = fresh_base_url, fresh_db
    title = "ระบบแจ้งเรื่องร้องเรียนออนไลน์เพื่อทดสอบระบบ"
    deck = make_deck(tmp_path / "นำเสนอโครงการ.pptx")
    signed_form = make_signed_form(tmp_path / "ใบส่งโครงการ.pdf")

    fill_first_steps(page, base_url, title=title)
    upload_documents(page, deck=deck, signed_form=signed_form)
    expect(page.get_by_role("heading", name="5 ยอมรับเงื่อนไขและส่ง")).to_be_visible(timeout=SETTLE_MS)
    expect(page.get_by_text("Roadmap: สไลด์ 4").first).to_be_visible()  # the deck's topic checklist

    form = page.get_by_test_id("stForm")
    boxes = form.get_by_test_id("stCheckbox")
    expect(boxes).to_have_count(DECLARATION_COUNT)
    for i in range(DECLARATION_COUNT):
        boxes.nth(i).locator("label").click()
        expect(boxes.nth(i).get_by_role("checkbox")).to_be_checked()
    shot("declarations")
    save_step(page, "ส่ง", "6 คำถามขั้นตอนที่ 7 และยืนยัน")

    form = page.get_by_test_id("stForm")
    form.get_by_text("ระบบสารบรรณอิเล็กทรอนิกส์ (e-Saraban)", exact=True).click()
    form.get_by_text("LINE Official Account", exact=True).click()
    form.get_by_label("ชุดข้อมูล").fill("จุดรับเรื่องร้องเรียน | https://data.go.th/dataset/complaints")
    shot("questions")
    form.get_by_role("button", name="ยืนยัน", exact=True).click()

    receipt = page.get_by_role("heading", name=re.compile(r"เลขที่ใบรับ: LDA64-"))
    expect(receipt).to_be_visible(timeout=SETTLE_MS)
    expect(page.get_by_text("ส่งผลงานเรียบร้อยแล้ว", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    shot("receipt")
    found = re.search(r"LDA64-[A-Z2-9]{4}-[A-Z2-9]{4}", receipt.inner_text())
    assert found, receipt.inner_text()
    code = found.group(0)

    with Session(app_db) as session:
        sub = session.exec(select(Submission).where(Submission.title == title)).one()
        org = session.get(Organisation, sub.organisation_id)
        files = session.exec(select(Attachment).where(Attachment.submission_id == sub.id)).all()
    assert sub.receipt_code == code
    assert sub.status == "submitted" and sub.confirmed_at is not None
    assert (sub.coordinator_phone, sub.coordinator_email) == ("0812345678", "test@example.go.th")
    assert all(sub.declarations.values()) and len(sub.declarations) == DECLARATION_COUNT
    assert sub.golive_date == date(2020, 6, 1)
    assert sub.answers["digital_tools"] == ["e_saraban"] and sub.answers["datasets"][0]["on_data_go_th"]
    assert org is not None
    assert (org.short_name, org.province) == ("อบจ.ทดสอบระบบ", "เชียงราย")
    assert sorted((a.kind, a.original_name, a.size) for a in files) == sorted(
        [
            (AttachmentKind.deck, deck.name, deck.stat().st_size),
            (AttachmentKind.signed_form, signed_form.name, signed_form.stat().st_size),
        ]
    )
    deck_analysis = next(a.analysis for a in files if a.kind == AttachmentKind.deck)
    assert deck_analysis["slide_count"] == 4


def test_a_program_renamed_to_pptx_is_refused_in_thai_and_no_file_is_saved(
    page: Page, base_url: str, app_db: Engine, tmp_path: Path, shot: Callable[[str], Path]
) -> None:
    title = "โครงการที่แนบไฟล์โปรแกรมแทนไฟล์นำเสนอ"
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(56) + b"PE\x00\x00" + bytes(200))
    signed_form = make_signed_form(tmp_path / "signed.pdf")

    fill_first_steps(page, base_url, title=title)
    before = counts(app_db)
    upload_documents(page, deck=deck, signed_form=signed_form)

    expect(page.get_by_text("ไฟล์นี้ไม่ใช่ไฟล์ PowerPoint (.pptx) แต่เป็นไฟล์โปรแกรม").first).to_be_visible(timeout=SETTLE_MS)
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text("ยังส่งไม่ได้ กรุณาแก้ไข")
    expect(page.get_by_role("heading", name="4 เอกสาร")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    shot("refused")
    assert counts(app_db) == before  # no file stored, no new submission
    with Session(app_db) as session:
        draft = session.exec(select(Submission).where(Submission.title == title)).one()
        assert draft.status == "draft"  # steps 1-3 stay saved as a draft to come back to
        assert session.exec(select(Attachment).where(Attachment.submission_id == draft.id)).all() == []


def test_a_deck_with_a_linked_picture_is_refused_in_thai_and_the_title_is_kept_clean(
    page: Page, base_url: str, app_db: Engine, tmp_path: Path, shot: Callable[[str], Path]
) -> None:
    from tests.factories_files import make_linked_picture_deck

    title = "โครงการที่ลิงก์รูปภาพไปยังเครื่องแม่ข่าย"
    deck = tmp_path / "linked.pptx"
    deck.write_bytes(make_linked_picture_deck("file:///etc/hostname"))
    signed_form = make_signed_form(tmp_path / "signed.pdf")

    fill_first_steps(page, base_url, title=title + "\u202e")
    before = counts(app_db)
    upload_documents(page, deck=deck, signed_form=signed_form)

    expect(page.get_by_text("ไฟล์นำเสนอมีรูปภาพหรือสื่อที่ลิงก์ไปยังภายนอก", exact=False).first).to_be_visible(timeout=SETTLE_MS)
    expect(page.get_by_role("heading", name="4 เอกสาร")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    shot("linked-picture-refused")
    assert counts(app_db) == before
    with Session(app_db) as session:
        assert session.exec(select(Submission).where(Submission.title == title)).one()  # stored without the U+202E
