"""Memory and time of 30 simultaneous sign-ins, the old uncapped hashing against the new capped path:
run `.venv/bin/python bench/bench_signin.py`. Each case runs in a fresh process on a fresh SQLite database; the figure
is the process's peak resident memory (VmHWM, reset after warming up) over its idle resident memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIGN_INS = 30
GOAL_MB = 300.0


def _kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def _case(mode: str, url: str) -> dict[str, float | int]:
    """Runs inside the child process: 30 threads sign in at the same instant (unknown user and wrong passwords)."""
    sys.path.insert(0, str(ROOT))
    from sqlmodel import Session

    from models import Role
    from services.platform import auth
    from services.platform.db import build_engine, upgrade_schema
    from services.platform.errors import DomainError

    engine = build_engine(url)
    upgrade_schema(engine)
    with Session(engine) as s:
        auth.create_user(session=s, username="judge-a", display_name="ก", role=Role.judge, password="correct-horse")
    auth._verify(auth._DUMMY_HASH, "warm-up", capped=False)  # argon2's first allocation is not the figure
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current resident size
    idle = _kib("VmRSS")
    barrier = threading.Barrier(SIGN_INS)
    outcomes: list[str] = []

    def attempt(i: int) -> None:
        barrier.wait()
        if mode == "old":  # the old path: every request hashes at once, nothing caps it
            auth._verify(auth._DUMMY_HASH, f"guess-{i}", capped=False)
            outcomes.append("bad_credentials")
            return
        username = "judge-a" if i % 3 == 0 else f"nobody-{i}"
        try:
            with Session(engine) as s:
                auth.authenticate(session=s, username=username, password=f"guess-{i}", client=f"192.0.2.{i}")
        except DomainError as e:
            outcomes.append(e.code)

    started = time.perf_counter()
    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(SIGN_INS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "idle_mb": idle / 1024,
        "peak_over_idle_mb": (_kib("VmHWM") - idle) / 1024,
        "seconds": elapsed,
        "outcomes": len(outcomes),
        "locked": outcomes.count("locked"),
    }


def main() -> int:
    results = {}
    for mode in ("old", "new"):
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(
                [sys.executable, __file__, "--case", mode, f"sqlite:///{tmp}/bench.db"],
                capture_output=True,
                text=True,
                cwd=ROOT,
                env={**os.environ, "LDAWARD_DEMO": "0"},
            )
            if out.returncode != 0:
                print(out.stderr)
                return 1
            results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{SIGN_INS} simultaneous sign-ins (argon2 at 64 MiB each), SQLite; goal: peak ≤ {GOAL_MB:.0f} MB over idle")
    labels = {"old": "old path (every check at once)", "new": "new path (2 checks at a time, counted first)"}
    for mode, figures in results.items():
        print(
            f"  {labels[mode]:<46} peak {figures['peak_over_idle_mb']:7.1f} MB over idle "
            f"({figures['idle_mb']:.0f} MB idle)   {figures['seconds']:5.2f} s for all {SIGN_INS}"
        )
    ok = results["new"]["peak_over_idle_mb"] <= GOAL_MB
    print("  goal met" if ok else "  GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--case":
        print(json.dumps(_case(sys.argv[2], sys.argv[3])))
        sys.exit(0)
    sys.exit(main())
