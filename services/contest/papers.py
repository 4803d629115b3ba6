"""The papers an applicant downloads (call steps 2–3): the submission form, the presentation template, the guide.

Each is generated from the edition's own data (name, dates, criteria with their guidance and points), so it follows
the organiser's changes. The PDFs go the way the certificates and score sheets do: an A4 .pptx drawn with python-pptx,
converted by LibreOffice in its sandbox (services.platform.office), which shapes the Thai. LibreOffice takes
seconds, so every PDF is made on request and kept in a small in-process cache keyed by what it is made of (the
edition and its criteria's version, and the pre-filled fields); two requests for the same paper render it once.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import math
import subprocess
import tempfile
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt
from sqlmodel import Session

from services.contest.editions import CriterionView, EditionView, get_edition
from services.intake import deck_topics, documents, flow, phrases, records
from services.platform import office
from services.platform.errors import DomainError
from services.platform.safe_text import plain
from services.results.exec_deck import set_thai_font
from services.thai.dates import format_thai_date, format_thai_datetime

PDF = "application/pdf"
PPTX = documents.PPTX_MEDIA_TYPE
HTML = "text/html"
BLUE = RGBColor(0x1F, 0x4E, 0x9C)  # type: ignore[no-untyped-call]
GREY = RGBColor(0x55, 0x55, 0x55)  # type: ignore[no-untyped-call]
DOTS = "." * 60
# Pre-filled values come from the applicant (already bounded at intake); bounded again so that a line of the form
# stays a line and the form stays one page.
FIELD_CHARS = 200
TITLE_CHARS = 500


class PaperFailed(DomainError):
    """A PDF could not be made here (no LibreOffice, or it failed); the message says what to use instead."""


@dataclass(frozen=True)
class Paper:
    """A file to offer for download."""

    file_name: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class FormFields:
    """What the submission form asks the submitter to write; empty fields print as dotted lines."""

    submitter_name: str = ""
    submitter_position: str = ""
    organisation: str = ""
    subdistrict: str = ""
    district: str = ""
    province: str = ""
    project_title: str = ""
    receipt_code: str = ""

    @property
    def blank(self) -> bool:
        return not any(asdict(self).values())


def form_fields(view: records.DraftView) -> FormFields:
    """The form's fields from what the applicant typed, cleaned (applicant text) and bounded."""

    def cut(text: str, limit: int = FIELD_CHARS) -> str:
        return " ".join(plain(text).split())[:limit]

    return FormFields(
        cut(view.contacts.submitter_name),
        cut(view.contacts.submitter_position),
        cut(view.full_name),
        cut(view.organisation.subdistrict),
        cut(view.organisation.district),
        cut(view.organisation.province),
        cut(view.project.title, TITLE_CHARS),
        view.receipt_code,
    )


def version_key(edition: EditionView) -> str:
    """A digest of everything the papers are made of: it changes when the organiser changes the edition's name,
    dates or cut-off, or any criterion (title, guidance, points, order, added or dropped)."""
    made_of = {
        "id": edition.id,
        "name": edition.name,
        "theme": edition.theme,
        "opens": edition.intake_opens_at.isoformat(),
        "closes": edition.intake_closes_at.isoformat(),
        "cutoff": edition.golive_cutoff.isoformat(),
        "criteria": [asdict(c) for c in edition.criteria],
    }
    return hashlib.sha256(json.dumps(made_of, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


# --- the cache ----------------------------------------------------------------------------------------------------

CACHE_ENTRIES = 64  # pre-filled forms differ per applicant; bounded so a busy intake cannot grow it without end
_cache: OrderedDict[tuple[str, ...], bytes] = OrderedDict()
_cache_lock = threading.Lock()
_render_locks: dict[tuple[str, ...], threading.Lock] = {}


def cached(key: tuple[str, ...], make: Callable[[], bytes]) -> bytes:
    """make() once per key: a second caller for the same key waits for the first rather than starting LibreOffice
    again. Failures are not kept (the next request tries again)."""
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        lock = _render_locks.setdefault(key, threading.Lock())
    with lock:
        with _cache_lock:
            if key in _cache:
                return _cache[key]
        try:
            data = make()
            with _cache_lock:
                _cache[key] = data
                while len(_cache) > CACHE_ENTRIES:
                    _cache.popitem(last=False)
        finally:
            with _cache_lock:
                _render_locks.pop(key, None)
    return data


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


# --- A4 pages drawn with python-pptx, then PDF through LibreOffice ---------------------------------------------------

PAGE_W, PAGE_H, MARGIN = 8.27, 11.69, 0.7
LINE_IN = 0.24  # one line of 12 pt Thai text with its leading


def _width(text: str) -> float:
    # Thai vowel and tone marks above and below take no width of their own; a dotted line is narrow.
    return sum(0.0 if unicodedata.combining(ch) or ch in _ZERO_WIDTH else 0.35 if ch == "." else 1.0 for ch in text)


_ZERO_WIDTH = frozenset(map(chr, [0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)]))


def text_lines(text: str, per_line: int) -> int:
    """Lines a text takes when wrapped at about per_line characters (Thai has no spaces: counted by characters)."""
    return sum(max(1, math.ceil(_width(part) / per_line)) for part in (text.split("\n") if text else [""]))


class A4:
    """A portrait A4 document as slides: boxes of Thai text placed top to bottom, a new page when one is full."""

    def __init__(self, header: str = "") -> None:
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(PAGE_W), Inches(PAGE_H)
        self.header = header
        self.width = PAGE_W - 2 * MARGIN
        self.slide: Any = None
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        self.slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])
        self.y = MARGIN
        if self.header:
            self.box([self.header], size=8, color=GREY, align=PP_ALIGN.RIGHT, height=0.25)

    def room(self, height: float) -> None:
        if self.y + height > PAGE_H - MARGIN:
            self.new_page()

    def box(
        self,
        lines: Sequence[str],
        *,
        size: float = 12,
        bold: bool = False,
        color: Any = None,
        align: Any = PP_ALIGN.LEFT,
        left: float = 0.0,
        width: float | None = None,
        height: float | None = None,
        per_line: int | None = None,
        advance: bool = True,
    ) -> float:
        """A text box at the current line; returns its height. Text is passed through plain(): some is applicant's."""
        width = width or self.width - left
        per_line = per_line or int(width * 10 * 12 / size)  # ~10 Thai letters an inch at 12 pt, on the safe side
        height = height or sum(text_lines(line, per_line) for line in lines) * LINE_IN * size / 12 + 0.08
        self.room(height)
        frame = self.slide.shapes.add_textbox(
            Inches(MARGIN + left), Inches(self.y), Inches(width), Inches(height)
        ).text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.alignment = align
            run = paragraph.add_run()
            run.text = plain(line)
            run.font.size = Pt(size)
            set_thai_font(run._r.get_or_add_rPr(), size=size, bold=bold, color=color)
        if advance:
            self.y += height
        return height

    def square(self, left: float, top: float, side: float = 0.16) -> None:
        """An empty tick box (drawn, not a ☐ character: Thai fonts lack that glyph)."""
        shape = self.slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Inches(MARGIN + left), Inches(top), Inches(side), Inches(side)
        )
        shape.fill.background()
        shape.line.color.rgb = RGBColor(0, 0, 0)  # type: ignore[no-untyped-call]
        shape.line.width = Pt(0.75)
        shape.shadow.inherit = False

    def frame(self, left: float, top: float, width: float, height: float) -> None:
        shape = self.slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Inches(MARGIN + left), Inches(top), Inches(width), Inches(height)
        )
        shape.fill.background()
        shape.line.color.rgb = GREY
        shape.line.width = Pt(0.75)
        shape.line.dash_style = 4  # dash: a place to stamp, not a printed border
        shape.shadow.inherit = False

    def rule(self) -> None:
        line = self.slide.shapes.add_connector(
            1, Inches(MARGIN), Inches(self.y + 0.04), Inches(PAGE_W - MARGIN), Inches(self.y + 0.04)
        )
        line.line.color.rgb = GREY
        line.line.width = Pt(0.5)
        self.y += 0.1

    def gap(self, inches: float) -> None:
        self.y += inches

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return buffer.getvalue()


def no_office() -> PaperFailed:
    return PaperFailed(
        "no_office",
        "เครื่องนี้สร้าง PDF ไม่ได้ (ไม่มี LibreOffice) กรุณาใช้ฉบับ HTML แล้วสั่งพิมพ์จากเบราว์เซอร์",
        "No PDF can be made here (LibreOffice is missing); use the HTML version and print it from the browser.",
    )


def pptx_to_pdf(pptx: bytes, stem: str, *, timeout: float = 120) -> bytes:
    """The .pptx as PDF through the sandboxed LibreOffice; PaperFailed, in Thai, when it cannot be made here."""
    if office.libreoffice() is None:
        raise no_office()
    try:
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
            source = Path(tmp) / f"{stem}.pptx"
            source.write_bytes(pptx)
            return office.convert_to_pdf(source, timeout).read_bytes()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:  # LibreOffice failed or timed out
        raise PaperFailed(
            "pdf_failed",
            "สร้าง PDF ไม่สำเร็จ กรุณาลองใหม่อีกครั้ง หรือใช้ฉบับ HTML แล้วสั่งพิมพ์จากเบราว์เซอร์",
            "The PDF could not be made; try again, or print the HTML version from the browser.",
        ) from exc


def pdf_available() -> bool:
    return office.libreoffice() is not None


# --- the submission form (ใบส่งโครงการ) ---------------------------------------------------------------------------

FORM_TITLE = "ใบส่งโครงการนวัตกรรมดิจิทัลเข้าประกวด"
SIGNER = "ผู้ส่งโครงการนวัตกรรมดิจิทัลเข้าประกวด"
FORM_NOTE = "หมายเหตุ ผู้ส่งโครงการนวัตกรรมดิจิทัลเข้าประกวด ต้องเป็นผู้มีอำนาจลงนามของหน่วยงาน ลงนามพร้อมตราประทับ"


def _or_dots(value: str, dots: int = 30) -> str:
    return value if value else "." * dots


def form_lines(edition: EditionView, fields: FormFields) -> list[str]:
    """The form's opening, in the seed form's words, with the fields filled in or left as dotted lines."""
    f = fields
    return [
        f"ข้าพเจ้า {_or_dots(f.submitter_name, 45)} ตำแหน่ง {_or_dots(f.submitter_position)}",
        f"สังกัดหน่วยงาน {_or_dots(f.organisation, 45)} ตำบล {_or_dots(f.subdistrict)}",
        f"อำเภอ {_or_dots(f.district, 25)} จังหวัด {_or_dots(f.province, 25)} (ผู้ส่งโครงการเข้าประกวด)",
        "มีความประสงค์ส่งโครงการนวัตกรรมดิจิทัล ชื่อโครงการ",
        f.project_title or "." * 110,
        f"เข้าประกวด{edition.name} โดยข้าพเจ้ายอมรับดังนี้",
    ]


def form_pptx(edition: EditionView, fields: FormFields = FormFields()) -> bytes:
    doc = A4(f"{edition.name} · เลขที่ใบรับ {fields.receipt_code}" if fields.receipt_code else edition.name)
    doc.box([FORM_TITLE], size=18, bold=True, align=PP_ALIGN.CENTER)
    doc.box([edition.name], size=15, bold=True, align=PP_ALIGN.CENTER)
    doc.gap(0.2)
    for line in form_lines(edition, fields):
        doc.box([line], size=13)
        doc.gap(0.1)  # room to write by hand on a blank form
    doc.gap(0.1)
    for th, _en in phrases.DECLARATION.values():
        top = doc.y + 0.06
        doc.square(0.1, top)
        doc.box([th], size=12, left=0.4)
        doc.gap(0.08)
    doc.gap(0.35)
    doc.room(2.4)
    top = doc.y
    doc.frame(0.2, top, 1.9, 1.9)
    doc.box(["ประทับตราหน่วยงาน"], size=10, color=GREY, align=PP_ALIGN.CENTER, left=0.2, width=1.9, advance=False)
    signature = [
        f"ลงชื่อ {'.' * 50}",
        f"({_or_dots(fields.submitter_name, 50)})",
        SIGNER,
        f"ตำแหน่ง {_or_dots(fields.submitter_position, 45)}",
        f"วันที่ {'.' * 45}",
    ]
    doc.box(signature, size=12, align=PP_ALIGN.CENTER, left=2.6, height=1.9 + 0.1)
    doc.gap(0.2)
    doc.box([FORM_NOTE], size=11, bold=True)
    return doc.save()


def form_pdf(edition: EditionView, fields: FormFields = FormFields()) -> bytes:
    key = ("form", str(edition.id), version_key(edition), *asdict(fields).values())
    return cached(key, lambda: pptx_to_pdf(form_pptx(edition, fields), "submission-form"))


def form_html(edition: EditionView, fields: FormFields = FormFields()) -> str:
    """The form as a page to print from the browser, where no PDF can be made; every value escaped."""
    e = html.escape
    opening = "".join(f"<p>{e(line)}</p>" for line in form_lines(edition, fields))
    declarations = "".join(f"<p class='d'>&#9744; {e(th)}</p>" for th, _en in phrases.DECLARATION.values())
    signature = "<br>".join(
        e(line) for line in (f"ลงชื่อ {'.' * 50}", f"({_or_dots(fields.submitter_name, 50)})", SIGNER, f"วันที่ {'.' * 45}")
    )
    return f"""<!DOCTYPE html>
<html lang="th"><head><meta charset="utf-8"><title>{e(FORM_TITLE)}</title>
<style>
@page {{ size: A4; margin: 18mm; }}
body {{ font-family: "Sarabun", "TH Sarabun New", "Loma", "Garuda", "Tahoma", sans-serif; font-size: 13pt; }}
h1, h2 {{ text-align: center; margin: 0 0 6pt; }} .d {{ padding-left: 1.5em; text-indent: -1.5em; }}
.seal {{ float: left; width: 45mm; height: 45mm; border: 1px dashed #555; color: #555; text-align: center; }}
.sign {{ margin-left: 60mm; text-align: center; line-height: 2; }}
</style></head><body>
<h1>{e(FORM_TITLE)}</h1><h2>{e(edition.name)}</h2>
{opening}{declarations}
<div class="seal">ประทับตราหน่วยงาน</div><div class="sign">{signature}</div>
<p style="clear: both"><b>{e(FORM_NOTE)}</b></p>
</body></html>"""


# --- the presentation template -------------------------------------------------------------------------------------

_TOPIC_BY_CODE = {t.code: t for t in deck_topics.TOPICS}


def criterion_label(number: int, c: CriterionView) -> str:
    points = f"{c.max_points} คะแนน" if c.scored else "ไม่คิดคะแนน"
    topic = _TOPIC_BY_CODE.get(c.code)
    # The deck check looks for each guide topic by its words; the organiser's wording of a criterion may lack them
    # (2564's participation criterion does), so the slide names the topic as the check knows it.
    return f"หัวข้อที่ {number}" + (f" · {topic.title_th}" if topic else "") + f" · {points}"


def guidance_lines(c: CriterionView) -> list[str]:
    text = plain(c.guidance_th).strip()
    return [line.strip() for line in text.split("\n") if line.strip()] or ["อธิบายหัวข้อนี้ของโครงการ"]


def template_pptx(edition: EditionView) -> bytes:
    """A 16:9 deck: a cover, then one slide per criterion of the edition in order (scored or not), its title the
    criterion, a line naming the topic and its points, the guide's prompts in the body (to be replaced by the
    applicant's content) and again in the speaker notes (so they stay at hand once the body is overwritten)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    cover = prs.slides.add_slide(prs.slide_layouts[0])
    _set(cover.shapes.title, ["[ชื่อโครงการ]"], size=36, bold=True, color=BLUE)
    _set(cover.placeholders[1], ["[ชื่อหน่วยงาน] จังหวัด [ชื่อจังหวัด]", edition.name], size=20)
    for number, c in enumerate(edition.criteria, start=1):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = Inches(0.5), Inches(0.3), Inches(12.3), Inches(1.3)
        _set(title, [c.title_th], size=22 if len(c.title_th) < 120 else 18, bold=True, color=BLUE)
        label = slide.shapes.add_textbox(Inches(0.5), Inches(1.6), Inches(12.3), Inches(0.4))
        _set(label, [criterion_label(number, c)], size=14, color=GREY)
        body = slide.placeholders[1]
        body.left, body.top, body.width, body.height = Inches(0.5), Inches(2.1), Inches(12.3), Inches(5.0)
        _set(body, guidance_lines(c), size=16)
        notes = slide.notes_slide.notes_text_frame
        notes.text = plain("คำแนะนำ: " + " ".join(guidance_lines(c)))
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _set(shape: Any, lines: Sequence[str], *, size: float, bold: bool = False, color: Any = None) -> None:
    frame = shape.text_frame
    frame.word_wrap = True
    frame.clear()
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = plain(line)
        set_thai_font(run._r.get_or_add_rPr(), size=size, bold=bold, color=color)


def presentation_template(*, session: Session, edition_id: int) -> Paper:
    edition = get_edition(session=session, edition_id=edition_id)
    data = cached(("template", str(edition.id), version_key(edition)), lambda: template_pptx(edition))
    return Paper(f"presentation-template-{edition.year_be}.pptx", PPTX, data)


# --- the guide (คำแนะนำในการให้ข้อมูล) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GuideSection:
    heading: str
    lines: tuple[str, ...] = ()
    criteria: tuple[tuple[int, CriterionView], ...] = ()


def guide_sections(edition: EditionView) -> list[GuideSection]:
    """The guide's content, from the edition: who may enter, the criteria with points and prompts, the steps and
    the dates, in Buddhist-era dates. One content for the HTML and the PDF."""
    cutoff = format_thai_date(edition.golive_cutoff)
    closes = format_thai_datetime(edition.intake_closes_at)
    eligibility = (
        "1) เป็นโครงการนวัตกรรมที่มีการนำเทคโนโลยีดิจิทัลมาประยุกต์ใช้กับกระบวนการทำงานของภาครัฐเท่านั้น",
        f"2) เป็นโครงการที่เริ่มใช้งานจริง ไม่น้อยกว่า 6 เดือน นับถึงวันสิ้นสุดการรับสมัคร หรือต้องเริ่มใช้งานจริงภายในวันที่ {cutoff}",
        "3) หน่วยงานผู้ส่งโครงการนวัตกรรมดิจิทัลเข้าประกวด ต้องเป็นหน่วยงานราชการในรูปแบบ องค์กรปกครองส่วนท้องถิ่น (อปท.) เท่านั้น",
    )
    steps = (
        '1) เข้าเว็บไซต์การประกวด หน้า "ส่งผลงานเข้าประกวด"',
        "2) ดาวน์โหลด คำแนะนำในการให้ข้อมูล (เอกสารนี้) และใบส่งโครงการนวัตกรรมดิจิทัลเข้าประกวด",
        "3) จัดทำไฟล์นำเสนอ PowerPoint จาก Template ของผู้จัดการประกวด หรือ Template อื่นที่จัดทำขึ้นเอง "
        "โดยเนื้อหาครอบคลุมหัวข้อในคำแนะนำนี้เป็นอย่างน้อย",
        "4) กรอกข้อมูลและทำเครื่องหมาย ✓ ในช่องสี่เหลี่ยมเพื่อยอมรับเงื่อนไขในใบส่งโครงการ ลงลายมือชื่อพร้อมตราประทับ "
        "แล้วสแกนเป็น .pdf หรือ .jpg",
        "5) กรอกข้อมูลผู้ติดต่อประสานงานในเว็บไซต์ พร้อมอัปโหลดไฟล์ PowerPoint ตามข้อ 3) และใบส่งโครงการตามข้อ 4)",
        "6) กดปุ่ม ส่ง เพื่อเข้าสู่ขั้นตอนถัดไป",
        f"7) ตอบคำถามที่ปรากฏบนหน้าจอ และกด ยืนยัน เพื่อส่งโครงการเข้าประกวด{edition.name} "
        "หากประสงค์จะส่งมากกว่า 1 โครงการ ให้เริ่มขั้นตอนที่ 3 ใหม่อีกครั้ง",
    )
    numbered = tuple(enumerate(edition.criteria, start=1))
    return [
        GuideSection("คุณสมบัติของโครงการที่ส่งเข้าประกวด", eligibility),
        GuideSection(
            f"เกณฑ์การพิจารณา (รวม {edition.max_total} คะแนน)",
            ("ผู้จัดประกวดขอสงวนสิทธิ์ในการปรับเปลี่ยน/เพิ่ม/ลด เกณฑ์การพิจารณาเพื่อความเหมาะสมต่อการพิจารณา",),
            numbered,
        ),
        GuideSection("ขั้นตอนการส่งผลงานเข้าประกวด", steps),
        GuideSection(
            "กำหนดส่งผลงาน",
            (
                f"เปิดรับสมัครตั้งแต่ {format_thai_datetime(edition.intake_opens_at)}",
                f"ระบบรับสมัครออนไลน์เปิดรับสมัครจนถึง {closes}",
            ),
        ),
    ]


def guide_title(edition: EditionView) -> tuple[str, str]:
    return "คำแนะนำในการให้ข้อมูล", f"สำหรับส่งผลงานนวัตกรรมดิจิทัลเข้าประกวด {edition.name}"


def _points(c: CriterionView) -> str:
    return f"{c.max_points} คะแนน" if c.scored else "ไม่คิดคะแนน"


def guide_html(edition: EditionView) -> str:
    """The guide as a page to print from the browser; every value escaped (the organiser typed them)."""
    e = html.escape
    title, subtitle = guide_title(edition)
    parts = []
    for section in guide_sections(edition):
        parts.append(f"<h2>{e(section.heading)}</h2>")
        parts += [f"<p>{e(line)}</p>" for line in section.lines]
        if section.criteria:
            rows = "".join(
                f"<tr><td class='n'>{n}</td><td><b>{e(c.title_th)}</b><div class='g'>{e(c.guidance_th)}</div></td>"
                f"<td class='n'>{e(_points(c))}</td></tr>"
                for n, c in section.criteria
            )
            parts.append(
                "<table><thead><tr><th>ข้อ</th><th>เกณฑ์การพิจารณาและคำแนะนำ</th><th>คะแนน</th></tr></thead>"
                f"<tbody>{rows}</tbody><tfoot><tr><th></th><th>รวม</th><th>{edition.max_total}</th></tr>"
                "</tfoot></table>"
            )
    theme = f"<p class='t'>{e(edition.theme)}</p>" if edition.theme else ""
    return f"""<!DOCTYPE html>
<html lang="th"><head><meta charset="utf-8"><title>{e(title)} {e(edition.name)}</title>
<style>
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: "Sarabun", "TH Sarabun New", "Loma", "Garuda", "Tahoma", sans-serif; font-size: 12pt; }}
h1 {{ font-size: 18pt; margin: 0; }} h2 {{ font-size: 14pt; margin: 14pt 0 4pt; color: #1f4e9c; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #444; padding: 4pt 6pt; vertical-align: top; text-align: left; }}
td.n {{ text-align: center; white-space: nowrap; }} .g {{ color: #444; margin-top: 3pt; white-space: pre-wrap; }}
.t {{ font-style: italic; }}
</style></head><body>
<h1>{e(title)}</h1><p>{e(subtitle)}</p>{theme}
{"".join(parts)}
</body></html>"""


def guide_pptx(edition: EditionView) -> bytes:
    title, subtitle = guide_title(edition)
    doc = A4(f"{title} · {edition.name}")
    doc.box([title], size=18, bold=True, align=PP_ALIGN.CENTER)
    doc.box([subtitle], size=13, align=PP_ALIGN.CENTER)
    if edition.theme:
        doc.box([f"\u201c{edition.theme}\u201d"], size=12, color=GREY, align=PP_ALIGN.CENTER)
    for section in guide_sections(edition):
        doc.gap(0.12)
        doc.room(0.9)
        doc.box([section.heading], size=14, bold=True, color=BLUE)
        for line in section.lines:
            doc.box([line], size=12)
        for n, c in section.criteria:
            heading = f"{n}. {c.title_th}"
            guidance = plain(c.guidance_th)
            need = (text_lines(heading, 75) + text_lines(guidance, 85)) * LINE_IN + 0.2
            doc.room(need)
            doc.box([heading], size=12, bold=True, width=doc.width - 1.2, advance=False)
            doc.box(
                [_points(c)], size=12, bold=True, align=PP_ALIGN.RIGHT, left=doc.width - 1.2, width=1.2, advance=False
            )
            doc.gap(text_lines(heading, int((doc.width - 1.2) * 12)) * LINE_IN + 0.08)
            if guidance:
                doc.box([guidance], size=11, color=GREY, left=0.25)
            doc.rule()
        if section.criteria:
            doc.box([f"รวม {edition.max_total} คะแนน"], size=12, bold=True, align=PP_ALIGN.RIGHT)
    return doc.save()


def guide_pdf(edition: EditionView) -> bytes:
    return cached(("guide", str(edition.id), version_key(edition)), lambda: pptx_to_pdf(guide_pptx(edition), "guide"))


# --- what the pages offer ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Printable:
    """A paper offered two ways: HTML to print from the browser, made when clicked, and a PDF made on request
    (LibreOffice takes seconds and can fail; a page never waits for it while it draws). signature names what the
    paper is made from: a PDF made earlier is offered again while it stays the same."""

    key: str
    label_th: str
    label_en: str
    file_stem: str
    signature: object
    html: Callable[[], str]
    pdf: Callable[[], bytes]


def applicant_papers(
    *, session: Session, edition_id: int, access: records.Access | None = None
) -> tuple[list[Printable], Paper]:
    """The downloads of the call's steps 2–3 for this edition: the form to sign and stamp (pre-filled when the
    applicant's codes are given) and the guide, as printables; the presentation template (quick to make)."""
    edition = get_edition(session=session, edition_id=edition_id)
    fields = form_fields(flow.load(session=session, access=access)) if access is not None else FormFields()
    version = version_key(edition)
    form = Printable(
        "form",
        "ใบส่งโครงการ สำหรับลงนามและประทับตรา",
        "Submission form to sign and stamp",
        f"submission-form-{fields.receipt_code or edition.year_be}",
        hashlib.sha256(repr((version, asdict(fields))).encode()).hexdigest()[:16],
        lambda: form_html(edition, fields),
        lambda: form_pdf(edition, fields),
    )
    guide_ = Printable(
        "guide",
        "คำแนะนำในการให้ข้อมูล",
        "Guide",
        f"guide-{edition.year_be}",
        version,
        lambda: guide_html(edition),
        lambda: guide_pdf(edition),
    )
    return [form, guide_], presentation_template(session=session, edition_id=edition_id)
