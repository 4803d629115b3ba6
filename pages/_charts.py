"""Chart builders: pure functions from read models to plotly Figures (pages only call st.plotly_chart).

Plotly reads a subset of HTML in every text it draws (<a href> becomes a live link, <b>, <br>, entities), so each
name, title and label that reaches a figure goes through safe_text.html (`_h`) here: a title an applicant typed as
<a href=...> shows as those characters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from services.contest.editions import CriterionView
from services.platform.safe_text import html as _h
from services.results.ranking import Leaderboard, LeaderboardRow
from services.results.stats import Count, DayProgress, ProvinceCount
from services.thai import geo

_FONT = "Sarabun, Loma, Garuda, Noto Sans Thai, sans-serif"
_COLOR = "#1f4e9c"


_MARGIN = {"l": 10, "r": 10, "t": 50, "b": 10}


def _figure(data: go.Figure | Sequence[object] | object, title: str, height: int = 360, **layout: object) -> go.Figure:
    """A figure with the house layout given to its constructor: plotly validates a layout passed in once, where
    update_layout after the fact validates it again, property by property (four times the cost per chart)."""
    base: dict[str, object] = {"title": {"text": _h(title)}, "height": height, "margin": _MARGIN,
                               "font": {"family": _FONT}, "showlegend": False}
    return go.Figure(data, layout=base | layout)


def counts_bar(counts: Sequence[Count], title: str, *, horizontal: bool = True) -> go.Figure:
    labels = [_h(c.label) for c in counts]
    values = [c.count for c in counts]
    if horizontal:
        bar = go.Bar(x=values[::-1], y=labels[::-1], orientation="h", marker_color=_COLOR, text=values[::-1],
                     textposition="auto")
    else:
        bar = go.Bar(x=labels, y=values, marker_color=_COLOR, text=values, textposition="auto")
    return _figure(bar, title, height=max(260, 40 + 28 * len(counts)) if horizontal else 360)


def provinces_bar(provinces: Sequence[ProvinceCount], title: str, *, organisations_label: str,
                  works_label: str) -> go.Figure:
    """Organisations and works per province, in the order given (Thai dictionary order of province names)."""
    names = [_h(p.province) for p in provinces]
    return _figure([
        go.Bar(name=organisations_label, x=names, y=[p.organisations for p in provinces], marker_color=_COLOR),
        go.Bar(name=works_label, x=names, y=[p.works for p in provinces], marker_color="#f0a202"),
    ], title, height=420, barmode="group", showlegend=True, xaxis={"tickangle": -60})


def criterion_heatmap(board: Leaderboard, title: str, *, lang: str = "th", top: int = 20) -> go.Figure:
    """Mean points per criterion as a share of its maximum, for the top of the leaderboard."""
    rows = board.rows[:top]
    criteria = board.criteria
    z = [[row.criterion_means.get(c.code, 0.0) / c.max_points * 100 if c.max_points else 0.0 for c in criteria]
         for row in rows]
    return _figure(go.Heatmap(
        z=z, x=[f"{i}. {_h(c.title(lang)[:28])}" for i, c in enumerate(criteria, start=1)],
        y=[f"{r.rank}. {_h(r.short_name)}" for r in rows], colorscale="Blues", zmin=0, zmax=100,
        hovertemplate="%{y}<br>%{x}<br>%{z:.0f}%<extra></extra>",
    ), title, height=max(320, 60 + 24 * len(rows)), yaxis={"autorange": "reversed"})


def score_histogram(board: Leaderboard, title: str) -> go.Figure:
    return _figure(go.Histogram(x=[r.score for r in board.rows], xbins={"start": 0, "end": 100, "size": 5},
                                marker_color=_COLOR), title)


def province_tile_map(provinces: Sequence[ProvinceCount], title: str, *, works_label: str,
                      lang: str = "th") -> go.Figure:
    """Thailand as a grid of 77 equal tiles (services.thai.geo), shaded by works: drawn from the project's own data,
    so it renders with no map outlines fetched from a CDN."""
    by_name = {p.province: p for p in provinces}
    xs, ys, colours, labels, hovers = [], [], [], [], []
    for province in geo.PROVINCES:
        row, col = province.tile
        found = by_name.get(province.name_th)
        works = found.works if found else 0
        name = province.name_en if lang == "en" else province.name_th
        xs.append(col)
        ys.append(-row)
        colours.append(works)
        labels.append(f"{name[:9]}<br>{works}" if works else name[:9])
        hovers.append(f"{name}: {works} {works_label}")
    top = max(colours, default=0) or 1
    # Dark tiles get white text, pale ones dark text, so every name stays legible.
    ink = ["white" if works >= top / 2 else "#333" for works in colours]
    return _figure(go.Scatter(
        x=xs, y=ys, mode="markers+text", text=labels, textfont={"size": 9, "color": ink}, hovertext=hovers,
        hoverinfo="text",
        marker={"symbol": "square", "size": 46, "color": colours, "colorscale": [[0, "#eef1f5"], [0.001, "#c6dbef"],
                                                                                 [1, _COLOR]],
                "line": {"width": 1, "color": "white"}, "showscale": True,
                "colorbar": {"title": {"text": works_label}}},
    ), title, height=880, xaxis={"visible": False, "range": [-0.7, 9.7]},
        yaxis={"visible": False, "range": [-16.7, 0.7], "scaleanchor": "x", "scaleratio": 1})


def radar(row: LeaderboardRow, criteria: Sequence[CriterionView], title: str, *, lang: str = "th",
          comparison: Mapping[str, float] | None = None, row_label: str = "", comparison_label: str = "") -> go.Figure:
    """One submission's mean points per criterion as a share of the criterion's maximum, optionally beside another
    profile (the average of all works)."""
    names = [f"{i}. {_h(c.title(lang)[:22])}" for i, c in enumerate(criteria, start=1)]

    def shares(means: Mapping[str, float]) -> list[float]:
        return [100.0 * means.get(c.code, 0.0) / c.max_points if c.max_points else 0.0 for c in criteria]

    traces = [go.Scatterpolar(r=[*shares(row.criterion_means), shares(row.criterion_means)[0]],
                              theta=[*names, names[0]], fill="toself", name=_h(row_label or row.short_name),
                              line={"color": _COLOR})]
    if comparison is not None:
        traces.append(go.Scatterpolar(r=[*shares(comparison), shares(comparison)[0]], theta=[*names, names[0]],
                                      name=_h(comparison_label), line={"color": "#f0a202", "dash": "dot"}))
    return _figure(traces, title, height=480, polar={"radialaxis": {"range": [0, 100]}},
                   showlegend=comparison is not None)


def average_profile(board: Leaderboard) -> dict[str, float]:
    """Each criterion's mean over the ranked works (the comparison line of a radar chart)."""
    out: dict[str, float] = {}
    for c in board.criteria:
        values = [r.criterion_means[c.code] for r in board.rows if c.code in r.criterion_means]
        if values:
            out[c.code] = sum(values) / len(values)
    return out


def scores_by(board: Leaderboard, attribute: str, title: str) -> go.Figure:
    """Score distribution per group (region, organisation type, category ...): one box per group."""
    groups: dict[str, list[float]] = {}
    for r in board.rows:
        groups.setdefault(str(getattr(r, attribute) or "—"), []).append(r.score)
    return _figure([go.Box(y=v, name=f"{_h(k)} ({len(v)})", boxpoints="all", jitter=0.4, marker_color=_COLOR)
                    for k, v in sorted(groups.items(), key=lambda kv: -len(kv[1]))], title, height=420)


def progress_line(timeline: Sequence[DayProgress], expected: int, title: str, *, submitted_label: str,
                  expected_label: str) -> go.Figure:
    days = [d.day for d in timeline]
    traces = [go.Scatter(x=days, y=[d.cumulative for d in timeline], mode="lines+markers", name=submitted_label,
                         line={"color": _COLOR})]
    if expected and days:
        traces.append(go.Scatter(x=[days[0], days[-1]], y=[expected, expected], mode="lines", name=expected_label,
                                 line={"color": "#999", "dash": "dash"}))
    return _figure(traces, title, showlegend=True)
