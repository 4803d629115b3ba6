"""A rule that no single test shows: a thread in a transaction that may write never asks a pool for another
connection. On SQLite that transaction holds the write lock (BEGIN IMMEDIATE); when the pool is taken by other threads
waiting for that very lock, the holder waits for them and they for it until the busy timeout ends their wait (the
sign-ins of stop 27's CI run). On PostgreSQL the same wait holds the rows it wrote, and the pool is as finite.
Installed for the whole test run (tests/conftest.py); each test fails when its code broke the rule."""

from __future__ import annotations

import threading
import traceback
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import Pool

from services.platform.db import READ_ONLY_OPTION, in_memory

_local = threading.local()
broken: list[str] = []  # where the rule was broken, since the last take_broken()


def _holding() -> set[int]:
    held: set[int] | None = getattr(_local, "held", None)
    if held is None:
        held = _local.held = set()
    return held


def _began(conn: Connection) -> None:
    if conn.get_execution_options().get(READ_ONLY_OPTION, False) or in_memory(conn.engine):
        return  # SQLite: a deferred read takes no write lock (in memory, another connection is another database)
    if conn.dialect.name == "postgresql" and conn.connection.dbapi_connection.autocommit is True:
        return  # each statement ends with itself: nothing is held between them
    _holding().add(id(conn))


def _ended(conn: Connection) -> None:
    _holding().discard(id(conn))


def _checked_out(*_args: Any) -> None:
    if _holding():
        ours = [
            f
            for f in traceback.extract_stack()[:-1]
            if "site-packages" not in f.filename and "/lib/python" not in f.filename
        ]
        broken.append("".join(traceback.format_list(ours)))


def install() -> None:
    event.listen(Engine, "begin", _began)
    event.listen(Engine, "commit", _ended)
    event.listen(Engine, "rollback", _ended)
    event.listen(Pool, "checkout", _checked_out)


def take_broken() -> list[str]:
    taken = broken[:]
    broken.clear()
    _holding().clear()
    return taken
