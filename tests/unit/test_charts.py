"""Chart builders are pure: checked on fig.data (the offline map of 77 tiles, radar, groups, progress)."""

from datetime import date

from pages import _charts
from services.contest.editions import CriterionView
from services.results.ranking import Leaderboard, LeaderboardRow, WorkDetails
from services.results.scoring import Method
from services.results.stats import DayProgress, ProvinceCount
from services.thai import geo

CRITERIA = (CriterionView(1, 1, "a", "ก", "A", "", 10, True), CriterionView(2, 2, "b", "ข", "B", "", 5, True))


def row(sid, score, region, means):
    work = WorkDetails(f"ผลงาน {sid}", "อปท.", f"ทต.{sid}", "ตาก", "E-Service", "", region, None, "", "")
    return LeaderboardRow(
        rank=sid,
        tied=False,
        submission_id=sid,
        score=score,
        tie_break_values=(),
        judge_count=3,
        spread_sd=1.0,
        criterion_means=means,
        judges_expected=3,
        meets_quorum=True,
        work=work,
    )


BOARD = Leaderboard(
    1,
    Method.mean,
    CRITERIA,
    (
        row(1, 80, "ภาคเหนือ", {"a": 8.0, "b": 4.0}),
        row(2, 60, "ภาคใต้", {"a": 6.0, "b": 2.5}),
        row(3, 70, "ภาคเหนือ", {"a": 7.0}),
    ),
    0,
    (),
)


def test_the_tile_map_draws_all_77_provinces_from_the_projects_own_grid():
    fig = _charts.province_tile_map(
        [ProvinceCount("เชียงราย", "ภาคเหนือ", 6, 6), ProvinceCount("ภูเก็ต", "ภาคใต้", 2, 3)], "แผนที่", works_label="ผลงาน"
    )
    trace = fig.data[0]
    assert len(trace.x) == 77 == len(geo.PROVINCES)
    colours = dict(zip(trace.hovertext, trace.marker.color, strict=True))
    assert colours["เชียงราย: 6 ผลงาน"] == 6 and colours["ภูเก็ต: 3 ผลงาน"] == 3
    assert sum(trace.marker.color) == 9
    chiang_rai = geo.province_by_name("เชียงราย")
    i = list(trace.hovertext).index("เชียงราย: 6 ผลงาน")
    assert (trace.x[i], trace.y[i]) == (chiang_rai.tile[1], -chiang_rai.tile[0])
    # No geo trace: nothing for plotly to fetch from a CDN.
    assert all(t.type == "scatter" for t in fig.data)


def test_the_radar_shows_shares_of_each_criterions_maximum_and_closes_its_outline():
    fig = _charts.radar(BOARD.rows[0], CRITERIA, "r", comparison=_charts.average_profile(BOARD), comparison_label="avg")
    assert list(fig.data[0].r) == [80.0, 80.0, 80.0]
    assert fig.data[0].theta[0] == fig.data[0].theta[-1]
    assert list(fig.data[1].r) == [70.0, 65.0, 70.0]  # a: (8+6+7)/3 = 7 of 10; b: (4+2.5)/2 = 3.25 of 5


def test_scores_by_group_gives_one_box_per_group_largest_first():
    fig = _charts.scores_by(BOARD, "region", "t")
    assert [(t.name, list(t.y)) for t in fig.data] == [("ภาคเหนือ (2)", [80, 70]), ("ภาคใต้ (1)", [60])]


def test_progress_line_is_cumulative_with_the_expected_total():
    days = (DayProgress(date(2021, 8, 2), 15, 15), DayProgress(date(2021, 8, 3), 17, 32))
    fig = _charts.progress_line(days, 45, "t", submitted_label="s", expected_label="e")
    assert list(fig.data[0].y) == [15, 32] and list(fig.data[1].y) == [45, 45]


def test_applicant_text_in_every_chart_is_literal_not_plotly_html():
    from dataclasses import replace

    from services.results.stats import Count

    evil = '<a href="http://evil.example">คลิก</a><b>x</b>\u202e'
    board = replace(
        BOARD,
        rows=tuple(replace(r, work=r.work._replace(title=evil, short_name=evil, category=evil)) for r in BOARD.rows),
    )
    figures = [
        _charts.criterion_heatmap(board, "h"),
        _charts.scores_by(board, "category", "s"),
        _charts.radar(board.rows[0], CRITERIA, board.rows[0].title, row_label=evil),
        _charts.counts_bar([Count(evil, 3)], "c"),
        _charts.provinces_bar([ProvinceCount(evil, "ภาคเหนือ", 1, 1)], "p", organisations_label="o", works_label="w"),
    ]
    texts = []
    for fig in figures:
        texts.append(fig.layout.title.text)
        for trace in fig.data:
            for attr in ("x", "y", "theta", "name", "text"):
                value = getattr(trace, attr, None)
                texts += [str(v) for v in value] if isinstance(value, (tuple, list)) else [str(value)]
    shown = [t for t in texts if "คลิก" in t]
    assert len(shown) >= 6  # every builder above draws the applicant's text somewhere
    assert all("<" not in t and ">" not in t and "\u202e" not in t for t in texts)
    assert all("&lt;a href=&quot;http://evil.example&quot;&gt;คลิก&lt;/a&gt;" in t for t in shown)


# --- honest charts (issue 17, item 3) ---------------------------------------------------------------------------


def _axis_starts_at_zero(axis) -> bool:
    return axis.rangemode == "tozero" or (axis.range is not None and axis.range[0] == 0)


def test_every_value_axis_starts_at_zero_so_bar_lengths_compare_honestly():
    from services.results.stats import Count

    counts = [Count("E-Service", 30), Count("Open Data", 28)]
    horizontal, vertical = _charts.counts_bar(counts, "h"), _charts.counts_bar(counts, "v", horizontal=False)
    assert _axis_starts_at_zero(horizontal.layout.xaxis) and _axis_starts_at_zero(vertical.layout.yaxis)
    provinces = _charts.provinces_bar(
        [ProvinceCount("ตาก", "ภาคเหนือ", 3, 4)], "p", organisations_label="o", works_label="w"
    )
    assert _axis_starts_at_zero(provinces.layout.yaxis)
    histogram = _charts.score_histogram(BOARD, "s")
    assert tuple(histogram.layout.xaxis.range) == (0, 100) and _axis_starts_at_zero(histogram.layout.yaxis)
    assert tuple(_charts.scores_by(BOARD, "region", "g").layout.yaxis.range) == (0, 100)
    days = (DayProgress(date(2021, 8, 2), 15, 15), DayProgress(date(2021, 8, 3), 17, 32))
    assert _axis_starts_at_zero(
        _charts.progress_line(days, 45, "t", submitted_label="s", expected_label="e").layout.yaxis
    )


def test_points_show_two_decimals_and_shares_whole_percentages():
    assert _charts.score_histogram(BOARD, "s").layout.xaxis.hoverformat == ".2f"
    assert _charts.scores_by(BOARD, "region", "g").layout.yaxis.hoverformat == ".2f"
    heat = _charts.criterion_heatmap(BOARD, "h")
    assert "%{z:.0f}%" in heat.data[0].hovertemplate and heat.data[0].colorbar.tickformat == ".0f"
    radar = _charts.radar(BOARD.rows[0], CRITERIA, "r")
    assert "%{r:.0f}%" in radar.data[0].hovertemplate
    assert radar.layout.polar.radialaxis.tickformat == ".0f" and radar.layout.polar.radialaxis.ticksuffix == "%"


def test_progress_dates_are_thai_with_the_buddhist_era_and_english_when_switched():
    days = tuple(DayProgress(date(2021, 8, d), 1, d) for d in range(2, 5))
    fig = _charts.progress_line(days, 45, "t", submitted_label="s", expected_label="e")
    assert list(fig.layout.xaxis.ticktext) == ["2 ส.ค. 64", "3 ส.ค. 64", "4 ส.ค. 64"]
    assert list(fig.layout.xaxis.tickvals) == [date(2021, 8, d) for d in range(2, 5)]
    assert list(fig.data[0].customdata) == ["2 ส.ค. 64", "3 ส.ค. 64", "4 ส.ค. 64"]
    english = _charts.progress_line(days, 45, "t", submitted_label="s", expected_label="e", lang="en")
    assert english.layout.xaxis.ticktext[0] == "2 Aug 2021"
    month = tuple(DayProgress(date(2021, 8, 1) + (date(2021, 8, 2) - date(2021, 8, 1)) * i, 1, i) for i in range(31))
    assert (
        len(_charts.progress_line(month, 0, "t", submitted_label="s", expected_label="e").layout.xaxis.tickvals) <= 11
    )


def test_no_province_name_is_cut_on_the_tile_map_in_either_language():
    import unicodedata

    def width(line: str) -> int:  # what takes room on the tile: Thai vowel and tone marks sit above or below
        return sum(1 for ch in line if unicodedata.category(ch) != "Mn")

    for lang in ("th", "en"):
        fig = _charts.province_tile_map(
            [ProvinceCount("พระนครศรีอยุธยา", "ภาคกลาง", 1, 12)], "m", works_label="w", lang=lang
        )
        labels = list(fig.data[0].text)
        for province, label in zip(geo.PROVINCES, labels, strict=True):
            lines = label.split("<br>")
            name = province.name_en if lang == "en" else province.name_th
            words = [ln for ln in lines if not ln.isdigit()]
            assert ("" if lang == "th" else " ").join(words) == name
            if lang == "th":
                assert all(width(ln) <= 8 for ln in lines), label
        assert fig.data[0].cliponaxis is False
    assert (
        "พระนคร<br>ศรี<br>อยุธยา<br>12"
        in _charts.province_tile_map([ProvinceCount("พระนครศรีอยุธยา", "ภาคกลาง", 1, 12)], "m", works_label="w")
        .data[0]
        .text
    )


def test_heatmap_names_columns_by_number_and_shows_whole_titles_wrapped():
    from services.contest.editions import CriterionView

    long_title = "การนำเทคโนโลยีดิจิทัลมาใช้ ในการให้บริการประชาชน อย่างทั่วถึงและเท่าเทียม ทุกกลุ่ม"
    criteria = (CriterionView(1, 1, "a", long_title, "A", "", 10, True), CRITERIA[1])
    board = Leaderboard(1, Method.mean, criteria, BOARD.rows, 0, ())
    fig = _charts.criterion_heatmap(board, "h")
    assert list(fig.data[0].x) == ["1.", "2."]
    shown = fig.data[0].customdata[0][0]
    assert shown.replace("<br>", " ") == long_title and "<br>" in shown
    assert fig.layout.yaxis.automargin is True and fig.layout.xaxis.automargin is True
    assert fig.data[0].texttemplate == "%{z:.0f}"  # each cell's share in numbers, not by its shade alone


def test_the_two_bars_of_a_province_differ_by_more_than_colour():
    fig = _charts.provinces_bar(
        [ProvinceCount("เชียงราย", "ภาคเหนือ", 6, 7)], "p", organisations_label="อปท.", works_label="ผลงาน"
    )
    patterns = [bar.marker.pattern.shape for bar in fig.data]
    assert [bar.name for bar in fig.data] == ["อปท.", "ผลงาน"] and patterns[0] != patterns[1] == "/"
