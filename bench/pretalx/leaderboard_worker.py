"""Our side of the comparison, run by bench_pretalx.py with the project's Python: the same scale as pretalx's event
(N works, 5 judges' sheets each, bench_ranking's generator) on SQLite, then on each "run" line from stdin the
executive's leaderboard page run by AppTest with Streamlit's caches cleared; prints one line per run."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT), str(HERE.parent)]

import streamlit as st  # noqa: E402
from bench_ranking import SUBMISSIONS, populate  # noqa: E402
from sqlmodel import Session  # noqa: E402
from streamlit.logger import set_log_level  # noqa: E402
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from models import Role, User  # noqa: E402
from services.platform import auth  # noqa: E402
from services.platform.db import build_engine, upgrade_schema  # noqa: E402
from services.platform.settings import get_settings  # noqa: E402


def navigation_only() -> None:
    """As tests/pages/conftest.py: every AppTest run goes through app.py's st.navigation, as a server does."""
    original = PagesManager.__init__

    def init(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init  # type: ignore[method-assign]


def main() -> None:
    url = sys.argv[1]
    engine = build_engine(url)
    upgrade_schema(engine)
    t0 = time.perf_counter()
    populate(engine)
    with Session(engine) as s:
        user = User(username="bench-executive", display_name="ผู้บริหาร", role=Role.executive)
        s.add(user)
        s.commit()
        account = auth.Account.of(user)
    engine.dispose()
    print(f"ready {SUBMISSIONS:,} works × 5 sheets in {time.perf_counter() - t0:.1f} s", flush=True)
    set_log_level("error")  # AppTest outside a server warns about a missing script context on every cache call
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    navigation_only()
    components = None
    for line in sys.stdin:
        if line.strip() != "run":
            break
        st.cache_data.clear()
        st.cache_resource.clear()  # the engine too, as pretalx opens a database connection per request
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        # A server scans the installed packages for components once, at start; each new AppTest would scan them
        # again (~0.3 s of reading package metadata) inside the timed run. The first run's scan is kept, as pretalx's
        # process keeps its loaded apps between requests.
        at._bidi_component_manager = components
        at.session_state["account"] = account
        t0, c0 = time.perf_counter(), time.process_time()
        at.run()
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert not at.exception, [e.message for e in at.exception]
        components = at._bidi_component_manager
        assert [t.value for t in at.title] == ["ผลคะแนนและสถิติ"], [t.value for t in at.title]
        shown = max((len(df.value) for df in at.dataframe), default=0)  # the ranking table's rows
        print(f"{elapsed:.4f} {cpu:.4f} {shown}", flush=True)


if __name__ == "__main__":
    main()
