"""Counts beside a rate: a long sheet's 分子 and 分母 columns (maternal deaths and live births
beside 孕产妇死亡率) are stored with the value, so that a city's rate can be summed from its
counties' (metrics/rollup.py) and a rate resting on few events is recognised.

Both or neither; numbers, not below 0, the denominator above 0; only for rates (%, ‰, 1/万,
1/10万); and the value must be the counts' rate as far as it is written (within half its last
decimal, in the indicator's unit), else the row is refused: which of the three is wrong cannot
be known, and a stored pair that disagrees with its value would be summed into a parent's.
A sheet with years or regions as columns has one value per cell and cannot say whose counts a
row's 分子 are, so counts are read from a long sheet only.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.catalogue import Catalogue
from metrics.uploads import layout as layout_module
from metrics.uploads import values
from metrics.uploads.problems import Problem, problem

FIELDS = ("numerator", "denominator")
LABELS = {"numerator": "分子", "denominator": "分母"}


@dataclass(frozen=True)
class CheckedCounts:
    numerator: pd.Series      # float per record, NaN where none was given
    denominator: pd.Series
    bad: pd.Series            # per record: its counts are refused
    problems: list[Problem]


def layout_problems(found: layout_module.Layout) -> list[Problem]:
    """A count column in a sheet with years or regions as columns: refused at its heading."""
    if found.kind == "long":
        return []
    return [problem("counts-in-wide-sheet", found.header_rows[0] if found.header_rows else None,
                    found.columns[i] or LABELS[field], field=LABELS[field])
            for i, field in found.roles.items() if field in FIELDS]


def checked_counts(frame: pd.DataFrame, cat: Catalogue, found: layout_module.Layout
                   ) -> CheckedCounts:
    """The counts of each record (`frame` as check_records has it: parsed, converted into the
    indicator's unit), and the problems of those that cannot be stored."""
    none = pd.Series(np.nan, index=frame.index, dtype=float)
    written = {f: frame[f].fillna("").str.strip() for f in FIELDS}
    if found.kind != "long" or not (written["numerator"].ne("")
                                    | written["denominator"].ne("")).any():
        return CheckedCounts(none, none.copy(), pd.Series(False, index=frame.index), [])
    # With the catalogue's units, so that 2人 is read as a count with a unit (and refused).
    parsed = {f: values.parse_numbers(written[f], cat.units["unit"]) for f in FIELDS}
    given = {f: written[f].ne("") & ~parsed[f]["missing"] for f in FIELDS}
    numerator, denominator = parsed["numerator"]["number"], parsed["denominator"]["number"]
    units = cat.units.set_index("unit")
    expected_unit = frame["expected_unit"]
    per = values.look_up(expected_unit, units["per"]).astype(float)
    rate = values.look_up(expected_unit, units["kind"]).eq("rate").fillna(False)
    both = given["numerator"] & given["denominator"]
    incomplete = given["numerator"] ^ given["denominator"]
    unreadable = both & (numerator.isna() | denominator.isna() | (numerator < 0)
                         | ~(denominator > 0) | parsed["numerator"]["written_unit"].ne("")
                         | parsed["denominator"]["written_unit"].ne(""))
    not_rate = both & ~unreadable & ~rate
    computed = numerator * per / denominator
    allowed = 0.5 * 10.0 ** -written_decimals(frame["value"]) * conversion(frame, units)
    mismatch = both & ~unreadable & rate & ((frame["number"] - computed).abs()
                                            > allowed + 1e-9)
    bad = (incomplete | unreadable | not_rate | mismatch).fillna(True).astype(bool)
    headings = {field: found.columns[i] or LABELS[field] for i, field in found.roles.items()
                if field in FIELDS}
    problems = []
    for r in frame[bad].itertuples():
        i = r.Index
        if incomplete[i]:
            missing = "denominator" if given["numerator"][i] else "numerator"
            problems.append(problem("count-incomplete", r.row, headings.get(missing,
                                    LABELS[missing]), missing=LABELS[missing]))
        elif unreadable[i]:
            problems.append(problem("bad-count", r.row, headings["numerator"],
                                    numerator=written["numerator"][i],
                                    denominator=written["denominator"][i]))
        elif not_rate[i]:
            problems.append(problem("count-not-rate", r.row, headings["numerator"],
                                    unit=expected_unit[i]))
        else:
            problems.append(problem("count-mismatch", r.row, r.value_column, text=r.value,
                                    numerator=written["numerator"][i],
                                    denominator=written["denominator"][i],
                                    computed=f"{computed[i]:.4g}", unit=expected_unit[i]))
    keep = both & ~bad
    return CheckedCounts(numerator.where(keep), denominator.where(keep), bad, problems)


def written_decimals(texts: pd.Series) -> pd.Series:
    """How many decimals a value cell shows: 4.64‰ → 2, 15 → 0."""
    digits = texts.fillna("").astype("string").str.normalize("NFKC").str.extract(
        r"\.(\d+)")[0]
    return digits.str.len().fillna(0).astype(float)


def conversion(frame: pd.DataFrame, units: pd.DataFrame) -> pd.Series:
    """The factor a value written in another rate unit was multiplied by (1 for the others),
    so that half its last written decimal is measured in the indicator's unit."""
    factor = (values.look_up(frame["expected_unit"], units["per"])
              / values.look_up(frame["written"], units["per"])).astype(float)
    return factor.where(frame["converted"], 1.0).fillna(1.0)
