"""Scratch databases for the benchmarks: a SQLite file, then a PostgreSQL database that is dropped afterwards."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import make_url

PG_ADMIN = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def scratch_databases() -> Iterator[tuple[str, str]]:
    """Yield ("SQLite", url) and, when a server answers, ("PostgreSQL", url); each is gone after its turn."""
    for kind in ("SQLite", "PostgreSQL"):
        try:
            with scratch_database(kind) as url:
                yield kind, url
        except ConnectionError as e:  # no server here: say so and stop
            print(f"[PostgreSQL] skipped: {e}")


@contextmanager
def scratch_database(kind: str) -> Iterator[str]:
    """One empty scratch database ("SQLite" or "PostgreSQL"), gone afterwards; ConnectionError when no PostgreSQL
    server answers."""
    if kind == "SQLite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    name = f"ldaward_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except Exception as e:
        raise ConnectionError(f"{type(e).__name__}: {e}") from e
    try:
        yield make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
