"""CPU of one follow: the judge page's work area run again when the live session presents the next work (issue 18).

    bench/bench_follow_run.py [--db sqlite|postgres] [--judges 8] [--advances 10] [--baseline COMMIT]

Two app servers side by side (`streamlit run asgi.py`), each over its own scratch copy of the 2564 demo with a live
session and slide pictures (bench/load_judges.py's preparation): the project at --baseline (from `git archive`) and
the project as it is. On each, --judges virtual judges sign in over Streamlit's websocket (load_judges.VirtualJudge).
Then, for each of --advances works of the day, alternately on one server and the other (A B, B A, ...), every judge
asks the page to follow that work, one after another, as the live banner's trigger does (a run of the work area
fragment): the first judge in a process finds nothing of that work shared yet ("first"), the others come after it
("following"). The server's CPU (utime + stime from /proc) and each run's round trip are noted. /proc counts CPU in
clock ticks (10 ms), longer than a run, so the CPU figures are means over every run of their kind (the sum of the
ticks over the runs), printed with the ratio now/baseline and what a burst of 50 following pages costs one process
(first + 49 following).

The goal it serves: 100 judges on two processes follow within p95 1.5 s (docs/reliability.md, "Cheaper follows").
Loopback only; the databases are scratch ones, gone afterwards. Quiet machine preferred: the load average is
printed before and after."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
from contextlib import AsyncExitStack, ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from bench.databases import scratch_database  # noqa: E402
from bench.load_judges import (  # noqa: E402
    ServerMeter,
    Tally,
    VirtualJudge,
    baseline_tree,
    prepare,
    prepare_pictures,
    serve_process,
    sheet_on_screen,
)
from services.contest.editions import current_edition  # noqa: E402
from services.pitching import schedule  # noqa: E402
from services.platform.db import build_engine  # noqa: E402

BURST = 50  # following pages per process at each advance: 100 judges on two processes
BASELINE = "d4ebee5"  # main before the follow was made cheap


@dataclass
class Side:
    """One server and its judges' open pages."""

    name: str
    pid: int
    judges: list[tuple[VirtualJudge, object]]  # (judge, its websocket)
    first_ms: list[float] = field(default_factory=list)  # CPU of the first follow of a work in this process
    following_ms: list[float] = field(default_factory=list)  # CPU of the following ones, one figure per advance
    following_runs: int = 0
    wall_ms: list[float] = field(default_factory=list)  # every run's round trip

    def cpu_s(self) -> float:
        return ServerMeter._cpu(self.pid)


def day_works(url: str, count: int) -> list[int]:
    """The day's works after the one on stage (their sheets are open for every judge: load_judges.prepare)."""
    engine = build_engine(url)
    with Session(engine) as session:
        edition = current_edition(session=session)
        assert edition is not None
        day = schedule.schedule(session=session, edition_id=edition.id)[0]
        works = [p.work.submission_id for p in day.pitches[1 : count + 1] if p.work is not None]
    engine.dispose()
    return works


async def follow(judge: VirtualJudge, ws: object, work: int) -> float:
    """One follow as the banner asks for it; the round trip in ms. The page must then show that work's sheet."""
    trigger = WidgetState(id=judge.live_trigger_id)
    trigger.json_trigger_value = json.dumps([{"event": "follow", "value": work}])
    ms = await judge.rerun(ws, [trigger], fragment_id=judge.live_fragment, auto=False)  # type: ignore[arg-type]
    shown = sheet_on_screen(judge.components)
    if shown is None or shown[0] != work:
        raise RuntimeError(f"{judge.username}: the page shows {shown and shown[0]}, not work {work}")
    return ms


async def advance(side: Side, work: int) -> None:
    (first, first_ws), rest = side.judges[0], side.judges[1:]
    began = side.cpu_s()
    side.wall_ms.append(await follow(first, first_ws, work))
    between = side.cpu_s()
    for judge, ws in rest:
        side.wall_ms.append(await follow(judge, ws, work))
    side.first_ms.append(1000 * (between - began))
    side.following_ms.append(1000 * (side.cpu_s() - between))
    side.following_runs += len(rest)


async def measure(servers: list[tuple[str, str, int, list[str]]], works: list[int]) -> list[Side]:
    async with AsyncExitStack() as stack:
        sides = []
        for name, base_url, pid, usernames in servers:
            judges = []
            for n, username in enumerate(usernames):
                judge = VirtualJudge(base_url, username, Tally(), __import__("random").Random(n))
                ws = await stack.enter_async_context(judge.connect())
                reader = asyncio.create_task(judge._read(ws))
                stack.callback(reader.cancel)
                await judge.sign_in(ws)
                if not judge.live_trigger_id:
                    raise RuntimeError(f"{name}: no live banner on {username}'s page")
                judges.append((judge, ws))
            sides.append(Side(name, pid, judges))
        for side in sides:  # one follow each to warm what every run shares (imports, the engine, statements)
            for judge, ws in side.judges:
                await follow(judge, ws, works[-1])
        for i, work in enumerate(works[:-1]):
            for side in sides if i % 2 == 0 else reversed(sides):
                await advance(side, work)
        return sides


@contextmanager
def server(kind: str, judges: int, root: Path, log: Path) -> object:
    with ExitStack() as stack:
        url = stack.enter_context(scratch_database(kind))
        usernames = prepare(url, judges, live_session=True)
        slides = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "slides"
        prepare_pictures(url, slides)
        base_url, proc = stack.enter_context(serve_process(url, log, {"LDAWARD_SLIDES_DIR": str(slides)}, root=root))
        yield url, base_url, proc.pid, usernames


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def mean(values: list[float], runs: int | None = None) -> float:
    return sum(values) / (runs if runs is not None else len(values)) if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--judges", type=int, default=8, help="judges following on each server")
    parser.add_argument("--advances", type=int, default=10, help="works presented (the median is over these)")
    parser.add_argument("--baseline", default=BASELINE, help="the commit to compare with (git archive)")
    parser.add_argument("--log-dir", type=Path, help="keep the servers' logs here")
    args = parser.parse_args()
    kind = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[args.db]
    print(f"load average before: {' '.join(os.getloadavg().__repr__()[1:-1].split(', '))}", flush=True)
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        logs = args.log_dir or Path(tmp)
        old_root = stack.enter_context(baseline_tree(args.baseline))
        old = stack.enter_context(server(kind, args.judges, old_root, logs / "follow-run-baseline.log"))
        new = stack.enter_context(server(kind, args.judges, ROOT, logs / "follow-run-now.log"))
        works = day_works(new[0], args.advances + 1)
        if works != day_works(old[0], args.advances + 1):
            raise RuntimeError("the two demo databases present different works")
        sides = asyncio.run(
            measure(
                [(f"baseline {args.baseline}", old[1], old[2], old[3]), ("now", new[1], new[2], new[3])],
                works,
            )
        )
    print(f"load average after: {' '.join(os.getloadavg().__repr__()[1:-1].split(', '))}")
    print(
        f"[{kind}] {args.judges} judges per server, {len(works) - 1} works followed, alternately; "
        "server CPU per work-area run (mean, ms) and the round trip of every run (median)"
    )
    for side in sides:
        first, following = mean(side.first_ms), mean(side.following_ms, side.following_runs)
        burst = first + (BURST - 1) * following
        print(
            f"  {side.name:>18}: first {first:6.1f} ms, following {following:6.1f} ms, "
            f"round trip p50 {med(side.wall_ms):6.1f} ms; a burst of {BURST} pages: {burst / 1000:.2f} s of CPU"
        )
    base, now = sides
    print(
        f"  now / baseline: first {mean(now.first_ms) / mean(base.first_ms):.2f}, following "
        f"{mean(now.following_ms, now.following_runs) / mean(base.following_ms, base.following_runs):.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
