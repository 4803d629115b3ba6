"""`ldaward check-file` (a JSON verdict, exit 0/1, never a traceback) and `ldaward import` (a report per row)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from factories_files import (
    contest_deck,
    make_encrypted_pdf,
    make_jpeg,
    make_pdf,
    make_pptm,
    make_zip_bomb,
    truncate,
)
from sqlmodel import Session, select

import cli
from models import Attachment, AuditEvent, Organisation, OutboxMessage, Submission, SubmissionStatus
from services.platform.db import build_engine
from services.platform.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
DEMO_CLOCK = "2021-07-20T10:00:00+07:00"


def check(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, *extra: str) -> tuple[int, dict]:
    path = tmp_path / name
    path.write_bytes(data)
    code = cli.main(["check-file", str(path), *extra])
    return code, json.loads(capsys.readouterr().out)


def test_a_good_deck_is_accepted_with_its_topic_checklist(tmp_path, capsys):
    code, verdict = check(tmp_path, capsys, "โครงการ.pptx", contest_deck())
    assert code == 0
    assert (verdict["accepted"], verdict["kind"], verdict["analysis"]["slide_count"]) == (True, "deck", 16)
    assert "Roadmap: slides 14–15" in verdict["analysis"]["coverage_en"]
    assert "ชุดข้อมูล: ไม่พบ" in verdict["analysis"]["coverage_th"]


@pytest.mark.parametrize(
    ("name", "make", "kind", "expected"),
    [
        ("bomb.pptx", make_zip_bomb, None, "zip_bomb"),
        ("macro.pptm", make_pptm, None, "macro_enabled"),
        ("cut.pptx", lambda: truncate(contest_deck()), None, "deck_malformed"),
        ("locked.pdf", make_encrypted_pdf, "form", "pdf_encrypted"),
        ("empty.pdf", lambda: b"", "form", "empty"),
    ],
)
def test_refused_files_exit_1_with_the_reason(tmp_path, capsys, name, make, kind, expected):
    code, verdict = check(tmp_path, capsys, name, make(), *(["--kind", kind] if kind else []))
    assert code == 1
    assert (verdict["accepted"], verdict["code"]) == (False, expected)
    assert verdict["message_th"] and verdict["message_en"]


def test_a_scanned_jpg_form_is_accepted_and_said_to_be_a_scan(tmp_path, capsys):
    code, verdict = check(tmp_path, capsys, "scan.jpg", make_jpeg())
    assert code == 0
    assert verdict["kind"] == "form" and verdict["analysis"]["is_scan"] is True


def test_check_file_on_a_missing_path_prints_json_not_a_traceback(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "check-file", str(tmp_path / "nope.pptx")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert json.loads(out.stdout)["code"] == "unreadable"


CSV_HEADER = (
    "org_type,org_name,province,district,title,category,submitter_name,submitter_position,coordinator_name,"
    "coordinator_phone,coordinator_email,golive_date,deck,signed_form,declarations_accepted,signing_authority,"
    "digital_declared\n"
)


@pytest.fixture
def cli_db(demo_db_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DATABASE_URL", demo_db_url)
    monkeypatch.setenv("LDAWARD_CLOCK", DEMO_CLOCK)
    get_settings.cache_clear()
    engine = build_engine(demo_db_url)
    yield engine
    engine.dispose()
    get_settings.cache_clear()


def test_import_saves_good_rows_and_reports_each_refused_one(cli_db, tmp_path, capsys):
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "deck.pptx").write_bytes(contest_deck())
    (folder / "form.pdf").write_bytes(make_pdf("signed"))
    (folder / "program.pptx").write_bytes(b"MZ" + bytes(300))
    (tmp_path / "secret.pdf").write_bytes(make_pdf("outside"))
    rows = [
        "ทต.,ท่าทดสอบ,ขอนแก่น,เมืองขอนแก่น,ระบบคิวออนไลน์,E-Service,นายหนึ่ง ทดสอบ,นายกเทศมนตรี,นางสอง ทดสอบ,"
        "043-123-456,two@example.go.th,2020-06-01,deck.pptx,form.pdf,yes,yes,yes",
        "องค์การบริหารส่วนตำบล,นาทดสอบ,น่าน,,แผนที่ภาษีดิจิทัล,GIS,นายสาม ทดสอบ,นายก อบต.,นางสี่ ทดสอบ,"
        "0812345678,four@example.go.th,1 มิ.ย. 2563,deck.pptx,form.pdf,ใช่,,",
        "ทต.,ผิดทดสอบ,ขอนแก่น,,ไฟล์ผิด,E-Service,นายห้า,นายก,นางหก,12,bad-email,2020-01-01,program.pptx,form.pdf,yes,,",
        "ทต.,ออกนอกทดสอบ,ขอนแก่น,,ไฟล์นอกโฟลเดอร์,E-Service,นายเจ็ด,นายก,นางแปด,0812345678,x@example.go.th,"
        "2020-01-01,deck.pptx,../secret.pdf,yes,,",
        "ทต.,วันที่ทดสอบ,ขอนแก่น,,วันที่ผิด,E-Service,นายเก้า,นายก,นางสิบ,0812345678,x@example.go.th,"
        "เมื่อวาน,deck.pptx,form.pdf,yes,,",
    ]
    csv_path = tmp_path / "entries.csv"
    csv_path.write_text("\ufeff" + CSV_HEADER + "\n".join(rows) + "\n", encoding="utf-8")

    code = cli.main(["import", str(csv_path), str(folder), "--json", "--actor", "somchai"])
    report = json.loads(capsys.readouterr().out)

    assert code == 1
    assert (report["imported"], report["failed"]) == (2, 3)
    by_line = {r["line"]: r for r in report["rows"]}
    assert by_line[2]["ok"] and by_line[2]["receipt_code"].startswith("LDA64-")
    assert by_line[3]["ok"]
    assert any("ไม่ใช่ไฟล์ PowerPoint" in p for p in by_line[4]["problems_th"])
    assert any("เบอร์โทรศัพท์ไม่ถูกต้อง" in p for p in by_line[4]["problems_th"])
    assert by_line[5]["problems_en"] == ["The signed form \u201c../secret.pdf\u201d is not in the folder given."]
    assert "อ่านวันที่เริ่มใช้งานจริง" in by_line[6]["problems_th"][0]
    with Session(cli_db) as session:
        sub = session.exec(select(Submission).where(Submission.receipt_code == by_line[2]["receipt_code"])).one()
        org = session.get(Organisation, sub.organisation_id)
        kinds = {a.kind for a in session.exec(select(Attachment).where(Attachment.submission_id == sub.id))}
        second = session.exec(select(Submission).where(Submission.title == "แผนที่ภาษีดิจิทัล")).one()
        event = session.exec(select(AuditEvent).where(AuditEvent.entity_id == str(sub.id))).one()
        assert session.exec(select(Submission).where(Submission.title == "ไฟล์ผิด")).first() is None
        # Each imported work's coordinator gets the receipt with its edit link; a refused row queued nothing.
        receipts = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert (org.short_name, sub.status, sub.digital_declared) == ("ทต.ท่าทดสอบ", SubmissionStatus.submitted, True)
    assert kinds == {"deck", "signed_form"}
    assert second.golive_date.isoformat() == "2020-06-01"
    assert event.actor == "import:somchai"
    assert [(m.kind, m.recipient) for m in receipts] == [
        ("receipt", "two@example.go.th"),
        ("receipt", "four@example.go.th"),
    ]
    assert by_line[2]["receipt_code"] in receipts[0].subject
    assert by_line[2]["edit_token"] in receipts[0].body_text  # the link that opens the work to edit

    # Running the same file again refuses what is already there instead of duplicating it.
    assert cli.main(["import", str(csv_path), str(folder), "--json"]) == 1
    again = json.loads(capsys.readouterr().out)
    assert again["imported"] == 0
    assert again["rows"][0]["problems_en"][0].startswith("Already imported (receipt LDA64-")


def test_import_after_intake_closes_needs_the_operators_say_so(cli_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LDAWARD_CLOCK", "2021-08-15T10:00:00+07:00")
    get_settings.cache_clear()
    (tmp_path / "deck.pptx").write_bytes(contest_deck())
    (tmp_path / "form.jpg").write_bytes(make_jpeg())
    csv_path = tmp_path / "late.csv"
    csv_path.write_text(
        CSV_HEADER + "ทม.,ทดสอบช้า,ตราด,,ส่งทางอีเมลทันเวลา,e-Office,นายก,นายก,นางข,0812345678,"
        "k@example.go.th,2019-01-01,deck.pptx,form.jpg,yes,,\n",
        encoding="utf-8",
    )
    assert cli.main(["import", str(csv_path), str(tmp_path)]) == 1
    assert "ขณะนี้ไม่อยู่ในช่วงรับสมัคร" in capsys.readouterr().out
    assert cli.main(["import", str(csv_path), str(tmp_path), "--ignore-deadline"]) == 0
    assert "1 imported, 0 refused" in capsys.readouterr().out
