"""Decks whose parts point outside the file (issue 13): linked pictures, media and OLE objects, file: and UNC
targets are refused with a Thai message; an ordinary web link on text is accepted."""

from __future__ import annotations

import factories_files as ff
import pytest

from services.intake.deck_check import check_deck
from services.intake.documents import DocumentError

REFUSED_LINKS = [
    ("image", "http://127.0.0.1:8080/internal.png"),
    ("image", "https://example.com/logo.png"),
    ("image", "file:///etc/passwd"),
    ("image", "\\\\fileserver\\share\\logo.png"),
    ("image", "C:\\Users\\me\\logo.png"),
    ("video", "http://169.254.169.254/latest/meta-data/"),
    ("audio", "file:///var/lib/secret.wav"),
    ("oleObject", "file:///home/someone/budget.xlsx"),
    ("hyperlink", "file:///etc/shadow"),
    ("hyperlink", "\\\\fileserver\\share\\doc.docx"),
]


@pytest.mark.parametrize(("rel_type", "target"), REFUSED_LINKS)
def test_a_deck_linking_outside_is_refused_with_a_thai_message(rel_type: str, target: str) -> None:
    deck = ff.make_linked_picture_deck(target, rel_type=rel_type)
    with pytest.raises(DocumentError) as caught:
        check_deck(deck, "ผลงาน.pptx")
    assert caught.value.code == "external_content"
    assert "ลิงก์ไปยังภายนอก" in caught.value.message_th
    assert "กรุณาฝังรูปภาพในไฟล์แล้วส่งใหม่" in caught.value.message_th
    assert target not in caught.value.message_th and target not in caught.value.message_en
    assert caught.value.filename == "ผลงาน.pptx"


@pytest.mark.parametrize("target", ["file:///etc/hostname", "\\\\host\\share\\x.png", "//host/share/x.png"])
def test_a_file_or_unc_target_is_refused_even_when_not_marked_external(target: str) -> None:
    with pytest.raises(DocumentError) as caught:
        check_deck(ff.make_internal_rel_deck(target), "deck.pptx")
    assert caught.value.code == "external_content"


@pytest.mark.parametrize("url", ["https://www.dga.or.th/", "http://example.go.th/project", "mailto:a@b.go.th"])
def test_a_web_link_on_text_is_accepted(url: str) -> None:
    info = check_deck(ff.make_text_hyperlink_deck(url), "deck.pptx")
    assert info.slide_count == 1
    assert "เว็บไซต์โครงการ" in info.slides[0].text


def test_the_contest_deck_with_its_embedded_pictures_is_still_accepted() -> None:
    assert check_deck(ff.contest_deck(), "deck.pptx").slide_count > 10


def test_text_read_from_a_deck_or_a_form_carries_no_control_or_bidi_character() -> None:
    from services.intake.signed_form import check_signed_form

    deck = check_deck(ff.make_deck([("ชื่อ\u202eกลับ", "เนื้อหา\u2066x\u2069")]), "deck.pptx")
    assert (deck.slides[0].title, deck.slides[0].text) == ("ชื่อกลับ", "ชื่อกลับ\nเนื้อหาx")
    form = check_signed_form(ff.make_pdf("Signed\x1b[31m form\x00"), "form.pdf")
    assert form.text == "Signed[31m form"
