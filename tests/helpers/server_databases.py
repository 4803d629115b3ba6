"""A scratch database for a test that runs the app as a server: a SQLite file under the test's folder, or a new
PostgreSQL database dropped afterwards (skipped outside CI, failed in CI, when PostgreSQL is not there)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.conftest import PG_ADMIN_URL, _pg_available, skip_or_fail


@contextmanager
def scratch_database(kind: str, folder: Path, name: str) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'{name}.db'}"
        return
    if reason := _pg_available():
        skip_or_fail(reason)
    database = f"ldaward_{name}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
    try:
        yield make_url(PG_ADMIN_URL).set(database=database).render_as_string(hide_password=False)
    finally:
        from services.platform.db import dispose_engines

        dispose_engines()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
