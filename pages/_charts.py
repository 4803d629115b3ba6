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
from services.thai.dates import format_date

_FONT = "Sarabun, Loma, Garuda, Noto Sans Thai, sans-serif"
_COLOR = "#1f4e9c"


_MARGIN = {"l": 10, "r": 10, "t": 50, "b": 10}
# One number format per measure, wherever it shows: points to two decimals, shares and percentages whole.
POINTS = ".2f"
PERCENT = ".0f"
# Every value axis starts at zero: a bar from 74 makes 80 look like half of 90. Counts are whole numbers.
_COUNT_AXIS = {"rangemode": "tozero", "tickformat": "d", "automargin": True}
_LABEL_AXIS = {"automargin": True}  # plotly grows the margin to fit long Thai labels instead of clipping them

# Tile labels for the province names too wide for one 46-pixel tile, broken where the words meet (Thai writes no
# spaces, and a break inside a syllable would strand its vowel or tone mark). Shorter names fit on one line.
_TILE_LINES: dict[str, tuple[str, ...]] = {
    "กรุงเทพมหานคร": ("กรุงเทพ", "มหานคร"),
    "กำแพงเพชร": ("กำแพง", "เพชร"),
    "ฉะเชิงเทรา": ("ฉะเชิง", "เทรา"),
    "นครราชสีมา": ("นคร", "ราชสีมา"),
    "นครศรีธรรมราช": ("นครศรี", "ธรรมราช"),
    "นครสวรรค์": ("นคร", "สวรรค์"),
    "ประจวบคีรีขันธ์": ("ประจวบ", "คีรีขันธ์"),
    "พระนครศรีอยุธยา": ("พระนคร", "ศรี", "อยุธยา"),
    "มหาสารคาม": ("มหา", "สารคาม"),
    "แม่ฮ่องสอน": ("แม่ฮ่อง", "สอน"),
    "สมุทรปราการ": ("สมุทร", "ปราการ"),
    "สมุทรสงคราม": ("สมุทร", "สงคราม"),
    "สมุทรสาคร": ("สมุทร", "สาคร"),
    "สุราษฎร์ธานี": ("สุราษฎร์", "ธานี"),
    "หนองบัวลำภู": ("หนองบัว", "ลำภู"),
    "อำนาจเจริญ": ("อำนาจ", "เจริญ"),
    "อุบลราชธานี": ("อุบล", "ราชธานี"),
}


def tile_lines(name_th: str, name_en: str, lang: str) -> tuple[str, ...]:
    """A province's name on its tile, whole, in lines narrow enough for the tile; English breaks at its spaces."""
    if lang == "en":
        return tuple(wrap(name_en, 9).split("<br>"))
    return _TILE_LINES.get(name_th, (name_th,))


def wrap(text: str, width: int) -> str:
    """A label broken into lines of about `width` characters at its spaces (plotly's <br>), so a long criterion
    title shows whole instead of being cut; an unbroken run longer than `width` stays whole on its line."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "<br>".join(lines)


def _figure(data: go.Figure | Sequence[object] | object, title: str, height: int = 360, **layout: object) -> go.Figure:
    """A figure with the house layout given to its constructor: plotly validates a layout passed in once, where
    update_layout after the fact validates it again, property by property (four times the cost per chart)."""
    base: dict[str, object] = {
        "title": {"text": _h(title)},
        "height": height,
        "margin": _MARGIN,
        "font": {"family": _FONT},
        "showlegend": False,
    }
    return go.Figure(data, layout=base | layout)


def counts_bar(counts: Sequence[Count], title: str, *, horizontal: bool = True) -> go.Figure:
    labels = [_h(c.label) for c in counts]
    values = [c.count for c in counts]
    if horizontal:
        bar = go.Bar(
            x=values[::-1],
            y=labels[::-1],
            orientation="h",
            marker_color=_COLOR,
            text=values[::-1],
            textposition="auto",
            cliponaxis=False,
        )
        return _figure(bar, title, height=max(260, 40 + 28 * len(counts)), xaxis=_COUNT_AXIS, yaxis=_LABEL_AXIS)
    bar = go.Bar(x=labels, y=values, marker_color=_COLOR, text=values, textposition="auto", cliponaxis=False)
    return _figure(bar, title, height=360, xaxis=_LABEL_AXIS | {"type": "category"}, yaxis=_COUNT_AXIS)


def provinces_bar(
    provinces: Sequence[ProvinceCount], title: str, *, organisations_label: str, works_label: str
) -> go.Figure:
    """Organisations and works per province, in the order given (Thai dictionary order of province names)."""
    names = [_h(p.province) for p in provinces]
    return _figure(
        [
            go.Bar(name=organisations_label, x=names, y=[p.organisations for p in provinces], marker_color=_COLOR),
            # Hatched as well as orange, so the two bars of a province differ for those who do not tell colours apart.
            go.Bar(
                name=works_label,
                x=names,
                y=[p.works for p in provinces],
                marker_color="#f0a202",
                marker_pattern_shape="/",
            ),
        ],
        title,
        height=420,
        barmode="group",
        showlegend=True,
        xaxis=_LABEL_AXIS | {"tickangle": -60},
        yaxis=_COUNT_AXIS,
    )


def criterion_heatmap(board: Leaderboard, title: str, *, lang: str = "th", top: int = 20) -> go.Figure:
    """Mean points per criterion as a share of its maximum, for the top of the leaderboard."""
    rows = board.rows[:top]
    criteria = board.criteria
    z = [
        [row.criterion_means.get(c.code, 0.0) / c.max_points * 100 if c.max_points else 0.0 for c in criteria]
        for row in rows
    ]
    # Columns are named by number ("1.", "2." ...) and the whole title shows, wrapped, in the hover: twelve full
    # Thai titles side by side would either be cut or tilt into an unreadable slope.
    titles = [wrap(_h(c.title(lang)), 30) for c in criteria]
    return _figure(
        go.Heatmap(
            z=z,
            x=[f"{i}." for i in range(1, len(criteria) + 1)],
            customdata=[titles] * len(rows),
            y=[f"{r.rank}. {_h(r.short_name)}" for r in rows],
            colorscale="Blues",
            zmin=0,
            zmax=100,
            # Each cell says its share in numbers: the shade alone would carry it only to those who see colour, and
            # the hover only to those with a mouse.
            texttemplate=f"%{{z:{PERCENT}}}",
            colorbar={"ticksuffix": "%", "tickformat": PERCENT},
            hovertemplate=f"%{{y}}<br>%{{x}} %{{customdata}}<br>%{{z:{PERCENT}}}%<extra></extra>",
        ),
        title,
        height=max(320, 90 + 24 * len(rows)),
        xaxis=_LABEL_AXIS
        | {
            "type": "category",
            "title": {"text": "เกณฑ์ที่ (ชื่อเกณฑ์อยู่ใต้แผนภูมิ)" if lang != "en" else "Criterion (named under the chart)"},
        },
        yaxis=_LABEL_AXIS | {"autorange": "reversed", "type": "category"},
    )


def score_histogram(board: Leaderboard, title: str) -> go.Figure:
    return _figure(
        go.Histogram(
            x=[r.score for r in board.rows],
            xbins={"start": 0, "end": 100, "size": 5},
            marker_color=_COLOR,
            hovertemplate="%{x}: %{y}<extra></extra>",
        ),
        title,
        xaxis={"range": [0, 100], "hoverformat": POINTS},
        yaxis=_COUNT_AXIS,
    )


def province_tile_map(
    provinces: Sequence[ProvinceCount], title: str, *, works_label: str, lang: str = "th"
) -> go.Figure:
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
        lines = tile_lines(province.name_th, province.name_en, lang)
        labels.append("<br>".join([*lines, str(works)] if works else lines))
        hovers.append(f"{name}: {works} {works_label}")
    top = max(colours, default=0) or 1
    # Dark tiles get white text, pale ones dark text, so every name stays legible.
    ink = ["white" if works >= top / 2 else "#333" for works in colours]
    return _figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            text=labels,
            textfont={"size": 9, "color": ink},
            hovertext=hovers,
            hoverinfo="text",
            cliponaxis=False,
            marker={
                "symbol": "square",
                "size": 50,
                "color": colours,
                "colorscale": [[0, "#eef1f5"], [0.001, "#c6dbef"], [1, _COLOR]],
                "line": {"width": 1, "color": "white"},
                "showscale": True,
                "colorbar": {"title": {"text": works_label}},
            },
        ),
        title,
        height=880,
        xaxis={"visible": False, "range": [-0.7, 9.7]},
        yaxis={"visible": False, "range": [-16.7, 0.7], "scaleanchor": "x", "scaleratio": 1},
    )


def radar(
    row: LeaderboardRow,
    criteria: Sequence[CriterionView],
    title: str,
    *,
    lang: str = "th",
    comparison: Mapping[str, float] | None = None,
    row_label: str = "",
    comparison_label: str = "",
) -> go.Figure:
    """One submission's mean points per criterion as a share of the criterion's maximum, optionally beside another
    profile (the average of all works)."""
    names = [f"{i}. {_h(c.title(lang)[:22])}" for i, c in enumerate(criteria, start=1)]

    def shares(means: Mapping[str, float]) -> list[float]:
        return [100.0 * means.get(c.code, 0.0) / c.max_points if c.max_points else 0.0 for c in criteria]

    hover = f"%{{theta}}: %{{r:{PERCENT}}}%<extra>%{{fullData.name}}</extra>"
    traces = [
        go.Scatterpolar(
            r=[*shares(row.criterion_means), shares(row.criterion_means)[0]],
            theta=[*names, names[0]],
            fill="toself",
            name=_h(row_label or row.short_name),
            line={"color": _COLOR},
            hovertemplate=hover,
        )
    ]
    if comparison is not None:
        traces.append(
            go.Scatterpolar(
                r=[*shares(comparison), shares(comparison)[0]],
                theta=[*names, names[0]],
                name=_h(comparison_label),
                line={"color": "#f0a202", "dash": "dot"},
                hovertemplate=hover,
            )
        )
    return _figure(
        traces,
        title,
        height=480,
        polar={"radialaxis": {"range": [0, 100], "ticksuffix": "%", "tickformat": PERCENT}},
        showlegend=comparison is not None,
    )


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
    return _figure(
        [
            go.Box(y=v, name=f"{_h(k)} ({len(v)})", boxpoints="all", jitter=0.4, marker_color=_COLOR)
            for k, v in sorted(groups.items(), key=lambda kv: -len(kv[1]))
        ],
        title,
        height=420,
        xaxis=_LABEL_AXIS,
        yaxis={"range": [0, 100], "hoverformat": POINTS, "automargin": True},
    )


def progress_line(
    timeline: Sequence[DayProgress],
    expected: int,
    title: str,
    *,
    submitted_label: str,
    expected_label: str,
    lang: str = "th",
) -> go.Figure:
    """Sheets submitted, cumulative, per day. Plotly writes dates in the common era and English months, so the
    day axis keeps its time scale but its ticks and hovers carry our own labels ("2 ส.ค. 64" in Thai)."""
    days = [d.day for d in timeline]
    shown = [format_date(d, lang, "short") for d in days]
    traces = [
        go.Scatter(
            x=days,
            y=[d.cumulative for d in timeline],
            mode="lines+markers",
            name=submitted_label,
            line={"color": _COLOR},
            customdata=shown,
            hovertemplate="%{customdata}: %{y:d}<extra></extra>",
        )
    ]
    if expected and days:
        traces.append(
            go.Scatter(
                x=[days[0], days[-1]],
                y=[expected, expected],
                mode="lines",
                name=expected_label,
                line={"color": "#999", "dash": "dash"},
                hovertemplate="%{y:d}<extra></extra>",
            )
        )
    step = max(1, -(-len(days) // 10))  # at most about ten ticks, whatever the length of the judging period
    return _figure(
        traces,
        title,
        showlegend=True,
        xaxis={"tickmode": "array", "tickvals": days[::step], "ticktext": shown[::step], "automargin": True},
        yaxis=_COUNT_AXIS,
    )
