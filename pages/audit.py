"""Organisers' audit page: who changed what, before → after, when; filtered by kind, work, person, days; CSV."""

from datetime import date

import streamlit as st

from models import Role
from pages import _dates, _ui
from services.intake import screening
from services.platform import audit_log, auth
from services.platform.audit_log import AuditFilter
from services.thai.dates import format_thai_datetime

acc = _ui.require_role(Role.organiser)
st.title(_ui.t("บันทึกการเปลี่ยนแปลง", "Audit trail"))
st.caption(
    _ui.t(
        "ทุกการเปลี่ยนแปลงที่บุคคลทำในระบบ: ใคร ทำอะไร ค่าก่อน → หลัง และเมื่อใด (เวลาประเทศไทย)",
        "Every change a person made: who, what, before → after, and when (Bangkok time).",
    )
)

PAGE_SIZE = 50
ALL = "__all__"

with _ui.db(read_only=True) as session:
    edition = _ui.edition_or_stop(session)
    people = {a.id: a for a in auth.list_accounts(session=session)}
    works = {w.id: w for w in screening.list_for_organisers(session=session, edition_id=edition.id)}
    actors = audit_log.actors(session=session)

c1, c2, c3 = st.columns(3)
kind = c1.selectbox(
    _ui.t("ประเภท", "Kind"),
    [ALL, *audit_log.KINDS],
    key="audit_kind",
    format_func=lambda k: _ui.t("ทุกประเภท", "All kinds") if k == ALL else audit_log.kind_name(k, _ui.lang()),
)
work = c2.selectbox(
    _ui.t("ผลงาน", "Work"),
    [0, *works],
    key="audit_work",
    format_func=lambda w: (
        _ui.t("ทุกผลงาน", "All works")
        if w == 0
        else f"{works[w].receipt_code} · {works[w].short_name} · {works[w].title[:60]}"
    ),
)
person = c3.selectbox(
    _ui.t("บุคคล (บัญชีหรือใบให้คะแนนของผู้นั้น)", "Person (their account or sheets)"),
    [0, *people],
    key="audit_person",
    format_func=lambda p: _ui.t("ทุกคน", "Everyone") if p == 0 else f"{people[p].username} · {people[p].display_name}",
)
c4, c5 = st.columns([1, 2])
actor = c4.selectbox(
    _ui.t("ผู้ดำเนินการ", "Done by"),
    [ALL, *actors],
    key="audit_actor",
    format_func=lambda a: _ui.t("ทุกคน", "Anyone") if a == ALL else a,
)
days = _dates.date_field(
    c5, "ช่วงวันที่ (ว่างไว้ = ทั้งหมด)", "Days (empty = all)", value=[], key="audit_days", empty_th="ทุกวัน"
)
picked = [d for d in (days if isinstance(days, tuple | list) else [days]) if isinstance(d, date)]
where = AuditFilter(
    kind=None if kind == ALL else kind,
    actor=None if actor == ALL else actor,
    submission_id=work or None,
    user_id=person or None,
    since=picked[0] if picked else None,
    until=picked[-1] if picked else None,
)


def _csv(where: AuditFilter) -> bytes:
    with _ui.db(read_only=True) as session:
        return audit_log.export_csv(session=session, where=where, lang=_ui.lang())


page_no = max(1, int(st.session_state.get("audit_page", 1)))
with _ui.guard(), _ui.db(read_only=True) as session:
    found = audit_log.search(session=session, where=where, offset=(page_no - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = max(1, -(-found.total // PAGE_SIZE))
    if page_no > pages:  # the filter narrowed below the page shown: back to the first
        page_no = st.session_state["audit_page"] = 1
        found = audit_log.search(session=session, where=where, offset=0, limit=PAGE_SIZE)
    st.caption(_ui.t(f"พบ {found.total} รายการ", f"{found.total} events"))
    # A dataframe shows every cell as text: values may hold applicant text and are never read as Markdown.
    st.dataframe(
        [
            {
                _ui.t("เมื่อ", "When"): format_thai_datetime(e.at)
                if _ui.lang() == "th"
                else f"{e.at:%Y-%m-%d %H:%M} UTC",
                _ui.t("ผู้ดำเนินการ", "Who"): e.actor,
                _ui.t("รายการ", "What"): audit_log.action_name(e.action, _ui.lang()),
                _ui.t("ข้อมูล", "Record"): f"{e.entity} {e.entity_id}".strip(),
                _ui.t("ก่อน → หลัง", "Before → after"): audit_log.change_text(e.before, e.after),
            }
            for e in found.entries
        ],
        hide_index=True,
        width="stretch",
        key="audit_table",
    )
    n1, n2 = st.columns([1, 3], vertical_alignment="bottom")
    n1.number_input(
        _ui.t(f"หน้า (จาก {pages})", f"Page (of {pages})"), min_value=1, max_value=pages, step=1, key="audit_page"
    )
    n2.download_button(
        _ui.t("ดาวน์โหลด CSV (ตามตัวกรอง)", "Download CSV (as filtered)"),
        data=lambda: _csv(where),
        file_name="audit-trail.csv",
        mime="text/csv",
        icon=":material/download:",
        key="audit_csv",
        on_click="ignore",
    )
