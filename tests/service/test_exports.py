"""Export files reopened and checked: CSV (BOM, neutralised formulas), JSON, XLSX (openpyxl), the executive deck and
certificates (python-pptx), and the CLI's announce and export."""

import csv
import io
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.oxml.ns import qn
from pypdf import PdfReader
from sqlmodel import select

from models import Submission
from services.contest import editions
from services.platform import office
from services.results import awards, exec_deck, exports
from tests.conftest import skip_or_fail
from tests.helpers import cli as ldaward
from tests.helpers.judging_factory import submit_missing_sheets

EVIL = '=HYPERLINK("http://x.invalid","คลิก")'


@pytest.fixture
def ctx(demo_session):
    return demo_session, editions.current_edition(session=demo_session)


def plant_formula(session):
    """A title that a spreadsheet would run as a formula, as an attacker could type it on the submit form."""
    sub = session.exec(select(Submission).order_by(Submission.id)).first()
    sub.title = EVIL
    session.add(sub)
    session.commit()
    return sub.id


def test_results_csv_has_a_bom_thai_text_and_neutralised_formulas(ctx):
    session, edition = ctx
    plant_formula(session)
    data = exports.results_data(session=session, edition_id=edition.id)
    raw = exports.results_csv(data)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 45
    assert rows[0]["rank"] == "1" and float(rows[0]["score"]) == data.rows[0]["score"]
    assert {"c1_objectives", "province", "region", "title"} <= set(rows[0])
    assert "'" + EVIL in {r["title"] for r in rows}
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())
    provinces = {r["province"] for r in rows}
    assert "เชียงราย" in provinces


def test_statistics_csv_counts_the_2564_headline(ctx):
    session, edition = ctx
    rows = list(
        csv.DictReader(
            io.StringIO(
                exports.statistics_csv(exports.results_data(session=session, edition_id=edition.id)).decode("utf-8-sig")
            )
        )
    )
    by = {(r["dimension"], r["label"]): r for r in rows}
    assert by[("total", "ผลงานทั้งหมด")]["works"] == "45"
    assert by[("category", "E-Service")]["works"] == "25"
    assert by[("province", "เชียงราย")]["organisations"] == "6"


def test_results_json_is_valid_and_says_the_demo_is_illustrative(ctx):
    session, edition = ctx
    body = json.loads(exports.results_json(exports.results_data(session=session, edition_id=edition.id)))
    assert len(body["results"]) == 45 and body["about"]["aggregation_method"] == "mean"
    assert (body["about"]["aggregation_method_th"], body["about"]["aggregation_method_en"]) == (
        "ค่าเฉลี่ยคะแนนรวมของกรรมการ",
        "Mean of the judges' totals",
    )
    assert "illustrative" in body["about"]["note"]
    assert body["about"]["columns"]["score"]["th"] == "คะแนน"


def test_results_xlsx_reopens_with_thai_headers_and_formulas_kept_as_text(ctx):
    session, edition = ctx
    plant_formula(session)
    book = load_workbook(io.BytesIO(exports.results_xlsx(exports.results_data(session=session, edition_id=edition.id))))
    assert book.sheetnames == ["ผลคะแนน", "สถิติ", "เกี่ยวกับข้อมูล"]
    sheet = book["ผลคะแนน"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["อันดับ", "คะแนนเท่ากัน", "รางวัล"]
    assert sheet.max_row == 46
    titles = [row[header.index("ผลงาน")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert EVIL in titles  # exactly as typed, but a text cell, never a formula
    cell = next(c for c in sheet[f"{chr(ord('A') + header.index('ผลงาน'))}"] if c.value == EVIL)
    assert cell.data_type == "s"
    assert sheet.cell(row=2, column=header.index("คะแนน") + 1).data_type == "n"


def test_results_show_the_confirmed_award_level(ctx):
    session, edition = ctx
    submit_missing_sheets(session, edition.id)  # judge-dga's: the default quorum wants every sheet
    awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser")
    data = exports.results_data(session=session, edition_id=edition.id)
    assert [r["award"] for r in data.rows[:9]] == ["รางวัลยอดเยี่ยม"] + ["รางวัลดีเด่น"] * 7 + [""]


def _thai_runs(prs):
    for slide in prs.slides:
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for frame in frames:
                for paragraph in frame.paragraphs:
                    for run in paragraph.runs:
                        if any("\u0e00" <= ch <= "\u0e7f" for ch in run.text):
                            yield run


def test_executive_deck_has_kpis_native_charts_the_leaderboard_and_a_slide_per_winner(ctx):
    session, edition = ctx
    data = exec_deck.deck_data(session=session, edition_id=edition.id, samples=50)
    prs = Presentation(io.BytesIO(exec_deck.build_deck(data)))
    texts = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in prs.slides]
    assert data.edition_name in texts[0] and "ข้อมูลสาธิต" in texts[0]
    assert "45" in texts[1] and "44" in texts[1]
    charts = [shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart]
    # Native charts (editable in PowerPoint), not pictures: category, region, distribution, one per winner.
    assert len(charts) == 3 + 8
    assert list(charts[0].plots[0].categories)[-1] == "E-Service"
    tables = [shape.table for slide in prs.slides for shape in slide.shapes if shape.has_table]
    ranking_rows = [t for t in tables if t.cell(0, 0).text == "อันดับ"]
    assert sum(len(t.rows) - 1 for t in ranking_rows) == 45
    winner_slides = [t for t in texts if t.startswith(("รางวัลยอดเยี่ยม", "รางวัลดีเด่น"))]
    assert len(winner_slides) == 8 and "DG Award" in winner_slides[0]
    # Thai text names a complex-script font, so PowerPoint and LibreOffice pick a Thai-capable face.
    runs = list(_thai_runs(prs))
    assert runs and all(r._r.rPr.find(qn("a:cs")).get("typeface") == exec_deck.FONT for r in runs)
    assert all(r._r.rPr.get("lang") == "th-TH" for r in runs)


def test_certificates_one_per_winner_with_organisation_and_level(ctx):
    session, edition = ctx
    submit_missing_sheets(session, edition.id)  # judge-dga's: the default quorum wants every sheet
    awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser")
    data = exec_deck.deck_data(session=session, edition_id=edition.id, samples=20)
    prs = Presentation(io.BytesIO(exec_deck.build_certificates(data)))
    assert len(prs.slides) == 8
    first = "\n".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    winner = data.winners[0]
    assert "เกียรติบัตร" in first and winner.organisation in first and "ได้รับรางวัลยอดเยี่ยม" in first
    assert "ให้ไว้ ณ วันที่" in first and str(data.on.year + 543) in first
    assert all(r._r.rPr.find(qn("a:cs")) is not None for r in _thai_runs(prs))


def test_certificates_as_pdf_through_libreoffice(ctx):
    if office.libreoffice() is None:  # optional for the app; .ci/system-deps installs it, so CI must run this
        skip_or_fail("LibreOffice is not installed (apt-get install libreoffice-impress-nogui): no PDF certificates")
    session, edition = ctx
    data = exec_deck.deck_data(session=session, edition_id=edition.id, samples=10)
    certificates = exec_deck.build_certificates(data)
    # Two organisers at once (seen when two test workers did this): each conversion needs its own LibreOffice
    # profile, or the second exits with an error.
    with ThreadPoolExecutor(2) as pool:
        pdfs = list(pool.map(exec_deck.to_pdf, [certificates, certificates]))
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)
    assert len(PdfReader(io.BytesIO(pdfs[0])).pages) == len(data.winners)


def test_cli_announce_prints_the_announcement_and_export_writes_files(demo_db_url, tmp_path):
    """Through the command's main() in this process (tests.helpers.cli): a Python start and the app's imports each
    (3-4 s here) would prove nothing the real commands of test_backup_and_cli and test_restore_refusals have not."""
    done = ldaward.in_process(demo_db_url, "announce", "--date", "2021-09-21")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "ประกาศ ณ วันที่ 21 กันยายน 2564" in text and "อบต. คือ องค์การบริหารส่วนตำบล" in text
    assert text.index("2. ทน.ขอนแก่น จ.ขอนแก่น") < text.index("5. ทม.แสนสุข จ.ชลบุรี") < text.index("จ.เชียงราย")
    assert "ข้อมูลสาธิต" in done.stderr  # notes go to stderr, the text stays clean to paste
    xlsx = tmp_path / "r.xlsx"
    assert ldaward.in_process(demo_db_url, "export", "--format", "xlsx", "-o", str(xlsx)).returncode == 0
    assert load_workbook(xlsx)["ผลคะแนน"].max_row == 46
    csv_out = ldaward.in_process(demo_db_url, "export", "--format", "csv")
    assert csv_out.returncode == 0 and csv_out.stdout.startswith("\ufeffrank,")
    # A workbook is never written to a terminal.
    assert ldaward.in_process(demo_db_url, "export", "--format", "xlsx").returncode == 2


def test_applicant_text_reaches_the_deck_and_certificates_without_bidi_or_control_characters(ctx):
    """A title with a right-to-left override or a character XML cannot hold (python-pptx refuses those) still makes
    a deck and certificates, showing the text without them."""
    from dataclasses import replace

    session, edition = ctx
    submit_missing_sheets(session, edition.id)  # judge-dga's: the default quorum wants every sheet
    awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser")
    data = exec_deck.deck_data(session=session, edition_id=edition.id, samples=10)
    hostile = replace(data.winners[0], title="\u202eระบบ\x0bลับ <a href='x'>", organisation="\u202eเทศบาล\x07ปลอม")
    data = replace(data, winners=(hostile, *data.winners[1:]))
    for built in (exec_deck.build_certificates(data), exec_deck.build_deck(data)):
        prs = Presentation(io.BytesIO(built))
        text = "\n".join(s.text_frame.text for slide in prs.slides for s in slide.shapes if s.has_text_frame)
        assert "เทศบาลปลอม" in text and "\u202e" not in text and "\x07" not in text
    assert "ระบบลับ <a href='x'>" in text  # the deck's winner slide shows the title as the applicant typed it


def test_deck_charts_start_at_zero_and_the_ranking_never_reaches_its_footnote(ctx):
    """Issue 17: the winners' criterion charts started at 74, so 80 looked like half of 90; fifteen ranking rows
    with long names ran into the tie-break footnote."""
    from dataclasses import replace

    from pptx.util import Inches

    session, edition = ctx
    data = exec_deck.deck_data(session=session, edition_id=edition.id, samples=20)
    long_name = "เทศบาลตำบลที่มีชื่อยาวมากเป็นพิเศษเพื่อทดสอบการตัดบรรทัด"
    rows = tuple(replace(r, work=r.work._replace(short_name=long_name, title=long_name * 3)) for r in data.board.rows)
    data = replace(data, board=replace(data.board, rows=rows))
    prs = Presentation(io.BytesIO(exec_deck.build_deck(data)))
    charts = [shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart]
    assert charts and all(c.value_axis.minimum_scale == 0 for c in charts)
    shares = [c for c in charts if c.chart_title.text_frame.text.startswith("คะแนนรายเกณฑ์")]
    assert len(shares) == len(data.winners) and all(c.value_axis.maximum_scale == 100 for c in shares)
    assert all(c.value_axis.tick_labels.number_format == "0" for c in shares)
    ranking_slides = [
        slide for slide in prs.slides if any(s.has_table and s.table.cell(0, 0).text == "อันดับ" for s in slide.shapes)
    ]
    assert len(ranking_slides) == -(-45 // exec_deck.TABLE_ROWS_PER_SLIDE)
    for slide in ranking_slides:
        table = next(s for s in slide.shapes if s.has_table)
        footnote = next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text.startswith("ลำดับการตัดสิน"))
        bottom = table.top + sum(row.height for row in table.table.rows)
        assert bottom + Inches(exec_deck.WRAP_ALLOWANCE) <= footnote.top
        assert footnote.top + footnote.height <= prs.slide_height
        cells = [row.cells for row in list(table.table.rows)[1:]]
        assert all(len(r[1].text) <= 24 and len(r[3].text) <= 56 for r in cells)
        assert all(r[3].text.endswith("…") for r in cells)
        assert all("." in r[4].text and len(r[4].text.split(".")[1]) == 2 for r in cells)  # points: 2 decimals


def test_the_spreadsheet_reads_in_thai_headers_dimensions_method_and_yes_no(ctx):
    """Issue 17 item 4: the statistics and about sheets had English headers and codes (dimension, mean, True)."""
    import re

    session, edition = ctx
    data = exports.results_data(session=session, edition_id=edition.id)
    book = load_workbook(io.BytesIO(exports.results_xlsx(data)))
    stats_sheet = book["สถิติ"]
    assert [c.value for c in stats_sheet[1]] == ["มิติ", "รายการ", "จำนวนผลงาน", "จำนวน อปท."]
    dimensions = {row[0] for row in stats_sheet.iter_rows(min_row=2, values_only=True)}
    assert dimensions == {"รวมทั้งหมด", "ประเภทผลงาน", "รูปแบบ อปท.", "ภาค", "จังหวัด"}
    about = {row[0]: row[1] for row in book["เกี่ยวกับข้อมูล"].iter_rows(values_only=True)}
    assert about["วิธีรวมคะแนน"] == "ค่าเฉลี่ยคะแนนรวมของกรรมการ"
    assert about["ผลรางวัล"] == "ยังไม่ยืนยัน" and about["รายการ"] == "รายละเอียด"
    assert all(re.search("[\u0e00-\u0e7f]", str(key)) for key in about)  # every line named in Thai
    results = book["ผลคะแนน"]
    header = [c.value for c in results[1]]
    tied = {row[header.index("คะแนนเท่ากัน")] for row in results.iter_rows(min_row=2, values_only=True)}
    assert tied <= {"ใช่", "ไม่ใช่"}
    assert results.cell(row=2, column=header.index("คะแนน") + 1).number_format == "0.00"
    assert json.loads(exports.results_json(data))["about"]["aggregation_method_th"] == about["วิธีรวมคะแนน"]
