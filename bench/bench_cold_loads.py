"""Full page loads in a real browser (issue 17, item 8): `.venv/bin/python bench/bench_cold_loads.py [--compare REF]`.

The app is served as `make run` serves it (`streamlit run asgi.py` over a fresh copy of the 2564 demo) and, beside
it with the same config, a bare Streamlit page (a title and a line of text): the floor that Streamlit itself sets on
this machine. With --compare REF the project as it was at REF (a git ref, from `git archive`) is served too, over its
own copy of the demo, so that before and after are measured in one run. Debian's Chromium, driven by Playwright with
the browser tests' flags, loads each page two ways:

- first visit: a fresh browser context (no HTTP cache; signed-in pages carry the session cookie, as a link opened in
  a new browser would), the median of --firsts visits;
- refresh: page.reload() in a tab that already showed the page (the HTTP cache and V8's caches warm, as when a
  person presses F5), the median of --refreshes reloads.

Each load is a new Streamlit session whose first script run draws the page (signed-in pages get their sign-in back
from the session cookie, as in real use). A page is ready when its title (h1) is shown and no script runs. The
servers are measured in turn, load by load (bare, app[, before], bare, app, ...), so that the machine's other work
falls on all of them alike; the ratio is to the bare page's median measured beside it. A load is split where the time
goes: until the session's websocket opens (the browser fetching and starting Streamlit's frontend), the server's
first script run (from the browser's first message to the last message it gets before ready), and the browser
drawing what it was sent; `cpu` is the app server's CPU time per refresh (from /proc, less noisy than wall time on a
shared machine).

--network MBIT throttles the browser (Chrome's DevTools emulation: MBIT Mbit/s, 20 ms round trip), for what a
first visit costs over a real line, where the size of Streamlit's bundles counts. No request leaves the loopback:
Chromium resolves no other host name (--host-resolver-rules). Playwright's request routing, which the browser tests
use to the same end, turns the HTTP cache off, so a bench that used it measured every refresh as a first visit.
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
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from services.platform.web_sessions import COOKIE_NAME  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (one list of flags for tests and bench)

BIN = Path(sys.executable).parent
GOAL_S = 1.0
REFRESHES = 5
FIRSTS = 3
NETWORK_LATENCY_MS = 20  # with --network: each request's round trip, as from a province to a server in Bangkok
# No host name resolves but the loopback's: nothing leaves the machine, and the HTTP cache stays on (see above).
HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3")  # bare, app, before: one loopback address each
LOOPBACK_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, " + ", ".join(f"EXCLUDE {h}" for h in ("localhost", *HOSTS))
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
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    name: str
    url: str
    pid: int

    def cpu_s(self) -> float:
        """The server process's CPU time so far (user + system)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@contextmanager
def served(name: str, script: str, cwd: Path, env: dict[str, str], host: str, log: Path) -> Iterator[Server]:
    """`streamlit run script` in cwd. Each server has its own loopback address, so that the session cookies of two
    apps (cookies do not tell ports apart) never meet."""
    port = _free_port(host)
    cmd = [str(BIN / "streamlit"), "run", script, "--server.port", str(port), "--server.headless", "true"]
    cmd += ["--server.address", host, "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://{host}:{port}"
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
        yield Server(name, url, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


@dataclass(frozen=True)
class Load:
    """One full load, in seconds from the navigation's start."""

    ready: float  # the title shown and no script running
    socket: float  # the session's websocket opened: the browser has fetched and started Streamlit's frontend
    server: float  # from the browser's first message on the socket to the last it got before ready
    drawing: float  # after that last message, until ready


def load(tab: Any, url: str | None) -> Load:
    """Navigate to url (None: reload the tab) and wait until the page is ready."""
    sent: list[float] = []
    frames: list[float] = []
    opened: list[float] = []
    started = time.perf_counter()

    def on_socket(ws: Any) -> None:
        opened.append(time.perf_counter() - started)
        ws.on("framesent", lambda _payload: sent.append(time.perf_counter() - started))
        ws.on("framereceived", lambda _payload: frames.append(time.perf_counter() - started))

    tab.on("websocket", on_socket)
    try:
        if url is None:
            tab.reload(wait_until="commit")
        else:
            tab.goto(url, wait_until="commit")
        tab.locator("h1").first.wait_for(state="visible", timeout=60_000)
        tab.locator(READY).wait_for(state="attached", timeout=60_000)
        ready = time.perf_counter() - started
    except Exception as e:
        raise SystemExit(f"{url or tab.url} ({'reload' if url is None else 'first visit'}) not ready: {e}") from None
    finally:
        tab.remove_listener("websocket", on_socket)
    socket_s = opened[0] if opened else ready
    first_sent = min(sent, default=socket_s)
    last = max((f for f in frames if f <= ready), default=first_sent)
    return Load(ready, socket_s, max(0.0, last - first_sent), max(0.0, ready - last))


@dataclass
class Figures:
    firsts: list[Load] = field(default_factory=list)
    refreshes: list[Load] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)  # the server's CPU per refresh

    def median(self, attr: str, of: str = "refreshes") -> float:
        return statistics.median(getattr(x, attr) for x in getattr(self, of))


class Browser:
    """Contexts and tabs: one signed-in cookie per (server, person), fresh contexts made from it."""

    def __init__(self, browser: Any, network_mbit: float = 0.0) -> None:
        self.browser = browser
        self.network_mbit = network_mbit
        self.cookies: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def tab(self, context: Any) -> Any:
        """A new tab, its network throttled as Chrome's DevTools do when --network is given."""
        tab = context.new_page()
        if self.network_mbit > 0:
            cdp = context.new_cdp_session(tab)
            cdp.send("Network.enable")
            rate = self.network_mbit * 1e6 / 8  # bytes per second
            conditions = {"offline": False, "latency": NETWORK_LATENCY_MS, "downloadThroughput": rate}
            cdp.send("Network.emulateNetworkConditions", {**conditions, "uploadThroughput": rate / 4})
        return tab

    def context(self, server: Server, who: str | None) -> Any:
        context = self.browser.new_context(viewport={"width": 1400, "height": 1000}, locale="th-TH")
        if who is not None:
            key = (server.url, who)
            if key not in self.cookies:
                tab = context.new_page()
                sign_in(tab, server.url, who)
                self.cookies[key] = [c for c in context.cookies() if c["name"] == COOKIE_NAME]
                tab.close()
            else:
                context.add_cookies(self.cookies[key])
        return context


def sign_in(tab: Any, base: str, who: str) -> None:
    tab.goto(f"{base}/signin")
    tab.get_by_label("ชื่อผู้ใช้", exact=True).fill(who)
    tab.get_by_label("รหัสผ่าน", exact=True).fill(PASSWORDS[who])
    tab.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
    tab.get_by_role("heading", name=LANDING[who]).wait_for(timeout=60_000)
    deadline = time.monotonic() + 30
    while not any(c["name"] == COOKIE_NAME for c in tab.context.cookies()) and time.monotonic() < deadline:
        time.sleep(0.1)


def measure_page(
    browser: Browser, servers: list[Server], who: str | None, path: str, firsts: int, refreshes: int
) -> dict[str, Figures]:
    """First visits, then refreshes, each round going through every server in turn."""
    figures = {s.name: Figures() for s in servers}
    for _ in range(firsts):
        for s in servers:
            context = browser.context(s, who if s.name != "bare" else None)
            try:
                tab = browser.tab(context)
                figures[s.name].firsts.append(load(tab, f"{s.url}/{path if s.name != 'bare' else ''}"))
            finally:
                context.close()
    tabs = {}
    try:
        for s in servers:
            context = browser.context(s, who if s.name != "bare" else None)
            tabs[s.name] = (context, browser.tab(context))
            load(tabs[s.name][1], f"{s.url}/{path if s.name != 'bare' else ''}")
        for _ in range(refreshes):
            for s in servers:
                cpu = s.cpu_s()
                figures[s.name].refreshes.append(load(tabs[s.name][1], None))
                figures[s.name].cpu_s.append(s.cpu_s() - cpu)
    finally:
        for context, _ in tabs.values():
            context.close()
    return figures


def demo_copy(tree: Path, tmp: Path, name: str) -> dict[str, str]:
    """A fresh 2564 demo database made by tree's own code, and the environment that serves it."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / name}.db", "PYTHONUNBUFFERED": "1"}
    env.pop("LDAWARD_DATABASE_URL", None)
    env["LDAWARD_CLOCK"] = "2021-09-01"  # the demo's day (Makefile), as `make run` serves it
    subprocess.run([sys.executable, "cli.py", "demo"], cwd=tree, env=env, check=True, capture_output=True)
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refreshes", type=int, default=REFRESHES)
    parser.add_argument("--firsts", type=int, default=FIRSTS)
    parser.add_argument("--pages", default="", help="a regular expression of url paths to measure (default: all)")
    parser.add_argument("--compare", metavar="REF", help="also serve the project as at this git ref (before)")
    parser.add_argument(
        "--network", type=float, default=0.0, metavar="MBIT", help="throttle the browser to MBIT Mbit/s, 20 ms RTT"
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing (apt-get install chromium)")
        return 1
    with tempfile.TemporaryDirectory() as tmp_name, ExitStack() as stack:
        tmp = Path(tmp_name)
        bare = tmp / "bare"
        (bare / ".streamlit").mkdir(parents=True)
        shutil.copy(ROOT / ".streamlit" / "config.toml", bare / ".streamlit" / "config.toml")
        (bare / "bare.py").write_text(BARE_PAGE, encoding="utf-8")
        env = demo_copy(ROOT, tmp, "app")
        servers = [
            stack.enter_context(served("bare", "bare.py", bare, env, HOSTS[0], tmp / "bare.log")),
            stack.enter_context(served("app", "asgi.py", ROOT, env, HOSTS[1], tmp / "app.log")),
        ]
        if args.compare:
            before = tmp / "before"
            before.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.compare], check=True, capture_output=True)
            subprocess.run(["tar", "-x", "-C", str(before)], input=archive.stdout, check=True)
            before_env = demo_copy(before, tmp, "before")
            servers.append(
                stack.enter_context(served("before", "asgi.py", before, before_env, HOSTS[2], tmp / "before.log"))
            )
        pw = stack.enter_context(sync_playwright())
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_ARGS, LOOPBACK_ONLY]
        )
        browser = Browser(chromium, args.network)
        sides = [s.name for s in servers if s.name != "bare"]
        network = f"network {args.network:g} Mbit/s, {NETWORK_LATENCY_MS} ms round trip" if args.network else "loopback"
        print(
            f"load average {os.getloadavg()[0]:.1f} · {network} · {args.firsts} first visits and {args.refreshes} "
            f"refreshes per page and server, in turn · seconds; ×: to the bare page beside it · goal: refresh ≤ "
            f"{GOAL_S:g} s",
            flush=True,
        )
        head = f"{'page':<15} {'side':<7} {'first':>6} {'×':>5} {'refresh':>7} {'×':>5} {'socket':>6} {'server':>6}"
        print(f"{head} {'drawing':>7} {'cpu':>6}", flush=True)
        rows: dict[str, list[tuple[str, float]]] = {name: [] for name in sides}
        for who, path in PAGES:
            if args.pages and not re.search(args.pages, path):
                continue
            figures = measure_page(browser, servers, who, path, args.firsts, args.refreshes)
            floor = figures["bare"]
            label = path or "submit"
            for name in ["bare", *sides]:
                f = figures[name]
                first, refresh = f.median("ready", "firsts"), f.median("ready")
                first_x, refresh_x = first / floor.median("ready", "firsts"), refresh / floor.median("ready")
                cpu = statistics.median(f.cpu_s)
                print(
                    f"{label if name == 'bare' else '':<15} {name:<7} {first:6.2f} {first_x:4.1f}× {refresh:7.2f} "
                    f"{refresh_x:4.1f}× "
                    f"{f.median('socket'):6.2f} {f.median('server'):6.2f} {f.median('drawing'):7.2f} {cpu:6.3f}"
                    + ("" if name == "bare" else ("  ok" if refresh <= GOAL_S else "  over")),
                    flush=True,
                )
                if name != "bare":
                    rows[name].append((label, refresh))
        chromium.close()
        for name in sides:
            if rows[name]:
                over = [p for p, r in rows[name] if r > GOAL_S]
                worst = max(rows[name], key=lambda r: r[1])
                print(
                    f"{name}: refresh median of pages {statistics.median(r for _, r in rows[name]):.2f} s · slowest "
                    f"{worst[0]} {worst[1]:.2f} s · over the goal: {', '.join(over) or 'none'}",
                    flush=True,
                )
        print(f"load average {os.getloadavg()[0]:.1f} at the end", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
