"""Rates resting on few events. Where a count and its denominator are stored with a rate
(maternal deaths and live births), a rate on fewer than `small_count` events, or a percentage
on fewer than `small_denominator` cases, is marked 基数小，波动大 with a 95% interval:
Byar's approximation to the exact Poisson interval for rates per 1,000 / 100,000, Wilson's
interval for percentages."""
from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.settings import EvaluationSettings

Z = 1.959964  # two-sided 95%


def poisson_interval(count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximation of the exact 95% Poisson interval for event counts."""
    upper_n = count + 1
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero count: lower bound 0 below
        lower = count * (1 - 1 / (9 * count) - Z / (3 * np.sqrt(count))) ** 3
    upper = upper_n * (1 - 1 / (9 * upper_n) + Z / (3 * np.sqrt(upper_n))) ** 3
    return np.where(count > 0, lower, 0.0), upper


def wilson_interval(successes: np.ndarray, total: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Wilson's 95% interval for proportions, as shares of 1."""
    p = successes / total
    centre = (p + Z**2 / (2 * total)) / (1 + Z**2 / total)
    with np.errstate(invalid="ignore"):  # more successes than cases: no interval (NaN)
        half = Z * np.sqrt(p * (1 - p) / total + Z**2 / (4 * total**2)) / (1 + Z**2 / total)
    return centre - half, centre + half


def per_unit(unit: pd.Series, units: pd.DataFrame) -> np.ndarray:
    """Each row's `per` (100 for %, 1,000 for ‰, 100,000 for /10万), NaN for a unit without one.
    Looked up once per distinct unit: Series.map on pandas' Arrow strings is ~20× slower."""
    code, distinct = pd.factorize(unit)
    per = units.set_index("unit")["per"].reindex(distinct).to_numpy(float)
    return np.append(per, np.nan)[code]  # code −1: no unit


def add_intervals(frame: pd.DataFrame, units: pd.DataFrame, settings: EvaluationSettings) -> None:
    """small_numbers (bool), ci_low and ci_high (in the indicator's unit), in place. Worked out
    only on the rows that carry counts: a few indicators out of the whole grid."""
    per = per_unit(frame["unit"], units)
    count = pd.to_numeric(frame["latest_numerator"]).to_numpy(float)
    total = pd.to_numeric(frame["latest_denominator"]).to_numpy(float)
    rows = np.flatnonzero(~np.isnan(count) & (total > 0) & ~np.isnan(per))
    low, high, small = intervals(count[rows], total[rows], per[rows], settings)
    frame["ci_low"] = spread(low, rows, len(frame), np.nan)
    frame["ci_high"] = spread(high, rows, len(frame), np.nan)
    frame["small_numbers"] = spread(small, rows, len(frame), False)


def intervals(count: np.ndarray, total: np.ndarray, per: np.ndarray,
              settings: EvaluationSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For events `count` out of `total` (> 0) in a unit of `per`: the 95% interval's low and
    high ends in that unit, and whether the rate rests on few events (or few cases, for %)."""
    percent = per == 100
    p_low, p_high = poisson_interval(count)
    w_low, w_high = wilson_interval(count, total)
    small = np.where(percent, total < settings.small_denominator,
                     count < settings.small_count)
    return (np.where(percent, w_low * 100, p_low / total * per),
            np.where(percent, w_high * 100, p_high / total * per), small)


def spread(values: np.ndarray, rows: np.ndarray, size: int, empty: float | bool) -> np.ndarray:
    """An array of `size` holding `values` at `rows` and `empty` elsewhere."""
    spread_out = np.full(size, empty, dtype=values.dtype)
    spread_out[rows] = values
    return spread_out
