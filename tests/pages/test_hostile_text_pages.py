"""Hostile applicant text on every staff page, in every role (issue 13): titles, organisation names and answers
made of Markdown, HTML, Streamlit directives, autolinks, maths and bidi overrides are shown as text — no element
body that shows them keeps live link, image, heading, colour, HTML or maths syntax, and no option label keeps a
bidi override. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import streamlit as st
from sqlmodel import Session
from streamlit.testing.v1 import AppTest
from test_pitching_pages import generate_three_days

from services.contest import editions
from services.pitching import live, schedule
from services.platform import auth
from tests.conftest import PAGE_ON_SQLITE
from tests.helpers.hostile import MARKERS, live_markdown, plant_hostile_text

pytestmark = PAGE_ON_SQLITE

ROOT = Path(__file__).resolve().parents[2]
DB = Callable[[], Session]
PASSWORDS = {"organiser": "organiser-2564", "executive": "executive-2564"}
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MARKDOWN_ELEMENTS = (
    "markdown",
    "caption",
    "subheader",
    "header",
    "title",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "latex",
)
# What the evidence tabs are built of (services/judging/evidence_pane.py): none of it the applicant's.
TAB_TAGS = {"div", "p", "strong", "em", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "img", "span"}
LABELLED = ("selectbox", "metric", "expander", "tabs", "button", "text_input", "toggle", "radio", "multiselect")


def bodies(at: AppTest) -> Iterator[tuple[str, str]]:
    """(kind, text) for every piece of text the page hands to Streamlit's Markdown renderer."""
    for kind in MARKDOWN_ELEMENTS:
        for element in getattr(at, kind, []):
            yield kind, str(element.value)
    for kind in LABELLED:
        for element in getattr(at, kind, []):
            yield f"{kind} label", str(getattr(element, "label", ""))
    for table in at.table:
        frame = table.value
        for column in frame.columns:
            yield "table header", str(column)
            for cell in frame[column]:
                yield "table cell", str(cell)


def option_labels(at: AppTest) -> Iterator[str]:
    for box in at.selectbox:
        yield from (str(o) for o in box.options)


def check(at: AppTest, where: str) -> int:
    """Assert nothing hostile is live on the page; return how many bodies showed applicant text."""
    assert not at.exception, (where, [e.message for e in at.exception])
    shown = 0
    for kind, text in bodies(at):
        if any(m in text for m in MARKERS):
            shown += 1
            assert live_markdown(text) == [], (where, kind, text)
        assert not BIDI & set(text), (where, kind, text)
    for label in option_labels(at):
        assert not BIDI & set(label), (where, label)
    return shown


def check_work(at: AppTest) -> int:
    """The judge page's work component: its title, lines and notes are drawn as text (textContent), so they need
    only be free of bidi overrides; its tab bodies are HTML built with the applicant's text escaped, so no element
    of the applicant's (a link, a script, a picture from elsewhere) is in them. Returns how many showed
    applicant text."""
    (element,) = [e for e in at.get("bidi_component") if e.proto.component_name == "ldaward_work"]
    work = json.loads(element.proto.bytes)
    texts = [work["title"], *work["about"], *(n for tab in work["tabs"] for n in tab["notes"])]
    shown = 0
    for text in texts:
        assert not BIDI & set(text), text
        shown += any(m in text for m in MARKERS)
    for tab in work["tabs"]:
        for tag, attrs in elements(tab["html"]):
            assert tag in TAB_TAGS, (tag, attrs)
            assert not [name for name, _ in attrs if name.startswith("on")], (tag, attrs)
            assert tag != "img" or dict(attrs)["src"].startswith("/api/slides/"), attrs
        assert not BIDI & set(tab["html"]), tab["html"]
        shown += any(escape(m) in tab["html"] for m in MARKERS)
    return shown


def elements(body: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every element of an HTML body, as the browser parses it: its tag and attributes."""
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collect().feed(body)
    return found


def signed_in(db: DB, username: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    with db() as session:
        at.session_state["account"] = auth.authenticate(
            session=session, username=username, password=PASSWORDS.get(username, "judge-2564")
        )
    at.session_state["lang"] = "th"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def visit(at: AppTest, page: str, **state: Any) -> AppTest:
    for key, value in state.items():
        at.session_state[key] = value
    return at.switch_page(f"pages/{page}.py").run()


def start_live_session(db: DB) -> None:
    """A pitching schedule and a live session at its first work, so the live page shows a work and the agenda."""
    generate_three_days(db)
    with db() as session:
        edition_id = editions.current_edition(session=session).id
        days = schedule.schedule(session=session, edition_id=edition_id)
        live.start(session=session, edition_id=edition_id, day_id=days[0].id, actor="organiser")
        running = live.current(session=session, edition_id=edition_id)
        live.advance(session=session, live_id=running.id, actor="organiser")
    st.cache_data.clear()


def test_hostile_text_is_never_a_link_image_heading_or_colour_on_any_staff_page(app_env: str, db: DB) -> None:
    plant_hostile_text(db)
    start_live_session(db)
    shown: dict[str, int] = {}

    organiser = signed_in(db, "organiser")
    for page in ("submissions", "judging_admin", "consensus", "schedule", "live", "awards"):
        shown[f"organiser/{page}"] = check(visit(organiser, page), f"organiser/{page}")
    for view in ("overview", "area", "scores", "work", "trust", "progress"):
        shown[f"organiser/leaderboard/{view}"] = check(
            visit(organiser, "leaderboard", board_view=view), f"organiser/leaderboard/{view}"
        )

    executive = signed_in(db, "executive")
    shown["executive/leaderboard"] = check(visit(executive, "leaderboard"), "executive/leaderboard")

    judge = signed_in(db, "judge-dga")
    shown["judge/judge"] = check(visit(judge, "judge"), "judge/judge") + check_work(judge)
    shown["judge/live"] = check(visit(judge, "live"), "judge/live")

    # The test can fail: the pages that show a work's title, names and answers as Markdown did show them.
    assert shown["organiser/submissions"] >= 5, shown
    assert shown["judge/judge"] >= 3, shown
    assert shown["organiser/live"] >= 2 and shown["judge/live"] >= 1, shown
    assert shown["organiser/leaderboard/work"] >= 1 and shown["executive/leaderboard"] >= 0, shown
