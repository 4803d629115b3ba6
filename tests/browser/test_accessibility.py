"""Browser: axe-core on the main pages (issue 17, item 9), in Thai and, for the applicant's and the judge's page,
in English, and the organiser's other pages: no serious or critical violation, headings in order (h1, then h2,
then h3), and the document says its language. What each page showed is printed
(and kept in artifacts/accessibility.txt) for docs/accessibility.md."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser._axe import axe_source, failing, violations
from tests.browser.conftest import SCREENSHOTS, open_tab, report_failure, settled, sign_in_as

pytestmark = pytest.mark.browser

REPORT = SCREENSHOTS.parent / "accessibility.txt"


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_source()


@pytest.fixture(scope="module")
def report() -> Iterator[list[str]]:
    lines: list[str] = []
    yield lines
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


# The organiser's pages beyond the main ones; the live page's fragment reruns each second, so it is never idle.
ORGANISER_PAGES = (
    "submissions",
    "admin",
    "judging",
    "judging_status",
    "rounds",
    "consensus",
    "awards",
    "feedback",
    "schedule",
    "live",
    "audit",
    "outbox",
    "account",
)
NEVER_IDLE = {"live"}


def check(tab: Page, axe: str, name: str, lang: str, report: list[str]) -> None:
    if name in NEVER_IDLE:
        tab.wait_for_timeout(1500)
    else:
        settled(tab)
    expect(tab.locator("html")).to_have_attribute("lang", lang)
    found = violations(tab, axe)
    said = ", ".join(f"{v['id']} ({v['impact']}, {v['count']})" for v in found) or "none"
    report.append(f"{name} [{lang}]: {said}")
    print(report[-1])
    assert failing(found) == [], [(v["id"], v["nodes"]) for v in failing(found)]


def test_the_public_pages_in_thai_and_the_submit_page_in_english(
    browser: Browser, base_url: str, axe: str, report: list[str]
) -> None:
    tab = open_tab(browser)
    try:
        for path in ("", "my_submission", "results", "signin"):  # the submit page is the app's home: "/"
            tab.goto(f"{base_url}/{path}")
            expect(tab.locator("h1").first).to_be_visible()
            check(tab, axe, path or "submit", "th", report)
        tab.goto(base_url)
        expect(tab.locator("h1").first).to_be_visible()
        settled(tab)
        tab.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
        expect(tab.get_by_role("heading", name="Submit a project")).to_be_visible()
        check(tab, axe, "submit", "en", report)
    except BaseException:
        report_failure("a11y-public", {"public": tab})
        raise
    finally:
        tab.context.close()


def test_the_judge_and_organiser_pages(browser: Browser, base_url: str, axe: str, report: list[str]) -> None:
    tab = open_tab(browser)
    try:
        sign_in_as(tab, base_url, "judge-dga", "judge-2564", "ให้คะแนนผลงาน")
        expect(tab.locator("[data-sheet]").first.get_by_role("slider").first).to_be_visible()
        check(tab, axe, "judge", "th", report)
        tab.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
        expect(tab.get_by_role("heading", name="Score submissions")).to_be_visible()
        check(tab, axe, "judge", "en", report)
        tab.context.clear_cookies()
        sign_in_as(tab, base_url, "organiser", "organiser-2564", "ผลคะแนนและสถิติ")
        check(tab, axe, "leaderboard", "th", report)
        for path in ORGANISER_PAGES:
            tab.goto(f"{base_url}/{path}")
            expect(tab.locator("h1").first).to_be_visible()
            check(tab, axe, path, "th", report)
    except BaseException:
        report_failure("a11y-staff", {"staff": tab})
        raise
    finally:
        tab.context.close()
