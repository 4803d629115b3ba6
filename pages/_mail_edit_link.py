"""The my-submission page's "send my edit link again" form (not a page: app.py never lists it)."""

import streamlit as st

from pages import _ui
from services.mail import notify

SENT_TH = (
    "หากเลขที่ใบรับและอีเมลตรงกับที่ให้ไว้ ระบบได้ส่งลิงก์แก้ไขใหม่ไปที่อีเมลนั้นแล้ว ลิงก์และรหัสเดิมจะใช้ไม่ได้ "
    "หากไม่ได้รับภายในไม่กี่นาที กรุณาตรวจกล่องจดหมายขยะหรือติดต่อผู้จัดงาน"
)
SENT_EN = (
    "If the receipt code and address match those on file, a new edit link is on its way to that address; the "
    "old link and code stop working. Nothing after a few minutes? Check the spam folder or contact us."
)


def ask() -> None:
    """Ask for the link by receipt code and the coordinator's address. The answer never says whether they
    matched (no one learns which codes or addresses exist); a limit per client and per code bounds the mail."""
    with (
        st.expander(_ui.t("ลืมรหัสแก้ไข? ขอลิงก์ใหม่ทางอีเมล", "Lost the edit code? Get a new link by e-mail")),
        st.form("mine_mail_form"),
    ):
        code = st.text_input(
            _ui.t("เลขที่ใบรับ", "Receipt code"), key="mine_mail_code", max_chars=40, placeholder="LDA64-XXXX-XXXX"
        )
        email = st.text_input(
            _ui.t("อีเมลผู้ประสานงานที่ให้ไว้", "The coordinator's e-mail on file"), key="mine_mail_email", max_chars=200
        )
        asked = st.form_submit_button(_ui.t("ส่งลิงก์ทางอีเมล", "E-mail me the link"))
    if asked and code.strip() and email.strip():
        with _ui.guard():
            with _ui.db() as session:
                notify.request_edit_link(
                    session=session, receipt_code=code, email=email, client=_ui.client_id("mine_browser_id")
                )
            st.success(_ui.t(SENT_TH, SENT_EN), icon=":material/mark_email_read:")
