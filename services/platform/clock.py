"""The contest clock: real time, or the instant LDAWARD_CLOCK fixes for a demo."""

from __future__ import annotations

from datetime import UTC, datetime

from services.platform.settings import get_settings


def contest_now() -> datetime:
    fixed = get_settings().clock
    if fixed is not None:
        return fixed if fixed.tzinfo else fixed.replace(tzinfo=UTC)
    return datetime.now(UTC)


def is_simulated() -> bool:
    return get_settings().clock is not None
