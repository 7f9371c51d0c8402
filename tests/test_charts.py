"""metrics.reports.charts and status_charts: the trend and target-path charts and the status
heat map, inspected as figures (no browser)."""
import math

import pandas as pd
import pytest

from metrics.evaluation import status
from metrics.reports import charts, status_charts

ROW = pd.Series({
    "name": "孕产妇死亡率", "unit": "1/10万", "decimals": 1, "target_kind": "at_most",
    "target_value": 12.0, "band": math.nan, "goal": 12.0, "target_year": 2030,
    "outline_baseline_year": 2020, "target_verified": "not_found", "baseline_year_used": 2020,
    "baseline_value": 16.9, "latest_year": 2024, "expected_now": 14.94})
SERIES = pd.DataFrame({"year": [2019, 2020, 2022, 2024], "value": [17.8, 16.9, 15.7, 14.3],
                       "source": ["国家统计局"] * 4})


def changed(**fields) -> pd.Series:
    """ROW with some fields replaced (Series.update would skip the NaNs)."""
    return pd.Series({**ROW.to_dict(), **fields})


def test_target_path_draws_series_path_expected_point_and_target():
    fig = charts.target_path_figure(SERIES, ROW)
    observed, path, expected = fig.data
    # 2021 and 2023 are missing: the line breaks there, nothing is drawn across them.
    assert observed.name == "实际值" and list(observed.y) == [17.8, 16.9, None, 15.7, None, 14.3]
    assert observed.connectgaps is False
    assert (list(path.x), list(path.y)) == ([2020, 2030], [16.9, 12.0])
    assert (list(expected.x), list(expected.y)) == ([2024], [14.94])
    target = [s for s in fig.layout.shapes if s.line.dash == "dash"]
    assert target and target[0].y0 == 12.0
    assert [a.text for a in fig.layout.annotations] == ["目标：2030年≤12/10万（未核实）"]


def test_target_path_of_an_around_target_shades_its_band():
    row = changed(target_kind="around", target_value=107.0, band=2.0, goal=109.0)
    fig = charts.target_path_figure(SERIES, row)
    band = [s for s in fig.layout.shapes if s.type == "rect"]
    assert band and (band[0].y0, band[0].y1) == (105.0, 109.0)


@pytest.mark.parametrize("changes", [
    {"target_kind": "increase", "target_value": math.nan, "goal": math.nan},
    {"target_kind": None, "target_value": math.nan, "goal": math.nan},
])
def test_target_path_without_a_numeric_target_draws_only_the_series(changes):
    row = changed(**changes)
    fig = charts.target_path_figure(SERIES, row)
    assert [t.name for t in fig.data] == ["实际值"]
    assert not fig.layout.annotations


def test_target_path_without_values_still_draws():
    fig = charts.target_path_figure(SERIES.iloc[0:0], ROW)
    assert [t.name for t in fig.data] == ["直线进度路径（参考）", "2024年按路径应达"]


GRID = pd.DataFrame({
    "region_name": ["甲县", "甲县", "乙县", "乙县"],
    "name": ["指标一", "一个很长很长很长的指标名称", "指标一", "一个很长很长很长的指标名称"],
    "status": ["achieved", "off_track", "insufficient_data", "at_risk"],
    "latest_value": [95.0, 10.0, math.nan, 20.0], "latest_year": [2024, 2023, math.nan, 2024],
    "unit": ["%", "‰", "%", "‰"], "decimals": [1, 1, 1, 1],
    "target_label": ["2030年≥90%（已核实）", "2030年≤5‰（未核实）"] * 2})


def test_status_heatmap_one_row_per_region_coloured_and_marked_by_status():
    GRID["status_label"] = GRID["status"].map(status.LABELS)
    heat = status_charts.status_heatmap(GRID).data[0]
    assert list(heat.y) == ["甲县", "乙县"] and list(heat.x) == ["指标一", "一个很长很长很长的指标名称"]
    rank = {s.code: s.rank for s in status.STATUSES}
    assert [list(r) for r in heat.z] == [[rank["achieved"], rank["off_track"]],
                                         [rank["insufficient_data"], rank["at_risk"]]]
    assert [list(r) for r in heat.text] == [["✓", "✗"], ["?", "!"]]
    assert list(heat.customdata[1][0]) == ["数据不足", "无数据", "2030年≥90%（已核实）"]
    assert list(heat.customdata[0][1])[:2] == ["进度滞后", "10.0‰（2023年）"]


def test_status_heatmap_colour_scale_gives_each_status_its_colour():
    scale = status_charts.discrete_scale()
    count = len(status.STATUSES)
    for s in status.STATUSES:
        middle = (s.rank + 0.5) / count
        below = [colour for stop, colour in scale if stop <= middle][-1]
        assert below == s.colour


def test_status_heatmap_labels_and_width():
    GRID["status_label"] = GRID["status"].map(status.LABELS)
    fig = status_charts.status_heatmap(GRID)
    assert list(fig.layout.xaxis.ticktext) == ["指标一", "一个很长很长很长的…"]
    assert status_charts.heatmap_min_width(fig) == 150 + 2 * 26
    assert status_charts.status_legend().startswith("✓ 已达标　≈ 基本达标")


@pytest.mark.parametrize("span, step", [(4, 1), (8, 1), (14, 2), (20, 5)])
def test_year_step(span, step):
    assert charts.year_step(span) == step


TREND = SERIES.assign(indicator_code="mmr", indicator_name="孕产妇死亡率", unit="1/10万",
                      decimals=1, region_name="全国")
LINES = pd.DataFrame({"indicator_code": ["mmr"], "threshold": [12.0], "band": [math.nan],
                      "label": ["目标：2030年≤12/10万（已核实）"], "target_year": [2030]})
PATHS = pd.DataFrame({"indicator_code": ["mmr"], "region_name": ["全国"], "baseline_year": [2020],
                      "baseline_value": [16.9], "target_year": [2030], "goal": [12.0]})


def test_trend_runs_to_the_target_year_with_the_target_and_the_path_there():
    fig = charts.trend_figure(TREND, LINES, 2020, PATHS)
    assert list(fig.layout.xaxis.range) == [2018.5, 2030.5]
    target = next(s for s in fig.layout.shapes if s.line.dash == "dash")
    assert (target.x0, target.x1, target.y0, target.y1) == (2020, 2030, 12.0, 12.0)
    label = next(a for a in fig.layout.annotations if a.text.startswith("目标"))
    assert (label.x, label.y, label.yanchor) == (2030, 12.0, "bottom")  # above the line's end
    path, legend = [t for t in fig.data if t.name == "直线进度路径（参考）"]
    assert (list(path.x), list(path.y)) == ([2020, 2030], [16.9, 12.0])
    assert path.line.dash == "dot" and path.line.color == fig.data[0].line.color  # the region's
    assert legend.showlegend is not False and not path.showlegend


def test_trend_without_targets_ends_at_the_last_year_and_shows_gaps():
    no_lines = LINES.iloc[0:0]
    fig = charts.trend_figure(TREND, no_lines, 2020)
    assert list(fig.layout.xaxis.range) == [2018.5, 2024.5]
    assert not [t for t in fig.data if t.name == "直线进度路径（参考）"]
    assert list(fig.data[0].y) == [17.8, 16.9, None, 15.7, None, 14.3]


def test_trend_breaks_the_line_at_a_missing_year_and_joins_nothing_across_it():
    fig = charts.trend_figure(TREND, LINES, 2020, PATHS)
    series = [t for t in fig.data if t.mode == "lines+markers"]
    assert [t.name for t in series] == ["全国"]
    assert list(series[0].x) == list(range(2019, 2025))
    assert list(series[0].y) == [17.8, 16.9, None, 15.7, None, 14.3]
    assert series[0].connectgaps is False
    # No other line runs from 2020 to 2022 or from 2022 to 2024 (the path starts at 2020 and
    # ends at 2030; the target line is a shape).
    joined = [t for t in fig.data if t.mode and "lines" in t.mode and t is not series[0]
              and {2022} & set(t.x or [])]
    assert joined == []


def test_trend_marks_the_value_the_path_expects_at_the_latest_year():
    fig = charts.trend_figure(TREND, LINES, 2020, PATHS)
    [point] = [t for t in fig.data if t.name == charts.EXPECTED_NAME and t.x[0] is not None]
    # 16.9 − (16.9 − 12) × 4/10 = 14.94, in the region's colour, its legend entry once in grey.
    assert list(point.x) == [2024] and point.y[0] == pytest.approx(14.94)
    assert point.marker.line.color == fig.data[0].line.color and not point.showlegend
    assert "14.94/10万" in point.hovertemplate
    [legend] = [t for t in fig.data if t.name == charts.EXPECTED_NAME and t.x[0] is None]
    assert legend.showlegend is not False


def test_trend_expects_nothing_when_the_latest_year_is_not_after_the_baseline():
    fig = charts.trend_figure(TREND[TREND["year"] <= 2020], LINES, 2020, PATHS)
    assert not [t for t in fig.data if t.name == charts.EXPECTED_NAME]


@pytest.mark.parametrize("values, threshold", [
    ([17.8, 16.9, 15.7, 14.3], 12.0),      # 孕产妇死亡率 falling to ≤12/10万
    ([7.5, 6.8, 6.2], 6.0),               # 5岁以下儿童死亡率 to ≤6‰
])
def test_a_target_at_the_bottom_edge_keeps_room_below_it(values, threshold):
    years = list(range(2020, 2020 + len(values)))
    trend = TREND.iloc[[0] * len(values)].assign(year=years, value=values)
    lines = LINES.assign(threshold=threshold)
    paths = PATHS.assign(baseline_value=values[0], goal=threshold)
    fig = charts.trend_figure(trend, lines, 2020, paths)
    low, high = fig.layout.yaxis.range
    span = max(values) - threshold
    assert low <= threshold - span / 10 and low >= 0
    assert high >= max(values) + span / 10


def test_the_value_axis_of_shares_stays_at_or_above_zero_and_pads_a_flat_series():
    assert charts.padded_range(pd.Series([0.4, 0.2, 1.0]))[0] == 0.0
    low, high = charts.padded_range(pd.Series([95.0, 95.0]))
    assert low < 95.0 < high
    assert charts.padded_range(pd.Series([math.nan])) is None


def test_a_tap_shows_the_value_first_in_a_short_label():
    fig = charts.trend_figure(TREND, LINES, 2020, PATHS)
    series = fig.data[0]
    assert series.hovertemplate.startswith("<b>%{customdata}</b>")
    assert list(series.customdata)[-1] == "14.3/10万"
    assert "来源" not in series.hovertemplate


def test_the_legend_is_below_the_panels_and_a_drag_moves_nothing():
    fig = charts.trend_figure(TREND, LINES, 2020, PATHS)
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.y < 0
    assert fig.layout.dragmode is False


def test_the_national_comparison_is_drawn_thin_and_grey_without_a_path_of_its_own():
    region = TREND.assign(region_name="示范市", value=TREND["value"] + 3)
    national = TREND.assign(year=[2010, 2015, 2020, 2024])
    paths = PATHS.assign(region_name="示范市")
    fig = charts.trend_figure(region, LINES, 2020, paths, comparison=national)
    compared = [t for t in fig.data if t.name == "全国（对比）"]
    assert len(compared) == 1 and compared[0].line.color == charts.COMPARISON_COLOUR
    assert compared[0].line.width < fig.data[1].line.width
    assert list(compared[0].y) == [17.8] + [None] * 4 + [16.9] + [None] * 4 + [15.7] + \
        [None] * 3 + [14.3]
    assert {t.customdata[0][0] for t in fig.data
            if t.name == charts.PATH_NAME and t.customdata} == {"示范市"}
    assert fig.layout.xaxis.range[0] == 2009.5
