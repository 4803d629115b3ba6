"""The live session as every page follows it, answered from memory: one thread per process keeps it fresh.

Judges' pages ask each second what is being presented. Asking the database each time costs a query per page per
second; here a page's question costs none. One background thread per process (per database) learns of changes:
- on PostgreSQL from a NOTIFY sent in the same transaction as the organiser's change (one listening connection per
  process, reconnecting after a restart), so every replica knows within milliseconds;
- on SQLite (one machine, perhaps several processes) by one tiny read of the running sessions every POLL_S.
A change made in this process refreshes it at once (`changed`). A failed refresh keeps the last state.

Browsers do not ask each second: a judge's page holds one long poll open (`wait`, behind web_routes' live route),
answered the moment the snapshot moves, so following the presenter costs neither a query nor a Streamlit rerun.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import AuditEvent, LiveSession
from services.platform.db import session_scope

if TYPE_CHECKING:
    from services.pitching.live import LiveView

log = logging.getLogger(__name__)

CHANNEL = "ldaward_live"
POLL_S = 0.3  # SQLite: how often each process reads the running sessions' few columns
FALLBACK_S = 5.0  # PostgreSQL: a read this often besides NOTIFY, in case a notification is ever missed
REBUILD_S = 15.0  # the whole view again now and then: the day's schedule edited while a session runs
FIRST_LOAD_WAIT_S = 5.0  # a page asking before the first read has finished waits this long at most
REMIND_ACTIONS = ("live.remind", "judging.remind")  # as live.REMIND_ACTIONS (imported there from here)


@dataclass(frozen=True)
class Snapshot:
    """What the feed holds: `version` grows whenever any running session changes, `reminders` whenever a judge is
    reminded (the newest reminder's audit id), so a page compares numbers instead of reading the database."""

    version: int
    reminders: int


class LiveFeed:
    """One process's copy of the running live sessions of one database. `current()` never touches the database."""

    def __init__(self, engine: Engine, *, poll_s: float = POLL_S, fallback_s: float = FALLBACK_S) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        self.poll_s, self.fallback_s = poll_s, fallback_s
        self.failures = 0  # refreshes that failed (the last state was kept)
        self.listening = False  # PostgreSQL: LISTEN is in place on a live connection
        self._views: dict[int, LiveView] = {}
        self._marks: dict[int, tuple[Any, ...]] = {}  # edition id -> the row's columns the view was built from
        self._snapshot = Snapshot(0, 0)
        self._rebuilt_at = 0.0
        self._state_lock = threading.Lock()
        self._refresh_lock = threading.Lock()
        self._loaded = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []  # long polls to wake

    # --- what pages ask -------------------------------------------------------------------------------------------
    def current(self, edition_id: int, now: datetime | None = None) -> LiveView | None:
        """The edition's running session (a live.LiveView with its countdown as of now), or None. No query."""
        self.start()
        self._loaded.wait(FIRST_LOAD_WAIT_S)
        with self._state_lock:
            view = self._views.get(edition_id)
        if view is None:
            return None
        from services.pitching import live  # live imports this module

        return dataclasses.replace(
            view,
            seconds_left=live.seconds_left(
                view.stage, view.stage_started_at, view.stage_minutes, now or datetime.now(UTC)
            ),
        )

    def snapshot(self) -> Snapshot:
        self.start()
        self._loaded.wait(FIRST_LOAD_WAIT_S)
        with self._state_lock:
            return self._snapshot

    @property
    def loaded(self) -> bool:
        """The first read has finished (until then current() and snapshot() may block for a while)."""
        return self._loaded.is_set()

    async def wait(self, seen: Snapshot, timeout_s: float) -> Snapshot:
        """The snapshot once it differs from `seen`, or as it is after timeout_s: a long poll's answer. Awaited on
        the server's event loop, it holds no thread while it waits (a hundred judges' pages hold a hundred polls)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._state_lock:
            if self._snapshot != seen:
                return self._snapshot
            self._waiters.append((loop, future))
        try:
            await asyncio.wait_for(future, timeout_s)
        except TimeoutError:
            pass
        finally:
            with self._state_lock:
                if (loop, future) in self._waiters:
                    self._waiters.remove((loop, future))
        with self._state_lock:
            return self._snapshot

    def _wake(self) -> None:
        """Answer every waiting long poll (called with the new snapshot in place)."""
        with self._state_lock:
            waiters, self._waiters = self._waiters, []
        for loop, future in waiters:
            with contextlib.suppress(RuntimeError):  # that loop has closed: nobody is waiting there any more
                loop.call_soon_threadsafe(_resolve, future)

    # --- keeping it fresh -----------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        with self._state_lock:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(target=self._run, name="ldaward-live-feed", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)

    def refresh(self, *, rebuild: bool = False) -> bool:
        """Read the running sessions (a few columns of a few rows) and rebuild the views of those that changed.
        False when the database did not answer: the last state stays."""
        from services.pitching import live

        with self._refresh_lock:
            rebuild = rebuild or time.monotonic() - self._rebuilt_at > REBUILD_S
            try:
                with session_scope(self.engine, read_only=True) as session:
                    marks, reminders = _marks(session)
                    stale = {e for e, m in marks.items() if rebuild or m != self._marks.get(e)}
                    views = {e: live.current(session=session, edition_id=e) for e in sorted(stale)}
            except Exception:
                self.failures += 1
                log.warning("live feed: could not read the live sessions; keeping the last state", exc_info=True)
                return False
            if rebuild:
                self._rebuilt_at = time.monotonic()
            with self._state_lock:
                old = dict(self._views)
                fresh = {e: views[e] if e in views else old.get(e) for e in marks}
                self._views = {e: v for e, v in fresh.items() if v is not None}
                self._marks = {e: m for e, m in marks.items() if e in self._views}
                moved = set(old) != set(self._views) or any(
                    _sans_clock(old[e]) != _sans_clock(self._views[e]) for e in self._views if e in old
                )
                before = self._snapshot
                self._snapshot = Snapshot(before.version + moved, max(reminders, before.reminders))
                woken = self._snapshot != before
            if woken:
                self._wake()
            return True

    def _run(self) -> None:
        try:
            self.refresh(rebuild=True)
        finally:
            self._loaded.set()
        if self.postgres:
            self._listen()
        else:
            while not self._stop.wait(self.poll_s):
                self.refresh()

    def _listen(self) -> None:
        import psycopg

        conninfo = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        conn: psycopg.Connection[Any] | None = None
        next_read = time.monotonic() + self.fallback_s
        backoff = 0.2
        while not self._stop.is_set():
            try:
                if conn is None:
                    conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=5)
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening, backoff = True, 0.2
                    self.refresh()  # whatever changed while nobody listened
                wait = min(1.0, max(0.01, next_read - time.monotonic()))  # wake each second to notice stop()
                heard = any(True for _ in conn.notifies(timeout=wait, stop_after=1))
                if heard or time.monotonic() >= next_read:
                    self.refresh()
                    next_read = time.monotonic() + self.fallback_s
            except psycopg.Error:
                log.warning("live feed: the listening connection failed; reconnecting", exc_info=True)
                self.listening = False
                if conn is not None:
                    conn.close()
                conn = None
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 2.0)
        self.listening = False
        if conn is not None:
            conn.close()


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _marks(session: Session) -> tuple[dict[int, tuple[Any, ...]], int]:
    rows = session.exec(
        select(LiveSession).where(col(LiveSession.ended_at).is_(None)).order_by(col(LiveSession.id))
    ).all()
    # the newest running session of an edition wins, as in live.current()
    marks = {r.edition_id: (r.id, r.current_slot_id, str(r.stage), r.stage_started_at) for r in rows}
    newest = session.exec(select(func.max(AuditEvent.id)).where(col(AuditEvent.action).in_(REMIND_ACTIONS))).one()
    return marks, int(newest or 0)


def _sans_clock(view: LiveView) -> LiveView:
    return dataclasses.replace(view, seconds_left=None)


_feeds: dict[str, LiveFeed] = {}
_feeds_lock = threading.Lock()


def _key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def feed(engine: Engine) -> LiveFeed:
    """This process's feed for engine's database (started on first use)."""
    key = _key(engine)
    with _feeds_lock:
        hub = _feeds.get(key)
        if hub is None:
            hub = _feeds[key] = LiveFeed(engine)
    hub.start()
    return hub


def current(engine: Engine, edition_id: int) -> LiveView | None:
    """The edition's running live session as live.current() would say, from memory."""
    return feed(engine).current(edition_id)


def announce(session: Session) -> None:
    """Within the transaction that changes a live session: other processes hear of it when it commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


def changed(session: Session) -> None:
    """After the commit: this process's feed for the session's database reads the change at once."""
    with _feeds_lock:
        hub = _feeds.get(_key(session.get_bind().engine))
    if hub is not None:
        hub.refresh()


def stop_all() -> None:
    """Stop every feed of this process (tests, before their databases are dropped)."""
    with _feeds_lock:
        hubs = list(_feeds.values())
        _feeds.clear()
    for hub in hubs:
        hub.stop()
