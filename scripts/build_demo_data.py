"""Build the demonstration dataset (演示数据): data/demo/regions.csv and observations.csv.

A fictional city (示范市, code 990100) with seven counties (codes 99xxxx, never assigned by
GB/T 2260). Each county follows the real national series of every indicator that has one, with
a fixed offset per county (some ahead, some behind), a county-specific pace, small noise and a
few gaps, so that comparisons between counties and the flags have something to show. Mortality
rates are built from whole numbers of deaths and births, as county registers are, so small-number
effects are real. The city's values aggregate its counties (Σ deaths / Σ births for rates built
from counts, the mean otherwise). Deterministic: the same catalogue gives the same files.

Usage: python scripts/build_demo_data.py
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metrics import catalogue  # noqa: E402  (the script runs from a checkout, not a package)

CITY = ("990100", "示范市", "示范")
COUNTIES = [("990102", "澄湖区"), ("990103", "望岳区"), ("990121", "青禾县"),
            ("990122", "翠溪县"), ("990123", "兰泽县"), ("990124", "松屏县"),
            ("990181", "枫渡市")]
# Per county: offset in standard steps (positive = better than the nation) and pace factor.
PROFILES = [(0.8, 1.2), (0.5, 1.0), (0.0, 1.0), (-0.3, 0.7), (-0.8, 0.5), (-0.4, -0.3),
            (0.3, 1.1)]
YEARS = list(range(2016, 2025))
SEED = 20211008
SOURCE = "演示数据（虚构）"
# Rates rebuilt from counts: indicator → (births per county range, per).
COUNTED = {"maternal_mortality_ratio": 100000, "infant_mortality_rate": 1000,
           "under5_mortality_rate": 1000, "neonatal_mortality_rate": 1000}


def demo_regions() -> pd.DataFrame:
    """The city under 全国 and its counties under the city."""
    rows = [{"code": CITY[0], "name": CITY[1], "short_name": CITY[2], "level": "city",
             "parent_code": "000000"}]
    rows += [{"code": c, "name": n, "short_name": n[:-1], "level": "county",
              "parent_code": CITY[0]} for c, n in COUNTIES]
    frame = pd.DataFrame(rows)
    frame["sort_order"] = range(900000, 900000 + len(frame))
    return frame


def national_path(national: pd.DataFrame) -> pd.Series:
    """The national series interpolated over YEARS, flat beyond the known years."""
    known = national.set_index("year")["value"].astype(float)
    return pd.Series(np.interp(YEARS, known.index, known.values), index=YEARS)


def county_series(path: pd.Series, ind: pd.Series, offset: float, pace: float,
                  rng: np.random.Generator) -> pd.Series:
    """One county's series: national level shifted by `offset`, national change scaled by
    `pace`, plus noise; clipped to the indicator's valid range."""
    sign = -1.0 if ind["direction"] == "lower" else 1.0
    scale = max(abs(path.mean()) * 0.08, 1e-6)
    start = path.iloc[0] + sign * offset * scale
    values = start + (path - path.iloc[0]) * pace + rng.normal(0, scale * 0.15, len(path))
    low, high = ind["low"], ind["high"]
    return values.clip(lower=low if np.isfinite(low) else None,
                       upper=high if np.isfinite(high) else None)


def counted_rows(code: str, county: str, rates: pd.Series, per: int,
                 rng: np.random.Generator) -> list[dict]:
    """Whole deaths and births behind a mortality rate; the value is recomputed from them."""
    rows = []
    for year, rate in rates.items():
        births = int(rng.integers(3000, 12000))
        deaths = int(round(max(rate, 0) * births / per))
        rows.append({"indicator_code": code, "region_code": county, "year": year,
                     "value": deaths / births * per, "numerator": deaths, "denominator": births})
    return rows


def build_observations(cat: catalogue.Catalogue) -> pd.DataFrame:
    """County and city values for every indicator with a national series."""
    rng = np.random.default_rng(SEED)
    bounds = catalogue.valid_ranges(cat.indicators, cat.units).set_index("code")
    indicators = cat.indicators.set_index("code").join(bounds)
    # National totals (counts of people or institutions) have no county-sized counterpart.
    totals = cat.units.loc[cat.units["kind"] == "count", "unit"]
    national = cat.observations[(cat.observations["region_code"] == "000000")
                                & ~cat.observations["indicator_code"].map(
                                    indicators["unit"]).isin(totals)]
    rows = []
    for code, series in national.groupby("indicator_code", sort=True):
        if series["year"].nunique() < 2:
            continue
        path = national_path(series)
        for (county, _), (offset, pace) in zip(COUNTIES, PROFILES):
            values = county_series(path, indicators.loc[code], offset, pace, rng)
            if code in COUNTED:
                rows += counted_rows(code, county, values, COUNTED[code], rng)
            else:
                rows += [{"indicator_code": code, "region_code": county, "year": y, "value": v}
                         for y, v in values.items()]
    frame = pd.DataFrame(rows)
    frame = drop_gaps(frame, rng)
    frame = pd.concat([frame, city_values(frame)], ignore_index=True)
    return round_values(frame, indicators["decimals"])


def drop_gaps(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Missing data as counties really have it: scattered gaps, and one county that has not
    reported the last two years of its health figures."""
    scattered = rng.random(len(frame)) < 0.06
    late = (frame["region_code"] == "990124") & (frame["year"] >= 2023) & \
        frame["indicator_code"].str.contains("rate|ratio")
    return frame[~(scattered | late)]


def city_values(counties: pd.DataFrame) -> pd.DataFrame:
    """The city: Σ numerator / Σ denominator where counts exist, else the county mean."""
    grouped = counties.groupby(["indicator_code", "year"])
    city = grouped.agg(value=("value", "mean"), numerator=("numerator", "sum"),
                       denominator=("denominator", "sum")).reset_index()
    counted = city["indicator_code"].isin(COUNTED) & city["denominator"].gt(0)
    per = city["indicator_code"].map(COUNTED)
    city.loc[counted, "value"] = city["numerator"] / city["denominator"] * per
    city.loc[~counted, ["numerator", "denominator"]] = np.nan
    return city.assign(region_code=CITY[0])


def round_values(frame: pd.DataFrame, decimals: pd.Series) -> pd.DataFrame:
    """Values rounded to each indicator's decimals, with the demo source."""
    places = frame["indicator_code"].map(decimals).fillna(2).astype(int)
    frame["value"] = [round(v, p) for v, p in zip(frame["value"], places)]
    frame["source"] = SOURCE
    frame["note"] = ""
    columns = catalogue.OBSERVATION_COLUMNS
    return frame[columns].sort_values(["indicator_code", "region_code", "year"])


def main() -> None:
    """Write both files and print what was written."""
    cat = catalogue.load(ROOT / "data")
    out = ROOT / "data" / "demo"
    out.mkdir(exist_ok=True)
    demo_regions().to_csv(out / "regions.csv", index=False, lineterminator="\n")
    real = cat.observations[~cat.observations["region_code"].str.startswith("99")]
    observations = build_observations(catalogue.Catalogue(
        **{**cat.__dict__, "observations": real}))
    observations.to_csv(out / "observations.csv", index=False, lineterminator="\n")
    print(f"演示数据：地区 {len(COUNTIES) + 1} 个，观测值 {len(observations)} 个 → {out}")


if __name__ == "__main__":
    main()
