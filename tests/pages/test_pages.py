"""AppTest page tests: every page, signed in as each role, on the 2564 demo data (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from models import Role
from services.contest.editions import current_edition
from services.judging import worklist
from services.platform import auth
from services.platform.settings import get_settings
from services.results import ranking as results
from services.results import scoring
from tests.conftest import PAGE_ON_SQLITE
from tests.helpers.hostile import as_shown

pytestmark = PAGE_ON_SQLITE

ROOT = Path(__file__).resolve().parents[2]
PAGES_DIR = "pages"  # the page scripts' folder, relative to app.py
TIMEOUT = 30
PASSWORDS = {"organiser": "organiser-2564", "executive": "executive-2564"}
DGA = "judge-dga"  # the demo judge with no score sheets yet
REFUSAL_TH = "ท่านไม่มีสิทธิ์เข้าหน้านี้"
BAD_CREDENTIALS_TH = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
LOCKED_TH = "บัญชีนี้ถูกระงับชั่วคราว"
DEMO_NOTICE_TH = "ข้อมูลสาธิตจากรางวัลท้องถิ่นดิจิทัล 2564"
COORDINATOR_COLUMNS = ("ผู้ประสานงาน", "โทร", "อีเมล")

DB = Callable[[], Session]


# --- helpers -------------------------------------------------------------------------------------------------------


def password_of(username: str) -> str:
    return PASSWORDS.get(username, "judge-2564")


def page_path(page: str) -> str:
    return f"{PAGES_DIR}/{page}.py"


def new_app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)


def lone_page(page: str) -> AppTest:
    """One page script run without app.py, as if its URL bypassed navigation: only its own guard stands."""
    return AppTest.from_file(str(ROOT / page_path(page)), default_timeout=TIMEOUT)


def account_for(db: DB, username: str) -> auth.Account:
    with db() as session:
        return auth.authenticate(session=session, username=username, password=password_of(username))


def signed_in(db: DB, username: str) -> AppTest:
    """The app after its first run with username signed in (the sign-in form itself has its own tests)."""
    at = new_app()
    at.session_state["account"] = account_for(db, username)
    return ok(at.run())


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def offered_pages(at: AppTest) -> set[str]:
    """The page files st.navigation offered on the last run (AppTest keeps no public accessor for them)."""
    return {Path(info["script_path"]).stem for info in at._registered_pages.values()}


def submit_button(at: AppTest, form_id: str) -> Button:
    found = [b for b in at.button if b.form_id == form_id and b.key.startswith("FormSubmitter:")]
    assert len(found) == 1, found
    return found[0]


def values(elements: Iterable[Any]) -> list[str]:
    return [as_shown(str(e.value)) for e in elements]


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def table_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The one dataframe on the page having these columns (st.dataframe does not expose its key to AppTest)."""
    found = [df for df in (d.value for d in at.dataframe) if set(columns) <= set(df.columns)]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def refused(at: AppTest) -> bool:
    return any(REFUSAL_TH in e.value for e in at.error)


def sign_in_with_form(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    return submit_button(at, "signin_form").click().run()


def edition_id(db: DB) -> int:
    with db() as session:
        edition = current_edition(session=session)
    assert edition is not None
    return edition.id


# --- anonymous visitors ---------------------------------------------------------------------------------------------


def test_anonymous_visitor_is_offered_only_submit_and_sign_in(app_env: str) -> None:
    at = ok(new_app().run())

    assert offered_pages(at) == {"submit", "my_submission", "results_public", "signin"}
    assert values(at.title) == ["ส่งผลงานเข้าประกวด"]
    for page in ("leaderboard", "admin", "submissions", "judge"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page_path(page))


@pytest.mark.parametrize("page", ["leaderboard", "admin", "submissions", "judge", "account"])
def test_page_reached_without_navigation_refuses_an_anonymous_visitor(app_env: str, page: str) -> None:
    at = ok(lone_page(page).run())

    assert refused(at)
    assert not at.title and not at.metric and not at.dataframe and not at.slider


def test_submit_form_renders_for_anonymous_and_saves_nothing_until_the_step_is_valid(
    app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The guided flow's first step; the later steps (both files, the four declarations, step 7) are driven
    # through in tests/pages/test_submit_flow.py.
    monkeypatch.setenv("LDAWARD_CLOCK", "2021-07-20T10:00:00+07:00")  # inside the 2564 intake window
    get_settings.cache_clear()
    at = ok(new_app().run())
    assert at.text_input(key="submit_org_name").value == ""
    assert at.selectbox(key="submit_province").value is None

    ok(submit_button(at, "submit_org_form").click().run())

    assert len(at.error) == 1
    assert "กรุณากรอกชื่อหน่วยงาน" in at.error[0].value and "กรุณาเลือกจังหวัด" in at.error[0].value
    assert "submit_access" not in at.session_state


# --- signing in -----------------------------------------------------------------------------------------------------


def test_wrong_password_shows_thai_error_and_signs_nobody_in(app_env: str) -> None:
    at = ok(new_app().run())
    ok(at.switch_page(page_path("signin")).run())

    ok(sign_in_with_form(at, "executive", "not-the-password"))

    assert values(at.error) == [BAD_CREDENTIALS_TH]
    assert at.session_state["account"] is None
    assert offered_pages(at) == {"submit", "my_submission", "results_public", "signin"}


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(app_env: str) -> None:
    at = ok(new_app().run())
    ok(at.switch_page(page_path("signin")).run())
    for _ in range(5):
        ok(sign_in_with_form(at, "judge-opm", "wrong-password"))
        assert values(at.error) == [BAD_CREDENTIALS_TH]

    ok(sign_in_with_form(at, "judge-opm", "judge-2564"))

    assert len(at.error) == 1 and at.error[0].value.startswith(LOCKED_TH)
    assert at.session_state["account"] is None


@pytest.mark.parametrize(
    ("username", "landing_title", "pages"),
    [
        pytest.param(
            "organiser",
            "ผลคะแนนและสถิติ",
            {
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
                "submit",
                "results_public",
                "account",
            },
            id="organiser",
        ),
        pytest.param("executive", "ผลคะแนนและสถิติ", {"leaderboard", "results_public", "account"}, id="executive"),
        pytest.param("judge-opm", "ให้คะแนนผลงาน", {"judge", "live", "results_public", "account"}, id="judge"),
    ],
)
def test_sign_in_form_opens_the_role_pages_and_sign_out_closes_them(
    app_env: str, username: str, landing_title: str, pages: set[str]
) -> None:
    at = ok(new_app().run())
    ok(at.switch_page(page_path("signin")).run())

    ok(sign_in_with_form(at, username, password_of(username)))

    assert at.session_state["account"].username == username
    assert offered_pages(at) == pages
    assert values(at.title) == [landing_title]

    ok(at.button(key="sidebar_signout").click().run())

    assert at.session_state["account"] is None
    assert offered_pages(at) == {"submit", "my_submission", "results_public", "signin"}


def test_account_page_shows_who_is_signed_in_and_rejects_differing_passwords(app_env: str, db: DB) -> None:
    at = signed_in(db, "executive")
    ok(at.switch_page(page_path("account")).run())
    assert values(at.title) == ["บัญชีของฉัน"]

    at.text_input(key="account_new").input("new-password-1")
    at.text_input(key="account_again").input("new-password-2")
    ok(submit_button(at, "account_password").click().run())

    assert values(at.error) == ["รหัสผ่านทั้งสองช่องไม่ตรงกัน"]
    account_for(db, "executive")  # the old password still works


def test_account_page_changes_the_password_only_with_the_current_one(app_env: str, db: DB) -> None:
    at = signed_in(db, "executive")
    ok(at.switch_page(page_path("account")).run())
    at.text_input(key="account_current").input("not-the-password")
    at.text_input(key="account_new").input("a-new-password")
    at.text_input(key="account_again").input("a-new-password")
    ok(submit_button(at, "account_password").click().run())
    assert values(at.error) == ["รหัสผ่านปัจจุบันไม่ถูกต้อง"]
    account_for(db, "executive")  # unchanged

    at.text_input(key="account_current").input(password_of("executive"))
    ok(submit_button(at, "account_password").click().run())
    assert values(at.success) == ["เปลี่ยนรหัสผ่านแล้ว"]
    with db() as session:
        assert (
            auth.authenticate(session=session, username="executive", password="a-new-password").username == "executive"
        )


# --- executives -----------------------------------------------------------------------------------------------------


def test_executive_leaderboard_shows_kpis_demo_notice_and_ranking(app_env: str, db: DB) -> None:
    at = signed_in(db, "executive")

    assert values(at.title) == ["ผลคะแนนและสถิติ"]
    kpi = metrics(at)
    assert kpi["ผลงาน"][0] == "45"
    assert kpi["อปท."][0] == "44"
    assert kpi["ประเภทที่มากที่สุด"] == ("E-Service", "25 ผลงาน")
    assert kpi["ความคืบหน้าการให้คะแนน"] == ("90%", "405/450")
    assert any(DEMO_NOTICE_TH in i.value for i in at.info)
    ranking = table_with(at, "อันดับ", "คะแนน", "กรรมการ")
    assert len(ranking) == 45
    assert ranking["อันดับ"].iloc[0] == "1"
    assert len(at.get("plotly_chart")) == 4


@pytest.mark.parametrize("method", [m.value for m in scoring.Method if m is not scoring.Method.mean])
def test_switching_the_aggregation_method_keeps_all_45_ranked(app_env: str, db: DB, method: str) -> None:
    at = signed_in(db, "executive")

    ok(at.segmented_control(key="board_method").set_value(method).run())

    assert at.segmented_control(key="board_method").value == method
    ranking = table_with(at, "อันดับ", "คะแนน")
    assert len(ranking) == 45
    with db() as session:
        expected = results.leaderboard(session=session, edition_id=edition_id(db), method=scoring.Method(method))
    assert list(ranking["คะแนน"]) == [r.score for r in expected.rows]


@pytest.mark.parametrize("username", ["executive", "judge-opm"])
def test_submissions_page_with_personal_data_is_refused_to_non_organisers(app_env: str, db: DB, username: str) -> None:
    at = signed_in(db, username)
    assert "submissions" not in offered_pages(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page_path("submissions"))

    lone = lone_page("submissions")
    lone.session_state["account"] = account_for(db, username)
    ok(lone.run())
    assert refused(lone)
    assert not lone.dataframe and not lone.text_input


# --- organisers -----------------------------------------------------------------------------------------------------


def test_organiser_submissions_list_shows_all_45_with_coordinator_contacts(app_env: str, db: DB) -> None:
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("submissions")).run())

    listing = table_with(at, "เลขที่ใบรับ", *COORDINATOR_COLUMNS)
    assert len(listing) == 45

    first = listing["เลขที่ใบรับ"].iloc[0]
    ok(at.text_input(key="subs_query").input(first).run())
    assert len(table_with(at, "เลขที่ใบรับ")) == 1


def test_organiser_admin_tabs_add_a_judge_and_assign_everyone(app_env: str, db: DB) -> None:
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("admin")).run())

    assert [t.label for t in at.tabs] == ["รุ่นการประกวด", "เกณฑ์การพิจารณา", "ผู้ใช้"]
    assert at.text_input(key=f"admin_ed_name_{edition_id(db)}").value.startswith("รางวัลท้องถิ่นดิจิทัล")
    assert any("คะแนนเต็มรวม 100 คะแนน" in s.value for s in at.success)
    with db() as session:
        before = auth.list_accounts(session=session)
    assert len(table_with(at, "ชื่อผู้ใช้", "บทบาท")) == len(before)

    at.text_input(key="admin_user_name").input("judge-new")
    at.text_input(key="admin_user_display").input("กรรมการใหม่")
    at.selectbox(key="admin_user_role").set_value(Role.judge)
    at.text_input(key="admin_user_agency").input("สดช.")
    at.text_input(key="admin_user_password").input("judge-new-2564")
    ok(submit_button(at, "admin_user_add").click().run())

    with db() as session:
        judges = {a.username: a for a in auth.list_accounts(session=session, role=Role.judge)}
    assert judges["judge-new"].display_name == "กรรมการใหม่"
    assert judges["judge-new"].agency == "สดช."
    assert len(table_with(at, "ชื่อผู้ใช้", "บทบาท")) == len(before) + 1

    ok(at.switch_page(page_path("judging_admin")).run())  # assignments moved to the organisers' judging page
    ok(at.button(key="jadmin_assign_all").click().run())

    assert any("เพิ่มการมอบหมาย 45 รายการ" in s.value for s in at.success)
    with db() as session:
        mine = worklist.list_assignments(session=session, judge_id=judges["judge-new"].id, edition_id=edition_id(db))
    assert len(mine) == 45


def test_admin_toggle_disables_and_re_enables_the_chosen_account_only(app_env: str, db: DB) -> None:
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("admin")).run())
    picker = at.selectbox(key="admin_user_target")
    assert "organiser (✓)" not in picker.options  # an organiser cannot lock themself out
    ok(picker.select_index(picker.options.index("judge-opm (✓)")).run())

    ok(at.button(key="admin_user_toggle").click().run())

    with db() as session:
        inactive = [a.username for a in auth.list_accounts(session=session) if not a.active]
    assert inactive == ["judge-opm"]
    # The choice stays on the account just changed, so a second click undoes it rather than hitting another.
    picker = at.selectbox(key="admin_user_target")
    assert picker.options[picker.index] == "judge-opm (—)"

    ok(at.button(key="admin_user_toggle").click().run())

    with db() as session:
        assert all(a.active for a in auth.list_accounts(session=session))


def test_admin_user_form_shows_the_reason_a_user_cannot_be_added(app_env: str, db: DB) -> None:
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("admin")).run())

    at.text_input(key="admin_user_name").input("judge-opm")
    at.text_input(key="admin_user_password").input("long-enough-1")
    ok(submit_button(at, "admin_user_add").click().run())

    assert values(at.error) == ["มีผู้ใช้ชื่อ judge-opm อยู่แล้ว"]


# --- language -------------------------------------------------------------------------------------------------------


def test_language_switch_shows_english_titles(app_env: str, db: DB) -> None:
    at = ok(new_app().run())
    ok(at.radio(key="lang").set_value("en").run())
    assert values(at.title) == ["Submit a project"]

    at = signed_in(db, "executive")
    ok(at.radio(key="lang").set_value("en").run())
    assert values(at.title) == ["Leaderboard & statistics"]
    assert metrics(at)["Works"][0] == "45"
    assert "Rank" in table_with(at, "Rank", "Score").columns
    ok(at.switch_page(page_path("account")).run())
    assert values(at.title) == ["My account"]


def test_organiser_starts_next_years_edition_and_can_manage_it(app_env: str, db: DB) -> None:
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("admin")).run())
    assert len(at.selectbox(key="admin_edition_pick").options) == 1

    at.number_input(key="admin_new_year").set_value(2569)
    at.text_input(key="admin_new_name").input("รางวัลท้องถิ่นดิจิทัล ประจำปี 2569")
    at.date_input(key="admin_new_opens").set_value(date(2026, 6, 1))
    at.date_input(key="admin_new_closes").set_value(date(2026, 7, 31))
    ok(submit_button(at, "admin_new_edition").click().run())
    assert any("สร้าง รางวัลท้องถิ่นดิจิทัล ประจำปี 2569 แล้ว" in s.value for s in at.success)

    assert len(at.selectbox(key="admin_edition_pick").options) == 2  # and the new one is open
    new_id = at.selectbox(key="admin_edition_pick").value
    assert new_id != edition_id(db)
    assert at.text_input(key=f"admin_ed_name_{new_id}").value == "รางวัลท้องถิ่นดิจิทัล ประจำปี 2569"
    assert len(table_with(at, "รหัส", "คะแนนเต็ม")) == 13
