"""The mail worker: takes due messages from the outbox under a lease, hands them to the SMTP server, and records
each outcome.

Where it runs: in every app process, as one daemon thread started on the first import of asgi.py (ensure_started),
and/or as `ldaward mail-worker` (cli.py) beside the app. Any number of them may run: they take turns through the
database (outbox.claim leases each message to one worker; PostgreSQL's FOR UPDATE SKIP LOCKED, SQLite's single
writer), so a deployment delivers each message once however many replicas it has, with no leader to elect and
nothing extra to deploy. The thread only sleeps and does network I/O outside any database transaction, so pages do
not wait for it. Set LDAWARD_MAIL_WORKER_IN_APP=false to leave delivery to the command alone.

Once, with one caveat: a worker that dies after the server accepted a message and before it recorded "sent" leaves
the message to be sent again when the lease ends (at least once, then); the retry carries the same Message-ID, which
mail clients use to show it once."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from models import MailState, OutboxMessage
from services.mail import outbox, reminders
from services.mail.smtp import Attachment, DeliveryError, SmtpConfig, build_message, configured, connect
from services.platform.settings import get_settings

log = logging.getLogger("ldaward.mail")
POLL_S = 5.0
BATCH = 20


@dataclass(frozen=True)
class _Outgoing:
    id: int
    recipient: str
    subject: str
    text: str
    html: str
    message_id: str
    attachments: tuple[Attachment, ...]


@dataclass(frozen=True)
class Report:
    claimed: int
    sent: int
    retried: int
    failed: int


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def deliver_due(
    *, session: Session, config: SmtpConfig, worker: str, batch: int = BATCH, now: datetime | None = None
) -> Report:
    """One round: claim up to `batch` due messages (committed), send them over one connection, settle each."""
    ids = outbox.claim(session=session, worker=worker, limit=batch, now=now)
    if not ids:
        return Report(0, 0, 0, 0)
    # Plain copies, then commit: no transaction stays open while the server is talked to (on SQLite every
    # transaction here begins IMMEDIATE, i.e. holds the write lock).
    rows = [
        _Outgoing(
            m.id or 0, m.recipient, m.subject, m.body_text, m.body_html, m.message_id, tuple(outbox.attachments_of(m))
        )
        for m in session.exec(
            select(OutboxMessage).where(col(OutboxMessage.id).in_(ids)).order_by(col(OutboxMessage.id))
        )
    ]
    session.commit()
    max_attempts = get_settings().mail_max_attempts
    sent = retried = failed = 0
    pending = list(rows)
    try:
        with connect(config) as conn:
            while pending:
                row = pending[0]
                msg = build_message(
                    config,
                    to=row.recipient,
                    subject=row.subject,
                    text=row.text,
                    html=row.html,
                    message_id=row.message_id,
                    attachments=row.attachments,
                )
                try:
                    answer = conn.deliver(msg, to=row.recipient)
                except DeliveryError as e:
                    if not e.permanent:
                        raise  # the connection is gone or the server is busy: the rest wait for the next round
                    pending.pop(0)
                    outbox.mark_unsent(
                        session=session,
                        message_id=row.id,
                        worker=worker,
                        answer=e.answer,
                        permanent=True,
                        max_attempts=max_attempts,
                        now=now,
                    )
                    failed += 1
                    continue
                pending.pop(0)
                outbox.mark_sent(session=session, message_id=row.id, worker=worker, answer=answer, now=now)
                sent += 1
    except DeliveryError as e:
        for row in pending:
            state = outbox.mark_unsent(
                session=session,
                message_id=row.id,
                worker=worker,
                answer=e.answer,
                permanent=False,
                max_attempts=max_attempts,
                now=now,
            )
            failed += state == MailState.failed
            retried += state == MailState.queued
    return Report(len(ids), sent, retried, failed)


def run(
    *, engine: Engine, config: SmtpConfig, stop: threading.Event, poll_s: float = POLL_S, worker: str | None = None
) -> None:
    """Deliver until `stop` is set: a full batch is followed at once by the next, else the worker sleeps poll_s.
    A database or server that is away is logged and tried again, never fatal."""
    name = worker or worker_name()
    while not stop.is_set():
        try:
            with Session(engine) as session:
                reminders.send_due(session=session)
                report = deliver_due(session=session, config=config, worker=name)
        except SQLAlchemyError as e:  # the database restarting, or the schema not made yet on a fresh install
            log.warning("mail worker: database unavailable (%s); trying again", type(e).__name__)
            report = Report(0, 0, 0, 0)
        except Exception:
            log.exception("mail worker: round failed; trying again")
            report = Report(0, 0, 0, 0)
        if report.claimed < BATCH:
            stop.wait(poll_s)


def command(*, once: bool) -> int:
    """`ldaward mail-worker`: exit status 2 when mail is not configured; SIGTERM or Ctrl-C stops it between
    rounds (a message being sent is finished first)."""
    import json
    import signal
    import sys
    from dataclasses import asdict

    from services.platform.db import get_engine

    config = configured()
    if config is None:
        print("ยังไม่ได้ตั้งค่า LDAWARD_SMTP_URL / LDAWARD_SMTP_URL is not set: nothing to deliver to", file=sys.stderr)
        return 2
    engine = get_engine()
    if once:
        with Session(engine) as session:
            print(json.dumps(asdict(deliver_due(session=session, config=config, worker=worker_name()))))
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"mail worker delivering through {config.display}", file=sys.stderr)
    with suppress(KeyboardInterrupt):
        run(engine=engine, config=config, stop=stop)
    return 0


_started: threading.Thread | None = None
_stop = threading.Event()
_start_lock = threading.Lock()


def ensure_started(engine: Engine | None = None) -> bool:
    """Start this process's delivery thread once (a daemon: it never holds the process open). Does nothing when
    mail is not configured (or its URL is wrong: logged, and the outbox page says so; the app still starts) or
    LDAWARD_MAIL_WORKER_IN_APP is false; returns whether a thread runs."""
    global _started, _stop
    try:
        config = configured()
    except ValueError:
        log.exception("mail not started: LDAWARD_SMTP_URL is wrong")
        return False
    if config is None or not get_settings().mail_worker_in_app:
        return False
    with _start_lock:
        if _started is None or not _started.is_alive():
            from services.platform.db import get_engine

            _stop = threading.Event()
            _started = threading.Thread(
                target=run,
                name="ldaward-mail",
                daemon=True,
                kwargs={
                    "engine": engine or get_engine(),
                    "config": config,
                    "stop": _stop,
                    "poll_s": get_settings().mail_poll_seconds,
                },
            )
            _started.start()
    return True


def stop_started(timeout: float = 10.0) -> None:
    """Stop this process's delivery thread (tests; a shutdown hook) after the round in hand."""
    _stop.set()
    if _started is not None:
        _started.join(timeout)
