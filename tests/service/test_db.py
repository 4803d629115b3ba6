"""The engine factory: a read-only session never holds a writer up (SQLite takes its write lock only to write)."""

import threading

from sqlmodel import select

from models import Edition
from services.contest import editions
from services.platform.db import session_scope


def test_a_writer_is_not_held_up_by_an_open_read_only_session(demo_engine):
    with session_scope(demo_engine, read_only=True) as reader:
        reader.exec(select(Edition)).all()  # the read transaction is open from here on
        done = threading.Event()
        failure: list[BaseException] = []

        def write() -> None:
            try:
                with session_scope(demo_engine) as writer:
                    edition = editions.current_edition(session=writer)
                    editions.update_edition(session=writer, edition_id=edition.id, theme="ทดสอบ", actor="organiser")
            except BaseException as e:  # reported below
                failure.append(e)
            finally:
                done.set()

        threading.Thread(target=write).start()
        assert done.wait(timeout=5), "the writer waited on the reader's open transaction"
        assert failure == []
    with session_scope(demo_engine, read_only=True) as after:
        assert editions.current_edition(session=after).theme == "ทดสอบ"
