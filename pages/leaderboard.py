"""Leaderboard and statistics for executives and organisers: live KPIs, ranking, Thailand, agreement, progress."""

from collections.abc import Sequence

import streamlit as st

from models import Role
from pages import _charts, _ui
from services.judging import rounds
from services.platform.safe_text import clean, md
from services.results import phrases as results_phrases
from services.results import ranking_table, scoring
from services.results.ranking import Leaderboard

acc = _ui.require_role(Role.organiser, Role.executive)

VIEWS = {
    "overview": ("ภาพรวม", "Overview"),
    "area": ("ทั่วประเทศและกลุ่ม", "Across Thailand"),
    "scores": ("การกระจายคะแนน", "Scores"),
    "work": ("รายผลงาน", "One work"),
    "trust": ("ความน่าเชื่อถือของผล", "How sure"),
    "progress": ("ความคืบหน้า", "Progress"),
}
# The ranking table's columns in pixels: rank, judges ("⚠ 9/10 กรรมการ"), score, organisation, province, category;
# each T/C column of points POINTS_WIDTH. TABLE_WIDTH is the page's width at 1440 pixels beside the sidebar.
FIXED_WIDTHS = (56, 124, 64, 150, 100, 100)
POINTS_WIDTH = 60
TABLE_WIDTH = 960
BIG_SCREEN_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stHeader"] {display: none;}
[data-testid="stMetricValue"] {font-size: 3.2rem;}
[data-testid="stMetricLabel"] p {font-size: 1.4rem;}
.stDataFrame {font-size: 1.3rem;}
</style>"""


def name_of(mapping: dict[str, tuple[str, str]], key: str) -> str:
    th, en = mapping.get(key, (key, key))
    return _ui.t(th, en)


with _ui.db(read_only=True) as session:
    edition = _ui.edition_or_stop(session)
    st.title(_ui.t("ผลคะแนนและสถิติ", "Leaderboard & statistics"))
    st.caption(edition.name)
    _ui.demo_notice(session, edition)
    listed = rounds.list_rounds(session=session, edition_id=edition.id)
shown_round = listed[rounds.current_of(listed) - 1]  # the round every ranking figure below reads
round_no: int | None = None  # one round: the current one, as every other page reads it
if len(listed) > 1:  # an edition judged in rounds: the current round unless the organiser looks back
    picked = st.selectbox(
        _ui.t("รอบการพิจารณา", "Judging round"),
        [r.position for r in listed],
        index=shown_round.position - 1,
        format_func=lambda n: _ui.t(f"รอบที่ {n}: ", f"Round {n}: ") + clean(listed[n - 1].name(_ui.lang())),
        key="board_round",
    )
    shown_round = listed[(picked or shown_round.position) - 1]
    round_no = shown_round.position

# The method selector has the page's width to itself: in a column beside the toggle its four Thai names were cut.
method = (
    st.segmented_control(
        _ui.t("วิธีรวมคะแนน", "Aggregation"),
        options=[m.value for m in scoring.Method],
        default=shown_round.method.value,
        format_func=lambda m: _ui.label(results_phrases.METHOD, m),
        key="board_method",
        width="stretch",
        wrap=True,
    )
    or shown_round.method.value
)
big_screen = st.toggle(
    _ui.t("โหมดจอใหญ่", "Big screen"),
    key="board_bigscreen",
    help=_ui.t(
        "สำหรับห้องประชุมคณะกรรมการ: ซ่อนเมนู ตัวอักษรใหญ่ เฉพาะอันดับต้น ๆ",
        "For the committee room: no menu, large type, the top of the ranking.",
    ),
)
if method != edition.config.aggregation_method.value:
    official = _ui.label(results_phrases.METHOD, edition.config.aggregation_method)
    st.caption(
        _ui.t(
            f"กำลังเปรียบเทียบ: รุ่นนี้ใช้ “{official}” เป็นวิธีตัดสินจริง",
            f"Comparing: this edition's official method is “{official}”.",
        )
    )
view = "overview"
if not big_screen:
    view = (
        st.segmented_control(
            _ui.t("มุมมอง", "View"),
            options=list(VIEWS),
            default="overview",
            format_func=lambda v: name_of(VIEWS, v),
            key="board_view",
        )
        or "overview"
    )


def kpis() -> None:
    figures = _ui.cached_stats(edition.id)
    top_c, top_p = figures.top_category, figures.top_province
    k = st.columns(5)
    k[0].metric(_ui.t("ผลงาน", "Works"), figures.works)
    k[1].metric(_ui.t("อปท.", "Organisations"), figures.organisations)
    k[2].metric(_ui.t("จังหวัด", "Provinces"), figures.provinces)
    if top_c:
        k[3].metric(
            _ui.t("ประเภทที่มากที่สุด", "Top category"),
            clean(top_c.label),
            f"{top_c.count} {_ui.t('ผลงาน', 'works')}",
            delta_color="off",
            delta_arrow="off",
        )
    k[4].metric(
        _ui.t("ความคืบหน้าการให้คะแนน", "Judging progress"),
        f"{int(figures.judging.percent)}%",
        f"{figures.judging.sheets_submitted}/{figures.judging.sheets_expected}",
        delta_color="off",
        delta_arrow="off",
    )
    notes = []
    if top_p:
        notes.append(
            _ui.t(
                f"จังหวัดที่มี อปท. ส่งผลงานมากที่สุด: {md(top_p.province)} ({top_p.organisations} อปท.)",
                f"Province with most organisations: {md(top_p.province)} ({top_p.organisations})",
            )
        )
    for org in figures.multi_work_organisations:
        notes.append(_ui.t(f"{md(org.label)} ส่ง {org.count} ผลงาน", f"{md(org.label)} sent {org.count} works"))
    if notes:
        st.caption(" · ".join(notes))


def ranking(limit: int | None = None) -> None:
    board = _ui.cached_leaderboard(edition.id, method, round_no)
    st.header(_ui.t("อันดับ", "Ranking"))
    if not board.rows:
        st.info(_ui.t("ยังไม่มีใบให้คะแนนที่ส่งแล้ว", "No submitted score sheets yet."))
        return
    chain = [link.label(_ui.lang()) for link in board.tie_breaks]
    table = _ui.cached_ranking_table(edition.id, method, _ui.lang(), round_no)
    shown = range(min(limit, len(table))) if limit is not None else ranking_page(table)
    # The judge count sits beside the rank, pinned, so it stays on screen however wide the table: a work below
    # quorum ("⚠ 1/10 กรรมการ") never reads as a full panel's score. Only the rows on screen are sent.
    rank_col, judges_col, score_col = _ui.t("อันดับ", "Rank"), _ui.t("กรรมการ", "Judges"), _ui.t("คะแนน", "Score")
    rows = table.page(shown)
    columns: dict[str, list[object]] = {
        rank_col: list(rows.rank),
        judges_col: list(rows.judges),
        score_col: list(rows.score),
        _ui.t("หน่วยงาน", "Organisation"): list(rows.organisation),
        _ui.t("จังหวัด", "Province"): list(rows.province),
        _ui.t("ผลงาน", "Project"): list(rows.title),
        _ui.t("ประเภท", "Category"): list(rows.category),
    }
    columns.update({f"T{n}": list(values) for n, values in enumerate(rows.tie_breaks, start=1)})
    # Ten criterion columns more would push the table past a 1440-pixel screen, its last column off to the right:
    # they come on request, and every column has a width that fits its content.
    if limit is None and st.session_state.get("board_criteria"):
        columns.update({f"C{n}": list(values) for n, values in enumerate(rows.criteria, start=1)})
    points = {
        name: st.column_config.NumberColumn(format="%.2f", width=POINTS_WIDTH)
        for name in columns
        if name[:1] in "TC" and name[1:].isdigit()
    }
    # The title takes what the other columns leave of a 1440-pixel screen beside the sidebar (TABLE_WIDTH).
    title_width = max(160, TABLE_WIDTH - sum(FIXED_WIDTHS) - POINTS_WIDTH * len(points))
    if board.below_quorum:
        st.warning(
            _ui.t(
                f"{board.below_quorum} ผลงานยังได้รับคะแนนไม่ครบองค์ประชุม (⚠) จึงจัดอันดับไว้ท้ายผลงานที่ครบแล้ว",
                f"{board.below_quorum} works are below the judging quorum (⚠) and are ranked after the "
                "fully judged ones.",
            ),
            icon=":material/warning:",
        )
    st.dataframe(
        columns,
        hide_index=True,
        width="stretch",
        key="board_table",
        height=min(38 + 35 * len(shown), 560 if limit is None else 420),
        column_config={
            rank_col: st.column_config.TextColumn(pinned=True, width=FIXED_WIDTHS[0]),
            judges_col: st.column_config.TextColumn(pinned=True, width=FIXED_WIDTHS[1]),
            score_col: st.column_config.NumberColumn(pinned=True, format="%.2f", width=FIXED_WIDTHS[2]),
            _ui.t("หน่วยงาน", "Organisation"): st.column_config.TextColumn(width=FIXED_WIDTHS[3]),
            _ui.t("จังหวัด", "Province"): st.column_config.TextColumn(width=FIXED_WIDTHS[4]),
            _ui.t("ประเภท", "Category"): st.column_config.TextColumn(width=FIXED_WIDTHS[5]),
            _ui.t("ผลงาน", "Project"): st.column_config.TextColumn(width=title_width),
        }
        | points,
    )
    if limit is None:
        st.toggle(
            _ui.t("แสดงคะแนนเฉลี่ยรายเกณฑ์ (C1–C{n})", "Show mean points per criterion (C1–C{n})").format(
                n=len(board.criteria)
            ),
            key="board_criteria",
        )
    st.caption(
        _ui.t("ตัดสินเมื่อคะแนนเท่ากัน: ", "Tie-break chain: ")
        + " → ".join([_ui.t("คะแนน", "score"), *(f"T{i} {c}" for i, c in enumerate(chain, start=1))])
        + _ui.t(
            " · “=” คือคะแนนเท่ากันทุกขั้น · C1–C{n}: คะแนนเฉลี่ยรายเกณฑ์ · ผลงานที่ยังไม่มีคะแนน: {u}",
            " · “=” ties after the whole chain · C1–C{n}: mean points per criterion · unscored: {u}",
        ).format(n=len(board.criteria), u=board.unscored)
    )


def ranking_page(table: ranking_table.RankingTable) -> Sequence[int]:
    """The search box, the page size and the page: the rows of the ranking to show."""
    c = st.columns([4, 1, 1])
    query = c[0].text_input(
        _ui.t("ค้นหาหน่วยงาน จังหวัด หรือชื่อผลงาน", "Search organisation, province or project"),
        key="board_search",
        placeholder=_ui.t("เช่น เชียงราย", "e.g. Chiang Rai"),
    )
    size = c[1].selectbox(
        _ui.t("แถวต่อหน้า", "Rows per page"),
        ranking_table.PAGE_SIZES,
        index=ranking_table.PAGE_SIZES.index(ranking_table.DEFAULT_PAGE_SIZE),
        key="board_page_size",
    )
    found = table.matching(query)
    pages = ranking_table.page_count(len(found), size)
    if st.session_state.get("board_page", 1) > pages:  # a narrower search or larger pages: back to the last page
        st.session_state["board_page"] = pages
    page = int(c[2].number_input(_ui.t("หน้า", "Page"), min_value=1, max_value=pages, step=1, key="board_page"))
    st.caption(
        _ui.t(
            f"หน้า {page} จาก {pages} · {len(found):,} จาก {len(table):,} ผลงาน",
            f"Page {page} of {pages} · {len(found):,} of {len(table):,} works",
        )
    )
    return ranking_table.page_rows(found, page=page, size=size)


def overview() -> None:
    figures = _ui.cached_stats(edition.id)
    board = _ui.cached_leaderboard(edition.id, method, round_no)
    c1, c2 = st.columns(2)
    c1.plotly_chart(
        _charts.counts_bar(figures.by_category, _ui.t("ผลงานตามประเภท", "Works by category")),
        width="stretch",
        key="board_cat",
    )
    c2.plotly_chart(
        _charts.counts_bar(figures.by_org_type, _ui.t("อปท. ตามรูปแบบ", "Organisations by type")),
        width="stretch",
        key="board_type",
    )
    st.plotly_chart(
        _charts.province_tile_map(
            figures.by_province,
            _ui.t("ผลงานตามจังหวัด", "Works by province"),
            works_label=_ui.t("ผลงาน", "works"),
            lang=_ui.lang(),
        ),
        width="stretch",
        key="board_map",
    )
    if board.rows:
        st.plotly_chart(
            _charts.criterion_heatmap(
                board, _ui.t("คะแนนรายเกณฑ์ (% ของคะแนนเต็ม)", "Points per criterion (% of maximum)"), lang=_ui.lang()
            ),
            width="stretch",
            key="board_heat",
        )
        criterion_key(board)


def area() -> None:
    figures = _ui.cached_stats(edition.id)
    st.plotly_chart(
        _charts.provinces_bar(
            figures.by_province,
            _ui.t("ตามจังหวัด", "By province"),
            organisations_label=_ui.t("อปท.", "organisations"),
            works_label=_ui.t("ผลงาน", "works"),
        ),
        width="stretch",
        key="board_prov",
    )
    c1, c2 = st.columns(2)
    c1.plotly_chart(
        _charts.counts_bar(figures.by_region, _ui.t("ผลงานตามภูมิภาค", "Works by region")),
        width="stretch",
        key="board_region",
    )
    c2.plotly_chart(
        _charts.counts_bar(
            figures.by_golive_year,
            _ui.t("ผลงานตามปีที่เริ่มใช้งานจริง (พ.ศ.)", "Works by go-live year (BE)"),
            horizontal=False,
        ),
        width="stretch",
        key="board_golive",
    )
    c3, c4 = st.columns(2)
    c3.plotly_chart(
        _charts.counts_bar(figures.by_developer, _ui.t("พัฒนาเองหรือร่วมพัฒนากับผู้ประกอบการ", "In-house or with a partner")),
        width="stretch",
        key="board_dev",
    )
    c4.plotly_chart(
        _charts.counts_bar(figures.by_category, _ui.t("ผลงานตามประเภท", "Works by category")),
        width="stretch",
        key="board_cat2",
    )


def scores() -> None:
    board = _ui.cached_leaderboard(edition.id, method, round_no)
    if not board.rows:
        st.info(_ui.t("ยังไม่มีใบให้คะแนนที่ส่งแล้ว", "No submitted score sheets yet."))
        return
    st.plotly_chart(
        _charts.score_histogram(board, _ui.t("การกระจายของคะแนน", "Score distribution")),
        width="stretch",
        key="board_hist",
    )
    attribute = (
        st.segmented_control(
            _ui.t("เปรียบเทียบตาม", "Compare by"),
            options=["region", "org_type", "category", "golive_year_be"],
            default="region",
            key="board_by",
            format_func=lambda a: {
                "region": _ui.t("ภูมิภาค", "region"),
                "org_type": _ui.t("รูปแบบ อปท.", "type"),
                "category": _ui.t("ประเภท", "category"),
                "golive_year_be": _ui.t("ปีที่เริ่มใช้", "go-live year"),
            }[a],
        )
        or "region"
    )
    st.plotly_chart(
        _charts.scores_by(board, attribute, _ui.t("คะแนนตามกลุ่ม", "Scores by group")), width="stretch", key="board_box"
    )
    st.plotly_chart(
        _charts.criterion_heatmap(
            board,
            _ui.t("คะแนนรายเกณฑ์ (% ของคะแนนเต็ม)", "Points per criterion (% of maximum)"),
            lang=_ui.lang(),
            top=len(board.rows),
        ),
        width="stretch",
        key="board_heat_all",
    )
    criterion_key(board)


def criterion_key(board: Leaderboard) -> None:
    """The heat map's columns by name, under it: the chart numbers them (twelve Thai titles side by side would be cut
    or tilted), and its hover names them only for those with a mouse."""
    names = [f"{i}. {md(c.title(_ui.lang()))}" for i, c in enumerate(board.criteria, start=1)]
    st.caption(_ui.t("เกณฑ์: ", "Criteria: ") + " · ".join(names))


def one_work() -> None:
    board = _ui.cached_leaderboard(edition.id, method, round_no)
    if not board.rows:
        st.info(_ui.t("ยังไม่มีใบให้คะแนนที่ส่งแล้ว", "No submitted score sheets yet."))
        return
    by_id = {r.submission_id: r for r in board.rows}
    chosen = st.selectbox(
        _ui.t("ผลงาน", "Work"),
        options=list(by_id),
        key="board_work",
        format_func=lambda s: clean(f"{by_id[s].rank}. {by_id[s].short_name} — {by_id[s].title[:60]}"),
    )
    row = by_id[chosen]
    st.plotly_chart(
        _charts.radar(
            row,
            board.criteria,
            row.title[:80],
            lang=_ui.lang(),
            comparison=_charts.average_profile(board),
            row_label=row.short_name,
            comparison_label=_ui.t("ค่าเฉลี่ยทุกผลงาน", "average of all works"),
        ),
        width="stretch",
        key="board_radar",
    )
    st.caption(
        _ui.t(
            f"อันดับ {row.rank} · คะแนน {row.score:.2f} · กรรมการ {row.judge_count} คน · SD {row.spread_sd:.2f}",
            f"Rank {row.rank} · score {row.score:.2f} · {row.judge_count} judges · SD {row.spread_sd:.2f}",
        )
    )


def trust() -> None:
    agreement = _ui.cached_agreement(edition.id, round_no)
    board = _ui.cached_leaderboard(edition.id, method, round_no)

    def fmt(v: float | None) -> str:
        return "—" if v is None else f"{v:.2f}"

    k = st.columns(3)
    k[0].metric(_ui.t("ความสอดคล้องของอันดับ (Kendall's W)", "Kendall's W"), fmt(agreement.kendalls_w))
    k[1].metric(_ui.t("ความสอดคล้องของคะแนน (ICC 2,1)", "ICC(2,1)"), fmt(agreement.icc))
    k[2].metric(
        _ui.t("ผลงานที่นำมาคำนวณ", "Works counted"),
        agreement.submissions,
        _ui.t(
            f"กรรมการ {agreement.judges} คน · {agreement.panels} คณะ",
            f"{agreement.judges} judges · {agreement.panels} panels",
        ),
        delta_color="off",
        delta_arrow="off",
    )
    st.caption(
        _ui.t(
            "W = 1 คือกรรมการทุกคนเรียงลำดับตรงกัน, 0 คือไม่สอดคล้องเลย · ICC ใกล้ 1 คือคะแนนของกรรมการคนเดียว"
            "ใช้แทนคณะได้ · คำนวณในแต่ละคณะ (กลุ่มผลงานที่กรรมการชุดเดียวกันให้คะแนนครบ อย่างน้อย 3 ผลงาน) "
            "แล้วเฉลี่ยถ่วงน้ำหนักตามจำนวนผลงาน",
            "W = 1: every judge orders the works alike; 0: no agreement · ICC near 1: one judge's score could "
            "stand for the panel's · within each panel (the works scored by exactly the same judges, at "
            "least 3), averaged by the panels' numbers of works.",
        )
    )
    titles = {c.code: f"{c.position}. {c.title(_ui.lang())}" for c in board.criteria}
    st.dataframe(
        [
            {_ui.t("เกณฑ์", "Criterion"): titles.get(code, code), "W": w, "ICC": i}
            for code, w, i in agreement.by_criterion
        ],
        hide_index=True,
        width="stretch",
        key="board_agree",
    )
    proposal = _ui.cached_proposal(edition.id, method)
    st.header(_ui.t("ความมั่นคงของเส้นตัดรางวัล", "Award cut-offs under resampling"))
    for check in proposal.cutoffs:
        level = proposal.plan.level(check.level_code).name(_ui.lang())
        inside, outside = ", ".join(map(md, check.inside)), ", ".join(map(md, check.outside)) or "—"
        text = _ui.t(
            f"{level} (ตัดที่อันดับ {check.cutoff}): {inside} อยู่ในเส้น {check.inside_probability:.0%} "
            f"ของการสุ่ม · {outside} เข้ามาได้ {check.outside_probability:.0%}",
            f"{level} (cut at rank {check.cutoff}): {inside} stays in {check.inside_probability:.0%} "
            f"of resamples · {outside} gets in {check.outside_probability:.0%}",
        )
        if check.stable and not check.exact_tie:
            st.success(text, icon=":material/check_circle:")
        else:
            st.warning(_ui.t("อยู่ในช่วงความคลาดเคลื่อน: ", "Within the noise: ") + text, icon=":material/warning:")


def progress() -> None:
    figures = _ui.cached_stats(edition.id)
    timeline = _ui.cached_timeline(edition.id)
    st.plotly_chart(
        _charts.progress_line(
            timeline,
            figures.judging.sheets_expected,
            _ui.t("ใบให้คะแนนที่ส่งแล้วสะสม", "Score sheets submitted, cumulative"),
            submitted_label=_ui.t("ส่งแล้ว", "submitted"),
            expected_label=_ui.t("ทั้งหมดที่ต้องส่ง", "expected"),
            lang=_ui.lang(),
        ),
        width="stretch",
        key="board_progress",
    )


@st.fragment(run_every=10)
def live() -> None:
    with _ui.guard():
        kpis()
        if big_screen:
            st.html(BIG_SCREEN_CSS)
            ranking(limit=10)
            return
        ranking()
        {"overview": overview, "area": area, "scores": scores, "work": one_work, "trust": trust, "progress": progress}[
            view
        ]()


live()
