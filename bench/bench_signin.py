"""Memory and time of simultaneous sign-ins: run `.venv/bin/python bench/bench_signin.py`.

Three cases, each in a fresh process on a fresh SQLite database: every check at once with argon2-cffi's default
parameters (64 MiB, 3 passes, 4 lanes), the capped path with those parameters (as before the tenth session), and
the capped path with the parameters used now (46 MiB, 1 pass, 1 lane). Each case times 30 wrong passwords at the
same instant (the figure is the process's peak resident memory, VmHWM reset after warming up, over its idle
resident memory) and the morning of a pitching day: 100 judges signing in with the right password at once (time
for all, the median judge's wait, the process's CPU)."""

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
STORM = 100
GOAL_MB = 300.0
OLD_PARAMETERS = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}


def _kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def _case(mode: str, url: str) -> dict[str, float | int]:
    """Runs inside the child process: 30 threads sign in at the same instant (unknown user and wrong passwords)."""
    sys.path.insert(0, str(ROOT))
    from argon2 import PasswordHasher
    from sqlmodel import Session

    from models import Role
    from services.platform import auth
    from services.platform.db import build_engine, upgrade_schema
    from services.platform.errors import DomainError

    if mode != "now":  # the parameters before this session
        auth._hasher = PasswordHasher(**OLD_PARAMETERS)  # type: ignore[arg-type]
        auth._DUMMY_HASH = auth._hasher.hash("not-a-real-password")
    engine = build_engine(url)
    upgrade_schema(engine)
    with Session(engine) as s:
        for i in range(STORM):
            auth.create_user(
                session=s, username=f"judge-{i:03}", display_name="ก", role=Role.judge, password=f"horse-{i:03}-staple"
            )
        auth.create_user(session=s, username="judge-a", display_name="ก", role=Role.judge, password="correct-horse")
    auth._verify(auth._DUMMY_HASH, "warm-up", capped=False)  # argon2's first allocation is not the figure
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current resident size
    idle = _kib("VmRSS")
    barrier = threading.Barrier(SIGN_INS)
    outcomes: list[str] = []

    def attempt(i: int) -> None:
        barrier.wait()
        if mode == "uncapped":  # the first path: every request hashes at once, nothing caps it
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
    peak = (_kib("VmHWM") - idle) / 1024
    storm_barrier = threading.Barrier(STORM)
    waits: list[float] = []
    refused: list[str] = []

    def judge_signs_in(i: int) -> None:
        storm_barrier.wait()
        t0 = time.perf_counter()
        try:
            with Session(engine) as s:
                auth.authenticate(
                    session=s, username=f"judge-{i:03}", password=f"horse-{i:03}-staple", client=f"10.0.{i}.1"
                )
        except DomainError as e:  # "busy": waited longer than password_check_wait_seconds for a check
            refused.append(e.code)
            return
        waits.append(time.perf_counter() - t0)

    cpu0, started = time.process_time(), time.perf_counter()
    threads = [threading.Thread(target=judge_signs_in, args=(i,)) for i in range(STORM if mode != "uncapped" else 0)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    waits.sort()
    return {
        "idle_mb": idle / 1024,
        "peak_over_idle_mb": peak,
        "seconds": elapsed,
        "outcomes": len(outcomes),
        "locked": outcomes.count("locked"),
        "storm_seconds": time.perf_counter() - started,
        "storm_cpu": time.process_time() - cpu0,
        "storm_signed_in": len(waits),
        "storm_refused": len(refused),
        "storm_p50": waits[len(waits) // 2] if waits else 0.0,
    }


def main() -> int:
    results = {}
    for mode in ("uncapped", "capped", "now"):
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
    print(f"{SIGN_INS} simultaneous wrong passwords, SQLite; goal: peak ≤ {GOAL_MB:.0f} MB over idle")
    labels = {
        "uncapped": "64 MiB, every check at once",
        "capped": "64 MiB, 2 checks at a time, counted first",
        "now": "46 MiB 1 pass, 2 at a time, counted first",
    }
    for mode, figures in results.items():
        print(
            f"  {labels[mode]:<44} peak {figures['peak_over_idle_mb']:7.1f} MB over idle "
            f"({figures['idle_mb']:.0f} MB idle)   {figures['seconds']:5.2f} s for all {SIGN_INS}"
        )
    print(f"{STORM} judges signing in at once with the right password")
    for mode, figures in results.items():
        if mode == "uncapped":  # sign-in itself is always capped: the first case is about memory only
            continue
        print(
            f"  {labels[mode]:<44} {figures['storm_signed_in']:3} in, {figures['storm_refused']:2} asked to retry, "
            f"all in {figures['storm_seconds']:5.2f} s, "
            f"median wait {figures['storm_p50']:5.2f} s, CPU {figures['storm_cpu']:5.2f} s, "
            f"{figures['storm_cpu'] / max(1, figures['storm_signed_in']) * 1000:.0f} ms a sign-in"
        )
    ok = results["now"]["peak_over_idle_mb"] <= GOAL_MB
    print("  goal met" if ok else "  GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--case":
        print(json.dumps(_case(sys.argv[2], sys.argv[3])))
        sys.exit(0)
    sys.exit(main())
