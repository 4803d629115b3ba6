"""Browser, 390 x 844 phone (issue 17, item 7): the applicant opens the submit page on the form, not on a column
of step buttons; a judge scoring keeps the total and the criterion being scored in view; nothing clips or makes
the page scroll sideways. One server for the module (a judge's sheet is written, so not the shared app)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser._phone import PHONE, box_in_view, clipped, keep_shot, overflow, phone_tab
from tests.browser.conftest import LiveApp, report_failure, serve_app, settled, sign_in_as

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def phone_app(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    root = tmp_path_factory.mktemp("phones")
    shutil.copy(demo_template, root / "ldaward.db")
    with serve_app(root / "ldaward.db", root / "streamlit-phones.log") as app:
        yield app


def test_the_submit_page_opens_on_its_form_with_the_steps_in_one_row(browser: Browser, phone_app: LiveApp) -> None:
    tab = phone_tab(browser)
    try:
        tab.goto(phone_app.base_url)
        form = tab.get_by_test_id("stForm").first
        expect(form).to_be_visible()
        settled(tab)
        steps = tab.locator(".st-key-submit_steps")
        bar = box_in_view(steps)
        assert bar["height"] < 70, bar  # one row of step buttons, not seven stacked
        first, second = (tab.locator(f".st-key-submit_goto_{n}").bounding_box() for n in (1, 2))
        assert first is not None and second is not None and abs(first["y"] - second["y"]) < 2, (first, second)
        # The form's first field is on the first screen, with its label.
        box_in_view(form.get_by_text("ประเภท อปท.", exact=True))
        box_in_view(form.get_by_role("combobox").first)
        assert overflow(tab)[0] <= overflow(tab)[1], overflow(tab)
        assert clipped(tab) == []
        keep_shot(tab, "submit-step-1")
    except BaseException:
        report_failure("phone-submit", {"phone": tab}, phone_app.log_path)
        raise
    finally:
        tab.context.close()


def test_a_judge_scoring_sees_the_total_and_the_criterion_being_scored(browser: Browser, phone_app: LiveApp) -> None:
    tab = phone_tab(browser)
    try:
        sign_in_as(tab, phone_app.base_url, "judge-dga", "judge-2564", "ให้คะแนนผลงาน")
        sheet = tab.locator("[data-sheet]").first
        sliders = sheet.get_by_role("slider")
        expect(sliders.first).to_be_visible()
        settled(tab)
        fourth = sliders.nth(3)
        fourth.scroll_into_view_if_needed()
        fourth.focus()
        tab.keyboard.press("ArrowRight")
        tab.keyboard.press("ArrowRight")
        bar = sheet.locator(".bar")
        expect(bar.locator(".total")).to_have_text("คะแนนรวม 1 / 100")
        expect(bar.locator(".current")).to_have_text("เกณฑ์ที่ 4: 1 / 10")
        # Scroll the criterion's heading away: the bar stays on screen, saying which criterion the slider is.
        tab.get_by_test_id("stMain").evaluate("(m, dy) => m.scrollBy(0, dy)", 150)
        placed = box_in_view(bar)
        slider = box_in_view(fourth)
        assert slider["y"] >= placed["y"] + placed["height"], (slider, placed)  # not under the bar
        assert sheet.locator("section.criterion").first.bounding_box()["y"] < 0  # type: ignore[index]
        # Tab back up into the third criterion: brought out from under the bar, which still names the criterion last
        # changed, not the one with the focus.
        tab.keyboard.press("Shift+Tab")
        tab.keyboard.press("Shift+Tab")
        tab.keyboard.press("Shift+Tab")
        has_focus = "s => s.contains(s.getRootNode().activeElement)"  # in the component's shadow root
        assert sheet.locator("section.criterion").nth(2).evaluate(has_focus)
        third = box_in_view(sliders.nth(2))
        assert third["y"] >= bar.bounding_box()["y"] + bar.bounding_box()["height"]  # type: ignore[index]
        expect(bar.locator(".current")).to_have_text("เกณฑ์ที่ 4: 1 / 10")
        # A drag on the second slider: the bar names it with its points, and keeps naming it when the focus moves on.
        second = sliders.nth(1)
        second.scroll_into_view_if_needed()
        box = box_in_view(second)
        tab.mouse.move(box["x"] + 4, box["y"] + box["height"] / 2)
        tab.mouse.down()
        tab.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2, steps=5)
        tab.mouse.up()
        dragged = float(second.input_value())
        assert dragged > 0
        expect(bar.locator(".current")).to_have_text(f"เกณฑ์ที่ 2: {dragged:g} / 10")
        tab.keyboard.press("Tab")
        tab.keyboard.press("Tab")
        expect(bar.locator(".current")).to_have_text(f"เกณฑ์ที่ 2: {dragged:g} / 10")
        assert overflow(tab)[0] <= PHONE["width"], overflow(tab)
        assert clipped(tab) == []
        keep_shot(tab, "judge-scoring")
    except BaseException:
        report_failure("phone-judge", {"phone": tab}, phone_app.log_path)
        raise
    finally:
        tab.context.close()
