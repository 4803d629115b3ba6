"""bench_ranking.py --baseline's worker: the ranking of one tree of the project (the baseline commit's, from git
archive), on the parent's database, run on request so that the parent can time it in its own alternation.

    ranking_worker.py ROOT URL EDITION_ID    then on stdin: "run METHOD DETAIL" (DETAIL 0 or 1) ... "quit"

It imports nothing of the project before ROOT is first on sys.path, so every module it ranks with is that tree's.
Each run answers one JSON line with the CPU seconds this process spent on it."""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    root, url, edition_id = sys.argv[1], sys.argv[2], int(sys.argv[3])
    sys.path.insert(0, root)
    from sqlmodel import Session

    from services.platform.db import build_engine
    from services.results import ranking

    engine = build_engine(url)
    with Session(engine) as s:  # as the dashboard ranks: the works' details from its longer-lived copy
        works = ranking.work_details(session=s, edition_id=edition_id)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if not line.startswith("run "):
            break
        _, method, detail = line.split()
        c0 = time.process_time()
        with Session(engine) as s:
            ranking.leaderboard(
                session=s, edition_id=edition_id, method=method, criterion_detail=detail == "1", works=works
            )
        print(json.dumps({"cpu": time.process_time() - c0}), flush=True)
    engine.dispose()


if __name__ == "__main__":
    main()
