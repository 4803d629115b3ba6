"""Killed with SIGKILL in the middle of saving: every save the judge was told succeeded is still there."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import Session, select

from models import Score, User
from services.platform.db import build_engine

CHILD = Path(__file__).resolve().parents[1] / "helpers" / "save_loop.py"


def test_sigkill_mid_save_loses_no_acknowledged_score(demo_db_url):
    child = subprocess.Popen(
        [sys.executable, str(CHILD), demo_db_url], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    acknowledged: dict[tuple[int, int], float] = {}
    deadline = time.monotonic() + 60
    assert child.stdout is not None
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        _, _n, sub, crit, points = line.split()
        acknowledged[(int(sub), int(crit))] = float(points)
    os.killpg(child.pid, signal.SIGKILL)  # no clean shutdown, no chance to flush anything more
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    assert len(acknowledged) >= 40, "the child saved too few scores to make the test meaningful"

    engine = build_engine(demo_db_url)  # a fresh process's view, as after a restart
    with Session(engine) as s:
        judge = s.exec(select(User).where(User.username == "judge-dga")).one()
        stored = {
            (r.submission_id, r.criterion_id): r.points for r in s.exec(select(Score).where(Score.judge_id == judge.id))
        }
    engine.dispose()
    missing = {k: v for k, v in acknowledged.items() if k not in stored}
    assert missing == {}
    # The child cycles through 45 works x 11 criteria, so no (work, criterion) repeats within the first 495 saves:
    # each acknowledged value must be stored exactly.
    assert {k: stored[k] for k in acknowledged} == acknowledged
