"""metrics.peers on small hand-made frames: ranking in the direction of better, the indicator
choices, and the heat map's rows."""
import math

import pandas as pd
import pytest

from metrics import config
from metrics.evaluation import status
from metrics.views import peers

NAMES = {"r1": "甲县", "r2": "乙县", "r3": "丙县", "r4": "丁县"}


def regions_frame(values, direction="higher", target_value=90.0, code="x", kind="at_least",
                  statuses=None) -> pd.DataFrame:
    """One indicator in regions r1, r2, … with the given latest values."""
    count = len(values)
    statuses = statuses or ["on_track"] * count
    return pd.DataFrame({
        "indicator_code": code, "name": "指标", "unit": "%", "decimals": 1,
        "direction": direction, "region_code": list(NAMES)[:count], "latest_value": values,
        "latest_year": [math.nan if pd.isna(v) else 2024.0 for v in values],
        "target_kind": kind, "target_value": target_value, "target_tolerance": math.nan,
        "band": math.nan,
        "target_year": 2030, "outline_baseline_year": 2020, "target_verified": "yes",
        "status": statuses, "status_label": [status.LABELS[s] for s in statuses],
        "small_numbers": False, "latest_numerator": math.nan, "latest_denominator": math.nan})


@pytest.mark.parametrize("direction, values, order", [
    ("higher", [80.0, 95.0, 90.0], ["乙县", "丙县", "甲县"]),
    ("lower", [8.0, 3.0, 5.0], ["乙县", "丙县", "甲县"]),
    ("band", [100.0, 91.0, 85.0], ["乙县", "丙县", "甲县"]),   # nearest the target of 90
])
def test_ranking_puts_the_better_value_first(direction, values, order):
    table = peers.ranking(regions_frame(values, direction), "x", NAMES)
    assert list(table["地区"]) == order
    assert list(table["排名"]) == ["1", "2", "3"]


def test_ranking_puts_regions_without_data_last_unranked_and_ties_share_a_rank():
    table = peers.ranking(regions_frame([math.nan, 90.0, 90.0, 70.0]), "x", NAMES)
    assert list(table["地区"]) == ["乙县", "丙县", "丁县", "甲县"]
    assert list(table["排名"]) == ["1", "1", "3", "—"]
    assert list(table["最新值"]) == ["90.0%", "90.0%", "70.0%", "—"]
    assert table.loc[3, "年份"] == "—"
    assert table.loc[0, "目标"] == "2030年≥90%（已核实）"


def test_indicator_choices_put_indicators_with_data_first():
    frame = pd.concat([regions_frame([math.nan, math.nan], code="empty"),
                       regions_frame([1.0, math.nan], code="some")])
    assert list(peers.indicator_choices(frame)) == ["some", "empty"]
    assert peers.indicator_choices(frame)["some"] == "指标（%）"


def test_status_grid_leaves_out_indicators_without_any_target():
    frame = pd.concat([
        regions_frame([1.0, 2.0], code="judged", statuses=["achieved", "no_target"]),
        regions_frame([1.0, 2.0], code="untargeted", kind=None,
                      statuses=["no_target", "no_target"])])
    grid = peers.status_grid(frame, NAMES)
    assert set(grid["indicator_code"]) == {"judged"}
    assert list(grid["region_name"]) == ["甲县", "乙县"]
    assert grid["target_label"].iloc[0] == "2030年≥90%（已核实）"


def test_ranked_values_on_few_events_are_marked():
    frame = regions_frame([0.0, 0.0, 18.2], direction="lower", target_value=12.0, kind="at_most")
    frame["unit"] = "1/10万"
    frame.loc[1, ["latest_numerator", "latest_denominator", "small_numbers"]] = [0.0, 4200.0,
                                                                                True]
    table = peers.ranking(frame, "x", NAMES).set_index("地区")
    assert table.loc["甲县", "说明"] == "为0，未报例数，可能基数小"
    assert table.loc["乙县", "说明"] == "基数小，波动大（0/4200）"
    assert table.loc["丙县", "说明"] == ""


def test_rankings_over_different_years_say_so():
    frame = regions_frame([80.0, 95.0, 90.0])
    assert peers.years_note(frame, "x") is None
    frame.loc[0, "latest_year"] = 2022.0
    assert peers.years_note(frame, "x") == \
        "各地区的最新数据年份不同（2022年、2024年），排名比较的不是同一年的数值。"


UNITS = pd.DataFrame({"unit": ["1/10万", "%"], "per": [100000.0, 100.0]})
SETTINGS = config.settings().evaluation


def counted(rows) -> pd.DataFrame:
    """Observations of indicator x: (region, year, numerator, denominator)."""
    return pd.DataFrame([{"indicator_code": "x", "region_code": r, "year": y,
                          "value": math.nan if d is None or n is None else n / d * 1e5,
                          "numerator": n, "denominator": d} for r, y, n, d in rows])


def mortality_frame(values) -> pd.DataFrame:
    frame = regions_frame(values, direction="lower", target_value=12.0, kind="at_most")
    return frame.assign(unit="1/10万", evaluation_year=2024)


def test_pooled_rate_adds_up_the_counts_of_the_last_three_years():
    frame = mortality_frame([0.0, 20.0, 15.0, 10.0])
    observations = counted([
        ("r1", 2021, 5, 10000), ("r1", 2022, 1, 4000), ("r1", 2023, 2, 5000),
        ("r1", 2024, 0, 3000),                                   # 2021 is outside the window
        ("r2", 2023, 1, 5000), ("r2", 2024, None, None),          # a year without counts
        ("r2", 2025, 9, 1000),                                    # after the evaluation year
        ("r4", 2022, 1, 2000), ("r4", 2024, 1, 2000)])
    pooled = peers.pooled_rates(observations, frame, "x", UNITS, SETTINGS).set_index(
        "region_code")
    assert pooled.loc["r1", "years"] == [2022, 2023, 2024]
    assert pooled.loc["r1", "value"] == pytest.approx(3 / 12000 * 1e5)
    assert pooled.loc["r2", "years"] == [2023]
    assert "r3" not in pooled.index                               # no counts at all
    assert pooled.loc["r4", "years"] == [2022, 2024]
    basis = peers.ranking(frame, "x", NAMES, pooled.reset_index()).set_index("地区")["合并依据"]
    assert basis["丁县"].startswith("2022、2024年合计2/4000，") and basis["乙县"].startswith(
        "2023年1/5000，")
    assert bool(pooled.loc["r1", "small"])                        # 3 events < 20
    low, high = pooled.loc["r1", ["ci_low", "ci_high"]]
    assert low < pooled.loc["r1", "value"] < high


def test_ranking_shows_the_pooled_rate_beside_the_single_year_and_explains_it():
    frame = mortality_frame([0.0, 20.0, 15.0])
    observations = counted([("r1", 2022, 1, 4000), ("r1", 2023, 2, 5000),
                            ("r1", 2024, 0, 3000), ("r2", 2024, 30, 150000)])
    pooled = peers.pooled_rates(observations, frame, "x", UNITS, SETTINGS)
    table = peers.ranking(frame, "x", NAMES, pooled).set_index("地区")
    assert list(table.columns[:7]) == ["排名", "最新值", "年份", "状态", "说明", "多年合并值",
                                       "合并依据"]
    assert table.loc["甲县", "最新值"] == "0.0/10万"
    assert table.loc["甲县", "多年合并值"] == "25.0/10万"
    assert table.loc["甲县", "合并依据"].startswith("2022—2024年合计3/12000，基数小，95%置信区间")
    assert table.loc["乙县", "合并依据"] == "2024年30/150000"          # enough events: no caveat
    assert table.loc["丙县", ["多年合并值", "合并依据"]].tolist() == ["—", "—"]
    assert "分子之和" in peers.pooled_note()


def test_without_counts_the_ranking_has_no_pooled_columns():
    frame = mortality_frame([10.0, 20.0])
    pooled = peers.pooled_rates(counted([("r1", 2024, None, None)]), frame, "x", UNITS,
                                SETTINGS)
    assert pooled.empty
    assert "多年合并值" not in peers.ranking(frame, "x", NAMES, pooled).columns
