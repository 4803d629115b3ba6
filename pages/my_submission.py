"""The applicant's own submission, opened with the receipt code and the secret edit code: status, eligibility,
what is missing, the deadline, and the way back into the guided flow."""

import streamlit as st

from pages import _mail_edit_link, _ui
from services.contest import papers
from services.intake import files, flow, phrases, records
from services.intake import receipt as intake_receipt
from services.pitching import schedule
from services.platform import ratelimit
from services.platform.errors import Forbidden
from services.platform.safe_text import md
from services.results import feedback
from services.thai.dates import (
    format_thai_date,
    format_thai_datetime,
    format_thai_day,
    to_bangkok,
)

st.title(_ui.t("ผลงานของฉัน", "My submission"))

params = st.query_params
with st.form("mine_form"):
    code = st.text_input(
        _ui.t("เลขที่ใบรับ", "Receipt code"),
        value=params.get("code", ""),
        key="mine_code",
        max_chars=40,
        placeholder="LDA64-XXXX-XXXX",
    )
    token = st.text_input(
        _ui.t("รหัสแก้ไข (ได้รับเมื่อบันทึกครั้งแรก)", "Edit code (given when you first saved)"),
        value=params.get("token", ""),
        key="mine_token",
        type="password",
        max_chars=200,
    )
    opened = st.form_submit_button(_ui.t("เปิดผลงาน", "Open"), type="primary")

if (opened or ("code" in params and "token" in params)) and code.strip() and token.strip():
    st.session_state["mine_access"] = records.Access(code.strip(), token.strip())
access: records.Access | None = st.session_state.get("mine_access")
if access is None:
    st.caption(
        _ui.t("เปิดจากลิงก์ที่ได้รับ หรือกรอกเลขที่ใบรับและรหัสแก้ไข", "Open your link, or enter the receipt code and edit code.")
    )
    _mail_edit_link.ask()
    st.stop()


def open_submission(access: records.Access) -> records.DraftView:
    """Open with the codes. Wrong codes count against a per-client limit (its IP address, or this browser session
    when there is none), and once it is reached no codes are tried at all, so edit codes cannot be brute-forced.
    Codes that opened once in this session are not counted again."""
    limit = ratelimit.edit_code_limit()
    fresh, subject = st.session_state.get("mine_opened") != access, ""
    if fresh:
        client = _ui.client_id("mine_browser_id")
        with _ui.db() as session:
            subject = ratelimit.subject_of(session=session, bucket=limit.bucket, client=client)
            ratelimit.check(session=session, limit=limit, subject=subject)
    try:
        with _ui.db() as session:
            view = flow.load(session=session, access=access)
    except Forbidden:
        if fresh:
            with _ui.db() as session:
                ratelimit.hit(session=session, limit=limit, subject=subject)
        raise
    st.session_state["mine_opened"] = access
    return view


view: records.DraftView | None = None
with _ui.guard():
    view = open_submission(access)
if view is None:
    st.session_state.pop("mine_access", None)
    st.stop()

st.header(md(view.project.title) or _ui.t("(ยังไม่ได้ตั้งชื่อโครงการ)", "(no title yet)"))
st.markdown(
    f"{md(view.full_name)} จ.{md(view.organisation.province)} · "
    + _ui.t("เลขที่ใบรับ ", "receipt ")
    + md(view.receipt_code)
)
st.metric(_ui.t("สถานะ", "Status"), _ui.label(phrases.SUBMISSION_STATUS, view.status))
if view.submitted_at:
    st.caption(
        _ui.t(f"ส่งเมื่อ {format_thai_datetime(view.submitted_at)}", f"Sent {view.submitted_at:%Y-%m-%d %H:%M} UTC")
    )
if view.editable:
    st.info(
        _ui.t(
            f"แก้ไขได้จนถึง {format_thai_datetime(view.deadline)}",
            f"You can edit until {view.deadline:%Y-%m-%d %H:%M} UTC",
        ),
        icon=":material/schedule:",
    )
else:
    st.warning(
        _ui.t(
            f"แก้ไขไม่ได้แล้ว (ปิดรับหรือผู้จัดงานตรวจแล้ว; กำหนดแก้ไขถึง {format_thai_datetime(view.deadline)}) "
            "หากต้องการแก้ไขกรุณาติดต่อผู้จัดงาน โทร 02-612-6060",
            "It can no longer be edited (intake closed or already screened). Contact the organisers.",
        )
    )

e = view.eligibility
(st.success if e.eligible else st.error if e.verdict == "ineligible" else st.info)(
    _ui.t("คุณสมบัติตามประกาศ: ", "Eligibility: ") + e.summary(_ui.lang())
)
if view.project.golive_date:
    st.caption(
        _ui.t(
            f"เริ่มใช้งานจริง {format_thai_date(view.project.golive_date)}", f"In real use since {view.project.golive_date}"
        )
    )
for m in view.missing:
    st.warning(m.message(_ui.lang()), icon=":material/pending_actions:")
with _ui.guard(), _ui.db() as session:
    slot = schedule.slot_for_submission(session=session, submission_id=view.id)
if slot is not None:
    when = (
        f"{format_thai_day(slot.day)} เวลา {to_bangkok(slot.starts_at):%H:%M}–{to_bangkok(slot.ends_at):%H:%M} น."
        f" (นำเสนอ {slot.presentation_minutes} นาที ตอบคำถาม {slot.qa_minutes} นาที)"
    )
    box = st.warning if slot.changed_after_publish_at else st.info
    box(
        _ui.t("กำหนดการนำเสนอออนไลน์: ", "Online pitching: ")
        + when
        + (
            _ui.t(" — มีการเปลี่ยนแปลงเวลาหลังประกาศ กรุณาตรวจสอบ", " — changed after it was published")
            if slot.changed_after_publish_at
            else ""
        ),
        icon=":material/event:",
    )
    if slot.meeting_url:
        st.link_button(_ui.t("เข้าห้องประชุมออนไลน์", "Join the online meeting"), slot.meeting_url)
for a in view.attachments:
    st.markdown(f":material/attach_file: {md(a.original_name)} ({a.size / 1024:,.0f} KB)")
    if a.analysis.get("topics"):
        st.caption(" · ".join(files.coverage_lines(a.analysis, _ui.lang())))


def papers_to_keep(access: records.Access, view: records.DraftView) -> None:
    """The receipt and the submission form pre-filled with what the draft holds, to print or as PDF."""
    with _ui.guard(), _ui.db(read_only=True) as session:
        _ui.printable_downloads(
            "mine_paper_receipt", intake_receipt.printable(intake_receipt.receipt(session=session, access=access))
        )
        form = papers.applicant_papers(session=session, edition_id=view.edition_id, access=access)[0][0]
        _ui.printable_downloads("mine_paper_form", form)


papers_to_keep(access, view)


def feedback_report(access: records.Access) -> None:
    """The committee's report on the work, once the organisers released it; before that nothing of it is shown."""
    with _ui.guard(), _ui.db(read_only=True) as session:
        report = feedback.released_report(session=session, access=access)
        if report is not None:
            st.header(_ui.t("รายงานผลการพิจารณา", "Feedback report"))
            st.caption(_ui.t(f"{report.band_th} จาก {report.works} ผลงาน", f"{report.band_en} of {report.works} works"))
            _ui.printable_downloads("mine_paper_feedback", feedback.printable(report))


feedback_report(access)

if view.editable:
    # The applicant says what to change and lands on that step, not on a "done" page or the first empty one; a
    # draft not yet through its steps offers the next one first.
    reachable = [
        n
        for n in phrases.SUBMIT_STEP
        if n <= min(view.draft_step + 1, records.STEP_CONFIRM)
        and (n != records.STEP_CONFIRM or view.submitted_at is not None)
    ]
    first = min(view.draft_step + 1, max(reachable)) if view.confirmed_at is None else reachable[0]
    chosen = st.selectbox(
        _ui.t("แก้ไขหรือทำต่อที่ขั้นตอน", "Continue or edit at step"),
        reachable,
        index=reachable.index(first),
        key="mine_edit_step",
        format_func=lambda n: f"{n}. {_ui.t(*phrases.SUBMIT_STEP[n])}",
    )
    if st.button(_ui.t("ทำต่อ / แก้ไข", "Continue / edit"), key="mine_edit", type="primary", icon=":material/edit:"):
        st.session_state["submit_access"] = access
        st.session_state["submit_step"] = chosen
        st.session_state.pop("submit_filled", None)
        st.switch_page("pages/submit.py")
