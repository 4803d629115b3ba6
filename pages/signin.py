"""Sign-in page: username and password, or the organisation's single sign-on when secrets.toml configures it."""

import streamlit as st

from pages import _ui
from services.platform import auth

st.title(_ui.t("ลงชื่อเข้าใช้", "Sign in"))
st.caption(
    _ui.t(
        "สำหรับผู้จัดงาน กรรมการ และผู้บริหาร — หน่วยงานที่ต้องการส่งผลงานไม่ต้องลงชื่อเข้าใช้",
        "For organisers, judges and executives. Organisations sending a project need no account.",
    )
)

with st.form("signin_form"):
    username = st.text_input(_ui.t("ชื่อผู้ใช้", "Username"), key="signin_username")
    password = st.text_input(_ui.t("รหัสผ่าน", "Password"), type="password", key="signin_password")
    sent = st.form_submit_button(_ui.t("เข้าสู่ระบบ", "Sign in"), type="primary")

if sent:
    signed_in: auth.Account | None = None
    with _ui.guard():
        with _ui.db() as session:
            signed_in = auth.authenticate(
                session=session, username=username, password=password, client=_ui.client_id("auth_browser_id")
            )
        _ui.sign_in(signed_in)
    if signed_in is not None and _ui.account() is not None:
        st.rerun()


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all, which is the usual set-up
        return False


# Optional OIDC through st.login: shown only when secrets.toml has an [auth] section.
if _sso_configured():
    st.divider()
    if not st.user.is_logged_in:
        st.button(
            _ui.t("เข้าสู่ระบบด้วยบัญชีองค์กร (SSO)", "Sign in with single sign-on"), on_click=st.login, key="signin_sso"
        )
    else:
        with _ui.guard(), _ui.db() as session:
            found = auth.account_by_email(session=session, email=str(st.user.get("email", "")))
        if found is None:
            st.warning(
                _ui.t(
                    "บัญชี SSO นี้ยังไม่ได้ลงทะเบียนในระบบ กรุณาติดต่อผู้จัดงาน",
                    "This single sign-on identity is not registered here; ask the organisers.",
                )
            )
        else:
            with _ui.guard():
                _ui.sign_in(found)
            st.rerun()
