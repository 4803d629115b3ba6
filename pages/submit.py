"""Public submission page: the submission form's fields, the deck and signed form, the four declarations, a receipt."""

from datetime import date

import streamlit as st

from models import OrgType
from pages import _ui
from services import geo, intake
from services.thai import format_thai_date, format_thai_datetime, thai_sorted

st.title(_ui.t("ส่งผลงานเข้าประกวด", "Submit a project"))

with _ui.db() as session:
    edition = _ui.edition_or_stop(session)

st.caption(f"{edition.name} · " + _ui.t(
    f"รับสมัครถึง {format_thai_datetime(edition.intake_closes_at)} · "
    f"ผลงานต้องเริ่มใช้งานจริงภายใน {format_thai_date(edition.golive_cutoff)}",
    f"Intake closes {edition.intake_closes_at:%d %B %Y %H:%M} UTC · in real use by {edition.golive_cutoff}"))

receipt = st.session_state.get("submit_receipt")
if receipt is not None:
    st.success(_ui.t("ส่งผลงานเรียบร้อยแล้ว", "Your project has been sent."))
    st.subheader(_ui.t(f"เลขที่ใบรับ: {receipt.receipt_code}", f"Receipt: {receipt.receipt_code}"))
    st.write(f"**{receipt.title}** — {receipt.organisation}")
    st.write(_ui.t("รหัสสำหรับแก้ไขผลงาน (เก็บไว้เป็นความลับ):", "Secret edit code (keep it private):"))
    st.code(receipt.edit_token)
    st.caption(_ui.t(f"ส่งเมื่อ {format_thai_datetime(receipt.submitted_at)}",
                     f"Sent at {receipt.submitted_at:%Y-%m-%d %H:%M} UTC"))
    if st.button(_ui.t("ส่งผลงานอื่นอีก", "Submit another project"), key="submit_another"):
        st.session_state.pop("submit_receipt")
        st.rerun()
    st.stop()

ORG_TYPES = [t for t in OrgType]
with st.form("submit_form"):
    st.markdown(_ui.t("#### ๑. หน่วยงาน (อปท.)", "#### 1. Organisation"))
    c1, c2 = st.columns([1, 2])
    org_type = c1.selectbox(_ui.t("ประเภท อปท.", "Type"), ORG_TYPES, key="submit_org_type",
                            format_func=lambda o: f"{o.value} {intake.ORG_TYPE_FULL[o]}".strip())
    org_name = c2.text_input(_ui.t("ชื่อหน่วยงาน (ไม่ต้องใส่ประเภท เช่น ท่าคันโท)",
                                   "Name without the type (e.g. ท่าคันโท)"), key="submit_org_name")
    c3, c4, c5 = st.columns(3)
    province = c3.selectbox(_ui.t("จังหวัด", "Province"), thai_sorted(p.name_th for p in geo.PROVINCES),
                            index=None, key="submit_province", placeholder=_ui.t("เลือกจังหวัด", "Choose"))
    district = c4.text_input(_ui.t("อำเภอ", "District"), key="submit_district")
    subdistrict = c5.text_input(_ui.t("ตำบล", "Subdistrict"), key="submit_subdistrict")

    st.markdown(_ui.t("#### ๒. ผู้ส่งโครงการและผู้ประสานงาน", "#### 2. Submitter and coordinator"))
    c1, c2 = st.columns(2)
    submitter_name = c1.text_input(_ui.t("ชื่อ-นามสกุล ผู้ส่งโครงการ (ผู้มีอำนาจลงนาม)",
                                         "Submitter (with signing authority)"), key="submit_submitter_name")
    submitter_position = c2.text_input(_ui.t("ตำแหน่ง", "Position"), key="submit_submitter_position")
    c1, c2, c3 = st.columns(3)
    coordinator_name = c1.text_input(_ui.t("ชื่อผู้ประสานงาน", "Coordinator"), key="submit_coordinator_name")
    coordinator_phone = c2.text_input(_ui.t("โทรศัพท์", "Phone"), key="submit_coordinator_phone")
    coordinator_email = c3.text_input(_ui.t("อีเมล", "E-mail"), key="submit_coordinator_email")

    st.markdown(_ui.t("#### ๓. โครงการ", "#### 3. Project"))
    title = st.text_input(_ui.t("ชื่อโครงการ", "Project title"), key="submit_title")
    c1, c2 = st.columns(2)
    category = c1.selectbox(_ui.t("ประเภทผลงาน", "Category"), intake.CATEGORIES, key="submit_category")
    golive = c2.date_input(_ui.t("วันที่เริ่มใช้งานจริง", "In real use since"), value=None, min_value=date(2000, 1, 1),
                           key="submit_golive", format="DD/MM/YYYY",
                           help=_ui.t("ปฏิทินแสดงปี ค.ศ. (พ.ศ. − 543) เช่น 1 ก.พ. 2564 คือ 01/02/2021",
                                      "The calendar shows the CE year, e.g. 01/02/2021."))

    st.markdown(_ui.t("#### ๔. เอกสาร", "#### 4. Documents"))
    deck = st.file_uploader(_ui.t("ไฟล์นำเสนอ PowerPoint (.pptx)", "Presentation (.pptx)"), key="submit_deck",
                            type=["pptx", "ppt", "pptm"])
    signed = st.file_uploader(_ui.t("ใบส่งโครงการที่ลงนามและประทับตราแล้ว (.pdf หรือ .jpg)",
                                    "Signed submission form (.pdf or .jpg)"), key="submit_signed",
                              type=["pdf", "jpg", "jpeg", "png"])

    st.markdown(_ui.t("#### ๕. ข้าพเจ้ายอมรับดังนี้", "#### 5. Declarations"))
    declarations = {code: st.checkbox(th if _ui.lang() == "th" else en, key=f"submit_decl_{code}")
                    for code, th, en in intake.DECLARATIONS}
    sent = st.form_submit_button(_ui.t("ส่ง", "Send"), type="primary")

if sent:
    if deck is None or signed is None:
        st.error(_ui.t("กรุณาแนบทั้งไฟล์นำเสนอและใบส่งโครงการที่ลงนามแล้ว",
                       "Attach both the presentation and the signed form."))
        st.stop()
    form = intake.SubmissionForm(
        org_type=org_type.value, org_name=org_name, province=province or "", district=district,
        subdistrict=subdistrict, title=title, category=category, submitter_name=submitter_name,
        submitter_position=submitter_position, coordinator_name=coordinator_name,
        coordinator_phone=coordinator_phone, coordinator_email=coordinator_email, golive_date=golive,
        declarations=declarations,
    )
    with _ui.guard(), _ui.db() as session:
        st.session_state["submit_receipt"] = intake.submit(
            session=session, edition_id=edition.id, form=form,
            deck=intake.Upload(deck.name, deck.getvalue()), signed_form=intake.Upload(signed.name, signed.getvalue()),
        )
        _ui.results_changed()
        st.rerun()
