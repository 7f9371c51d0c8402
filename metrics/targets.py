"""Targets: which plan's target applies to a region (the nearest plan up the region tree), and
how a target reads in Chinese (2030年≤12/10万, 逐步提高, 较2020年下降20% …) and the line a
chart draws for it — worded here once for the tables, charts, explanations and briefings."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics import regions as regions_module
from metrics.wording import difference_unit, format_number, format_value

VERIFIED_LABELS = {"yes": "已核实", "not_found": "未核实", "changed": "已更正"}
# Target columns are prefixed target_ once joined with observations, whose value/source differ.
TARGET_FIELDS = ("kind", "value", "tolerance", "text", "source", "verified", "confidence",
                 "evidence")
KIND_LABELS = {"at_least": "≥", "at_most": "≤", "around": "约", "maintain": "保持",
               "increase": "逐步提高", "decrease": "逐步下降", "reduce_by_pct": "较基线下降"}


def plans_of_outline(plans: pd.DataFrame, outline_id: str) -> pd.DataFrame:
    """The national outline and every local plan derived from it, directly or through the
    plan of a region above (a city plan whose parent is the province's plan)."""
    family = {outline_id}
    while True:
        grown = family | set(plans.loc[plans["parent_plan"].isin(family), "id"])
        if grown == family:
            return plans[plans["id"].isin(family)]
        family = grown


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


@dataclass(frozen=True)
class TargetLine:
    """The horizontal line a chart draws for a numeric target: the value asked for, the band's
    half-width of an "around" target (None otherwise) and the annotation, e.g.
    目标：2030年≤12/10万（已核实）."""
    threshold: float
    band: float | None
    label: str


def target_phrase(kind: str, value: float | None, band: float | None, unit: str,
                  target_year: int, baseline_year: int | None) -> str:
    """The target in one short Chinese phrase, e.g. 2030年≤12/10万, 2030年较2020年下降20%,
    2030年保持在45%左右（±1个百分点）: the band of an "around" target in the unit of a
    difference (percentage points for a % indicator)."""
    year = f"{int(target_year)}年"
    if kind in ("at_least", "at_most"):
        return f"{year}{KIND_LABELS[kind]}{format_value(value, unit)}"
    if kind == "around":
        width = "" if pd.isna(band) else f"（±{format_number(band)}{difference_unit(unit)}）"
        return f"{year}保持在{format_value(value, unit)}左右{width}"
    if kind == "reduce_by_pct":
        return f"{year}较{int(baseline_year)}年下降{format_number(value)}%"
    if kind == "maintain":
        return f"{year}保持基线水平"
    return f"{year}前{KIND_LABELS[kind]}"


# What target_text reads of a row: a frame narrowed to these gives its rows many times faster
# (itertuples of an evaluated frame's 68 columns cost 3 ms for one row).
TEXT_FIELDS = ["target_kind", "target_value", "band", "unit", "target_year",
               "outline_baseline_year", "target_verified"]


def target_text(row) -> str:
    """The target of an evaluated row (engine.evaluate: target_*, band, unit,
    outline_baseline_year) with its verified mark, e.g. 2030年≤12/10万（已核实）; '—' without
    a target."""
    if pd.isna(row.target_kind):
        return "—"
    phrase = target_phrase(row.target_kind, row.target_value, row.band, row.unit,
                           row.target_year, row.outline_baseline_year)
    return f"{phrase}（{verified_label(row.target_verified)}）"


def target_line(row) -> TargetLine | None:
    """The line of an evaluated row's numeric target: the target value (≥, ≤, 约), the goal
    worked out from the baseline (较基线下降, 保持), None for direction-only targets, rows
    without a target and goals resting on a missing baseline."""
    if row.target_kind in ("at_least", "at_most", "around"):
        threshold = row.target_value
    elif row.target_kind in ("reduce_by_pct", "maintain"):
        threshold = row.goal
    else:
        return None
    if pd.isna(threshold):
        return None
    band = row.band if row.target_kind == "around" and pd.notna(row.band) else None
    return TargetLine(float(threshold), band, f"目标：{target_text(row)}")


def verified_label(verified: str) -> str:
    """已核实 / 未核实 / 已更正."""
    return VERIFIED_LABELS.get(verified, "未核实")
