"""Outbox throughput: messages per second from the outbox to a local SMTP server (aiosmtpd on 127.0.0.1), one
worker and two workers sharing the outbox, on SQLite and PostgreSQL: run `.venv/bin/python bench/bench_outbox.py`.
Each message is a real receipt-sized Thai message (plain text + HTML), built, sent and marked sent with its audit
row; the figure is messages delivered over wall time, enqueueing not counted."""

from __future__ import annotations

import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bench.databases import scratch_databases  # noqa: E402
from models import MailState, OutboxMessage  # noqa: E402
from services.mail import messages, outbox, worker  # noqa: E402
from services.mail.smtp import parse_url  # noqa: E402
from services.platform.db import build_engine, upgrade_schema  # noqa: E402
from tests.helpers.smtp_server import SmtpServer  # noqa: E402

MESSAGES = 1000
BATCH = worker.BATCH


def fill(url: str, n: int) -> None:
    engine = build_engine(url)
    with Session(engine) as session:
        for i in range(n):
            m = messages.receipt(
                receipt_code=f"LDA64-B{i:03d}-TEST",
                organisation="องค์การบริหารส่วนตำบลโคกขมิ้น",
                title="ระบบแจ้งซ่อมไฟฟ้าสาธารณะผ่าน LINE",
                sent_at=datetime.now(UTC),
                link=messages.edit_link("LDA64-B000-TEST", "x" * 32),
                files=[("นำเสนอ.pptx", "ab" * 32), ("ใบส่งโครงการ.pdf", "cd" * 32)],
            )
            outbox.enqueue(session=session, kind="receipt", to=f"p{i}@example.go.th", role="coordinator", message=m)
        session.commit()
    engine.dispose()


def drain(url: str, server: SmtpServer, workers: int) -> float:
    config = parse_url(server.url, from_address="award@example.go.th", from_name="Local Digital Award")

    def one(name: str) -> None:
        engine = build_engine(url)
        with Session(engine) as session:
            while worker.deliver_due(session=session, config=config, worker=name, batch=BATCH).claimed:
                pass
        engine.dispose()

    threads = [threading.Thread(target=one, args=(f"w{i}",)) for i in range(workers)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def main() -> None:
    print(f"{MESSAGES} receipts per run, batches of {BATCH}, local aiosmtpd")
    for kind, url in scratch_databases():
        upgrade_schema(build_engine(url))
        for workers in (1, 2):
            server = SmtpServer()
            server.start()
            try:
                fill(url, MESSAGES)
                seconds = drain(url, server, workers)
                received = len(server.inbox.received)
                unique = len(set(server.inbox.message_ids()))
            finally:
                server.stop()
            engine = build_engine(url)
            with Session(engine) as session:
                sent = session.exec(
                    select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state == MailState.sent)
                ).one()
            engine.dispose()
            print(
                f"[{kind}] {workers} worker{'s' if workers > 1 else ''}: {received / seconds:,.0f} messages/s "
                f"({received} received, {unique} distinct, {seconds:.2f} s; {sent} marked sent in total)"
            )


if __name__ == "__main__":
    main()
