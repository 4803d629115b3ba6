"""Browser, keyboard alone (issue 17, item 9): a judge signs in, scores every criterion of a work, comments, saves
a draft and submits it through the confirmation; an applicant sends a project through all six steps, files
included. No click and no fill: only Tab, arrow keys, Home/End, Space, Enter and typing, as a person without a mouse
works (the file chooser that Enter opens is answered as the person's system dialog would be). Along the way: Tab
reaches every control in the order read, the control with the focus looks different (a focus ring), screen
readers get the criterion's name and the points, and the database holds what was typed."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import Attachment, Organisation, Submission, SubmissionStatus, User
from services.contest import editions
from services.judging import sheets, worklist
from tests.browser.conftest import open_tab, report_failure, settled, wait_until
from tests.browser.test_submit_upload import DECLARATION_COUNT, make_deck, make_signed_form

pytestmark = pytest.mark.browser

SETTLE_MS = 60_000
TAB_LIMIT = 150  # presses to reach one control: the sidebar and the evidence come before the sheet

# The element that has the focus, through shadow roots (the score sheet is a component in one).
_DEEP_FOCUS = """() => { let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement; return a; }"""
_IS_FOCUSED = f"el => ({_DEEP_FOCUS})() === el"
# A short description of the focused element, to say where Tab went.
_DESCRIBE = f"""() => {{ const a = ({_DEEP_FOCUS})(); if (!a) return '';
  const label = a.getAttribute('aria-label') || (a.labels && a.labels[0] && a.labels[0].innerText)
    || a.innerText || a.value || '';
  return a.tagName.toLowerCase() + (a.type ? '[' + a.type + ']' : '') + ' ' + label.trim().slice(0, 60); }}"""


def stop(tab: Page) -> str:
    return str(tab.evaluate(_DESCRIBE))


def tab_to(tab: Page, target: Locator, *, back: bool = False) -> list[str]:
    """Press Tab (Shift+Tab with back) until target has the focus; the stops passed on the way."""
    passed: list[str] = []
    target.first.wait_for(state="attached")
    for _ in range(TAB_LIMIT):
        if target.first.evaluate(_IS_FOCUSED):
            return passed
        tab.keyboard.press("Shift+Tab" if back else "Tab")
        passed.append(stop(tab))
    pytest.fail(f"Tab never reached {target}; last stops: {passed[-12:]}")


_FOCUS_ELSEWHERE = """el => {
    const dialog = el.closest('[role="dialog"]');
    const other = dialog && [...dialog.querySelectorAll('button, [href], input, textarea, [tabindex]')].find(
        (c) => c !== el && !c.contains(el) && c.tabIndex >= 0);
    if (other) { other.focus(); } else { el.blur(); }
}"""


def ring_shows(tab: Page, target: Locator) -> None:
    """The focused target looks different from the same target without the focus (measured by taking the focus
    away and giving it back in script: a measurement, not a person's action)."""
    element = target.first
    assert element.evaluate(_IS_FOCUSED), f"{target} has no focus"
    box = element.bounding_box()
    assert box is not None
    pad = 6
    clip = {"x": max(box["x"] - pad, 0), "y": max(box["y"] - pad, 0), "width": box["width"] + 2 * pad}
    clip["height"] = box["height"] + 2 * pad
    # Without the focus: inside a dialog, which keeps the focus within itself (a blur gives it straight back), on
    # another of the dialog's controls; elsewhere, nowhere. Both pictures after the same settling time, as a focus
    # ring may fade in while a border fades out.
    tab.wait_for_timeout(250)
    focused = tab.screenshot(clip=clip, animations="disabled")
    element.evaluate(_FOCUS_ELSEWHERE)
    tab.wait_for_timeout(250)
    unfocused = tab.screenshot(clip=clip, animations="disabled")
    assert not element.evaluate(_IS_FOCUSED), f"{target} kept the focus"
    element.evaluate("el => el.focus()")
    tab.wait_for_timeout(250)
    assert focused != unfocused, f"no visible focus on {stop(tab)}"


def sign_in_by_keyboard(tab: Page, base_url: str, username: str, password: str, landing: str) -> None:
    tab.goto(f"{base_url}/signin")
    form = tab.get_by_test_id("stForm")
    expect(form).to_be_visible(timeout=SETTLE_MS)
    settled(tab)
    tab_to(tab, form.get_by_label("ชื่อผู้ใช้", exact=True))
    ring_shows(tab, form.get_by_label("ชื่อผู้ใช้", exact=True))
    tab.keyboard.type(username)
    tab.keyboard.press("Tab")
    assert form.get_by_label("รหัสผ่าน", exact=True).evaluate(_IS_FOCUSED)
    tab.keyboard.type(password)
    tab.keyboard.press("Enter")  # a form's text box sends the form with Enter
    expect(tab.get_by_role("heading", name=landing)).to_be_visible(timeout=SETTLE_MS)


# --- the judge ------------------------------------------------------------------------------------------------------


def stored(engine: Engine, judge_id: int, sub_id: int) -> sheets.SheetView:
    with Session(engine) as s:
        return sheets.get_sheet(session=s, judge_id=judge_id, submission_id=sub_id)


def test_a_judge_scores_comments_saves_and_submits_a_sheet_by_keyboard_alone(
    browser: Browser, fresh_base_url: str, fresh_db: Engine
) -> None:
    with Session(fresh_db) as s:
        edition = editions.current_edition(session=s)
        assert edition is not None
        judge_id = s.exec(select(User.id).where(User.username == "judge-dga")).one()
        work = worklist.list_assignments(session=s, judge_id=judge_id, edition_id=edition.id)[0].submission
    before = stored(fresh_db, judge_id, work.id)
    assert before.state != "submitted" and all(c.points is None for c in before.criteria)
    criteria = before.criteria
    # Each slider: End (the maximum), then ArrowLeft i % 4 times (half a point each); the third gets "0 points".
    expected = {c.criterion_id: c.max_points - 0.5 * (i % 4) for i, c in enumerate(criteria)}
    expected[criteria[2].criterion_id] = 0.0

    tab = open_tab(browser, width=1440, height=900)
    try:
        sign_in_by_keyboard(tab, fresh_base_url, "judge-dga", "judge-2564", "ให้คะแนนผลงาน")
        sheet = tab.locator(f'[data-sheet="{work.id}"]')
        sliders = sheet.get_by_role("slider")
        expect(sliders).to_have_count(len(criteria), timeout=SETTLE_MS)
        settled(tab)

        tab_to(tab, sliders.nth(0))
        ring_shows(tab, sliders.nth(0))
        for i, c in enumerate(criteria):
            slider = sliders.nth(i)
            assert slider.evaluate(_IS_FOCUSED), (i, stop(tab))
            expect(slider).to_have_accessible_name(f"{i + 1}. {c.title_th} (เต็ม {c.max_points})")
            expect(slider).to_have_attribute("aria-valuetext", f"{c.title_th}: ยังไม่ให้คะแนน")
            zero = sheet.get_by_role("button", name=f"ให้ 0 คะแนน: {i + 1}. {c.title_th}", exact=True)
            if i == 2:  # "0 points" by Space, the slider left alone
                tab.keyboard.press("Tab")
                assert zero.evaluate(_IS_FOCUSED), stop(tab)
                ring_shows(tab, zero)
                tab.keyboard.press("Space")
                expect(slider).to_have_attribute("aria-valuetext", f"{c.title_th}: 0 จาก {c.max_points} คะแนน")
                # The button goes once the criterion has points: the focus falls back, so Shift+Tab finds the slider.
                tab_to(tab, slider, back=True)
            else:
                tab.keyboard.press("End")
                for _ in range(i % 4):
                    tab.keyboard.press("ArrowLeft")
                points = f"{expected[c.criterion_id]:g}"
                expect(slider).to_have_value(points)
                expect(slider).to_have_attribute("aria-valuetext", f"{c.title_th}: {points} จาก {c.max_points} คะแนน")
                expect(zero).to_have_count(0)  # scored: no "0 points" button left in the Tab order
            comment = sheet.get_by_role("textbox", name=f"ความเห็น: {i + 1}. {c.title_th}", exact=True)
            # Between a slider and its comment only the criterion's own guidance may stand.
            passed = tab_to(tab, comment)
            assert all(p.startswith("summary") for p in passed[:-1]), passed
            if i == 0:
                ring_shows(tab, comment)
                tab.keyboard.type("ชัดเจน วัดผลได้")
            if i + 1 < len(criteria):
                assert tab_to(tab, sliders.nth(i + 1)) == [stop(tab)], "the next criterion's slider comes next"
        overall = sheet.get_by_role("textbox", name="ความเห็นโดยรวม", exact=True)
        tab_to(tab, overall)
        tab.keyboard.type("ภาพรวมดี")
        expect(sheet.locator(".total")).to_have_text(f"คะแนนรวม {sum(expected.values()):g} / {before.max_total}")

        # Save the draft with Enter: the buttons come in the order read, and the focus stays on the one pressed.
        save = sheet.get_by_role("button", name="บันทึกร่าง", exact=True)
        assert [p.split(" ", 1)[1] for p in tab_to(tab, save)] == ["บันทึกร่าง"]
        ring_shows(tab, save)
        tab.keyboard.press("Enter")
        wait_until(
            lambda: {c.criterion_id: c.points for c in stored(fresh_db, judge_id, work.id).criteria} == expected,
            what="every criterion's points in the draft",
        )
        saved = stored(fresh_db, judge_id, work.id)
        assert saved.state == "draft"
        assert saved.criteria[0].comment == "ชัดเจน วัดผลได้" and saved.overall_comment == "ภาพรวมดี"
        settled(tab)

        # Submit with Space, confirm in the dialog with Enter.
        submit = sheet.get_by_role("button", name="ส่งคะแนนผลงานนี้", exact=True)
        tab_to(tab, submit)
        tab.keyboard.press("Space")
        dialog = tab.get_by_role("dialog")
        expect(dialog).to_be_visible(timeout=SETTLE_MS)
        confirm = dialog.get_by_role("button", name=re.compile("^ยืนยัน"))
        tab_to(tab, confirm)
        ring_shows(tab, confirm)
        tab.keyboard.press("Enter")
        wait_until(lambda: stored(fresh_db, judge_id, work.id).state == "submitted", what="the submitted sheet")
        done = stored(fresh_db, judge_id, work.id)
        assert {c.criterion_id: c.points for c in done.criteria} == expected
    except BaseException:
        report_failure("keyboard-judge", {"judge": tab})
        raise
    finally:
        tab.context.close()


# --- the applicant --------------------------------------------------------------------------------------------------


def next_step(tab: Page, button: str, heading: str) -> None:
    form = tab.get_by_test_id("stForm")
    target = form.get_by_role("button", name=button, exact=True)
    tab_to(tab, target)
    tab.keyboard.press("Enter")
    expect(tab.get_by_role("heading", name=heading)).to_be_visible(timeout=SETTLE_MS)
    settled(tab)


def type_into(tab: Page, field: Locator, text: str) -> None:
    tab_to(tab, field)
    tab.keyboard.type(text)


def choose_file(tab: Page, uploader_label: str, path: Path) -> None:
    uploader = tab.get_by_test_id("stFileUploader").filter(has_text=uploader_label)
    button = uploader.get_by_role("button", name="เลือกไฟล์", exact=True)
    tab_to(tab, button)
    ring_shows(tab, button)
    # The step reruns as the page settles (the uploader drawn again), which can take the focus from the button
    # between reaching it and pressing Enter: then reach it again by Tab and press again, three tries at most.
    for _ in range(3):
        tab_to(tab, button)
        try:
            with tab.expect_file_chooser(timeout=5_000) as chooser:
                tab.keyboard.press("Enter")
        except PlaywrightTimeoutError:
            continue
        break
    else:
        pytest.fail(f"Enter on {uploader_label}'s button never opened the file chooser")
    chooser.value.set_files(path)
    expect(uploader.get_by_role("button", name=f"Remove {path.name}", exact=True)).to_be_visible(timeout=SETTLE_MS)


def test_an_applicant_sends_a_project_through_every_step_by_keyboard_alone(
    browser: Browser, fresh_base_url: str, fresh_db: Engine, tmp_path: Path
) -> None:
    title = "ระบบจองคิวออนไลน์ ทดสอบด้วยแป้นพิมพ์"
    deck = make_deck(tmp_path / "นำเสนอ.pptx")
    signed_form = make_signed_form(tmp_path / "ใบส่ง.pdf")
    tab = open_tab(browser, width=1440, height=900)
    try:
        tab.goto(fresh_base_url)
        expect(tab.get_by_role("heading", name="1 หน่วยงาน")).to_be_visible(timeout=SETTLE_MS)
        settled(tab)
        form = tab.get_by_test_id("stForm")

        # 1. The organisation: its type keeps the default; the province by typing and Enter.
        name = form.get_by_label("ชื่อหน่วยงาน (ไม่ต้องใส่ประเภท เช่น ท่าคันโท)")
        type_into(tab, name, "ทดสอบแป้นพิมพ์")
        ring_shows(tab, name)
        province = form.get_by_role("combobox", name="จังหวัด", exact=True)
        tab_to(tab, province)
        ring_shows(tab, province)
        tab.keyboard.type("เชียงราย")
        expect(tab.get_by_role("option", name="เชียงราย", exact=True)).to_be_visible()
        tab.keyboard.press("Enter")
        expect(province).to_have_value("เชียงราย")
        next_step(tab, "บันทึกและไปขั้นถัดไป", "2 ผู้ส่งและผู้ประสานงาน")

        # 2. The submitter and the coordinator; the authority box ticked with Space.
        form = tab.get_by_test_id("stForm")
        type_into(tab, form.get_by_label("ชื่อ-นามสกุล ผู้ส่งโครงการ (ผู้มีอำนาจลงนาม)"), "นายแป้น พิมพ์ดี")
        type_into(tab, form.get_by_label("ตำแหน่ง", exact=True), "นายกองค์การบริหารส่วนจังหวัด")
        authority = form.get_by_role("checkbox").first
        tab_to(tab, authority)
        ring_shows(tab, authority)
        tab.keyboard.press("Space")
        expect(authority).to_be_checked()
        type_into(tab, form.get_by_label("ชื่อผู้ประสานงาน", exact=True), "นางสาวประสาน งานดี")
        type_into(tab, form.get_by_label("โทรศัพท์", exact=True), "081-234-5678")
        type_into(tab, form.get_by_label("อีเมล", exact=True), "keyboard@example.go.th")
        next_step(tab, "บันทึกและไปขั้นถัดไป", "3 โครงการ")

        # 3. The project: the date typed into its day, month and year; choices taken with Space, one moved with the
        # arrow keys and back.
        form = tab.get_by_test_id("stForm")
        type_into(tab, form.get_by_label("ชื่อโครงการ", exact=True), title)
        type_into(tab, form.get_by_role("spinbutton", name="day, วันที่เริ่มใช้งานจริง"), "01062020")
        expect(form.get_by_role("spinbutton", name="year, วันที่เริ่มใช้งานจริง")).to_have_text("2020")
        new = form.get_by_role("radio", name="ริเริ่มขึ้นใหม่", exact=True)
        tab_to(tab, new)
        ring_shows(tab, new)
        tab.keyboard.press("Space")
        expect(new).to_be_checked()
        first_way = form.get_by_role("radio", name="พัฒนาโดยบุคลากรภายใน อปท. เอง", exact=True)
        tab_to(tab, first_way)
        tab.keyboard.press("Space")
        expect(first_way).to_be_checked()
        tab.keyboard.press("ArrowRight")
        expect(first_way).not_to_be_checked()
        tab.keyboard.press("ArrowLeft")
        expect(first_way).to_be_checked()
        digital = form.get_by_role("checkbox", name=re.compile("^ผลงานนี้เป็นนวัตกรรม"))
        tab_to(tab, digital)
        tab.keyboard.press("Space")
        expect(digital).to_be_checked()
        next_step(tab, "บันทึกและไปขั้นถัดไป", "4 เอกสาร")

        # 4. The files: "choose file" pressed with Enter opens the system's file chooser.
        choose_file(tab, "ไฟล์นำเสนอ PowerPoint", deck)
        choose_file(tab, "ใบส่งโครงการที่ลงนาม", signed_form)
        next_step(tab, "อัปโหลดและไปขั้นถัดไป", "5 ยอมรับเงื่อนไขและส่ง")

        # 5. The declarations, each ticked with Space.
        boxes = tab.get_by_test_id("stForm").get_by_role("checkbox")
        expect(boxes).to_have_count(DECLARATION_COUNT)
        for i in range(DECLARATION_COUNT):
            tab_to(tab, boxes.nth(i))
            tab.keyboard.press("Space")
            expect(boxes.nth(i)).to_be_checked()
        next_step(tab, "ส่ง", "6 คำถามขั้นตอนที่ 7 และยืนยัน")

        # 6. The questionnaire: a tool and a channel ticked; confirmed with Enter on the button.
        for ticked in ("ระบบสารบรรณอิเล็กทรอนิกส์ (e-Saraban)", "LINE Official Account"):
            box = tab.get_by_test_id("stForm").get_by_role("checkbox", name=ticked, exact=True)
            tab_to(tab, box)
            tab.keyboard.press("Space")
            expect(box).to_be_checked()
        confirm = tab.get_by_test_id("stForm").get_by_role("button", name="ยืนยัน", exact=True)
        tab_to(tab, confirm)
        ring_shows(tab, confirm)
        tab.keyboard.press("Enter")
        receipt = tab.get_by_role("heading", name=re.compile(r"เลขที่ใบรับ: LDA64-"))
        expect(receipt).to_be_visible(timeout=SETTLE_MS)
        code = receipt.inner_text().removeprefix("เลขที่ใบรับ:").strip()

        with Session(fresh_db) as s:
            sub = s.exec(select(Submission).where(Submission.receipt_code == code)).one()
            assert sub.title == title and sub.golive_date == date(2020, 6, 1)
            org = s.get(Organisation, sub.organisation_id)
            assert org is not None and (org.name, org.province) == ("ทดสอบแป้นพิมพ์", "เชียงราย")
            assert sub.submitter_has_signing_authority and sub.digital_declared and sub.developed_by == "in_house"
            assert len(sub.declarations) == DECLARATION_COUNT and all(sub.declarations.values())
            assert sub.answers["digital_tools"] == ["e_saraban"] and sub.answers["communication_channels"] == [
                "line_oa"
            ]
            assert sub.submitter_name == "นายแป้น พิมพ์ดี" and sub.coordinator_email == "keyboard@example.go.th"
            assert sub.submitted_at is not None
            files = s.exec(select(Attachment).where(Attachment.submission_id == sub.id)).all()
            assert len(files) == 2
    except BaseException:
        report_failure("keyboard-applicant", {"applicant": tab})
        raise
    finally:
        tab.context.close()


# --- the organiser ------------------------------------------------------------------------------------------------


def test_an_organiser_opens_a_work_and_rejects_it_with_a_reason_by_keyboard_alone(
    browser: Browser, fresh_base_url: str, fresh_db: Engine
) -> None:
    """The screening page by keyboard: the sidebar's link, the work picker (typing filters it), the decision tab
    (arrow keys), the reason and the button; the database holds the decision and its reason."""
    with Session(fresh_db) as s:
        edition = editions.current_edition(session=s)
        assert edition is not None
        work = s.exec(
            select(Submission).where(Submission.edition_id == edition.id).order_by(col(Submission.id)).offset(2)
        ).first()
        assert work is not None and work.status == SubmissionStatus.accepted
    reason_text = "ไม่ใช่นวัตกรรมดิจิทัล"

    tab = open_tab(browser, width=1440, height=900)
    try:
        sign_in_by_keyboard(tab, fresh_base_url, "organiser", "organiser-2564", "ผลคะแนนและสถิติ")
        link = tab.get_by_role("link", name="ผลงานที่ส่งเข้าประกวด")
        tab_to(tab, link)
        ring_shows(tab, link)
        tab.keyboard.press("Enter")
        expect(tab.get_by_role("heading", name="ผลงานที่ส่งเข้าประกวด")).to_be_visible(timeout=SETTLE_MS)
        settled(tab)

        picker = tab.get_by_role("combobox", name="เปิดผลงาน")
        tab_to(tab, picker)
        ring_shows(tab, picker)
        tab.keyboard.type(work.receipt_code)  # filters the list to that work
        tab.keyboard.press("Enter")
        expect(tab.get_by_role("heading", name=work.title)).to_be_visible(timeout=SETTLE_MS)
        settled(tab)

        first = tab.get_by_role("tab", name="ความครบถ้วนและคุณสมบัติ")
        decide = tab.get_by_role("tab", name="ผลการตรวจและขยายเวลา")
        tab_to(tab, first)
        ring_shows(tab, first)
        for _ in range(3):
            tab.keyboard.press("ArrowRight")
        expect(decide).to_have_attribute("aria-selected", "true")

        reason = tab.get_by_role("textbox", name=re.compile(r"^เหตุผล \(จำเป็นเมื่อไม่รับ"))
        tab_to(tab, reason)
        ring_shows(tab, reason)
        tab.keyboard.type(reason_text)
        reject = tab.get_by_role("button", name="ไม่รับ", exact=True)
        tab_to(tab, reject)
        settled(tab)  # leaving the box sent its text (a run); the button keeps the focus through it
        tab_to(tab, reject)
        ring_shows(tab, reject)
        tab.keyboard.press("Enter")

        def decided() -> bool:
            with Session(fresh_db) as s:
                got = s.get(Submission, work.id)
                return got is not None and (got.status, got.screening_note) == (SubmissionStatus.rejected, reason_text)

        wait_until(decided, what="the work rejected with the reason typed")
    except BaseException:
        report_failure("keyboard-organiser", {"organiser": tab})
        raise
    finally:
        tab.context.close()
