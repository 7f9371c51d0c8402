"""Roll-up and reconciliation: a rate indicator whose counts (numerator, denominator) the regions
one level down reported gives the region a computed value, Σ numerators / Σ denominators in
the indicator's unit. Where the region reported its own value, the two are compared; a
difference beyond the tolerance (settings `reporting.rollup_tolerance_share` of the computed
value, and never less than half the last decimal the indicator is published with, so that
rounding alone is no disagreement) is flagged for the reviewer. Where it did not, the computed
value is a candidate. Shares and rates without counts are never averaged into a parent value.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.catalogue import Catalogue
from metrics.regions import RegionTree
from metrics.reporting import outline_codes
from metrics.settings import ReportingSettings
from metrics.store import Store

STATUS_LABELS = {"agrees": "一致", "disagrees": "不一致", "candidate": "未报，可采用汇总值"}
COLUMNS = ["indicator_code", "name", "unit", "numerator", "denominator", "counted_regions",
           "counted_codes", "child_regions", "computed", "reported", "difference", "status"]


def rate_indicators(cat: Catalogue, outline_id: str) -> pd.DataFrame:
    """The outline's indicators measured as rates (%, ‰, 1/万, 1/10万): code, name, unit,
    decimals, per (the rate's multiplier)."""
    facts = cat.indicators.set_index("code").reindex(outline_codes(cat, outline_id))
    units = cat.units.set_index("unit")
    kind = facts["unit"].map(units["kind"])
    rates = facts[kind == "rate"].assign(per=lambda f: f["unit"].map(units["per"]).astype(float))
    return rates[["name", "unit", "decimals", "per"]].rename_axis("indicator_code")


def rollup(store: Store, cat: Catalogue, settings: ReportingSettings, outline_id: str,
           region_code: str, year: int) -> pd.DataFrame:
    """Per rate indicator with counts below: COLUMNS (counts summed over the regions one level
    down, real or demonstration as the region is, that reported both, `counted_codes` those regions; computed in the indicator's unit;
    reported the region's own value, NA when none; status one of STATUS_LABELS)."""
    # The fictional demonstration city lies under 全国: its counts are never summed into a real
    # region's value (nor a real region's into its own).
    below = RegionTree(cat.regions).children(region_code)
    demo = cat.regions.set_index("code")["is_demo"].get(region_code, False)
    children = list(below.loc[below["is_demo"] == demo, "code"])
    rates = rate_indicators(cat, outline_id)
    if not children or rates.empty:
        return pd.DataFrame(columns=COLUMNS)
    stored = store.fetch_observations(list(rates.index), children + [region_code])
    stored = stored[stored["year"] == year]
    below = stored[stored["region_code"].isin(children) & stored["numerator"].notna()
                   & (stored["denominator"] > 0)]
    sums = below.groupby("indicator_code").agg(
        numerator=("numerator", "sum"), denominator=("denominator", "sum"),
        counted_regions=("region_code", "nunique"),
        counted_codes=("region_code", lambda codes: sorted(set(codes))))
    if sums.empty:
        return pd.DataFrame(columns=COLUMNS)
    found = sums.join(rates, how="inner")
    own = stored[stored["region_code"] == region_code].set_index("indicator_code")["value"]
    found["computed"] = found["numerator"] * found["per"] / found["denominator"]
    found["reported"] = own.reindex(found.index).astype(float)
    found["difference"] = found["reported"] - found["computed"]
    allowed = np.maximum(settings.rollup_tolerance_share * found["computed"].abs(),
                         0.5 * 10.0 ** -found["decimals"].fillna(1).astype(float))
    found["status"] = np.where(found["reported"].isna(), "candidate",
                               np.where(found["difference"].abs() > allowed + 1e-12,
                                        "disagrees", "agrees"))
    found["child_regions"] = len(children)
    return found.reset_index()[COLUMNS]


def rollup_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The roll-up as people read it (page and command line): the flag and the two values
    first, so that a phone shows them without scrolling sideways."""
    def number(value, digits: int = 2) -> str:
        return "" if pd.isna(value) else f"{value:.{digits}f}"
    return pd.DataFrame({
        "指标": frame["name"], "核对": frame["status"].map(STATUS_LABELS),
        "汇总值": frame["computed"].map(number), "本级填报": frame["reported"].map(number),
        "差值": frame["difference"].map(number), "单位": frame["unit"],
        "下级计数": [f"{int(n):,}/{int(d):,}" for n, d in zip(frame["numerator"],
                                                            frame["denominator"])],
        "有计数的下级": [f"{c}/{t}" for c, t in zip(frame["counted_regions"],
                                                  frame["child_regions"])]})
