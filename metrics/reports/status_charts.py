"""The pictures of the flags, each flag in its own colour (metrics/evaluation/status.py): the
overview's bars for leaders — one bar per area, split by flag, each piece carrying its count,
the area's total at the bar's end — and the heat map of the regions one level down.

Built from frames only, so tests read the figures directly. The bars' legend sits below them
and they have no toolbar and no zoom: on a phone (390 px) nothing covers the bars and a stray
drag does not move them.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from metrics.evaluation import status
from metrics.reports.charts import CALM, FONT_FAMILY
from metrics.wording import latest_text, text_colour

# Symbols drawn in heat-map cells beside the status colour (colour is never the only cue).
STATUS_MARKS = {"achieved": "✓", "basically_achieved": "≈", "on_track": "→", "at_risk": "!",
                "off_track": "✗", "not_achieved": "▽", "insufficient_data": "?",
                "no_target": "·"}

BAR_HEIGHT = 40  # pixels per area: bars thick enough to tap, counts legible inside


def status_bars(counts: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars, areas top to bottom in the outline's order; only the flags
    some area carries get a piece and a legend entry.

    counts: overview.status_counts (area_name, status, status_label, colour, count).
    """
    areas = list(dict.fromkeys(counts["area_name"]))
    bars = []
    for code, pieces in counts.groupby("status", sort=False):
        if not pieces["count"].any():
            continue
        colour = pieces["colour"].iloc[0]
        label = pieces["status_label"].iloc[0]
        bars.append({
            "type": "bar", "y": list(pieces["area_name"]), "x": list(pieces["count"]),
            "orientation": "h", "name": label,
            "marker": {"color": colour, "line": {"color": "white", "width": 1}},
            "text": [str(n) if n else "" for n in pieces["count"]], "textposition": "inside",
            "insidetextanchor": "middle",
            "textfont": {"color": text_colour(colour), "size": 13},
            "hovertemplate": f"%{{x}}项{label}<br>%{{y}}<extra></extra>"})
    totals = counts.groupby("area_name", sort=False)["count"].sum().reindex(areas)
    # The figure given whole: built trace by trace and annotation by annotation, Plotly checked
    # it again after each step (45 ms of 总览's server time; whole, 14 ms).
    return go.Figure({"data": bars, "layout": {
        "annotations": [
            {"x": total, "y": area, "text": f"{total}项", "showarrow": False,
             "xanchor": "left", "xshift": 4, "font": {"color": "#5b6675", "size": 12}}
            for area, total in totals.items()],
        "barmode": "stack", "template": CALM, "font": {"family": FONT_FAMILY, "size": 13},
        "height": BAR_HEIGHT * len(areas) + 110, "bargap": 0.3, "dragmode": False,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.04, "x": 0,
                   "traceorder": "normal"},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "uniformtext": {"minsize": 10, "mode": "hide"},
        # Room after the longest bar for its total.
        "xaxis": {"visible": False, "fixedrange": True,
                  "range": [0, max(int(totals.max()) if len(totals) else 1, 1) * 1.15]},
        "yaxis": {"autorange": "reversed", "fixedrange": True, "showgrid": False,
                  "automargin": True, "ticksuffix": "  "}}})


def status_heatmap(frame: pd.DataFrame) -> go.Figure:
    """Regions (rows) × indicators (columns), each cell coloured by its status and marked with
    the status's symbol, so the colour is never the only cue; hover gives region, indicator,
    status, latest value and target.

    frame: evaluated rows with region_name and target_label (peers.status_grid).
    """
    regions = list(dict.fromkeys(frame["region_name"]))
    indicators = list(dict.fromkeys(frame["name"]))
    cells = frame.assign(
        rank=frame["status"].map({s.code: s.rank for s in status.STATUSES}),
        mark=frame["status"].map(STATUS_MARKS),
        latest=[latest_text(*cell) for cell in zip(frame["latest_value"], frame["latest_year"],
                                                   frame["unit"], frame["decimals"])])

    def grid(column: str) -> list[list]:
        return cells.pivot(index="region_name", columns="name", values=column).reindex(
            index=regions, columns=indicators).to_numpy().tolist()

    custom = [[list(c) for c in zip(*fields)] for fields in
              zip(grid("status_label"), grid("latest"), grid("target_label"))]
    fig = go.Figure(go.Heatmap(
        z=grid("rank"), x=indicators, y=regions, customdata=custom, xgap=2, ygap=2,
        # Plotly picks black or white per cell for the marks, readable on every status colour.
        text=grid("mark"), texttemplate="%{text}", textfont={"size": 14},
        colorscale=discrete_scale(), zmin=-0.5, zmax=len(status.STATUSES) - 0.5, showscale=False,
        hovertemplate=("%{y} · %{x}<br>%{customdata[0]}<br>最新值：%{customdata[1]}"
                       "<br>目标：%{customdata[2]}<extra></extra>")))
    fig.update_layout(template=CALM, font={"family": FONT_FAMILY, "size": 12},
                      height=160 + 34 * len(regions), margin={"l": 10, "r": 10, "t": 150, "b": 10},
                      hoverlabel={"font_family": FONT_FAMILY})
    fig.update_xaxes(side="top", tickangle=-50, showgrid=False, tickvals=indicators,
                     ticktext=[short_name(n) for n in indicators])
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return fig


def status_legend() -> str:
    """The heat map's symbols in words: ✓ 已达标　≈ 基本达标　…"""
    return "　".join(f"{STATUS_MARKS[s.code]} {s.label}" for s in status.STATUSES
                    if s.code != "no_target")


def heatmap_min_width(fig: go.Figure) -> int:
    """Pixels a status heat map needs for legible cells (≈26 px per indicator plus the region
    names); narrower screens should scroll it sideways rather than squeeze it."""
    return 150 + 26 * len(fig.data[0].x)


def discrete_scale() -> list[list]:
    """A colour scale with one flat step per status, for z = the status's rank."""
    count = len(status.STATUSES)
    scale = []
    for s in status.STATUSES:
        scale += [[s.rank / count, s.colour], [(s.rank + 1) / count, s.colour]]
    return scale


def short_name(name: str, length: int = 10) -> str:
    """An indicator name cut for an axis label (the full name is in the hover)."""
    return name if len(name) <= length else name[: length - 1] + "…"
