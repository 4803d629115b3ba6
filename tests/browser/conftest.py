"""Real-browser fixtures: a demo database, the app served by `streamlit run`, Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pytest

from tests.conftest import made_once, run_folder, skip_or_fail

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from sqlalchemy.engine import Engine

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
# Chromium never reaches beyond loopback: every other address, host name or IP, goes to a proxy at a port nothing
# listens on and fails there (loopback itself is never sent to a proxy), without a DNS query of its own. A route in
# each context did this before, at a cost: routing turns off the HTTP cache, so every page load fetched and compiled
# Streamlit's bundles again, each request through Playwright (-31 % CPU on the 16 pages of the accessibility test).
LOOPBACK_ONLY_PROXY = "http://127.0.0.1:9"
# Nor does it spend time on updates, sync and first-run screens.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    f"--proxy-server={LOOPBACK_ONLY_PROXY}",
]
# A day inside the 2564 demo edition's intake window, so the submit form accepts entries.
DEMO_CLOCK = "2021-07-20T10:00:00+07:00"
STARTUP_TIMEOUT_S = 60
EXPECT_TIMEOUT_MS = 30_000  # as the contexts' default timeout for actions
# A server whose judge pages still hold their live long poll (up to 25 s) waits for it on SIGTERM: tests do not.
SHUTDOWN_TIMEOUT_S = 1
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
_T = TypeVar("_T")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return bool(response.status == 200 and response.read().strip() == b"ok")
    except (urllib.error.URLError, OSError):
        return False


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server and everything it started: SIGTERM to its process group, then SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=SHUTDOWN_TIMEOUT_S)
            return
        except subprocess.TimeoutExpired:
            continue


@dataclass(frozen=True)
class LiveApp:
    base_url: str
    database_url: str
    database_path: Path
    log_path: Path


def _check_prerequisites() -> None:
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need it")
    if not (VENV_BIN / "streamlit").exists():
        skip_or_fail(f"{VENV_BIN / 'streamlit'} is missing; install the project with `pip install -e .[dev]`")


def _env(database_url: str, clock: str = DEMO_CLOCK) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "LDAWARD_CLOCK": clock, "PYTHONUNBUFFERED": "1"}
    env.pop("LDAWARD_DATABASE_URL", None)  # an alias that could otherwise point the app elsewhere
    return env


@contextmanager
def serve_app(db_path: Path, log_path: Path, clock: str = DEMO_CLOCK) -> Iterator[LiveApp]:
    """`streamlit run asgi.py` (the app and its HTTP routes) over db_path on a free loopback port, until the end;
    clock is the contest clock (the default is a day of the demo's intake)."""
    database_url = f"sqlite:///{db_path}"
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                str(VENV_BIN / "streamlit"),
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
            cwd=PROJECT_ROOT,
            env=_env(database_url, clock),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so teardown can stop all of it
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _healthy(base_url):
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode} before answering:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(
                    f"streamlit did not answer {base_url}/_stcore/health within {STARTUP_TIMEOUT_S} s:\n"
                    f"{log_path.read_text()}"
                )
            time.sleep(0.25)
        yield LiveApp(base_url, database_url, db_path, log_path)
    finally:
        _stop(proc)
        # Keep the server log next to the screenshots: page errors are written there, not on the page.
        SCREENSHOTS.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(log_path, SCREENSHOTS.parent / log_path.name)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file loaded by `ldaward demo` (the 2564 edition), once per run, never served itself: servers get
    copies."""
    _check_prerequisites()

    def load(path: Path) -> None:
        demo = subprocess.run(
            # This checkout's cli.py, as the servers run this checkout's asgi.py: the venv's `ldaward` script runs the
            # tree the venv was installed from, whose migrations may be another checkout's.
            [sys.executable, str(PROJECT_ROOT / "cli.py"), "demo"],
            cwd=PROJECT_ROOT,
            env=_env(f"sqlite:///{path}"),
            capture_output=True,
            text=True,
            timeout=120,
        )
        if demo.returncode != 0:
            pytest.fail(f"`ldaward demo` failed ({demo.returncode}):\n{demo.stdout}\n{demo.stderr}")

    return made_once(run_folder(tmp_path_factory, "browser") / "demo.db", load)


@pytest.fixture(scope="session")
def live_app(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """The app shared by the browser tests, over its own copy of the demo database."""
    root = tmp_path_factory.mktemp("live")
    shutil.copy(demo_template, root / "ldaward.db")
    with serve_app(root / "ldaward.db", root / "streamlit.log") as app:
        yield app


@pytest.fixture
def fresh_base_url(demo_template: Path, tmp_path: Path) -> Iterator[str]:
    """The URL of a second server started for one test, which sees no request before the test's own."""
    shutil.copy(demo_template, tmp_path / "ldaward.db")
    with serve_app(tmp_path / "ldaward.db", tmp_path / "streamlit-fresh.log") as app:
        yield app.base_url


@pytest.fixture
def fresh_db(fresh_base_url: str, tmp_path: Path) -> Iterator[Engine]:
    """An engine on the database the fresh server (fresh_base_url) runs on, to arrange data and check what it saved."""
    from services.platform.db import build_engine

    engine = build_engine(f"sqlite:///{tmp_path / 'ldaward.db'}")
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_app: LiveApp) -> str:
    return live_app.base_url


@pytest.fixture(scope="session")
def app_database_url(live_app: LiveApp) -> str:
    """The database the shared app writes to, so a journey can check what it saved."""
    return live_app.database_url


@pytest.fixture(scope="session")
def browser(live_app: LiveApp) -> Iterator[Browser]:
    """Headless Debian Chromium; Playwright's own browser downloads are never used."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:
        skip_or_fail(f"the playwright package is not installed: {e}")
    from playwright.sync_api import expect

    # An assertion waits as long as an action may (Playwright's default is 5 s): on a loaded machine a judge's page
    # redrawing a deck's slide pictures took longer than that before its sliders came back (seen in CI).
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh context (no cookies, so a new Streamlit session), Thai locale, wide enough for the layout."""
    tab = open_tab(browser)
    try:
        yield tab
    finally:
        tab.context.close()


@pytest.fixture
def shot(page: Page, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """shot("step") saves a full-page screenshot as artifacts/screenshots/<test>--NN-<step>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"[^\w.-]+", "_", request.node.name)
    for old in SCREENSHOTS.glob(f"{test}--*.png"):
        old.unlink()  # a rerun replaces the test's pictures rather than mixing two runs
    steps = iter(range(1, 100))

    def take(step: str) -> Path:
        name = re.sub(r"[^\w.-]+", "_", step)
        path = SCREENSHOTS / f"{test}--{next(steps):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# --- helpers for journeys with several people, each in a browser context of their own ----------------------------


# Drawn without CSS animations: a spinner or a skeleton loops frame by frame in a software renderer on CI's two
# cores (the browser's CPU was ~15 % lower without them), and what the tests check (text, roles, values, saved rows)
# does not move. Transitions stay: a dialog still eases in, so a click waits for it to stand still, as before.
STILL = """document.addEventListener("DOMContentLoaded", () => {
  const style = document.createElement("style");
  style.textContent = "*, *::before, *::after { animation: none !important; }";
  document.head.appendChild(style);
});"""


def open_tab(browser: Browser, *, width: int = 1400, height: int = 1000) -> Page:
    """A page in a new context (its own cookies and cache, so its own Streamlit session), Thai locale, no animations;
    the browser reaches loopback only (CHROMIUM_ARGS). The caller closes it with `tab.context.close()`."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="th-TH", timezone_id="Asia/Bangkok"
    )
    context.set_default_timeout(EXPECT_TIMEOUT_MS)
    context.add_init_script(STILL)
    return context.new_page()


@pytest.fixture
def shot_of(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """shot_of(tab, "step") saves tab's screenshot as artifacts/screenshots/<test>--NN-<step>.png: `shot` for a
    journey whose steps happen in several tabs. (Use one of the two in a test: each numbers its own steps.)"""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"[^\w.-]+", "_", request.node.name)
    for old in SCREENSHOTS.glob(f"{test}--*.png"):
        old.unlink()
    steps = iter(range(1, 100))

    def take(tab: Page, step: str) -> Path:
        name = re.sub(r"[^\w.-]+", "_", step)
        path = SCREENSHOTS / f"{test}--{next(steps):02d}-{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in_as(
    tab: Page, base_url: str, username: str, password: str, landing: str, *, timeout_ms: int = 30_000
) -> None:
    """Sign in through the sign-in page and wait for the heading of the page the role lands on, and for the session
    cookie: the page sets it with a request of its own after landing, and an address opened before it arrives
    starts signed out (seen in a full run: a goto right after signing in met "Page not found")."""
    from playwright.sync_api import expect

    from services.platform.web_sessions import COOKIE_NAME

    tab.goto(f"{base_url}/signin")
    tab.get_by_label("ชื่อผู้ใช้", exact=True).fill(username)
    tab.get_by_label("รหัสผ่าน", exact=True).fill(password)
    tab.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
    expect(tab.get_by_role("heading", name=landing)).to_be_visible(timeout=timeout_ms)
    wait_until(
        lambda: any(c["name"] == COOKIE_NAME for c in tab.context.cookies()),
        what="the session cookie",
        timeout_s=timeout_ms / 1000,
    )


def wait_until(condition: Callable[[], _T], *, what: str, timeout_s: float = 30, every_s: float = 0.2) -> _T:
    """Poll condition until it returns something truthy and return that; fail saying `what` after timeout_s.
    For state the browser cannot show (database rows written by the server after a click)."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout_s:g} s for {what}; last seen: {result!r}")
        time.sleep(every_s)


def settled(tab: Page, timeout_ms: int = 30_000) -> None:
    """Wait until the app in tab runs no script: the rerun a click started is over and the page shows its result.
    (Not for pages with a fragment that reruns on a timer: those are seldom idle.)"""
    from playwright.sync_api import expect

    idle = tab.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(idle).to_have_count(1, timeout=timeout_ms)


def report_failure(name: str, tabs: dict[str, Page], server_log: Path | None = None) -> None:
    """Call from a test's `except` before re-raising: a screenshot of every tab
    (artifacts/screenshots/<name>--FAILED-<tab>.png) and, printed into the test's report, what each tab showed as
    text and the end of the server's log — so a failure seen only in CI can be read from its output."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = re.sub(r"[^\w.-]+", "_", name)
    for who, tab in tabs.items():
        try:
            tab.screenshot(path=str(SCREENSHOTS / f"{base}--FAILED-{who}.png"), full_page=True)
            state = tab.locator('[data-testid="stApp"]').get_attribute("data-test-script-state", timeout=5_000)
            text = tab.locator("body").inner_text(timeout=5_000)
        except Exception as e:  # evidence is best effort; the original failure is what counts
            state, text = "?", f"(could not read the tab: {e})"
        print(f"\n--- {who} at failure ({tab.url}, script state {state}) ---\n{text[:3000]}")
    if server_log is not None and server_log.exists():
        lines = server_log.read_text(errors="replace").splitlines()
        print("\n--- server log (last 60 lines) ---\n" + "\n".join(lines[-60:]))
