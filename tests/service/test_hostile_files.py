"""Hostile files at intake (issue 13): decks linking outside the file, the shared-stream PDF that once cost a minute
of CPU, a form check whose child process runs away, and uploads beyond the per-client limit. SQLite and PostgreSQL."""

from __future__ import annotations

import resource
import sys
import threading

import pytest
from factories_files import make_jpeg, make_linked_picture_deck, make_pdf, make_shared_stream_pdf
from sqlmodel import select

from models import Attachment, RateHit
from services.intake import documents, flow, form_check, records, signed_form
from services.platform import ratelimit
from services.platform.settings import get_settings
from tests.service.test_intake_flow import DURING, through_send


@pytest.fixture(autouse=True)
def _no_remembered_verdicts():
    form_check._verdicts.clear()
    yield
    form_check._verdicts.clear()


@pytest.fixture
def edition_id(demo_session):
    from services.contest import editions

    return editions.current_edition(session=demo_session).id


def _attachments(session, access):
    view = flow.load(session=session, access=access, now=DURING)
    return {a.kind: a.sha256 for a in session.exec(select(Attachment).where(Attachment.submission_id == view.id))}


def test_a_deck_with_a_linked_picture_is_refused_and_the_earlier_deck_kept(demo_session, edition_id):
    access = through_send(demo_session, edition_id)
    before = _attachments(demo_session, access)
    hostile = records.Upload("linked.pptx", make_linked_picture_deck("http://127.0.0.1:9/x.png"))
    with pytest.raises(records.SubmissionRejected) as caught:
        flow.save_documents(session=demo_session, access=access, deck=hostile, now=DURING)
    problem = caught.value.problems[0]
    assert problem.code == "external_content"
    assert problem.message_th.startswith("ไฟล์นำเสนอ (PowerPoint): ไฟล์นำเสนอมีรูปภาพหรือสื่อที่ลิงก์ไปยังภายนอก")
    demo_session.rollback()
    assert _attachments(demo_session, access) == before


def test_the_shared_stream_pdf_gets_a_bounded_verdict_in_a_child_process(demo_session, edition_id):
    hostile = make_shared_stream_pdf(pages=50, operations=600_000)
    assert len(hostile) < 16_000  # the size of the upload that once took 69 s
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    access = through_send(demo_session, edition_id)
    view = flow.save_documents(
        session=demo_session, access=access, signed_form=records.Upload("form.pdf", hostile), now=DURING
    )
    analysis = view.attachment("signed_form").analysis
    assert analysis["page_count"] == 50
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime > children_before  # checked in a child
    used = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - children_before
    assert used < form_check.CPU_SECONDS * 2  # the check itself stays inside its budget (two checks ran)


def test_a_pdf_over_the_page_cap_is_refused_in_thai():
    with pytest.raises(documents.DocumentError) as caught:
        form_check.check_signed_form_isolated(
            make_shared_stream_pdf(pages=documents.FORM_MAX_PAGES + 1, operations=10), "big.pdf"
        )
    assert caught.value.code == "pdf_too_many_pages"
    assert f"ไม่เกิน {documents.FORM_MAX_PAGES} หน้า" in caught.value.message_th
    assert caught.value.filename == "big.pdf"


@pytest.mark.parametrize(
    "runaway",
    [
        "while True: pass",  # CPU: killed by RLIMIT_CPU
        "b = bytearray(4 * 1024 ** 3)",  # memory: refused by RLIMIT_AS
        "print('{not json')",  # nonsense on stdout
    ],
)
def test_a_runaway_form_check_ends_in_a_thai_refusal(monkeypatch, runaway):
    monkeypatch.setattr(form_check, "CPU_SECONDS", 1)
    monkeypatch.setattr(form_check, "_child_command", lambda max_bytes, max_pixels: [sys.executable, "-c", runaway])
    with pytest.raises(documents.DocumentError) as caught:
        form_check.check_signed_form_isolated(make_pdf("x"), "form.pdf")
    assert caught.value.code == "form_too_costly"
    assert "ระบบตรวจไฟล์นี้ไม่เสร็จในเวลาที่กำหนด" in caught.value.message_th


def test_the_app_stays_responsive_while_a_form_check_runs_away(monkeypatch, tmp_path, demo_session, edition_id):
    access = through_send(demo_session, edition_id)
    flag = tmp_path / "app-answered"
    # The child idles until the app has answered, then spins until RLIMIT_CPU ends it: no race on timing.
    spin = f"import os, time\nwhile not os.path.exists({str(flag)!r}): time.sleep(0.05)\nwhile True: pass"
    monkeypatch.setattr(form_check, "CPU_SECONDS", 2)
    monkeypatch.setattr(form_check, "_child_command", lambda max_bytes, max_pixels: [sys.executable, "-c", spin])
    outcome: list[str] = []

    def upload() -> None:
        try:
            form_check.check_signed_form_isolated(make_pdf("x"), "form.pdf")
        except documents.DocumentError as exc:
            outcome.append(exc.code)

    thread = threading.Thread(target=upload)
    thread.start()
    # The app answers (a database read and a form check of its own in-process) while the upload's check runs.
    assert flow.load(session=demo_session, access=access, now=DURING).status
    assert signed_form.check_signed_form(make_jpeg(), "scan.jpg").kind == "jpeg"
    assert thread.is_alive() and outcome == []
    flag.touch()
    thread.join(60)
    assert outcome == ["form_too_costly"]


def test_uploads_are_rate_limited_per_client_and_refused_files_count(monkeypatch, demo_session, edition_id):
    monkeypatch.setenv("LDAWARD_RATE_UPLOADS", "3")
    get_settings.cache_clear()
    try:
        access = through_send(demo_session, edition_id)
        bad = records.Upload("x.pdf", b"%PDF-1.4 junk")
        for _ in range(3):
            with pytest.raises(records.SubmissionRejected):
                flow.save_documents(
                    session=demo_session, access=access, signed_form=bad, now=DURING, client="203.0.113.9"
                )
            demo_session.rollback()
        with pytest.raises(ratelimit.RateLimited) as caught:
            flow.save_documents(
                session=demo_session,
                access=access,
                signed_form=records.Upload("s.jpg", make_jpeg()),
                now=DURING,
                client="203.0.113.9",
            )
        assert "กรุณารอประมาณ" in caught.value.message_th
        demo_session.rollback()
        # another client is not held up by this one
        view = flow.save_documents(
            session=demo_session,
            access=access,
            signed_form=records.Upload("s.jpg", make_jpeg()),
            now=DURING,
            client="198.51.100.7",
        )
        assert view.attachment("signed_form").media_type == "image/jpeg"
        assert len(demo_session.exec(select(RateHit).where(RateHit.bucket == ratelimit.UPLOAD)).all()) == 4
    finally:
        get_settings.cache_clear()


def test_the_same_file_is_checked_once_and_a_timeout_is_not_remembered(monkeypatch):
    calls: list[int] = []
    real = form_check._run_child

    def counting(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(form_check, "_run_child", counting)
    first = form_check.check_signed_form_isolated(make_pdf("ลงนามแล้ว"), "a.pdf")
    again = form_check.check_signed_form_isolated(make_pdf("ลงนามแล้ว"), "b.pdf")
    assert first == again and len(calls) == 1
    monkeypatch.setattr(form_check, "_run_child", lambda *args: calls.append(1) or {})
    for _ in range(2):
        with pytest.raises(documents.DocumentError):
            form_check.check_signed_form_isolated(make_pdf("อีกไฟล์"), "c.pdf")
    assert len(calls) == 3
