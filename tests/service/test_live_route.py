"""The live session as a judge's page follows it: one long poll (GET /api/judge/live) answered the moment the
organiser moves on, from the process's live feed in memory, or after LIVE_WAIT_S unchanged. Driven as ASGI on SQLite
and PostgreSQL, with the organiser acting from another thread while the poll waits."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date

import pytest
from sqlmodel import Session, select

import web_routes
from models import User
from services.contest import editions
from services.judging import worklist
from services.pitching import live, live_feed, schedule
from services.platform.db import build_engine, dispose_engines
from services.platform.settings import get_settings
from services.platform.web_sessions import COOKIE_NAME
from tests.helpers.asgi import Reply, call, session_cookies
from web_routes import LIVE_PATH


@pytest.fixture
def judge_live(demo_db_url: str, demo_session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict]:
    monkeypatch.setenv("DATABASE_URL", demo_db_url)
    get_settings.cache_clear()
    edition = editions.current_edition(session=demo_session)
    judge = demo_session.exec(select(User).where(User.username == "judge-dga")).one()
    cookies = session_cookies(demo_session, judge.id)
    days = schedule.generate(
        session=demo_session,
        edition_id=edition.id,
        actor="organiser",
        params=schedule.ScheduleParams(days=(date(2021, 8, 4), date(2021, 8, 5), date(2021, 8, 6))),
    )
    demo_session.commit()
    yield {"cookies": cookies, "edition": edition.id, "day": days[0], "judge": judge.id, "url": demo_db_url}
    live_feed.stop_all()
    dispose_engines()
    get_settings.cache_clear()


def poll(ctx: dict, **seen: int) -> Reply:
    query = f"edition={ctx['edition']}" + "".join(f"&{k}={v}" for k, v in seen.items())
    return call("GET", LIVE_PATH, query=query, cookies=ctx["cookies"])


def organiser_later(url: str, act, delay_s: float = 0.5) -> threading.Thread:
    """act(session) on a fresh engine after delay_s, on its own thread (the organiser's desk, while a poll waits)."""

    def run() -> None:
        time.sleep(delay_s)
        engine = build_engine(url)
        try:
            with Session(engine, expire_on_commit=False) as s:
                act(s)
        finally:
            engine.dispose()

    worker = threading.Thread(target=run)
    worker.start()
    return worker


def test_a_waiting_poll_is_answered_when_the_organiser_presents_the_next_work(judge_live) -> None:
    first = poll(judge_live)
    assert first.status == 200, first.body
    body = first.json()
    assert body["live"] is None and body["reminders"] == []

    slots = judge_live["day"].pitches
    state: dict[str, int] = {}

    def start_and_present(s: Session) -> None:
        running = live.start(
            session=s, edition_id=judge_live["edition"], day_id=judge_live["day"].id, actor="organiser"
        )
        state["live"] = running.id
        live.present(session=s, live_id=running.id, slot_id=slots[0].id, actor="organiser")

    worker = organiser_later(judge_live["url"], start_and_present)
    began = time.monotonic()
    answered = poll(judge_live, v=body["v"], r=body["r"])
    worker.join()
    assert answered.status == 200
    assert time.monotonic() - began < 10  # answered on the change, not after the 25 s wait
    now = answered.json()
    assert now["v"] > body["v"]
    # The start may wake the poll before the presentation: ask again with what came back, as the page does.
    while now["live"] is None or now["live"]["submission"] != slots[0].work.submission_id:
        now = poll(judge_live, v=now["v"], r=now["r"]).json()
    assert now["live"]["stage"] == "presentation" and now["live"]["work"] == slots[0].work.short_name
    assert 0 < now["live"]["seconds_left"] <= slots[0].presentation_minutes * 60

    worker = organiser_later(
        judge_live["url"], lambda s: live.advance(session=s, live_id=state["live"], actor="organiser")
    )
    moved = poll(judge_live, v=now["v"], r=now["r"]).json()
    worker.join()
    assert moved["live"]["submission"] == slots[1].work.submission_id


def test_an_unchanged_poll_waits_then_answers_the_same_and_reminders_wake_it(judge_live, monkeypatch) -> None:
    monkeypatch.setattr(web_routes, "LIVE_WAIT_S", 0.6)
    body = poll(judge_live).json()
    began = time.monotonic()
    same = poll(judge_live, v=body["v"], r=body["r"])
    assert time.monotonic() - began >= 0.5
    assert same.status == 200 and same.json()["v"] == body["v"] and "reminders" not in same.json()

    monkeypatch.setattr(web_routes, "LIVE_WAIT_S", 20.0)
    with Session(build_engine(judge_live["url"])) as s:
        sub_id = worklist.list_assignments(session=s, judge_id=judge_live["judge"], edition_id=judge_live["edition"])[
            0
        ].submission.id
    worker = organiser_later(
        judge_live["url"],
        lambda s: live.remind(session=s, judge_ids=[judge_live["judge"]], submission_id=sub_id, actor="organiser"),
    )
    woken = poll(judge_live, v=body["v"], r=body["r"]).json()
    worker.join()
    assert woken["r"] > body["r"]
    assert [r["submission"] for r in woken["reminders"]] == [sub_id]


@pytest.mark.parametrize(
    "query", ["edition=abc", "edition=0", "edition=1&v=-1&r=0", "edition=1&v=x&r=0", "edition=1&v=0&r=99999999999999"]
)
def test_malformed_numbers_are_400(judge_live, query) -> None:
    reply = call("GET", LIVE_PATH, query=query, cookies=judge_live["cookies"])
    assert reply.status == 400 and reply.json()["error"] == "bad_request"


def test_only_a_signed_in_judge_may_follow(judge_live) -> None:
    assert call("GET", LIVE_PATH, query=f"edition={judge_live['edition']}").status == 403
    assert (
        call("GET", LIVE_PATH, query=f"edition={judge_live['edition']}", cookies={COOKIE_NAME: "forged.value"}).status
        == 403
    )
