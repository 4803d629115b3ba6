"""AppTest: the applicant is told early (issue 17, item 5). A go-live date after the cut-off or an undeclared digital
work is said at the project step, with what to do, before the documents; a sent project reopens on the step the
applicant chose and names the files it already holds instead of showing empty uploaders."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from services.intake import documents, eligibility, phrases, records
from tests.conftest import PAGE_ON_SQLITE
from tests.factories_files import contest_deck, make_pdf
from tests.pages import test_submit_flow
from tests.pages.test_submit_flow import (
    DB,
    ROOT,
    TIMEOUT,
    errors,
    fill_first_three_steps,
    ok,
    press,
    step_title,
)

during_intake = test_submit_flow.during_intake  # the fixture: the contest clock inside the demo's intake


def project_step(at: AppTest, title: str, golive: date) -> AppTest:
    """Steps 1–2 as the shared helper fills them, then step 3 with the given go-live date."""
    fill_first_three_steps(at, title)  # leaves the draft on step 4 with a go-live inside the rules
    ok(at.button(key="submit_goto_3").click().run())
    at.date_input(key="submit_golive").set_value(golive)
    return press(at, "submit_project_form")


@PAGE_ON_SQLITE
def test_a_go_live_after_the_cut_off_is_said_at_the_project_step_with_what_to_do(during_intake: str) -> None:
    at = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run())
    project_step(at, "ระบบที่เพิ่งเปิดใช้", date(2021, 3, 1))
    assert "ต้องไม่เกิน 1 กุมภาพันธ์ 2564" in at.date_input(key="submit_golive").help  # the rule, before any error
    assert step_title(at) == "3 โครงการ"  # saved, but the applicant stays where the date is entered
    said = errors(at)
    assert "เริ่มใช้งานจริงเมื่อ 1 มีนาคม 2564 หลังวันที่กำหนด (1 กุมภาพันธ์ 2564)" in said
    assert "สิ่งที่ทำได้: ตรวจวันที่ในช่อง “วันที่เริ่มใช้งานจริง” อีกครั้ง" in said and "ต้องไม่เกิน 1 กุมภาพันธ์ 2564" in said
    assert at.date_input(key="submit_golive").value == date(2021, 3, 1)  # the draft holds what was typed
    # The calendar speaks English with the CE year (Streamlit has no locale for it): the day is said in Thai under it.
    assert any(c.value.startswith("ตรงกับ 1 มีนาคม 2564 (พ.ศ.)") for c in at.caption), [c.value for c in at.caption]
    assert "ปฏิทินแสดงชื่อเดือนภาษาอังกฤษและปี ค.ศ." in at.date_input(key="submit_golive").help

    at.date_input(key="submit_golive").set_value(date(2021, 1, 15))
    press(at, "submit_project_form")
    assert step_title(at) == "4 เอกสาร" and not at.error, errors(at)


@PAGE_ON_SQLITE
def test_an_undeclared_digital_work_is_said_at_the_project_step(during_intake: str) -> None:
    at = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run())
    fill_first_three_steps(at, "ระบบที่ยังไม่ยืนยัน")
    ok(at.button(key="submit_goto_3").click().run())
    at.checkbox(key="submit_digital").uncheck()
    press(at, "submit_project_form")
    assert step_title(at) == "3 โครงการ"
    assert "สิ่งที่ทำได้: ถ้าเป็นเช่นนั้น ทำเครื่องหมายในช่อง “ผลงานนี้เป็นนวัตกรรม" in errors(at)
    # The step bar still lets the applicant go on: told, not locked out.
    assert not at.button(key="submit_goto_4").disabled


def test_each_rule_names_the_step_where_its_data_is_entered() -> None:
    assert (eligibility.STEP_ORGANISATION, eligibility.STEP_PROJECT) == (
        records.STEP_ORGANISATION,
        records.STEP_PROJECT,
    )
    found = eligibility.assess(
        org_type="บริษัทจำกัด", golive_date=date(2021, 5, 1), golive_cutoff=date(2021, 2, 1), digital_declared=False
    )
    assert [r.code for r in found.at_step(1)] == ["not_lao"]
    assert [r.code for r in found.at_step(3)] == ["golive_late", "not_declared_digital"]
    assert all(r.fix("th") and r.fix("en") for r in found.reasons)
    assert "อปท." in found.at_step(1)[0].fix("th")


@PAGE_ON_SQLITE
def test_a_sent_project_reopens_on_the_chosen_step_with_its_files_named(during_intake: str, db: DB) -> None:
    at = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run())
    fill_first_three_steps(at, "ระบบที่ส่งแล้วกลับมาแก้")
    at.file_uploader(key="submit_deck").upload("นำเสนอ.pptx", contest_deck(), documents.PPTX_MEDIA_TYPE)
    at.file_uploader(key="submit_signed").upload("ใบส่งโครงการ.pdf", make_pdf("signed"), "application/pdf")
    press(at, "submit_docs_form")
    for code in phrases.DECLARATION:
        at.checkbox(key=f"submit_decl_{code}").check()
    press(at, "submit_send_form")
    assert step_title(at) == "6 คำถามขั้นตอนที่ 7 และยืนยัน", errors(at)
    access = at.session_state["submit_access"]

    mine = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run())
    ok(mine.switch_page("pages/my_submission.py").run())
    mine.text_input(key="mine_code").input(access.receipt_code)
    mine.text_input(key="mine_token").input(access.edit_token)
    press(mine, "mine_form")
    steps = mine.selectbox(key="mine_edit_step")
    assert steps.options == [
        "1. หน่วยงาน",
        "2. ผู้ส่งและผู้ประสานงาน",
        "3. โครงการ",
        "4. เอกสาร",
        "5. ยอมรับเงื่อนไขและส่ง",
        "6. คำถามขั้นตอนที่ 7 และยืนยัน",  # the submit page's own step names (intake phrases)
    ]
    steps.set_value(4)
    ok(mine.button(key="mine_edit").click().run())
    ok(mine.switch_page("pages/submit.py").run())  # AppTest stays put where a browser follows st.switch_page
    assert step_title(mine) == "4 เอกสาร"
    stored = [s.value for s in mine.success]
    assert any("เก็บไว้แล้ว" in s and "นำเสนอ" in s and "ไม่ต้องส่งใหม่" in s for s in stored), stored
    assert any("เก็บไว้แล้ว" in s and "ใบส่งโครงการ" in s for s in stored), stored
    assert all("(ไม่บังคับ)" in u.label for u in mine.get("file_uploader"))
    press(mine, "submit_docs_form", "บันทึกและไปขั้นถัดไป")  # no file sent again: the stored ones stand
    assert not mine.error, errors(mine)
    assert step_title(mine) == "5 ยอมรับเงื่อนไขและส่ง"
