"""Plausibility warnings of a valid upload, which need the stored values: a year-on-year jump
beyond the configured factor, and an indicator that no plan sets a target for. They never block
an import; they ask a person to look again."""
from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.catalogue import Catalogue, valid_ranges
from metrics.store import OBSERVATION_KEY, Store
from metrics.uploads import values
from metrics.uploads.checks import FIELD_LABELS
from metrics.uploads.problems import Problem, problem
from metrics.wording import format_stored


def jump_warnings(store: Store, rows: pd.DataFrame, cat: Catalogue,
                  jump_factor: float) -> list[Problem]:
    """Year-on-year jumps beyond the configured factor among the new and changed values (an
    unchanged one was accepted before), against the previous year's value in the file or,
    failing that, in the store. Left out: indicators that may be negative, for which a ratio
    means nothing near zero (a 性别差 −0.04 → 0.02), and a move from or to zero, which a county
    rate resting on few events makes without anything being wrong (0 ↔ 9.4/10万)."""
    previous = previous_values(store, rows)
    ratio = rows["value"] / previous
    lowest = valid_ranges(cat.indicators, cat.units).set_index("code")["low"]
    on_ratio_scale = values.look_up(rows["indicator_code"], lowest).to_numpy(float) >= 0
    jumped = ((ratio > jump_factor) | (ratio < 1 / jump_factor)) & (rows["value"] > 0) & (previous > 0)
    jumps = rows.assign(previous=previous)[jumped & on_ratio_scale
                                           & (rows["change"] != "unchanged")]
    indicators = cat.indicators.set_index("code")
    region_names = cat.regions.set_index("code")["name"]
    return [problem("year-jump", r.row, r.value_column, previous_year=r.year - 1,
                    previous=format_stored(r.previous, indicators.at[r.indicator_code, "unit"],
                                           indicators.at[r.indicator_code, "decimals"]),
                    value=format_stored(r.value, indicators.at[r.indicator_code, "unit"],
                                        indicators.at[r.indicator_code, "decimals"]),
                    year=r.year, indicator=indicators.at[r.indicator_code, "name"],
                    region=region_names[r.region_code]) for r in jumps.itertuples()]



def previous_values(store: Store, rows: pd.DataFrame) -> pd.Series:
    """Each row's value of the year before (NaN when unknown), from the file, else the store.
    Keys are matched as integers: merging a million rows on two text columns took a second."""
    indicator, _ = pd.factorize(rows["indicator_code"])
    region, regions = pd.factorize(rows["region_code"])
    year = rows["year"].to_numpy(dtype="int64")
    key = (indicator.astype("int64") * len(regions) + region) * 10_000 + year
    in_file = pd.Index(key).get_indexer(key - 1)
    previous = pd.Series(np.where(in_file >= 0, rows["value"].to_numpy()[in_file], np.nan),
                         index=rows.index)
    asked = rows[in_file < 0]
    stored = store.read_current(asked.assign(year=asked["year"] - 1))
    if not stored.empty:
        found = asked.reset_index().merge(
            stored[OBSERVATION_KEY + ["value"]].astype({"year": "Int64"}).rename(
                columns={"value": "stored"}).assign(year=lambda f: f["year"] + 1),
            on=OBSERVATION_KEY)
        previous.loc[found["index"].to_numpy()] = found["stored"].to_numpy()
    return previous



def no_target_warnings(rows: pd.DataFrame, cat: Catalogue,
                       column: str = FIELD_LABELS["indicator"]) -> list[Problem]:
    """One warning per indicator in the file that no plan sets a target for, at its first
    row."""
    targeted = set(cat.targets["indicator_code"])
    untargeted = rows[~rows["indicator_code"].isin(targeted)].drop_duplicates("indicator_code")
    names = cat.indicators.set_index("code")["name"]
    return [problem("no-target", r.row, column, text=names[r.indicator_code])
            for r in untargeted.itertuples()]
