"""Plotly figures for the pages and the briefings: an indicator's series against its target
(the pictures of the flags are in status_charts).

Figures are built from frames only (no store access), so tests inspect them directly. Fonts list
the CJK families of Windows, macOS and Debian (fonts-noto-cjk) so Chinese never renders as boxes.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from metrics import targets
from metrics.wording import format_value

FONT_FAMILY = "Microsoft YaHei, PingFang SC, Noto Sans CJK SC, Noto Sans SC, sans-serif"
PALETTE = ["#1f5fa8", "#d2691e", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d",
           "#b7950b"]
TARGET_COLOUR = "#c0392b"
# plotly_white's layout without its defaults for every kind of trace (the charts set their own):
# applying the whole template cost a chart 9 ms of the server's time and 4 KB of JSON sent.
CALM = go.layout.Template(layout=pio.templates["plotly_white"].layout)
BASELINE_COLOUR = "#7f8c8d"



def trend_figure(series: pd.DataFrame, targets: pd.DataFrame, baseline_year: int,
                 paths: pd.DataFrame | None = None,
                 comparison: pd.DataFrame | None = None) -> go.Figure:
    """Small multiples, one panel per indicator, one line per region, the years running on to
    the target year: each target from the baseline year to its target year, and each region's
    straight path from its baseline to the goal with the value it expects at the region's
    latest year.

    series: indicator_code, indicator_name, unit, decimals, region_name, year, value, source.
    targets: indicator_code, threshold, band (half-width or NA), label, target_year — one row
    per distinct target line (regions sharing a target share the row).
    paths: trends.target_paths (indicator_code, region_name, baseline_year, baseline_value,
    target_year, goal); none drawn when None.
    comparison: a series like `series` (全国) drawn thin and grey in each panel, without a
    path of its own; none when None.
    """
    indicators = list(dict.fromkeys(series["indicator_code"]))
    rows = max(len(indicators), 1)
    titles = [panel_title(series[series["indicator_code"] == c]) for c in indicators]
    fig = make_subplots(rows=rows, cols=1, subplot_titles=titles or None,
                        vertical_spacing=min(0.12, 0.35 / rows))
    regions = list(dict.fromkeys(series["region_name"]))
    paths = PATH_FRAME if paths is None else paths
    comparison = series.iloc[0:0] if comparison is None else comparison
    for row, code in enumerate(indicators, start=1):
        panel = series[series["indicator_code"] == code]
        compared = comparison[comparison["indicator_code"] == code]
        for region in dict.fromkeys(compared["region_name"]):
            add_region_line(fig, compared[compared["region_name"] == region],
                            f"{region}（对比）", row, COMPARISON_COLOUR, show_legend=row == 1,
                            width=1.5)
        drawn = [panel["value"], compared["value"]]
        for region in regions:
            colour = PALETTE[regions.index(region) % len(PALETTE)]
            points = panel[panel["region_name"] == region]
            add_region_line(fig, points, region, row, colour, show_legend=row == 1)
            for path in paths[(paths["indicator_code"] == code)
                              & (paths["region_name"] == region)].itertuples():
                drawn.append(pd.Series([path.baseline_value, path.goal]))
                add_region_path(fig, path, panel["unit"].iloc[0], panel["decimals"].iloc[0],
                                row, colour, points["year"].max())
        for target in targets[targets["indicator_code"] == code].itertuples():
            drawn.append(pd.Series([target.threshold - (0 if pd.isna(target.band) else
                                                        target.band),
                                    target.threshold + (0 if pd.isna(target.band) else
                                                        target.band)]))
            add_target_until(fig, target, baseline_year, row)
        fig.update_yaxes(range=padded_range(pd.concat(drawn)), row=row, col=1)
        fig.add_vline(x=baseline_year, line_dash="dot", line_color=BASELINE_COLOUR,
                      annotation_text=f"基线{baseline_year}年", annotation_position="top right",
                      annotation_font_color=BASELINE_COLOUR, row=row, col=1)
    if any(trace.legendgroup == PATH_NAME for trace in fig.data):
        # One legend entry each, in neutral grey, for the paths and the expected points drawn
        # in each region's colour.
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=PATH_NAME,
                                 legendgroup=PATH_NAME, line=PATH_LINE | {
                                     "color": BASELINE_COLOUR}), row=1, col=1)
    if any(trace.legendgroup == EXPECTED_NAME for trace in fig.data):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=EXPECTED_NAME,
                                 legendgroup=EXPECTED_NAME, marker=EXPECTED_MARKER | {
                                     "line": {"color": BASELINE_COLOUR, "width": 2}}),
                      row=1, col=1)
    style(fig, rows)
    show_years(fig, [*series["year"], *comparison["year"], baseline_year,
                     *targets["target_year"]])
    return fig


def padded_range(values: pd.Series) -> list[float] | None:
    """A panel's value axis: everything drawn, with room above and below (an eighth of the
    span, at least a tenth of the value) so a target at the edge (12/10万, 6‰) keeps its line
    and label clear of the year labels and the baseline label; not below zero when every value
    is a rate or share at or above it. None (Plotly's own) when nothing is drawn."""
    known = values.dropna().astype(float)
    if known.empty:
        return None
    low, high = known.min(), known.max()
    pad = max((high - low) / 8, abs(high) / 10, 0.5)
    bottom = low - pad
    return [max(bottom, 0.0) if low >= 0 and bottom < 0 < low else bottom, high + pad]


PATH_FRAME = pd.DataFrame(columns=["indicator_code", "region_name", "baseline_year",
                                   "baseline_value", "target_year", "goal"])
PATH_NAME = "直线进度路径（参考）"
PATH_LINE = {"dash": "dot", "width": 1.5}
EXPECTED_NAME = "按路径应达（最新年份）"
EXPECTED_MARKER = {"symbol": "diamond", "size": 10, "color": "white"}
COMPARISON_COLOUR = "#95a5a6"


def add_region_path(fig: go.Figure, path, unit: str, decimals, row: int, colour: str,
                    latest_year) -> None:
    """A region's straight path from its baseline to the goal at the target year, dotted in
    the region's colour — the path the linear method measures progress against — and on it,
    at the region's latest year after the baseline, the value the path expects by then."""
    ends = [(path.baseline_year, path.baseline_value, "基线"), (path.target_year, path.goal, "目标")]
    fig.add_trace(go.Scatter(
        x=[e[0] for e in ends], y=[e[1] for e in ends], mode="lines", name=PATH_NAME,
        legendgroup=PATH_NAME, showlegend=False, line=PATH_LINE | {"color": colour},
        customdata=[[path.region_name, e[2], format_value(e[1], unit, decimals)] for e in ends],
        hovertemplate="%{customdata[2]}<br>%{customdata[1]} %{x}年 · %{customdata[0]}"
                      "<extra></extra>"), row=row, col=1)
    if pd.isna(latest_year) or not path.baseline_year < latest_year <= path.target_year:
        return
    share = (latest_year - path.baseline_year) / (path.target_year - path.baseline_year)
    expected = path.baseline_value + (path.goal - path.baseline_value) * share
    shown = format_value(expected, unit, None if pd.isna(decimals) else int(decimals) + 1)
    fig.add_trace(go.Scatter(
        x=[int(latest_year)], y=[expected], mode="markers", name=EXPECTED_NAME,
        legendgroup=EXPECTED_NAME, showlegend=False,
        marker=EXPECTED_MARKER | {"line": {"color": colour, "width": 2}},
        hovertemplate=f"{shown}<br>按路径%{{x}}年应达 · {path.region_name}<extra></extra>"),
        row=row, col=1)


def add_target_until(fig: go.Figure, target, start_year: int, row: int) -> None:
    """A dashed target line (a shaded band for targets 'around' a value) from the baseline year
    to the target year, its label above the line's end so that a target at the bottom of the
    panel stays clear of the year labels."""
    end = int(target.target_year)
    if pd.notna(target.band):
        fig.add_shape(type="rect", x0=start_year, x1=end, y0=target.threshold - target.band,
                      y1=target.threshold + target.band, fillcolor=TARGET_COLOUR, opacity=0.08,
                      line_width=0, row=row, col=1)
    fig.add_shape(type="line", x0=start_year, x1=end, y0=target.threshold, y1=target.threshold,
                  line={"color": TARGET_COLOUR, "dash": "dash"}, row=row, col=1)
    fig.add_annotation(x=end, y=target.threshold, text=target.label, showarrow=False,
                       xanchor="right", yanchor="bottom", font={"color": TARGET_COLOUR},
                       row=row, col=1)


def show_years(fig: go.Figure, years: list) -> None:
    """Every panel's axis from the first year shown to the last (the target year), with ticks
    spaced so that a 2010–2030 axis stays legible on a phone."""
    known = [int(y) for y in years if pd.notna(y)]
    if known:
        fig.update_xaxes(range=[min(known) - 0.5, max(known) + 0.5],
                         dtick=year_step(max(known) - min(known)))


def panel_title(panel: pd.DataFrame) -> str:
    """Indicator name with its unit, e.g. 孕产妇死亡率（1/10万）."""
    first = panel.iloc[0]
    return f"{first['indicator_name']}（{first['unit']}）"


def add_region_line(fig: go.Figure, points: pd.DataFrame, region: str, row: int, colour: str,
                    show_legend: bool, width: float = 2.5) -> None:
    """One region's series in panel `row` (region_line)."""
    if not points.empty:
        fig.add_trace(go.Scatter(region_line(points, region, colour, show_legend, width)),
                      row=row, col=1)


def region_line(points: pd.DataFrame, region: str, colour: str, show_legend: bool,
                width: float = 2.5) -> dict:
    """One region's series (not empty) as a trace. A year without a value breaks the line (no
    line is drawn across it). A tap on a phone shows the value first, then year and region: a
    short label that fits a 390 px screen; the sources are listed under the chart."""
    labels = [format_value(v, u, d) for v, u, d in
              zip(points["value"], points["unit"], points["decimals"])]
    shown = points.assign(label=labels).set_index(points["year"].astype(int))
    every_year = shown.reindex(range(shown.index.min(), shown.index.max() + 1))
    return {"type": "scatter", "x": list(every_year.index),
            "y": [None if pd.isna(v) else float(v) for v in every_year["value"]],
            "mode": "lines+markers", "name": region, "legendgroup": region,
            "showlegend": show_legend, "line": {"color": colour, "width": width},
            "marker": {"size": 7 if width > 2 else 5}, "connectgaps": False,
            "customdata": list(every_year["label"]),
            "hovertemplate": f"<b>%{{customdata}}</b><br>%{{x}}年 · {region}<extra></extra>"}


def style(fig: go.Figure, rows: int) -> None:
    """Calm print-friendly styling (calm_layout); years as whole numbers, without grid lines;
    labels at 12 px."""
    fig.update_layout(**calm_layout(rows))
    fig.update_xaxes(dtick=1, tickformat="d", showgrid=False)
    fig.update_annotations(font_size=12)


def calm_layout(rows: int) -> dict:
    """The layout of a chart of `rows` panels: height grows with them. The legend sits below
    the last panel, clear of the toolbar at the top right (on a phone the toolbar would cover a
    legend at the top); nothing moves on a drag, so a finger scrolls the page."""
    height = 120 + 300 * rows
    margin = {"l": 50, "r": 20, "t": 60, "b": 30}
    return {"template": CALM, "font": {"family": FONT_FAMILY, "size": 13}, "height": height,
            "margin": margin, "dragmode": False,
            # Just under the year labels (about 36 px); Plotly widens the bottom margin to fit.
            "legend": {"orientation": "h", "yanchor": "top", "x": 0,
                       "y": -36 / (height - margin["t"] - margin["b"])},
            "hoverlabel": {"font": {"family": FONT_FAMILY}}}


def target_path_figure(series: pd.DataFrame, row) -> go.Figure:
    """One indicator in one region: the observed values, the straight path from the baseline
    to the goal, the target line (a band for 'around' targets) and the value the path expects
    at the latest year. Given to Plotly whole: built step by step, it checked the figure again
    after each (a tenth of 中期评估's server time).

    series: year, value (source optional) of the indicator in the region, oldest first.
    row: one row of evaluation.evaluate (name, unit, decimals, target_*, band, goal,
    baseline_year_used, baseline_value, target_year, latest_year, expected_now).
    """
    points = series.assign(unit=row["unit"], decimals=row["decimals"])
    data = [] if points.empty else [
        region_line(points, "实际值", PALETTE[0], show_legend=True) | {"xaxis": "x", "yaxis": "y"}]
    drawn = [series["value"], pd.Series([row["expected_now"]])]
    if pd.notna(row["baseline_value"]) and pd.notna(row["goal"]):
        data += path_traces(row)
        drawn.append(pd.Series([row["baseline_value"], row["goal"]]))
    layout = calm_layout(1) | {"height": 440, "shapes": [], "annotations": []}
    line = targets.target_line(row)
    if line is not None:
        band = 0 if pd.isna(line.band) else line.band
        drawn.append(pd.Series([line.threshold - band, line.threshold + band]))
        if data:   # as Plotly's add_hline: no target line across an empty chart
            layout["shapes"], layout["annotations"] = target_marks(line)
    years = [*series["year"], row["target_year"], row["baseline_year_used"]]
    years = [int(y) for y in years if pd.notna(y)]
    layout["xaxis"] = {"anchor": "y", "domain": [0.0, 1.0], "tickformat": "d", "showgrid": False,
                       "dtick": year_step(max(years) - min(years)) if years else 1}
    layout["yaxis"] = {"anchor": "x", "domain": [0.0, 1.0],
                       "range": padded_range(pd.concat(drawn))}
    return go.Figure({"data": data, "layout": layout})


def path_traces(row) -> list[dict]:
    """The straight line from (baseline year, baseline) to (target year, goal) and, on it, the
    value expected at the latest year — an internal aid, not an official criterion."""
    unit, decimals = row["unit"], row["decimals"]
    ends = [(row["baseline_year_used"], row["baseline_value"], "基线"),
            (row["target_year"], row["goal"], "目标")]
    traces = [{
        "type": "scatter", "x": [e[0] for e in ends], "y": [e[1] for e in ends],
        "mode": "lines+markers", "name": "直线进度路径（参考）",
        "line": {"color": BASELINE_COLOUR, "dash": "dot", "width": 2}, "marker": {"size": 6},
        "customdata": [[e[2], format_value(e[1], unit, decimals)] for e in ends],
        "hovertemplate": "%{customdata[1]}<br>%{customdata[0]} %{x}年<extra></extra>"}]
    if pd.notna(row["expected_now"]):
        expected = format_value(row["expected_now"], unit,
                                None if pd.isna(decimals) else int(decimals) + 1)
        traces.append({
            "type": "scatter", "x": [row["latest_year"]], "y": [row["expected_now"]],
            "mode": "markers", "name": f"{int(row['latest_year'])}年按路径应达",
            "marker": {"symbol": "diamond", "size": 12, "color": "white",
                       "line": {"color": TARGET_COLOUR, "width": 2}},
            "hovertemplate": f"{expected}<br>%{{x}}年按直线路径应达<extra></extra>"})
    return traces


def target_marks(line) -> tuple[list[dict], list[dict]]:
    """The shapes and the label of a target line across the chart: dashed, over a shaded band
    for targets 'around' a value; its label above the line at the left."""
    across = {"xref": "x domain", "x0": 0, "x1": 1, "yref": "y"}
    shapes = [] if pd.isna(line.band) else [
        across | {"type": "rect", "y0": line.threshold - line.band,
                  "y1": line.threshold + line.band, "fillcolor": TARGET_COLOUR,
                  "opacity": 0.08, "line": {"width": 0}}]
    shapes.append(across | {"type": "line", "y0": line.threshold, "y1": line.threshold,
                            "line": {"color": TARGET_COLOUR, "dash": "dash"}})
    label = {"xref": "x domain", "x": 0, "yref": "y", "y": line.threshold, "text": line.label,
             "showarrow": False, "xanchor": "left", "yanchor": "bottom",
             "font": {"color": TARGET_COLOUR, "size": 12}}
    return shapes, [label]


def year_step(span: int) -> int:
    """Years between axis ticks, so a 2010–2030 axis stays legible on a phone."""
    return 1 if span <= 8 else 2 if span <= 16 else 5
