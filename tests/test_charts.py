"""metrics.charts: the target path of one indicator and the status heat map, inspected as
figures (no browser)."""
import math

import pandas as pd
import pytest

from metrics.evaluation import status
from metrics.reports import charts

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
    observed, bridges, path, expected = fig.data
    assert observed.name == "实际值" and list(observed.y) == [17.8, 16.9, None, 15.7, None, 14.3]
    assert list(bridges.x) == [2020, 2022, None, 2022, 2024, None]    # 2021, 2023 missing
    assert bridges.opacity < 1 and not bridges.showlegend
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
    assert [t.name for t in fig.data] == ["实际值", "实际值（缺年份）"]
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
    heat = charts.status_heatmap(GRID).data[0]
    assert list(heat.y) == ["甲县", "乙县"] and list(heat.x) == ["指标一", "一个很长很长很长的指标名称"]
    rank = {s.code: s.rank for s in status.STATUSES}
    assert [list(r) for r in heat.z] == [[rank["achieved"], rank["off_track"]],
                                         [rank["insufficient_data"], rank["at_risk"]]]
    assert [list(r) for r in heat.text] == [["✓", "✗"], ["?", "!"]]
    assert list(heat.customdata[1][0]) == ["数据不足", "无数据", "2030年≥90%（已核实）"]
    assert list(heat.customdata[0][1])[:2] == ["进度滞后", "10.0‰（2023年）"]


def test_status_heatmap_colour_scale_gives_each_status_its_colour():
    scale = charts.discrete_scale()
    count = len(status.STATUSES)
    for s in status.STATUSES:
        middle = (s.rank + 0.5) / count
        below = [colour for stop, colour in scale if stop <= middle][-1]
        assert below == s.colour


def test_status_heatmap_labels_and_width():
    GRID["status_label"] = GRID["status"].map(status.LABELS)
    fig = charts.status_heatmap(GRID)
    assert list(fig.layout.xaxis.ticktext) == ["指标一", "一个很长很长很长的…"]
    assert charts.heatmap_min_width(fig) == 150 + 2 * 26
    assert charts.status_legend().startswith("✓ 已达标　≈ 基本达标")


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
