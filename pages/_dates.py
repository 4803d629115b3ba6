"""Date fields for Thai readers: Streamlit's calendar (st.date_input) shows English month and day names and the
Common Era, and offers no locale to change that; each field here says the day it holds in Thai with the Buddhist
era beneath it, and its label and help say how to read the calendar (docs/accessibility.md, "Known limits")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from streamlit.delta_generator import DeltaGenerator

from pages import _ui
from services.thai.dates import format_thai_date

CALENDAR_NOTE_TH = "ปฏิทินแสดงชื่อเดือนภาษาอังกฤษและปี ค.ศ. (พ.ศ. − 543) พิมพ์ได้ในรูป วว/ดด/ปปปป ค.ศ."
CALENDAR_NOTE_EN = "Type or pick the day as DD/MM/YYYY."


def said_in_thai(value: object, *, in_form: bool, empty_th: str = "ยังไม่ได้เลือกวันที่") -> str:
    """The caption under a date field: the day (or the two ends of a range) in Thai with the Buddhist era. In a
    form the page runs again only when the form's button is pressed, so the caption says when it follows a change."""
    days = [d for d in (value if isinstance(value, Sequence) else [value]) if isinstance(d, date)]
    if not days:
        return empty_th
    text = " ถึง ".join(format_thai_date(d) for d in days)
    if in_form:
        return f"ตรงกับ {text} (พ.ศ.) · เมื่อเปลี่ยนวันที่ ข้อความนี้เปลี่ยนตามเมื่อกดปุ่มของแบบฟอร์ม"
    return f"วันที่เลือก: {text} (พ.ศ.)"


def date_field(
    where: DeltaGenerator,
    label_th: str,
    label_en: str,
    *,
    key: str,
    help_th: str = "",
    help_en: str = "",
    in_form: bool = False,
    empty_th: str = "ยังไม่ได้เลือกวันที่",
    **options: Any,
) -> Any:
    """st.date_input in the column `where` (format DD/MM/YYYY unless given), with a Thai caption of its value in
    Thai mode. Returns what st.date_input returns (a date, None, or a tuple for a range)."""
    options.setdefault("format", "DD/MM/YYYY")
    value = where.date_input(
        _ui.t(label_th, label_en),
        key=key,
        help=_ui.t(" · ".join(filter(None, (help_th, CALENDAR_NOTE_TH))), help_en or CALENDAR_NOTE_EN),
        **options,
    )
    if _ui.lang() != "en":
        where.caption(said_in_thai(value, in_form=in_form, empty_th=empty_th))
    return value
