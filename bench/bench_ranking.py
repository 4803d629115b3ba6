"""National-scale ranking: time to rank 10,000 submissions with every method, against a bare SQL GROUP BY."""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models import (
    Criterion,
    Edition,
    JudgeAssignment,
    Organisation,
    Phase,
    Role,
    Score,
    ScoreSheet,
    Submission,
    User,
)
from services import results, scoring
from services.db import build_engine, upgrade_schema

SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", 10_000))
JUDGES = 25
PER_SUBMISSION = 5
CRITERIA = 11
RANK_GOAL_S = 1.0
RATIO_GOAL = 3.0
PG_ADMIN = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def populate(engine: Engine) -> int:
    """Bulk-insert the edition with Core inserts (the ORM would take minutes and measure nothing useful)."""
    rng = random.Random(7)
    now = datetime(2026, 8, 1, tzinfo=UTC)
    with Session(engine) as s:
        ed = Edition(name="bench", year_be=2569, intake_opens_at=now, intake_closes_at=now.replace(day=31),
                     golive_cutoff=date(2026, 2, 1), phase=Phase.judging)
        s.add(ed)
        s.flush()
        assert ed.id is not None
        crits = [Criterion(edition_id=ed.id, position=i, code=f"c{i}", title_th=f"เกณฑ์ {i}", title_en=f"C{i}",
                           max_points=10 if i <= 9 else 5) for i in range(1, CRITERIA + 1)]
        s.add_all(crits)
        judges = [User(username=f"bench-judge-{j}", display_name=f"J{j}", role=Role.judge) for j in range(JUDGES)]
        s.add_all(judges)
        org = Organisation(org_type="ทต.", name="bench", full_name="เทศบาลตำบลbench", short_name="ทต.bench",
                           province="เชียงราย")
        s.add(org)
        s.commit()
        edition_id, org_id = ed.id, org.id
        crit_ids = [(c.id, c.max_points) for c in crits]
        judge_ids = [j.id for j in judges]
    with engine.begin() as conn:
        conn.execute(sa.insert(Submission), [
            {"edition_id": edition_id, "organisation_id": org_id, "title": f"ผลงาน {i}", "category": "E-Service",
             "status": "accepted", "receipt_code": f"B-{i:06d}", "edit_token_hash": "", "declarations": {},
             "answers": {}, "is_demo": False, "created_at": now, "updated_at": now, "submitter_name": "",
             "submitter_position": "", "coordinator_name": "", "coordinator_phone": "", "coordinator_email": ""}
            for i in range(SUBMISSIONS)])
        sub_ids = [r[0] for r in conn.execute(sa.select(Submission.id).where(Submission.edition_id == edition_id))]
        assignments, sheets, scores = [], [], []
        for n, sid in enumerate(sub_ids):
            quality = rng.uniform(0.4, 0.9)
            for k in range(PER_SUBMISSION):
                jid = judge_ids[(n + k * 5) % JUDGES]
                assignments.append({"judge_id": jid, "submission_id": sid, "created_at": now})
                sheets.append({"judge_id": jid, "submission_id": sid, "state": "submitted", "overall_comment": "",
                               "updated_at": now, "submitted_at": now})
                for cid, mx in crit_ids:
                    pts = round(min(1, max(0, quality + rng.gauss(0, 0.1))) * mx * 2) / 2
                    scores.append({"judge_id": jid, "submission_id": sid, "criterion_id": cid, "points": pts,
                                   "comment": "", "created_at": now, "updated_at": now})
        for table, rows in ((JudgeAssignment, assignments), (ScoreSheet, sheets), (Score, scores)):
            for i in range(0, len(rows), 20_000):
                conn.execute(sa.insert(table), rows[i:i + 20_000])
    return edition_id


def timed(fn, runs: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench(label: str, engine: Engine) -> None:
    upgrade_schema(engine)
    t0 = time.perf_counter()
    edition_id = populate(engine)
    print(f"[{label}] populated {SUBMISSIONS:,} submissions × {PER_SUBMISSION} judges × {CRITERIA} criteria "
          f"= {SUBMISSIONS * PER_SUBMISSION * CRITERIA:,} scores in {time.perf_counter() - t0:.1f} s")

    def group_by() -> None:
        with engine.connect() as conn:
            conn.execute(sa.text(
                "SELECT s.submission_id, SUM(s.points) FROM score s JOIN criterion c ON c.id = s.criterion_id "
                "WHERE c.edition_id = :e GROUP BY s.submission_id"), {"e": edition_id}).all()

    base = timed(group_by)
    print(f"[{label}] bare SQL GROUP BY sum: {base * 1000:.0f} ms")
    all_methods = 0.0
    for method in scoring.Method:
        def run(method: scoring.Method = method) -> None:
            with Session(engine) as s:
                board = results.leaderboard(session=s, edition_id=edition_id, method=method)
                assert len(board.rows) == SUBMISSIONS
        t = timed(run)
        all_methods += t
        print(f"[{label}] full ranking, {method.value:<12}: {t * 1000:6.0f} ms  "
              f"(goal ≤ {RANK_GOAL_S:.0f} s: {t / RANK_GOAL_S:.2f}× of goal; {t / base:.1f}× the GROUP BY, "
              f"goal ≤ {RATIO_GOAL:.0f}×)")
    print(f"[{label}] all four methods together: {all_methods:.2f} s")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = build_engine(f"sqlite:///{tmp}/bench.db")
        bench("SQLite", engine)
        engine.dispose()
    name = f"ldaward_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except Exception as e:  # no server here: say so and stop
        print(f"[PostgreSQL] skipped: {type(e).__name__}: {e}")
        return
    try:
        engine = build_engine(str(make_url(PG_ADMIN).set(database=name)))
        bench("PostgreSQL", engine)
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
