"""The executive's national leaderboard page at 10,000 works × 5 judges × 11 criteria: its AppTest run time with the
ranking caches cleared and with them live, on SQLite and PostgreSQL, for this tree and for `main` side by side.

The database is built once per engine (bench_ranking.populate); each tree is then measured in a process of its own,
`main` checked out in a temporary `git worktree` (BENCH_BASE names another ref; BENCH_BASE= skips it).

    python bench/bench_dashboard.py            # both databases (BENCH_DB=SQLite: one), main and this tree
    python bench/bench_dashboard.py measure ROOT URL   # one tree against one database (used by the above)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASE = os.environ.get("BENCH_BASE", "main")
RUNS = int(os.environ.get("BENCH_RUNS", 3))
ONLY = os.environ.get("BENCH_DB", "")  # "SQLite" or "PostgreSQL": that database alone
GOAL_S = 1.0  # a cold page at national scale; the warm page should cost a fraction of it


def populate(url: str) -> None:
    """The national edition and an executive to view it (run in a child process: the bulk load's heap stays there)."""
    sys.path[:0] = [str(ROOT), str(HERE)]
    import sqlalchemy as sa
    from bench_ranking import SUBMISSIONS
    from bench_ranking import populate as fill
    from sqlmodel import Session

    from models import Role, User
    from services.platform.db import build_engine, upgrade_schema

    engine = build_engine(url)
    upgrade_schema(engine)
    t0 = time.perf_counter()
    fill(engine)
    with Session(engine) as s:
        s.add(User(username="bench-executive", display_name="ผู้บริหาร", role=Role.executive))
        s.commit()
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(sa.text("VACUUM ANALYZE"))
            conn.execute(sa.text("CHECKPOINT"))
    engine.dispose()
    print(f"  populated {SUBMISSIONS:,} works in {time.perf_counter() - t0:.0f} s", flush=True)


def measure(root: Path, url: str) -> dict[str, float]:
    """The page as the executive opens it, on the code in root: caches cleared before each cold run."""
    sys.path.insert(0, str(root))
    os.chdir(root)
    os.environ["DATABASE_URL"] = url
    from sqlmodel import Session, select
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    from models import User
    from services.platform import auth
    from services.platform.db import build_engine

    set_log_level("error")  # AppTest outside a server warns about a missing script context on every cache call
    engine = build_engine(url)
    with Session(engine) as s:
        account = auth.Account.of(s.exec(select(User).where(User.username == "bench-executive")).one())
    engine.dispose()

    def run() -> float:
        at = AppTest.from_file(str(root / "app.py"), default_timeout=300)
        at.session_state["account"] = account
        t0 = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - t0
        assert not at.exception, [e.message for e in at.exception]
        return elapsed

    run()  # builds the engine, imports the pages
    from pages import _ui  # the module the page scripts imported, in this process

    cold, warm = [], []
    for _ in range(RUNS):
        _ui.results_changed()
        cold.append(run())
        warm.append(run())
    return {"cold": statistics.median(cold), "warm": statistics.median(warm)}


def _child(*args: str, cwd: Path) -> str:
    done = subprocess.run([sys.executable, __file__, *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


def main() -> None:
    sys.path.insert(0, str(HERE))
    from databases import scratch_databases

    with tempfile.TemporaryDirectory() as tmp:
        trees = [("this tree", ROOT)]
        if BASE:
            base = Path(tmp) / "base"
            subprocess.run(
                ["git", "worktree", "add", "--detach", str(base), BASE], cwd=ROOT, check=True, capture_output=True
            )
            trees.insert(0, (BASE, base))
        try:
            for label, url in scratch_databases():
                if ONLY and label != ONLY:
                    continue
                print(f"[{label}]", flush=True)
                subprocess.run([sys.executable, __file__, "populate", url], cwd=ROOT, check=True)
                figures = {}
                for name, tree in trees:
                    out = _child("measure", str(tree), url, cwd=tree)
                    figures[name] = json.loads(out.strip().splitlines()[-1])
                for name, f in figures.items():
                    print(f"  {name:<10} caches cleared {f['cold']:5.2f} s · cached {f['warm']:5.2f} s", flush=True)
                if len(figures) == 2:
                    (_, old), (_, new) = figures.items()
                    verdict = "ok" if figures["this tree"]["cold"] <= GOAL_S else "MISSED"
                    print(
                        f"  new / old: caches cleared {new['cold'] / old['cold']:.2f}, cached "
                        f"{new['warm'] / old['warm']:.2f} (cold goal ≤ {GOAL_S:.0f} s: {verdict})",
                        flush=True,
                    )
        finally:
            if BASE:
                subprocess.run(
                    ["git", "worktree", "remove", "--force", str(Path(tmp) / "base")],
                    cwd=ROOT,
                    check=False,
                    capture_output=True,
                )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "populate":
        populate(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "measure":
        print(json.dumps(measure(Path(sys.argv[2]), sys.argv[3])))
    else:
        main()
