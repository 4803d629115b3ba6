"""The public results of an announced edition, for anyone without signing in: the awards as announced with the
approved descriptions, the edition's figures, and the open-data files. Shared per edition as ?edition=<year>."""

import streamlit as st

from pages import _charts, _ui
from services.platform.errors import Forbidden
from services.platform.safe_text import md
from services.results import announcement, public_page


@st.cache_data(ttl=60, show_spinner=False)
def _results(edition_id: int) -> public_page.PublicResults:
    # Read by everyone who opens a shared link, changed only by the organisers: kept a minute.
    with _ui.db(read_only=True) as session:
        return public_page.public_results(session=session, edition_id=edition_id)


@st.cache_data(ttl=60, show_spinner=False)
def _open_data(edition_id: int) -> public_page.OpenData:
    with _ui.db(read_only=True) as session:
        return public_page.open_data(session=session, edition_id=edition_id)


def _year_asked() -> int | None:
    raw = st.query_params.get("edition", "")
    return int(raw) if raw.isdigit() and len(raw) == 4 else None


st.title(_ui.t("ผลการตัดสิน", "Results"))
with _ui.db(read_only=True) as session:
    years = public_page.announced_years(session=session)
asked = _year_asked()
if len(years) > 1:
    chosen = st.selectbox(
        _ui.t("ปีการประกวด (พ.ศ.)", "Edition (Buddhist-era year)"),
        years,
        key="public_year",
        index=years.index(asked) if asked in years else 0,
    )
    if chosen != asked:
        st.query_params["edition"] = str(chosen)  # the address in the browser is the one to share
    asked = chosen
try:
    with _ui.db(read_only=True) as session:
        edition_id = public_page.edition_for_year(session=session, year_be=asked)
    results = _results(edition_id)
except Forbidden:
    st.info(
        _ui.t(
            "ยังไม่ประกาศผลการตัดสิน กรุณากลับมาตรวจสอบอีกครั้งหลังวันประกาศผล",
            "The results are not out yet. Please check again after the announcement.",
        ),
        icon=":material/hourglass_top:",
    )
    st.stop()

# The edition's name reads as the title's second line, not a section: the award levels are the sections.
st.markdown(f"**{md(results.edition_name)}**")
if results.theme:
    st.caption(_ui.t(f"ภายใต้แนวคิด “{results.theme}”", f"Theme: “{results.theme}”"))
if results.demo_note_th:
    st.info(_ui.t(results.demo_note_th, announcement.DEMO_NOTE_EN), icon=":material/science:")

for level in results.levels:
    st.header(level.name_th, divider="blue")
    if level.note_th:
        st.caption(level.note_th)
    for winner in level.winners:
        with st.container(border=True):
            # Applicant text, shown as text: md() makes every Markdown sign literal.
            st.markdown(f"**{md(winner.title)}**")
            st.markdown(f"{md(winner.organisation)} {md(announcement.province_label(winner.province))}")
            if winner.description:
                st.markdown(md(winner.description, multiline=True))

st.header(_ui.t("สถิติการประกวด", "The edition in figures"), divider="gray")
c1, c2, c3 = st.columns(3)
c1.metric(_ui.t("ผลงาน", "Works"), f"{results.works:,}")
c2.metric(_ui.t("หน่วยงาน", "Organisations"), f"{results.organisations:,}")
c3.metric(_ui.t("จังหวัด", "Provinces"), f"{results.provinces:,}")
if results.by_category:
    st.plotly_chart(
        _charts.counts_bar(results.by_category, _ui.t("ผลงานตามประเภท", "Works by category")), key="public_categories"
    )
with st.expander(_ui.t("แผนที่จำนวนผลงานรายจังหวัด", "Works by province, on the map"), icon=":material/map:"):
    st.plotly_chart(
        _charts.province_tile_map(
            results.by_province,
            _ui.t("ผลงานรายจังหวัด", "Works by province"),
            works_label=_ui.t("ผลงาน", "works"),
            lang=_ui.lang(),
        ),
        key="public_map",
    )

st.header(_ui.t("ข้อมูลเปิด", "Open data"), divider="gray")
st.caption(
    _ui.t(
        "รายชื่อผลงานและผลรางวัล ในรูปแบบเปิดที่เครื่องอ่านได้ (ไม่มีคะแนนรายกรรมการและข้อมูลส่วนบุคคล)",
        "The works and their awards, machine-readable (no judges' scores, no personal data).",
    )
)
stem = f"ldaward-results-{results.year_be}"
d1, d2, d3 = st.columns(3)
for column, (kind, mime) in zip(
    (d1, d2, d3),
    (
        ("csv", "text/csv"),
        ("json", "application/json"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ),
    strict=True,
):
    column.download_button(
        kind.upper(),
        data=getattr(_open_data(results.edition_id), kind),
        file_name=f"{stem}.{kind}",
        mime=mime,
        key=f"public_{kind}",
        icon=":material/download:",
        on_click="ignore",
    )
