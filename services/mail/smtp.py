"""Delivery over SMTP with the standard library: LDAWARD_SMTP_URL read, a message built (plain text with an HTML
alternative and attachments) and handed to the server over one connection per batch."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, formataddr
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from models.types import utcnow
from services.platform.settings import get_settings

TIMEOUT_S = 30.0
Security = Literal["none", "starttls", "tls"]
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: Security
    username: str
    password: str
    from_address: str
    from_name: str
    timeout: float = TIMEOUT_S

    @property
    def display(self) -> str:
        """Where mail goes, for organisers: never the password."""
        return f"{self.host}:{self.port} ({self.security})"


class DeliveryError(Exception):
    """The server (or the way to it) refused. permanent: a 5xx answer, retrying will not help."""

    def __init__(self, answer: str, *, permanent: bool) -> None:
        super().__init__(answer)
        self.answer = answer[:500]
        self.permanent = permanent


def parse_url(url: str, *, from_address: str, from_name: str) -> SmtpConfig:
    """smtp://[user[:password]@]host[:port][?starttls=true|false] or smtps://... (TLS from the first byte).

    smtp:// upgrades with STARTTLS when a user is given, unless ?starttls=false says otherwise: a password is not
    sent in clear by default. Raises ValueError with what is wrong."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(f"LDAWARD_SMTP_URL must start with smtp:// or smtps://, not {parts.scheme or '(nothing)'}://")
    if not parts.hostname:
        raise ValueError("LDAWARD_SMTP_URL names no host")
    username, password = unquote(parts.username or ""), unquote(parts.password or "")
    query = {k.lower(): v[-1].lower() for k, v in parse_qs(parts.query).items()}
    security: Security
    if parts.scheme == "smtps":
        security = "tls"
    else:
        wanted = query.get("starttls", "")
        if wanted and wanted not in _TRUE | _FALSE:
            raise ValueError(f"LDAWARD_SMTP_URL: starttls={wanted!r} is neither true nor false")
        security = "starttls" if (wanted in _TRUE or (not wanted and username)) else "none"
    port = parts.port or (465 if security == "tls" else 587 if security == "starttls" else 25)
    return SmtpConfig(
        parts.hostname,
        port,
        security,
        username,
        password,
        from_address,
        from_name,
        float(query.get("timeout", TIMEOUT_S)),
    )


def configured() -> SmtpConfig | None:
    """The sender the settings describe, or None when mail is not configured (messages then wait in the outbox)."""
    s = get_settings()
    if not s.smtp_url:
        return None
    return parse_url(s.smtp_url, from_address=s.mail_from_address, from_name=s.mail_from_name)


@dataclass(frozen=True)
class Attachment:
    filename: str
    media_type: str
    content: bytes


def build_message(
    config: SmtpConfig,
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    attachments: Sequence[Attachment] = (),
) -> EmailMessage:
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["From"] = formataddr((config.from_name, config.from_address))
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = message_id
    # Out-of-office replies and list software leave automatic messages alone (RFC 3834).
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text, charset="utf-8")
    if html:
        msg.add_alternative(html, subtype="html", charset="utf-8")
    for a in attachments:
        maintype, _, subtype = a.media_type.partition("/")
        msg.add_attachment(a.content, maintype=maintype, subtype=subtype or "octet-stream", filename=a.filename)
    return msg


class Connection:
    """One open SMTP session: deliver() sends a message and returns the server's answer to it."""

    def __init__(self, client: smtplib.SMTP, config: SmtpConfig) -> None:
        self.client = client
        self.config = config

    def deliver(self, msg: EmailMessage, *, to: str) -> str:
        # mail/rcpt/data one by one rather than send_message: the answer to DATA (often the server's queue id) is
        # what organisers see as "sent", and each refusal keeps its code to tell a permanent one from a retry.
        try:
            code, answer = self.client.mail(self.config.from_address)
            _check(code, answer)
            code, answer = self.client.rcpt(to)
            _check(code, answer)
            code, answer = self.client.data(msg.as_bytes())
            _check(code, answer)
        except DeliveryError:
            self._reset()
            raise
        except (smtplib.SMTPException, OSError) as e:
            raise DeliveryError(f"{type(e).__name__}: {e}", permanent=False) from e
        return f"{code} {answer.decode(errors='replace')}".strip()

    def _reset(self) -> None:
        with suppress(smtplib.SMTPException, OSError):
            self.client.rset()


def _check(code: int, answer: bytes) -> None:
    if code >= 400:
        raise DeliveryError(f"{code} {answer.decode(errors='replace')}".strip(), permanent=code >= 500)


@contextmanager
def connect(config: SmtpConfig) -> Iterator[Connection]:
    """An authenticated connection; raises DeliveryError (not permanent) when the server cannot be reached."""
    context = ssl.create_default_context()
    try:
        client: smtplib.SMTP
        if config.security == "tls":
            client = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        client.ehlo()
        if config.security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if config.username:
            client.login(config.username, config.password)
    except smtplib.SMTPAuthenticationError as e:
        said = e.smtp_error.decode(errors="replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
        raise DeliveryError(f"{e.smtp_code} {said}", permanent=False) from e
    except (smtplib.SMTPException, OSError) as e:
        raise DeliveryError(f"{type(e).__name__}: {e}", permanent=False) from e
    try:
        yield Connection(client, config)
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()
