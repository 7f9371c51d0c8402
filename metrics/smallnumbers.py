"""Rates resting on few events. Where a count and its denominator are stored with a rate
(maternal deaths and live births), a rate on fewer than `small_count` events, or a percentage
on fewer than `small_denominator` cases, is marked 基数小，波动大 with a 95% interval:
Byar's approximation to the exact Poisson interval for rates per 1,000 / 100,000, Wilson's
interval for percentages."""
from __future__ import annotations

import numpy as np
import pandas as pd

Z = 1.959964  # two-sided 95%


def poisson_interval(count: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Byar's approximation of the exact 95% Poisson interval for an event count."""
    upper_n = count + 1
    lower = count * (1 - 1 / (9 * count) - Z / (3 * np.sqrt(count))) ** 3
    upper = upper_n * (1 - 1 / (9 * upper_n) + Z / (3 * np.sqrt(upper_n))) ** 3
    return lower.where(count > 0, 0.0), upper


def wilson_interval(successes: pd.Series, total: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Wilson's 95% interval for a proportion, as shares of 1."""
    p = successes / total
    centre = (p + Z**2 / (2 * total)) / (1 + Z**2 / total)
    half = Z * np.sqrt(p * (1 - p) / total + Z**2 / (4 * total**2)) / (1 + Z**2 / total)
    return centre - half, centre + half


def add_intervals(frame: pd.DataFrame, units: pd.DataFrame, settings: dict) -> None:
    """small_numbers (bool), ci_low and ci_high (in the indicator's unit), in place."""
    per = frame["unit"].map(units.set_index("unit")["per"])
    count = pd.to_numeric(frame["latest_numerator"]).astype(float)
    total = pd.to_numeric(frame["latest_denominator"]).astype(float)
    has_counts = count.notna() & total.gt(0) & per.notna()
    percent = per == 100
    p_low, p_high = poisson_interval(count)
    w_low, w_high = wilson_interval(count, total)
    frame["ci_low"] = np.where(percent, w_low * 100, p_low / total * per)
    frame["ci_high"] = np.where(percent, w_high * 100, p_high / total * per)
    small = np.where(percent, total < settings["small_denominator"],
                     count < settings["small_count"])
    frame["small_numbers"] = has_counts & small
    frame.loc[~has_counts, ["ci_low", "ci_high"]] = np.nan
