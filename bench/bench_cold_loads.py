"""First-load time of each main page in a real browser (issue 17, item 8): `.venv/bin/python bench/bench_cold_loads.py`.

The app is served as `make run` serves it (`streamlit run asgi.py` over a fresh copy of the 2564 demo), and beside it,
served the same way with the same config, a bare Streamlit page (a title and a line of text): the floor that
Streamlit itself sets on this machine. Debian's Chromium, driven by Playwright with the browser tests' flags, opens
each page as a link opened or a refresh does: a new page load, so a new Streamlit session whose first script run
draws the page (signed-in pages get their sign-in back from the session cookie, as in real use). A page is ready
when its title (h1) is shown and no script runs. Per page: the first load after the server started (imports and
caches paid), then the median of REFRESHES more; the ratio is to the bare page's median. The refresh is split where
the time goes: until the session's websocket opens (the browser fetching and starting Streamlit's frontend, the same
for every page), the server's first script run (socket to its last message), and the browser drawing what it sent.
Goal: every page ≤ 1 s on a refresh."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from services.platform.web_sessions import COOKIE_NAME  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (one list of flags for tests and bench)

BIN = Path(sys.executable).parent
GOAL_S = 1.0
REFRESHES = 5
BARE_PAGE = 'import streamlit as st\n\nst.title("สวัสดี")\nst.write("หน้าเปล่าของ Streamlit: the floor")\n'
# (who, url path): the main page of each role first, then the rest of what each role opens.
PAGES = (
    (None, ""),  # the submit page: the app's home
    (None, "my_submission"),
    (None, "results"),
    (None, "signin"),
    ("judge-dga", "judge"),
    ("executive", "leaderboard"),
    ("organiser", "submissions"),
    ("organiser", "judging"),
    ("organiser", "judging_status"),
    ("organiser", "consensus"),
    ("organiser", "schedule"),
    ("organiser", "live"),
    ("organiser", "awards"),
    ("organiser", "feedback"),
    ("organiser", "audit"),
    ("organiser", "admin"),
)
PASSWORDS = {"judge-dga": "judge-2564", "executive": "executive-2564", "organiser": "organiser-2564"}
LANDING = {"judge-dga": "ให้คะแนนผลงาน", "executive": "ผลคะแนนและสถิติ", "organiser": "ผลคะแนนและสถิติ"}
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(script: str, cwd: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    port = _free_port()
    cmd = [str(BIN / "streamlit"), "run", script, "--server.port", str(port), "--server.headless", "true"]
    cmd += ["--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{script} did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


def load_time(tab, url: str) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """One full load: seconds from the navigation's start to the page ready (its title shown and no script running),
    to the session's websocket opened (the browser has fetched and started Streamlit's frontend), and to the app's
    last message of the first script run (the server's work ends there; what follows is the browser drawing it)."""
    frames: list[float] = []
    opened: list[float] = []
    started = time.perf_counter()

    def on_socket(ws) -> None:  # type: ignore[no-untyped-def]
        opened.append(time.perf_counter() - started)
        ws.on("framereceived", lambda _payload: frames.append(time.perf_counter() - started))

    tab.on("websocket", on_socket)
    try:
        tab.goto(url, wait_until="commit")
        tab.locator("h1").first.wait_for(state="visible", timeout=60_000)
        tab.locator(READY).wait_for(state="attached", timeout=60_000)
        total = time.perf_counter() - started
    finally:
        tab.remove_listener("websocket", on_socket)
    socket = opened[0] if opened else total
    last = max((f for f in frames if f <= total), default=socket)
    return total, socket, last


def measure(tab, url: str, refreshes: int) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    """The first load's seconds, then over `refreshes` more the medians of: the whole load, until the websocket,
    the server's part (socket to its last message), the drawing after it."""
    first = load_time(tab, url)[0]
    again = [load_time(tab, url) for _ in range(refreshes)]
    return (
        first,
        statistics.median(t for t, _, _ in again),
        statistics.median(o for _, o, _ in again),
        statistics.median(last - o for _, o, last in again),
    )


def sign_in(tab, base: str, who: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(f"{base}/signin")
    tab.get_by_label("ชื่อผู้ใช้", exact=True).fill(who)
    tab.get_by_label("รหัสผ่าน", exact=True).fill(PASSWORDS[who])
    tab.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
    tab.get_by_role("heading", name=LANDING[who]).wait_for(timeout=60_000)
    deadline = time.monotonic() + 30
    while not any(c["name"] == COOKIE_NAME for c in tab.context.cookies()) and time.monotonic() < deadline:
        time.sleep(0.1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refreshes", type=int, default=REFRESHES)
    parser.add_argument("--pages", default="", help="a regular expression of url paths to measure (default: all)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing (apt-get install chromium)")
        return 1
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'demo.db'}", "PYTHONUNBUFFERED": "1"}
        env.pop("LDAWARD_DATABASE_URL", None)
        env["LDAWARD_CLOCK"] = "2021-09-01"  # the demo's day (Makefile), as `make run` serves it
        subprocess.run([str(BIN / "ldaward"), "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
        bare = tmp / "bare"
        (bare / ".streamlit").mkdir(parents=True)
        shutil.copy(ROOT / ".streamlit" / "config.toml", bare / ".streamlit" / "config.toml")
        (bare / "bare.py").write_text(BARE_PAGE, encoding="utf-8")
        rows: list[tuple[str, float, float]] = []
        with (
            served("bare.py", bare, env, tmp / "bare.log") as bare_url,
            served("asgi.py", ROOT, env, tmp / "app.log") as app_url,
            sync_playwright() as pw,
        ):
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            contexts: dict[str | None, object] = {}

            def tab_for(who: str | None):  # type: ignore[no-untyped-def]
                if who not in contexts:
                    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="th-TH")
                    context.route(re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]).*"), lambda r: r.abort())
                    tab = context.new_page()
                    if who is not None:
                        sign_in(tab, app_url, who)
                    contexts[who] = tab
                return contexts[who]

            floor_first, floor, floor_socket, floor_server = measure(tab_for(None), bare_url, args.refreshes)
            print(
                f"bare Streamlit page: first {floor_first:.2f} s · refresh median {floor:.2f} s (to the websocket "
                f"{floor_socket:.2f} s, server {floor_server:.2f} s, "
                f"drawing {floor - floor_socket - floor_server:.2f} s)",
                flush=True,
            )
            print(
                f"{'page':<16} {'who':<10} {'first':>7} {'refresh':>8} {'/bare':>6} {'socket':>7} {'server':>7}"
                f" {'drawing':>8}  goal ≤ {GOAL_S:g} s",
                flush=True,
            )
            for who, path in PAGES:
                if args.pages and not re.search(args.pages, path):
                    continue
                first, median, socket, server = measure(tab_for(who), f"{app_url}/{path}", args.refreshes)
                path = path or "submit"
                rows.append((path, first, median))
                verdict = "ok" if median <= GOAL_S else "over"
                print(
                    f"{path:<16} {who or 'anyone':<10} {first:6.2f}s {median:7.2f}s {median / floor:5.1f}× "
                    f"{socket:6.2f}s {server:6.2f}s {median - socket - server:7.2f}s  {verdict}",
                    flush=True,
                )
            browser.close()
        over = [p for p, _, m in rows if m > GOAL_S]
        if rows:
            worst = max(rows, key=lambda r: r[2])
            print(
                f"median of pages {statistics.median(m for _, _, m in rows):.2f} s · slowest {worst[0]} "
                f"{worst[2]:.2f} s · over the goal: {', '.join(over) or 'none'}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
