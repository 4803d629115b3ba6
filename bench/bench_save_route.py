"""CPU of one slider move on the server: the score sheet's save route (web_routes._save_sheet_changes, what
POST /api/judge/sheet runs in its thread: the cookie's session resumed, the change checked and saved, the answer
built), for the project as it is and as it was at --baseline, timed alternately in the same run (issue 18).

    bench/bench_save_route.py [--db sqlite|postgres|both] [--baseline COMMIT] [--saves 400] [--rounds 6]

Each tree runs in a worker process of its own (its modules first on sys.path), over its own scratch copy of the 2564
demo prepared as the load bench does (bench/load_judges.py prepare: 20 judges, open sheets). The worker signs one
judge in (a session cookie, as the page's script gets it) and moves one slider at a time on the judge's works: one
criterion, a random half point, the route's body as the component sends it. The parent asks each worker in turn
(A B, B A, ...) for a batch of --saves moves and prints each tree's median CPU (the worker's own: the database works
in it on SQLite, beside it on PostgreSQL, whose backend's CPU is not counted) and wall time per move, the ratio
now/baseline, and the SQL statements one move sends. Loopback only; the databases are scratch ones, gone
afterwards."""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "2de69c3"  # main before the saves were cut to seven statements (session 17)


def worker(root: Path, kind: str) -> None:
    """One tree's saves, batch by batch as the parent asks on stdin ("run N", "quit"); one JSON line per batch."""
    sys.path[:0] = [str(root), str(ROOT / "bench")]
    os.chdir(root)
    from databases import scratch_database

    with scratch_database(kind) as url:
        os.environ["DATABASE_URL"] = url
        import sqlalchemy as sa
        from sqlmodel import Session, select

        from bench.load_judges import prepare
        from models import User
        from services.contest import editions
        from services.judging import worklist
        from services.platform import web_sessions
        from services.platform.db import dispose_engines, get_engine
        from services.platform.settings import get_settings

        get_settings.cache_clear()
        prepare(url, 20)
        with Session(get_engine()) as s:
            edition = editions.current_edition(session=s)
            assert edition is not None
            judge = s.exec(select(User).where(User.username == "judge-dga")).one()
            assert judge.id is not None
            rows = worklist.list_assignments(session=s, judge_id=judge.id, edition_id=edition.id)
            works = [r.submission.id for r in rows if r.state != "submitted"]
            criteria = [(str(c.id), c.max_points) for c in edition.scored_criteria]
            _, code = web_sessions.begin(session=s, user_id=judge.id)
            cookie = web_sessions.complete_handoff(session=s, code=code)
            s.commit()
        import web_routes

        rng = random.Random(7)

        def move(n: int) -> None:
            for i in range(n):
                cid, top = rng.choice(criteria)
                body = {"submission": works[i % len(works)], "version": 0, "points": {cid: rng.randint(0, 2 * top) / 2}}
                web_routes._save_sheet_changes(cookie, body)

        statements: list[str] = []

        def counted(*args: object) -> None:
            if str(args[2]).startswith(("SELECT", "INSERT", "UPDATE", "DELETE")):
                statements.append(str(args[2]))

        move(100)  # warm: caches, the pool, the planner
        sa.event.listen(get_engine(), "before_cursor_execute", counted)
        move(20)
        sa.event.remove(get_engine(), "before_cursor_execute", counted)
        print(json.dumps({"ready": True, "works": len(works), "statements": len(statements) / 20}), flush=True)
        for line in sys.stdin:
            if not line.startswith("run "):
                break
            n = int(line.split()[1])
            t0, c0 = time.perf_counter(), time.process_time()
            move(n)
            print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0, "n": n}), flush=True)
        dispose_engines()


def compare(kind: str, baseline: str, saves: int, rounds: int) -> None:
    from load_judges import baseline_tree

    with baseline_tree(baseline) as old_root:
        trees = {f"baseline {baseline}": old_root, "now": ROOT}
        procs = {
            name: subprocess.Popen(
                [sys.executable, __file__, "--worker", str(root), kind],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for name, root in trees.items()
        }
        try:
            ready = {name: json.loads(p.stdout.readline()) for name, p in procs.items()}  # type: ignore[union-attr]
            cpu: dict[str, list[float]] = {name: [] for name in procs}
            wall: dict[str, list[float]] = {name: [] for name in procs}
            for r in range(rounds):
                order = list(procs) if r % 2 == 0 else list(reversed(procs))
                for name in order:
                    p = procs[name]
                    p.stdin.write(f"run {saves}\n")  # type: ignore[union-attr]
                    p.stdin.flush()  # type: ignore[union-attr]
                    got = json.loads(p.stdout.readline())  # type: ignore[union-attr]
                    cpu[name].append(1000 * got["cpu"] / got["n"])
                    wall[name].append(1000 * got["wall"] / got["n"])
        finally:
            for p in procs.values():
                p.communicate("quit\n", timeout=120)
        print(f"[{kind}] {rounds} rounds of {saves} slider moves per tree, alternately; per move (median of rounds):")
        for name in procs:
            cpu_ms, wall_ms = statistics.median(cpu[name]), statistics.median(wall[name])
            sent = ready[name]["statements"]
            print(f"  {name:>18}: CPU {cpu_ms:5.2f} ms, wall {wall_ms:5.2f} ms, {sent:.0f} SQL statements")
        old, now = (statistics.median(cpu[name]) for name in procs)
        old_wall, now_wall = (statistics.median(wall[name]) for name in procs)
        print(f"  now / baseline: CPU {now / old:.2f}, wall {now_wall / old_wall:.2f}", flush=True)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        worker(Path(sys.argv[2]), sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--baseline", default=BASELINE, help="the commit to compare with (git archive)")
    parser.add_argument("--saves", type=int, default=400, help="slider moves per batch")
    parser.add_argument("--rounds", type=int, default=6, help="batches per tree, alternated")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    kinds = {"sqlite": ["SQLite"], "postgres": ["PostgreSQL"], "both": ["SQLite", "PostgreSQL"]}[args.db]
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    for kind in kinds:
        try:
            compare(kind, args.baseline, args.saves, args.rounds)
        except ConnectionError as e:  # no PostgreSQL here: say so
            print(f"[{kind}] skipped: {e}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
