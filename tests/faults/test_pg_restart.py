"""PostgreSQL restarted under a judge who is scoring in a real browser: while it is down the score sheet says so in
Thai, keeps the change and never shows a traceback; once it is back that change lands by itself and the next save
works, and every save acknowledged before is there.

It stops the whole cluster, so it runs alone (marker pg_restart: excluded from the parallel run, `make test` runs
it in a serial step after). It needs root (pg_ctlcluster) and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from models import Score, User
from services.contest import editions
from services.judging import sheets, worklist
from services.platform import db as services_db
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PROJECT_ROOT,
    SCREENSHOTS,
    STARTUP_TIMEOUT_S,
    VENV_BIN,
    _env,
    _free_port,
    _healthy,
    _stop,
)
from tests.conftest import Templates, _pg_available, demo_database, skip_or_fail

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.pg_restart
T = TypeVar("T")

CLUSTER = ("15", "main")
JUDGE = "judge-dga"
SETTLE_S = 30
WAIT_MS = SETTLE_S * 1000  # for expect(), whose own default is 5 s
DOWN_MESSAGE = "ฐานข้อมูลไม่ตอบสนองชั่วคราว"  # pages/_ui.py guard()
OFFLINE_MESSAGE = "ออฟไลน์ — จะบันทึกเมื่อเชื่อมต่อได้"  # the score sheet's save state (pages/_score_sheet.py)


def pg_ctl(action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", *CLUSTER, action, *(["-m", "fast"] if action != "start" else [])],
        check=True,
        capture_output=True,
        timeout=120,
    )


def pg_answers() -> bool:
    return _pg_available() is None


def prerequisites() -> None:
    if os.geteuid() != 0:
        skip_or_fail("restarting PostgreSQL needs root (pg_ctlcluster)")
    if shutil.which("pg_ctlcluster") is None:
        skip_or_fail("pg_ctlcluster is not installed (Debian's postgresql-common)")
    if reason := _pg_available():
        skip_or_fail(reason)
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as e:
        skip_or_fail(f"the playwright package is not installed: {e}")


@contextmanager
def cluster_left_running() -> Iterator[None]:
    """Never leave the cluster down for what comes after (the database's own teardown, the tests after this one)."""
    try:
        yield
    finally:
        if not pg_answers():
            pg_ctl("start")


@contextmanager
def serve(database_url: str, log_path: Path) -> Iterator[str]:
    """`streamlit run asgi.py` over database_url on a free loopback port (serve_app, for any database URL)."""
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
            env=_env(database_url),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _healthy(base_url):
            assert proc.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.25)
        yield base_url
    finally:
        _stop(proc)
        SCREENSHOTS.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(log_path, SCREENSHOTS.parent / log_path.name)


def wait_for(condition: Callable[[], T], what: str, timeout_s: float = SETTLE_S) -> T:
    deadline = time.monotonic() + timeout_s
    while not (result := condition()):
        assert time.monotonic() < deadline, f"waited {timeout_s} s for {what}"
        time.sleep(0.1)
    return result


def no_error_details(page: Page) -> None:
    text = page.inner_text("body")
    for leak in ("Traceback", "OperationalError", "psycopg", "sqlalchemy", "5432"):
        assert leak not in text, f"{leak!r} shown on the page"


def test_a_postgresql_restart_is_ridden_out_and_an_outage_loses_nothing(templates: Templates, tmp_path: Path) -> None:
    prerequisites()
    from playwright.sync_api import expect, sync_playwright

    with (
        demo_database("postgresql", templates, tmp_path) as url,  # the 2564 demo, cloned from the template
        cluster_left_running(),
        serve(url, tmp_path / "streamlit-pg-restart.log") as base_url,
    ):
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with Session(engine) as s:
            edition = editions.current_edition(session=s)
            assert edition is not None
            judge_id = s.exec(select(User.id).where(User.username == JUDGE)).one()
            sheet = sheets.get_sheet(
                session=s,
                judge_id=judge_id,
                submission_id=worklist.list_assignments(session=s, judge_id=judge_id, edition_id=edition.id)[
                    0
                ].submission.id,
            )
        sub_id = sheet.submission.id
        crit = [c.criterion_id for c in sheet.criteria]

        def stored() -> dict[int, float]:
            try:
                with Session(engine) as s:
                    rows = s.exec(select(Score).where(Score.judge_id == judge_id, Score.submission_id == sub_id))
                    return {r.criterion_id: r.points for r in rows}
            except sa.exc.OperationalError:
                return {}

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context(
                viewport={"width": 1400, "height": 1000}, locale="th-TH", timezone_id="Asia/Bangkok"
            )
            context.set_default_timeout(SETTLE_S * 1000)
            page = context.new_page()
            page.goto(f"{base_url}/signin")
            page.get_by_label("ชื่อผู้ใช้", exact=True).fill(JUDGE)
            page.get_by_label("รหัสผ่าน", exact=True).fill("judge-2564")
            page.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
            expect(page.get_by_role("heading", name="ให้คะแนนผลงาน")).to_be_visible(timeout=WAIT_MS)
            sliders = page.get_by_role("slider")

            def move(index: int, presses: int = 1) -> None:
                sliders.nth(index).focus()
                for _ in range(presses):
                    page.keyboard.press("ArrowRight")

            # Before: four saves, each acknowledged (seen in the database) before the next.
            acknowledged: dict[int, float] = {}
            for n in range(1, 5):
                move(0)
                expect(sliders.nth(0)).to_have_value(f"{n * 0.5:g}", timeout=WAIT_MS)
                wait_for(lambda n=n: stored().get(crit[0]) == n * 0.5, f"save {n}")
                acknowledged[crit[0]] = n * 0.5

            # A restart (stop, then start a second later) while the judge moves a slider: the save waits for the
            # server (services/platform/db.py retries a refused connection) and lands; the page shows no error at all.
            pg_ctl("stop")
            move(1)
            time.sleep(1)
            restart_began = time.monotonic()
            pg_ctl("start")
            wait_for(lambda: stored().get(crit[1]) == 0.5, "the save made during the restart")
            restart_wait = time.monotonic() - restart_began
            acknowledged[crit[1]] = 0.5
            expect(sliders.nth(1)).to_have_value("0.5", timeout=WAIT_MS)
            expect(page.get_by_test_id("stException")).to_have_count(0, timeout=WAIT_MS)
            expect(page.get_by_text(DOWN_MESSAGE)).to_have_count(0, timeout=WAIT_MS)
            page.screenshot(path=str(SCREENSHOTS / "test_pg_restart--01-after-restart.png"), full_page=True)

            # An outage longer than the server's retry: the route answers 503 and the score sheet says in Thai that
            # it is offline and will save once connected; it keeps the move and retries. No details on the page.
            pg_ctl("stop")
            went_down = time.monotonic()
            move(2)
            # The sheet says so once the save has failed, past the server's retry (CONNECT_RETRY_S): waited for, not
            # slept through.
            status = page.locator("[data-sheet] .status")
            expect(status).to_have_text(OFFLINE_MESSAGE, timeout=WAIT_MS)
            thai_message = status.inner_text() == OFFLINE_MESSAGE
            error_box = page.get_by_test_id("stException").count() > 0
            print(f"\nwhile down: Thai message {thai_message}, Streamlit error box {error_box}")
            no_error_details(page)
            page.screenshot(path=str(SCREENSHOTS / "test_pg_restart--02-down.png"), full_page=True)

            # Back: the move made while down lands by itself (the sheet retries), and the judge scores on.
            pg_ctl("start")
            back = time.monotonic()
            outage = back - went_down
            wait_for(lambda: stored().get(crit[2]) == 0.5, "the move made while the database was down")
            recovered = time.monotonic() - back
            acknowledged[crit[2]] = 0.5
            move(3)
            wait_for(lambda: stored().get(crit[3]) == 0.5, "the first save after the outage")
            acknowledged[crit[3]] = 0.5
            expect(status).to_contain_text("บันทึกแล้ว", timeout=WAIT_MS)
            expect(page.get_by_test_id("stException")).to_have_count(0, timeout=WAIT_MS)
            page.screenshot(path=str(SCREENSHOTS / "test_pg_restart--03-back.png"), full_page=True)
            browser.close()

        final = stored()
        lost = {c: (v, final.get(c)) for c, v in acknowledged.items() if final.get(c) != v}
        print(
            f"\nrestart: the save made during it landed {restart_wait:.1f} s after `start` began, no error shown;"
            f" outage of {outage:.1f} s: {'the Thai message' if thai_message else 'Streamlit error box'}; the move"
            f" made while down saved {recovered:.1f} s after `start` began, as "
            f"{final.get(crit[2])}; acknowledged saves lost: {lost or 'none'}"
        )
        engine.dispose()
        assert thai_message and not error_box, "while down: no Thai 'database not answering' message, or an error box"
        assert not lost, f"acknowledged saves lost or overwritten (criterion: (acknowledged, stored)): {lost}"


def test_a_refused_connection_is_retried_for_a_while_then_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services_db, "CONNECT_RETRY_S", 0.8)
    engine = services_db.build_engine(f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/nothing")
    began = time.monotonic()
    with pytest.raises(sa.exc.OperationalError):
        engine.connect()
    assert 0.5 <= time.monotonic() - began < 3
    engine.dispose()
