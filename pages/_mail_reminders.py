"""The judging-completeness page's control for the automatic e-mail reminders before the deadline."""

import streamlit as st

from pages import _ui
from services.contest.editions import EditionView
from services.mail import reminders

CHOICES = [168, 72, 48, 24, 12, 6, 2]


def hours_control(edition: EditionView, actor: str) -> None:
    current = list(edition.config.mail_reminder_hours)
    hours = st.multiselect(
        _ui.t(
            "เตือนกรรมการที่ยังส่งไม่ครบทางอีเมล ก่อนกำหนดส่ง (ชั่วโมง)",
            "E-mail judges with sheets owed, hours before the deadline",
        ),
        sorted(set(CHOICES) | set(current), reverse=True),
        default=current,
        key="status_mail_hours",
    )
    if sorted(hours) != sorted(current) and st.button(
        _ui.t("บันทึกเวลาเตือน", "Save the reminder times"), key="status_mail_hours_save"
    ):
        with _ui.guard():
            with _ui.db() as session:
                reminders.set_hours(session=session, edition_id=edition.id, hours=list(hours), actor=actor)
            st.rerun()
