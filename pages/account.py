"""My account: change one's own password."""

import streamlit as st

from models import Role
from pages import _ui
from services.platform import auth

acc = _ui.require_role(Role.organiser, Role.judge, Role.executive)
st.title(_ui.t("บัญชีของฉัน", "My account"))
st.write(f"**{acc.display_name}** · {acc.username} · {acc.agency}")

with st.form("account_password"):
    current = st.text_input(_ui.t("รหัสผ่านปัจจุบัน", "Current password"), type="password", key="account_current")
    new = st.text_input(_ui.t("รหัสผ่านใหม่", "New password"), type="password", key="account_new")
    again = st.text_input(_ui.t("ยืนยันรหัสผ่านใหม่", "Repeat the new password"), type="password", key="account_again")
    if st.form_submit_button(_ui.t("เปลี่ยนรหัสผ่าน", "Change password")):
        if new != again:
            st.error(_ui.t("รหัสผ่านทั้งสองช่องไม่ตรงกัน", "The two passwords differ."))
        else:
            with _ui.guard(), _ui.db() as session:
                auth.change_own_password(
                    session=session,
                    user_id=acc.id,
                    current_password=current,
                    new_password=new,
                    client=_ui.client_id("auth_browser_id"),
                    keep_web_session=st.session_state.get(_ui.WEB_SESSION),
                )
                st.success(_ui.t("เปลี่ยนรหัสผ่านแล้ว", "Password changed."))
