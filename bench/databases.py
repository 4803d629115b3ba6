"""Scratch databases for the benchmarks: a SQLite file, then a PostgreSQL database that is dropped afterwards."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import make_url

PG_ADMIN = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def scratch_databases() -> Iterator[tuple[str, str]]:
    """Yield ("SQLite", url) and, when a server answers, ("PostgreSQL", url); each is gone after its turn."""
    with tempfile.TemporaryDirectory() as tmp:
        yield "SQLite", f"sqlite:///{tmp}/bench.db"
    name = f"ldaward_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except Exception as e:  # no server here: say so and stop
        print(f"[PostgreSQL] skipped: {type(e).__name__}: {e}")
        return
    try:
        yield "PostgreSQL", make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
