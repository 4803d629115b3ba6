"""The organisers' outbox page and the applicant's "send my edit link again" form, through AppTest."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlmodel import col, select
from streamlit.testing.v1 import AppTest
from test_pages import DB, ok, signed_in

from models import MailState, OutboxMessage, Submission, SubmissionStatus
from services.mail import messages, outbox
from services.platform.settings import get_settings
from tests.conftest import PAGE_ON_SQLITE
from tests.pages.test_pages import ROOT, TIMEOUT

pytestmark = PAGE_ON_SQLITE


def _queue(db: DB) -> None:
    with db() as session:
        outbox.enqueue(
            session=session,
            kind="receipt",
            to="somying@example.go.th",
            role="coordinator",
            message=messages.compose("ใบรับผลงาน X", "Receipt X", ["ก"], ["a"]),
        )
        failed_id = outbox.enqueue(
            session=session,
            kind="judge_reminder",
            to="judge@example.go.th",
            role="judge",
            message=messages.compose("เตือนส่งใบให้คะแนน", "Reminder", ["ข"], ["b"]),
        )
        row = session.get(OutboxMessage, failed_id)
        row.state, row.last_answer, row.attempts = MailState.failed, "550 5.1.1 mailbox unavailable", 1
        session.add(row)
        session.commit()


def test_the_outbox_lists_messages_masked_says_mail_is_not_configured_and_resends(
    app_env: str, db: DB, monkeypatch
) -> None:
    monkeypatch.delenv("LDAWARD_SMTP_URL", raising=False)
    get_settings.cache_clear()
    _queue(db)
    at = signed_in(db, "organiser")
    at.switch_page("pages/outbox.py")
    ok(at.run())
    assert any("ยังไม่ได้ตั้งค่าการส่งอีเมล" in w.value for w in at.warning)
    table = at.dataframe[0].value
    assert list(table["ถึง"]) == ["ju***@example.go.th (กรรมการ)", "so***@example.go.th (ผู้ประสานงาน)"]
    assert list(table["สถานะ"]) == ["ส่งไม่สำเร็จ", "รอส่ง"]
    assert table["คำตอบล่าสุดของเซิร์ฟเวอร์"].iloc[0] == "550 5.1.1 mailbox unavailable"
    assert "somying@example.go.th" not in table.to_string()

    at.selectbox(key="outbox_state").set_value(MailState.failed)
    ok(at.run())
    assert len(at.dataframe[0].value) == 1
    at.button(key="outbox_resend").click()
    ok(at.run())
    with db() as session:
        states = sorted(r.state for r in session.exec(select(OutboxMessage)))
    assert states == [MailState.queued, MailState.queued]


def test_the_outbox_names_the_server_when_mail_is_configured(app_env: str, db: DB, monkeypatch) -> None:
    monkeypatch.setenv("LDAWARD_SMTP_URL", "smtps://mailer:secret@mail.example.go.th")
    get_settings.cache_clear()
    at = signed_in(db, "organiser")
    at.switch_page("pages/outbox.py")
    ok(at.run())
    assert not any("ยังไม่ได้ตั้งค่าการส่งอีเมล" in w.value for w in at.warning)
    shown = " ".join(c.value for c in at.caption).replace("\\", "").replace("\u2060", "")  # md() escapes
    assert "mail.example.go.th:465 (tls)" in shown and "secret" not in shown


def test_asking_for_the_edit_link_again_answers_the_same_and_mails_only_the_address_on_file(
    app_env: str, db: DB
) -> None:
    with db() as session:
        sub = session.exec(
            select(Submission).where(Submission.status == SubmissionStatus.accepted).order_by(col(Submission.id))
        ).first()
        sub.coordinator_email = "somying@example.go.th"
        session.add(sub)
        session.commit()
        code = sub.receipt_code

    def ask(email: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "pages" / "my_submission.py"), default_timeout=TIMEOUT)
        ok(at.run())
        at.text_input(key="mine_mail_code").set_value(code.lower())
        at.text_input(key="mine_mail_email").set_value(email)
        next(b for b in at.button if b.form_id == "mine_mail_form").click()
        return ok(at.run())

    wrong, right = ask("stranger@example.go.th"), ask("Somying@example.go.th")
    assert [s.value for s in wrong.success] == [s.value for s in right.success] != []
    with db() as session:
        [row] = session.exec(select(OutboxMessage)).all()
    assert (row.kind, row.recipient) == ("edit_link", "somying@example.go.th")
    link = next(line.split(": ", 1)[1] for line in row.body_text.splitlines() if line.startswith("เปิดผลงานของท่าน: "))
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}

    # The link opens the submission on the my-submission page.
    at = AppTest.from_file(str(ROOT / "pages" / "my_submission.py"), default_timeout=TIMEOUT)
    at.query_params["code"], at.query_params["token"] = query["code"], query["token"]
    ok(at.run())
    assert not at.error
    assert any(code in m.value.replace("\\", "") for m in at.markdown)


def test_a_broadcast_is_previewed_before_it_is_queued(app_env: str, db: DB) -> None:
    with db() as session:
        for i, sub in enumerate(
            session.exec(
                select(Submission).where(Submission.status == SubmissionStatus.accepted).order_by(col(Submission.id))
            )
        ):  # three works with an address (the demo's unreachable .invalid ones left out)
            sub.coordinator_email = f"c{i}@example.go.th" if i < 3 else ""
            session.add(sub)
        session.commit()
    at = signed_in(db, "organiser")
    at.switch_page("pages/outbox.py")
    ok(at.run())
    at.selectbox(key="outbox_bc_audience").set_value("coordinators_accepted")
    at.text_input(key="outbox_bc_subject_th").set_value("แจ้งกำหนดการ")
    at.text_area(key="outbox_bc_body_th").set_value("เรียนผู้ประสานงาน")
    ok(at.run())
    assert not [b for b in at.button if b.key == "outbox_bc_send"]  # nothing to send before a preview
    at.button(key="outbox_bc_preview_button").click()
    ok(at.run())
    assert any("จะส่งถึง 3 คน" in i.value for i in at.info)
    at.text_area(key="outbox_bc_body_th").set_value("เรียนผู้ประสานงานทุกท่าน")  # changed: preview again
    ok(at.run())
    assert not [b for b in at.button if b.key == "outbox_bc_send"]
    at.button(key="outbox_bc_preview_button").click()
    ok(at.run())
    at.button(key="outbox_bc_send").click()
    ok(at.run())
    with db() as session:
        rows = session.exec(select(OutboxMessage)).all()
    assert len(rows) == 3 and {r.kind for r in rows} == {"broadcast"}
    assert all("เรียนผู้ประสานงานทุกท่าน" in r.body_text for r in rows)


def test_the_organiser_sets_when_judges_are_reminded_by_mail(app_env: str, db: DB) -> None:
    from services.contest.editions import current_edition

    at = signed_in(db, "organiser")
    at.switch_page("pages/judging_status.py")
    ok(at.run())
    assert at.multiselect(key="status_mail_hours").value == [72, 24]
    at.multiselect(key="status_mail_hours").set_value([48, 6])
    ok(at.run())
    at.button(key="status_mail_hours_save").click()
    ok(at.run())
    with db() as session:
        assert current_edition(session=session).config.mail_reminder_hours == [48, 6]
