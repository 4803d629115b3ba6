"""Score-save latency with 20 judges saving at once (SQLite and PostgreSQL), and the count of lost or failed writes.

Each judge is a thread that does what the judge page does on every slider movement: open a session, save one
criterion with the sheet version it holds (judging.sheets.save_sheet), keep the new version. Two runs per database:
"paced" — each judge moves a slider every 0.2–1.0 s, already faster than a person reads a slide — which the goal is
judged on, and "burst" — no pause at all, every judge saving back to back — as a stress figure. Afterwards every
(judge, submission, criterion) in the database is compared with the last value its thread saved: a difference is a
lost write.

The threads share one Python process, as the sessions of one Streamlit server do, so in the burst run the saves
queue for the interpreter lock as much as for the database.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from databases import scratch_databases  # bench/databases.py: this folder is on sys.path when run as a script

from models import Role, Score, User
from services.contest import demo, editions
from services.judging import sheets, worklist
from services.platform.db import build_engine, upgrade_schema

JUDGES = 20
SUBMISSIONS_EACH = int(os.environ.get("BENCH_SUBMISSIONS_EACH", 3))  # per judge; 11 criteria each
P95_GOAL_MS = 20.0
LOST_GOAL = 0


def populate(engine: Engine) -> tuple[list[int], list[int], list[tuple[int, int]]]:
    """The 2564 demo (10 judges, 45 works) plus ten more judges, everyone assigned to everything."""
    with Session(engine, expire_on_commit=False) as s:
        demo.load_demo(session=s)
        for i in range(JUDGES - 10):
            s.add(
                User(
                    username=f"bench-judge-{i}",
                    display_name=f"กรรมการทดสอบ {i}",
                    role=Role.judge,
                    agency=f"หน่วยงาน {i}",
                )
            )
        s.commit()
        edition = editions.current_edition(session=s)
        assert edition is not None
        worklist.assign_all(session=s, edition_id=edition.id, actor="bench")
        judges = [u.id for u in s.exec(select(User).where(User.role == Role.judge).order_by(User.id)) if u.id]
        subs = [
            a.submission.id for a in worklist.list_assignments(session=s, judge_id=judges[0], edition_id=edition.id)
        ]
        crits = [(c.id, c.max_points) for c in edition.scored_criteria]
        for j in judges:  # open the demo's submitted sheets again so that every save is a real write
            for sheet in worklist.list_assignments(session=s, judge_id=j, edition_id=edition.id):
                if sheet.state == "submitted":
                    sheets.reopen_sheet(
                        session=s, judge_id=j, submission_id=sheet.submission.id, reason="bench", actor="bench"
                    )
    return judges, subs, crits


PACED_S = (0.2, 1.0)


def run(
    label: str,
    engine: Engine,
    judges: list[int],
    subs: list[int],
    crits: list[tuple[int, int]],
    pause: tuple[float, float] | None,
    seed: int,
) -> None:
    latencies: list[float] = []
    failures: list[str] = []
    last: dict[tuple[int, int, int], float] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(len(judges))

    def judge_thread(judge_id: int, seed: int) -> None:
        rng = random.Random(seed)
        mine = rng.sample(subs, SUBMISSIONS_EACH)
        if pause:
            time.sleep(rng.uniform(0, pause[1]))  # judges do not all start on the same instant
        barrier.wait()
        for sub_id in mine:
            version: int | None = None
            for cid, max_points in crits:
                if pause:
                    time.sleep(rng.uniform(*pause))
                value = rng.randrange(0, 2 * max_points + 1) / 2
                started = time.perf_counter()
                try:
                    with Session(engine, expire_on_commit=False) as s:
                        if version is None:
                            version = sheets.get_sheet(session=s, judge_id=judge_id, submission_id=sub_id).version
                            started = time.perf_counter()  # the page has the version already; time the save only
                        saved = sheets.save_sheet(
                            session=s,
                            judge_id=judge_id,
                            submission_id=sub_id,
                            points={cid: value},
                            actor="bench",
                            expected_version=version,
                        )
                    elapsed = time.perf_counter() - started
                    version = saved.version
                    with lock:
                        latencies.append(elapsed)
                        last[(judge_id, sub_id, cid)] = value
                except Exception as e:  # counted and printed: a failed write
                    with lock:
                        failures.append(f"{type(e).__name__}: {e}")

    threads = [threading.Thread(target=judge_thread, args=(j, seed + i)) for i, j in enumerate(judges)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    with Session(engine) as s:
        stored = {(sc.judge_id, sc.submission_id, sc.criterion_id): sc.points for sc in s.exec(select(Score))}
    lost = sum(1 for key, value in last.items() if stored.get(key) != value)
    ms = sorted(x * 1000 for x in latencies)
    p50 = statistics.median(ms)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    label = f"{label} {'paced' if pause else 'burst'}"
    print(f"[{label}] {len(judges)} judges at once, {len(ms)} saves in {wall:.1f} s ({len(ms) / wall:.0f} saves/s)")
    print(
        f"[{label}] score-save latency p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms  "
        f"(goal p95 <= {P95_GOAL_MS:g} ms: ratio {p95 / P95_GOAL_MS:.2f})"
    )
    print(
        f"[{label}] lost writes {lost}, failed writes {len(failures)}  (goal {LOST_GOAL}: "
        f"{'met' if lost == len(failures) == 0 else 'NOT met'})"
    )
    for f in failures[:5]:
        print(f"[{label}]   {f}")


def both(label: str, engine: Engine) -> None:
    judges, subs, crits = populate(engine)
    run(label, engine, judges, subs, crits, PACED_S, seed=0)
    run(label, engine, judges, subs, crits, None, seed=1000)


def main() -> None:
    for label, url in scratch_databases():
        engine = build_engine(url)
        upgrade_schema(engine)
        both(label, engine)
        engine.dispose()


if __name__ == "__main__":
    main()
