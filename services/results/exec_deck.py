"""The executive deck and the winners' certificates as PowerPoint files (python-pptx), Thai text set with
complex-script fonts so it renders in PowerPoint and in LibreOffice; certificates also as PDF when LibreOffice is
installed."""

from __future__ import annotations

import io
import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt
from sqlmodel import Session

from services.contest.editions import get_edition
from services.platform import office
from services.platform.clock import contest_now
from services.platform.safe_text import plain
from services.results import announcement, awards, ranking, stats
from services.thai.dates import format_thai_date, to_bangkok

# Tahoma ships with Windows and macOS Office and covers Thai; LibreOffice falls back per glyph to an installed Thai
# font (Garuda, Loma, Sarabun ...) when it is missing. The complex-script slot (a:cs) is what Thai text uses.
FONT = "Tahoma"
BLUE = RGBColor(0x1F, 0x4E, 0x9C)  # type: ignore[no-untyped-call]
GOLD = RGBColor(0xB8, 0x86, 0x0B)  # type: ignore[no-untyped-call]
GREY = RGBColor(0x55, 0x55, 0x55)  # type: ignore[no-untyped-call]
PALE = RGBColor(0xEE, 0xF3, 0xFB)  # type: ignore[no-untyped-call]
TABLE_ROWS_PER_SLIDE = 12
# The ranking slide's geometry (inches): rows are set to ROW_HEIGHT, and the table may grow by this much more when
# PowerPoint wraps a cell, before it would reach the footnote below it.
ROW_HEIGHT = 0.36
TABLE_TOP = 1.2
FOOTNOTE_TOP = 6.95
WRAP_ALLOWANCE = 0.8


@dataclass(frozen=True)
class Winner:
    submission_id: int
    level_code: str
    level_th: str
    note_th: str
    rank: int
    score: float
    title: str
    organisation: str
    province: str
    criterion_shares: tuple[tuple[str, float], ...]  # (criterion title, mean as % of its maximum)


@dataclass(frozen=True)
class DeckData:
    edition_name: str
    theme: str
    on: date
    figures: stats.HeadlineStats
    board: ranking.Leaderboard
    winners: tuple[Winner, ...]
    cutoffs: tuple[awards.CutoffCheck, ...]
    awards_confirmed: bool
    demo: bool
    quorum_note: str = ""  # set when the list was confirmed with works below quorum (the organiser's override)


def deck_data(*, session: Session, edition_id: int, samples: int = 200) -> DeckData:
    edition = get_edition(session=session, edition_id=edition_id)
    proposal = awards.propose(session=session, edition_id=edition_id, samples=samples)
    board = ranking.leaderboard(session=session, edition_id=edition_id, method=proposal.method)
    by_id = {r.submission_id: r for r in board.rows}
    plan = proposal.plan
    chosen = (
        [(a.submission_id, a.level_code) for a in proposal.confirmed]
        if proposal.confirmed
        else [(a.submission_id, a.level_code) for a in proposal.awards]
    )
    winners = []
    for submission_id, code in chosen:
        row = by_id.get(submission_id)
        if row is None:
            continue
        level = plan.level(code)
        shares = tuple(
            (f"{c.position}. {c.title_th}", 100.0 * row.criterion_means.get(c.code, 0.0) / c.max_points)
            for c in board.criteria
            if c.max_points
        )
        winners.append(
            Winner(
                submission_id,
                code,
                level.name_th,
                level.note_th,
                row.rank,
                row.score,
                row.title,
                row.organisation,
                row.province,
                shares,
            )
        )
    order = {lv.code: i for i, lv in enumerate(plan.levels)}
    winners.sort(key=lambda w: (order.get(w.level_code, 99), w.rank))
    a = announcement.build(session=session, edition_id=edition_id)
    return DeckData(
        edition.name,
        edition.theme,
        to_bangkok(contest_now()).date(),
        stats.headline_stats(session=session, edition_id=edition_id),
        board,
        tuple(winners),
        proposal.cutoffs,
        bool(proposal.confirmed),
        a.demo,
        a.quorum_note,
    )


# --- text with Thai fonts ------------------------------------------------------------------------------------


def set_thai_font(
    rPr: Any, *, size: float | None = None, bold: bool | None = None, color: RGBColor | None = None
) -> None:
    """Name FONT in the latin, east-asian and complex-script slots of a run's (or a chart's) properties."""
    rPr.set("lang", "th-TH")
    if size is not None:
        rPr.set("sz", str(int(size * 100)))
    if bold is not None:
        rPr.set("b", "1" if bold else "0")
    if color is not None:
        for old in rPr.findall(qn("a:solidFill")):
            rPr.remove(old)
        fill = etree.Element(qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr")).set("val", str(color))
        # The schema orders a run's properties: line, then fill, then the font slots.
        rPr.insert(_fill_index(rPr), fill)
    for tag in ("a:latin", "a:ea", "a:cs", "a:sym"):
        for old in rPr.findall(qn(tag)):
            rPr.remove(old)
    anchor_index = _font_index(rPr)
    for offset, tag in enumerate(("a:latin", "a:ea", "a:cs")):
        element = etree.Element(qn(tag))
        element.set("typeface", FONT)
        rPr.insert(anchor_index + offset, element)


_BEFORE_FILL = {qn("a:ln")}
_BEFORE_FONTS = {
    qn(t)
    for t in (
        "a:ln",
        "a:noFill",
        "a:solidFill",
        "a:gradFill",
        "a:blipFill",
        "a:pattFill",
        "a:grpFill",
        "a:effectLst",
        "a:effectDag",
        "a:highlight",
        "a:uLnTx",
        "a:uLn",
        "a:uFillTx",
        "a:uFill",
    )
}


def _fill_index(rPr: Any) -> int:
    return sum(1 for child in rPr if child.tag in _BEFORE_FILL)


def _font_index(rPr: Any) -> int:
    return sum(1 for child in rPr if child.tag in _BEFORE_FONTS)


def _text(
    slide: Any,
    left: float,
    top: float,
    width: float,
    height: float,
    lines: Sequence[str],
    *,
    size: float = 18,
    bold: bool = False,
    color: RGBColor | None = None,
    align: PP_ALIGN = PP_ALIGN.LEFT,
) -> Any:
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = plain(line)  # titles and names come from applicants: no bidi overrides or XML-invalid characters
        set_thai_font(run._r.get_or_add_rPr(), size=size, bold=bold, color=color)
    return box


def _chart_fonts(chart: Any, size: float = 12) -> None:
    chart.font.size = Pt(size)
    set_thai_font(chart.font._rPr, size=size)


def _blank(prs: Any) -> Any:
    return prs.slides.add_slide(prs.slide_layouts[6])


def _title(slide: Any, text: str) -> None:
    _text(slide, 0.5, 0.3, 12.3, 0.9, [text], size=28, bold=True, color=BLUE)


# --- the deck ------------------------------------------------------------------------------------------------


def build_deck(data: DeckData) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    _title_slide(prs, data)
    _kpi_slide(prs, data)
    _charts_slide(prs, data)
    _distribution_slide(prs, data)
    _leaderboard_slides(prs, data)
    _stability_slide(prs, data)
    for winner in data.winners:
        _winner_slide(prs, data, winner)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _status_line(data: DeckData) -> str:
    status = "ผลรางวัลยืนยันแล้ว" if data.awards_confirmed else "ร่าง: ผลรางวัลยังไม่ยืนยัน (ตามอันดับคะแนนปัจจุบัน)"
    if data.board.below_quorum:
        status += f" · {data.board.below_quorum} ผลงานคะแนนยังไม่ครบองค์ประชุม (จัดอันดับไว้ท้าย)"
    if data.quorum_note:
        status += f" · {data.quorum_note}"
    return status + (" · ข้อมูลสาธิต คะแนนเป็นข้อมูลสมมติ" if data.demo else "")


def _title_slide(prs: Any, data: DeckData) -> None:
    slide = _blank(prs)
    _text(slide, 0.8, 2.0, 11.7, 1.4, [data.edition_name], size=40, bold=True, color=BLUE, align=PP_ALIGN.CENTER)
    if data.theme:
        _text(slide, 0.8, 3.4, 11.7, 0.8, [f"“{data.theme}”"], size=24, align=PP_ALIGN.CENTER)
    _text(
        slide,
        0.8,
        4.4,
        11.7,
        1.2,
        ["สรุปผลการประกวดสำหรับผู้บริหาร", format_thai_date(data.on)],
        size=20,
        color=GREY,
        align=PP_ALIGN.CENTER,
    )
    _text(slide, 0.8, 6.4, 11.7, 0.6, [_status_line(data)], size=14, color=GOLD, align=PP_ALIGN.CENTER)
    if data.demo:
        _text(slide, 0.8, 6.85, 11.7, 0.5, [announcement.DEMO_NOTE_TH], size=11, color=GREY, align=PP_ALIGN.CENTER)


def _kpi_slide(prs: Any, data: DeckData) -> None:
    slide = _blank(prs)
    _title(slide, "ภาพรวม")
    f = data.figures
    tiles = [
        ("ผลงาน", str(f.works)),
        ("อปท.", str(f.organisations)),
        ("จังหวัด", str(f.provinces)),
        ("การให้คะแนน", f"{int(f.judging.percent)}%"),
    ]  # whole, never rounded up to 100
    if f.top_category:
        tiles.append(("ประเภทที่มากที่สุด", f"{f.top_category.label} ({f.top_category.count})"))
    width = 12.3 / len(tiles)
    for i, (label, value) in enumerate(tiles):
        left = 0.5 + i * width
        shape = slide.shapes.add_shape(1, Inches(left + 0.1), Inches(1.6), Inches(width - 0.2), Inches(2.0))
        shape.fill.solid()
        shape.fill.fore_color.rgb = PALE
        shape.line.color.rgb = BLUE
        _text(
            slide,
            left + 0.1,
            1.75,
            width - 0.2,
            1.0,
            [value],
            size=30 if len(value) < 8 else 20,
            bold=True,
            color=BLUE,
            align=PP_ALIGN.CENTER,
        )
        _text(slide, left + 0.1, 2.85, width - 0.2, 0.6, [label], size=16, color=GREY, align=PP_ALIGN.CENTER)
    notes = []
    if f.top_province:
        notes.append(f"จังหวัดที่มี อปท. ส่งผลงานมากที่สุด: {f.top_province.province} ({f.top_province.organisations} อปท.)")
    notes += [f"{o.label} ส่ง {o.count} ผลงาน" for o in f.multi_work_organisations]
    notes.append(f"ใบให้คะแนนที่ส่งแล้ว {f.judging.sheets_submitted} จาก {f.judging.sheets_expected} ใบ")
    _text(slide, 0.6, 4.1, 12.1, 2.5, notes, size=18)


def _bar_chart(
    slide: Any,
    left: float,
    top: float,
    width: float,
    height: float,
    title: str,
    categories: Sequence[str],
    values: Sequence[float],
    *,
    kind: Any = XL_CHART_TYPE.BAR_CLUSTERED,
    number_format: str = "0",
    maximum: float | None = None,
) -> Any:
    """A one-series bar chart whose value axis starts at zero: PowerPoint would otherwise start it near the smallest
    value (74 for a winner's criteria), and 80 would look like half of 90. `maximum` fixes the other end (100 for
    shares of a maximum)."""
    chart_data = CategoryChartData(number_format=number_format)  # type: ignore[no-untyped-call]
    chart_data.categories = list(categories)
    chart_data.add_series(title, list(values))  # type: ignore[no-untyped-call]
    frame = slide.shapes.add_chart(kind, Inches(left), Inches(top), Inches(width), Inches(height), chart_data)
    chart = frame.chart
    chart.has_title = True
    chart.chart_title.text_frame.text = title
    for paragraph in chart.chart_title.text_frame.paragraphs:
        for run in paragraph.runs:
            set_thai_font(run._r.get_or_add_rPr(), size=16, bold=True)
    chart.has_legend = False
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = number_format
    plot.data_labels.number_format_is_linked = False
    plot.series[0].format.fill.solid()
    plot.series[0].format.fill.fore_color.rgb = BLUE
    axis = chart.value_axis
    axis.minimum_scale = 0
    if maximum is not None:
        axis.maximum_scale = maximum
    axis.tick_labels.number_format = number_format
    axis.tick_labels.number_format_is_linked = False
    _chart_fonts(chart)
    return chart


def _charts_slide(prs: Any, data: DeckData) -> None:
    slide = _blank(prs)
    _title(slide, "ผลงานตามประเภทและภูมิภาค")
    f = data.figures
    cats = list(reversed(f.by_category))
    _bar_chart(slide, 0.4, 1.3, 6.2, 5.8, "ผลงานตามประเภท", [c.label for c in cats], [c.count for c in cats])
    regions = list(reversed(f.by_region))
    _bar_chart(slide, 6.8, 1.3, 6.1, 5.8, "ผลงานตามภูมิภาค", [c.label for c in regions], [c.count for c in regions])


def _distribution_slide(prs: Any, data: DeckData) -> None:
    slide = _blank(prs)
    _title(slide, "การกระจายของคะแนน")
    step = 5
    bins = [0] * (100 // step)
    for row in data.board.rows:
        bins[min(len(bins) - 1, int(row.score // step))] += 1
    first = next((i for i, n in enumerate(bins) if n), 0)
    labels = [f"{i * step}–{i * step + step}" for i in range(first, len(bins))]
    chart = _bar_chart(
        slide, 0.6, 1.3, 12.1, 5.6, "จำนวนผลงานตามช่วงคะแนน", labels, bins[first:], kind=XL_CHART_TYPE.COLUMN_CLUSTERED
    )
    chart.plots[0].gap_width = 30


def _table(
    slide: Any,
    left: float,
    top: float,
    width: float,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    size: float = 12,
) -> Any:
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), Inches(left), Inches(top), Inches(width), Inches(ROW_HEIGHT * (len(rows) + 1))
    )
    table = shape.table
    for row in table.rows:
        row.height = Inches(ROW_HEIGHT)
    for c, w in enumerate(widths):
        table.columns[c].width = Emu(int(Inches(width) * w / sum(widths)))
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = plain(value)
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    set_thai_font(run._r.get_or_add_rPr(), size=size, bold=r == 0)
    return table


def _leaderboard_slides(prs: Any, data: DeckData) -> None:
    level_of = {w.submission_id: w.level_th for w in data.winners}
    rows = data.board.rows
    pages = max(1, math.ceil(len(rows) / TABLE_ROWS_PER_SLIDE))
    for page in range(pages):
        slide = _blank(prs)
        chunk = rows[page * TABLE_ROWS_PER_SLIDE : (page + 1) * TABLE_ROWS_PER_SLIDE]
        _title(slide, "อันดับคะแนน" + (f" ({page + 1}/{pages})" if pages > 1 else ""))
        # A work below quorum carries its judge count ("1/10 กรรมการ") so it never reads as a full panel's score.
        # Twelve rows of one line each leave WRAP_ALLOWANCE free above the footnote, and the long texts are cut to
        # what one line of their column holds, so a long name never pushes the table into the footnote.
        _table(
            slide,
            0.4,
            TABLE_TOP,
            12.5,
            ["อันดับ", "หน่วยงาน", "จังหวัด", "ผลงาน", "คะแนน", "กรรมการ", "รางวัล"],
            [
                [
                    f"{r.rank}{'=' if r.tied else ''}",
                    _one_line(r.short_name, 24),
                    _one_line(r.province, 14),
                    _one_line(r.title, 56),
                    f"{r.score:.2f}",
                    (f"{r.judge_count}/{r.judges_expected}" if r.meets_quorum else f"⚠ {r.quorum_label()}"),
                    _one_line(level_of.get(r.submission_id, ""), 16),
                ]
                for r in chunk
            ],
            [0.7, 2.1, 1.3, 4.9, 0.9, 1.2, 1.4],
            size=11,
        )
        chain = " → ".join(["คะแนนรวม", *(t.label_th for t in data.board.tie_breaks)])
        _text(slide, 0.4, FOOTNOTE_TOP, 12.5, 0.4, [f"ลำดับการตัดสินเมื่อคะแนนเท่ากัน: {chain}"], size=10, color=GREY)


def _one_line(text: str, chars: int) -> str:
    """`text` cut to about one line of a table column, with an ellipsis when cut: the whole name is in the files."""
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _stability_slide(prs: Any, data: DeckData) -> None:
    if not data.cutoffs:
        return
    slide = _blank(prs)
    _title(slide, "ความมั่นคงของเส้นตัดรางวัล (สุ่มคณะกรรมการซ้ำแบบ bootstrap)")
    rows = []
    for c in data.cutoffs:
        verdict = "มั่นคง" if c.stable and not c.exact_tie else "ควรทบทวน: อยู่ในช่วงความคลาดเคลื่อน"
        rows.append(
            [
                str(c.cutoff),
                ", ".join(c.inside),
                f"{c.inside_probability:.0%}",
                ", ".join(c.outside),
                f"{c.outside_probability:.0%}",
                verdict,
            ]
        )
    _table(
        slide,
        0.4,
        1.3,
        12.5,
        ["อันดับที่ตัด", "ผลงานสุดท้ายในเส้น", "โอกาสคงอยู่", "ผลงานแรกนอกเส้น", "โอกาสเข้ามา", "ข้อสรุป"],
        rows,
        [1.0, 2.6, 1.3, 2.6, 1.3, 3.5],
        size=13,
    )
    _text(
        slide,
        0.4,
        5.5,
        12.5,
        1.2,
        [
            "สุ่มเลือกกรรมการซ้ำจากคณะเดิม แล้วจัดอันดับใหม่หลายร้อยครั้ง: เส้นตัดที่มั่นคงคือเส้นที่ผลงานในเส้นยังอยู่ในเส้น"
            " และผลงานนอกเส้นยังอยู่นอกเส้น อย่างน้อย 80% ของการสุ่ม"
        ],
        size=13,
        color=GREY,
    )


def _winner_slide(prs: Any, data: DeckData, w: Winner) -> None:
    slide = _blank(prs)
    _text(slide, 0.5, 0.3, 12.3, 0.7, [w.level_th], size=30, bold=True, color=GOLD)
    if w.note_th:
        _text(slide, 0.5, 0.95, 12.3, 0.5, [w.note_th], size=14, color=GREY)
    _text(slide, 0.5, 1.4, 6.2, 3.0, [w.title], size=22, bold=True, color=BLUE)
    _text(slide, 0.5, 4.3, 6.2, 1.6, [w.organisation, announcement.province_label(w.province)], size=18)
    _text(slide, 0.5, 5.9, 6.2, 0.8, [f"อันดับ {w.rank} · คะแนน {w.score:.2f}"], size=16, color=GREY)
    labels = [t[:34] for t, _ in reversed(w.criterion_shares)]
    _bar_chart(
        slide,
        6.9,
        1.3,
        6.0,
        5.9,
        "คะแนนรายเกณฑ์ (% ของคะแนนเต็ม)",
        labels,
        [round(v, 1) for _, v in reversed(w.criterion_shares)],
        number_format="0",
        maximum=100,
    )
    if data.demo:
        _text(slide, 0.5, 6.9, 12.3, 0.4, ["ข้อมูลสาธิต: คะแนนและรางวัลเป็นตัวอย่าง"], size=10, color=GREY)


# --- certificates ------------------------------------------------------------------------------------------


def build_certificates(data: DeckData) -> bytes:
    """One A4-landscape certificate per winner."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(11.69), Inches(8.27)
    for w in data.winners:
        slide = _blank(prs)
        border = slide.shapes.add_shape(1, Inches(0.35), Inches(0.35), Inches(10.99), Inches(7.57))
        border.fill.background()
        border.line.color.rgb = GOLD
        border.line.width = Pt(6)
        _text(slide, 0.8, 0.9, 10.1, 1.0, ["เกียรติบัตร"], size=44, bold=True, color=GOLD, align=PP_ALIGN.CENTER)
        _text(
            slide,
            0.8,
            2.0,
            10.1,
            0.6,
            ["สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน) มอบเกียรติบัตรฉบับนี้ให้ไว้เพื่อแสดงว่า"],
            size=18,
            align=PP_ALIGN.CENTER,
        )
        _text(slide, 0.8, 2.8, 10.1, 0.9, [w.organisation], size=32, bold=True, color=BLUE, align=PP_ALIGN.CENTER)
        _text(slide, 0.8, 3.7, 10.1, 0.6, [announcement.province_label(w.province)], size=18, align=PP_ALIGN.CENTER)
        _text(slide, 0.8, 4.4, 10.1, 0.7, [f"ได้รับ{w.level_th}"], size=26, bold=True, color=GOLD, align=PP_ALIGN.CENTER)
        lines = [f"จากผลงาน{announcement.project_title(w.title)}", data.edition_name]
        if w.note_th:
            lines.insert(1, w.note_th)
        _text(slide, 0.8, 5.1, 10.1, 1.6, lines, size=16, align=PP_ALIGN.CENTER)
        _text(slide, 0.8, 6.8, 10.1, 0.5, [f"ให้ไว้ ณ วันที่ {format_thai_date(data.on)}"], size=16, align=PP_ALIGN.CENTER)
        if data.demo or not data.awards_confirmed:
            _text(
                slide,
                0.8,
                7.35,
                10.1,
                0.4,
                ["ตัวอย่าง — ข้อมูลสาธิต / ผลรางวัลยังไม่ยืนยัน"],
                size=10,
                color=GREY,
                align=PP_ALIGN.CENTER,
            )
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def to_pdf(pptx: bytes, timeout: float = 120) -> bytes | None:
    """The same file as PDF through LibreOffice, or None when it is not installed."""
    if office.libreoffice() is None:
        return None
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        source = Path(tmp) / "certificates.pptx"
        source.write_bytes(pptx)
        return office.convert_to_pdf(source, timeout).read_bytes()
