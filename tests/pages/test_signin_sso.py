"""Single sign-on on the sign-in page: offered only when secrets.toml has an [auth] section, and then working.

st.login needs Authlib (the `sso` extra, which `make test` installs): without it the button's click raises
StreamlitMissingAuthlibError, so the click below proves the extra is there and the [auth] settings pass Streamlit's
own validation, up to the redirect to the identity provider (which AppTest does not follow).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import streamlit.auth_util
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest

from tests.conftest import PAGE_ON_SQLITE

pytestmark = PAGE_ON_SQLITE

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
SSO_KEY = "signin_sso"
AUTH: dict[str, Any] = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-some-length",
    "client_id": "ldaward-test",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://id.example.org/.well-known/openid-configuration",
}


def _signin_page(*, auth: dict[str, Any] | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if auth is not None:
        at.secrets["auth"] = auth
        # A server with [auth] in secrets.toml gives every visitor st.user.is_logged_in (False until the identity
        # provider answers); AppTest's secrets do not reach the check where st.user adds it, so it is seeded here.
        at.user = {"is_logged_in": False}
    at.run()
    at.switch_page("pages/signin.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key}


def test_sign_in_page_offers_sso_when_auth_is_configured(app_env: str) -> None:
    at = _signin_page(auth=AUTH)
    assert SSO_KEY in _keys(at)
    assert at.button(key=SSO_KEY).label == "เข้าสู่ระบบด้วยบัญชีองค์กร (SSO)"


def test_sign_in_page_without_auth_settings_offers_only_the_password_form(app_env: str) -> None:
    at = _signin_page(auth=None)
    assert SSO_KEY not in _keys(at)
    assert at.text_input(key="signin_username") is not None


def test_the_sso_button_starts_the_login_flow_with_authlib_installed(
    app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # st.login validates the [auth] settings against the process-wide secrets (secrets.toml), not AppTest's: give
    # it the same settings, as a secrets.toml holding them would, without touching the real singleton.
    settings = Secrets()
    settings._secrets = {"auth": AUTH}
    monkeypatch.setattr(streamlit.auth_util, "secrets_singleton", settings)
    at = _signin_page(auth=AUTH)
    at.button(key=SSO_KEY).click().run()
    # Without Authlib, or with [auth] settings Streamlit rejects, st.login raises and AppTest records it here.
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["account"] is None  # the identity provider has not answered: nobody is signed in yet
