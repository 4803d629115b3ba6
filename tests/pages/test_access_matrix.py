"""The authorisation matrix: every page file, run on its own as if its URL bypassed the menu, as every role.

A page the design does not offer a role must refuse it by its own guard; the public pages (submit, my submission,
sign-in, the announced results) serve anyone. The navigation side (which pages the menu offers each role) is tested in test_pages.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_pages import DB, REFUSAL_TH, ROOT, TIMEOUT, account_for

from tests.conftest import PAGE_ON_SQLITE

PUBLIC = {"submit", "my_submission", "signin", "results_public"}
DESIGN: dict[str | None, set[str]] = {
    None: set(),
    "organiser": {
        "leaderboard",
        "awards",
        "feedback",
        "submissions",
        "judging_admin",
        "judging_status",
        "rounds",
        "consensus",
        "schedule",
        "live",
        "admin",
        "audit",
        "outbox",
        "account",
    },
    "judge-opm": {"judge", "live", "account"},
    "executive": {"leaderboard", "account"},
}
PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if not p.stem.startswith("_"))


def test_the_matrix_covers_every_page_file() -> None:
    assert set(PAGES) == PUBLIC | set().union(*DESIGN.values())


@PAGE_ON_SQLITE  # access does not depend on the database
@pytest.mark.parametrize("who", list(DESIGN), ids=lambda w: w or "anonymous")
def test_each_role_reaches_exactly_its_pages(app_env: str, db: DB, who: str | None) -> None:
    account = account_for(db, who) if who else None
    outcome = {}
    for page in PAGES:
        at = AppTest.from_file(str(Path(ROOT) / "pages" / f"{page}.py"), default_timeout=TIMEOUT)
        at.session_state["account"] = account
        at.session_state["lang"] = "th"
        at.run()
        assert not at.exception, (page, [e.message for e in at.exception])
        outcome[page] = not any(REFUSAL_TH in e.value for e in at.error)
    allowed = {p for p, ok in outcome.items() if ok}
    assert allowed == PUBLIC | DESIGN[who]
