"""The live feed: judges' pages learn the live session from memory; changes made by another process reach it (on
PostgreSQL through NOTIFY), a database failure keeps the last state, and reading costs no query."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import LiveStage, User
from services.contest import editions
from services.pitching import live, live_feed, schedule
from services.platform.db import build_engine

T = TypeVar("T")
WAIT_S = 20.0  # generous: the feed polls every 0.3 s (SQLite) or hears a NOTIFY (PostgreSQL)


def eventually(probe: Callable[[], T], what: str) -> T:
    deadline = time.monotonic() + WAIT_S
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {WAIT_S} s: {what}")
        time.sleep(0.05)


@pytest.fixture
def two_engines(demo_db_url: str) -> Iterator[tuple[Engine, Engine]]:
    """Two engines on one database, as two app processes (replicas) have."""
    a, b = build_engine(demo_db_url), build_engine(demo_db_url)
    yield a, b
    live_feed.stop_all()
    a.dispose()
    b.dispose()


@pytest.fixture
def pitching(two_engines: tuple[Engine, Engine]) -> tuple[int, schedule.DayView]:
    _, b = two_engines
    with Session(b, expire_on_commit=False) as s:
        edition = editions.current_edition(session=s)
        days = schedule.generate(
            session=s,
            edition_id=edition.id,
            actor="organiser",
            params=schedule.ScheduleParams(days=(date(2021, 8, 4), date(2021, 8, 5), date(2021, 8, 6))),
        )
    return edition.id, days[0]


def organiser(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def test_another_process_advancing_reaches_this_feed(two_engines, pitching):
    """Feed on engine A, organiser on engine B: B's changes reach A's memory. On PostgreSQL the feed's own reads
    are minutes apart here, so only the NOTIFY sent with B's commit can deliver them in time."""
    a, b = two_engines
    edition_id, day = pitching
    feed = live_feed.LiveFeed(a, fallback_s=600)  # not registered: B's process-local refresh cannot reach it
    try:
        assert feed.current(edition_id) is None
        with organiser(b) as s:
            running = live.start(session=s, edition_id=edition_id, day_id=day.id, actor="organiser")
        eventually(lambda: feed.current(edition_id) is not None, "the started session")
        expected = []
        for slot in day.pitches[:3]:
            with organiser(b) as s:
                live.advance(session=s, live_id=running.id, actor="organiser")
            expected.append(slot.work.submission_id)
            view = eventually(
                lambda sid=slot.work.submission_id: (
                    (v := feed.current(edition_id)) is not None and v.submission_id == sid and v
                ),
                f"work {slot.work.submission_id}",
            )
            assert view.stage == LiveStage.presentation and view.slot.id == slot.id
        assert feed.snapshot().version >= 4  # started, then three advances
        with organiser(b) as s:
            live.end(session=s, live_id=running.id, actor="organiser")
        eventually(lambda: feed.current(edition_id) is None, "the ended session gone")
        if a.dialect.name == "postgresql":
            assert feed.listening
    finally:
        feed.stop()


def test_a_reminder_moves_the_reminder_mark(two_engines, pitching):
    a, b = two_engines
    _, day = pitching
    feed = live_feed.LiveFeed(a, fallback_s=600)
    try:
        before = feed.snapshot().reminders
        with organiser(b) as s:
            dga = s.exec(select(User).where(User.username == "judge-dga")).one()
            live.remind(
                session=s, judge_ids=[dga.id], submission_id=day.pitches[0].work.submission_id, actor="organiser"
            )
        eventually(lambda: feed.snapshot().reminders > before, "the reminder's mark")
    finally:
        feed.stop()


def test_this_process_sees_its_own_change_at_once(two_engines, pitching):
    """The organiser's own process does not wait for a poll: the service refreshes its feed after the commit."""
    a, b = two_engines
    edition_id, day = pitching
    feed = live_feed.feed(a)
    feed.poll_s = 3600  # the background reads cannot be what delivers it
    feed.fallback_s = 3600
    feed.current(edition_id)
    with organiser(b) as s:
        running = live.start(session=s, edition_id=edition_id, day_id=day.id, actor="organiser")
        live.advance(session=s, live_id=running.id, actor="organiser")
    view = live_feed.current(a, edition_id)
    assert view is not None and view.submission_id == day.pitches[0].work.submission_id


def test_reading_the_feed_costs_no_query(two_engines, pitching):
    a, b = two_engines
    edition_id, day = pitching
    with organiser(b) as s:
        running = live.start(session=s, edition_id=edition_id, day_id=day.id, actor="organiser")
        live.advance(session=s, live_id=running.id, actor="organiser")
    feed = live_feed.feed(a)
    eventually(lambda: feed.current(edition_id) is not None, "the running session")
    reader = threading.get_ident()
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if threading.get_ident() == reader:
            statements.append(statement)

    event.listen(a, "before_cursor_execute", count)
    try:
        views = [live_feed.current(a, edition_id) for _ in range(500)]
    finally:
        event.remove(a, "before_cursor_execute", count)
    assert statements == []
    assert {v.submission_id for v in views if v} == {day.pitches[0].work.submission_id} and len(views) == 500


def test_the_countdown_is_of_the_moment_it_is_read(two_engines, pitching):
    a, b = two_engines
    edition_id, day = pitching
    t0 = datetime.now(UTC)
    with organiser(b) as s:
        running = live.start(session=s, edition_id=edition_id, day_id=day.id, actor="organiser")
        live.present(session=s, live_id=running.id, slot_id=day.pitches[0].id, actor="organiser", now=t0)
    feed = live_feed.feed(a)
    view = eventually(lambda: feed.current(edition_id, now=t0 + timedelta(minutes=16)), "the session")
    assert view.seconds_left == -60
    assert feed.current(edition_id, now=t0).seconds_left == 15 * 60


def test_a_database_failure_keeps_the_last_state_and_the_feed_recovers(two_engines, pitching):
    a, b = two_engines
    edition_id, day = pitching
    feed = live_feed.LiveFeed(a, poll_s=0.1, fallback_s=0.5)
    broken = threading.Event()

    def fail(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if broken.is_set():
            raise sa.exc.OperationalError(statement, {}, Exception("the database went away"))

    event.listen(a, "before_cursor_execute", fail)
    try:
        with organiser(b) as s:
            running = live.start(session=s, edition_id=edition_id, day_id=day.id, actor="organiser")
            live.advance(session=s, live_id=running.id, actor="organiser")
        first = day.pitches[0].work.submission_id
        eventually(lambda: (v := feed.current(edition_id)) is not None and v.submission_id == first, "work 1")
        broken.set()
        failures = feed.failures
        with organiser(b) as s:
            live.advance(session=s, live_id=running.id, actor="organiser")
        eventually(lambda: feed.failures > failures + 1, "refreshes failing")
        view = feed.current(edition_id)
        assert view is not None and view.submission_id == first  # the last state, not an error or nothing
        broken.clear()
        second = day.pitches[1].work.submission_id
        eventually(lambda: (v := feed.current(edition_id)) is not None and v.submission_id == second, "work 2")
    finally:
        event.remove(a, "before_cursor_execute", fail)
        feed.stop()


@pytest.mark.parametrize("demo_db_url", ["postgresql"], indirect=True)  # LISTEN/NOTIFY is PostgreSQL's
def test_postgresql_listener_reconnects_after_its_connection_is_killed(two_engines, pitching):
    a, b = two_engines
    edition_id, day = pitching
    feed = live_feed.LiveFeed(a, fallback_s=600)
    try:
        feed.current(edition_id)
        eventually(lambda: feed.listening, "listening")
        with b.connect() as conn:
            killed = conn.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND query LIKE 'LISTEN%'"
                )
            ).scalar_one()
        assert killed == 1
        with organiser(b) as s:
            running = live.start(session=s, edition_id=edition_id, day_id=day.id, actor="organiser")
        eventually(lambda: feed.current(edition_id) is not None, "the session started while reconnecting")
        eventually(lambda: feed.listening, "listening again")
        with organiser(b) as s:
            live.advance(session=s, live_id=running.id, actor="organiser")
        first = day.pitches[0].work.submission_id
        eventually(
            lambda: (v := feed.current(edition_id)) is not None and v.submission_id == first,
            "an advance heard on the new connection",
        )
    finally:
        feed.stop()
