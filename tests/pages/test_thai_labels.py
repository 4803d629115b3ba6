"""AppTest: codes never reach a Thai reader (issue 17, items 3 and 4): the aggregation methods and award levels by
name, no developer instructions, and the ranking table narrow enough for a 1440-pixel screen by default."""

from __future__ import annotations

import re

from services.platform.phrases import label
from services.results import scoring
from services.results.phrases import METHOD
from tests.conftest import PAGE_ON_SQLITE
from tests.pages.test_pages import DB, ok, page_path, signed_in, table_with

pytestmark = PAGE_ON_SQLITE

CODES = re.compile(r"\b(mean|median|trimmed_mean|zscore|excellent|outstanding|honourable)\b")


def test_the_leaderboard_names_the_methods_and_keeps_criterion_columns_on_request(app_env: str, db: DB) -> None:
    at = signed_in(db, "executive")
    method = at.segmented_control(key="board_method")
    assert list(method.options) == [label(METHOD, m, "th") for m in scoring.Method]  # AppTest holds what is shown
    assert not any(CODES.search(o) for o in method.options)
    ranking = table_with(at, "อันดับ", "คะแนน", "กรรมการ")
    assert not any(re.fullmatch(r"C\d+", str(c)) for c in ranking.columns)  # fits 1440 px: criteria on request
    ok(at.toggle(key="board_criteria").set_value(True).run())
    shown = table_with(at, "อันดับ", "คะแนน", "กรรมการ")
    assert {"C1", "C2"} <= set(shown.columns) and len(shown) == 45


def test_the_awards_page_names_the_method_and_tells_organisers_no_commands(app_env: str, db: DB) -> None:
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("awards")).run())
    captions = [c.value for c in at.caption]
    assert any("วิธีรวมคะแนน: ค่าเฉลี่ยคะแนนรวมของกรรมการ" in c for c in captions), captions
    assert not any(CODES.search(c) for c in captions)
    assert not any("streamlit" in c for c in captions + [m.value for m in at.markdown])
