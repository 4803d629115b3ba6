"""Load: 30 judges scoring at once against a running server, through Streamlit's own websocket protocol
(bench/load_judges.py), bounded to ~40 s a run on loopback: no error, no lost score. On SQLite and PostgreSQL with a
live pitching session running (every judge page follows it and polls each second, as on a pitching day; each deck
has slide pictures on the page), and on two app processes sharing one PostgreSQL database (how a deployment grows
past one process) with no live session (pages poll every 5 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load_judges import run_load
from tests.helpers.server_databases import scratch_database

pytestmark = pytest.mark.load

SESSIONS = 30
SECONDS = 40


@pytest.mark.parametrize(("kind", "replicas", "live_session"),
                         [("sqlite", 1, True), ("postgresql", 1, True), ("postgresql", 2, False)],
                         ids=["sqlite-live-session", "postgresql-live-session", "postgresql-two-app-processes"])
def test_thirty_judges_score_at_once_with_no_error_and_nothing_lost(
        kind: str, replicas: int, live_session: bool, tmp_path: Path) -> None:
    with scratch_database(kind, tmp_path, "load") as url:
        result = run_load(kind, url, sessions=SESSIONS, seconds=SECONDS, log_dir=tmp_path, replicas=replicas,
                          live_session=live_session)
    print("\n" + result.line())
    assert result.tally.errors == []
    assert result.lost == []  # every acknowledged move is in the database
    assert len({judge for judge, _, _ in result.tally.acknowledged}) == SESSIONS  # every judge saved something
    assert len(result.tally.move_ms) >= SESSIONS  # response times are reported, not asserted (a busy CI machine)
    # The pages polled as the live session asks (each second) or, without one, as they wait for one (every 5 s).
    assert (result.tally.live_polls > 0) == live_session
