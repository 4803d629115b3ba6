"""AppTest: the public pages' rate limits refuse with a Thai message that says how long to wait, keep what the person
typed and what was saved, and count per client address (or per browser session when there is none)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select
from streamlit.runtime.context import ContextProxy
from streamlit.testing.v1 import AppTest

from models import Submission
from models.web import RateHit
from services.intake import flow, records
from services.platform.settings import get_settings
from tests.conftest import PAGE_ON_SQLITE
from tests.helpers.hostile import as_shown

pytestmark = PAGE_ON_SQLITE

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30
DB = Callable[[], Session]
REFUSED = "ส่งคำขอบ่อยเกินไป กรุณารอประมาณ"


@pytest.fixture
def low_limits(app_env: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("LDAWARD_CLOCK", "2021-07-20T10:00:00+07:00")  # inside the 2564 intake window
    monkeypatch.setenv("LDAWARD_RATE_NEW_DRAFTS", "2")
    monkeypatch.setenv("LDAWARD_RATE_EDIT_CODE_FAILURES", "3")
    get_settings.cache_clear()
    yield app_env
    get_settings.cache_clear()


@pytest.fixture
def client_ip(monkeypatch: pytest.MonkeyPatch) -> Callable[[str | None], None]:
    """AppTest has no client address (st.context.ip_address is a MagicMock there); this gives the pages one."""

    def set_ip(ip: str | None) -> None:
        monkeypatch.setattr(ContextProxy, "ip_address", property(lambda self: ip))

    return set_ip


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def errors(at: AppTest) -> str:
    return "\n".join(as_shown(e.value) for e in at.error)


def app() -> AppTest:
    return ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run())


def start_draft(at: AppTest, name: str) -> AppTest:
    """Step 1 of the submit page from a blank draft (as "start afresh for another organisation" leaves it)."""
    at.session_state["submit_access"] = None
    at.session_state["submit_step"] = 1
    ok(at.run())
    at.selectbox(key="submit_org_type").set_value(at.selectbox(key="submit_org_type").options[4])  # อบต.
    at.text_input(key="submit_org_name").input(name)
    at.selectbox(key="submit_province").set_value("ขอนแก่น")
    at.text_input(key="submit_district").input("เมืองขอนแก่น")
    [button] = [b for b in at.button if b.form_id == "submit_org_form"]
    return ok(button.click().run())


def new_drafts(db: DB, before: set[str]) -> set[str]:
    with db() as session:
        return set(session.exec(select(Submission.receipt_code)).all()) - before


def test_new_drafts_from_one_address_are_refused_past_the_limit_and_nothing_is_lost(
    low_limits: str, db: DB, client_ip: Callable[[str | None], None]
) -> None:
    client_ip("203.0.113.7")
    with db() as session:
        before = set(session.exec(select(Submission.receipt_code)).all())
    first = app()
    start_draft(first, "ทดสอบหนึ่ง")
    assert not first.error, errors(first)
    kept = first.session_state["submit_access"]
    second = app()  # another browser from the same address shares the limit
    start_draft(second, "ทดสอบสอง")
    assert not second.error, errors(second)

    start_draft(second, "ทดสอบสาม")
    assert REFUSED in errors(second)
    assert "นาทีแล้วลองใหม่ ข้อมูลที่บันทึกไว้แล้วไม่สูญหาย" in errors(second)
    assert second.header[-1].value == "1 หน่วยงาน"  # still on the form, with what was typed
    assert second.text_input(key="submit_org_name").value == "ทดสอบสาม"
    assert len(new_drafts(db, before)) == 2
    with db() as session:  # the saved drafts are intact, and the refusal recorded no hit
        assert flow.load(session=session, access=kept).organisation.org_name == "ทดสอบหนึ่ง"
        hits = session.exec(select(RateHit.subject)).all()
    assert len(hits) == 2 and "203.0.113.7" not in hits[0]

    client_ip("198.51.100.9")  # another address is not held back
    other = app()
    start_draft(other, "ทดสอบสี่")
    assert not other.error, errors(other)
    assert len(new_drafts(db, before)) == 3


def test_without_an_address_each_browser_session_is_counted_on_its_own(low_limits: str, db: DB) -> None:
    at = app()  # no client address (as on a local connection)
    for name in ("ทดสอบหนึ่ง", "ทดสอบสอง"):
        start_draft(at, name)
        assert not at.error, errors(at)
    start_draft(at, "ทดสอบสาม")
    assert REFUSED in errors(at)
    fresh = app()
    start_draft(fresh, "ทดสอบสี่")
    assert not fresh.error, errors(fresh)


def open_mine(at: AppTest, code: str, token: str) -> AppTest:
    at.text_input(key="mine_code").input(code)
    at.text_input(key="mine_token").input(token)
    [button] = [b for b in at.button if b.form_id == "mine_form"]
    return ok(button.click().run())


def test_wrong_edit_codes_are_throttled_even_before_the_right_one(
    low_limits: str, db: DB, client_ip: Callable[[str | None], None]
) -> None:
    client_ip("203.0.113.7")
    with db() as session:
        edition_id = session.exec(select(Submission.edition_id)).first()
        started = flow.start(
            session=session,
            edition_id=edition_id,
            organisation=records.OrganisationStep("อบต.", "รหัสทดสอบ", "ขอนแก่น", "เมืองขอนแก่น", ""),
        )
    code, token = started.access.receipt_code, started.access.edit_token

    mine = app()
    ok(mine.switch_page("pages/my_submission.py").run())
    for attempt in range(3):
        open_mine(mine, code, f"guess-{attempt}")
        assert "เลขที่ใบรับหรือรหัสแก้ไขไม่ถูกต้อง" in errors(mine), attempt
    open_mine(mine, code, token)  # the right code, but the limit is reached: not even tried
    assert REFUSED in errors(mine)
    assert not mine.metric

    client_ip("198.51.100.9")  # the owner, elsewhere, opens it; a right code counts nothing
    owner = app()
    ok(owner.switch_page("pages/my_submission.py").run())
    open_mine(owner, code, token)
    assert REFUSED not in errors(owner) and "ไม่ถูกต้อง" not in errors(owner)
    assert [m.value for m in owner.metric] == ["ร่าง (ยังไม่ได้กดส่ง)"]
    ok(owner.run())
    assert [m.value for m in owner.metric] == ["ร่าง (ยังไม่ได้กดส่ง)"]
    with db() as session:
        assert len(session.exec(select(RateHit)).all()) == 3
