"""Load: 30 judges scoring at once against a running server, on SQLite and PostgreSQL, and against two app
processes sharing one PostgreSQL database (how a deployment grows past one process), through Streamlit's own
websocket protocol (bench/load_judges.py), bounded to ~40 s a run on loopback: no error, no lost score."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load_judges import run_load
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.load

SESSIONS = 30
SECONDS = 40


@pytest.mark.parametrize(("kind", "replicas"), [("sqlite", 1), ("postgresql", 1), ("postgresql", 2)],
                         ids=["sqlite", "postgresql", "postgresql-two-app-processes"])
def test_thirty_judges_score_at_once_with_no_error_and_nothing_lost(
        kind: str, replicas: int, tmp_path: Path) -> None:
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'load.db'}"
    else:
        import uuid

        import sqlalchemy as sa
        from sqlalchemy.engine import make_url

        from tests.conftest import PG_ADMIN_URL, _pg_available
        if reason := _pg_available():
            skip_or_fail(reason)
        name = f"ldaward_load_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        result = run_load(kind, url, sessions=SESSIONS, seconds=SECONDS, log_dir=tmp_path, replicas=replicas)
    finally:
        if kind != "sqlite":
            from services.db import dispose_engines

            dispose_engines()
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print("\n" + result.line())
    assert result.tally.errors == []
    assert result.lost == []
    assert len({judge for judge, _, _ in result.tally.acknowledged}) == SESSIONS  # every judge saved something
    assert len(result.tally.move_ms) >= SESSIONS  # response times are reported, not asserted (a busy CI machine)
