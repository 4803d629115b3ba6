"""The work on a judge's screen as a Streamlit component (components v2, work_pane/work.js): its title and lines
about it, and its evidence in four tabs; redrawn in the browser from GET /api/judge/work when the live banner
follows the organiser, before the page's run catches up. Not a page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from pages import _ui

ASSETS = Path(__file__).with_name("work_pane")
_component = st.components.v2.component(
    "ldaward_work",
    js=(ASSETS / "work.js").read_text(encoding="utf-8"),
    css=(ASSETS / "work.css").read_text(encoding="utf-8"),
)


def work_pane(data: dict[str, Any]) -> None:
    """Mount the work (on_screen.work_data); one key for every work, so a run that brings the work already drawn
    changes nothing on screen (the tab chosen, the slides' scroll)."""
    _component(key="judge_work", data=_ui.component_data(data), height="content")
