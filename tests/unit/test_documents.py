"""Unit tests for checking uploaded decks and signed forms, on real files built in memory."""

from __future__ import annotations

import io
import pickle
import re
import stat
import time
import tracemalloc
import zlib
from collections.abc import Callable

import factories_files as ff
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from services.intake.deck_check import check_deck
from services.intake.deck_topics import (
    TOPICS,
    DeckInfo,
    SlideText,
    TopicCoverage,
    format_coverage,
    slide_ranges,
    topic_coverage,
)
from services.intake.documents import DocumentError, sha256_hex
from services.intake.signed_form import FormInfo, check_signed_form

THAI = re.compile(r"[\u0e00-\u0e7f]")


def deck_error(data: bytes, **kwargs: int) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        check_deck(data, "ผลงาน.pptx", **kwargs)
    return caught.value


def form_error(data: bytes, **kwargs: int) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        check_signed_form(data, "ใบส่งโครงการ.pdf", **kwargs)
    return caught.value


def assert_actionable(error: DocumentError, code: str) -> None:
    assert error.code == code, (error.code, error.message_en)
    assert THAI.search(error.message_th), "the Thai message comes first and must be Thai"
    assert "กรุณา" in error.message_th, "tell the applicant what to do"
    assert str(error) == error.message_th
    assert error.message("en") == error.message_en and error.message_en.strip()
    assert error.filename


def coverage(info: DeckInfo, code: str) -> TopicCoverage:
    return next(t for t in info.topics if t.code == code)


# --- decks that are accepted --------------------------------------------------------------------


@pytest.fixture(scope="module")
def contest_info() -> DeckInfo:
    return check_deck(ff.contest_deck(), "ผลงาน.pptx")


def test_contest_deck_reads_every_slide_title_in_order(contest_info: DeckInfo) -> None:
    assert contest_info.slide_count == 16
    assert [s.number for s in contest_info.slides] == list(range(1, 17))
    assert contest_info.slides[1].title == "วัตถุประสงค์ของโครงการ"
    assert contest_info.slides[13].title == "Roadmap ช่วง 3–6 เดือน"
    assert contest_info.media_type.endswith("presentationml.presentation")


def test_slide_text_keeps_thai_body_text(contest_info: DeckInfo) -> None:
    pain = contest_info.slides[3]
    assert pain.title == "ปัญหา (Pain point)"
    assert "ประชาชนต้องเดินทางมาที่สำนักงานหลายครั้ง" in pain.text


def test_table_cells_grouped_shapes_and_notes_are_extracted() -> None:
    data = ff.make_deck(
        [("เป้าหมายและผลสัมฤทธิ์", "ตารางเปรียบเทียบ"), ("ภาพรวม", "สรุป")],
        with_table=True,
        notes=["อธิบายตัวเลขก่อนและหลัง", None],
        group_text="ข้อความในกลุ่มรูปร่าง",
    )
    info = check_deck(data, "deck.pptx")
    first, last = info.slides
    assert first.notes == "อธิบายตัวเลขก่อนและหลัง"
    assert last.notes == ""
    for cell in ("ก่อนดำเนินโครงการ", "หลังดำเนินโครงการ", "จำนวนคนใช้บริการ (คน/เดือน)", "450"):
        assert cell in last.text.splitlines()
    assert "ข้อความในกลุ่มรูปร่าง" in last.text


def test_slide_without_title_placeholder_takes_its_first_text_as_title() -> None:
    info = check_deck(ff.make_deck([("", "ชุดข้อมูลที่เผยแพร่\nบน data.go.th")]), "deck.pptx")
    assert info.slides[0].title == "ชุดข้อมูลที่เผยแพร่ บน data.go.th"


def test_deck_is_judged_by_content_not_by_its_name() -> None:
    assert check_deck(ff.contest_deck(), "scan.pdf").slide_count == 16
    assert deck_error(ff.make_legacy_ppt()).code == "legacy_ppt"  # named .pptx, still an old .ppt


# --- decks that are refused ---------------------------------------------------------------------


def _duplicate_member_zip() -> bytes:
    members = ff.deck_members(ff.make_deck([("ซ้ำ", "ซ้ำ")]))
    return ff.raw_zip([*members, members[-1]])


def _bad_crc_zip() -> bytes:
    members = ff.deck_members(ff.make_deck([("ข้อมูลเสีย", "CRC ไม่ตรง")]))
    target = next(i for i, m in enumerate(members) if m.name.endswith("slide1.xml"))
    m = members[target]
    members[target] = ff.RawMember(m.name, m.payload, m.method, m.crc ^ 1, m.compress_size, m.file_size)
    return ff.raw_zip(members)


def _member_with(method: int = 8, flags: int = 0, external_attr: int = 0) -> bytes:
    members = ff.deck_members(ff.make_deck([("สมาชิก", "พิเศษ")]))
    data = b"ppt/slides/slide1.xml"
    members.append(
        ff.RawMember("ppt/link.xml", data, method, zlib.crc32(data), len(data), len(data), flags, external_attr)
    )
    return ff.raw_zip(members)


REFUSED_DECKS: dict[str, tuple[Callable[[], bytes], str]] = {
    "empty": (lambda: b"", "empty"),
    "legacy .ppt": (ff.make_legacy_ppt, "legacy_ppt"),
    "password-protected .pptx": (ff.make_encrypted_pptx, "encrypted"),
    "zip entry encryption": (lambda: _member_with(flags=0x1), "encrypted"),
    "old Word .doc": (ff.make_legacy_doc, "not_pptx"),
    "Windows program renamed .pptx": (lambda: ff.make_executable("pe"), "not_pptx"),
    "Linux program renamed .pptx": (lambda: ff.make_executable("elf"), "not_pptx"),
    "PDF": (ff.make_pdf, "not_pptx"),
    "JPEG": (ff.make_jpeg, "not_pptx"),
    "plain text": (lambda: "สวัสดี".encode() * 50, "not_pptx"),
    "Word .docx": (ff.make_docx_like, "not_pptx"),
    "PowerPoint Show .ppsx": (ff.make_ppsx, "not_pptx"),
    "truncated to half": (lambda: ff.truncate(ff.contest_deck(), 0.5), "deck_malformed"),
    "truncated by one byte": (lambda: ff.contest_deck()[:-1], "deck_malformed"),
    "duplicate member names": (_duplicate_member_zip, "deck_malformed"),
    "bad CRC": (_bad_crc_zip, "deck_malformed"),
    "bzip2 member": (lambda: _member_with(method=12), "deck_malformed"),
    "no content types": (lambda: ff.rezip(ff.contest_deck(), drop=["[Content_Types].xml"]), "deck_malformed"),
    "content types with a DTD": (
        lambda: ff.rezip(
            ff.contest_deck(),
            replace={"[Content_Types].xml": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><Types>&a;</Types>'},
        ),
        "deck_malformed",
    ),
    "no slides": (lambda: ff.make_deck([]), "no_slides"),
    "zip bomb": (ff.make_zip_bomb, "zip_bomb"),
    "header understates size": (ff.make_lying_zip, "zip_bomb"),
    "10,001 entries": (lambda: ff.make_many_entries_zip(10_001), "zip_bomb"),
    "parent-directory member": (ff.make_traversal_zip, "path_traversal"),
    "absolute member": (lambda: ff.make_traversal_zip("/etc/passwd"), "path_traversal"),
    "backslash member": (lambda: ff.make_traversal_zip("ppt\\..\\..\\evil.txt"), "path_traversal"),
    "drive-letter member": (lambda: ff.make_traversal_zip("C:/Windows/evil.dll"), "path_traversal"),
    "symlink member": (lambda: _member_with(method=0, external_attr=(stat.S_IFLNK | 0o777) << 16), "path_traversal"),
    ".pptm content type and vbaProject.bin": (ff.make_pptm, "macro_enabled"),
    ".pptm content type only": (lambda: ff.make_pptm(vba=False), "macro_enabled"),
    "vbaProject.bin only": (lambda: ff.make_pptm(content_type=False), "macro_enabled"),
}


@pytest.mark.parametrize("make, code", REFUSED_DECKS.values(), ids=REFUSED_DECKS.keys())
def test_refused_deck_names_the_problem_in_thai(make: Callable[[], bytes], code: str) -> None:
    assert_actionable(deck_error(make()), code)


def test_legacy_ppt_message_says_save_as_pptx() -> None:
    error = deck_error(ff.make_legacy_ppt())
    assert "PowerPoint รุ่นเก่า (.ppt)" in error.message_th and "บันทึกเป็น .pptx" in error.message_th


def test_encrypted_pptx_message_says_remove_the_password() -> None:
    error = deck_error(ff.make_encrypted_pptx())
    assert "รหัสผ่าน" in error.message_th and "remove the password" in error.message_en.lower()


def test_macro_message_says_save_without_macros() -> None:
    assert "แบบไม่มีมาโคร" in deck_error(ff.make_pptm()).message_th


def test_not_pptx_says_what_was_uploaded_instead() -> None:
    assert "PDF" in deck_error(ff.make_pdf()).message_th
    assert "Word" in deck_error(ff.make_docx_like()).message_th
    assert "โปรแกรม" in deck_error(ff.make_executable()).message_th


def test_deck_over_the_size_limit_is_refused_before_anything_else() -> None:
    error = deck_error(ff.contest_deck(), max_bytes=10_000)
    assert_actionable(error, "too_large")
    assert "MB" in error.message_th


def test_deck_expanding_past_the_configured_bound_is_refused() -> None:
    assert_actionable(deck_error(ff.contest_deck(), max_uncompressed=50_000), "zip_bomb")


def test_entry_count_bound_is_configurable() -> None:
    assert deck_error(ff.make_many_entries_zip(20), max_entries=10).code == "zip_bomb"


def test_zip_bomb_is_refused_fast_without_inflating_it() -> None:
    bomb = ff.make_zip_bomb()
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        error = deck_error(bomb)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.code == "zip_bomb"
    assert elapsed < 0.5
    assert peak < 50 * 1024 * 1024


def test_member_inflating_past_its_declared_size_is_stopped_in_bounded_memory() -> None:
    lying = ff.make_lying_zip(real_megabytes=64)
    tracemalloc.start()
    try:
        error = deck_error(lying)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.code == "zip_bomb"
    assert peak < 50 * 1024 * 1024


# --- topic checklist ----------------------------------------------------------------------------


def test_topic_table_follows_the_guide() -> None:
    assert [t.code for t in TOPICS] == [
        "objectives",
        "policy",
        "pain_point",
        "solution",
        "character",
        "goals_results",
        "roadmap",
        "participation",
        "datasets",
        "communication",
        "digital_tools",
        "limitations",
        "team",
    ]
    assert [t.code for t in TOPICS if not t.scored] == ["limitations", "team"]
    assert all(THAI.search(t.title_th) or t.code == "roadmap" for t in TOPICS)


def test_roadmap_is_found_on_slides_14_to_15(contest_info: DeckInfo) -> None:
    roadmap = coverage(contest_info, "roadmap")
    assert roadmap.slides == [14, 15] and roadmap.in_title
    assert format_coverage(roadmap) == "Roadmap: สไลด์ 14–15"
    assert format_coverage(roadmap, "en") == "Roadmap: slides 14–15"


def test_each_template_topic_lands_on_its_own_slide(contest_info: DeckInfo) -> None:
    expected = {
        "objectives": [2],
        "policy": [3],
        "pain_point": [4],
        "solution": [5],
        "character": [6],
        "goals_results": [7],
        "participation": [8],
        "digital_tools": [9],
        "limitations": [10],
        "team": [11],
    }
    assert {code: coverage(contest_info, code).slides for code in expected} == expected


def test_missing_topics_are_reported(contest_info: DeckInfo) -> None:
    assert [t.code for t in contest_info.missing_topics] == ["datasets", "communication"]
    assert format_coverage(coverage(contest_info, "datasets")) == "ชุดข้อมูล: ไม่พบ"
    assert format_coverage(coverage(contest_info, "datasets"), "en") == "Data sets: not found"


def slides_of(*pairs: tuple[str, str], notes: tuple[str, ...] = ()) -> list[SlideText]:
    return [
        SlideText(n, title, f"{title}\n{body}", notes[n - 1] if n <= len(notes) else "")
        for n, (title, body) in enumerate(pairs, start=1)
    ]


def test_a_title_naming_the_topic_beats_passing_mentions_in_body_text() -> None:
    slides = slides_of(
        ("นโยบาย", "สอดคล้องกับแผนพัฒนาท้องถิ่น"),
        ("ภาพรวม", "ดู roadmap ท้ายเอกสาร"),
        ("แผนพัฒนาต่อยอด (Roadmap)", "ช่วง 3–6 เดือน"),
    )
    roadmap = next(t for t in topic_coverage(slides) if t.code == "roadmap")
    assert roadmap.slides == [3] and roadmap.in_title


def test_body_mentions_count_when_no_title_names_the_topic() -> None:
    slides = slides_of(("ผลงาน", "เผยแพร่บน DATA.GO.TH ระดับ 3 ดาว"), ("สรุป", "ขอบคุณ"))
    datasets = next(t for t in topic_coverage(slides) if t.code == "datasets")
    assert datasets.slides == [1] and not datasets.in_title


def test_keywords_ignore_case_and_the_two_spellings_of_sara_am() -> None:
    decomposed = "ข้อจ\u0e4d\u0e32กัด"  # sara am typed as nikhahit + sara aa, as PDF exports do
    slides = slides_of(("PAIN POINT", ""), (decomposed, ""), ("Team\u200bMembers", ""))
    found = {t.code: t.slides for t in topic_coverage(slides)}
    assert found["pain_point"] == [1]
    assert found["limitations"] == [2]
    assert found["team"] == [3]


def test_latin_keywords_match_only_at_a_word_start() -> None:
    slides = slides_of(("ประชุมผ่าน television", "steam"))
    found = {t.code: t.slides for t in topic_coverage(slides)}
    assert found["policy"] == [] and found["team"] == []


def test_speaker_notes_do_not_count_as_coverage() -> None:
    slides = slides_of(("สรุป", "ขอบคุณ"), notes=("อย่าลืมพูดถึงชุดข้อมูล",))
    assert next(t for t in topic_coverage(slides) if t.code == "datasets").slides == []


@pytest.mark.parametrize(
    "numbers, text",
    [
        ([14, 15], "14–15"),
        ([3], "3"),
        ([3, 5, 6, 7, 9], "3, 5–7, 9"),
        ([9, 7, 6, 5, 3, 5], "3, 5–7, 9"),
        ([], ""),
    ],
)
def test_slide_numbers_compress_into_ranges(numbers: list[int], text: str) -> None:
    assert slide_ranges(numbers) == text


def test_single_slide_coverage_reads_naturally_in_both_languages() -> None:
    cov = TopicCoverage("objectives", "วัตถุประสงค์", "Objectives", [2], True)
    assert format_coverage(cov) == "วัตถุประสงค์: สไลด์ 2"
    assert format_coverage(cov, "en") == "Objectives: slide 2"


@given(st.sets(st.integers(min_value=1, max_value=200)))
def test_slide_ranges_expand_back_to_the_same_slides(numbers: set[int]) -> None:
    expanded: set[int] = set()
    for part in filter(None, slide_ranges(sorted(numbers)).split(", ")):
        low, _, high = part.partition("–")
        expanded.update(range(int(low), int(high or low) + 1))
    assert expanded == numbers


# --- signed form --------------------------------------------------------------------------------


def test_pdf_with_text_is_accepted_and_its_text_read() -> None:
    info = check_signed_form(ff.make_pdf("Signed by the Mayor (Tha Khantho)"), "form.pdf")
    assert info == FormInfo("pdf", "application/pdf", 1, "Signed by the Mayor (Tha Khantho)", False)


def test_pdf_without_text_is_flagged_as_a_scan() -> None:
    info = check_signed_form(ff.make_pdf(None), "form.pdf")
    assert info.kind == "pdf" and info.page_count == 1 and info.is_scan


def test_pdf_text_is_read_from_the_first_ten_pages_only() -> None:
    writer = PdfWriter()
    for n in range(1, 26):
        writer.add_page(PdfReader(io.BytesIO(ff.make_pdf(f"page {n} end"))).pages[0])
    out = io.BytesIO()
    writer.write(out)
    info = check_signed_form(out.getvalue(), "form.pdf")
    assert info.page_count == 25
    assert "page 10 end" in info.text and "page 11 end" not in info.text


def test_pdf_needing_a_password_is_refused() -> None:
    error = form_error(ff.make_encrypted_pdf())
    assert_actionable(error, "pdf_encrypted")
    assert "กรุณาส่งไฟล์สแกนที่ไม่ได้ตั้งรหัสผ่าน" in error.message_th


def test_pdf_with_only_an_owner_password_opens_and_is_accepted() -> None:
    assert check_signed_form(ff.make_encrypted_pdf(user_password=""), "form.pdf").page_count == 1


@pytest.mark.parametrize("kind", ["jpeg", "png"])
def test_scanned_image_is_decoded_and_measured(kind: str) -> None:
    data = ff.make_jpeg(300, 400) if kind == "jpeg" else ff.make_png(300, 400)
    info = check_signed_form(data, "form.pdf")  # a misleading name changes nothing
    assert info == FormInfo(kind, f"image/{kind}", 1, "", True, 300, 400)  # type: ignore[arg-type]


def test_image_over_the_pixel_bound_is_refused_with_its_size() -> None:
    error = form_error(ff.make_png(300, 400), max_pixels=100_000)
    assert_actionable(error, "image_too_large")
    assert "300×400" in error.message_th


REFUSED_FORMS: dict[str, tuple[Callable[[], bytes], str]] = {
    "empty": (lambda: b"", "empty"),
    "password PDF": (ff.make_encrypted_pdf, "pdf_encrypted"),
    "truncated PDF": (lambda: ff.truncate(ff.make_pdf(), 0.6), "pdf_malformed"),
    "PDF header then garbage": (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"%%EOF\n", "pdf_malformed"),
    "truncated JPEG": (lambda: ff.truncate(ff.make_jpeg(), 0.5), "image_undecodable"),
    "truncated PNG": (lambda: ff.truncate(ff.make_png(), 0.7), "image_undecodable"),
    "JPEG magic then garbage": (lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 500, "image_undecodable"),
    "decompression bomb PNG": (ff.make_huge_png_header, "image_too_large"),
    "iPhone HEIC photo": (ff.make_heic_like, "not_pdf_or_image"),
    "PowerPoint deck": (ff.contest_deck, "not_pdf_or_image"),
    "Windows program": (ff.make_executable, "not_pdf_or_image"),
    "GIF": (lambda: b"GIF89a" + b"\x00" * 100, "not_pdf_or_image"),
    "Word .doc": (ff.make_legacy_doc, "not_pdf_or_image"),
}


@pytest.mark.parametrize("make, code", REFUSED_FORMS.values(), ids=REFUSED_FORMS.keys())
def test_refused_form_names_the_problem_in_thai(make: Callable[[], bytes], code: str) -> None:
    assert_actionable(form_error(make()), code)


def test_form_over_the_size_limit_is_refused() -> None:
    assert_actionable(form_error(ff.make_png(), max_bytes=100), "too_large")


def test_heic_refusal_says_convert_to_jpg() -> None:
    assert "HEIC" in form_error(ff.make_heic_like()).message_th


# --- small parts --------------------------------------------------------------------------------


def test_sha256_hex_matches_the_standard_vector() -> None:
    assert sha256_hex(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_document_error_survives_pickling_for_caches_and_workers() -> None:
    error = DocumentError("empty", "ไฟล์ว่าง กรุณาเลือกใหม่", "Empty file.")
    again = pickle.loads(pickle.dumps(error))
    assert (again.code, again.message_th, again.message_en, str(again)) == (
        "empty",
        "ไฟล์ว่าง กรุณาเลือกใหม่",
        "Empty file.",
        "ไฟล์ว่าง กรุณาเลือกใหม่",
    )


# --- fuzzing: hostile bytes only ever raise DocumentError ---------------------------------------

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAGICS = [b"", b"PK\x03\x04", b"%PDF-1.4\n", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", ff.OLE2_MAGIC]


def only_document_errors(check: Callable[[bytes, str], object], data: bytes) -> None:
    try:
        check(data, "fuzz.bin")
    except DocumentError as error:
        assert error.code and error.message_th


@FUZZ
@given(magic=st.sampled_from(MAGICS), tail=st.binary(max_size=2048))
def test_random_bytes_only_raise_document_error(magic: bytes, tail: bytes) -> None:
    only_document_errors(check_deck, magic + tail)
    only_document_errors(check_signed_form, magic + tail)


VALID_FILES = {
    "deck": ff.make_deck([("Roadmap", "แผนพัฒนา")], with_table=True, notes=["บันทึก"]),
    "pdf": ff.make_pdf("Signed form"),
    "jpeg": ff.make_jpeg(64, 64),
    "png": ff.make_png(64, 64),
}


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID_FILES[draw(st.sampled_from(sorted(VALID_FILES)))])
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        data[draw(st.integers(min_value=0, max_value=len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        del data[draw(st.integers(min_value=1, max_value=len(data))) :]
    return bytes(data)


@FUZZ
@given(data=mutated())
def test_mutated_valid_files_only_raise_document_error(data: bytes) -> None:
    only_document_errors(check_deck, data)
    only_document_errors(check_signed_form, data)


DECK_PARTS = {
    name: ff.read_member(VALID_FILES["deck"], name)
    for name in (
        "[Content_Types].xml",
        "ppt/presentation.xml",
        "ppt/slides/slide1.xml",
        "ppt/_rels/presentation.xml.rels",
    )
}


@FUZZ
@given(name=st.sampled_from(sorted(DECK_PARTS)), data=st.data())
def test_decks_with_damaged_xml_inside_an_intact_zip_only_raise_document_error(name: str, data: st.DataObject) -> None:
    part = bytearray(DECK_PARTS[name])
    start = data.draw(st.integers(min_value=0, max_value=len(part) - 1))
    part[start : start + data.draw(st.integers(0, 40))] = data.draw(st.binary(max_size=40))
    only_document_errors(check_deck, ff.rezip(VALID_FILES["deck"], replace={name: bytes(part)}))
