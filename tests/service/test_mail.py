"""E-mail through a real SMTP server (aiosmtpd on 127.0.0.1): what each event sends, the edit link working, the
server away and back, two workers sharing the outbox, and nothing for an event that rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from models import AuditEvent, MailState, OutboxMessage, Submission, SubmissionStatus, User
from services.contest import editions
from services.intake import flow, records, screening
from services.mail import messages, notify, outbox, worker
from services.mail.smtp import Attachment, parse_url
from services.platform.db import build_engine
from services.platform.errors import Forbidden, ValidationFailed
from services.platform.ratelimit import RateLimited
from services.platform.settings import get_settings
from services.thai.dates import BANGKOK
from tests.helpers.smtp_server import SmtpServer
from tests.helpers.threads import run_together
from tests.service.test_intake_flow import ALL_DECLARED, CONTACTS, DECK, DURING, FORM, ORG, PROJECT

PUBLIC = "https://award.example.go.th"
LATER = timedelta(hours=3)  # past every back-off a first or second failure sets


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def public_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("LDAWARD_PUBLIC_URL", PUBLIC)
    monkeypatch.setenv("LDAWARD_MAIL_FROM_ADDRESS", "award@example.go.th")
    monkeypatch.delenv("LDAWARD_SMTP_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def config(server: SmtpServer):  # type: ignore[no-untyped-def]
    s = get_settings()
    return parse_url(server.url, from_address=s.mail_from_address, from_name=s.mail_from_name)


def deliver(session: Session, server: SmtpServer, now: datetime | None = None, name: str = "w1") -> worker.Report:
    return worker.deliver_due(session=session, config=config(server), worker=name, now=now)


def sent_draft(session: Session) -> records.Access:
    edition_id = editions.current_edition(session=session).id
    access = flow.start(session=session, edition_id=edition_id, organisation=ORG, now=DURING).access
    flow.save_contacts(session=session, access=access, contacts=CONTACTS, now=DURING)
    flow.save_project(session=session, access=access, project=PROJECT, now=DURING)
    flow.save_documents(session=session, access=access, deck=DECK, signed_form=FORM, now=DURING)
    flow.send(session=session, access=access, declarations=ALL_DECLARED, now=DURING)
    return access


def outbox_rows_unexpired(session: Session) -> list[OutboxMessage]:
    return list(session.exec(select(OutboxMessage)))


def outbox_rows(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


def test_the_receipt_reaches_the_coordinator_and_its_link_opens_the_draft(demo_session, smtp):
    access = sent_draft(demo_session)
    [row] = outbox_rows(demo_session)
    assert (row.kind, row.state, row.recipient, row.recipient_role) == (
        "receipt",
        MailState.queued,
        "somying@example.go.th",
        "coordinator",
    )

    report = deliver(demo_session, smtp)
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    [mail] = smtp.inbox.received
    assert mail.rcpt_tos == ["somying@example.go.th"]
    assert mail.mail_from == "award@example.go.th"
    assert mail.subject == f"ใบรับผลงาน {access.receipt_code} / Receipt {access.receipt_code}"
    text = mail.text
    assert text.index('ได้รับผลงาน "ระบบแจ้งซ่อมไฟฟ้าสาธารณะผ่าน LINE" ขององค์การบริหารส่วนตำบลโคกขมิ้น') < text.index(
        "We received"
    )  # Thai first, English below
    assert "20 กรกฎาคม 2564 เวลา 10:00 น." in text and "20 July 2021 10:00 (Bangkok time)" in text
    assert f"เลขที่ใบรับ: {access.receipt_code}" in text and "นำเสนอ.pptx" in text
    assert '<div lang="th">' in mail.html and "ใบรับผลงาน" in mail.html

    link = next(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("เปิดผลงานของท่าน: "))
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{PUBLIC}/my_submission"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    view = flow.load(session=demo_session, access=records.Access(query["code"], query["token"]), now=DURING)
    assert view.receipt_code == access.receipt_code and view.status == SubmissionStatus.submitted

    [row] = outbox_rows(demo_session)
    assert (row.state, row.attempts, row.last_answer) == (MailState.sent, 1, "250 2.0.0 Ok: queued as TEST1")
    [event] = demo_session.exec(select(AuditEvent).where(AuditEvent.action == "mail.sent")).all()
    # PDPA: the trail says what went to whom by role; neither the address nor the body.
    assert event.after == {
        "kind": "receipt",
        "message_id": row.message_id,
        "recipient_role": "coordinator",
        "attempts": 1,
    }
    assert "somying" not in str(event.after) and access.edit_token not in str(event.after)
    assert (row.body_text, row.body_html) == ("", "")  # the edit link is not kept once delivered


def test_sending_again_after_an_edit_sends_no_second_receipt(demo_session, smtp):
    access = sent_draft(demo_session)
    flow.send(session=demo_session, access=access, declarations=ALL_DECLARED, now=DURING)
    assert [r.kind for r in outbox_rows(demo_session)] == ["receipt"]


def test_an_event_that_rolls_back_sends_nothing(demo_session, smtp):
    sub = demo_session.exec(select(Submission).where(Submission.status == SubmissionStatus.accepted)).first()
    sub.coordinator_email = "someone@example.go.th"
    demo_session.add(sub)
    demo_session.commit()
    sub.status = SubmissionStatus.rejected
    notify.status_changed(session=demo_session, submission=sub, reason="ไม่ใช่ อปท.", previous="accepted")
    assert len(outbox_rows_unexpired(demo_session)) == 1  # written in the transaction...
    demo_session.rollback()  # ...which then failed: the decision and its message both go
    assert outbox_rows(demo_session) == []
    assert deliver(demo_session, smtp).claimed == 0
    assert smtp.inbox.received == []


def _with_addresses(session: Session, n: int) -> list[Submission]:
    subs = list(
        session.exec(
            select(Submission)
            .where(Submission.status == SubmissionStatus.accepted)
            .order_by(col(Submission.id))
            .limit(n)
        )
    )
    for i, s in enumerate(subs):
        s.coordinator_email = f"coord{i}@example.go.th"
        session.add(s)
    session.commit()
    return subs


def test_screening_decisions_reach_the_coordinator_thai_first_with_hostile_text_escaped(demo_session, smtp):
    a, b, c = _with_addresses(demo_session, 3)
    a.status = SubmissionStatus.submitted  # not screened yet (the demo's works are)
    demo_session.add(a)
    demo_session.commit()
    screening.set_status(
        session=demo_session, submission_id=a.id, status=SubmissionStatus.accepted, reason="", actor="organiser"
    )
    hostile = "<script>alert(1)</script> ไม่ได้ใช้งานจริง"
    screening.set_status(
        session=demo_session, submission_id=b.id, status=SubmissionStatus.rejected, reason=hostile, actor="organiser"
    )
    screening.set_status(
        session=demo_session,
        submission_id=c.id,
        status=SubmissionStatus.submitted,
        reason="แนบใบส่งโครงการที่ลงนามแล้ว",
        actor="organiser",
    )
    until = datetime(2021, 8, 10, 16, 59, tzinfo=UTC)
    screening.grant_extension(session=demo_session, submission_id=c.id, until=until, reason="ขอขยาย", actor="organiser")
    assert deliver(demo_session, smtp).sent == 4

    by_kind = {r.kind: r for r in outbox_rows(demo_session)}
    assert set(by_kind) == {"accepted", "ineligible", "returned", "extension"}
    mails = {m.rcpt_tos[0]: m for m in smtp.inbox.received}
    accepted, rejected = mails["coord0@example.go.th"], mails["coord1@example.go.th"]
    assert accepted.subject.startswith("ผลงานผ่านการตรวจคุณสมบัติ") and a.receipt_code in accepted.subject
    assert "ผ่านการตรวจคุณสมบัติ และเข้าสู่การพิจารณาของคณะกรรมการ" in accepted.text
    assert rejected.subject.startswith("ผลงานไม่ผ่านการตรวจคุณสมบัติ")
    assert f"เหตุผล: {hostile}" in rejected.text  # plain text carries it as it is: text, never markup
    assert "<script>" not in rejected.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in rejected.html
    to_c = [m for m in smtp.inbox.received if m.rcpt_tos == ["coord2@example.go.th"]]
    extended, returned = sorted(to_c, key=lambda m: m.subject)
    assert returned.subject.startswith("ขอให้แก้ไขผลงาน") and "สิ่งที่ต้องแก้ไข: แนบใบส่งโครงการที่ลงนามแล้ว" in returned.text
    assert extended.subject.startswith("ขยายเวลาส่งผลงาน")
    assert "10 สิงหาคม 2564 เวลา 23:59 น." in extended.text and "10 August 2021 23:59" in extended.text


def test_the_server_away_keeps_messages_queued_and_each_goes_once_when_it_returns(demo_session, smtp):
    for i in range(3):
        outbox.enqueue(
            session=demo_session,
            kind="test",
            to=f"p{i}@example.go.th",
            role="coordinator",
            message=messages.compose("ทดสอบ", "Test", [f"ข้อความ {i}"], [f"message {i}"]),
        )
    demo_session.commit()
    smtp.stop()
    now = datetime.now(UTC)
    report = deliver(demo_session, smtp, now=now)
    assert (report.claimed, report.sent, report.retried) == (3, 0, 3)
    rows = outbox_rows(demo_session)
    assert {(r.state, r.attempts) for r in rows} == {(MailState.queued, 1)}
    assert all("Connection refused" in r.last_answer or "ConnectionRefused" in r.last_answer for r in rows)
    assert deliver(demo_session, smtp, now=now + timedelta(seconds=30)).claimed == 0  # backing off

    smtp.start()
    report = deliver(demo_session, smtp, now=now + LATER)
    assert (report.sent, report.retried) == (3, 0)
    assert deliver(demo_session, smtp, now=now + 2 * LATER).claimed == 0
    assert sorted(m.rcpt_tos[0] for m in smtp.inbox.received) == [f"p{i}@example.go.th" for i in range(3)]
    assert len(set(smtp.inbox.message_ids())) == 3
    assert {(r.state, r.attempts) for r in outbox_rows(demo_session)} == {(MailState.sent, 2)}


def test_a_refused_address_fails_with_the_answer_and_an_organiser_resends_it(demo_session, smtp):
    outbox.enqueue(
        session=demo_session,
        kind="test",
        to="gone@example.go.th",
        role="judge",
        message=messages.compose("ทดสอบ", "Test", ["ก"], ["a"]),
    )
    outbox.enqueue(
        session=demo_session,
        kind="test",
        to="here@example.go.th",
        role="judge",
        message=messages.compose("ทดสอบ", "Test", ["ข"], ["b"]),
    )
    demo_session.commit()
    smtp.inbox.refuse.add("gone@example.go.th")
    report = deliver(demo_session, smtp)
    assert (report.sent, report.failed) == (1, 1)
    gone, here = outbox_rows(demo_session)
    assert (gone.state, gone.last_answer) == (MailState.failed, "550 5.1.1 mailbox unavailable")
    assert here.state == MailState.sent
    assert [r.state for r in outbox.messages(session=demo_session, state=MailState.failed)] == [MailState.failed]
    assert outbox.messages(session=demo_session, state=MailState.failed)[0].recipient == "go***@example.go.th"
    assert outbox.counts(session=demo_session)[MailState.failed] == 1

    smtp.inbox.refuse.clear()
    outbox.resend(session=demo_session, message_id=gone.id, actor="organiser")
    assert deliver(demo_session, smtp).sent == 1
    assert [m.rcpt_tos for m in smtp.inbox.received] == [["here@example.go.th"], ["gone@example.go.th"]]
    actions = [
        e.action
        for e in demo_session.exec(
            select(AuditEvent).where(col(AuditEvent.entity) == "mail").order_by(col(AuditEvent.id))
        )
    ]
    assert actions == ["mail.failed", "mail.sent", "mail.resend", "mail.sent"]


def test_two_workers_deliver_each_message_once(demo_db_url, demo_session, smtp):
    for i in range(40):
        outbox.enqueue(
            session=demo_session,
            kind="test",
            to=f"p{i}@example.go.th",
            role="judge",
            message=messages.compose("ทดสอบ", "Test", [f"{i}"], [f"{i}"]),
        )
    demo_session.commit()

    def one_worker(name: str) -> int:
        engine = build_engine(demo_db_url)
        sent = 0
        try:
            with Session(engine) as session:
                while True:
                    report = worker.deliver_due(session=session, config=config(smtp), worker=name, batch=3)
                    sent += report.sent
                    if report.claimed == 0:
                        return sent
        finally:
            engine.dispose()

    results = run_together([lambda: one_worker("a"), lambda: one_worker("b")])
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 40  # type: ignore[arg-type]
    assert len(smtp.inbox.received) == 40 and len(set(smtp.inbox.message_ids())) == 40
    assert (
        demo_session.exec(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state == MailState.sent)
        ).one()
        == 40
    )


def test_a_lease_that_ran_out_passes_the_message_to_another_worker(demo_session, smtp):
    outbox.enqueue(
        session=demo_session,
        kind="test",
        to="p@example.go.th",
        role="judge",
        message=messages.compose("ทดสอบ", "Test", ["ก"], ["a"]),
    )
    demo_session.commit()
    now = datetime.now(UTC)
    assert outbox.claim(session=demo_session, worker="dead", now=now) != []
    assert deliver(demo_session, smtp, now=now + timedelta(minutes=1), name="w2").claimed == 0  # still held
    assert deliver(demo_session, smtp, now=now + outbox.LEASE + timedelta(seconds=1), name="w2").sent == 1
    [row] = outbox_rows(demo_session)
    # the dead worker's late outcome does not overwrite the living one's
    outbox.mark_unsent(
        session=demo_session, message_id=row.id, worker="dead", answer="x", permanent=True, max_attempts=8
    )
    assert outbox_rows(demo_session)[0].state == MailState.sent


def test_attachments_and_thai_headers_survive_the_trip(demo_session, smtp):
    ics = b"BEGIN:VCALENDAR\r\nSUMMARY:\xe0\xb8\x99\xe0\xb8\xb3\xe0\xb9\x80\xe0\xb8\xaa\xe0\xb8\x99\xe0\xb8\xad\r\nEND:VCALENDAR\r\n"
    outbox.enqueue(
        session=demo_session,
        kind="test",
        to="p@example.go.th",
        role="coordinator",
        message=messages.compose("นัดนำเสนอผลงาน", "Pitching slot", ["ก"], ["a"]),
        attachments=[Attachment("นัดหมาย.ics", "text/calendar", ics)],
    )
    demo_session.commit()
    deliver(demo_session, smtp)
    [mail] = smtp.inbox.received
    assert mail.subject == "นัดนำเสนอผลงาน / Pitching slot"
    assert mail.attachments() == [("นัดหมาย.ics", "text/calendar", ics)]


def test_unusable_addresses_queue_nothing(demo_session):
    m = messages.compose("ก", "a", ["ก"], ["a"])
    for bad in ["", "no-at-sign", "a@b.c\r\nBcc: x@y.zz", "Name <a@example.go.th>", "a@example.go.th, b@x.org"]:
        assert outbox.enqueue(session=demo_session, kind="t", to=bad, role="coordinator", message=m) is None
    assert outbox_rows(demo_session) == []


def test_resend_my_edit_link_replaces_the_code_and_tells_nobody_else(demo_session, smtp):
    access = sent_draft(demo_session)
    deliver(demo_session, smtp)  # the receipt
    # A wrong address: the same (silent) answer, nothing queued, the old code still works.
    notify.request_edit_link(
        session=demo_session, receipt_code=access.receipt_code, email="other@example.go.th", client="10.0.0.1"
    )
    notify.request_edit_link(
        session=demo_session, receipt_code="LDA64-NONE-XXXX", email="somying@example.go.th", client="10.0.0.1"
    )
    assert [r.kind for r in outbox_rows(demo_session)] == ["receipt"]
    flow.load(session=demo_session, access=access, now=DURING)

    notify.request_edit_link(
        session=demo_session,
        receipt_code=access.receipt_code.lower(),
        email=" Somying@Example.go.th ",
        client="10.0.0.2",
    )
    assert deliver(demo_session, smtp).sent == 1
    mail = smtp.inbox.received[-1]
    assert mail.rcpt_tos == ["somying@example.go.th"]
    assert mail.subject.startswith(f"ลิงก์แก้ไขผลงาน {access.receipt_code}")
    link = next(line.split(": ", 1)[1] for line in mail.text.splitlines() if line.startswith("เปิดผลงานของท่าน: "))
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert flow.load(session=demo_session, access=records.Access(query["code"], query["token"]), now=DURING)
    with pytest.raises(Forbidden):  # the old code is replaced
        flow.load(session=demo_session, access=access, now=DURING)


def test_resend_my_edit_link_is_rate_limited_per_client_and_quietly_per_submission(demo_session, monkeypatch):
    monkeypatch.setenv("LDAWARD_RATE_EDIT_LINK_MAILS", "2")
    get_settings.cache_clear()
    access = sent_draft(demo_session)
    code, address = access.receipt_code, "somying@example.go.th"
    for _ in range(2):
        notify.request_edit_link(
            session=demo_session, receipt_code="LDA64-AAAA-AAAA", email="a@example.go.th", client="10.0.0.9"
        )
    with pytest.raises(RateLimited):  # the client's own limit: every request counts
        notify.request_edit_link(session=demo_session, receipt_code=code, email=address, client="10.0.0.9")
    demo_session.rollback()

    # Strangers with the receipt code but not the address cannot use up its owner's allowance...
    for i in range(3):
        notify.request_edit_link(session=demo_session, receipt_code=code, email="x@example.go.th", client=f"10.1.0.{i}")
    notify.request_edit_link(session=demo_session, receipt_code=code, email=address, client="10.2.0.1")
    notify.request_edit_link(session=demo_session, receipt_code=code, email=address, client="10.2.0.2")
    # ...and past the submission's allowance the answer stays the same, with nothing sent (no oracle).
    notify.request_edit_link(session=demo_session, receipt_code=code, email=address, client="10.2.0.3")
    assert [r.kind for r in outbox_rows(demo_session)] == ["receipt", "edit_link", "edit_link"]


def test_a_decision_that_changes_nothing_sends_nothing(demo_session):
    [sub] = _with_addresses(demo_session, 1)
    for _ in range(2):
        screening.set_status(
            session=demo_session, submission_id=sub.id, status=SubmissionStatus.accepted, reason="", actor="organiser"
        )
    assert outbox_rows(demo_session) == []  # it was accepted already (the demo's screening)
    screening.set_status(
        session=demo_session,
        submission_id=sub.id,
        status=SubmissionStatus.rejected,
        reason="ไม่ใช่ อปท.",
        actor="organiser",
    )
    screening.set_status(
        session=demo_session,
        submission_id=sub.id,
        status=SubmissionStatus.rejected,
        reason="ไม่ใช่ อปท.",
        actor="organiser",
    )
    assert [r.kind for r in outbox_rows(demo_session)] == ["ineligible"]


def test_judges_hear_of_their_works_and_of_the_desks_reminder(demo_session, smtp):
    from services.judging import assignments, completeness
    from services.pitching import live

    demo_session.add(User(username="judge-new", display_name="นางกรรมการ ใหม่", role="judge", agency="สพร."))
    demo_session.commit()  # the demo's judges already sit on every panel: a new one joins them all
    judges = list(demo_session.exec(select(User).where(User.role == "judge", col(User.active)).order_by(col(User.id))))
    for j in judges:
        j.email = f"{j.username}@example.go.th"
        demo_session.add(j)
    demo_session.commit()
    edition_id = editions.current_edition(session=demo_session).id
    completeness.set_judging_deadline(
        session=demo_session,
        edition_id=edition_id,
        deadline=datetime(2021, 9, 10, 9, 30, tzinfo=UTC),  # 16:30 in Bangkok
        actor="organiser",
    )
    result = assignments.assign_panels(
        session=demo_session,
        edition_id=edition_id,
        judges_per_submission=len(judges),
        min_agencies=1,
        actor="organiser",
    )
    assigned = [r for r in outbox_rows(demo_session) if r.kind == "judge_assigned"]
    assert result.added > 0 and assigned
    assert "กรุณาส่งใบให้คะแนนภายใน 10 กันยายน 2564 เวลา 16:30 น." in assigned[0].body_text
    deliver(demo_session, smtp)
    first = smtp.inbox.received[0]
    assert first.subject == "มอบหมายผลงานให้พิจารณา / Works assigned to you"
    assert "ท่านได้รับมอบหมายให้พิจารณาผลงาน" in first.text and f"{PUBLIC}/judge" in first.text

    owed = {
        j.judge_id: len(j.owed)
        for j in completeness.edition_completeness(session=demo_session, edition_id=edition_id).judges
        if j.owed
    }
    assert owed
    live.remind(
        session=demo_session,
        judge_ids=[j.id for j in judges],
        actor="organiser",
        edition_id=edition_id,
        live_session=False,
    )
    reminders = [r for r in outbox_rows(demo_session) if r.kind == "judge_reminder"]
    assert sorted(int(r.entity_id) for r in reminders) == sorted(owed)  # only judges who owe a sheet
    deliver(demo_session, smtp)
    judge = next(j for j in judges if j.id in owed)
    [mail] = [m for m in smtp.inbox.received if m.subject.startswith("เตือนส่งใบให้คะแนน") and m.rcpt_tos == [judge.email]]
    assert f"ท่านยังมีใบให้คะแนนที่ยังไม่ได้ส่ง {owed[judge.id]} ใบ" in mail.text
    live.remind(
        session=demo_session, judge_ids=[judge.id], actor="organiser", submission_id=1, edition_id=edition_id
    )  # a live session's reminder is seen on screen, not mailed
    assert [r.kind for r in outbox_rows(demo_session)].count("judge_reminder") == len(reminders)


def test_parse_url_reads_security_user_and_port():
    c = parse_url("smtps://mailer:p%40ss@mail.example.go.th", from_address="a@b.cc", from_name="x")
    assert (c.host, c.port, c.security, c.username, c.password) == ("mail.example.go.th", 465, "tls", "mailer", "p@ss")
    assert parse_url("smtp://u:p@h", from_address="", from_name="").security == "starttls"  # never a password in clear
    assert parse_url("smtp://h", from_address="", from_name="").port == 25
    c = parse_url("smtp://h:2525?starttls=false", from_address="", from_name="")
    assert (c.port, c.security) == (2525, "none")
    with pytest.raises(ValueError, match="smtp:// or smtps://"):
        parse_url("http://h", from_address="", from_name="")


def test_with_no_server_configured_nothing_starts_and_messages_wait(demo_session):
    from services.mail.smtp import configured

    assert configured() is None
    assert worker.ensure_started() is False


def test_results_announced_reach_every_entrant_once(demo_session, smtp):
    from services.results import awards
    from tests.helpers.judging_factory import submit_missing_sheets

    edition_id = editions.current_edition(session=demo_session).id
    subs = list(
        demo_session.exec(select(Submission).where(Submission.edition_id == edition_id).order_by(col(Submission.id)))
    )
    for i, s in enumerate(subs):
        s.coordinator_email = f"entrant{i}@example.go.th"
        demo_session.add(s)
    demo_session.commit()
    submit_missing_sheets(demo_session, edition_id)
    confirmed = awards.confirm_awards(session=demo_session, edition_id=edition_id, actor="organiser")
    awards.announce(session=demo_session, edition_id=edition_id, actor="organiser")
    awards.announce(session=demo_session, edition_id=edition_id, actor="organiser")  # again: no second round
    rows = [r for r in outbox_rows(demo_session) if r.kind == "results"]
    assert len(rows) == len(subs) == 45
    while deliver(demo_session, smtp).claimed:  # rounds of worker.BATCH
        pass
    assert len(smtp.inbox.received) == 45
    winner = next(s for s in subs if s.id == confirmed[0].submission_id)
    [mail] = [m for m in smtp.inbox.received if m.rcpt_tos == [winner.coordinator_email]]
    assert mail.subject.startswith("ประกาศผล")
    assert f'ขอแสดงความยินดี ผลงาน "{winner.title}"' in mail.text and "Congratulations" in mail.text


def test_the_in_process_thread_and_the_command_deliver(demo_db_url, demo_session, smtp, monkeypatch, capsys):
    import json
    import time

    import cli
    from services.platform.db import dispose_engines

    monkeypatch.setenv("DATABASE_URL", demo_db_url)
    monkeypatch.setenv("LDAWARD_SMTP_URL", smtp.url)
    monkeypatch.setenv("LDAWARD_MAIL_POLL_SECONDS", "0.1")
    get_settings.cache_clear()
    outbox.enqueue(
        session=demo_session,
        kind="test",
        to="cli@example.go.th",
        role="judge",
        message=messages.compose("ก", "a", ["ก"], ["a"]),
    )
    demo_session.commit()
    assert cli.main(["mail-worker", "--once"]) == 0
    assert json.loads(capsys.readouterr().out)["sent"] == 1

    outbox.enqueue(
        session=demo_session,
        kind="test",
        to="thread@example.go.th",
        role="judge",
        message=messages.compose("ข", "b", ["ข"], ["b"]),
    )
    demo_session.commit()
    try:
        assert worker.ensure_started() is True
        assert worker.ensure_started() is True  # still the one thread
        deadline = time.monotonic() + 20
        while len(smtp.inbox.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop_started()
        dispose_engines()
    assert [m.rcpt_tos for m in smtp.inbox.received] == [["cli@example.go.th"], ["thread@example.go.th"]]
    assert [t.name for t in __import__("threading").enumerate()].count("ldaward-mail") == 0


def test_a_published_slot_and_a_move_reach_the_coordinator_with_a_calendar_file(demo_session, smtp):
    from datetime import date

    from services.pitching import schedule

    edition_id = editions.current_edition(session=demo_session).id
    days = schedule.generate(
        session=demo_session,
        edition_id=edition_id,
        actor="organiser",
        params=schedule.ScheduleParams(
            days=(date(2021, 8, 4), date(2021, 8, 5), date(2021, 8, 6)), meeting_url="https://meet.example.go.th/lda"
        ),
    )
    for sub in demo_session.exec(select(Submission)):
        sub.coordinator_email = f"c{sub.id}@example.go.th"
        demo_session.add(sub)
    demo_session.commit()
    slot = days[1].pitches[0]
    later = days[1].slots[-1].ends_at + timedelta(minutes=30)
    schedule.move_slot(
        session=demo_session, slot_id=slot.id, starts_at=later - timedelta(minutes=10), actor="organiser"
    )  # before publishing: nobody has been told a time yet
    assert outbox_rows(demo_session) == []

    schedule.publish(session=demo_session, day_id=days[1].id, published=True, actor="organiser")
    published = outbox_rows(demo_session)
    assert len(published) == len(days[1].pitches) and {r.kind for r in published} == {"pitching_slot"}
    schedule.move_slot(session=demo_session, slot_id=slot.id, starts_at=later, actor="organiser")
    while deliver(demo_session, smtp).claimed:
        pass
    to_work = [m for m in smtp.inbox.received if m.rcpt_tos == [f"c{slot.work.submission_id}@example.go.th"]]
    first, moved = to_work
    assert first.subject.startswith("กำหนดเวลานำเสนอ") and moved.subject.startswith("เปลี่ยนเวลานำเสนอ")
    assert f"เวลา: 5 สิงหาคม 2564 เวลา {to_bangkok_hm(later)} น." in moved.text
    assert "https://meet.example.go.th/lda" in moved.text
    [(name, media_type, ics)] = moved.attachments()
    assert (name, media_type) == ("ldaward-pitching.ics", "text/calendar")
    text = ics.decode()
    assert text.count("BEGIN:VEVENT") == 1 and f"UID:ldaward-slot-{slot.id}@" in text
    assert f"DTSTART;TZID=Asia/Bangkok:{later.astimezone(BANGKOK):%Y%m%dT%H%M%S}" in text


def to_bangkok_hm(moment: datetime) -> str:
    return f"{moment.astimezone(BANGKOK):%H:%M}"


def test_a_broadcast_goes_once_to_each_address_of_its_list_after_a_preview(demo_session, smtp):
    from services.mail import broadcast

    edition_id = editions.current_edition(session=demo_session).id
    accepted = list(
        demo_session.exec(
            select(Submission).where(Submission.status == SubmissionStatus.accepted).order_by(col(Submission.id))
        )
    )
    for i, s in enumerate(accepted):  # four works with an address (the demo's .invalid ones left out)
        s.coordinator_email = ("same@example.go.th" if i < 2 else f"c{i}@example.go.th") if i < 4 else ""
        demo_session.add(s)  # one coordinator with two works
    demo_session.commit()
    draft = broadcast.Draft(
        broadcast.Audience.coordinators_accepted,
        "แจ้งกำหนดการ",
        "Schedule",
        "เรียนผู้ประสานงาน\n<b>โปรดทราบ</b>",
        "Dear coordinator",
    )
    seen = broadcast.preview(session=demo_session, edition_id=edition_id, draft=draft)
    assert (seen.recipients, seen.sample) == (3, ("sa***@example.go.th", "c2***@example.go.th", "c3***@example.go.th"))
    assert seen.message.subject == "แจ้งกำหนดการ / Schedule"
    assert broadcast.send(session=demo_session, edition_id=edition_id, draft=draft, actor="organiser") == 3
    deliver(demo_session, smtp)
    assert sorted(m.rcpt_tos[0] for m in smtp.inbox.received) == [
        "c2@example.go.th",
        "c3@example.go.th",
        "same@example.go.th",
    ]
    mail = smtp.inbox.received[0]
    assert "เรียนผู้ประสานงาน\r\n<b>โปรดทราบ</b>\r\n" in mail.text and "&lt;b&gt;โปรดทราบ&lt;/b&gt;" in mail.html
    [event] = demo_session.exec(select(AuditEvent).where(AuditEvent.action == "mail.broadcast")).all()
    assert event.after == {"audience": "coordinators_accepted", "recipients": 3, "subject": "แจ้งกำหนดการ / Schedule"}
    with pytest.raises(ValidationFailed):
        broadcast.preview(
            session=demo_session,
            edition_id=edition_id,
            draft=broadcast.Draft(broadcast.Audience.judges_all, " ", "", "", ""),
        )


def _judges_owing(session: Session, edition_id: int) -> dict[int, int]:
    from services.judging import assignments, completeness

    session.add(
        User(
            username="judge-new",
            display_name="นางกรรมการ ใหม่",
            role="judge",
            agency="สพร.",
            email="judge-new@example.go.th",
        )
    )
    session.commit()
    judges = list(session.exec(select(User).where(User.role == "judge", col(User.active))))
    for j in judges:
        j.email = j.email or f"{j.username}@example.go.th"
        session.add(j)
    session.commit()
    assignments.assign_panels(
        session=session, edition_id=edition_id, judges_per_submission=len(judges), min_agencies=1, actor="organiser"
    )
    return {
        j.judge_id: len(j.owed)
        for j in completeness.edition_completeness(session=session, edition_id=edition_id).judges
        if j.owed
    }


def test_the_automatic_reminder_goes_once_at_each_mark_before_the_deadline(demo_session, smtp):
    from services.judging import completeness
    from services.mail import reminders

    edition_id = editions.current_edition(session=demo_session).id
    owed = _judges_owing(demo_session, edition_id)
    before = len(outbox_rows(demo_session))
    deadline = datetime(2021, 9, 1, 10, 0, tzinfo=UTC)
    completeness.set_judging_deadline(session=demo_session, edition_id=edition_id, deadline=deadline, actor="organiser")
    assert reminders.set_hours(session=demo_session, edition_id=edition_id, hours=[24, 72, 24], actor="organiser") == [
        72,
        24,
    ]

    assert reminders.send_due(session=demo_session, now=deadline - timedelta(hours=80)) == 0  # not yet
    assert reminders.send_due(session=demo_session, now=deadline - timedelta(hours=70)) == len(owed)
    assert reminders.send_due(session=demo_session, now=deadline - timedelta(hours=60)) == 0  # once per mark
    assert reminders.send_due(session=demo_session, now=deadline - timedelta(hours=20)) == len(owed)
    assert reminders.send_due(session=demo_session, now=deadline + timedelta(hours=1)) == 0  # past the deadline
    rows = [r for r in outbox_rows(demo_session)[before:] if r.kind == "judge_deadline"]
    assert len(rows) == 2 * len(owed)
    while deliver(demo_session, smtp).claimed:
        pass
    judge_id = next(iter(owed))
    to_one = [
        m
        for m in smtp.inbox.received
        if m.subject.startswith("เตือนส่งใบให้คะแนน")
        and any(r.entity_id == str(judge_id) and r.recipient == m.rcpt_tos[0] for r in rows)
    ]
    assert len(to_one) == 2
    assert f"ท่านยังมีใบให้คะแนนที่ยังไม่ได้ส่ง {owed[judge_id]} ใบ" in to_one[0].text
    assert "กำหนดส่ง 1 กันยายน 2564 เวลา 17:00 น." in to_one[0].text
    marks = [
        e.entity_id
        for e in demo_session.exec(
            select(AuditEvent).where(AuditEvent.action == reminders.ACTION).order_by(col(AuditEvent.id))
        )
    ]
    assert marks == [f"{edition_id}:72:202109011000", f"{edition_id}:24:202109011000"]


def test_a_deadline_set_late_sends_one_reminder_and_two_workers_write_it_once(demo_db_url, demo_session):
    from services.judging import completeness
    from services.mail import reminders

    edition_id = editions.current_edition(session=demo_session).id
    owed = _judges_owing(demo_session, edition_id)
    deadline = datetime(2021, 9, 1, 10, 0, tzinfo=UTC)
    completeness.set_judging_deadline(session=demo_session, edition_id=edition_id, deadline=deadline, actor="organiser")
    demo_session.rollback()  # end the read the call above left open: on SQLite it holds the write lock
    now = deadline - timedelta(hours=10)  # inside both the 72 h and the 24 h windows

    def one() -> int:
        engine = build_engine(demo_db_url)
        try:
            with Session(engine) as session:
                return reminders.send_due(session=session, now=now)
        finally:
            engine.dispose()

    results = run_together([one, one])
    assert all(isinstance(r, int) for r in results), [repr(r)[:300] for r in results]
    assert sorted(results) == [0, len(owed)], results  # type: ignore[type-var]
    assert len([r for r in outbox_rows(demo_session) if r.kind == "judge_deadline"]) == len(owed)
