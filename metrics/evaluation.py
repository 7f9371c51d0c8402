"""Indicators of an outline for a set of regions in one evaluation year: baseline, latest value
and the effective target, side by side, and the plain latest-versus-target comparison.

Everything is computed for all indicators and regions at once with frame operations; nothing
loops over observations. Input observations come from store.fetch_observations.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from metrics import config
from metrics import regions as regions_module
from metrics import targets as targets_module
from metrics.catalogue import Catalogue

BASELINE_WINDOW = 1  # years either side of the baseline year accepted when it has no value
COMPARISON_LABELS = {"met": "达标", "not_met": "未达标", "no_data": "无数据",
                     "no_target": "无量化目标"}
NUMERIC_KINDS = ("at_least", "at_most", "around", "reduce_by_pct")


def outline_indicators(cat: Catalogue, outline_id: str) -> pd.DataFrame:
    """The outline's indicators in outline order, with area and indicator metadata."""
    listed = cat.plan_indicators[cat.plan_indicators["plan_id"] == outline_id]
    areas = cat.areas[cat.areas["plan_id"] == outline_id][["area_code", "name", "sort_order"]]
    frame = (listed.merge(areas.rename(columns={"name": "area_name", "sort_order": "area_order"}),
                          on="area_code")
             .merge(cat.indicators, left_on="indicator_code", right_on="code")
             .sort_values(["area_order", "sort_order"]))
    return frame.drop(columns=["code", "plan_id"]).reset_index(drop=True)


def latest_values(observations: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per (indicator, region): the newest value at or before `year`, with its year and source."""
    usable = observations[(observations["year"] <= year) & observations["value"].notna()]
    latest = usable.sort_values("year").drop_duplicates(
        ["indicator_code", "region_code"], keep="last")
    return latest[["indicator_code", "region_code", "year", "value", "source"]].rename(
        columns={"year": "latest_year", "value": "latest_value", "source": "latest_source"})


def baseline_values(observations: pd.DataFrame, baseline_year: int) -> pd.DataFrame:
    """Per (indicator, region): the value at the baseline year, else the nearest year within
    ±BASELINE_WINDOW (the earlier one on a tie), with the year actually used."""
    usable = observations[observations["value"].notna()
                          & (observations["year"] - baseline_year).abs().le(BASELINE_WINDOW)]
    ranked = usable.assign(gap=(usable["year"] - baseline_year).abs())
    chosen = ranked.sort_values(["gap", "year"]).drop_duplicates(
        ["indicator_code", "region_code"])
    return chosen[["indicator_code", "region_code", "year", "value"]].rename(
        columns={"year": "baseline_year_used", "value": "baseline_value"})


def assemble(cat: Catalogue, observations: pd.DataFrame, outline_id: str,
             region_codes: list[str], year: int) -> pd.DataFrame:
    """One row per (region, indicator of the outline): metadata, effective target, baseline,
    latest value, and the plain comparison."""
    plan = cat.plans.set_index("id").loc[outline_id]
    indicators = outline_indicators(cat, outline_id)
    grid = indicators.merge(pd.DataFrame({"region_code": region_codes}), how="cross")
    ancestors = regions_module.ancestor_table(cat.regions)
    targets = targets_module.effective_targets(cat.targets, cat.plans, ancestors, outline_id,
                                               region_codes)
    frame = (grid.merge(targets, on=["region_code", "indicator_code"], how="left")
             .merge(baseline_values(observations, int(plan["baseline_year"])),
                    on=["indicator_code", "region_code"], how="left")
             .merge(latest_values(observations, year),
                    on=["indicator_code", "region_code"], how="left"))
    frame["outline_baseline_year"] = int(plan["baseline_year"])
    frame["comparison"] = compare_latest(frame)
    return frame


def target_threshold(frame: pd.DataFrame) -> pd.Series:
    """The value the latest value is compared with: the target value, or for a reduction
    relative to the baseline, baseline × (1 − pct/100)."""
    relative = frame["baseline_value"] * (1 - frame["target_value"] / 100)
    return frame["target_value"].where(frame["target_kind"] != "reduce_by_pct", relative)


def band_half_width(frame: pd.DataFrame) -> pd.Series:
    """Tolerance of an "around" target: the plan's own, else the office default."""
    settings = config.settings()["evaluation"]
    default = (frame["target_value"] * settings["around_tolerance_share"]).where(
        frame["unit"] != "%", settings["around_tolerance_points"])
    return frame["target_tolerance"].fillna(default)


def compare_latest(frame: pd.DataFrame) -> pd.Series:
    """met / not_met / no_data / no_target, comparing the latest value with the target as
    written (no tolerance, no trend; those come with the evaluation flags)."""
    threshold = target_threshold(frame)
    latest = frame["latest_value"]
    kind = frame["target_kind"]
    band = band_half_width(frame)
    met = np.select(
        [kind.eq("at_least"), kind.isin(["at_most", "reduce_by_pct"]), kind.eq("around")],
        [latest >= threshold, latest <= threshold, (latest - threshold).abs() <= band],
        default=False)
    result = pd.Series(np.where(met, "met", "not_met"), index=frame.index)
    result[latest.isna() | threshold.isna()] = "no_data"
    result[~kind.isin(NUMERIC_KINDS)] = "no_target"
    return result
