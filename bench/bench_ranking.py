"""National-scale results: the time to rank 10,000 submissions (25 judges in panels of 5, 11 criteria) with every
method against a same-rows SQL ranking (the stored sheet totals and frozen points the ranking itself reads, timed
alternately with it), every board checked against a reference computed from the raw scores; the dashboard page's
AppTest run time and the executive deck's export time for the 45 works of the 2564 demo; on SQLite and PostgreSQL.

BENCH_SUBMISSIONS=1000 for a quick run; BENCH_EDITIONS=3 keeps two earlier editions as big beside the one ranked (as
a deployment keeps its past years); BENCH_PAGES=0 leaves out the page and the deck; --db sqlite or --db
postgresql runs on one database only. --baseline COMMIT also ranks with the project as it was at COMMIT and as it is,
each in a worker process of its own on the same database, timed in the same alternation: the before and after of a
change to the ranking, round by round beside the same SQL baseline (this machine's speed drifts by a third within
minutes)."""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from databases import scratch_database  # bench/databases.py: this folder is on sys.path when run as a script

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
from services.contest.editions import get_edition
from services.judging import completeness
from services.judging import sheets as judging_sheets
from services.platform.db import build_engine, upgrade_schema
from services.results import ranking as results
from services.results import scoring

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", 10_000))
EDITIONS = int(os.environ.get("BENCH_EDITIONS", 1))  # national editions kept in the database; the newest is ranked
JUDGES = 25
PER_SUBMISSION = 5
CRITERIA = 11
RANK_GOAL_S = 1.0
RATIO_GOAL = 3.0
DECK_GOAL_S = 5.0
RANKING_DETAILS_TTL = "a minute"  # pages/_ui.py cached_work_details


def populate(engine: Engine, n: int = 0) -> int:
    """Bulk-insert the edition with Core inserts (the ORM would take minutes and measure nothing useful). n: the
    how-manyth edition kept, each with judges of its own and the same scores."""
    rng = random.Random(7)
    now = datetime(2026, 8, 1, tzinfo=UTC)
    with Session(engine) as s:
        ed = Edition(
            name=f"bench {n}" if n else "bench",
            year_be=2569 - EDITIONS + 1 + n,
            intake_opens_at=now,
            intake_closes_at=now.replace(day=31),
            golive_cutoff=date(2026, 2, 1),
            phase=Phase.judging,
        )
        s.add(ed)
        s.flush()
        assert ed.id is not None
        crits = [
            Criterion(
                edition_id=ed.id,
                position=i,
                code=f"c{i}",
                title_th=f"เกณฑ์ {i}",
                title_en=f"C{i}",
                max_points=10 if i <= 9 else 5,
            )
            for i in range(1, CRITERIA + 1)
        ]
        s.add_all(crits)
        judges = [
            User(username=f"bench-judge-{n}-{j}" if n else f"bench-judge-{j}", display_name=f"J{j}", role=Role.judge)
            for j in range(JUDGES)
        ]
        s.add_all(judges)
        org = s.exec(select(Organisation).where(Organisation.name == "bench")).first() or Organisation(
            org_type="ทต.", name="bench", full_name="เทศบาลตำบลbench", short_name="ทต.bench", province="เชียงราย"
        )  # the same organisation enters every year
        s.add(org)
        s.commit()
        edition_id, org_id = ed.id, org.id
        crit_ids = [(c.id, c.max_points) for c in crits]
        judge_ids = [j.id for j in judges]
    with engine.begin() as conn:
        conn.execute(
            sa.insert(Submission),
            [
                {
                    "edition_id": edition_id,
                    "organisation_id": org_id,
                    "title": f"ผลงาน {i}",
                    "category": "E-Service",
                    "status": "accepted",
                    "receipt_code": f"B{n or ''}-{i:06d}",
                    "edit_token_hash": "",
                    "declarations": {},
                    "answers": {},
                    "is_demo": False,
                    "created_at": now,
                    "updated_at": now,
                    "submitter_name": "",
                    "submitter_position": "",
                    "coordinator_name": "",
                    "coordinator_phone": "",
                    "coordinator_email": "",
                }
                for i in range(SUBMISSIONS)
            ],
        )
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
                    scores.append(
                        {
                            "judge_id": jid,
                            "submission_id": sid,
                            "criterion_id": cid,
                            "points": given[cid],
                            "comment": "",
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                frozen, total = judging_sheets.frozen_copy(given)  # as submitting the sheet would keep them
                sheets.append(
                    {
                        "judge_id": jid,
                        "submission_id": sid,
                        "state": "submitted",
                        "overall_comment": "",
                        "updated_at": now,
                        "submitted_at": now,
                        "submitted_points": frozen,
                        "submitted_total": total,
                    }
                )
        for table, rows in ((JudgeAssignment, assignments), (ScoreSheet, sheets), (Score, scores)):
            for i in range(0, len(rows), 20_000):
                conn.execute(sa.insert(table), rows[i : i + 20_000])
    return edition_id


def timed(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


@dataclass(frozen=True)
class Elsewhere:
    """What a contender run in another process returns: the CPU seconds it used there."""

    cpu: float


def alternate(
    contenders: dict[str, Callable[[], object]], rounds: int = 7, server_cpu: Callable[[], float] | None = None
) -> tuple[dict[str, float], dict[str, float]]:
    """Each contender's median time, wall clock and CPU (this process's, plus the database server's where
    server_cpu reads it, plus a worker's where the contender returns Elsewhere), timed in turn round after round,
    every other round in reverse (A B C, C B A, …): a burst of load from the other processes on this machine then
    falls on every contender alike instead of on whichever ran during it, and none always follows the same one."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    cpu: dict[str, list[float]] = {name: [] for name in contenders}
    for fn in contenders.values():  # one untimed run each: caches and the planner warm for all alike
        fn()
    for r in range(rounds):
        for name, fn in list(contenders.items())[:: -1 if r % 2 else 1]:
            s0 = server_cpu() if server_cpu else 0.0
            t0, c0 = time.perf_counter(), time.process_time()
            got = fn()
            times[name].append(time.perf_counter() - t0)
            c1 = time.process_time()
            away = got.cpu if isinstance(got, Elsewhere) else 0.0
            cpu[name].append(c1 - c0 + away + (server_cpu() - s0 if server_cpu else 0.0))
    return (
        {name: statistics.median(ts) for name, ts in times.items()},
        {name: statistics.median(ts) for name, ts in cpu.items()},
    )


class TreeRanking:
    """The ranking of one tree of the project (this one, or another commit's) in a worker process whose modules are
    that tree's, on the same database: run(method, detail) ranks as board() below does and returns the worker's CPU.
    --baseline runs this tree's ranking and the baseline's each in such a worker, so that both are timed alike (a
    fresh process with a small heap: the benchmark's own process holds the reference's 550,000 scores)."""

    def __init__(self, root: Path, url: str, edition_id: int) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("ranking_worker.py")), str(root), url, str(edition_id)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._in, self._out = self._proc.stdin, self._proc.stdout
        assert json.loads(self._out.readline())["ready"]

    def run(self, method: scoring.Method, detail: bool) -> Elsewhere:
        self._in.write(f"run {method.value} {int(detail)}\n")
        self._in.flush()
        return Elsewhere(json.loads(self._out.readline())["cpu"])

    def close(self) -> None:
        self._proc.communicate("quit\n", timeout=60)


def postgres_cpu(engine: Engine) -> Callable[[], float] | None:
    """With PostgreSQL on this machine, a reader of the CPU seconds its backends serving this database have used
    (/proc/PID/schedstat, in nanoseconds): the ratio of CPU times then counts the server's work, which on this
    shared machine is steadier than the wall clock. None elsewhere, or where the backends cannot be read."""
    if engine.dialect.name != "postgresql":
        return None
    pids_sql = sa.text(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'"
    )

    def read() -> float:
        with engine.connect() as conn:
            pids = conn.execute(pids_sql).scalars().all()
        total = 0
        for pid in pids:
            try:
                total += int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):  # ended since, or not on this machine
                continue
        return total / 1e9

    return read if read() > 0 else None


def _counted_sql(columns: str) -> str:
    """The plain-SQL twin of results._counted_sheets: submitted sheets of the edition's judgeable works, no conflict."""
    return (
        f"SELECT sh.submission_id, {columns} FROM scoresheet sh JOIN submission s ON s.id = sh.submission_id "
        "WHERE s.edition_id = :e AND s.status IN ('submitted', 'accepted') AND sh.state = 'submitted' "
        "AND NOT EXISTS (SELECT 1 FROM conflictofinterest c "
        "WHERE c.judge_id = sh.judge_id AND c.submission_id = sh.submission_id) "
        "GROUP BY sh.submission_id ORDER BY 2 DESC, sh.submission_id"
    )


def _frozen_sql(dialect: str, criterion_id: int) -> str:
    if dialect == "postgresql":
        return f"(sh.submitted_points ->> '{criterion_id}')::float"
    return f"json_extract(sh.submitted_points, '$.\"{criterion_id}\"')"


@dataclass(frozen=True)
class Reference:
    """The expected ranking, computed independently of services/results/scoring.py and of the frozen copies: from the
    raw scores, with the statistics module's exact arithmetic."""

    totals: dict[int, dict[int, float]]  # submission -> judge -> sheet total
    means: dict[int, dict[int, float]]  # submission -> criterion id -> mean points

    @classmethod
    def load(cls, engine: Engine, edition_id: int) -> Reference:
        points: dict[int, dict[int, dict[int, float]]] = {}
        with engine.connect() as conn:
            for sid, jid, cid, pts in conn.execute(
                sa.text(
                    "SELECT sc.submission_id, sc.judge_id, sc.criterion_id, sc.points FROM score sc "
                    "JOIN submission s ON s.id = sc.submission_id WHERE s.edition_id = :e"
                ),
                {"e": edition_id},
            ):
                points.setdefault(sid, {}).setdefault(jid, {})[cid] = float(pts)
        totals = {s: {j: sum(c.values()) for j, c in js.items()} for s, js in points.items()}
        means = {
            s: {c: statistics.mean(js[j][c] for j in js) for c in next(iter(js.values()))} for s, js in points.items()
        }
        return cls(totals, means)

    def scores(self, method: scoring.Method) -> dict[int, float]:
        if method is scoring.Method.zscore:
            by_judge: dict[int, list[float]] = {}
            for js in self.totals.values():
                for j, t in js.items():
                    by_judge.setdefault(j, []).append(t)
            centre = {j: statistics.mean(ts) for j, ts in by_judge.items()}
            sd = {j: statistics.pstdev(ts) for j, ts in by_judge.items()}
            return {
                s: min(100.0, max(0.0, 50 + 10 * statistics.mean((t - centre[j]) / sd[j] for j, t in js.items())))
                for s, js in self.totals.items()
            }
        out = {}
        for s, js in self.totals.items():
            values = sorted(js.values())
            if method is scoring.Method.median:
                out[s] = statistics.median(values)
            elif method is scoring.Method.trimmed_mean and len(values) >= 5:
                out[s] = statistics.mean(values[1:-1])
            else:
                out[s] = statistics.mean(values)
        return out

    def ranking(self, method: scoring.Method) -> list[tuple[int, int, float]]:
        """(submission, rank, score) in order: score down, then the bench edition's chain (its criteria have other
        codes than the default chain's, so only the smaller spread remains), then submission id."""
        scores = self.scores(method)
        key = {s: (-round(v, 6), round(statistics.pstdev(self.totals[s].values()), 6)) for s, v in scores.items()}
        order = sorted(scores, key=lambda s: (key[s], s))
        out, rank = [], 0
        for i, s in enumerate(order):
            if i == 0 or key[s] != key[order[i - 1]]:
                rank = i + 1
            out.append((s, rank, scores[s]))
        return out


def check(board: results.Leaderboard, reference: Reference, codes: dict[int, str], detail: bool) -> None:
    """The board against the reference: the same works in the same order with the same ranks and scores, and, with
    detail, every criterion's mean."""
    expected = reference.ranking(board.method)
    assert len(board.rows) == len(expected), (board.method, len(board.rows), len(expected))
    for row, (sid, rank, score) in zip(board.rows, expected, strict=True):
        assert (row.submission_id, row.rank) == (sid, rank), (board.method, row.submission_id, row.rank, sid, rank)
        assert abs(row.score - score) <= 0.005 + 1e-9, (board.method, sid, row.score, score)
        if detail:
            want = {codes[c]: v for c, v in reference.means[sid].items()}
            assert row.criterion_means.keys() == want.keys(), (sid, row.criterion_means, want)
            assert all(abs(row.criterion_means[c] - v) <= 1e-9 for c, v in want.items()), (sid, row.criterion_means)


def verdict(ratio: float, cpu_ratio: float | None = None) -> str:
    """The wall-clock ratio against the goal, and the CPU ratio where it is measured (on SQLite this process's, where
    the database works; on PostgreSQL this process's plus its backends'): the steadier figure when other processes
    load the machine."""
    cpu = f"; CPU {cpu_ratio:4.1f}× {'PASS' if cpu_ratio <= RATIO_GOAL else 'MISS'}" if cpu_ratio is not None else ""
    return f"{ratio:4.1f}× (goal ≤ {RATIO_GOAL:.0f}×) {'PASS' if ratio <= RATIO_GOAL else 'MISS'}{cpu}"


def bench(label: str, engine: Engine, url: str, *, pages: bool = True, baseline: str = "") -> None:
    upgrade_schema(engine)
    t0 = time.perf_counter()
    edition_id = [populate(engine, n) for n in range(EDITIONS)][-1]
    if engine.dialect.name == "postgresql":
        # Fresh planner statistics and visibility map, as autovacuum gives a live database after a bulk load.
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(sa.text("VACUUM ANALYZE"))
            # The bulk load's dirty pages written out now, not by the checkpointer while the ranking is timed.
            conn.execute(sa.text("CHECKPOINT"))
    print(
        f"[{label}] populated {SUBMISSIONS:,} submissions × {PER_SUBMISSION} judges × {CRITERIA} criteria "
        f"= {SUBMISSIONS * PER_SUBMISSION * CRITERIA:,} scores"
        + (f", and {EDITIONS - 1} earlier editions as big kept beside it," if EDITIONS > 1 else "")
        + f" in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    with Session(engine) as s:
        criteria = get_edition(session=s, edition_id=edition_id).scored_criteria
    codes = {c.id: c.code for c in criteria}
    t0 = time.perf_counter()
    reference = Reference.load(engine, edition_id)
    print(f"[{label}] reference ranking from the raw scores (statistics module): {time.perf_counter() - t0:.1f} s")

    # Every method's board checked against the reference, ranking alone and with the per-criterion means.
    with Session(engine) as s:
        for method in scoring.Method:
            check(
                results.leaderboard(session=s, edition_id=edition_id, method=method, criterion_detail=False),
                reference,
                codes,
                detail=False,
            )
            check(results.leaderboard(session=s, edition_id=edition_id, method=method), reference, codes, detail=True)
        boards = results.leaderboards(session=s, edition_id=edition_id)
        for board in boards.values():
            check(board, reference, codes, detail=True)
    print(
        f"[{label}] every method's board (alone, with per-criterion means, and side by side) equals the reference: "
        f"order, ranks, scores and means"
    )

    dialect = engine.dialect.name
    totals_sql = sa.text(_counted_sql("AVG(sh.submitted_total)"))
    means_sql = sa.text(
        _counted_sql(", ".join(["AVG(sh.submitted_total)"] + [f"AVG({_frozen_sql(dialect, c.id)})" for c in criteria]))
    )
    with engine.connect() as conn:  # the baselines read what the reference expects
        got = conn.execute(means_sql, {"e": edition_id}).all()
    mean_scores = reference.scores(scoring.Method.mean)
    assert len(got) == SUBMISSIONS and all(abs(r[1] - mean_scores[r[0]]) < 1e-9 for r in got)
    assert all(abs(v - reference.means[r[0]][c.id]) < 1e-9 for r in got for c, v in zip(criteria, r[2:], strict=True))

    def sql(stmt: Any) -> Callable[[], object]:
        def run() -> object:
            with engine.connect() as conn:
                return conn.execute(stmt, {"e": edition_id}).all()

        return run

    with Session(engine) as s:
        works = results.work_details(session=s, edition_id=edition_id)

    def board(method: scoring.Method, detail: bool) -> Callable[[], object]:
        # As the dashboard ranks: the works' details (titles, organisations, regions) from its longer-lived copy.
        def run() -> object:
            with Session(engine) as s:
                return results.leaderboard(
                    session=s, edition_id=edition_id, method=method, criterion_detail=detail, works=works
                )

        return run

    def details() -> object:
        with Session(engine) as s:
            return results.work_details(session=s, edition_id=edition_id)

    def every_method() -> object:
        with Session(engine) as s:
            detail = results.criterion_means(session=s, edition_id=edition_id)
            return results.leaderboards(session=s, edition_id=edition_id, detail=detail, works=works)

    def desk() -> object:
        with Session(engine) as s:
            return completeness.edition_completeness(session=s, edition_id=edition_id)

    with Session(engine) as s:
        counted = results.sheet_table(session=s, edition_id=edition_id).totals

    def quorum() -> object:
        with Session(engine) as s:
            return completeness.quorum_of_counted(session=s, edition_id=edition_id, counted=counted)

    old_join = sa.text(
        "SELECT s.submission_id, SUM(s.points) FROM score s JOIN criterion c ON c.id = s.criterion_id "
        "WHERE c.edition_id = :e GROUP BY s.submission_id"
    )
    bare = sa.text(
        "SELECT s.submission_id, SUM(s.points) FROM score s JOIN submission w ON w.id = s.submission_id "
        "WHERE w.edition_id = :e GROUP BY s.submission_id"
    )

    # Ranking alone: one baseline, every method, and the completeness read model the ranking now includes.
    # The CPU ratio beside the wall clock's: this process's CPU on SQLite, where the database works in it; on
    # PostgreSQL also the server backends' (postgres_cpu), when they run on this machine.
    server_cpu = postgres_cpu(engine)
    with_cpu = engine.dialect.name == "sqlite" or server_cpu is not None
    with ExitStack() as stack:
        trees = _tree_rankings(stack, baseline, url, edition_id)
        t, c = alternate(
            {
                "baseline": sql(totals_sql),
                **paired(board, trees, False),
                "quorum": quorum,
                "details": details,
                "desk": desk,
                "bare": sql(bare),
                "old": sql(old_join),
            },
            server_cpu=server_cpu,
        )
    base = t["baseline"]
    print(
        f"[{label}] same-rows SQL ranking (mean of {SUBMISSIONS * PER_SUBMISSION:,} stored sheet totals per work, "
        f"ordered): {base * 1000:.0f} ms"
    )
    for m in scoring.Method:
        print(
            f"[{label}]   ranking {m.value:<12} {t[m.value] * 1000:6.0f} ms  "
            f"{verdict(t[m.value] / base, c[m.value] / c['baseline'] if with_cpu else None)}"
        )
        print_then(label, m.value, baseline, t, c, with_cpu)
    print(
        f"[{label}]   of which the quorum of the ranked works (the assignments that have no submitted "
        f"sheets): {t['quorum'] * 1000:.0f} ms ({t['quorum'] / base:.1f}× the baseline); the completeness desk's "
        f"read model (five queries, every work and judge): {t['desk'] * 1000:.0f} ms"
    )
    print(
        f"[{label}]   not in the ranking: the works' details (titles, organisations, regions; the dashboard keeps "
        f"them {RANKING_DETAILS_TTL}): {t['details'] * 1000:.0f} ms ({t['details'] / base:.1f}× the baseline)"
    )
    print(
        f"[{label}] for comparison only, other rows: bare GROUP BY over the "
        f"{SUBMISSIONS * PER_SUBMISSION * CRITERIA:,} raw scores {t['bare'] * 1000:.0f} ms; "
        f"the old baseline (the same joined to criterion, a slow path) {t['old'] * 1000:.0f} ms"
    )

    # With every work's per-criterion means: the baseline averages the same frozen points in SQL.
    with ExitStack() as stack:
        trees = _tree_rankings(stack, baseline, url, edition_id)
        t, c = alternate(
            {
                "baseline": sql(means_sql),
                **paired(board, trees, True),
                "every": every_method,
            },
            server_cpu=server_cpu,
        )
    base = t["baseline"]
    print(
        f"[{label}] same-rows SQL ranking with the {CRITERIA} per-criterion means (the same frozen points): "
        f"{base * 1000:.0f} ms"
    )
    for m in scoring.Method:
        print(
            f"[{label}]   ranking {m.value:<12} with means {t[m.value] * 1000:6.0f} ms  "
            f"{verdict(t[m.value] / base, c[m.value] / c['baseline'] if with_cpu else None)}"
        )
        print_then(label, m.value, baseline, t, c, with_cpu)
    print(
        f"[{label}]   every method side by side, means computed once (the dashboard's comparison): "
        f"{t['every'] * 1000:.0f} ms ({t['every'] / base:.1f}× one baseline run; "
        f"{t['every'] / (base * len(scoring.Method)):.1f}× one per method)"
    )
    print(
        f"[{label}] machine load average (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
        f"on {os.cpu_count()} cores"
    )
    found: list[results.Agreement] = []

    def agreement() -> None:
        with Session(engine) as s:
            found.append(results.agreement(session=s, edition_id=edition_id))

    t1 = timed(agreement, runs=3)
    a = found[-1]
    assert a.panels == JUDGES // PER_SUBMISSION and a.submissions == SUBMISSIONS and a.kendalls_w is not None
    print(
        f"[{label}] judge agreement within {a.panels} panels of {PER_SUBMISSION} judges, overall and per criterion "
        f"(the dashboard keeps it a minute): {t1:.2f} s (W {a.kendalls_w:.2f}, ICC {a.icc:.2f})"
    )
    if pages:
        dashboard(label, engine, url)
        deck(label, engine)


def paired(
    board: Callable[[scoring.Method, bool], Callable[[], object]], trees: dict[str, TreeRanking], detail: bool
) -> dict[str, Callable[[], object]]:
    """Each method's ranking, each followed by the same in each tree's worker (--baseline: "now" and "then")."""
    out: dict[str, Callable[[], object]] = {}
    for m in scoring.Method:
        out[m.value] = board(m, detail)
        for tree, ranking in trees.items():
            out[f"{m.value} {tree}"] = partial(ranking.run, m, detail)
    return out


def _tree_rankings(stack: ExitStack, commit: str, url: str, edition_id: int) -> dict[str, TreeRanking]:
    """This tree's ranking and the one at commit, each in its worker (closed with stack); none without a commit."""
    if not commit:
        return {}
    from load_judges import baseline_tree  # bench/: on sys.path when run as a script

    trees = {"now": ROOT, "then": stack.enter_context(baseline_tree(commit))}
    out = {tree: TreeRanking(root, url, edition_id) for tree, root in trees.items()}
    for ranking in out.values():
        stack.callback(ranking.close)
    return out


def print_then(label: str, method: str, commit: str, t: dict[str, float], c: dict[str, float], with_cpu: bool) -> None:
    """The same method as ranked at commit (--baseline), against the same SQL baseline, and now / then with both
    ranked in workers alike."""
    if not commit:
        return
    now, then, base = f"{method} now", f"{method} then", t["baseline"]
    cpu = f"; CPU {c[then] / c['baseline']:4.1f}×" if with_cpu else ""
    now_cpu = f", CPU {c[now] / c[then]:.2f}" if with_cpu else ""
    print(
        f"[{label}]     at {commit:<10} {t[then] * 1000:6.0f} ms  {t[then] / base:4.1f}×{cpu}"
        f"  (now / then, each in a worker: wall {t[now] / t[then]:.2f}{now_cpu})"
    )


def dashboard(label: str, engine: Engine, url: str) -> None:
    """The leaderboard page as an executive sees it, run by AppTest against this database."""
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    from services.platform import auth
    from services.platform.settings import get_settings

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
    print(
        f"[{label}] dashboard page (AppTest, executive, {SUBMISSIONS:,} works): first run {times[0]:.2f} s, "
        f"cached run {times[1]:.2f} s"
    )


def deck(label: str, engine: Engine) -> None:
    """The executive deck of the 45 works of 2564, from the database to .pptx bytes."""
    from services.contest import demo
    from services.results import exec_deck

    with Session(engine) as s:
        edition_id = demo.load_demo(session=s).edition_id

    def build() -> None:
        with Session(engine) as s:
            exec_deck.build_deck(exec_deck.deck_data(session=s, edition_id=edition_id))

    t = timed(build)
    verdict = "ok" if t <= DECK_GOAL_S else "MISSED"
    print(f"[{label}] executive deck for 45 works: {t:.2f} s (goal ≤ {DECK_GOAL_S:.0f} s) {verdict}")


def main() -> None:
    if len(sys.argv) == 4 and "://" in sys.argv[2]:  # one database here: bench_ranking.py LABEL URL BASELINE
        label, url, baseline = sys.argv[1:]
        engine = build_engine(url)
        bench(label, engine, url, pages=os.environ.get("BENCH_PAGES", "1") != "0", baseline=baseline)
        engine.dispose()
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--db",
        choices=("sqlite", "postgresql", "both"),
        default="both",
        help="the database(s) to run on, each a scratch one made and dropped here (default: both; PostgreSQL at "
        "TEST_POSTGRES_URL or 127.0.0.1:5432, skipped with the reason when none answers)",
    )
    parser.add_argument(
        "--baseline",
        default="",
        metavar="COMMIT",
        help="also rank with the project as it was at COMMIT (git archive; a worker process on the same database), "
        "in the same alternation",
    )
    args = parser.parse_args()
    kinds = {"sqlite": ["SQLite"], "postgresql": ["PostgreSQL"], "both": ["SQLite", "PostgreSQL"]}
    for kind in kinds[args.db]:
        # Each database in a process of its own: the first one's leftovers (the AppTest run's caches and threads, a
        # heap grown by the bulk load) would otherwise weigh on the second one's figures.
        try:
            with scratch_database(kind) as url:
                subprocess.run([sys.executable, __file__, kind, url, args.baseline], check=True)
        except ConnectionError as e:  # no server here: say so
            print(f"[{kind}] skipped: {e}")


if __name__ == "__main__":
    main()
