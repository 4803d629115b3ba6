"""The engine factory: a read-only session never holds a writer up (SQLite takes its write lock only to write); a
pooled PostgreSQL connection is pinged only once it has rested; a read without one snapshot sends no BEGIN."""

import threading

import psycopg
import pytest
import sqlalchemy as sa
from sqlmodel import select

from models import Edition
from services.contest import editions
from services.platform import db as services_db
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


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_pooled_connection_is_pinged_only_after_resting(engine, db_url, monkeypatch):
    """services.platform.db pings a pooled PostgreSQL connection before use only once it has rested PING_IDLE_S: a
    busy server checks one out for every save, poll and page run. Killed while resting, it is found gone and
    replaced before use; killed the moment after its last use, the one request on it fails and the pool is renewed
    (as for any request in flight during a restart)."""
    pings: list[int] = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(1) or real_ping(conn))

    def backend() -> int:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()

    def kill(pid: int) -> None:
        other = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
        with other.connect() as conn:
            assert conn.exec_driver_sql(f"SELECT pg_terminate_backend({pid})").scalar_one()

    first = backend()
    assert backend() == first and pings == []  # used a moment ago: no ping
    kill(first)
    monkeypatch.setattr(services_db, "PING_IDLE_S", 0.0)  # everything has rested long enough
    second = backend()
    assert pings and second != first  # the ping found it gone: a new connection, the request served

    monkeypatch.setattr(services_db, "PING_IDLE_S", 3600.0)
    pings.clear()
    kill(second)
    with pytest.raises(sa.exc.OperationalError):
        backend()
    assert backend() not in (first, second) and pings == []


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_read_without_one_snapshot_sends_no_begin_and_no_commit(engine):
    """session_scope(read_only=True, snapshot=False) on PostgreSQL: each statement on its own (autocommit), so no
    transaction is open between them (no BEGIN was sent, none to COMMIT); the pooled connection is back to
    transactions for the next session."""
    idle, in_transaction = psycopg.pq.TransactionStatus.IDLE, psycopg.pq.TransactionStatus.INTRANS

    def status(session) -> psycopg.pq.TransactionStatus:
        return session.connection().connection.dbapi_connection.info.transaction_status

    with session_scope(engine, read_only=True, snapshot=False) as session:
        assert editions.current_edition(session=session) is None  # an empty database: a statement ran all the same
        assert status(session) == idle
    with session_scope(engine, read_only=True) as session:
        editions.current_edition(session=session)
        assert status(session) == in_transaction
    with session_scope(engine) as session:
        editions.current_edition(session=session)
        assert status(session) == in_transaction
