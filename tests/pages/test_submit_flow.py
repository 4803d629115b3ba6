"""AppTest through the whole guided flow: organisation → contacts → project → real files → declarations → step 7 →
confirm; resume with the receipt code and edit code; "submit another project"; the deadline message."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from factories_files import contest_deck, make_executable, make_pdf
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import Attachment, Submission, SubmissionStatus
from services.intake import documents, phrases
from services.platform.settings import get_settings
from tests.conftest import PAGE_ON_SQLITE
from tests.helpers.hostile import as_shown

pytestmark = PAGE_ON_SQLITE

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30
DEMO_CLOCK = "2021-07-20T10:00:00+07:00"
DB = Callable[[], Session]


@pytest.fixture
def during_intake(app_env: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("LDAWARD_CLOCK", DEMO_CLOCK)
    get_settings.cache_clear()
    yield app_env
    get_settings.cache_clear()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def press(at: AppTest, form_id: str, label: str | None = None) -> AppTest:
    buttons = [
        b
        for b in at.button
        if b.form_id == form_id and b.key.startswith("FormSubmitter:") and (label is None or b.label == label)
    ]
    assert len(buttons) == 1, [(b.form_id, b.label) for b in at.button]
    return ok(buttons[0].click().run())


def errors(at: AppTest) -> str:
    return "\n".join(as_shown(e.value) for e in at.error)


def step_title(at: AppTest) -> str:
    return at.header[-1].value


def fill_first_three_steps(at: AppTest, title: str) -> AppTest:
    at.selectbox(key="submit_org_type").set_value(at.selectbox(key="submit_org_type").options[4])  # อบต.
    at.text_input(key="submit_org_name").input("หนองบัวทดสอบ")
    at.selectbox(key="submit_province").set_value("ขอนแก่น")
    at.text_input(key="submit_district").input("เมืองขอนแก่น")
    press(at, "submit_org_form")
    assert not at.error, errors(at)
    assert step_title(at) == "2 ผู้ส่งและผู้ประสานงาน"

    at.text_input(key="submit_submitter_name").input("นายสมปอง ทดสอบ")
    at.text_input(key="submit_submitter_position").input("นายก อบต.")
    at.checkbox(key="submit_authority").check()
    at.text_input(key="submit_coordinator_name").input("นางสาวประสาน งานดี")
    at.text_input(key="submit_coordinator_phone").input("081-234-5678")
    at.text_input(key="submit_coordinator_email").input("prasan@example.go.th")
    press(at, "submit_contacts_form")
    assert not at.error, errors(at)

    at.text_input(key="submit_title").input(title)
    at.date_input(key="submit_golive").set_value(date(2020, 11, 1))
    at.radio(key="submit_initiative").set_value("new")
    at.radio(key="submit_developed_by").set_value("in_house")
    at.checkbox(key="submit_digital").check()
    press(at, "submit_project_form")
    assert not at.error, errors(at)
    assert step_title(at) == "4 เอกสาร"
    return at


def test_the_whole_flow_saves_a_draft_at_each_step_and_ends_confirmed(during_intake: str, db: DB) -> None:
    at = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run())
    assert step_title(at) == "1 หน่วยงาน"
    fill_first_three_steps(at, "ระบบจองคิวรับบริการออนไลน์ทดสอบ")
    access = at.session_state["submit_access"]
    with db() as session:
        draft = session.exec(select(Submission).where(Submission.receipt_code == access.receipt_code)).one()
    assert (draft.status, draft.draft_step, draft.title) == (SubmissionStatus.draft, 3, "ระบบจองคิวรับบริการออนไลน์ทดสอบ")
    assert draft.coordinator_phone == "0812345678" and draft.is_new_initiative is True
    assert any(access.receipt_code in i.value for i in at.info)

    # Only one file: the step asks for both, nothing moves on.
    at.file_uploader(key="submit_deck").upload("นำเสนอ.pptx", contest_deck(), documents.PPTX_MEDIA_TYPE)
    press(at, "submit_docs_form")
    assert "กรุณาแนบทั้งไฟล์นำเสนอและใบส่งโครงการที่ลงนามแล้ว" in errors(at)
    at.file_uploader(key="submit_signed").upload("ใบส่งโครงการ.pdf", make_pdf("signed"), "application/pdf")
    press(at, "submit_docs_form")
    assert not at.error, errors(at)
    assert step_title(at) == "5 ยอมรับเงื่อนไขและส่ง"
    assert any("Roadmap: สไลด์ 14–15" in c.value for c in at.caption)
    assert any("รอผู้จัดงานยืนยัน" in i.value for i in at.info)  # eligibility shown to the applicant

    press(at, "submit_send_form")
    assert "กรุณาทำเครื่องหมายยอมรับเงื่อนไขทั้ง 4 ข้อ" in errors(at)
    for code in phrases.DECLARATION:
        at.checkbox(key=f"submit_decl_{code}").check()
    press(at, "submit_send_form")
    assert not at.error, errors(at)
    assert step_title(at) == "6 คำถามขั้นตอนที่ 7 และยืนยัน"

    press(at, "submit_q_form", "ยืนยัน")
    assert "กรุณาเลือกเครื่องมือดิจิทัล" in errors(at)
    at.checkbox(key="submit_q_tool_e_saraban").check()
    at.checkbox(key="submit_q_channel_line_oa").check()
    at.text_input(key="submit_q_channels_other").input("รถแห่ประชาสัมพันธ์")
    at.text_area(key="submit_q_datasets").input("จุดบริการ | https://data.go.th/dataset/service-points")
    at.number_input(key="submit_q_goal_people_per_month_before").set_value(120)
    at.number_input(key="submit_q_goal_people_per_month_after").set_value(450)
    at.text_area(key="submit_q_plan_3_6_months").input("แจ้งเตือนผ่าน LINE")
    at.text_area(key="submit_q_team").input("นายสมปอง | หัวหน้าทีม")
    press(at, "submit_q_form", "ยืนยัน")
    assert "หน่วยงานที่รับผิดชอบ" in errors(at)  # roadmap period without its unit
    at.text_input(key="submit_q_unit_3_6_months").input("สำนักปลัด")
    press(at, "submit_q_form", "ยืนยัน")
    assert not at.error, errors(at)
    assert any("ส่งผลงานเรียบร้อยแล้ว" in s.value for s in at.success)

    with db() as session:
        sub = session.exec(select(Submission).where(Submission.receipt_code == access.receipt_code)).one()
        kinds = {a.kind for a in session.exec(select(Attachment).where(Attachment.submission_id == sub.id))}
    assert sub.status == SubmissionStatus.submitted and sub.confirmed_at is not None
    assert kinds == {"deck", "signed_form"}
    assert sub.answers["digital_tools"] == ["e_saraban"]
    assert sub.answers["communication_channels_other"] == ["รถแห่ประชาสัมพันธ์"]
    assert sub.answers["datasets"][0]["on_data_go_th"] is True
    assert sub.answers["goals"][0] == {
        "code": "people_per_month",
        "label": "จำนวนคนใช้บริการ (คน/เดือน)",
        "before": 120.0,
        "target": None,
        "after": 450.0,
    }
    assert sub.answers["roadmap"][0]["responsible_unit"] == "สำนักปลัด"

    # "Submit another project": the organisation and contacts come along, the project step is next.
    ok(at.button(key="submit_another").click().run())
    second = at.session_state["submit_access"]
    assert second.receipt_code != access.receipt_code
    assert step_title(at) == "3 โครงการ"
    assert at.text_input(key="submit_title").value == ""
    with db() as session:
        carried = session.exec(select(Submission).where(Submission.receipt_code == second.receipt_code)).one()
    assert (carried.organisation_id, carried.coordinator_name) == (sub.organisation_id, "นางสาวประสาน งานดี")


def test_a_program_renamed_to_pptx_is_refused_with_what_it_is(during_intake: str, db: DB) -> None:
    at = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run())
    fill_first_three_steps(at, "โครงการแนบไฟล์ผิด")
    at.file_uploader(key="submit_deck").upload("deck.pptx", make_executable(), "application/octet-stream")
    at.file_uploader(key="submit_signed").upload("form.pdf", make_pdf("signed"), "application/pdf")
    press(at, "submit_docs_form")
    assert "ไฟล์นี้ไม่ใช่ไฟล์ PowerPoint (.pptx) แต่เป็นไฟล์โปรแกรม" in errors(at)
    assert step_title(at) == "4 เอกสาร"
    with db() as session:
        sub = session.exec(select(Submission).where(Submission.title == "โครงการแนบไฟล์ผิด")).one()
        assert session.exec(select(Attachment).where(Attachment.submission_id == sub.id)).all() == []


def test_my_submission_opens_with_the_link_and_leads_back_into_the_flow(during_intake: str, db: DB) -> None:
    at = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run())
    fill_first_three_steps(at, "โครงการที่กลับมาทำต่อ")
    access = at.session_state["submit_access"]

    mine = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run())
    ok(mine.switch_page("pages/my_submission.py").run())
    mine.text_input(key="mine_code").input(access.receipt_code)
    mine.text_input(key="mine_token").input("not-the-token")
    press(mine, "mine_form")
    assert "เลขที่ใบรับหรือรหัสแก้ไขไม่ถูกต้อง" in errors(mine)

    mine.text_input(key="mine_token").input(access.edit_token)
    press(mine, "mine_form")
    assert not mine.error, errors(mine)
    assert [m.value for m in mine.metric] == ["ร่าง (ยังไม่ได้กดส่ง)"]
    assert any("ยังไม่ได้แนบไฟล์นำเสนอ" in w.value for w in mine.warning)
    ok(mine.button(key="mine_edit").click().run())
    assert mine.header[-1].value == "4 เอกสาร"
    # AppTest stays on the page it was told to run; a browser follows st.switch_page's new URL.
    ok(mine.switch_page("pages/submit.py").run())
    ok(mine.button(key="submit_goto_3").click().run())
    assert mine.text_input(key="submit_title").value == "โครงการที่กลับมาทำต่อ"
    assert mine.radio(key="submit_initiative").value == "new"


def test_after_intake_closes_the_page_says_so_in_thai(app_env: str) -> None:
    at = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run())  # real time: 2564 is over
    assert "31 กรกฎาคม 2564" in errors(at)
    assert not [f for f in at.get("form")]


def test_the_widgets_echo_the_services_length_limits_and_a_control_character_is_stripped(
    during_intake: str, db: DB
) -> None:
    from services.platform import text_limits

    at = ok(AppTest.from_file(str(ROOT / "pages" / "submit.py"), default_timeout=TIMEOUT).run())
    assert at.text_input(key="submit_org_name").max_chars == text_limits.max_chars("org_name")
    assert at.text_input(key="submit_district").max_chars == text_limits.max_chars("district")
    at = fill_first_three_steps(at, "ระบบ\x1b[31mแจ้งซ่อม\u202e")
    with db() as session:
        sub = session.exec(select(Submission).order_by(Submission.id.desc())).first()  # type: ignore[union-attr]
        assert sub is not None and sub.title == "ระบบ[31mแจ้งซ่อม"
