"""What the users' local plans decide in a region beyond its targets: the indicators a plan
does not monitor (dropped: left out of the evaluation of every region under it) and who is
responsible for each indicator (目标责任分解: the lead and supporting units, contact and
deadline the plan assigns, in place of the catalogue's departments).

As for targets (metrics/targets.targets_in_force), the nearest plan up the region tree decides:
a county plan under a city plan that dropped an indicator monitors it again by setting a target
or assigning it; a county without a plan of its own follows the city's.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from metrics import targets
from metrics.catalogue import Catalogue
from metrics.regions import RegionTree

DUTY_COLUMNS = ["responsibility_plan", "responsibility_contact", "responsibility_deadline"]


def governing_plan(cat: Catalogue, outline_id: str, region_code: str) -> pd.Series | None:
    """The local plan of the outline governing the region: its own, else that of the nearest
    region above; None where the outline alone applies."""
    family = targets.plans_of_outline(cat.plans, outline_id)
    local = family[family["level"] != "national"].set_index("region_code", drop=False)
    for code in reversed(RegionTree(cat.regions).ancestors(region_code)):
        if code in local.index:
            return local.loc[code]
    return None


def governing_line(cat: Catalogue, outline_id: str, region_code: str) -> str | None:
    """「适用规划：《贵港市妇女发展规划（2011—2020年）》」 for a region under a local plan, as
    page headings and briefings name it; None where the outline alone applies."""
    plan = governing_plan(cat, outline_id, region_code)
    return None if plan is None else f"适用规划：《{plan['name']}》"


def plan_rows(cat: Catalogue, outline_id: str) -> pd.DataFrame:
    """The own indicator rows of the local plans derived from the outline, each with its
    plan's name and region (plan_name, plan_region_code)."""
    family = targets.plans_of_outline(cat.plans, outline_id)[["id", "name", "region_code"]]
    family = family.rename(columns={"id": "plan_id", "name": "plan_name",
                                    "region_code": "plan_region_code"})
    return family.merge(cat.user_plan_indicators, on="plan_id")


def dropped_cells(cat: Catalogue, family: pd.DataFrame, rows: pd.DataFrame,
                  region_codes: pd.Index, indicator_codes: pd.Index) -> np.ndarray:
    """For each indicator (rows) and region (columns): whether the nearest plan up the tree
    saying anything of the indicator (a target, a responsibility, a drop) dropped it.
    family: targets.family_targets of the outline; rows: its plan_rows."""
    if not rows["dropped_reason"].notna().any():
        return np.zeros((len(indicator_codes), len(region_codes)), dtype=bool)
    said = pd.concat([rows[["plan_region_code", "indicator_code", "dropped_reason"]],
                      family[["plan_region_code", "indicator_code"]]], ignore_index=True)
    nearest = targets.targets_in_force(said, cat.regions, region_codes, indicator_codes)
    reasons = said["dropped_reason"].notna().to_numpy()
    return (nearest >= 0) & reasons[np.maximum(nearest, 0)]


def with_responsibilities(frame: pd.DataFrame, cat: Catalogue, rows: pd.DataFrame,
                          region_codes: pd.Index, indicator_codes: pd.Index,
                          cell_of_row: np.ndarray) -> pd.DataFrame:
    """The evaluation grid (engine.assemble: row i is cell cell_of_row[i] = indicator ×
    len(region_codes) + region) with each row's responsibilities as the nearest plan assigning
    the indicator has them: lead_department, supporting_departments, and DUTY_COLUMNS (the
    plan's name, the contact and deadline; empty where the catalogue's departments stand).
    rows: plan_rows of the outline."""
    frame = frame.assign(**{column: pd.Series(pd.NA, index=frame.index, dtype="string")
                            for column in DUTY_COLUMNS})
    assigning = rows[rows["lead_unit"].notna()].reset_index(drop=True)
    if assigning.empty:
        return frame
    nearest = targets.targets_in_force(assigning, cat.regions, region_codes,
                                       indicator_codes).reshape(-1)[cell_of_row]
    assigned = nearest >= 0
    source = assigning.take(nearest[assigned])
    for column, field in (("lead_department", "lead_unit"),
                          ("supporting_departments", "supporting_units"),
                          ("responsibility_plan", "plan_name"),
                          ("responsibility_contact", "contact"),
                          ("responsibility_deadline", "deadline")):
        frame.loc[assigned, column] = source[field].to_numpy()
    return frame


def region_terms(cat: Catalogue, outline_id: str, region_code: str,
                 indicator_codes: pd.Index) -> pd.DataFrame:
    """Per indicator (the index), what the plans up the tree decide in the region: the
    responsibilities of the nearest plan assigning it (lead_unit, supporting_units, contact,
    deadline, responsibility_plan; empty where none does) and, when dropped, why and by which
    plan (dropped_reason, dropped_by)."""
    rows = plan_rows(cat, outline_id)
    region = pd.Index([region_code])
    columns = ["lead_unit", "supporting_units", "contact", "deadline"]
    out = pd.DataFrame(index=indicator_codes, columns=[*columns, "responsibility_plan",
                                                       "dropped_reason", "dropped_by"],
                       dtype=object)
    for subset, fields, named in ((rows[rows["lead_unit"].notna()], columns,
                                   "responsibility_plan"),
                                  (rows[rows["dropped_reason"].notna()], ["dropped_reason"],
                                   "dropped_by")):
        subset = subset.reset_index(drop=True)
        if subset.empty:
            continue
        nearest = targets.targets_in_force(subset, cat.regions, region, indicator_codes)[:, 0]
        found = nearest >= 0
        chosen = subset.take(nearest[found])
        out.loc[indicator_codes[found], fields] = chosen[fields].to_numpy()
        out.loc[indicator_codes[found], named] = chosen["plan_name"].to_numpy()
    family = targets.family_targets(cat.targets, cat.plans, outline_id)
    dropped = dropped_cells(cat, family, rows, region, indicator_codes)[:, 0]
    out.loc[~dropped, ["dropped_reason", "dropped_by"]] = None
    return out
