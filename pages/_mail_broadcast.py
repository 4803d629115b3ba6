"""The outbox page's broadcast form: write, preview (count, masked sample, the message as sent), then queue."""

import streamlit as st

from pages import _ui
from services.mail import broadcast, phrases

PREVIEW = "outbox_bc_preview"


def form(actor: str, edition_id: int) -> None:
    audience = (
        st.selectbox(
            _ui.t("ส่งถึง", "To"),
            list(broadcast.Audience),
            key="outbox_bc_audience",
            format_func=lambda a: phrases.label(phrases.AUDIENCES, a, _ui.lang()),
        )
        or broadcast.Audience.coordinators_sent
    )
    subject_th = st.text_input(_ui.t("หัวเรื่อง (ไทย)", "Subject (Thai)"), key="outbox_bc_subject_th", max_chars=120)
    subject_en = st.text_input(_ui.t("หัวเรื่อง (อังกฤษ)", "Subject (English)"), key="outbox_bc_subject_en", max_chars=120)
    body_th = st.text_area(
        _ui.t("ข้อความ (ไทย)", "Message (Thai)"), key="outbox_bc_body_th", max_chars=broadcast.MAX_BODY
    )
    body_en = st.text_area(
        _ui.t("ข้อความ (อังกฤษ)", "Message (English)"), key="outbox_bc_body_en", max_chars=broadcast.MAX_BODY
    )
    draft = broadcast.Draft(broadcast.Audience(audience), subject_th, subject_en, body_th, body_en)
    if st.button(_ui.t("ดูตัวอย่าง", "Preview"), key="outbox_bc_preview_button", icon=":material/preview:"):
        with _ui.guard(), _ui.db(read_only=True) as session:
            st.session_state[PREVIEW] = (draft, broadcast.preview(session=session, edition_id=edition_id, draft=draft))
    shown = st.session_state.get(PREVIEW)
    if not shown or shown[0] != draft:
        return  # nothing is sent that was not previewed as it stands
    preview = shown[1]
    st.info(
        _ui.t(f"จะส่งถึง {preview.recipients} คน เช่น ", f"Goes to {preview.recipients} people, e.g. ")
        + ", ".join(preview.sample),
        icon=":material/group:",
    )
    st.text(preview.message.subject)
    st.text(preview.message.text)
    if st.button(
        _ui.t("ส่งประกาศ", "Send"),
        key="outbox_bc_send",
        type="primary",
        icon=":material/send:",
        disabled=preview.recipients == 0,
    ):
        with _ui.guard(), _ui.db() as session:
            queued = broadcast.send(session=session, edition_id=edition_id, draft=draft, actor=actor)
            st.session_state.pop(PREVIEW, None)
            st.success(_ui.t(f"เข้าคิวส่ง {queued} ฉบับแล้ว", f"{queued} messages queued."), icon=":material/check:")
