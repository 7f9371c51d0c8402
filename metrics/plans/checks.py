"""Each row of a plan's indicator table checked: the indicator known and monitored by the
outline, listed once; the target readable, in the indicator's unit and direction, inside its
valid range, in the plan's period; the units responsible kept as lists."""
from __future__ import annotations

import re

import pandas as pd

from metrics.catalogue import (
    LIST_SEPARATOR,
    Catalogue,
    national_indicators,
    valid_ranges,
)
from metrics.plans.annex_local import LocalRows
from metrics.plans.problems import problem
from metrics.plans.target_wording import ReadTarget, read_target
from metrics.uploads import resolve, values
from metrics.uploads.problems import Problem

INDICATOR_FIELDS = ["row", "indicator_code", "kind", "value", "target_year", "text",
                    "lead_unit", "supporting_units", "contact", "deadline"]
UNIT_SEPARATORS = re.compile(r"[、，,；;\s]+")
DIRECTION_WORDS = {"higher": "越高越好", "lower": "越低越好", "band": "应保持在目标附近"}
ASKED = {"at_least": "不低于某值", "at_most": "不高于某值", "around": "保持在某值左右",
         "reduce_by_pct": "较基线下降", "increase": "逐步提高", "decrease": "逐步下降"}
# Target kinds an indicator of each direction may carry (as catalogue.check_targets allows).
KINDS_ALLOWED = {"higher": {"at_least", "maintain", "increase"},
                 "lower": {"at_most", "reduce_by_pct", "maintain", "decrease"},
                 "band": {"at_least", "at_most", "around", "maintain", "increase", "decrease"}}


def check_rows(cells: pd.DataFrame, headings: dict[str, str], cat: Catalogue,
               parent: pd.Series, outline_id: str, default_year: int | None,
               local: LocalRows) -> tuple[pd.DataFrame, list[Problem]]:
    """The table's rows as plan indicators (INDICATOR_FIELDS) and every problem found; the
    local indicators the rows name or define are found and kept by `local`."""
    indicators = cat.indicators.set_index("code")
    listed = set(cat.plan_indicators.loc[cat.plan_indicators["plan_id"] == outline_id,
                                         "indicator_code"]) | local.known_codes
    bounds = valid_ranges(cat.indicators, cat.units).set_index("code")
    per = cat.units.set_index("unit")["per"]
    outline_name = cat.plans.set_index("id").loc[outline_id, "name"]
    codes = resolve.indicators(cells["indicator"], national_indicators(cat)) if len(cells) else []
    rows, problems, first_row = [], [], {}
    for cell, code in zip(cells.to_dict("records"), codes):
        column = headings.get("indicator", "指标")
        code = local.existing(cell["indicator"]) if pd.isna(code) else code
        if pd.isna(code) or code is None:
            defined, found = local.define(cell, headings)
            problems += found
            if defined is not None:
                target, found = row_target(cell, headings, defined, range_of(defined), per,
                                           parent, default_year)
                problems += found
                rows.append(plan_row(cell, defined["code"], target))
            elif not found:
                problems.append(unknown(cell, column, cat, local.may_define))
            continue
        name = indicators.loc[code, "name"]
        if code not in listed:
            problems.append(problem("not-in-outline", cell["row"], column, text=cell["indicator"],
                                    indicator=name, outline=outline_name))
            continue
        if code in first_row:
            problems.append(problem("duplicate-indicator", cell["row"], column, indicator=name,
                                    first_row=first_row[code]))
            continue
        first_row[code] = cell["row"]
        target, found = row_target(cell, headings, indicators.loc[code], bounds.loc[code],
                                   per, parent, default_year)
        problems += found
        rows.append(plan_row(cell, code, target))
    if not rows and not problems:
        problems.append(problem("no-targets", None, ""))
    return pd.DataFrame(rows, columns=INDICATOR_FIELDS), problems


def plan_row(cell: dict, code: str, target: dict) -> dict:
    """A row of the plan (INDICATOR_FIELDS): the indicator, its target, who answers for it."""
    return {"row": cell["row"], "indicator_code": code, **target,
            "lead_unit": cell["lead"] or None, "supporting_units": units_list(cell["supporting"]),
            "contact": cell["contact"] or None, "deadline": cell["deadline"] or None}


def range_of(record: pd.Series) -> pd.Series:
    """A new local indicator's valid range as valid_ranges gives it (open where unbounded)."""
    low, high = record["valid_min"], record["valid_max"]
    return pd.Series({"low": float("-inf") if pd.isna(low) else low,
                      "high": float("inf") if pd.isna(high) else high})


def unknown(cell: dict, column: str, cat: Catalogue, may_define: bool) -> Problem:
    """unknown-indicator, saying how a local indicator is defined where the table may."""
    suggestion = resolve.suggest_indicator(cell["indicator"], national_indicators(cat))
    if may_define:
        suggestion += "如为本规划自设的指标，请在“单位”列填写单位，并写明方向（“指标方向”列或如「≥90%」的目标值）。"
    return problem("unknown-indicator", cell["row"], column, text=cell["indicator"],
                   suggestion=suggestion)


def row_target(cell: dict, headings: dict[str, str], indicator: pd.Series, bounds: pd.Series,
               per: pd.Series, parent: pd.Series,
               default_year: int | None) -> tuple[dict, list[Problem]]:
    """The target a row sets (kind None: it inherits the parent's) and its problems."""
    empty = {"kind": None, "value": None, "target_year": None, "text": None}
    text = cell["target"]
    if not text:
        return empty, []
    column = headings.get("target", "目标值")
    read = read_target(text, indicator["direction"], indicator["unit"])
    if read is None:
        return empty, [problem("unreadable-target", cell["row"], column, text=text)]
    year, found = target_year(cell, headings, read, parent, default_year)
    found += target_problems(read, text, cell["row"], column, indicator, bounds, per, parent)
    if found:
        return empty, found
    return {"kind": read.kind, "value": converted(read, indicator["unit"], per),
            "target_year": year, "text": cell["wording"] or text}, []


def target_problems(read: ReadTarget, text: str, row: int, column: str, indicator: pd.Series,
                    bounds: pd.Series, per: pd.Series, parent: pd.Series) -> list[Problem]:
    """The target's kind against the direction, its unit, its range and its base year."""
    direction = indicator["direction"]
    if read.kind not in KINDS_ALLOWED[direction]:
        return [problem("target-against-direction", row, column, text=text,
                        asked=ASKED[read.kind], indicator=indicator["name"],
                        direction=DIRECTION_WORDS[direction])]
    if read.kind == "reduce_by_pct":
        if read.base_year != parent["baseline_year"]:
            return [problem("base-year-mismatch", row, column, base=read.base_year,
                            baseline=int(parent["baseline_year"]))]
        return []
    if read.value is None:
        return []
    value = converted(read, indicator["unit"], per)
    if value is None:
        return [problem("unit-mismatch", row, column, text=text, written=read.written_unit,
                        expected=indicator["unit"])]
    if not bounds["low"] <= value <= bounds["high"]:
        return [problem("out-of-range", row, column, text=text, low=bounds["low"],
                        high=bounds["high"])]
    return []


def converted(read: ReadTarget, unit: str, per: pd.Series) -> float | None:
    """The target value in the indicator's unit: as written, or converted between rates
    (0.5% for a ‰ indicator → 5); None when the units cannot be converted."""
    if read.value is None or read.kind == "reduce_by_pct":
        return read.value
    if read.written_unit in ("", unit):
        return read.value
    written, wanted = per.get(read.written_unit), per.get(unit)
    if pd.isna(written) or pd.isna(wanted):
        return None
    return read.value * float(wanted) / float(written)


def target_year(cell: dict, headings: dict[str, str], read: ReadTarget, parent: pd.Series,
                default_year: int | None) -> tuple[int | None, list[Problem]]:
    """The 目标年份 cell, else the year the target names, else the heading's (2030年目标值),
    else the plan's target year; it must lie in the plan's period."""
    start, end = int(parent["start_year"]), int(parent["target_year"])
    written = cell["year"]
    year = values.parse_years(pd.Series([written])).iloc[0] if written else None
    if written and pd.isna(year):
        year = -1
    year = year if year is not None else (read.year or default_year or end)
    if not start <= year <= end:
        column = headings.get("year", "目标年份") if written else headings.get("target", "目标值")
        return None, [problem("bad-target-year", cell["row"], column, text=written or year,
                              start=start, end=end)]
    return int(year), []


def units_list(text: str) -> str | None:
    """Supporting units as the catalogue keeps lists: 「教育局、民政局」 → 教育局|民政局."""
    units = [u for u in UNIT_SEPARATORS.split(text) if u]
    return LIST_SEPARATOR.join(units) or None
