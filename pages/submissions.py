"""Organisers' list of submissions: status, contacts (organisers only), the original files, screening."""

import streamlit as st

from models import Role, SubmissionStatus
from pages import _ui
from services import intake
from services.thai import format_thai_date, format_thai_datetime

acc = _ui.require_role(Role.organiser)
st.title(_ui.t("ผลงานที่ส่งเข้าประกวด", "Submissions"))

STATUS = {
    SubmissionStatus.draft: ("ร่าง", "draft"),
    SubmissionStatus.submitted: ("รอตรวจ", "awaiting screening"),
    SubmissionStatus.accepted: ("ผ่านการตรวจ", "accepted"),
    SubmissionStatus.rejected: ("ไม่ผ่าน", "rejected"),
    SubmissionStatus.withdrawn: ("ถอนตัว", "withdrawn"),
}

with _ui.db() as session:
    edition = _ui.edition_or_stop(session)
    rows = intake.list_for_organisers(session=session, edition_id=edition.id)

st.caption(_ui.t("ข้อมูลส่วนบุคคลในหน้านี้เปิดให้เฉพาะผู้จัดงาน (พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล)",
                 "Personal data on this page is for organisers only (PDPA)."))
query = st.text_input(_ui.t("ค้นหา (ชื่อโครงการ หน่วยงาน จังหวัด เลขที่ใบรับ)", "Search"), key="subs_query")
shown = [r for r in rows if not query or query.lower() in f"{r.title} {r.organisation} {r.short_name} "
         f"{r.province} {r.receipt_code}".lower()]
st.dataframe(
    [{
        _ui.t("เลขที่ใบรับ", "Receipt"): r.receipt_code,
        _ui.t("หน่วยงาน", "Organisation"): r.short_name,
        _ui.t("จังหวัด", "Province"): r.province,
        _ui.t("โครงการ", "Project"): r.title,
        _ui.t("ประเภท", "Category"): r.category,
        _ui.t("สถานะ", "Status"): STATUS[r.status][0 if _ui.lang() == "th" else 1],
        _ui.t("เริ่มใช้งาน", "Live since"): format_thai_date(r.golive_date) if r.golive_date else "",
        _ui.t("ผู้ประสานงาน", "Coordinator"): r.coordinator_name,
        _ui.t("โทร", "Phone"): r.coordinator_phone,
        _ui.t("อีเมล", "E-mail"): r.coordinator_email,
    } for r in shown],
    hide_index=True, width="stretch", key="subs_table",
)
st.caption(_ui.t(f"{len(shown)} จาก {len(rows)} ผลงาน", f"{len(shown)} of {len(rows)} submissions"))

if shown:
    pick = st.selectbox(_ui.t("เปิดผลงาน", "Open a submission"), [r.id for r in shown], key="subs_pick",
                        format_func=lambda i: next(f"{r.receipt_code} · {r.short_name} · {r.title[:60]}"
                                                   for r in shown if r.id == i))
    row = next(r for r in shown if r.id == pick)
    st.write(f"**{row.title}** — {row.organisation} จ.{row.province}")
    st.write(_ui.t(f"ผู้ส่ง: {row.submitter_name} ({row.submitter_position})",
                   f"Submitter: {row.submitter_name} ({row.submitter_position})"))
    if row.submitted_at:
        st.caption(_ui.t(f"ส่งเมื่อ {format_thai_datetime(row.submitted_at)}", f"Sent {row.submitted_at:%Y-%m-%d}"))
    for a in row.attachments:
        with _ui.db() as session:
            data = intake.file_content(session=session, sha256=a.sha256)
        st.download_button(f"⬇️ {a.original_name} ({a.size / 1024:,.0f} KB)", data=data, file_name=a.original_name,
                           mime=a.media_type, key=f"subs_dl_{a.id}")
    c1, c2 = st.columns(2)
    reason = c2.text_input(_ui.t("เหตุผล (จำเป็นเมื่อไม่รับ)", "Reason (needed to reject)"), key="subs_reason")
    decisions = ((SubmissionStatus.accepted, _ui.t("รับเข้าการพิจารณา", "Accept"), "subs_accept"),
                 (SubmissionStatus.rejected, _ui.t("ไม่รับ", "Reject"), "subs_reject"))
    for status, label, key in decisions:
        if c1.button(label, key=key):
            with _ui.guard(), _ui.db() as session:
                intake.set_status(session=session, submission_id=row.id, status=status, reason=reason,
                                  actor=acc.username)
                _ui.results_changed()
                st.rerun()
