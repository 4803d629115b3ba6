"""The one settings object: environment variables (prefix LDAWARD_, plus DATABASE_URL) and .env."""

from __future__ import annotations

import ipaddress
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # services/platform/settings.py


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LDAWARD_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'data' / 'ldaward.db'}",
        validation_alias=AliasChoices("DATABASE_URL", "LDAWARD_DATABASE_URL"),
    )
    # Upload limits in megabytes (the call for entries sets none; these keep memory bounded).
    max_deck_mb: int = 50
    max_form_mb: int = 10
    # Sign-in: lock an account for lockout_minutes after max_failed_logins wrong passwords in a row.
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    # The lock-out applies to clients that have not signed in to the account recently: a client (IP address, or the
    # browser session when there is none) that signed in within known_client_days gets its own allowance of
    # max_failed_logins per lockout_minutes instead, so strangers cannot lock a judge out of their usual client.
    known_client_days: float = 30.0
    # Wrong passwords per client (any usernames) before sign-in from it is refused without checking anything.
    rate_signin_failures: int = 20
    rate_signin_minutes: float = 15.0
    # Each argon2 check holds 46 MiB and a core: at most this many run at once per process; others wait up to
    # password_check_wait_seconds, then are asked to try again.
    max_concurrent_password_checks: int = 2
    password_check_wait_seconds: float = 10.0
    # Judge pages drawn at once per process when many switch work together (pages/_ui.in_turn); 0: one per core.
    # A negative number turns the turns off (every run at once, as Streamlit does).
    page_run_turns: int = 0
    # How often (ms) Python hands the interpreter from a busy thread to one waiting for it (sys.setswitchinterval;
    # Python's own is 5 ms). A save is mostly waits on the database, and after each it waits for the interpreter
    # again: behind page runs busy drawing, 5 ms each time. 0: Python's own.
    switch_interval_ms: float = 1.0
    # Rate limits on anonymous actions, per client IP address (sliding windows): new submission drafts, and wrong
    # receipt-code/edit-code pairs on the "my submission" page (only failures count).
    rate_new_drafts: int = 20
    rate_new_drafts_minutes: float = 60.0
    rate_edit_code_failures: int = 10
    rate_edit_code_minutes: float = 15.0
    # File uploads on the submission page (each deck or signed form checked counts, refused ones too: the check is
    # the costly part).
    rate_uploads: int = 30
    rate_uploads_minutes: float = 60.0
    # Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or networks, e.g.
    # "127.0.0.1,10.0.0.0/8"). Behind a proxy every request comes from the proxy's address (or, on the same host,
    # from none): listing it makes the limits count per real client. Unset, X-Forwarded-For is ignored, since anyone
    # can send it.
    trusted_proxies: str = ""
    # Browser sessions (a signed, HTTP-only cookie): signed out after session_idle_minutes without activity, and
    # after session_max_hours in any case. secret_key signs the cookies; when unset, one is made once and kept in
    # the database, so every replica shares it.
    session_idle_minutes: float = 60.0
    session_max_hours: float = 12.0
    secret_key: str | None = None
    # Where rendered slide pictures are cached (default: a slides folder beside the SQLite file, else data/slides).
    slides_dir: str | None = None
    # Send the cookie only over HTTPS (set this behind a TLS-terminating proxy).
    cookie_secure: bool = False
    # First organiser account, created at start when both are set and no such user exists.
    admin_username: str | None = None
    admin_password: str | None = None
    # Load the 2564 demo edition on start when the database holds no edition.
    demo: bool = False
    # E-mail (services/mail). smtp_url: smtp://user:password@host:587 (STARTTLS whenever a user is given, so a
    # password never goes in clear; ?starttls=true|false says so outright) or smtps://user:password@host:465 (TLS
    # from the start); unset, messages wait in the
    # outbox and the organisers' outbox page says mail is not configured. public_url: the app's address as people
    # reach it, for links in messages (the edit link).
    smtp_url: str | None = None
    mail_from_address: str = "noreply@localhost"
    mail_from_name: str = "รางวัลท้องถิ่นดิจิทัล · Local Digital Award"
    public_url: str = "http://localhost:8501"
    # Deliver from a thread inside each app process (they take turns through the database); false when a separate
    # `ldaward mail-worker` does it.
    mail_worker_in_app: bool = True
    mail_poll_seconds: float = 5.0
    mail_max_attempts: int = 8
    # "Send my edit link again", per client and per submission.
    rate_edit_link_mails: int = 3
    rate_edit_link_minutes: float = 60.0
    # The contest clock (services/platform/clock.py): an instant (ISO 8601) stops it there, for rehearsals and tests;
    # a day (YYYY-MM-DD) runs it on that day at the real time of day, for the demo. Empty: real time. Sign-in,
    # sessions, rate limits, mail and the audit trail always use real time.
    clock: datetime | date | None = None

    @field_validator("clock", mode="before")
    @classmethod
    def _clock_day_or_instant(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            if len(text) == 10:  # a day alone: the clock runs on it
                return date.fromisoformat(text)
            return datetime.fromisoformat(text)
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        for item in filter(None, (part.strip() for part in value.split(","))):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"LDAWARD_TRUSTED_PROXIES: {item!r} is not an IP address or network") from None
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
