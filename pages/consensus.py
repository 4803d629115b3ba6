"""Organisers' consensus and calibration view: where the committee disagrees, and which judges lean harsh or lenient."""

import streamlit as st

from models import Role
from pages import _ui
from services.judging import consensus
from services.judging import phrases as judging_phrases
from services.platform.safe_text import clean

acc = _ui.require_role(Role.organiser)
st.title(_ui.t("ความเห็นพ้องของกรรมการ", "Committee consensus"))

with _ui.db() as session:
    edition = _ui.edition_or_stop(session)
    view = consensus.consensus(session=session, edition_id=edition.id)

th = _ui.lang() == "th"
st.caption(
    _ui.t(
        f"จากใบให้คะแนนที่ส่งแล้วเท่านั้น ไม่นับกรรมการที่มีส่วนได้เสีย · เกณฑ์ถูกทำเครื่องหมายเมื่อส่วนเบี่ยงเบนมาตรฐาน"
        f"ของกรรมการเกิน {view.threshold:g} คะแนน",
        f"Submitted sheets only, conflicted judges left out · a criterion is flagged when the judges' "
        f"standard deviation exceeds {view.threshold:g} points",
    )
)
c1, c2 = st.columns(2)
c1.metric(_ui.t("ผลงานที่กรรมการเห็นต่างกันมาก", "Submissions flagged"), f"{len(view.flagged)} / {len(view.submissions)}")
leaning = [j for j in view.judges if j.lean in (consensus.Lean.harsh, consensus.Lean.lenient)]
c2.metric(_ui.t("กรรมการที่ให้คะแนนต่างจากคณะ", "Judges leaning"), f"{len(leaning)} / {len(view.judges)}")

tab_subs, tab_judges = st.tabs([_ui.t("รายผลงาน", "By submission"), _ui.t("รายกรรมการ", "By judge")])
with tab_subs:
    only_flagged = st.toggle(
        _ui.t("แสดงเฉพาะผลงานที่ต้องหารือในที่ประชุม", "Only those for the committee meeting"),
        value=bool(view.flagged),
        key="consensus_only_flagged",
    )
    shown = view.flagged if only_flagged else view.submissions
    st.dataframe(
        [
            {
                _ui.t("ผลงาน", "Submission"): s.short_name,
                _ui.t("ชื่อผลงาน", "Title"): s.title,
                _ui.t("กรรมการ", "Judges"): s.judges,
                _ui.t("คะแนนเฉลี่ย", "Mean"): s.mean_total,
                "SD": s.total_sd,
                _ui.t("สูงสุด−ต่ำสุด", "Max−min"): s.total_range,
                _ui.t("เกณฑ์ที่เห็นต่าง", "Flagged criteria"): ", ".join(c.code for c in s.flagged),
            }
            for s in shown
        ],
        hide_index=True,
        width="stretch",
        key="consensus_subs",
    )
    by_id = {s.submission_id: s for s in view.submissions}
    pick = st.selectbox(
        _ui.t("ดูรายเกณฑ์", "Criteria of"),
        list(by_id),
        key="consensus_pick",
        format_func=lambda i: clean(f"{by_id[i].short_name} · {by_id[i].title[:60]}"),
    )
    if pick is not None:
        st.dataframe(
            [
                {
                    _ui.t("เกณฑ์", "Criterion"): c.title_th if th else c.title_en,
                    _ui.t("เต็ม", "Max"): c.max_points,
                    _ui.t("เฉลี่ย", "Mean"): c.mean,
                    "SD": c.sd,
                    _ui.t("สูงสุด−ต่ำสุด", "Max−min"): c.range,
                    _ui.t("เห็นต่าง", "Flagged"): "●" if c.flagged else "",
                }
                for c in by_id[pick].criteria
            ],
            hide_index=True,
            width="stretch",
            key="consensus_criteria",
        )

with tab_judges:
    st.caption(
        _ui.t(
            f"ส่วนต่าง = คะแนนรวมของกรรมการ ลบ ค่าเฉลี่ยของกรรมการคนอื่นในผลงานเดียวกัน; "
            f"ต่ำกว่า −{consensus.LEAN_POINTS:g} คือเข้ม สูงกว่า +{consensus.LEAN_POINTS:g} คือให้คะแนนสูง",
            f"Offset = the judge's total minus the other judges' mean on the same submission; below "
            f"−{consensus.LEAN_POINTS:g} is harsh, above +{consensus.LEAN_POINTS:g} lenient",
        )
    )
    st.dataframe(
        [
            {
                _ui.t("กรรมการ", "Judge"): j.username,
                _ui.t("หน่วยงาน", "Agency"): j.agency,
                _ui.t("ส่งแล้ว/มอบหมาย", "Done/assigned"): f"{j.submitted}/{j.assigned}",
                _ui.t("คะแนนรวมเฉลี่ย", "Mean total"): j.mean_total,
                _ui.t("ส่วนต่างเฉลี่ย", "Mean offset"): j.mean_offset,
                _ui.t("SD ของส่วนต่าง", "Offset SD"): j.offset_sd,
                _ui.t("แนวโน้ม", "Lean"): _ui.label(judging_phrases.LEAN, j.lean),
            }
            for j in view.judges
        ],
        hide_index=True,
        width="stretch",
        key="consensus_judges",
    )
