"""The one engine factory: SQLite (WAL) by default, PostgreSQL when DATABASE_URL names one."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, create_engine

from services.platform.settings import PROJECT_ROOT, get_settings

READ_ONLY_OPTION = "ldaward_read_only"
# How long a new PostgreSQL connection keeps trying while the server refuses it: a restart (about 2.5 s with
# pg_ctlcluster) then costs the person a short wait instead of an error. A longer outage still raises.
CONNECT_RETRY_S = 8.0
# A pooled PostgreSQL connection that has rested this long is pinged before use (_ping_when_idle).
PING_IDLE_S = 2.0
_IDLE_SINCE = "ldaward_idle_since"
_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def is_storage_full(error: BaseException) -> bool:
    """Whether a database error means the storage is full or cannot be written (uploads live in the database):
    SQLite's SQLITE_FULL / read-only file, PostgreSQL's class 53 (insufficient resources: disk full)."""
    orig = getattr(error, "orig", error)
    sqlstate = str(getattr(orig, "sqlstate", "") or "")
    text = str(orig).lower()
    return sqlstate.startswith("53") or any(
        m in text
        for m in ("database or disk is full", "disk i/o error", "attempt to write a readonly database", "no space left")
    )


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # BEGIN IMMEDIATE takes the write lock at the start, so two writers queue on busy_timeout
    # instead of failing with "database is locked" when a read transaction upgrades to a write.
    # A long read-only snapshot (a backup) asks for a deferred BEGIN so that it blocks no writer.
    deferred = conn.get_execution_options().get(READ_ONLY_OPTION, False)
    conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


def build_engine(url: str) -> Engine:
    """A new engine for url. Use get_engine() in the app: one engine per process and URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)

        @event.listens_for(engine, "connect")
        def _no_pysqlite_begin(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" event issue BEGIN

        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_size=10, max_overflow=20)
    event.listen(engine, "do_connect", _connect_with_retry)
    event.listen(engine, "checkin", _note_idle)
    event.listen(engine, "checkout", partial(_ping_when_idle, engine.dialect))
    return engine


def _note_idle(_dbapi_conn: Any, record: Any) -> None:
    if record is not None:
        record.info[_IDLE_SINCE] = time.monotonic()


def _ping_when_idle(dialect: Any, dbapi_conn: Any, record: Any, _proxy: Any) -> None:
    """SQLAlchemy's pool_pre_ping, only for a connection that has rested PING_IDLE_S: a ping is a round trip on
    every check-out, and a busy server checks a connection out for each slider save, each live-session poll and each
    page run (a hundred judges following the live session: a hundred at once). A connection used a moment ago is
    very likely still there; if a restart broke it after all, its statement fails, SQLAlchemy invalidates the whole
    pool (every older connection is replaced at its next check-out) and that one request fails, as any request in
    flight during a restart does. A failed ping makes the pool replace the connection at once, as pre-ping does."""
    idle_since = record.info.get(_IDLE_SINCE)
    if idle_since is None or time.monotonic() - idle_since < PING_IDLE_S:
        return  # new, or used a moment ago
    try:
        dialect.do_ping(dbapi_conn)
    except dialect.loaded_dbapi.Error as error:
        if dialect.is_disconnect(error, dbapi_conn, None):
            raise exc.InvalidatePoolError(str(error)) from error
        raise


def _connect_with_retry(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
    """Open a DBAPI connection, retrying for CONNECT_RETRY_S while the server refuses (restarting, starting).
    _ping_when_idle already replaces pooled connections that a restart broke; this covers the restart itself."""
    deadline = time.monotonic() + CONNECT_RETRY_S
    delay = 0.1
    while True:
        try:
            return dialect.connect(*cargs, **cparams)
        except dialect.loaded_dbapi.OperationalError:
            if time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().database_url
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = build_engine(url)
        return engine


def dispose_engines() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


@contextmanager
def session_scope(engine: Engine, *, read_only: bool = False, snapshot: bool = True) -> Iterator[Session]:
    """A session that commits on success and rolls back on error; objects stay readable after commit.

    read_only: on SQLite the transaction begins deferred, so frequent reads (a dashboard refreshing, judges' pages
    polling the live session) do not take the write lock and queue behind or ahead of saves.
    snapshot=False, with read_only: on PostgreSQL each statement reads the newest committed data by itself
    (autocommit), without a BEGIN and a COMMIT around them: two round trips fewer, for reads that need no one view
    across their statements (a judge's page following the live session, a hundred at once, while the database
    answers each round trip late). SQLite reads in one deferred transaction all the same (no round trips there)."""
    bind = engine.execution_options(**{READ_ONLY_OPTION: True}) if read_only else engine
    if read_only and not snapshot and engine.dialect.name == "postgresql":
        bind = bind.execution_options(isolation_level="AUTOCOMMIT")
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def end_read(session: Session) -> None:
    """End the transaction a session holds after reading (a commit with nothing to write): on SQLite a deferred read
    that then writes must upgrade its lock, and the write waits its own turn instead when it begins afresh. Not on
    PostgreSQL, where the same transaction writes on (row locks; read committed) and a new one would cost a commit,
    a pool check-out with its ping and a BEGIN: three round trips on every slider save."""
    if session.get_bind().dialect.name == "sqlite":
        session.commit()


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to the newest Alembic revision (creates it on an empty database)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def plain_rows(session: Session, stmt: Any) -> list[tuple[Any, ...]]:
    """The rows of stmt as the driver's own tuples, in the session's transaction: a SQLAlchemy Row costs about a
    microsecond to build, more than the Python work on each of a national edition's 50,000 score sheets.
    PostgreSQL sends them in its binary format, which psycopg reads in a third less time than text. Only for
    columns that need no type conversion (integers, floats)."""
    conn = session.connection()
    if conn.dialect.driver == "psycopg":
        compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
        raw = conn.connection.driver_connection
        assert raw is not None  # a pooled connection always has its driver's connection while checked out
        with raw.cursor(binary=True) as cur:
            cur.execute(compiled.string, compiled.params)
            rows: list[tuple[Any, ...]] = cur.fetchall()
            return rows
    result = conn.execute(stmt)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


class SharedSnapshot:
    """One view of the database for sessions of several threads, each on a connection of its own: main reads it on
    this thread, and another() opens a session for another thread that sees exactly the same data."""

    def __init__(
        self,
        engine: Engine,
        main: Session,
        *,
        snapshot_id: str = "",
        reserved: Connection | None = None,
        data_version: int = 0,
    ) -> None:
        self._engine = engine
        self._id = snapshot_id  # PostgreSQL: main's exported snapshot
        self._reserved = reserved  # SQLite: the connection that read the data version before main's first read
        self._data_version = data_version
        self.main = main

    @contextmanager
    def another(self) -> Iterator[Session | None]:
        """A second session on the snapshot, for as long as the with block of one_snapshot lasts; None (SQLite)
        when another connection has committed since main's first read may have begun: read on main instead."""
        if self._reserved is not None:
            # SQLite cannot share a snapshot, but a connection's data version changes only when another one commits:
            # unchanged since it was read before main's first read, no commit came before this read transaction's
            # start, which follows main's first read, so both see the same data.
            if self._reserved.exec_driver_sql("PRAGMA data_version").scalar_one() != self._data_version:
                yield None
            else:
                with Session(self._reserved) as session:
                    yield session
            return
        with self._engine.connect() as conn:
            conn.execution_options(isolation_level="REPEATABLE READ")
            conn.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{self._id}'")  # only as a transaction's first statement
            with Session(conn) as session:
                yield session


def in_memory(engine: Engine) -> bool:
    """An in-memory SQLite database: another connection of it is another, empty database."""
    return engine.url.database in (None, "", ":memory:")


SNAPSHOT_CONNECTIONS = 2  # what one_snapshot checks out: main's and another()'s (SQLite: the reserved one)


def _spare_connections(engine: Engine, wanted: int) -> bool:
    """The engine's pool has wanted connections idle or still to open within its size: a shared snapshot taking
    them then waits for none. A busy pool (a hundred judges' pages) would make a ranking wait up to its 30 s
    check-out timeout for a connection that only saves it a few milliseconds; it reads in turn instead."""
    pool = engine.pool
    return not isinstance(pool, QueuePool) or pool.checkedout() + wanted <= pool.size()


@contextmanager
def one_snapshot(session: Session) -> Iterator[SharedSnapshot | None]:
    """One view of the database that sessions for several threads can read, each on a connection of its own: the
    database then answers one thread's queries while Python works through another's rows (PostgreSQL's server, or
    SQLite's library, which lets go of the GIL while it steps), and all see the data as one transaction would.
    PostgreSQL: REPEATABLE READ, the others importing main's exported snapshot. SQLite: main is session itself, the
    others read while no commit has come since (SharedSnapshot.another). Reads only: the other connections'
    transactions are rolled back at the end.

    None where they could not stand in for session (read on session itself then): when the pool has not two
    connections to spare (_spare_connections); when session is already in a transaction, which may have written
    rows of its own or hold a view the caller's next reads expect to match; and on an in-memory SQLite database,
    which is another database on each connection. A session with no transaction yet would see what any new
    transaction sees, so the snapshot sees just that.
    """
    bind = session.get_bind()
    if not isinstance(bind, Engine) or session.in_transaction() or not _spare_connections(bind, SNAPSHOT_CONNECTIONS):
        yield None
        return
    if bind.dialect.name == "sqlite":
        if in_memory(bind):
            yield None
            return
        with bind.connect() as reserved:
            reserved.execution_options(**{READ_ONLY_OPTION: True})  # a deferred BEGIN: a reader takes no lock
            data_version = reserved.exec_driver_sql("PRAGMA data_version").scalar_one()
            reserved.rollback()  # another() reads it again in a transaction of its own
            yield SharedSnapshot(bind, session, reserved=reserved, data_version=data_version)
        return
    with bind.connect() as conn:
        conn.execution_options(isolation_level="REPEATABLE READ")
        snapshot_id = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        with Session(conn) as main:
            yield SharedSnapshot(bind, main, snapshot_id=snapshot_id)
