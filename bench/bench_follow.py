"""Follow delay: from the organiser's "next" until each judge's page (a real Chromium tab) shows the new work.

    bench/bench_follow.py --db sqlite|postgres|both --judges 3 --advances 12

A server (`streamlit run asgi.py`) over a scratch copy of the 2564 demo; the organiser advances from this process,
so on SQLite the server learns of it by its feed's poll and on PostgreSQL by NOTIFY, as another replica would.
Prints p50/p95/max over every (advance, judge) pair against the goal p95 <= 1.5 s. Loopback only."""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bench.databases import scratch_databases  # noqa: E402
from services.contest import editions  # noqa: E402
from services.pitching import live, schedule  # noqa: E402
from services.platform.db import build_engine  # noqa: E402

GOAL_P95_S = 1.5
JUDGES = ["judge-dga", "judge-opm", "judge-nia", "judge-depa", "judge-tdri"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CLOCK = "2021-07-20T10:00:00+07:00"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    env = {**os.environ, "DATABASE_URL": url, "LDAWARD_CLOCK": CLOCK, "PYTHONUNBUFFERED": "1"}
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                str(BIN / "streamlit"),
                "run",
                "asgi.py",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"the server did not start; see {log}")


def sign_in(tab: Page, base: str, username: str) -> None:
    tab.goto(f"{base}/signin")
    tab.get_by_label("ชื่อผู้ใช้", exact=True).fill(username)
    tab.get_by_label("รหัสผ่าน", exact=True).fill("judge-2564")
    tab.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
    tab.get_by_role("heading", name="ให้คะแนนผลงาน").wait_for(timeout=60_000)


def run(name: str, url: str, judges: int, advances: int, tmp: Path) -> list[float]:
    subprocess.run(
        [str(BIN / "ldaward"), "demo"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
        timeout=300,
    )
    engine = build_engine(url)
    with Session(engine, expire_on_commit=False) as s:
        edition = editions.current_edition(session=s)
        assert edition is not None
        days = schedule.generate(
            session=s,
            edition_id=edition.id,
            actor="organiser",
            params=schedule.ScheduleParams(days=(date(2021, 8, 4), date(2021, 8, 5), date(2021, 8, 6))),
        )
        running = live.start(session=s, edition_id=edition.id, day_id=days[0].id, actor="organiser")
    pitches = days[0].pitches
    proc, base = serve(url, tmp / f"streamlit-{name}.log")
    delays: list[float] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            tabs = []
            for who in JUDGES[:judges]:
                tab = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH").new_page()
                sign_in(tab, base, who)
                tabs.append(tab)
            for i in range(min(advances, len(pitches))):
                title = pitches[i].work.title if pitches[i].work else ""
                time.sleep(1.5)  # a judge's page between advances, as in a session (and the fragment's own beat)
                with Session(engine, expire_on_commit=False) as s:
                    clicked = time.monotonic()
                    live.advance(session=s, live_id=running.id, actor="organiser")
                waiting = dict(enumerate(tabs))
                while waiting:
                    for k, tab in list(waiting.items()):
                        if tab.get_by_role("heading", name=title, exact=True).is_visible():
                            delays.append(time.monotonic() - clicked)
                            del waiting[k]
                    if time.monotonic() - clicked > 30:
                        raise SystemExit(f"[{name}] advance {i + 1}: {len(waiting)} page(s) did not follow in 30 s")
                    time.sleep(0.02)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        engine.dispose()
    return delays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--judges", type=int, default=3, choices=range(1, len(JUDGES) + 1))
    parser.add_argument("--advances", type=int, default=12)
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        wanted = {"sqlite": ["SQLite"], "postgres": ["PostgreSQL"], "both": ["SQLite", "PostgreSQL"]}[args.db]
        for name, url in scratch_databases():
            if name not in wanted:
                continue
            delays = run(name, url, args.judges, args.advances, Path(tmp))
            q = statistics.quantiles(delays, n=20, method="inclusive")
            p95 = q[18]
            print(
                f"[{name}] follow delay over {len(delays)} page moves ({args.advances} advances x {args.judges} "
                f"judges): p50 {statistics.median(delays):.2f} s, p95 {p95:.2f} s, max {max(delays):.2f} s; "
                f"goal p95 <= {GOAL_P95_S} s (ratio {p95 / GOAL_P95_S:.2f})"
            )


if __name__ == "__main__":
    main()
