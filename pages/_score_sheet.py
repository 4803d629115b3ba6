"""The judge's score sheet as a Streamlit component (components v2): sliders, comments, running total and save state
live in the browser (score_sheet/sheet.js) and save each change through POST /api/judge/sheet; a following page
draws the next work's sheet from GET /api/judge/work before its run catches up. Not a page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from pages import _ui
from services.judging import on_screen

ASSETS = Path(__file__).with_name("score_sheet")
# Registered once, when the module is first imported; the mount re-registers it on a runtime that lacks it (AppTest).
_component = st.components.v2.component(
    "ldaward_score_sheet",
    js=(ASSETS / "sheet.js").read_text(encoding="utf-8"),
    css=(ASSETS / "sheet.css").read_text(encoding="utf-8"),
)
# One key for every work: a page run that catches up with a work the browser already drew (a follow) hands the same
# element its data, and the sheet on screen, its focus and a slider being dragged stay as they are.
KEY = "judge_sheet"


def other_tab() -> str:
    return on_screen.other_tab(_ui.lang())


def score_sheet(data: dict[str, Any]) -> dict[str, Any] | None:
    """Mount the sheet (on_screen.sheet_data); the button the judge pressed in this run ({"kind": "save"|"next"|
    "submit", "submission": id, "version": n}), after the component saved everything queued, or None."""
    result = _component(key=KEY, data=_ui.component_data(data), on_action_change=lambda: None)
    action = result.get("action")
    return action if isinstance(action, dict) and action.get("kind") in ("save", "next", "submit") else None
