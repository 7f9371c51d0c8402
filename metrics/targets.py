"""Targets: which plan's target applies to a region (the nearest plan up the region tree), and
how a target reads in Chinese (≤12/10万（2030年）, 逐步提高, 较2020年下降20% …)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from metrics import regions as regions_module
from metrics.wording import format_number, format_value, unit_suffix

VERIFIED_LABELS = {"yes": "已核实", "not_found": "未核实", "changed": "已更正"}
# Target columns are prefixed target_ once joined with observations, whose value/source differ.
TARGET_FIELDS = ("kind", "value", "tolerance", "text", "source", "verified", "confidence",
                 "evidence")
KIND_LABELS = {"at_least": "≥", "at_most": "≤", "around": "约", "maintain": "保持",
               "increase": "逐步提高", "decrease": "逐步下降", "reduce_by_pct": "较基线下降"}


def plans_of_outline(plans: pd.DataFrame, outline_id: str) -> pd.DataFrame:
    """The national outline and every local plan derived from it."""
    return plans[(plans["id"] == outline_id) | (plans["parent_plan"] == outline_id)]


def family_targets(targets: pd.DataFrame, plans: pd.DataFrame, outline_id: str) -> pd.DataFrame:
    """Every target set by the outline or a local plan derived from it: one row per (plan,
    indicator) with the plan's id, name, level, region and baseline year, and the target's
    fields prefixed target_."""
    family = plans_of_outline(plans, outline_id)[
        ["id", "name", "level", "region_code", "baseline_year"]].rename(
        columns={"id": "plan_id", "name": "plan_name", "level": "plan_level",
                 "region_code": "plan_region_code"})
    renamed = {c: f"target_{c}" for c in TARGET_FIELDS}
    return family.merge(targets, on="plan_id").rename(columns=renamed)


def targets_in_force(family: pd.DataFrame, regions: pd.DataFrame, region_codes: pd.Index,
                     indicator_codes: pd.Index) -> np.ndarray:
    """For each indicator (rows) and region (columns): the row of `family` (see family_targets)
    whose target applies there, that of the nearest plan up the region tree setting one for the
    indicator (on a tie, the first such row); −1 where no plan does. region_codes must be unique.

    Regions lying under the same plans share the answer, so it is worked out once for each such
    chain of plans (a handful), not for each of thousands of regions."""
    tree = regions_module.RegionTree(regions)
    ancestors = tree.ancestor_positions(region_codes)
    place_of_row, places = pd.factorize(family["plan_region_code"])
    place_in_tree = tree.positions(places)
    above = (ancestors[:, :, None] == place_in_tree) & (place_in_tree >= 0)
    # Levels from each region up to each plan's region; the tree's depth where it is not above.
    distance = np.where(above.any(axis=1), above.argmax(axis=1), ancestors.shape[1])
    chains, chain_of_region = np.unique(distance, axis=0, return_inverse=True)
    row_distance = chains[:, place_of_row]
    indicator = indicator_codes.get_indexer(family["indicator_code"])
    chain, row = np.nonzero((row_distance < ancestors.shape[1]) & (indicator >= 0))
    # Per (chain, indicator) cell, the candidate rows nearest first; the first of each applies.
    cell = chain * len(indicator_codes) + indicator[row]
    nearest_first = np.lexsort((row_distance[chain, row], cell))
    cells, first = np.unique(cell[nearest_first], return_index=True)
    in_force = np.full(len(chains) * len(indicator_codes), -1)
    in_force[cells] = row[nearest_first][first]
    return in_force.reshape(len(chains), len(indicator_codes))[chain_of_region.reshape(-1)].T


def describe(kind: str, value: float | None, tolerance: float | None, unit: str,
             decimals: int | None, target_year: int, baseline_year: int | None) -> str:
    """The target in one short Chinese phrase, e.g. 2030年≤12/10万, 2030年较2020年下降20%."""
    year = f"{int(target_year)}年"
    if kind in ("at_least", "at_most"):
        return f"{year}{KIND_LABELS[kind]}{format_value(value, unit, None)}"
    if kind == "around":
        band = "" if pd.isna(tolerance) else f"（±{format_number(tolerance)}{unit_suffix(unit)}）"
        return f"{year}保持在{format_value(value, unit, None)}左右{band}"
    if kind == "reduce_by_pct":
        return f"{year}较{int(baseline_year)}年下降{format_number(value)}%"
    if kind == "maintain":
        return f"{year}保持基线水平"
    return f"{year}前{KIND_LABELS[kind]}"


def verified_label(verified: str) -> str:
    """已核实 / 未核实 / 已更正."""
    return VERIFIED_LABELS.get(verified, "未核实")
