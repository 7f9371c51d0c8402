"""The evaluation inputs (Store.fetch_evaluation_inputs) worked out the plain way, one
(indicator, region) series at a time in pandas: the test oracle for each backend's SQL.

For each series, the values at or before the evaluation year (empty values left out):
- latest: the newest value, its year, and the numerator and denominator stored with it (none
  when that year has none);
- baseline: the value of the baseline year, else of the earlier neighbour, else of the later
  one, nearest first, within the window;
- trend: the least-squares line through the newest `points` values, slope per year, intercept
  at year 0; no slope for a single point.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ["indicator_code", "region_code", "latest_year", "latest_value", "latest_numerator",
           "latest_denominator", "baseline_year_used", "baseline_value", "trend_points",
           "trend_slope", "trend_intercept"]


def baseline(series: pd.DataFrame, baseline_year: int, window: int) -> tuple[float, float]:
    """(year used, value): the baseline year, else the earlier, else the later neighbour."""
    distance = (series["year"] - baseline_year).abs()
    near = series[distance <= window]
    if near.empty:
        return np.nan, np.nan
    order = (near["year"] - baseline_year).abs() * 10 + (near["year"] > baseline_year)
    chosen = near.loc[order.idxmin()]
    return chosen["year"], chosen["value"]


def trend(series: pd.DataFrame, points: int) -> tuple[int, float, float]:
    """(points used, slope, intercept) of the least-squares line through the newest values."""
    last = series.tail(points)
    x, y = last["year"].to_numpy(float), last["value"].to_numpy(float)
    if len(last) < 2:
        return len(last), np.nan, np.nan
    slope, intercept = np.polyfit(x, y, 1)
    return len(last), slope, intercept


def evaluation_inputs(observations: pd.DataFrame, indicator_codes: list[str],
                      region_codes: list[str], year: int, baseline_year: int, window: int,
                      points: int) -> pd.DataFrame:
    """One row per (indicator, region) with a value at or before `year`, columns COLUMNS."""
    usable = observations[observations["value"].notna() & (observations["year"] <= year)
                          & observations["indicator_code"].isin(indicator_codes)
                          & observations["region_code"].isin(region_codes)]
    rows = []
    for (indicator, region), series in usable.groupby(["indicator_code", "region_code"]):
        series = series.sort_values("year")
        newest = series.iloc[-1]
        rows.append([indicator, region, newest["year"], newest["value"],
                     newest["numerator"], newest["denominator"],
                     *baseline(series, baseline_year, window), *trend(series, points)])
    return pd.DataFrame(rows, columns=COLUMNS)
