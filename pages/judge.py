"""Judge's page: pick an assigned submission, score each criterion with a slider, save a draft or submit."""

import streamlit as st

from models import Role
from pages import _ui
from services import judging

acc = _ui.require_role(Role.judge)
st.title(_ui.t("ให้คะแนนผลงาน", "Score submissions"))

STATE_LABEL = {"none": ("⬜ ยังไม่ให้คะแนน", "⬜ not scored"), "draft": ("📝 ร่าง", "📝 draft"),
               "submitted": ("✅ ส่งแล้ว", "✅ submitted")}

with _ui.db() as session:
    edition = _ui.edition_or_stop(session)
    assignments = judging.list_assignments(session=session, judge_id=acc.id, edition_id=edition.id)

if not assignments:
    st.info(_ui.t("ยังไม่มีผลงานที่มอบหมายให้ท่าน", "No submissions are assigned to you yet."))
    st.stop()

done = sum(a.state == "submitted" for a in assignments)
st.progress(done / len(assignments), text=_ui.t(f"ส่งคะแนนแล้ว {done} จาก {len(assignments)} ผลงาน",
                                                 f"{done} of {len(assignments)} sheets submitted"))
by_id = {a.submission.id: a for a in assignments}


def _label(sub_id: int) -> str:
    a = by_id[sub_id]
    state = STATE_LABEL[a.state][0 if _ui.lang() == "th" else 1]
    return f"{state} · {a.submission.short_name} จ.{a.submission.province} · {a.submission.title[:70]}"


ids = list(by_id)
first_open = next((a.submission.id for a in assignments if a.state != "submitted"), ids[0])
if st.session_state.get("judge_submission") not in by_id:
    st.session_state["judge_submission"] = first_open
sub_id = st.selectbox(_ui.t("ผลงาน", "Submission"), ids, format_func=_label, key="judge_submission")

with _ui.db() as session:
    sheet = judging.get_sheet(session=session, judge_id=acc.id, submission_id=sub_id)

card = sheet.submission
st.subheader(card.title)
st.caption(f"{card.organisation} · จ.{card.province} · {card.category} · {card.receipt_code}")
locked = sheet.state == "submitted"
if locked:
    st.success(_ui.t("ส่งคะแนนผลงานนี้แล้ว หากต้องการแก้ไขกรุณาติดต่อผู้จัดงาน",
                     "This sheet is submitted; ask an organiser to reopen it if you need to change it."))

# A slider always shows a number, so "0" and "not scored yet" look alike: only criteria saved before or whose
# slider the judge moved are sent, and submitting with any left untouched is refused by the service.
touched: set[int] = st.session_state.setdefault("judge_touched", {}).setdefault(sub_id, set())


def _touch(criterion_id: int) -> None:
    touched.add(criterion_id)


points: dict[int, float] = {}
comments: dict[int, str] = {}
for i, c in enumerate(sheet.criteria, start=1):
    with st.container(border=True):
        left, right = st.columns([3, 2])
        with left:
            key = _ui.widget_key("judge_pts", sub_id, c.criterion_id)
            value = st.slider(
                f"{i}. {c.title_th if _ui.lang() == 'th' else c.title_en} ({_ui.t('เต็ม', 'max')} {c.max_points})",
                min_value=0.0, max_value=float(c.max_points), step=0.5,
                value=float(c.points) if c.points is not None else 0.0, key=key, disabled=locked,
                on_change=_touch, args=(c.criterion_id,),
            )
            if c.points is not None or c.criterion_id in touched:
                points[c.criterion_id] = value
            elif not locked:
                st.caption(_ui.t("⬜ ยังไม่ให้คะแนน — เลื่อนแถบเพื่อให้คะแนน", "⬜ not scored yet — move the slider"))
            comments[c.criterion_id] = st.text_input(
                _ui.t("ความเห็น", "Comment"), value=c.comment, key=_ui.widget_key("judge_cmt", sub_id, c.criterion_id),
                disabled=locked,
            )
        with right:
            st.caption(c.guidance_th)

overall = st.text_area(_ui.t("ความเห็นโดยรวม", "Overall comment"), value=sheet.overall_comment,
                       key=_ui.widget_key("judge_overall", sub_id), disabled=locked)
total = sum(points.values())
st.metric(_ui.t("คะแนนรวม", "Total"), f"{total:g} / {sheet.max_total}",
          _ui.t(f"ให้คะแนนแล้ว {len(points)} จาก {len(sheet.criteria)} เกณฑ์",
                f"{len(points)} of {len(sheet.criteria)} criteria scored"), delta_color="off", delta_arrow="off")

if not locked:
    save_col, submit_col = st.columns(2)
    save = save_col.button(_ui.t("💾 บันทึกร่าง", "💾 Save draft"), key="judge_save", width="stretch")
    send = submit_col.button(_ui.t("✅ ส่งคะแนน (แก้ไขไม่ได้อีก)", "✅ Submit (locks the sheet)"), type="primary",
                             key="judge_submit", width="stretch")
    if save or send:
        with _ui.guard(), _ui.db() as session:
            judging.save_sheet(session=session, judge_id=acc.id, submission_id=sub_id, points=points,
                               comments=comments, overall_comment=overall, submit=send, actor=acc.username)
            _ui.results_changed()
            st.session_state["judge_flash"] = _ui.t("ส่งคะแนนแล้ว", "Submitted.") if send else _ui.t(
                "บันทึกร่างแล้ว", "Draft saved.")
            st.rerun()

if flash := st.session_state.pop("judge_flash", None):
    st.toast(flash, icon="✅")
