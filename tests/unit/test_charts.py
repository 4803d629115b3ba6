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
    return LeaderboardRow(rank=sid, tied=False, submission_id=sid, score=score, tie_break_values=(), judge_count=3,
                          spread_sd=1.0, criterion_means=means, judges_expected=3, meets_quorum=True, work=work)


BOARD = Leaderboard(1, Method.mean, CRITERIA, (row(1, 80, "ภาคเหนือ", {"a": 8.0, "b": 4.0}),
                                              row(2, 60, "ภาคใต้", {"a": 6.0, "b": 2.5}),
                                              row(3, 70, "ภาคเหนือ", {"a": 7.0})), 0, ())


def test_the_tile_map_draws_all_77_provinces_from_the_projects_own_grid():
    fig = _charts.province_tile_map([ProvinceCount("เชียงราย", "ภาคเหนือ", 6, 6), ProvinceCount("ภูเก็ต", "ภาคใต้", 2, 3)],
                                   "แผนที่", works_label="ผลงาน")
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
    board = replace(BOARD, rows=tuple(replace(r, work=r.work._replace(title=evil, short_name=evil, category=evil)) for r in BOARD.rows))
    figures = [_charts.criterion_heatmap(board, "h"), _charts.scores_by(board, "category", "s"),
               _charts.radar(board.rows[0], CRITERIA, board.rows[0].title, row_label=evil),
               _charts.counts_bar([Count(evil, 3)], "c"),
               _charts.provinces_bar([ProvinceCount(evil, "ภาคเหนือ", 1, 1)], "p", organisations_label="o",
                                    works_label="w")]
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
