"""Load: 30 judges scoring at once against a running server as their browsers do (bench/load_judges.py: the page over
Streamlit's websocket, each slider move a request to the sheet's save route, the live banner's long poll), bounded to
~30 s a run on loopback: no error, no lost score. On SQLite and PostgreSQL with a live pitching session running (the
organiser moves on after 20 s and every judge page follows; each deck has slide pictures on the page), and on two app
processes sharing one PostgreSQL database (how a deployment grows past one process) with no live session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load_judges import run_load
from tests.conftest import Templates, demo_database

pytestmark = pytest.mark.load

SESSIONS = 30
SECONDS = 30


@pytest.mark.parametrize(
    ("kind", "replicas", "live_session"),
    [("sqlite", 1, True), ("postgresql", 1, True), ("postgresql", 2, False)],
    ids=["sqlite-live-session", "postgresql-live-session", "postgresql-two-app-processes"],
)
def test_thirty_judges_score_at_once_with_no_error_and_nothing_lost(
    kind: str, replicas: int, live_session: bool, templates: Templates, tmp_path: Path
) -> None:
    with demo_database(kind, templates, tmp_path) as url:  # the demo cloned: run_load adds judges and sheets to it
        result = run_load(
            kind,
            url,
            sessions=SESSIONS,
            seconds=SECONDS,
            log_dir=tmp_path,
            replicas=replicas,
            live_session=live_session,
        )
    print("\n" + result.line())
    assert result.tally.errors == []
    assert result.lost == []  # every acknowledged move is in the database
    assert len({judge for judge, _, _ in result.tally.acknowledged}) == SESSIONS  # every judge saved something
    assert len(result.tally.move_ms) >= SESSIONS  # response times are reported, not asserted (a busy CI machine)
    assert result.tally.live_polls >= SESSIONS  # every page's long poll was answered at least once
    # With a live session, the organiser moved on once and the pages followed (the delay is reported, not asserted).
    assert bool(result.tally.follow_ms) == live_session
