"""Load: 30 judges scoring at once against a running server, on SQLite and PostgreSQL, and against two app
processes sharing one PostgreSQL database (how a deployment grows past one process), through Streamlit's own
websocket protocol (bench/load_judges.py), bounded to ~40 s a run on loopback: no error, no lost score."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load_judges import run_load
from tests.helpers.server_databases import scratch_database

pytestmark = pytest.mark.load

SESSIONS = 30
SECONDS = 40


@pytest.mark.parametrize(("kind", "replicas"), [("sqlite", 1), ("postgresql", 1), ("postgresql", 2)],
                         ids=["sqlite", "postgresql", "postgresql-two-app-processes"])
def test_thirty_judges_score_at_once_with_no_error_and_nothing_lost(
        kind: str, replicas: int, tmp_path: Path) -> None:
    with scratch_database(kind, tmp_path, "load") as url:
        result = run_load(kind, url, sessions=SESSIONS, seconds=SECONDS, log_dir=tmp_path, replicas=replicas)
    print("\n" + result.line())
    assert result.tally.errors == []
    assert result.lost == []
    assert len({judge for judge, _, _ in result.tally.acknowledged}) == SESSIONS  # every judge saved something
    assert len(result.tally.move_ms) >= SESSIONS  # response times are reported, not asserted (a busy CI machine)
