"""Organisers' outbox: every e-mail the contest sent or will send (state, kind, recipient partly masked, subject,
tries, the server's last answer), filtered by state, a resend for failed ones; and the broadcast to a list."""

import streamlit as st

from models import MailState, Role
from pages import _mail_broadcast, _ui
from services.mail import outbox, phrases
from services.platform.safe_text import md
from services.thai.dates import format_thai_datetime

acc = _ui.require_role(Role.organiser)
st.title(_ui.t("กล่องจดหมายออก", "Outbox"))
st.caption(
    _ui.t(
        "อีเมลที่ระบบส่งถึงผู้สมัครและกรรมการ ที่อยู่อีเมลแสดงเพียงบางส่วน (PDPA)",
        "E-mail the platform sends to applicants and judges; addresses are partly masked (PDPA).",
    )
)

mail = outbox.setup()
if not mail.configured:
    st.warning(
        _ui.t(
            "ยังไม่ได้ตั้งค่าการส่งอีเมล (LDAWARD_SMTP_URL) ข้อความจะรอในกล่องนี้และส่งออกเมื่อตั้งค่าแล้ว",
            "Mail is not configured (LDAWARD_SMTP_URL): messages wait here and go out once it is.",
        )
        + (f" — {md(mail.problem)}" if mail.problem else ""),
        icon=":material/mail_lock:",
    )
else:
    st.caption(_ui.t("ส่งผ่าน ", "Sent through ") + md(mail.server))

ALL = "__all__"
L = _ui.lang()
with _ui.db(read_only=True) as session:
    counts = outbox.counts(session=session)
    edition = _ui.edition_or_stop(session)


def message_list() -> None:
    for column, state in zip(st.columns(len(MailState)), MailState, strict=True):
        column.metric(phrases.label(phrases.STATES, state, L), counts[state])
    state = st.selectbox(
        _ui.t("สถานะ", "State"),
        [ALL, *MailState],
        key="outbox_state",
        format_func=lambda s: _ui.t("ทุกสถานะ", "All") if s == ALL else phrases.label(phrases.STATES, s, L),
    )
    with _ui.db(read_only=True) as session:
        rows = outbox.messages(session=session, state=None if state == ALL else MailState(state))
    if not rows:
        st.info(_ui.t("ยังไม่มีข้อความ", "No messages yet."))
        return
    st.dataframe(
        [
            {
                "#": r.id,
                _ui.t("สถานะ", "State"): phrases.label(phrases.STATES, r.state, L),
                _ui.t("ประเภท", "Kind"): phrases.label(phrases.KINDS, r.kind, L),
                _ui.t("ถึง", "To"): f"{r.recipient} ({phrases.label(phrases.ROLES, r.recipient_role, L)})",
                _ui.t("เรื่อง", "Subject"): r.subject,
                _ui.t("ครั้งที่ลอง", "Tries"): r.attempts,
                _ui.t("คำตอบล่าสุดของเซิร์ฟเวอร์", "Server's last answer"): r.last_answer,
                _ui.t("สร้างเมื่อ", "Created"): format_thai_datetime(r.created_at, "short"),
                _ui.t("ส่งเมื่อ", "Sent"): format_thai_datetime(r.sent_at, "short") if r.sent_at else "—",
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
        key="outbox_table",
    )
    failed = {r.id: r for r in rows if r.state == MailState.failed}
    if not failed:
        return
    chosen = st.selectbox(
        _ui.t("ส่งซ้ำข้อความที่ส่งไม่สำเร็จ", "Resend a failed message"),
        list(failed),
        key="outbox_resend_pick",
        format_func=lambda i: f"#{i} {failed[i].recipient} · {failed[i].subject[:60]}",
    )
    if st.button(_ui.t("ส่งซ้ำ", "Resend"), key="outbox_resend", icon=":material/forward_to_inbox:"):
        with _ui.guard(), _ui.db() as session:
            outbox.resend(session=session, message_id=int(chosen), actor=acc.username)
            st.success(_ui.t("นำกลับเข้าคิวแล้ว จะส่งในรอบถัดไป", "Queued again; it goes out in the next round."))


tab_list, tab_broadcast = st.tabs([_ui.t("ข้อความ", "Messages"), _ui.t("ส่งประกาศ", "Broadcast")])
with tab_list:
    message_list()
with tab_broadcast:
    _mail_broadcast.form(acc.username, edition.id)
