"""Leaderboard and statistics for executives and organisers: live KPIs, ranking and charts."""

import streamlit as st

from models import Role
from pages import _ui
from services import charts, scoring

acc = _ui.require_role(Role.organiser, Role.executive)

METHOD_NAMES = {
    "mean": ("ค่าเฉลี่ยคะแนนรวมของกรรมการ", "Mean of the judges' totals"),
    "median": ("ค่ามัธยฐาน", "Median"),
    "trimmed_mean": ("ค่าเฉลี่ยตัดค่าสูงสุด-ต่ำสุด", "Trimmed mean"),
    "zscore": ("ปรับมาตรฐานรายกรรมการ (z-score)", "Per-judge z-score"),
}

with _ui.db() as session:
    edition = _ui.edition_or_stop(session)
    st.title(_ui.t("ผลคะแนนและสถิติ", "Leaderboard & statistics"))
    st.caption(edition.name)
    _ui.demo_notice(session, edition)

method = st.segmented_control(
    _ui.t("วิธีรวมคะแนน", "Aggregation"), options=[m.value for m in scoring.Method], default="mean",
    format_func=lambda m: METHOD_NAMES.get(m, (m, m))[0 if _ui.lang() == "th" else 1], key="board_method",
) or "mean"


@st.fragment(run_every=10)
def live() -> None:
    with _ui.guard():
        _live_body()


def _live_body() -> None:
    figures = _ui.cached_stats(edition.id)
    board = _ui.cached_leaderboard(edition.id, method)
    top_c, top_p = figures.top_category, figures.top_province
    k = st.columns(5)
    k[0].metric(_ui.t("ผลงาน", "Works"), figures.works)
    k[1].metric(_ui.t("อปท.", "Organisations"), figures.organisations)
    k[2].metric(_ui.t("จังหวัด", "Provinces"), figures.provinces)
    if top_c:
        k[3].metric(_ui.t("ประเภทที่มากที่สุด", "Top category"), top_c.label, f"{top_c.count} {_ui.t('ผลงาน', 'works')}",
                    delta_color="off", delta_arrow="off")
    k[4].metric(_ui.t("ความคืบหน้าการให้คะแนน", "Judging progress"), f"{figures.judging.percent:g}%",
                f"{figures.judging.sheets_submitted}/{figures.judging.sheets_expected}",
                delta_color="off", delta_arrow="off")
    notes = []
    if top_p:
        notes.append(_ui.t(f"จังหวัดที่มี อปท. ส่งผลงานมากที่สุด: {top_p.province} ({top_p.organisations} อปท.)",
                           f"Province with most organisations: {top_p.province} ({top_p.organisations})"))
    for org in figures.multi_work_organisations:
        notes.append(_ui.t(f"{org.label} ส่ง {org.count} ผลงาน", f"{org.label} sent {org.count} works"))
    if notes:
        st.caption(" · ".join(notes))

    st.subheader(_ui.t("อันดับ", "Ranking"))
    if not board.rows:
        st.info(_ui.t("ยังไม่มีใบให้คะแนนที่ส่งแล้ว", "No submitted score sheets yet."))
    else:
        table = [
            {
                _ui.t("อันดับ", "Rank"): f"{r.rank}{'=' if r.tied else ''}",
                _ui.t("หน่วยงาน", "Organisation"): r.short_name,
                _ui.t("จังหวัด", "Province"): r.province,
                _ui.t("ผลงาน", "Project"): r.title,
                _ui.t("ประเภท", "Category"): r.category,
                _ui.t("คะแนน", "Score"): r.score,
                _ui.t("กรรมการ", "Judges"): r.judge_count,
                "SD": r.spread_sd,
                **{f"C{i}": r.criterion_means.get(c.code) for i, c in enumerate(board.criteria, start=1)},
            }
            for r in board.rows
        ]
        st.dataframe(table, hide_index=True, width="stretch", key="board_table")
        st.caption(_ui.t("C1–C{n}: คะแนนเฉลี่ยรายเกณฑ์ · SD: ความต่างของคะแนนระหว่างกรรมการ · ผลงานที่ยังไม่มีคะแนน: {u}",
                         "C1–C{n}: mean points per criterion · SD: spread between judges · unscored: {u}")
                   .format(n=len(board.criteria), u=board.unscored))

    c1, c2 = st.columns(2)
    c1.plotly_chart(charts.counts_bar(figures.by_category, _ui.t("ผลงานตามประเภท", "Works by category")),
                    width="stretch", key="board_cat")
    c2.plotly_chart(charts.counts_bar(figures.by_org_type, _ui.t("อปท. ตามรูปแบบ", "Organisations by type")),
                    width="stretch", key="board_type")
    st.plotly_chart(charts.provinces_bar(figures.by_province, _ui.t("ตามจังหวัด", "By province"),
                                         organisations_label=_ui.t("อปท.", "organisations"),
                                         works_label=_ui.t("ผลงาน", "works")),
                    width="stretch", key="board_prov")
    if board.rows:
        st.plotly_chart(charts.criterion_heatmap(board, _ui.t("คะแนนรายเกณฑ์ (% ของคะแนนเต็ม)",
                                                              "Points per criterion (% of maximum)"), lang=_ui.lang()),
                        width="stretch", key="board_heat")


live()
