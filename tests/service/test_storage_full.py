"""Upload storage full or not writable (uploads live in the database): the upload is refused with an error the
page turns into a Thai message, and nothing saved before is lost. SQLite is made "full" with max_page_count, which
raises exactly what a full disk raises (SQLITE_FULL); PostgreSQL's disk-full error class is recognised too."""

from __future__ import annotations

from pathlib import Path

import psycopg.errors
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from models import Attachment, AttachmentKind, Submission
from services.contest import demo
from services.intake import records, screening
from services.platform.db import build_engine, is_storage_full, upgrade_schema
from tests.factories_files import contest_deck


def test_a_full_store_refuses_an_upload_and_keeps_everything_saved_before(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'full.db'}")
    upgrade_schema(engine)
    with Session(engine, expire_on_commit=False) as s:
        demo.load_demo(session=s)
        s.commit()
        sub = s.exec(select(Submission).order_by(Submission.id)).first()
        before = {
            (a.kind, a.sha256, a.size) for a in s.exec(select(Attachment).where(Attachment.submission_id == sub.id))
        }
        title = sub.title
    assert before  # the demo work has a deck and a form

    deck = contest_deck()
    with Session(engine) as s:
        pages = s.execute(text("PRAGMA page_count")).scalar()
        s.execute(text(f"PRAGMA max_page_count={pages + 1}"))  # this connection may grow by one page only
        with pytest.raises(OperationalError) as full:
            screening.attach_file(
                session=s, submission_id=sub.id, kind=AttachmentKind.deck, upload=records.Upload("ใหม่.pptx", deck)
            )
            s.commit()
        s.rollback()
    assert is_storage_full(full.value)

    engine.dispose()  # the limit lives on that pooled connection; new connections have room again
    with Session(engine) as s:  # everything as it was
        after = {
            (a.kind, a.sha256, a.size) for a in s.exec(select(Attachment).where(Attachment.submission_id == sub.id))
        }
        assert after == before
        assert s.get(Submission, sub.id).title == title
        # and once there is room again the same upload goes through
        screening.attach_file(
            session=s, submission_id=sub.id, kind=AttachmentKind.deck, upload=records.Upload("ใหม่.pptx", deck)
        )
        s.commit()
        assert s.exec(
            select(Attachment.size).where(Attachment.submission_id == sub.id, Attachment.kind == AttachmentKind.deck)
        ).one() == len(deck)
    engine.dispose()


def test_storage_errors_are_told_apart_from_an_unavailable_database() -> None:
    import sqlite3

    assert is_storage_full(OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full")))
    assert is_storage_full(
        OperationalError("INSERT", {}, sqlite3.OperationalError("attempt to write a readonly database"))
    )
    assert is_storage_full(OperationalError("INSERT", {}, psycopg.errors.DiskFull("could not extend file")))
    assert not is_storage_full(OperationalError("SELECT", {}, sqlite3.OperationalError("database is locked")))
    assert not is_storage_full(OperationalError("SELECT", {}, psycopg.errors.AdminShutdown("terminating")))


def test_the_page_says_in_thai_that_storage_is_full_and_nothing_saved_is_lost() -> None:
    from streamlit.testing.v1 import AppTest

    def page() -> None:
        import sqlite3

        from sqlalchemy.exc import OperationalError

        from pages import _ui

        with _ui.guard():
            raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))
        with _ui.guard():
            raise OperationalError("SELECT", {}, sqlite3.OperationalError("unable to open database file"))

    at = AppTest.from_function(page, default_timeout=30).run()
    assert not at.exception
    full, away = (e.value for e in at.error)
    assert full.startswith("พื้นที่จัดเก็บของระบบเต็มหรือบันทึกไม่ได้") and "ข้อมูลที่บันทึกไว้ก่อนหน้าไม่สูญหาย" in full
    assert away.startswith("ฐานข้อมูลไม่ตอบสนองชั่วคราว")
