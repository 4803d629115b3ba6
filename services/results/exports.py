"""Results and statistics as open data: CSV (UTF-8 with BOM, for Excel; formula injection neutralised), JSON
and XLSX, and the public results once the edition is announced."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlmodel import Session

from models import Phase
from services.contest import demo
from services.contest.editions import get_edition
from services.platform import phrases
from services.platform.clock import contest_now
from services.platform.errors import Forbidden
from services.platform.safe_text import clean, clean_value
from services.results import announcement, awards, ranking, scoring, stats
from services.results.phrases import METHOD
from services.thai.dates import format_thai_datetime

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
PUBLISHER = "ศูนย์เทคโนโลยีและนวัตกรรมดิจิทัลภาครัฐ (DGTi) สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)"


@dataclass(frozen=True)
class Column:
    key: str
    th: str
    en: str


RESULT_COLUMNS: tuple[Column, ...] = (
    Column("rank", "อันดับ", "rank"),
    Column("tied", "คะแนนเท่ากัน", "tied"),
    Column("award", "รางวัล", "award level"),
    Column("receipt_code", "เลขที่ใบรับ", "receipt code"),
    Column("organisation", "หน่วยงาน", "organisation"),
    Column("short_name", "ชื่อย่อหน่วยงาน", "organisation (short)"),
    Column("org_type", "รูปแบบ อปท.", "organisation type"),
    Column("province", "จังหวัด", "province"),
    Column("region", "ภาค", "region"),
    Column("title", "ผลงาน", "project"),
    Column("category", "ประเภทผลงาน", "category"),
    Column("score", "คะแนน", "score"),
    Column("judges", "จำนวนกรรมการ", "judges"),
    Column("judges_expected", "จำนวนกรรมการที่ต้องให้คะแนน", "judges expected"),
    Column("meets_quorum", "คะแนนครบองค์ประชุม", "meets the quorum"),
    Column("spread_sd", "ส่วนเบี่ยงเบนมาตรฐานระหว่างกรรมการ", "spread between judges (SD)"),
)


def neutralise(value: Any) -> Any:
    """A text cell without control characters (safe_text.clean: stored before intake cleaned them, or typed by
    staff), and with a leading apostrophe when a spreadsheet would run it as a formula; numbers are left alone."""
    if isinstance(value, str):
        value = clean(value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Thai text correctly; CRLF line ends, as RFC 4180 says."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value)


# --- read models to rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultsData:
    edition_id: int
    edition_name: str
    method: str
    tie_breakers: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: tuple[dict[str, Any], ...]
    statistics: tuple[dict[str, Any], ...]
    generated_at: str
    demo: bool
    awards_confirmed: bool


def results_data(
    *, session: Session, edition_id: int, method: scoring.Method | None = None, round_no: int | None = None
) -> ResultsData:
    """The ranking of round_no (the current round when None; once every earlier round is frozen, the final one)
    with its criteria, awards and statistics, for the open-data files."""
    edition = get_edition(session=session, edition_id=edition_id)
    board = ranking.leaderboard(session=session, edition_id=edition_id, method=method, round_no=round_no)
    confirmed = awards.confirmed_awards(session=session, edition_id=edition_id)
    level_of = {a.submission_id: a.level_th for a in confirmed}
    criteria = [
        Column(f"c{i}_{c.code}", f"{i}. {c.title_th}", f"{i}. {c.title_en}")
        for i, c in enumerate(board.criteria, start=1)
    ]
    rows = []
    for r in board.rows:
        row: dict[str, Any] = {
            "rank": r.rank,
            "tied": r.tied,
            "award": level_of.get(r.submission_id, ""),
            "receipt_code": r.receipt_code,
            "organisation": r.organisation,
            "short_name": r.short_name,
            "org_type": r.org_type,
            "province": r.province,
            "region": r.region,
            "title": r.title,
            "category": r.category,
            "score": r.score,
            "judges": r.judge_count,
            "spread_sd": r.spread_sd,
            "judges_expected": r.judges_expected,
            "meets_quorum": r.meets_quorum,
        }
        for col, c in zip(criteria, board.criteria, strict=True):
            value = r.criterion_means.get(c.code)
            row[col.key] = None if value is None else round(value, 2)
        rows.append(row)
    figures = stats.headline_stats(session=session, edition_id=edition_id)
    return ResultsData(
        edition_id,
        edition.name,
        board.method.value,
        tuple(t.label_th for t in board.tie_breaks),
        RESULT_COLUMNS + tuple(criteria),
        tuple(rows),
        tuple(statistics_rows(figures)),
        format_thai_datetime(contest_now()),
        demo.demo_edition_id(session=session) == edition_id,
        bool(confirmed),
    )


STAT_COLUMNS = ("dimension", "label", "works", "organisations")
# The spreadsheet is read by people: its headers and the dimensions' names in Thai, where the CSV and JSON keep
# the codes that programs read.
STAT_HEADERS_TH = ("มิติ", "รายการ", "จำนวนผลงาน", "จำนวน อปท.")
DIMENSIONS_TH = {
    "total": "รวมทั้งหมด",
    "category": "ประเภทผลงาน",
    "org_type": "รูปแบบ อปท.",
    "region": "ภาค",
    "province": "จังหวัด",
}
ABOUT_TH = {
    "edition_id": "รหัสรุ่น",
    "edition": "รุ่นการประกวด",
    "aggregation_method": "วิธีรวมคะแนน",
    "tie_breakers": "ลำดับการตัดสินเมื่อคะแนนเท่ากัน",
    "awards_confirmed": "ผลรางวัล",
    "generated_at": "จัดทำเมื่อ",
    "publisher": "ผู้เผยแพร่",
    "note_th": "หมายเหตุ",
}
POINT_COLUMNS = frozenset({"score", "spread_sd"})  # shown to two decimals, as everywhere else


def statistics_rows(figures: stats.HeadlineStats) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"dimension": "total", "label": "ผลงานทั้งหมด", "works": figures.works, "organisations": figures.organisations},
    ]
    for dimension, counts in (
        ("category", figures.by_category),
        ("org_type", figures.by_org_type),
        ("region", figures.by_region),
    ):
        rows += [{"dimension": dimension, "label": c.label, "works": c.count} for c in counts]
    rows += [
        {"dimension": "province", "label": p.province, "works": p.works, "organisations": p.organisations}
        for p in figures.by_province
    ]
    return rows


# --- files -----------------------------------------------------------------------------------------------------


def results_csv(data: ResultsData) -> bytes:
    return to_csv(data.rows, [c.key for c in data.columns])


def statistics_csv(data: ResultsData) -> bytes:
    return to_csv(data.statistics, STAT_COLUMNS)


def _about(data: ResultsData) -> dict[str, Any]:
    about: dict[str, Any] = {
        "edition_id": data.edition_id,
        "edition": data.edition_name,
        "aggregation_method": data.method,
        # The code stays for programs; people reading the about sheet get the method's name.
        "aggregation_method_th": phrases.label(METHOD, data.method, "th"),
        "aggregation_method_en": phrases.label(METHOD, data.method, "en"),
        "tie_breakers": list(data.tie_breakers),
        "awards_confirmed": data.awards_confirmed,
        "generated_at": data.generated_at,
        "publisher": PUBLISHER,
        "columns": {c.key: {"th": c.th, "en": c.en} for c in data.columns},
    }
    if data.demo:
        about["note"] = announcement.DEMO_NOTE_EN
        about["note_th"] = announcement.DEMO_NOTE_TH
    return about


def results_json(data: ResultsData) -> bytes:
    body = clean_value({"about": _about(data), "results": list(data.rows), "statistics": list(data.statistics)})
    return json.dumps(body, ensure_ascii=False, indent=2, allow_nan=False, default=lambda v: None).encode("utf-8")


def _yes_no(value: Any) -> Any:
    return ("ใช่" if value else "ไม่ใช่") if isinstance(value, bool) else value


def results_xlsx(data: ResultsData) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ผลคะแนน"
    _write_sheet(
        sheet, [c.th for c in data.columns], ([_yes_no(row.get(c.key)) for c in data.columns] for row in data.rows)
    )
    points = [
        i
        for i, c in enumerate(data.columns, start=1)
        if c.key in POINT_COLUMNS or (c.key.startswith("c") and c.key[1:2].isdigit())
    ]
    for row in sheet.iter_rows(min_row=2):
        for i in points:
            row[i - 1].number_format = "0.00"
    _write_sheet(
        book.create_sheet("สถิติ"),
        list(STAT_HEADERS_TH),
        (
            [DIMENSIONS_TH.get(row["dimension"], row["dimension"]), *(row.get(c) for c in STAT_COLUMNS[1:])]
            for row in data.statistics
        ),
    )
    about = book.create_sheet("เกี่ยวกับข้อมูล")
    _write_sheet(about, ["รายการ", "รายละเอียด"], _about_lines(data))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _about_lines(data: ResultsData) -> list[list[Any]]:
    """The about sheet in Thai: the method and the award state by name, never by code."""
    method = phrases.label(METHOD, data.method, "th")
    lines: list[list[Any]] = [
        [ABOUT_TH["edition"], data.edition_name],
        [ABOUT_TH["edition_id"], data.edition_id],
        [ABOUT_TH["aggregation_method"], method],
        [ABOUT_TH["tie_breakers"], " → ".join(["คะแนนรวม", *data.tie_breakers])],
        [ABOUT_TH["awards_confirmed"], "ยืนยันแล้ว" if data.awards_confirmed else "ยังไม่ยืนยัน"],
        [ABOUT_TH["generated_at"], data.generated_at],
        [ABOUT_TH["publisher"], PUBLISHER],
    ]
    if data.demo:
        lines.append([ABOUT_TH["note_th"], announcement.DEMO_NOTE_TH])
    lines += [[f"คอลัมน์ “{c.th}”", f"{c.en} (CSV/JSON: {c.key})"] for c in data.columns]
    return lines


def _write_sheet(sheet: Any, header: list[str], rows: Iterable[Sequence[Any]]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # A control character in a text makes openpyxl refuse the whole workbook: cleaned, never fatal.
        sheet.append(
            [None if isinstance(v, float) and math.isnan(v) else clean(v) if isinstance(v, str) else v for v in row]
        )
        for cell in sheet[sheet.max_row]:
            # openpyxl stores a text starting with "=" as a formula; keep every text a text, exactly as given.
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"


# --- public results -----------------------------------------------------------------------------------------


def public_results(*, session: Session, edition_id: int) -> dict[str, Any]:
    """What anyone may read once the edition is announced: the awards and the list of works (no scores, no
    judges, no personal data)."""
    edition = get_edition(session=session, edition_id=edition_id)
    if edition.phase != Phase.announced or edition.awards_frozen_at is None:
        raise Forbidden("not_announced", "ยังไม่ประกาศผลการตัดสินของรุ่นนี้", "The results are not announced yet.")
    a = announcement.build(session=session, edition_id=edition_id)

    def work(w: announcement.AnnouncedWork) -> dict[str, Any]:
        return {
            "organisation": w.organisation,
            "short_name": w.short_name,
            "org_type": w.org_type,
            "province": w.province,
            "title": w.title,
        }

    body: dict[str, Any] = {
        "edition": edition.name,
        "year_be": edition.year_be,
        "publisher": PUBLISHER,
        "awards": [{"level": lv.code, "name_th": lv.name_th, "works": [work(w) for w in lv.works]} for lv in a.levels],
        "works": [work(w) for w in a.works],
    }
    if a.demo:
        body["note"] = announcement.DEMO_NOTE_EN
    cleaned: dict[str, Any] = clean_value(body)
    return cleaned
