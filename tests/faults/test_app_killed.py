"""The app server itself killed with SIGKILL while judges are saving, then started again on the same database
(SQLite and PostgreSQL): every slider move a judge's page acknowledged is in the database, and the judges carry on
on the restarted server. The judges are virtual browsers speaking Streamlit's websocket protocol
(bench/load_judges.py), so an acknowledgement is exactly what a browser gets: the page's run finished."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from bench.load_judges import Tally, VirtualJudge, check_saved, prepare, serve, serve_process
from tests.conftest import Templates, demo_database

JUDGES = 6
KILL_AFTER_SAVES = 30  # acknowledged moves before the kill, so the kill lands while saves are streaming in
THINK = (0.1, 0.4)  # seconds between one judge's moves: saves are in flight whenever the kill comes


def run_async(make: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run a coroutine in an event loop of its own thread: in a pytest worker that also ran browser tests, Playwright's
    synchronous API keeps an event loop running in the main thread, where asyncio.run() refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(lambda: asyncio.run(make())).result()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_app_killed_mid_save_and_restarted_loses_no_acknowledged_score(
    kind: str, templates: Templates, tmp_path: Path
) -> None:
    with demo_database(kind, templates, tmp_path) as url:
        usernames = prepare(url, JUDGES)
        before = Tally()
        with serve_process(url, tmp_path / "server-before.log") as (base_url, server):

            async def until_killed() -> None:
                judges = [VirtualJudge(base_url, name, before, random.Random(i)) for i, name in enumerate(usernames)]
                scoring = [asyncio.create_task(j.score(time.monotonic() + 90, THINK)) for j in judges]
                deadline = time.monotonic() + 60
                while len(before.move_ms) < KILL_AFTER_SAVES and time.monotonic() < deadline:
                    await asyncio.sleep(0.02)
                os.killpg(server.pid, signal.SIGKILL)  # no shutdown, no flush: the process is simply gone
                await asyncio.gather(*scoring)  # each judge's connection drops

            run_async(until_killed)
            assert server.wait(timeout=10) == -signal.SIGKILL
        assert len(before.move_ms) >= KILL_AFTER_SAVES, before.errors[:3]
        assert len(before.errors) == JUDGES  # every judge lost its connection: the kill came mid-session
        assert check_saved(url, before.acknowledged, before.in_flight) == []

        # Started again on the same database: the judges sign in and go on scoring, and nothing is lost.
        after = Tally()
        with serve(url, tmp_path / "server-after.log") as base_url:

            async def carry_on() -> None:
                judges = [
                    VirtualJudge(base_url, name, after, random.Random(100 + i)) for i, name in enumerate(usernames)
                ]
                # At least two acknowledged moves each, however long signing in takes on a loaded machine (seen in
                # a full parallel run: a whole 8 s window went on signing in, and no judge moved a slider). Those
                # moves are the proof that each judge carries on; a longer window would only add more of them.
                await asyncio.gather(*(j.score(time.monotonic() + 2, THINK, min_moves=2) for j in judges))

            run_async(carry_on)
        assert after.errors == []
        assert len({judge for judge, _, _ in after.acknowledged}) == JUDGES
        assert check_saved(url, {**before.acknowledged, **after.acknowledged}, before.in_flight) == []
    print(
        f"\n[{kind}] killed after {len(before.move_ms)} acknowledged saves ({len(before.in_flight)} in flight); "
        f"{len(after.move_ms)} saves after the restart; lost 0"
    )
