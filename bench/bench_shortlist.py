"""A national two-round edition's shortlist: the time to preview and freeze the documents round's top 300 of 10,000
works (25 judges in panels of 5, bench_ranking's edition) with each work's bootstrap chance of being above the cut,
on SQLite (BENCH_DB=PostgreSQL for PostgreSQL). BENCH_SUBMISSIONS=1000 for a quick run; BENCH_SAMPLES the
replicates (default 100 and 500)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_ranking import populate  # bench/: on sys.path when run as a script
from databases import scratch_database

from services.judging import rounds
from services.platform.db import build_engine, upgrade_schema
from services.results import advance

CUT = int(os.environ.get("BENCH_CUT", 300))
SAMPLES = [int(s) for s in os.environ.get("BENCH_SAMPLES", "100,500").split(",")]


def main() -> None:
    with scratch_database(os.environ.get("BENCH_DB", "SQLite")) as url:
        engine = build_engine(url)
        upgrade_schema(engine)
        edition_id = populate(engine)
        with Session(engine) as s:
            rounds.add_round(session=s, edition_id=edition_id, name_th="รอบนำเสนอ", actor="bench")
        for samples in SAMPLES:
            with Session(engine) as s:
                start = time.perf_counter()
                preview = advance.shortlist(session=s, edition_id=edition_id, rule="top_n", n=CUT, samples=samples)
                took = time.perf_counter() - start
            stable = preview.stability.stable if preview.stability else None
            print(
                f"preview top {CUT} of {len(preview.rows)} works, {samples} replicates: {took:.1f} s "
                f"(cut stable: {stable})"
            )
        with Session(engine) as s:
            start = time.perf_counter()
            frozen = advance.freeze(
                session=s, edition_id=edition_id, rule="top_n", n=CUT, actor="bench", samples=SAMPLES[0]
            )
            took = time.perf_counter() - start
        print(f"freeze with {SAMPLES[0]} replicates ({len(frozen.advancing)} advanced, the rest told): {took:.1f} s")
        engine.dispose()


if __name__ == "__main__":
    main()
