"""The indicators local plans define themselves, evaluated beside the outline's own: each sits
after the outline's indicators of its area and applies only in its plan's region and the regions
below it. An evaluation of regions under no such plan is the outline's alone, row for row."""
from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.catalogue import Catalogue
from metrics.regions import RegionTree
from metrics.targets import plans_of_outline

# Local indicators follow the outline's own within an area, in the order their plan gives them.
LOCAL_SORT_OFFSET = 10_000
LOCAL_MARK = "（本地指标）"
DEFINING = ["defining_plan_id", "defining_plan_name", "defining_region_code"]


def local_indicators(cat: Catalogue, national: pd.DataFrame, outline_id: str) -> pd.DataFrame:
    """The local indicators of the outline's plans in the columns and dtypes of `national`
    (the outline's indicators, engine.listed_indicators), with defining_plan_id,
    defining_plan_name and defining_region_code (the plan, its title and its region)."""
    plans = plans_of_outline(cat.plans, outline_id).set_index("id")
    family = plans["region_code"]
    local = cat.local_indicators[cat.local_indicators["plan_id"].isin(family.index)]
    areas = cat.areas[cat.areas["plan_id"] == outline_id][["area_code", "name", "sort_order"]]
    meta = cat.indicators.drop(columns=["unit", "direction"]).rename(
        columns={"code": "indicator_code"}).drop(columns=["name"])
    rows = (local.rename(columns={"code": "indicator_code", "plan_id": "defining_plan_id"})
            [["indicator_code", "defining_plan_id", "area_code", "sort_order", "name", "unit",
              "direction"]]
            .merge(areas.rename(columns={"name": "area_name", "sort_order": "area_order"}),
                   on="area_code")
            .merge(meta, on="indicator_code", how="left"))
    rows["sort_order"] = rows["sort_order"] + LOCAL_SORT_OFFSET
    rows["main_target"] = False
    rows["defining_region_code"] = rows["defining_plan_id"].map(family)
    rows["defining_plan_name"] = rows["defining_plan_id"].map(plans["name"])
    typed = rows.reindex(columns=national.columns).astype(national.dtypes.to_dict())
    return typed.assign(**{c: rows[c].astype("string") for c in DEFINING})


def with_local(national: pd.DataFrame, local: pd.DataFrame) -> pd.DataFrame:
    """The outline's indicators and the local ones, in outline order (areas, then order
    within each); the outline's keep their relative order."""
    national = national.assign(**{c: pd.Series(pd.NA, index=national.index, dtype="string")
                                  for c in DEFINING})
    if local.empty:
        return national
    return (pd.concat([national, local], ignore_index=True)
            .sort_values(["area_order", "sort_order"], kind="stable").reset_index(drop=True))


def defining_columns(indicators: pd.DataFrame, indicator_of_row: np.ndarray) -> pd.DataFrame:
    """The DEFINING columns of each grid row, as categoricals (NA for the outline's own):
    taken as text columns they doubled the cost of taking the indicators' columns."""
    columns = {}
    for column in DEFINING:
        codes, values = pd.factorize(indicators[column])
        columns[column] = pd.Categorical.from_codes(codes[indicator_of_row], values)
    return pd.DataFrame(columns)


def applies(cat: Catalogue, indicators: pd.DataFrame, indicator_of_row: np.ndarray,
            regions: pd.Index, region_of_row: np.ndarray) -> np.ndarray:
    """For each grid row (an indicator and a region by position): whether the indicator
    applies there, always for the outline's own, for a local one where its plan's region is
    the region or above it."""
    defining = indicators["defining_region_code"]
    if defining.isna().all():
        return np.ones(len(indicator_of_row), dtype=bool)
    tree = RegionTree(cat.regions)
    ancestors = tree.ancestor_positions(regions)              # region × levels up
    plan_place = tree.positions(defining.fillna(""))           # −1 for the outline's own
    place = plan_place[indicator_of_row]
    under = (ancestors[region_of_row] == place[:, None]).any(axis=1) & (place >= 0)
    return defining.isna().to_numpy()[indicator_of_row] | under


def asked_codes(cat: Catalogue, indicators: pd.DataFrame, region_codes) -> list[str]:
    """The codes whose values an evaluation of these regions needs: the outline's, and the
    local ones applying in at least one of the regions."""
    defining = indicators["defining_region_code"]
    if defining.isna().all():
        return list(indicators["indicator_code"])
    tree = RegionTree(cat.regions)
    ancestors = np.unique(tree.ancestor_positions(pd.Index(region_codes).unique()))
    needed = defining.isna() | pd.Series(np.isin(tree.positions(defining.fillna("")), ancestors)
                                         & defining.notna().to_numpy(), index=defining.index)
    return list(indicators.loc[needed, "indicator_code"])


def only_applying(frame: pd.DataFrame, applies: np.ndarray) -> pd.DataFrame:
    """The grid's rows where their indicator applies, the DEFINING columns naming only the
    plans those rows have (so the regions under no plan read as if none existed)."""
    kept = frame[applies].reset_index(drop=True)
    for column in DEFINING:
        kept[column] = kept[column].cat.remove_unused_categories()
    return kept


def marked_names(frame: pd.DataFrame) -> pd.Series:
    """The indicators' names as tables and briefings show them: a local plan's own indicator
    marked 「妇女之家」覆盖率（本地指标）."""
    return frame["name"].where(~is_local(frame), frame["name"] + LOCAL_MARK)


def is_local(frame: pd.DataFrame) -> pd.Series:
    """Which evaluated rows are of a local plan's own indicator (none in rows put together
    without the defining_* columns)."""
    if "defining_plan_id" not in frame:
        return pd.Series(False, index=frame.index)
    return frame["defining_plan_id"].notna()
