"""The judging-completeness desk for organisers: per work and per judge, the sheets expected, submitted, in draft
and missing; filters; reminders that reach the judge's page; the judging deadline."""

from datetime import datetime, time

import pandas as pd
import streamlit as st

from models import Role
from pages import _dates, _mail_reminders, _ui
from services.judging import completeness
from services.pitching import live
from services.thai.dates import BANGKOK, format_thai_datetime, to_bangkok

acc = _ui.require_role(Role.organiser)

ALL, BELOW, COMPLETE = "all", "below", "complete"

with _ui.db(read_only=True) as session:
    edition = _ui.edition_or_stop(session)
    state = completeness.edition_completeness(session=session, edition_id=edition.id)

st.title(_ui.t("ความครบถ้วนของการให้คะแนน", "Judging completeness"))
st.caption(edition.name)

expected = sum(w.expected for w in state.works)
submitted = sum(w.submitted for w in state.works)
c1, c2, c3 = st.columns(3)
c1.metric(
    _ui.t("ผลงานที่คะแนนครบองค์ประชุม", "Works fully judged"),
    f"{len(state.works) - len(state.below_quorum)}/{len(state.works)}",
)
c2.metric(_ui.t("ใบให้คะแนนที่ส่งแล้ว", "Sheets submitted"), f"{submitted}/{expected}")
c3.metric(_ui.t("ร่างที่ยังไม่ส่ง", "Drafts not submitted"), sum(w.draft for w in state.works))
rule = state.min_sheets
st.caption(
    _ui.t(
        "เกณฑ์องค์ประชุม: "
        + (
            "กรรมการที่ได้รับมอบหมายทุกคน (ยกเว้นผู้มีส่วนได้เสีย) ส่งใบให้คะแนนแล้ว"
            if rule is None
            else f"มีใบให้คะแนนที่ส่งแล้วอย่างน้อย {rule} ใบ"
        ),
        "Quorum: "
        + (
            "every assigned judge without a conflict has submitted"
            if rule is None
            else f"at least {rule} submitted sheets"
        ),
    )
)

# --- the quorum rule ------------------------------------------------------------------------------------------------
EVERY, AT_LEAST = "every", "at_least"
with st.expander(_ui.t("เกณฑ์องค์ประชุม", "Quorum rule"), icon=":material/rule:"):
    mode = st.radio(
        _ui.t("ผลงานหนึ่งนับว่าให้คะแนนครบเมื่อ", "A work counts as fully judged when"),
        [EVERY, AT_LEAST],
        index=0 if rule is None else 1,
        key="status_quorum_mode",
        horizontal=True,
        format_func=lambda m: {
            EVERY: _ui.t(
                "กรรมการที่ได้รับมอบหมายทุกคนส่งแล้ว (ยกเว้นผู้มีส่วนได้เสีย)",
                "every assigned judge without a conflict has submitted",
            ),
            AT_LEAST: _ui.t("มีใบให้คะแนนที่ส่งแล้วอย่างน้อย k ใบ", "at least k sheets are submitted"),
        }[m],
    )
    k = st.number_input(
        _ui.t("k (จำนวนใบขั้นต่ำ)", "k (fewest sheets)"),
        min_value=1,
        step=1,
        value=rule or 1,
        key="status_quorum_k",
        disabled=mode == EVERY,
    )
    if st.button(_ui.t("บันทึกเกณฑ์องค์ประชุม", "Save the quorum rule"), key="status_quorum_save"):
        with _ui.guard():
            with _ui.db() as session:
                completeness.set_quorum_rule(
                    session=session,
                    edition_id=edition.id,
                    actor=acc.username,
                    min_sheets=None if mode == EVERY else int(k),
                )
            _ui.results_changed()
            st.rerun()

# --- the deadline ---------------------------------------------------------------------------------------------------
with st.expander(_ui.t("กำหนดส่งคะแนน", "Judging deadline"), icon=":material/event:", expanded=state.deadline is None):
    if state.deadline is not None:
        st.write(
            _ui.t(
                f"กำหนดปัจจุบัน: {format_thai_datetime(state.deadline)}",
                f"Current deadline: {format_thai_datetime(state.deadline)}",
            )
        )
    shown = to_bangkok(state.deadline) if state.deadline else None
    d1, d2 = st.columns(2)
    day = _dates.date_field(d1, "วันที่", "Date", value=shown.date() if shown else None, key="status_deadline_date")
    at = d2.time_input(
        _ui.t("เวลา (กรุงเทพฯ)", "Time (Bangkok)"),
        value=shown.time() if shown else time(17, 0),
        key="status_deadline_time",
    )
    if st.button(_ui.t("บันทึกกำหนดส่งคะแนน", "Save the deadline"), key="status_deadline_save"):
        with _ui.guard():
            with _ui.db() as session:
                completeness.set_judging_deadline(
                    session=session,
                    edition_id=edition.id,
                    actor=acc.username,
                    deadline=datetime.combine(day, at, tzinfo=BANGKOK) if day else None,
                )
            st.rerun()
    _mail_reminders.hours_control(edition, acc.username)

# --- per work -------------------------------------------------------------------------------------------------------
st.header(_ui.t("รายผลงาน", "By work"))
names = {j.judge_id: j.display_name for j in state.judges}
f1, f2 = st.columns(2)
which = (
    f1.segmented_control(
        _ui.t("สถานะ", "State"),
        [ALL, BELOW, COMPLETE],
        default=BELOW,
        key="status_work_filter",
        format_func=lambda v: {
            ALL: _ui.t("ทั้งหมด", "all"),
            BELOW: _ui.t("ยังไม่ครบ", "below quorum"),
            COMPLETE: _ui.t("ครบแล้ว", "fully judged"),
        }[v],
    )
    or ALL
)
judge_id = f2.selectbox(
    _ui.t("กรรมการที่ยังค้าง", "Owed by judge"),
    [None, *names],
    key="status_judge_filter",
    format_func=lambda j: _ui.t("ทุกคน", "anyone") if j is None else names[j],
)
works = [
    w
    for w in state.works
    if (which == ALL or (which == BELOW) != w.meets_quorum)
    and (judge_id is None or any(m.judge_id == judge_id for m in w.missing))
]
work_columns = [
    _ui.t("หน่วยงาน", "Organisation"),
    _ui.t("ผลงาน", "Project"),
    _ui.t("ต้องส่ง", "Expected"),
    _ui.t("ส่งแล้ว", "Submitted"),
    _ui.t("ร่าง", "Draft"),
    _ui.t("ยังไม่ส่ง", "Missing"),
    _ui.t("ครบองค์ประชุม", "Quorum"),
    _ui.t("กรรมการที่ยังไม่ส่ง", "Still owed by"),
]
# A DataFrame with its columns even when the filter leaves no work: the headers say what is empty.
st.dataframe(
    pd.DataFrame(
        [
            (
                w.short_name,
                w.title,
                w.expected,
                w.submitted,
                w.draft,
                len(w.missing),
                _ui.t("✓ ครบ", "✓ met") if w.meets_quorum else _ui.t("⚠ ยังไม่ครบ", "⚠ not yet"),
                ", ".join(m.display_name for m in w.missing),
            )
            for w in works
        ],
        columns=work_columns,
    ),
    hide_index=True,
    width="stretch",
    key="status_works",
)

# --- per judge ------------------------------------------------------------------------------------------------------
st.header(_ui.t("รายกรรมการ", "By judge"))
st.dataframe(
    [
        {
            _ui.t("กรรมการ", "Judge"): j.display_name,
            _ui.t("หน่วยงาน", "Agency"): j.agency,
            _ui.t("ต้องส่ง", "Expected"): j.expected,
            _ui.t("ส่งแล้ว", "Submitted"): j.submitted,
            _ui.t("ร่าง", "Draft"): j.draft,
            _ui.t("ค้างส่ง", "Owed"): len(j.owed),
            _ui.t("ใช้งานล่าสุด", "Last activity"): format_thai_datetime(j.last_activity, "short")
            if j.last_activity
            else "—",
        }
        for j in state.judges
    ],
    hide_index=True,
    width="stretch",
    key="status_judges",
)

owing = [j for j in state.judges if j.owed]
if owing:
    chosen = st.multiselect(
        _ui.t("เตือนกรรมการ", "Remind judges"),
        [j.judge_id for j in owing],
        default=[j.judge_id for j in owing],
        key="status_remind_judges",
        # Our placeholder, and no typing to filter: Streamlit's "No results" is English only.
        placeholder=_ui.t("เลือกกรรมการ", "Choose judges"),
        filter_mode=None,
        format_func=lambda j: f"{names[j]} ({len(next(o for o in owing if o.judge_id == j).owed)})",
    )
    if st.button(
        _ui.t("ส่งคำเตือน", "Send the reminder"),
        key="status_remind",
        icon=":material/notifications:",
        disabled=not chosen,
    ):
        with _ui.guard():
            with _ui.db() as session:
                sent = live.remind(
                    session=session,
                    judge_ids=list(chosen),
                    actor=acc.username,
                    edition_id=edition.id,
                    live_session=False,
                )
            st.success(
                _ui.t(
                    f"ส่งคำเตือนถึงกรรมการ {sent} คนแล้ว จะแสดงในหน้าให้คะแนนของกรรมการ",
                    f"Reminded {sent} judges; it shows on their scoring page.",
                ),
                icon=":material/check:",
            )
else:
    st.success(
        _ui.t("กรรมการส่งใบให้คะแนนครบทุกใบแล้ว", "Every judge has submitted every sheet."), icon=":material/task_alt:"
    )
