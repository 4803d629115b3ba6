"""services.platform.safe_text against a hostile corpus: Markdown, HTML and document text come out literal, Thai intact."""

import html as std_html

import pytest

from services.platform import safe_text
from tests.helpers.hostile import HOSTILE, live_markdown

THAI = "โครงการพัฒนาระบบสารสนเทศเพื่อบริการประชาชน ๒๕๖๔ ของเทศบาลตำบลบ้านใหม่"


def unescape_md(body: str) -> str:
    """What Markdown shows for text that has only backslash escapes (and word joiners)."""
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            out.append(body[i + 1])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out).replace("\u2060", "")


@pytest.mark.parametrize("text", HOSTILE)
def test_md_leaves_no_live_markdown_syntax(text):
    assert live_markdown(safe_text.md(text, multiline=True)) == []
    assert live_markdown(safe_text.md(text)) == []


@pytest.mark.parametrize("text", HOSTILE)
def test_md_still_reads_as_the_applicant_wrote_it(text):
    shown = unescape_md(safe_text.md(text))
    assert shown == " ".join(safe_text.clean(text).split())


def test_md_keeps_lines_as_line_breaks_only_when_asked():
    assert safe_text.md("บรรทัดหนึ่ง\nบรรทัดสอง") == "บรรทัดหนึ่ง บรรทัดสอง"
    assert safe_text.md("บรรทัดหนึ่ง\r\n# สอง", multiline=True) == "บรรทัดหนึ่ง  \n\\# สอง"


def test_thai_text_passes_through_every_helper_unchanged():
    assert safe_text.md(THAI) == THAI
    assert safe_text.html(THAI) == THAI
    assert safe_text.plain(THAI) == THAI


def test_md_breaks_autolinks_and_shortcodes():
    body = safe_text.md("https://a.example www.b.example c@d.example :smile: :red[x]")
    assert "https\\:\u2060\\/\\/a\\.example" in body
    assert "www\u2060\\.b" in body and "c\\@\u2060d" in body
    assert "\\:\u2060smile\\:\u2060" in body and "\\:\u2060red\\[x\\]" in body


def test_bidi_and_invisible_characters_are_removed():
    for helper in (safe_text.md, safe_text.html, safe_text.plain):
        assert helper("\u202eevil\u202c\u2066x\u2069\u200by\ufeff\x07") == "evilxy"


def test_html_makes_plotly_markup_literal():
    text = '<a href="http://evil.example">คลิก</a><br><b>x</b> &amp;'
    out = safe_text.html(text)
    assert "<" not in out and ">" not in out and '"' not in out
    assert std_html.unescape(out) == text


def test_plain_keeps_newlines_and_drops_xml_invalid_characters():
    assert safe_text.plain("ก\x00ข\x1f\nค\tง") == "กข\nค\tง"
    assert safe_text.plain(None) == ""


def test_the_corpus_check_catches_raw_applicant_text():
    """Guard on the guard: the links, images, headings, HTML, colours, autolinks, maths, bidi, quotes, lists and
    tables of the corpus are all caught when left raw, so a page that forgets the helper fails the page tests."""
    caught = [text for text in HOSTILE if live_markdown(text)]
    assert caught == [text for text in HOSTILE if not text.startswith("**")]  # emphasis alone is harmless
