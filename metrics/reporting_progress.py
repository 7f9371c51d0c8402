"""报送进度: for an outline and a year, a region and the regions one level down with their
period's state, the indicators supplied against those it is asked for (metrics/evaluation/expected), when they were submitted,
whether they are overdue against the outline's deadline, and the steps the person may take on
each now (what "needs my action" filters on).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from metrics.access import Actor
from metrics.catalogue import Catalogue
from metrics.evaluation import expected
from metrics.regions import RegionTree, visible_regions
from metrics.reporting import (
    DONE,
    STATE_LABELS,
    STEPS,
    Period,
    refusal,
    reporting_below,
    states,
)
from metrics.settings import ReportingSettings
from metrics.store import Store

COLUMNS = ["region_code", "name", "level", "reports", "state", "state_label", "supplied",
           "expected", "submitted_by", "submitted_at", "due", "overdue", "late", "actions"]


def completeness(store: Store, cat: Catalogue, outline_id: str, year: int,
                 codes: list[str]) -> pd.DataFrame:
    """Per region (index, as given): how many of the indicators it is asked for
    (expected.expected_cells) are expected, and how many of those hold a value for the year
    (supplied)."""
    asked = expected.expected_cells(cat, outline_id, codes)
    stored = store.fetch_observations(list(asked.index), codes)
    of_year = stored[stored["year"] == year]
    held = np.zeros(asked.shape, dtype=bool)
    row = asked.index.get_indexer(of_year["indicator_code"])
    column = asked.columns.get_indexer(of_year["region_code"])
    known = (row >= 0) & (column >= 0)
    held[row[known], column[known]] = True
    return pd.DataFrame({"expected": asked.to_numpy().sum(axis=0),
                         "supplied": (asked.to_numpy() & held).sum(axis=0)},
                        index=asked.columns)


def pending_by_region(store: Store, tree: RegionTree, settings: ReportingSettings,
                      outline_id: str, year: int, codes: list[str]) -> dict[str, list[str]]:
    """For each region, the names of the reporting regions below it not yet approved (one
    read of the store for all of them)."""
    below = {code: reporting_below(tree, settings, code) for code in codes}
    every = sorted({c for found in below.values() for c in found})
    if not every:
        return {code: [] for code in codes}
    found = states(store, outline_id, year, every).set_index("region_code")["state"]
    names = tree.regions.set_index("code")["name"]
    return {code: [f"{names[c]}（{STATE_LABELS[found[c]]}）" for c in under
                   if found[c] not in DONE] for code, under in below.items()}


def listed_regions(tree: RegionTree, settings: ReportingSettings, region_code: str,
                   show_demo: bool, every_level: bool) -> pd.DataFrame:
    """The region itself when its level reports, then the regions one level down (or, with
    `every_level`, every reporting region under it, in official order); the demonstration
    city only when `show_demo`."""
    regions = visible_regions(tree.regions, show_demo)
    if every_level:
        inside = tree.under(regions["code"], [region_code]) & regions["level"].isin(
            settings.levels).to_numpy()
        return regions[inside].sort_values("sort_order")
    own = regions[(regions["code"] == region_code) & regions["level"].isin(settings.levels)]
    return pd.concat([own, regions[regions["parent_code"] == region_code]
                      .sort_values("sort_order")])


def progress(store: Store, cat: Catalogue, settings: ReportingSettings, actor: Actor,
             outline_id: str, year: int, region_code: str, *, show_demo: bool,
             every_level: bool = False, today: dt.date | None = None) -> pd.DataFrame:
    """The periods of listed_regions: COLUMNS, `actions` the steps `actor` may take now (a
    tuple of STEPS keys)."""
    tree = RegionTree(cat.regions)
    shown = listed_regions(tree, settings, region_code, show_demo, every_level)
    codes = list(shown["code"])
    today = today or store.local_time().date()
    due = settings.due(outline_id, year)
    found = states(store, outline_id, year, codes)
    pending = pending_by_region(store, tree, settings, outline_id, year, codes)
    counts = completeness(store, cat, outline_id, year, codes)
    frame = found.assign(
        name=shown["name"].to_numpy(), level=shown["level"].to_numpy(),
        reports=shown["level"].isin(settings.levels).to_numpy(),
        state_label=found["state"].map(STATE_LABELS),
        supplied=counts["supplied"].to_numpy(), expected=counts["expected"].to_numpy(),
        due=due)
    frame["overdue"] = frame["reports"] & (frame["state"] == "open") & (today > due)
    submitted = pd.to_datetime(frame["submitted_at"])
    frame["late"] = (submitted.dt.normalize() > pd.Timestamp(due)).fillna(False).astype(bool)
    frame["actions"] = [tuple(a for a in STEPS if refusal(a, actor, tree, settings, code,
                                                          state, pending[code]) is None)
                        for code, state in zip(frame["region_code"], frame["state"])]
    return frame[COLUMNS].reset_index(drop=True)


def progress_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows as people read them (page and command line)."""
    def when(value) -> str:
        return "" if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")
    overdue = [("逾期未报" if o else "") + ("逾期报送" if late else "")
               for o, late in zip(frame["overdue"], frame["late"])]
    return pd.DataFrame({
        "地区代码": frame["region_code"], "地区": frame["name"], "状态": frame["state_label"],
        "已填/应填": [f"{s}/{e}" for s, e in zip(frame["supplied"], frame["expected"])],
        "报送人": frame["submitted_by"].fillna(""),
        "报送日期": frame["submitted_at"].map(when), "截止日期": frame["due"].map(str),
        "逾期": overdue,
        "可执行操作": frame["actions"].map(lambda a: "、".join(STEPS[x].label for x in a))})


def period_summary(store: Store, cat: Catalogue, period: Period) -> dict:
    """One period's state, stamps and counts, for `period show`."""
    found = states(store, period.outline_id, period.year, [period.region_code]).iloc[0]
    summary = {k: (None if pd.isna(v) else v) for k, v in found.to_dict().items()}
    counts = completeness(store, cat, period.outline_id, period.year,
                          [period.region_code]).iloc[0]
    return summary | {"state_label": STATE_LABELS[summary["state"]],
                      "supplied": int(counts["supplied"]), "expected": int(counts["expected"])}
