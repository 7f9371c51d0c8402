"""Plotly figures for the pages and the briefings: an indicator's series against its target.

Figures are built from frames only (no store access), so tests inspect them directly. Fonts list
the CJK families of Windows, macOS and Debian (fonts-noto-cjk) so Chinese never renders as boxes.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from metrics.units import format_value, unit_suffix

FONT_FAMILY = "Microsoft YaHei, PingFang SC, Noto Sans CJK SC, Noto Sans SC, sans-serif"
PALETTE = ["#1f5fa8", "#d2691e", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d",
           "#b7950b"]
TARGET_COLOUR = "#c0392b"
BASELINE_COLOUR = "#7f8c8d"


def trend_figure(series: pd.DataFrame, targets: pd.DataFrame, baseline_year: int) -> go.Figure:
    """Small multiples, one panel per indicator, one line per region.

    series: indicator_code, indicator_name, unit, decimals, region_name, year, value, source.
    targets: indicator_code, region_name, threshold, band (half-width or NA), label — one row per
    distinct target line (regions sharing a target share the row, region_name may be empty).
    """
    indicators = list(dict.fromkeys(series["indicator_code"]))
    rows = max(len(indicators), 1)
    titles = [panel_title(series[series["indicator_code"] == c]) for c in indicators]
    fig = make_subplots(rows=rows, cols=1, subplot_titles=titles or None,
                        vertical_spacing=min(0.12, 0.35 / rows))
    regions = list(dict.fromkeys(series["region_name"]))
    for row, code in enumerate(indicators, start=1):
        panel = series[series["indicator_code"] == code]
        for region in regions:
            add_region_line(fig, panel[panel["region_name"] == region], region, row,
                            PALETTE[regions.index(region) % len(PALETTE)], show_legend=row == 1)
        for target in targets[targets["indicator_code"] == code].itertuples():
            add_target(fig, target, row)
        fig.add_vline(x=baseline_year, line_dash="dot", line_color=BASELINE_COLOUR,
                      annotation_text=f"基线{baseline_year}年", annotation_position="bottom right",
                      annotation_font_color=BASELINE_COLOUR, row=row, col=1)
    style(fig, rows)
    return fig


def panel_title(panel: pd.DataFrame) -> str:
    """Indicator name with its unit, e.g. 孕产妇死亡率（1/10万）."""
    first = panel.iloc[0]
    return f"{first['indicator_name']}（{first['unit']}）"


def add_region_line(fig: go.Figure, points: pd.DataFrame, region: str, row: int, colour: str,
                    show_legend: bool) -> None:
    """One region's series; hover shows value with unit, year and source."""
    if points.empty:
        return
    labels = [format_value(v, u, d) for v, u, d in
              zip(points["value"], points["unit"], points["decimals"])]
    fig.add_trace(go.Scatter(
        x=points["year"], y=points["value"], mode="lines+markers", name=region,
        legendgroup=region, showlegend=show_legend, line={"color": colour, "width": 2.5},
        marker={"size": 7},
        customdata=list(zip(labels, points["source"].fillna("未注明"))),
        hovertemplate=(f"{region}<br>%{{x}}年：%{{customdata[0]}}"
                       "<br>来源：%{customdata[1]}<extra></extra>")), row=row, col=1)


def add_target(fig: go.Figure, target, row: int) -> None:
    """A dashed target line, or a shaded band for targets 'around' a value."""
    if pd.notna(target.band):
        fig.add_hrect(y0=target.threshold - target.band, y1=target.threshold + target.band,
                      fillcolor=TARGET_COLOUR, opacity=0.08, line_width=0, row=row, col=1)
    fig.add_hline(y=target.threshold, line_dash="dash", line_color=TARGET_COLOUR,
                  annotation_text=target.label, annotation_position="top left",
                  annotation_font_color=TARGET_COLOUR, row=row, col=1)


def style(fig: go.Figure, rows: int) -> None:
    """Calm print-friendly styling; height grows with the number of panels."""
    fig.update_layout(
        template="plotly_white", font={"family": FONT_FAMILY, "size": 13},
        height=120 + 300 * rows, margin={"l": 50, "r": 20, "t": 60, "b": 40},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font_family": FONT_FAMILY})
    fig.update_xaxes(dtick=1, tickformat="d", showgrid=False)
    fig.update_annotations(font_size=12)


def target_label(description: str, verified_label: str) -> str:
    """Annotation text on the target line: 目标：2030年≤12/10万（已核实）."""
    return f"目标：{description}（{verified_label}）"


def axis_unit(unit: str) -> str:
    """Unit shown after numbers on an axis."""
    return unit_suffix(unit)
