"""National-scale results: the time to rank 10,000 submissions (25 judges in panels of 5, 11 criteria) with every
method against a bare SQL GROUP BY, the dashboard page's AppTest run time, and the executive deck's export time for the
45 works of the 2564 demo; on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from databases import scratch_databases  # bench/databases.py: this folder is on sys.path when run as a script

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
from services import judging, results, scoring
from services.db import build_engine, upgrade_schema

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", 10_000))
JUDGES = 25
PER_SUBMISSION = 5
CRITERIA = 11
RANK_GOAL_S = 1.0
RATIO_GOAL = 3.0
DECK_GOAL_S = 5.0


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
                given = {}
                for cid, mx in crit_ids:
                    given[cid] = round(min(1, max(0, quality + rng.gauss(0, 0.1))) * mx * 2) / 2
                    scores.append({"judge_id": jid, "submission_id": sid, "criterion_id": cid, "points": given[cid],
                                   "comment": "", "created_at": now, "updated_at": now})
                frozen, total = judging.frozen_copy(given)  # as submitting the sheet would keep them
                sheets.append({"judge_id": jid, "submission_id": sid, "state": "submitted", "overall_comment": "",
                               "updated_at": now, "submitted_at": now, "submitted_points": frozen,
                               "submitted_total": total})
        for table, rows in ((JudgeAssignment, assignments), (ScoreSheet, sheets), (Score, scores)):
            for i in range(0, len(rows), 20_000):
                conn.execute(sa.insert(table), rows[i:i + 20_000])
    return edition_id


def timed(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench(label: str, engine: Engine, url: str) -> None:
    upgrade_schema(engine)
    t0 = time.perf_counter()
    edition_id = populate(engine)
    if engine.dialect.name == "postgresql":
        # Fresh planner statistics and visibility map, as autovacuum gives a live database after a bulk load.
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(sa.text("VACUUM ANALYZE"))
            # The bulk load's dirty pages written out now, not by the checkpointer while the ranking is timed.
            conn.execute(sa.text("CHECKPOINT"))
    print(f"[{label}] populated {SUBMISSIONS:,} submissions × {PER_SUBMISSION} judges × {CRITERIA} criteria "
          f"= {SUBMISSIONS * PER_SUBMISSION * CRITERIA:,} scores in {time.perf_counter() - t0:.1f} s")

    def group_by() -> None:
        with engine.connect() as conn:
            conn.execute(sa.text(
                "SELECT s.submission_id, SUM(s.points) FROM score s JOIN criterion c ON c.id = s.criterion_id "
                "WHERE c.edition_id = :e GROUP BY s.submission_id"), {"e": edition_id}).all()

    base = timed(group_by)
    print(f"[{label}] bare SQL GROUP BY sum over the 550,000 scores: {base * 1000:.0f} ms")
    for method in scoring.Method:
        def run(method: scoring.Method = method) -> None:
            with Session(engine) as s:
                board = results.leaderboard(session=s, edition_id=edition_id, method=method, criterion_detail=False)
                assert len(board.rows) == SUBMISSIONS
        t = timed(run)
        verdict = "ok" if t <= RANK_GOAL_S and t / base <= RATIO_GOAL else "MISSED"
        print(f"[{label}] ranking {method.value:<12}: {t * 1000:6.0f} ms  (goal ≤ {RANK_GOAL_S:.0f} s; "
              f"{t / base:.1f}× the GROUP BY, goal ≤ {RATIO_GOAL:.0f}×) {verdict}")

    def means() -> None:
        with Session(engine) as s:
            assert len(results.criterion_means(session=s, edition_id=edition_id)) == SUBMISSIONS

    detail = timed(means)
    print(f"[{label}] per-criterion means of every work (the same for every method; the dashboard computes them once "
          f"per refresh): {detail * 1000:.0f} ms ({detail / base:.1f}× the GROUP BY)")

    def every_method() -> None:
        with Session(engine) as s:
            detail = results.criterion_means(session=s, edition_id=edition_id)
            boards = results.leaderboards(session=s, edition_id=edition_id, detail=detail)
            assert all(len(b.rows) == SUBMISSIONS for b in boards.values())

    together = timed(every_method)
    verdict = "ok" if together <= RANK_GOAL_S else "MISSED"
    print(f"[{label}] every method side by side, with the per-criterion means (the dashboard's comparison): "
          f"{together * 1000:.0f} ms (goal ≤ {RANK_GOAL_S:.0f} s) {verdict}")
    found: list[results.Agreement] = []

    def agreement() -> None:
        with Session(engine) as s:
            found.append(results.agreement(session=s, edition_id=edition_id))

    t = timed(agreement, runs=3)
    a = found[-1]
    assert a.panels == JUDGES // PER_SUBMISSION and a.submissions == SUBMISSIONS and a.kendalls_w is not None
    print(f"[{label}] judge agreement within {a.panels} panels of {PER_SUBMISSION} judges, overall and per criterion "
          f"(the dashboard keeps it a minute): {t:.2f} s (W {a.kendalls_w:.2f}, ICC {a.icc:.2f})")
    dashboard(label, engine, url)
    deck(label, engine)


def dashboard(label: str, engine: Engine, url: str) -> None:
    """The leaderboard page as an executive sees it, run by AppTest against this database."""
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    from services import auth
    from services.settings import get_settings

    with Session(engine) as s:
        user = User(username="bench-executive", display_name="ผู้บริหาร", role=Role.executive)
        s.add(user)
        s.commit()
        account = auth.Account.of(user)
    set_log_level("error")  # AppTest outside a server warns about a missing script context on every cache call
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    times = []
    for _ in range(2):  # the first run also builds the engine and the caches
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state["account"] = account
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, [e.message for e in at.exception]
    print(f"[{label}] dashboard page (AppTest, executive, {SUBMISSIONS:,} works): first run {times[0]:.2f} s, "
          f"cached run {times[1]:.2f} s")


def deck(label: str, engine: Engine) -> None:
    """The executive deck of the 45 works of 2564, from the database to .pptx bytes."""
    from services import demo, exec_deck

    with Session(engine) as s:
        edition_id = demo.load_demo(session=s).edition_id

    def build() -> None:
        with Session(engine) as s:
            exec_deck.build_deck(exec_deck.deck_data(session=s, edition_id=edition_id))

    t = timed(build)
    verdict = "ok" if t <= DECK_GOAL_S else "MISSED"
    print(f"[{label}] executive deck for 45 works: {t:.2f} s (goal ≤ {DECK_GOAL_S:.0f} s) {verdict}")


def main() -> None:
    if len(sys.argv) == 3:  # one database, in this process: python bench_ranking.py LABEL URL
        label, url = sys.argv[1:]
        engine = build_engine(url)
        bench(label, engine, url)
        engine.dispose()
        return
    for label, url in scratch_databases():
        # Each database in a process of its own: the first one's leftovers (the AppTest run's caches and threads, a
        # heap grown by the bulk load) would otherwise weigh on the second one's figures.
        subprocess.run([sys.executable, __file__, label, url], check=True)


if __name__ == "__main__":
    main()
