"""Load: N judges scoring at once against a running server (`streamlit run asgi.py`), each a virtual browser tab:
it signs in through the sign-in form over Streamlit's own websocket, trades the page's one-time code for the session
cookie (as the page's script does), opens the judge page, and moves sliders at a human pace as the score sheet does:
one small JSON request to the save route per move (no rerun). With a live session it holds the live banner's long
poll open and, when the organiser presents the next work, asks the page to switch (one rerun, the banner's trigger).
Prints response times, saves, lost scores (acknowledged but not in the database), errors, and the follow delay (the
organiser's click -> the judge page on that work).

    bench/load_judges.py --db sqlite|postgres|both --sessions 30 --seconds 180
    bench/load_judges.py --live --compare          # a live pitching session running; old and new server, interleaved
    bench/load_judges.py --live --sessions 10 --think 5 20 --compare   # the realistic pitching day
    bench/load_judges.py --live --sessions 10 --think 5 20 --seconds 900   # memory over a long run (RSS slope)
    bench/load_judges.py --db postgres --replicas 2 --sessions 100 --live  # two app processes, one PostgreSQL

--live: the organiser has started a live session, presents the day's first work and moves on every
ADVANCE_EVERY_S; every deck has slide pictures (drawn here, as LibreOffice would leave them).
--compare: the same run against the project as it was before issue 18 (BASELINE_COMMIT, from `git archive`), driven
as its page asked (every slider move a rerun carrying the widget's state, a fragment run each second while a live
session runs), interleaved with the current one, so both see the same machine load. Also printed: the server's CPU
(from /proc) per slider move and in cores, reruns per minute per judge, and its memory (RSS sampled every 2 s).

Loopback only; the database is a scratch one (the 2564 demo, more judges as needed), gone afterwards."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402
from sqlmodel import Session, col, select  # noqa: E402
from streamlit.components.v2.bidi_component.main import _make_trigger_id  # noqa: E402
from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from bench.databases import scratch_database  # noqa: E402
from models import Attachment, AttachmentKind, Role, Score, User  # noqa: E402
from services.contest import demo  # noqa: E402
from services.contest.editions import current_edition  # noqa: E402
from services.judging import sheets, worklist  # noqa: E402
from services.pitching import live, schedule  # noqa: E402
from services.platform import auth  # noqa: E402
from services.platform.db import build_engine, upgrade_schema  # noqa: E402
from web_routes import LIVE_PATH, LIVE_WAIT_S, WORK_PATH  # noqa: E402

PASSWORD = "judge-2564"
DEMO_CLOCK = "2021-07-20T10:00:00+07:00"  # inside the 2564 edition, as `make run` serves it
RUN_TIMEOUT_S = 60.0
MIN_MOVES_GRACE_S = 60.0  # score(min_moves=...): how long past its window a judge may take to reach them
DONE = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
FRAGMENT_DONE = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")
SIGNIN_BUSY = "มีผู้ลงชื่อเข้าใช้พร้อมกันจำนวนมาก"  # services.platform.auth: the argon2 checks are all busy; try again
SIGNIN_TRIES = 5
CLOSED = -1  # not a Streamlit status: the connection is gone
ERROR_ALERT = Alert.Format.Value("ERROR")
SLIDER_KEY = re.compile(r"judge_pts_(\d+)_(\d+)$")
HANDOFF_CODE = re.compile(r"/auth/session.*?code: (\"[^\"]+\")")
SLIDE_PICTURES = 16  # per deck (the demo's decks have 13 slides; a picture past the last slide is not shown)
# The server as it was before issue 18, for --compare: this commit's tree (every slider move a rerun of the judge
# page, a rerun each second while a live session runs, Streamlit's forced gc.collect(2) after every run, slide
# pictures re-encoded on every run), served from a copy made with `git archive`.
BASELINE_COMMIT = "1132f4c"
SHEET_COMPONENT = "ldaward_score_sheet"  # pages/score_sheet: the judge's sheet, saving through SAVE_PATH
WORK_COMPONENT = "ldaward_work"  # pages/work_pane: the work's header and evidence
LIVE_COMPONENT = "ldaward_live_follow"  # pages/live_follow: the live banner, following through LIVE_PATH
SAVE_PATH = "/api/judge/sheet"
ADVANCE_EVERY_S = 20.0  # --live: the organiser presents the next work this often
REOPENED_PITCHES = 16  # --live: the first works of the day, whose sheets every judge may score
# A server still holding judges' long polls (up to LIVE_WAIT_S) waits for them on SIGTERM; after this it is killed. A
# run's scores are committed before it stops (each save acknowledged), so nothing waits on a clean exit.
STOP_WAIT_S = 3.0


# --- the scratch database and the server ----------------------------------------------------------------------------


def prepare(url: str, sessions: int, *, live_session: bool = False) -> list[str]:
    """The 2564 demo plus judges up to `sessions`, every judge with an open sheet (the demo's nine finished judges
    get their first sheet reopened, as an organiser would). With live_session, a pitching schedule and a live session
    presenting its first work, whose sheet is open for every judge (each judge page moves to it and polls each
    second), and the sheets of the day's first REOPENED_PITCHES works open too (the organiser moves on while the
    judges score). Returns the judges' usernames."""
    engine = build_engine(url)
    upgrade_schema(engine)
    with Session(engine, expire_on_commit=False) as session:
        demo.load_demo(session=session)
        edition = current_edition(session=session)
        assert edition is not None
        names = list(session.exec(select(User.username).where(User.role == Role.judge).order_by(User.username)))
        # One argon2 hash for every added judge, as the demo does per role: hashing is ~0.2-0.4 s of CPU each, and
        # what the run measures is signing in (a check per judge), not how the accounts were made.
        password_hash = auth.hash_password(PASSWORD)
        for n in range(1, sessions - len(names) + 1):
            session.add(
                User(
                    username=f"judge-load-{n:02d}",
                    display_name=f"กรรมการทดสอบ {n}",
                    role=Role.judge,
                    agency="ทดสอบภาระงาน",
                    password_hash=password_hash,
                )
            )
            names.append(f"judge-load-{n:02d}")
        session.flush()
        worklist.assign_all(session=session, edition_id=edition.id, actor="bench")
        presented: set[int] = set()
        if live_session:
            days = schedule.generate(
                session=session,
                edition_id=edition.id,
                actor="organiser",
                params=schedule.ScheduleParams(days=(date(2021, 8, 4), date(2021, 8, 5), date(2021, 8, 6))),
            )
            slot = days[0].pitches[0]
            presented = {p.work.submission_id for p in days[0].pitches[:REOPENED_PITCHES] if p.work is not None}
            running = live.start(session=session, edition_id=edition.id, day_id=days[0].id, actor="organiser")
            live.present(session=session, live_id=running.id, slot_id=slot.id, actor="organiser")
        for user in session.exec(select(User).where(col(User.username).in_(names))):
            assert user.id is not None
            rows = worklist.list_assignments(session=session, judge_id=user.id, edition_id=edition.id)
            for row in [r for r in rows if r is rows[0] or r.submission.id in presented]:
                if row.state == "submitted":
                    sheets.reopen_sheet(
                        session=session,
                        judge_id=user.id,
                        submission_id=row.submission.id,
                        reason="load test",
                        actor="bench",
                    )
        session.commit()
    engine.dispose()
    return names[:sessions]


def slide_picture_bytes(n: int) -> bytes:
    """A slide as pdftoppm leaves it (1280 wide PNG): a title band, lines of text, a photograph-like picture."""
    from PIL import Image, ImageDraw

    rng = random.Random(n)
    slide = Image.new("RGB", (1280, 720), (255, 255, 255))
    draw = ImageDraw.Draw(slide)
    draw.rectangle((0, 0, 1280, 110), fill=(31, 78, 156))
    draw.text((40, 40), f"Slide {n}: digital services of the municipality", fill=(255, 255, 255))
    for line in range(14):
        draw.text((40, 150 + 36 * line), " ".join(f"word{rng.randrange(1000)}" for _ in range(8)), fill=(20, 20, 20))
    photo = Image.frombytes("RGB", (40, 30), bytes(rng.randrange(256) for _ in range(40 * 30 * 3)))
    slide.paste(photo.resize((520, 390), Image.Resampling.BICUBIC), (720, 180))
    out = io.BytesIO()
    slide.save(out, format="PNG")
    return out.getvalue()


def prepare_pictures(url: str, slides_dir: Path) -> int:
    """Slide pictures for every deck in the database, where slide_pictures looks for them (one drawn set, linked
    into each deck's folder). Returns the number of decks."""
    drawn = slides_dir / ".drawn"
    drawn.mkdir(parents=True, exist_ok=True)
    for n in range(1, SLIDE_PICTURES + 1):
        (drawn / f"slide-{n:04d}.png").write_bytes(slide_picture_bytes(n))
    engine = build_engine(url)
    with Session(engine) as session:
        decks = set(session.exec(select(Attachment.sha256).where(Attachment.kind == AttachmentKind.deck)))
    engine.dispose()
    for sha in decks:
        if not (slides_dir / sha).exists():
            (slides_dir / sha).symlink_to(drawn, target_is_directory=True)
    return len(decks)


class ServerMeter:
    """The app processes' CPU time (utime + stime, from /proc) over a run, and their memory (RSS) every few seconds."""

    def __init__(self, pids: list[int], every_s: float = 2.0) -> None:
        self.pids, self.every_s = pids, every_s
        self.rss: list[tuple[float, float]] = []  # (seconds since start, MB of all processes)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self.cpu_s = 0.0
        self.began = self.cpu_began = 0.0
        # Once every judge has signed in (argon2 checks are most of the CPU before): (time, CPU s, moves, runs).
        self.marked: tuple[float, float, int, int] | None = None
        self.steady: tuple[float, float, int, int] | None = None  # the same from the mark to the end: deltas

    def mark(self, moves: int, runs: int) -> None:
        self.marked = (time.monotonic(), sum(self._cpu(p) for p in self.pids), moves, runs)

    def since_mark(self, moves: int, runs: int) -> None:
        if self.marked is not None:
            t, cpu, m, r = self.marked
            self.steady = (time.monotonic() - t, sum(self._cpu(p) for p in self.pids) - cpu, moves - m, runs - r)

    @staticmethod
    def _cpu(pid: int) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _rss_mb(pid: int) -> float:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                self.rss.append((time.monotonic() - self.began, sum(self._rss_mb(p) for p in self.pids)))
            except OSError:
                return
            self._stop.wait(self.every_s)

    def __enter__(self) -> ServerMeter:
        self.began = time.monotonic()
        self.cpu_began = sum(self._cpu(p) for p in self.pids)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.cpu_s = sum(self._cpu(p) for p in self.pids) - self.cpu_began

    def rss_summary(self) -> str:
        if len(self.rss) < 2:
            return "RSS not sampled"
        ys = [mb for _, mb in self.rss]
        # The whole run's slope includes the warm-up (sign-ins, caches filling); a leak shows in the second half too.
        return (
            f"RSS start {ys[0]:.0f} MB, peak {max(ys):.0f} MB, end {ys[-1]:.0f} MB, slope {_slope(self.rss):+.1f} "
            f"MB/min ({_slope(self.rss[len(self.rss) // 2 :]):+.1f} over the second half)"
        )


def _slope(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) samples, in MB per minute."""
    if len(samples) < 2:
        return 0.0
    xs, ys = [t / 60 for t, _ in samples], [mb for _, mb in samples]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (sum((x - mx) ** 2 for x in xs) or 1.0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def serve(database_url: str, log_path: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """`streamlit run asgi.py` over database_url on a free loopback port, stopped (its whole group) afterwards."""
    with serve_process(database_url, log_path, extra_env) as (base_url, _):
        yield base_url


@contextmanager
def serve_process(
    database_url: str, log_path: Path, extra_env: dict[str, str] | None = None, *, root: Path = ROOT
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """serve(), also handing over the server's process (its own process group), to kill it from outside. The
    server reads the project's .streamlit/config.toml (it runs in the project folder); extra_env overrides."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LDAWARD_CLOCK": DEMO_CLOCK,
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    env.pop("LDAWARD_DATABASE_URL", None)
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "streamlit"),
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
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while not _healthy(base_url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.25)
        yield base_url, proc
    finally:
        for sig in ("TERM", "KILL"):
            if proc.poll() is not None:
                break
            os.killpg(proc.pid, getattr(__import__("signal"), f"SIG{sig}"))
            try:
                proc.wait(timeout=STOP_WAIT_S)
            except subprocess.TimeoutExpired:
                continue


# --- one virtual judge ------------------------------------------------------------------------------------------------


@dataclass
class Tally:
    move_ms: list[float] = field(default_factory=list)
    poll_ms: list[float] = field(default_factory=list)
    # Fragment polls whose second came while the tab was still waiting for an earlier run (a browser's would be
    # folded into the pending run): offered = served (poll_ms) + missed.
    polls_missed: int = 0
    live_polls: int = 0  # live-session polls served (the old page's 1 s fragment runs; the new page's long polls)
    runs: int = 0  # every run the judges asked for: sign-in, moves, polls
    signin_busy: int = 0  # sign-ins told "many people are signing in, try again" (and tried again)
    on_signed_in: Callable[[], None] | None = None  # called after each judge's sign-in
    signin_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    client_cpu_s: float = 0.0  # this load client's own CPU: near a core, its timings include its own queueing
    follow_ms: list[float] = field(default_factory=list)  # the organiser's click -> the judge page on that work
    advanced: dict[int, float] = field(default_factory=dict)  # submission -> when the organiser presented it
    answer_ms: list[float] = field(default_factory=list)  # the organiser's click -> the long poll's answer (in follow)
    # The organiser's click -> the page's run that catches up with a work the page drew from the work route (its
    # picker and buttons): nobody waits for it, but it is the rest of a follow's cost.
    caught_up_ms: list[float] = field(default_factory=list)
    acknowledged: dict[tuple[str, int, int], float] = field(default_factory=dict)
    # A move sent and not yet acknowledged (its run had not finished): if the server dies then, the database may hold
    # either this value or the one acknowledged before it.
    in_flight: dict[tuple[str, int, int], float] = field(default_factory=dict)
    # Where move_ms and follow_ms stood when the last judge had signed in: what comes after is the steady state,
    # without the sign-in storm (a hundred argon2 checks) that the run starts with.
    signed_in_at: tuple[int, int] | None = None

    def mark_signed_in(self, sessions: int) -> bool:
        if len(self.signin_ms) != sessions:
            return False
        self.signed_in_at = (len(self.move_ms), len(self.follow_ms))
        return True


class RunFailed(Exception):
    pass


class WsJudge:
    """A browser tab as the server sees it: one websocket, rerun requests with widget states, deltas back. As the
    judge page was before issue 18 (every slider move a rerun), this moves sliders through widget states."""

    def __init__(self, base_url: str, username: str, tally: Tally, rng: random.Random) -> None:
        self.base_url, self.username, self.tally, self.rng = base_url, username, tally, rng
        self.finished: asyncio.Queue[int] = asyncio.Queue()
        self.widgets: dict[str, tuple[str, object]] = {}  # user key -> (widget id, proto)
        self.sent: dict[tuple[int, int], float] = {}  # (submission, criterion) -> the slider's value, as last moved
        self.page_hash = ""
        self.fragments: dict[str, float] = {}  # fragment id -> interval (s)
        self.run_errors: list[str] = []
        self.components: dict[str, dict[str, object]] = {}  # component name -> the data the page last gave it
        self.live_trigger_id = ""  # the live banner's trigger widget (its "follow" event)
        self.live_fragment = ""  # the fragment the banner is drawn in ("": the whole page), as a browser would send
        self.handoff: str | None = None  # the one-time code the sign-in page's script trades for the cookie
        self.followed: set[int] = set()  # works presented that this page has shown

    async def _read(self, ws: websockets.ClientConnection) -> None:
        try:
            await self._read_until_closed(ws)
        finally:
            self.finished.put_nowait(CLOSED)  # a run waiting for its end learns at once that none will come

    async def _read_until_closed(self, ws: websockets.ClientConnection) -> None:
        async for data in ws:
            msg = ForwardMsg()
            msg.ParseFromString(data)  # type: ignore[arg-type]
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                which = element.WhichOneof("type")
                if which in ("slider", "text_input", "button"):
                    proto = getattr(element, which)
                    key = proto.id.rsplit("-", 1)[-1] if proto.id.startswith("$$ID-") else proto.id
                    self.widgets[key] = (proto.id, proto)
                elif which == "bidi_component":
                    component = element.bidi_component
                    # The page sends JSON bytes (pages/_ui.py component_data); a tree before that sent JSON text.
                    self.components[component.component_name] = json.loads(component.bytes or component.json or "{}")
                    if component.component_name == LIVE_COMPONENT:
                        self.live_trigger_id = _make_trigger_id(component.id, "events")
                        self.live_fragment = msg.delta.fragment_id
                elif which == "html" and (code := HANDOFF_CODE.search(element.html.body)):
                    self.handoff = json.loads(code[1])
                elif which == "exception":
                    self.run_errors.append(f"exception: {element.exception.message[:200]}")
                elif which == "alert" and element.alert.format == ERROR_ALERT:
                    self.run_errors.append(f"error message: {element.alert.body[:200]}")
            elif kind == "navigation":
                self.page_hash = msg.navigation.page_script_hash
            elif kind == "auto_rerun":
                self.fragments[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            elif kind == "stop_auto_rerun":
                self.fragments.pop(msg.stop_auto_rerun.fragment_id, None)
            elif kind == "script_finished":
                await self.finished.put(msg.script_finished)

    async def rerun(
        self,
        ws: websockets.ClientConnection,
        states: list[WidgetState],
        *,
        page_name: str = "",
        fragment_id: str = "",
        auto: bool = True,
    ) -> float:
        """Send one rerun and wait for its run to finish; returns the round trip in ms. Raises RunFailed when the
        page shows an exception or an error message, or nothing finishes within RUN_TIMEOUT_S."""
        while not self.finished.empty():
            if self.finished.get_nowait() == CLOSED:
                raise RunFailed("disconnected")
        self.run_errors = []
        back = BackMsg()
        rerun = back.rerun_script
        rerun.page_script_hash = self.page_hash
        rerun.page_name = page_name
        rerun.widget_states.widgets.extend(states)
        if fragment_id:
            rerun.fragment_id = fragment_id
            rerun.is_auto_rerun = auto  # a run_every tick; False: a widget inside the fragment changed
        began = time.perf_counter()
        self.tally.runs += 1
        await ws.send(back.SerializeToString())
        wanted = {FRAGMENT_DONE, DONE} if fragment_id else {DONE}
        try:
            async with asyncio.timeout(RUN_TIMEOUT_S):
                while (done := await self.finished.get()) not in wanted:
                    if done == CLOSED:
                        raise RunFailed("disconnected while the page ran")
        except TimeoutError:
            raise RunFailed(f"no script_finished within {RUN_TIMEOUT_S:g} s") from None
        elapsed = (time.perf_counter() - began) * 1000
        if self.run_errors:
            raise RunFailed("; ".join(self.run_errors))
        return elapsed

    def widget_id(self, key: str) -> str:
        if key not in self.widgets:
            raise RunFailed(f"no widget {key!r} on the page")
        return self.widgets[key][0]

    async def sign_in(self, ws: websockets.ClientConnection) -> None:
        await self.rerun(ws, [], page_name="signin")
        user, password = (
            WidgetState(id=self.widget_id("signin_username")),
            WidgetState(id=self.widget_id("signin_password")),
        )
        user.string_value, password.string_value = self.username, PASSWORD
        submit = next(
            (
                wid
                for wid, proto in self.widgets.values()
                if getattr(proto, "is_form_submitter", False) and proto.form_id == "signin_form"
            ),
            None,
        )
        if submit is None:
            raise RunFailed("no sign-in button")
        self.widgets.clear()
        began = time.perf_counter()
        for attempt in range(1, SIGNIN_TRIES + 1):
            try:
                await self.rerun(ws, [user, password, WidgetState(id=submit, trigger_value=True)])
                break
            except RunFailed as e:
                # "Many people are signing in at this moment; please try again in a little while": a person would.
                if SIGNIN_BUSY not in str(e) or attempt == SIGNIN_TRIES:
                    raise
                self.tally.signin_busy += 1
                await asyncio.sleep(self.rng.uniform(2.0, 5.0))
        if not self.on_judge_page():  # not on the judge page yet: open it (the default page for a judge)
            await self.rerun(ws, [])
        if not self.on_judge_page():
            raise RunFailed("signed in, but no score sheet on the judge page")
        self.tally.signin_ms.append((time.perf_counter() - began) * 1000)
        if self.tally.on_signed_in is not None:
            self.tally.on_signed_in()

    def connect(self) -> websockets.connect:
        """The tab's websocket to the server, as a browser opens it."""
        return websockets.connect(
            self.base_url.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            origin=self.base_url,
            max_size=None,
            open_timeout=60,  # type: ignore[arg-type]
            ping_interval=None,
        )

    def on_judge_page(self) -> bool:
        return bool(self.sliders())

    def note_follow(self) -> None:
        """The page now shows a work the organiser presented: how long after the click (once per work)."""
        shown = self.sliders()
        if shown and (sub := shown[0][0]) in self.tally.advanced and sub not in self.followed:
            self.followed.add(sub)
            self.tally.follow_ms.append((time.monotonic() - self.tally.advanced[sub]) * 1000)

    def sliders(self) -> list[tuple[int, int, str, float]]:
        """(submission, criterion, widget id, max) of the sliders of the work on screen (the last one drawn)."""
        found = [
            (int(m[1]), int(m[2]), wid, float(proto.max))
            for key, (wid, proto) in self.widgets.items()
            if (m := SLIDER_KEY.search(key)) and not proto.disabled
        ]  # type: ignore[attr-defined]
        if not found:
            return []
        last = found[-1][0]
        return [s for s in found if s[0] == last]

    async def score(self, until: float, think: tuple[float, float], *, min_moves: int = 0) -> None:
        """Sign in, then move sliders (and poll as the page's fragments ask) until `until` — and, with min_moves,
        at least until that many moves were acknowledged (a loaded machine may spend the whole window signing in),
        for at most MIN_MOVES_GRACE_S more."""
        try:
            async with self.connect() as ws:
                reader = asyncio.create_task(self._read(ws))
                try:
                    await self.sign_in(ws)
                    next_move = time.monotonic() + self.rng.uniform(*think)
                    next_poll = {f: time.monotonic() + i for f, i in self.fragments.items()}
                    moves, hard_stop = 0, max(until, time.monotonic()) + MIN_MOVES_GRACE_S
                    while time.monotonic() < until or (moves < min_moves and time.monotonic() < hard_stop):
                        if reader.done():
                            raise RunFailed("disconnected")
                        now = time.monotonic()
                        for f in set(next_poll) - set(self.fragments):  # a fragment the page no longer runs
                            del next_poll[f]
                        for f in set(self.fragments) - set(next_poll):  # one it started running (or anew)
                            next_poll[f] = now + self.fragments[f]
                        due_poll = min(next_poll.items(), key=lambda kv: kv[1], default=None)
                        if now >= next_move:
                            await self.move(ws)
                            moves += 1
                            next_move = time.monotonic() + self.rng.uniform(*think)
                        elif due_poll is not None and now >= due_poll[1]:
                            # Polls keep their beat, as a browser's timer does: the seconds that passed while this
                            # tab waited for a slow run are polls the server could not serve.
                            interval = self.fragments.get(due_poll[0], 1.0)
                            missed = int((now - due_poll[1]) // interval)
                            self.tally.polls_missed += missed
                            self.tally.poll_ms.append(await self.rerun(ws, [], fragment_id=due_poll[0]))
                            self.tally.live_polls += interval <= 1.0
                            self.note_follow()
                            next_poll[due_poll[0]] = due_poll[1] + (missed + 1) * interval
                        else:
                            wake = min(
                                next_move, due_poll[1] if due_poll else next_move, until if now < until else hard_stop
                            )
                            await asyncio.sleep(max(0.0, wake - now))
                finally:
                    reader.cancel()
        except RunFailed as e:
            self.tally.errors.append(f"{self.username}: {e}")
        except (OSError, websockets.WebSocketException) as e:
            self.tally.errors.append(f"{self.username}: disconnected: {type(e).__name__}: {e}")

    async def move(self, ws: websockets.ClientConnection) -> None:
        sliders = self.sliders()
        if not sliders:
            raise RunFailed("the sliders went away")
        sub, crit, wid, top = self.rng.choice(sliders)
        # A move goes somewhere else: sending the value the slider already has (0 on a fresh sheet) is no move, and a
        # browser sends nothing then (the page would rightly save nothing).
        shown = self.sent.get((sub, crit), 0.0)
        value = self.rng.choice([v / 2 for v in range(int(top * 2) + 1) if v / 2 != shown])
        state = WidgetState(id=wid)
        state.double_array_value.data.append(value)
        self.tally.in_flight[(self.username, sub, crit)] = value
        self.tally.move_ms.append(await self.rerun(ws, [state]))
        del self.tally.in_flight[(self.username, sub, crit)]
        self.tally.acknowledged[(self.username, sub, crit)] = value  # the run finished with no error: saved
        self.sent[(sub, crit)] = value


class HttpClient:
    """One keep-alive HTTP/1.1 connection to the app's own routes, as a browser tab holds: small JSON requests, the
    session cookie. Loopback only, no client library (the bench needs nothing the project does not)."""

    def __init__(self, base_url: str) -> None:
        host, port = base_url.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self.cookie = ""
        self._conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(
        self, method: str, path: str, body: object = None, *, timeout_s: float = RUN_TIMEOUT_S
    ) -> tuple[int, dict[str, str], bytes]:
        for attempt in (1, 2):  # a keep-alive connection the server closed meanwhile: once more on a new one
            try:
                async with asyncio.timeout(timeout_s):
                    return await self._exchange(method, path, body)
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _exchange(self, method: str, path: str, body: object) -> tuple[int, dict[str, str], bytes]:
        if self._conn is None:
            self._conn = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._conn
        raw = b"" if body is None else json.dumps(body).encode()
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            f"Content-Length: {len(raw)}",
            f"Origin: http://{self.host}:{self.port}",
        ]
        if body is not None:
            head.append("Content-Type: application/json")
        if self.cookie:
            head.append(f"Cookie: {self.cookie}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + raw)
        await writer.drain()
        status_line = await reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        cookies = []
        while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
            if name.strip().lower() == "set-cookie":
                cookies.append(value.strip().split(";", 1)[0])
        if headers.get("transfer-encoding") == "chunked":
            data = b""
            while (size := int((await reader.readuntil(b"\r\n")).strip(), 16)) > 0:
                data += await reader.readexactly(size + 2)
                data = data[:-2]
            await reader.readuntil(b"\r\n")
        else:
            data = await reader.readexactly(int(headers.get("content-length", "0")))
        if cookies:
            self.cookie = "; ".join(cookies)
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, data

    async def close(self) -> None:
        if self._conn is not None:
            self._conn[1].close()
            self._conn = None


def sheet_on_screen(components: dict[str, dict[str, object]]) -> tuple[int, int, list[tuple[int, float]]] | None:
    """(submission, version, [(criterion, max points)]) of the score sheet the judge page mounted, from the data it
    handed its component (pages/score_sheet), or None when there is none (or it is locked)."""
    data = components.get(SHEET_COMPONENT)
    if not data or data.get("locked"):
        return None
    criteria = [(int(c["id"]), float(c["max"])) for c in data["criteria"]]  # type: ignore[union-attr]
    return int(data["submission"]), int(data.get("version") or 0), criteria  # type: ignore[call-overload]


class VirtualJudge(WsJudge):
    """A browser tab on the judge page as it is now: the page itself over the websocket (sign-in, the work on
    screen, switching work when the live session moves on), each slider move as one small JSON request to the save
    route (no rerun), and the live session through one long poll held open."""

    def __init__(self, base_url: str, username: str, tally: Tally, rng: random.Random) -> None:
        super().__init__(base_url, username, tally, rng)
        self.http = HttpClient(base_url)
        self.versions: dict[int, int] = {}  # submission -> the sheet version last answered
        self.edition = 0

    def on_judge_page(self) -> bool:
        return SHEET_COMPONENT in self.components

    async def take_cookie(self) -> None:
        """Do what the sign-in page's script does: trade the one-time code for the session cookie."""
        if self.handoff is None:
            raise RunFailed("no session code on the page after signing in")
        status, _, body = await self.http.request("POST", "/auth/session", {"code": self.handoff})
        if status != 204 or not self.http.cookie:
            raise RunFailed(f"/auth/session answered {status}: {body[:200]!r}")

    async def score(self, until: float, think: tuple[float, float], *, min_moves: int = 0) -> None:
        try:
            async with self.connect() as ws:
                reader = asyncio.create_task(self._read(ws))
                poller: asyncio.Task[None] | None = None
                try:
                    await self.sign_in(ws)
                    await self.take_cookie()
                    live = self.components.get(LIVE_COMPONENT)
                    if live is not None:
                        self.edition = int(live["edition"])  # type: ignore[call-overload]
                        poller = asyncio.create_task(self.follow(ws, until))
                    moves, hard_stop = 0, max(until, time.monotonic()) + MIN_MOVES_GRACE_S
                    while time.monotonic() < until or (moves < min_moves and time.monotonic() < hard_stop):
                        if reader.done():
                            raise RunFailed("disconnected")
                        if poller is not None and poller.done() and poller.exception() is not None:
                            raise RunFailed(f"following failed: {poller.exception()}")
                        await asyncio.sleep(self.rng.uniform(*think))
                        await self.move()
                        moves += 1
                finally:
                    reader.cancel()
                    if poller is not None:
                        poller.cancel()
                    await self.http.close()
        except RunFailed as e:
            self.tally.errors.append(f"{self.username}: {e}")
        except (OSError, websockets.WebSocketException) as e:
            self.tally.errors.append(f"{self.username}: disconnected: {type(e).__name__}: {e}")

    def on_sheet(self) -> tuple[int, int, list[tuple[int, float]]]:
        sheet = sheet_on_screen(self.components)
        if sheet is None:
            raise RunFailed("no open score sheet on the judge page")
        return sheet

    async def move(self) -> None:
        sub, version, criteria = self.on_sheet()
        crit, top = self.rng.choice(criteria)
        shown = self.sent.get((sub, crit), 0.0)
        value = self.rng.choice([v / 2 for v in range(int(top * 2) + 1) if v / 2 != shown])
        body = {"submission": sub, "version": self.versions.get(sub, version), "points": {str(crit): value}}
        self.tally.in_flight[(self.username, sub, crit)] = value
        began = time.perf_counter()
        status, _, answer = await self.http.request("POST", SAVE_PATH, body)
        if status != 200:
            raise RunFailed(f"save answered {status}: {answer[:200]!r}")
        self.tally.move_ms.append((time.perf_counter() - began) * 1000)
        self.versions[sub] = int(json.loads(answer)["version"])
        del self.tally.in_flight[(self.username, sub, crit)]
        self.tally.acknowledged[(self.username, sub, crit)] = value
        self.sent[(sub, crit)] = value

    async def follow(self, ws: websockets.ClientConnection, until: float) -> None:
        """The banner's long poll, on a connection of its own; when the organiser presents another work, fetch it
        from the work route and draw it (as the banner does: the follow delay ends here), then, 1-2 s later as the
        banner does, ask the page to catch up (one rerun, as the banner's trigger does, noted as caught_up_ms). A
        server without the work route (an older commit) draws the work by that rerun, which ends the follow delay."""
        poll = HttpClient(self.base_url)
        poll.cookie = self.http.cookie
        seen = ""
        try:
            while time.monotonic() < until:
                status, _, raw = await poll.request(
                    "GET", f"{LIVE_PATH}?edition={self.edition}{seen}", timeout_s=LIVE_WAIT_S + 30
                )
                if status != 200:
                    raise RunFailed(f"live poll answered {status}: {raw[:200]!r}")
                self.tally.live_polls += 1
                answer = json.loads(raw)
                seen = f"&v={answer['v']}&r={answer['r']}"
                target = (answer.get("live") or {}).get("submission")
                on_screen = sheet_on_screen(self.components)
                if target is None or (on_screen is not None and on_screen[0] == target):
                    continue
                moved_at = self.tally.advanced.get(target)
                if moved_at is not None:
                    self.tally.answer_ms.append((time.monotonic() - moved_at) * 1000)
                status, _, raw = await poll.request(
                    "GET", f"{WORK_PATH}?edition={self.edition}&submission={target}&lang=th&next=1"
                )
                drawn = status == 200 and raw.startswith(b"{")  # not a server without the route (its page's HTML)
                if drawn:
                    fetched = json.loads(raw)
                    self.components[SHEET_COMPONENT] = fetched["sheet"]
                    self.components[WORK_COMPONENT] = fetched["work"]
                    if moved_at is not None:
                        self.tally.follow_ms.append((time.monotonic() - moved_at) * 1000)
                    await asyncio.sleep(self.rng.uniform(1.0, 2.0))  # the banner's wait before the page catches up
                trigger = WidgetState(id=self.live_trigger_id)
                trigger.json_trigger_value = json.dumps([{"event": "follow", "value": target}])
                await self.rerun(ws, [trigger], fragment_id=self.live_fragment, auto=False)
                if moved_at is not None:
                    done_ms = (time.monotonic() - moved_at) * 1000
                    (self.tally.caught_up_ms if drawn else self.tally.follow_ms).append(done_ms)
        finally:
            await poll.close()


# --- a run ------------------------------------------------------------------------------------------------------------


@dataclass
class Result:
    database: str
    sessions: int
    seconds: float
    tally: Tally
    lost: list[str]
    server_cpu_s: float = float("nan")
    rss: str = ""
    label: str = ""
    steady: tuple[float, float, int, int] | None = None  # ServerMeter.steady

    def line(self) -> str:
        ms = sorted(self.tally.move_ms)

        def pct(p: float) -> float:
            return ms[min(len(ms) - 1, int(p * len(ms)))] if ms else float("nan")

        polls = sorted(self.tally.poll_ms)
        offered = len(polls) + self.tally.polls_missed
        moves = len(ms)
        minutes = self.seconds / 60
        follow = self.tally.follow_ms
        return (
            f"[{self.database}{' · ' + self.label if self.label else ''}] {self.sessions} judges, "
            f"{self.seconds:.0f} s: {moves} slider saves, "
            f"p50 {pct(0.5):.0f} ms, p95 {pct(0.95):.0f} ms, max {ms[-1] if ms else float('nan'):.0f} ms; "
            f"{len(polls)} of {offered} fragment polls served, "
            f"p95 {polls[int(0.95 * len(polls))] if polls else float('nan'):.0f} ms; "
            f"{self.tally.live_polls} live-session answers; "
            f"follow delay p50 {pct_of(follow, 0.5):.0f} ms, p95 {pct_of(follow, 0.95):.0f} ms ({len(follow)}; "
            f"the long poll's answer p50 {pct_of(self.tally.answer_ms, 0.5):.0f} ms, "
            f"p95 {pct_of(self.tally.answer_ms, 0.95):.0f} ms; the page's run caught up p50 "
            f"{pct_of(self.tally.caught_up_ms, 0.5):.0f} ms, p95 {pct_of(self.tally.caught_up_ms, 0.95):.0f} ms); "
            f"sign-in p50 {statistics.median(self.tally.signin_ms) if self.tally.signin_ms else float('nan'):.0f}"
            f" ms ({self.tally.signin_busy} told to try again); lost {len(self.lost)}; "
            f"errors {len(self.tally.errors)}\n"
            f"    server CPU {self.server_cpu_s:.1f} s = {self.server_cpu_s / self.seconds:.2f} core, "
            f"{1000 * self.server_cpu_s / max(1, moves):.0f} ms per slider move; "
            f"{self.tally.runs / max(1, self.sessions) / minutes:.0f} reruns per minute per judge, "
            f"{moves / max(1, self.sessions) / minutes:.1f} moves; {self.rss}; "
            f"load client CPU {self.tally.client_cpu_s / self.seconds:.2f} core" + self.steady_line()
        )

    def steady_line(self) -> str:
        if self.steady is None or self.steady[0] <= 0:
            return ""
        seconds, cpu, moves, runs = self.steady
        saves_from, follows_from = self.tally.signed_in_at or (0, 0)
        saves, follows = self.tally.move_ms[saves_from:], self.tally.follow_ms[follows_from:]
        return (
            f"\n    once all had signed in ({seconds:.0f} s): server CPU {cpu / seconds:.2f} core, "
            f"{1000 * cpu / max(1, moves):.0f} ms per slider move ({moves} moves), "
            f"{runs / max(1, self.sessions) / (seconds / 60):.0f} reruns per minute per judge; "
            f"saves p50 {pct_of(saves, 0.5):.0f} ms, p95 {pct_of(saves, 0.95):.0f} ms; "
            f"follow delay p50 {pct_of(follows, 0.5):.0f} ms, p95 {pct_of(follows, 0.95):.0f} ms ({len(follows)})"
        )


def pct_of(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")


def check_saved(
    url: str,
    acknowledged: dict[tuple[str, int, int], float],
    in_flight: dict[tuple[str, int, int], float] | None = None,
) -> list[str]:
    """Every acknowledged slider value as it is in the database; where a later move was in flight when the server
    died, that value is as good (the save may have committed just before)."""
    in_flight = in_flight or {}
    engine = build_engine(url)
    lost = []
    with Session(engine) as session:
        ids = {u.username: u.id for u in session.exec(select(User))}
        stored = {(s.judge_id, s.submission_id, s.criterion_id): s.points for s in session.exec(select(Score))}
    for (username, sub, crit), value in acknowledged.items():
        if (found := stored.get((ids[username], sub, crit))) != value and found != in_flight.get((username, sub, crit)):
            lost.append(f"{username} {sub}/{crit}: acknowledged {value}, stored {found}")
    engine.dispose()
    return lost


@contextmanager
def baseline_tree(commit: str = BASELINE_COMMIT) -> Iterator[Path]:
    """The project as it was at commit (before issue 18 unless told), in a scratch folder, to serve side by side."""
    with tempfile.TemporaryDirectory(prefix="ldaward-baseline-") as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        yield Path(tmp)


async def organiser_moves_on(url: str, until: float, tally: Tally, every_s: float = ADVANCE_EVERY_S) -> None:
    """The organiser presents the next work every every_s (live.advance, as the live desk's button does),
    noting when, so each judge page's follow delay can be measured from the click."""
    engine = build_engine(url)

    def advance() -> None:
        with Session(engine, expire_on_commit=False) as session:
            edition = current_edition(session=session)
            running = live.current(session=session, edition_id=edition.id) if edition else None
            if running is None or running.next_slot is None or running.next_slot.work is None:
                return
            tally.advanced[running.next_slot.work.submission_id] = time.monotonic()
            live.advance(session=session, live_id=running.id, actor="organiser")

    try:
        while time.monotonic() + every_s < until:
            await asyncio.sleep(every_s)
            await asyncio.to_thread(advance)
    finally:
        engine.dispose()


def run_load(
    database: str,
    url: str,
    *,
    sessions: int,
    seconds: float,
    think: tuple[float, float] = (1.5, 4.5),
    log_dir: Path | None = None,
    replicas: int = 1,
    live_session: bool = False,
    advance_every_s: float = ADVANCE_EVERY_S,
    old_server: bool = False,
    served_commit: str | None = None,
    label: str = "",
) -> Result:
    """sessions judges for seconds against `replicas` app processes on the one database (judges spread over them in
    turn, as a load balancer would), then every acknowledged score checked in the database. live_session: a live
    pitching session runs and the organiser moves on every advance_every_s; old_server: the project as before issue
    18 (BASELINE_COMMIT), driven as its page asked (a rerun per move, a fragment run per second); served_commit:
    the project as it was at that commit, driven as the page is now (to compare with a recent commit)."""
    usernames = prepare(url, sessions, live_session=live_session)
    tally = Tally()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as servers:
        commit = served_commit or (BASELINE_COMMIT if old_server else None)
        root = servers.enter_context(baseline_tree(commit)) if commit else ROOT
        env = {"LDAWARD_SLIDES_DIR": str(Path(tmp) / "slides")}
        if replicas > 1 and "LDAWARD_PAGE_RUN_TURNS" not in os.environ:
            # As README's deployment note says: processes sharing one machine share its cores, so each takes its
            # share of the page-run turns (one per core per process would let them draw twice as many at once).
            env["LDAWARD_PAGE_RUN_TURNS"] = str(max(1, (os.cpu_count() or 2) // replicas))
        prepare_pictures(url, Path(tmp) / "slides")
        started = [
            servers.enter_context(
                serve_process(
                    url,
                    (log_dir or Path(tmp)) / f"streamlit-load-{database.lower()}{'-old' if old_server else ''}-{n}.log",
                    env,
                    root=root,
                )
            )
            for n in range(replicas)
        ]
        base_urls = [base_url for base_url, _ in started]
        judge_class = WsJudge if old_server else VirtualJudge

        async def everyone() -> None:
            until = time.monotonic() + seconds
            judges = [
                judge_class(base_urls[i % replicas], name, tally, random.Random(i)) for i, name in enumerate(usernames)
            ]

            async def staggered(i: int, judge: WsJudge) -> None:
                await asyncio.sleep(i * min(0.2, seconds / 10 / max(1, sessions)))  # not all in one instant
                await judge.score(until, think)

            organiser = [organiser_moves_on(url, until, tally, advance_every_s)] if live_session else []
            await asyncio.gather(*(staggered(i, j) for i, j in enumerate(judges)), *organiser)

        began, client_began = time.monotonic(), time.process_time()
        with ServerMeter([proc.pid for _, proc in started]) as meter:
            tally.on_signed_in = lambda: (
                meter.mark(len(tally.move_ms), tally.runs) if tally.mark_signed_in(sessions) else None
            )
            asyncio.run(everyone())
            meter.since_mark(len(tally.move_ms), tally.runs)
        elapsed = time.monotonic() - began
        tally.client_cpu_s = time.process_time() - client_began
    name = database if replicas == 1 else f"{database} × {replicas} app processes"
    return Result(
        name,
        sessions,
        elapsed,
        tally,
        check_saved(url, tally.acknowledged),
        meter.cpu_s,
        meter.rss_summary(),
        label or ("before issue 18" if old_server else ""),
        meter.steady,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.5, 4.5),
        metavar=("MIN_S", "MAX_S"),
        help="seconds between one judge's slider moves (uniform)",
    )
    parser.add_argument("--live", action="store_true", help="a live pitching session runs: pages poll each second")
    parser.add_argument(
        "--compare", action="store_true", help="also the server as before issue 18, interleaved with the current one"
    )
    parser.add_argument("--old", action="store_true", help="only the server as before issue 18")
    parser.add_argument(
        "--previous", metavar="COMMIT", help="also the project at COMMIT, driven as now: COMMIT, now, COMMIT, now"
    )
    parser.add_argument("--log-dir", type=Path, help="keep the server's log here")
    parser.add_argument(
        "--replicas",
        type=int,
        default=1,
        help="app processes on the one database, judges spread over them (PostgreSQL is the way to "
        "grow past one process; SQLite works too, on one machine)",
    )
    args = parser.parse_args()
    sides: list[bool | str] = [False, True] if args.compare else [args.old]
    if args.previous:
        sides = [args.previous, False, args.previous, False]  # alternately: A B A B
    failed = 0
    for kind in ("SQLite", "PostgreSQL"):
        if args.db != "both" and kind.lower() != {"sqlite": "sqlite", "postgres": "postgresql"}[args.db]:
            continue
        for old in sides:
            try:
                with scratch_database(kind) as url:
                    result = run_load(
                        kind,
                        url,
                        sessions=args.sessions,
                        seconds=args.seconds,
                        think=tuple(args.think),
                        log_dir=args.log_dir,
                        replicas=args.replicas,
                        live_session=args.live,
                        old_server=old is True,
                        served_commit=old if isinstance(old, str) else None,
                        label=old if isinstance(old, str) else "before issue 18" if old else "now",
                    )
            except ConnectionError as e:
                print(f"[{kind}] skipped: {e}")
                break
            print(result.line(), flush=True)
            for problem in (result.tally.errors + result.lost)[:10]:
                print(f"  {problem}")
            failed += bool(result.tally.errors or result.lost)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
