"""A score sheet on paper: one judge's sheet for one work, or a blank one per work, as PDF (Thai) or printable HTML."""

from __future__ import annotations

import html
import io
import math
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt
from sqlmodel import Session, col, select

from models import Criterion, Edition, Organisation, Role, Score, ScoreSheet, Submission, User
from services.judging import rounds, sheets
from services.judging.phrases import SHEET_STATE
from services.judging.worklist import SheetViewState, view_state
from services.platform import office
from services.platform.errors import DomainError, Forbidden, NotFound
from services.platform.phrases import label as phrase
from services.results.exec_deck import set_thai_font
from services.thai.dates import format_thai_datetime


def _may_not_print() -> Forbidden:
    return Forbidden("not_allowed", "บัญชีนี้พิมพ์ใบให้คะแนนไม่ได้", "This account may not print score sheets.")


class PrintFailed(DomainError):
    """The PDF could not be made here; the HTML version prints from the browser instead."""


@dataclass(frozen=True)
class PrintedCriterion:
    number: int
    title_th: str
    max_points: int
    points: float | None
    comment: str


@dataclass(frozen=True)
class PrintableSheet:
    edition_name: str
    receipt_code: str
    title: str
    organisation: str
    province: str
    criteria: tuple[PrintedCriterion, ...]
    judge_name: str = ""  # empty on a blank sheet: the committee member writes it
    judge_agency: str = ""
    state: SheetViewState = "none"  # a blank sheet has none
    overall_comment: str = ""
    submitted_at: datetime | None = None
    blank: bool = False

    @property
    def total(self) -> float | None:
        scored = [c.points for c in self.criteria if c.points is not None]
        return math.fsum(scored) if scored and not self.blank else None

    @property
    def max_total(self) -> int:
        return sum(c.max_points for c in self.criteria)

    @property
    def file_stem(self) -> str:
        return f"score-sheet-{self.receipt_code or 'work'}" + ("-blank" if self.blank else "")


def _viewer(session: Session, viewer_id: int) -> User:
    user = session.get(User, viewer_id)
    if user is None or not user.active:
        raise _may_not_print()
    return user


def _work(session: Session, submission_id: int) -> tuple[Submission, Organisation, Edition, list[Criterion], int]:
    """The work, its organisation and edition, and the scored criteria of the edition's current round (and that
    round's position): the sheet a judge fills in now."""
    row = session.exec(
        select(Submission, Organisation, Edition)
        .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
        .join(Edition, col(Edition.id) == col(Submission.edition_id))
        .where(col(Submission.id) == submission_id)
    ).first()
    if row is None:
        raise NotFound.submission()
    sub, org, edition = row
    round_no = rounds.current_round_no(session=session, edition_id=sub.edition_id)
    criteria = list(
        session.exec(
            select(Criterion)
            .where(Criterion.edition_id == sub.edition_id, Criterion.round_no == round_no, col(Criterion.scored))
            .order_by(col(Criterion.position))
        ).all()
    )
    return sub, org, edition, criteria, round_no


def judge_sheet(*, session: Session, viewer_id: int, judge_id: int, submission_id: int) -> PrintableSheet:
    """The judge's sheet as it stands. A judge may print only their own (and only a work they may open); an
    organiser any judge's."""
    viewer = _viewer(session, viewer_id)
    if viewer.role == Role.judge:
        if viewer.id != judge_id:
            raise Forbidden(
                "not_your_sheet", "กรรมการพิมพ์ได้เฉพาะใบให้คะแนนของตนเอง", "A judge may print only their own score sheets."
            )
        sheets.get_sheet(session=session, judge_id=judge_id, submission_id=submission_id)  # assigned, no conflict
    elif viewer.role != Role.organiser:
        raise _may_not_print()
    judge = session.get(User, judge_id)
    if judge is None or judge.role != Role.judge:
        raise NotFound.judge()
    sub, org, edition, criteria, round_no = _work(session, submission_id)
    sheet = session.exec(
        select(ScoreSheet).where(
            ScoreSheet.judge_id == judge_id, ScoreSheet.submission_id == submission_id, ScoreSheet.round_no == round_no
        )
    ).first()
    scores = {
        s.criterion_id: s
        for s in session.exec(select(Score).where(Score.judge_id == judge_id, Score.submission_id == submission_id))
    }
    return PrintableSheet(
        edition.name,
        sub.receipt_code,
        sub.title,
        org.full_name,
        org.province,
        tuple(
            PrintedCriterion(
                n,
                c.title_th,
                c.max_points,
                scores[c.id].points if c.id in scores else None,
                scores[c.id].comment if c.id in scores else "",
            )
            for n, c in enumerate(criteria, start=1)
        ),
        judge.display_name,
        judge.agency,
        view_state(sheet.state if sheet else None),
        sheet.overall_comment if sheet else "",
        sheet.submitted_at if sheet else None,
    )


def blank_sheet(*, session: Session, viewer_id: int, submission_id: int) -> PrintableSheet:
    """A sheet for a committee member scoring this work on paper: criteria and maxima, room for the rest."""
    if _viewer(session, viewer_id).role != Role.organiser:
        raise Forbidden("organisers_only", "ใบให้คะแนนเปล่าพิมพ์ได้เฉพาะผู้จัดงาน", "Only organisers print blank score sheets.")
    sub, org, edition, criteria, _round = _work(session, submission_id)
    return PrintableSheet(
        edition.name,
        sub.receipt_code,
        sub.title,
        org.full_name,
        org.province,
        tuple(PrintedCriterion(n, c.title_th, c.max_points, None, "") for n, c in enumerate(criteria, start=1)),
        blank=True,
    )


def _points(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _heading(sheet: PrintableSheet) -> list[tuple[str, str]]:
    rows = [
        ("รุ่นการประกวด", sheet.edition_name),
        ("ผลงาน", sheet.title),
        ("หน่วยงาน", f"{sheet.organisation} จ.{sheet.province}"),
        ("เลขที่ใบรับ", sheet.receipt_code),
    ]
    if not sheet.blank:
        rows += [
            ("กรรมการ", f"{sheet.judge_name} ({sheet.judge_agency})" if sheet.judge_agency else sheet.judge_name),
            (
                "สถานะ",
                phrase(SHEET_STATE, sheet.state)
                + (f" เมื่อ {format_thai_datetime(sheet.submitted_at)}" if sheet.submitted_at else ""),
            ),
        ]
    return rows


def _total_line(sheet: PrintableSheet) -> str:
    total = sheet.total
    return f"คะแนนรวม {_points(total) if total is not None else '........'} / {sheet.max_total}"


def _signature_lines(sheet: PrintableSheet) -> list[str]:
    name = sheet.judge_name or "." * 50
    return ["ลงชื่อ " + "." * 50 + " กรรมการ", f"({name})", "วันที่ " + "." * 40]


def to_html(sheet: PrintableSheet) -> str:
    """A page to print from the browser; every value escaped (titles and comments are applicant and judge text)."""
    e = html.escape
    rows = "".join(
        f"<tr><td class='n'>{c.number}</td><td>{e(c.title_th)}</td><td class='n'>{c.max_points}</td>"
        f"<td class='n'>{e(_points(c.points))}</td><td class='c'>{e(c.comment)}</td></tr>"
        for c in sheet.criteria
    )
    head = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in _heading(sheet))
    overall = e(sheet.overall_comment) if sheet.overall_comment else ""
    return f"""<!DOCTYPE html>
<html lang="th"><head><meta charset="utf-8"><title>{e(sheet.file_stem)}</title>
<style>
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: "Sarabun", "TH Sarabun New", "Loma", "Garuda", "Tahoma", sans-serif; font-size: 12pt; }}
h1 {{ font-size: 16pt; margin: 0 0 8pt; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 10pt; }}
th, td {{ border: 1px solid #444; padding: 4pt 6pt; vertical-align: top; text-align: left; }}
td.n {{ text-align: center; white-space: nowrap; }}
td.c {{ white-space: pre-wrap; min-width: 30%; height: 28pt; }}
.meta th {{ width: 22%; background: #eef3fb; }}
.box {{ border: 1px solid #444; min-height: 60pt; padding: 6pt; white-space: pre-wrap; }}
.sign {{ margin-top: 28pt; text-align: right; line-height: 2; }}
</style></head><body>
<h1>แบบให้คะแนนผลงาน{" (สำหรับกรรมการให้คะแนนบนกระดาษ)" if sheet.blank else ""}</h1>
<table class="meta">{head}</table>
<table><thead><tr><th>ข้อ</th><th>เกณฑ์</th><th>คะแนนเต็ม</th><th>คะแนนที่ให้</th><th>ความเห็น</th></tr></thead>
<tbody>{rows}</tbody></table>
<p><b>{e(_total_line(sheet))}</b></p>
<p>ความเห็นโดยรวม</p><div class="box">{overall}</div>
<div class="sign">{"<br>".join(e(line) for line in _signature_lines(sheet))}</div>
</body></html>"""


# --- PDF: an A4 portrait deck through LibreOffice Impress, as the certificates are ---------------------------------

PAGE_W, PAGE_H, MARGIN = 8.27, 11.69, 0.6
LINE_IN = 0.22  # one line of 11 pt Thai text, with its leading
GREY = RGBColor(0x55, 0x55, 0x55)  # type: ignore[no-untyped-call]
COMMENT_CHARS_PER_LINE = 70
MAX_COMMENT_LINES = 12  # a longer comment is cut on paper; the HTML version carries it whole


def _lines(text: str, per_line: int) -> int:
    return sum(max(1, math.ceil(len(part) / per_line)) for part in (text.split("\n") if text else [""]))


def _box(
    slide: Any,
    left: float,
    top: float,
    width: float,
    height: float,
    lines: list[str],
    *,
    size: float = 11,
    bold: bool = False,
    align: Any = PP_ALIGN.LEFT,
    color: Any = None,
) -> None:
    frame = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height)).text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        set_thai_font(run._r.get_or_add_rPr(), size=size, bold=bold, color=color)


def _rule(slide: Any, top: float) -> None:
    line = slide.shapes.add_connector(1, Inches(MARGIN), Inches(top), Inches(PAGE_W - MARGIN), Inches(top))
    line.line.color.rgb = GREY
    line.line.width = Pt(0.5)


def to_pptx(sheet: PrintableSheet) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(PAGE_W), Inches(PAGE_H)
    width = PAGE_W - 2 * MARGIN
    bottom = PAGE_H - MARGIN

    def new_page() -> tuple[Any, float]:
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        _box(
            slide,
            MARGIN,
            MARGIN,
            width,
            0.4,
            ["แบบให้คะแนนผลงาน" + (" (ฉบับเปล่า)" if sheet.blank else "")],
            size=16,
            bold=True,
        )
        _box(
            slide, MARGIN, MARGIN + 0.4, width, 0.3, [f"{sheet.receipt_code} · {sheet.title[:90]}"], size=9, color=GREY
        )
        return slide, MARGIN + 0.8

    slide, y = new_page()
    head = [f"{k}: {v}" for k, v in _heading(sheet)]
    height = sum(_lines(line, 80) for line in head) * LINE_IN + 0.1
    _box(slide, MARGIN, y, width, height, head)
    y += height + 0.1
    _rule(slide, y)
    y += 0.05
    for c in sheet.criteria:
        comment = c.comment
        if _lines(comment, COMMENT_CHARS_PER_LINE) > MAX_COMMENT_LINES:
            comment = comment[: COMMENT_CHARS_PER_LINE * MAX_COMMENT_LINES] + "… (ข้อความเต็มในฉบับ HTML)"
        title_h = _lines(f"{c.number}. {c.title_th}", 62) * LINE_IN + 0.05
        comment_h = max(2, _lines(comment, COMMENT_CHARS_PER_LINE)) * LINE_IN + 0.05
        if y + title_h + comment_h + 0.1 > bottom:
            slide, y = new_page()
        _box(slide, MARGIN, y, width - 2.0, title_h, [f"{c.number}. {c.title_th}"], bold=True)
        _box(
            slide,
            PAGE_W - MARGIN - 2.0,
            y,
            2.0,
            title_h,
            [f"คะแนน {_points(c.points) or '.......'} / {c.max_points}"],
            bold=True,
            align=PP_ALIGN.RIGHT,
        )
        y += title_h
        _box(
            slide,
            MARGIN + 0.2,
            y,
            width - 0.2,
            comment_h,
            [f"ความเห็น: {comment}"] if comment else ["ความเห็น: " + "." * 95, "." * 110],
        )
        y += comment_h + 0.05
        _rule(slide, y)
        y += 0.05
    overall = sheet.overall_comment[: COMMENT_CHARS_PER_LINE * MAX_COMMENT_LINES]
    overall_h = max(3, _lines(overall, COMMENT_CHARS_PER_LINE)) * LINE_IN + 0.1
    closing_h = 0.4 + overall_h + 1.1
    if y + closing_h > bottom:
        slide, y = new_page()
    _box(slide, MARGIN, y, width, 0.35, [_total_line(sheet)], size=13, bold=True)
    y += 0.4
    _box(
        slide,
        MARGIN,
        y,
        width,
        overall_h,
        ["ความเห็นโดยรวม: " + overall] if overall else ["ความเห็นโดยรวม: " + "." * 90, "." * 110, "." * 110],
    )
    y += overall_h + 0.1
    _box(slide, PAGE_W - MARGIN - 4.0, y, 4.0, 1.0, _signature_lines(sheet), align=PP_ALIGN.CENTER)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def to_pdf(sheet: PrintableSheet, *, timeout: float = 120) -> bytes:
    """The sheet as PDF (LibreOffice shapes the Thai); PrintFailed, in Thai, when it cannot be made here."""
    if office.libreoffice() is None:
        raise PrintFailed(
            "no_office",
            "เครื่องนี้ไม่มี LibreOffice จึงสร้าง PDF ไม่ได้ กรุณาใช้ฉบับ HTML แล้วสั่งพิมพ์จากเบราว์เซอร์",
            "LibreOffice is not installed here, so no PDF; use the HTML version and print it from the browser.",
        )
    try:
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
            source = Path(tmp) / f"{sheet.file_stem}.pptx"
            source.write_bytes(to_pptx(sheet))
            return office.convert_to_pdf(source, timeout).read_bytes()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:  # LibreOffice failed or timed out
        raise PrintFailed(
            "pdf_failed",
            "สร้าง PDF ไม่สำเร็จ กรุณาใช้ฉบับ HTML แล้วสั่งพิมพ์จากเบราว์เซอร์",
            "The PDF could not be made; use the HTML version and print it from the browser.",
        ) from exc
