"""Our executive leaderboard against pretalx's review dashboard at the same scale, timed alternately in one run.

    python bench/pretalx/bench_pretalx.py          (BENCH_SUBMISSIONS=1000 for a quick run; BENCH_ROUNDS, default 5)

pretalx (from PyPI) lives in a virtual environment of its own, bench/.venv-pretalx, made here when missing; it is
never a dependency of the project. Each side runs in its own process on its own SQLite file in one scratch folder:
pretalx_worker.py (pretalx's Python) and leaderboard_worker.py (ours). After one untimed run each, the two are asked
for a page in turn (pretalx, ours, pretalx, ours, …) with every cache cleared, so load from other processes on the
machine falls on both alike; the medians and the median of each round's ratio are printed with the goal (ours ≤ 0.2
of pretalx's).
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE.parent / ".venv-pretalx"
PRETALX_PY = VENV / "bin" / "python"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 5))
TIME_LIMIT_S = int(os.environ.get("BENCH_TIME_LIMIT", 3600))
GOAL = 0.2


def ensure_pretalx() -> str:
    """pretalx's virtual environment, made with `python3 -m venv` and `pip install pretalx` when missing."""
    if not PRETALX_PY.exists():
        print(f"making {VENV} and installing pretalx from PyPI …", flush=True)
        subprocess.run(["python3", "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(PRETALX_PY), "-m", "pip", "install", "--quiet", "pretalx"], check=True)
    return subprocess.run(
        [str(PRETALX_PY), "-c", "import pretalx; print(pretalx.__version__)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


class Worker:
    """One side: a process that sets its data up, says "ready …", then answers each "run" with one line."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            env=env,
            cwd=HERE.parent.parent,
        )

    def line(self) -> str:
        assert self.proc.stdout is not None
        got = self.proc.stdout.readline()
        if not got:
            raise SystemExit(f"{self.name} stopped: see {self.log.name}")
        return got.strip()

    def run(self) -> list[str]:
        assert self.proc.stdin is not None
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        return self.line().split()

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)
        self.log.close()


def main() -> None:
    signal.alarm(TIME_LIMIT_S)  # bounded: a hung worker ends the run
    version = ensure_pretalx()
    n = int(os.environ.get("BENCH_SUBMISSIONS", 10_000))
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as tmp:
        env = {
            **os.environ,
            "BENCH_SUBMISSIONS": str(n),
            "PRETALX_DATA_DIR": f"{tmp}/pretalx",
            "PYTHONWARNINGS": "ignore",
        }
        t0 = time.perf_counter()
        theirs = Worker("pretalx", [str(PRETALX_PY), str(HERE / "pretalx_worker.py")], env, HERE / "pretalx.log")
        ours = Worker(
            "ours",
            [sys.executable, str(HERE / "leaderboard_worker.py"), f"sqlite:///{tmp}/ours.db"],
            env,
            HERE / "ours.log",
        )
        try:
            print(f"[pretalx {version}] {theirs.line()}", flush=True)
            print(f"[ours] {ours.line()}  (set-up {time.perf_counter() - t0:.0f} s)", flush=True)
            theirs.run(), ours.run()  # untimed: imports, templates and first connections on both sides
            load_before = os.getloadavg()
            p_wall, p_cpu, o_wall, o_cpu = [], [], [], []
            for i in range(ROUNDS):
                wall, cpu, queries, size, shown = theirs.run()
                p_wall.append(float(wall))
                p_cpu.append(float(cpu))
                print(
                    f"  round {i + 1}: pretalx review dashboard {float(wall):6.2f} s (cpu {float(cpu):.2f} s, "
                    f"{queries} queries, {int(size) // 1024} KB, {shown} works on its page)",
                    flush=True,
                )
                wall, cpu, rows = ours.run()
                o_wall.append(float(wall))
                o_cpu.append(float(cpu))
                print(
                    f"  round {i + 1}: our leaderboard page     {float(wall):6.2f} s (cpu {float(cpu):.2f} s, "
                    f"{rows} works in its ranking table)",
                    flush=True,
                )
            load_after = os.getloadavg()
        finally:
            theirs.close()
            ours.close()
    pw, pc, ow, oc = (statistics.median(v) for v in (p_wall, p_cpu, o_wall, o_cpu))
    print(f"{n:,} works × 5 reviews, caches cleared, median of {ROUNDS} alternate rounds:")
    print(f"  pretalx {version} review dashboard (Django test client, organiser): {pw:.2f} s (cpu {pc:.2f} s)")
    print(f"  our executive leaderboard (AppTest, app.py):                   {ow:.2f} s (cpu {oc:.2f} s)")
    # The ratio of each round's pair, then their median: a burst of load lands on both pages of a round, while a
    # ratio of the two medians can pair one side's quiet round with the other's busy one.
    wall_ratio = statistics.median(o / p for o, p in zip(o_wall, p_wall, strict=True))
    cpu_ratio = statistics.median(o / p for o, p in zip(o_cpu, p_cpu, strict=True))
    verdict = "PASS" if wall_ratio <= GOAL else "MISS"
    print(
        f"  ratio ours / pretalx, median of the rounds' ratios: {wall_ratio:.2f} wall (goal ≤ {GOAL}) {verdict}; "
        f"{cpu_ratio:.2f} cpu {'PASS' if cpu_ratio <= GOAL else 'MISS'}"
    )
    print(
        f"  machine load (1-min average) {load_before[0]:.1f} before the rounds, {load_after[0]:.1f} after, "
        f"on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
