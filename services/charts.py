"""Chart builders: pure functions from read models to plotly Figures (pages only call st.plotly_chart)."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from services.results import Leaderboard
from services.stats import Count, ProvinceCount

_FONT = "Sarabun, Loma, Garuda, Noto Sans Thai, sans-serif"
_COLOR = "#1f4e9c"


def _layout(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    fig.update_layout(title=title, height=height, margin={"l": 10, "r": 10, "t": 50, "b": 10},
                      font={"family": _FONT}, showlegend=False)
    return fig


def counts_bar(counts: Sequence[Count], title: str, *, horizontal: bool = True) -> go.Figure:
    labels = [c.label for c in counts]
    values = [c.count for c in counts]
    if horizontal:
        bar = go.Bar(x=values[::-1], y=labels[::-1], orientation="h", marker_color=_COLOR, text=values[::-1],
                     textposition="auto")
    else:
        bar = go.Bar(x=labels, y=values, marker_color=_COLOR, text=values, textposition="auto")
    return _layout(go.Figure(bar), title, height=max(260, 40 + 28 * len(counts)) if horizontal else 360)


def provinces_bar(provinces: Sequence[ProvinceCount], title: str, *, organisations_label: str,
                  works_label: str) -> go.Figure:
    """Organisations and works per province, in the order given (Thai dictionary order of province names)."""
    names = [p.province for p in provinces]
    fig = go.Figure([
        go.Bar(name=organisations_label, x=names, y=[p.organisations for p in provinces], marker_color=_COLOR),
        go.Bar(name=works_label, x=names, y=[p.works for p in provinces], marker_color="#f0a202"),
    ])
    fig = _layout(fig, title, height=420)
    fig.update_layout(barmode="group", showlegend=True, xaxis_tickangle=-60)
    return fig


def criterion_heatmap(board: Leaderboard, title: str, *, lang: str = "th", top: int = 20) -> go.Figure:
    """Mean points per criterion as a share of its maximum, for the top of the leaderboard."""
    rows = board.rows[:top]
    criteria = board.criteria
    z = [[row.criterion_means.get(c.code, 0.0) / c.max_points * 100 if c.max_points else 0.0 for c in criteria]
         for row in rows]
    fig = go.Figure(go.Heatmap(
        z=z, x=[f"{i}. {c.title(lang)[:28]}" for i, c in enumerate(criteria, start=1)],
        y=[f"{r.rank}. {r.short_name}" for r in rows], colorscale="Blues", zmin=0, zmax=100,
        hovertemplate="%{y}<br>%{x}<br>%{z:.0f}%<extra></extra>",
    ))
    fig = _layout(fig, title, height=max(320, 60 + 24 * len(rows)))
    fig.update_yaxes(autorange="reversed")
    return fig


def score_histogram(board: Leaderboard, title: str) -> go.Figure:
    fig = go.Figure(go.Histogram(x=[r.score for r in board.rows], xbins={"start": 0, "end": 100, "size": 5},
                                 marker_color=_COLOR))
    return _layout(fig, title)
