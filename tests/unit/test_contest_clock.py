"""The contest clock: stopped at an instant, running on a day, or real; and the demo's day agrees with its phase."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from services.contest import demo
from services.contest import reference_2564 as ref
from services.platform.clock import contest_now, is_simulated
from services.platform.settings import get_settings
from services.thai.dates import BANGKOK

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clock_env(monkeypatch: pytest.MonkeyPatch):
    def set_clock(value: str | None) -> None:
        if value is None:
            monkeypatch.delenv("LDAWARD_CLOCK", raising=False)
        else:
            monkeypatch.setenv("LDAWARD_CLOCK", value)
        get_settings.cache_clear()

    yield set_clock
    get_settings.cache_clear()


def test_an_instant_stops_the_clock_there(clock_env) -> None:
    clock_env("2021-07-31T23:00:00+07:00")
    assert contest_now() == datetime(2021, 7, 31, 16, 0, tzinfo=UTC)
    assert contest_now() == contest_now()
    assert is_simulated()


def test_a_day_runs_the_clock_on_that_day_at_the_real_time_of_day(clock_env) -> None:
    clock_env("2021-09-01")
    real = datetime.now(UTC)
    now = contest_now()
    assert now.astimezone(BANGKOK).date() == date(2021, 9, 1)
    shift = now - real
    assert abs(shift - timedelta(days=round(shift / timedelta(days=1)))) < timedelta(seconds=5)  # whole days
    assert contest_now() >= now  # it runs, so "saved at" stamps keep their order
    assert is_simulated()


def test_empty_or_unset_is_real_time(clock_env) -> None:
    for value in ("", None):
        clock_env(value)
        assert not is_simulated()
        assert abs(contest_now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_the_makefile_runs_the_demo_on_the_day_of_its_phase() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    default = re.search(r"^LDAWARD_CLOCK \?= (\S+)$", makefile, re.M)
    intake = re.search(r"^INTAKE_CLOCK := (\S+)$", makefile, re.M)
    assert default is not None and intake is not None
    assert date.fromisoformat(default.group(1)) == demo.DEMO_DAY
    assert date.fromisoformat(intake.group(1)) == demo.INTAKE_DAY


def test_the_demo_day_is_in_judging_after_every_synthetic_sheet_and_before_the_announcement() -> None:
    assert demo.DEMO_PHASE == "judging"
    assert ref.INTAKE_CLOSES_AT.date() < demo.DEMO_DAY
    last_sheet = demo.SHEETS_FROM + timedelta(days=demo.SHEET_DAYS - 1, minutes=demo.SHEET_MINUTES - 1)
    assert last_sheet.astimezone(BANGKOK).date() < demo.DEMO_DAY
    assert demo.DEMO_DAY < ref.ANNOUNCED_ON
    assert ref.INTAKE_OPENS_AT.date() <= demo.INTAKE_DAY <= ref.INTAKE_CLOSES_AT.date()
