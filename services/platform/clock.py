"""The contest clock: real time, or the demo's or rehearsal's time that LDAWARD_CLOCK sets.

Every time the contest itself shows (intake deadlines, "saved at", "sent at", "confirmed at", publication, the
printed date of papers) reads this clock, so a demo set on a day of 2564 stamps what its visitors do on that day
too. Security clocks (sign-in sessions, rate limits, lock-outs), the mail queue and the audit trail keep real time.

LDAWARD_CLOCK set to an instant stops the clock there (a rehearsal of "one hour before the deadline", tests). Set to
a day alone it runs: that day in Bangkok at the real time of day. The shift is whole days, fixed when a process
first reads the clock, so the app's processes and the command line agree to the second, and the live pitching
session's minutes (which run on real time) show the same times of day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from services.platform.settings import get_settings
from services.thai.dates import BANGKOK


def contest_now() -> datetime:
    fixed = get_settings().clock
    if fixed is None:
        return datetime.now(UTC)
    if isinstance(fixed, datetime):
        return fixed if fixed.tzinfo else fixed.replace(tzinfo=UTC)
    return datetime.now(UTC) + _shift_to(fixed)


@lru_cache(maxsize=4)
def _shift_to(day: date) -> timedelta:
    return timedelta(days=(day - datetime.now(BANGKOK).date()).days)


def is_simulated() -> bool:
    return get_settings().clock is not None
