"""The overview's picture for leaders: one bar per area, split by flag in the flags' own colours,
each piece carrying its count, the area's total at the bar's end.

Built from overview.status_counts only, so tests read the figure directly. The legend sits
below the bars and the figure has no toolbar and no zoom: on a phone (390 px) nothing covers
the bars and a stray drag does not move them.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from metrics.reports.charts import FONT_FAMILY
from metrics.wording import text_colour

BAR_HEIGHT = 40  # pixels per area: bars thick enough to tap, counts legible inside


def status_bars(counts: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars, areas top to bottom in the outline's order; only the flags
    some area carries get a piece and a legend entry.

    counts: overview.status_counts (area_name, status, status_label, colour, count).
    """
    areas = list(dict.fromkeys(counts["area_name"]))
    fig = go.Figure()
    for code, pieces in counts.groupby("status", sort=False):
        if not pieces["count"].any():
            continue
        colour = pieces["colour"].iloc[0]
        label = pieces["status_label"].iloc[0]
        fig.add_trace(go.Bar(
            y=list(pieces["area_name"]), x=list(pieces["count"]), orientation="h", name=label,
            marker={"color": colour, "line": {"color": "white", "width": 1}},
            text=[str(n) if n else "" for n in pieces["count"]], textposition="inside",
            insidetextanchor="middle", textfont={"color": text_colour(colour), "size": 13},
            hovertemplate=f"%{{x}}项{label}<br>%{{y}}<extra></extra>"))
    totals = counts.groupby("area_name", sort=False)["count"].sum().reindex(areas)
    for area, total in totals.items():
        fig.add_annotation(x=total, y=area, text=f"{total}项", showarrow=False, xanchor="left",
                           xshift=4, font={"color": "#5b6675", "size": 12})
    fig.update_layout(
        barmode="stack", template="plotly_white", font={"family": FONT_FAMILY, "size": 13},
        height=BAR_HEIGHT * len(areas) + 110, bargap=0.3, dragmode=False,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.04, "x": 0,
                "traceorder": "normal"},
        hoverlabel={"font_family": FONT_FAMILY}, uniformtext={"minsize": 10, "mode": "hide"})
    # Room after the longest bar for its total.
    fig.update_xaxes(visible=False, fixedrange=True,
                     range=[0, max(int(totals.max()) if len(totals) else 1, 1) * 1.15])
    fig.update_yaxes(autorange="reversed", fixedrange=True, showgrid=False, automargin=True,
                     ticksuffix="  ")
    return fig
