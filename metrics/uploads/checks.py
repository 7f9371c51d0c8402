"""Checking an upload's records: each indicator, region and year resolved, each value parsed,
converted to its indicator's unit and checked against its valid range, repeats found, and
every problem reported with its Excel row and the column heading a person sees.

Column operations find the rows with a problem; only those take the slow path that writes
messages, so a large clean file costs a few passes over its columns.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics import regions as regions_module
from metrics.catalogue import Catalogue, national_indicators, valid_ranges
from metrics.regions import RegionResolver
from metrics.text import normalise
from metrics.uploads import counts, local_names, resolve, values
from metrics.uploads import layout as layout_module
from metrics.uploads.problems import Problem, problem
from metrics.wording import format_stored

MIN_YEAR = 1949
# A role's Chinese name, for problems about a column the file does not have or has twice.
ROLE_LABELS = {"indicator": "指标", "indicator_name": "指标名称", "region": "地区",
               "region_name": "地区名称", "parent": "上级地区", "year": "年份", "value": "数值",
               "unit": "单位", "source": "来源", "note": "备注"}
# The problems of a record's region, left out when the file has no region column at all.
REGION_CODES = {"unknown-region", "ambiguous-region", "region-level-mismatch", "out-of-scope",
                "region-mismatch"}
# The fields every record is located by (the columns its problems point at).
FIELD_LABELS = {role: ROLE_LABELS[role] for role in ("indicator", "indicator_name", "region",
                                                     "region_name", "year")}


@dataclass(frozen=True)
class CheckedRecords:
    """What checking the records found."""
    rows: pd.DataFrame             # valid observations: key, value, source, note, row,
    #                                value_column (the heading of the value's column)
    problems: list[Problem]        # every problem, in reading order
    skipped_missing: int           # cells left empty or marked —, not imported
    conversions: list[Problem]     # values converted between units (warnings)


def field_headings(found: layout_module.Layout) -> dict[str, str]:
    """The heading, as written in the file, of the indicator, region and year columns (指标名称,
    区划代码 …), so that problems point at the column a person sees; the field's Chinese name
    when the file has no such column."""
    written = {role: found.columns[i] for i, role in found.roles.items() if found.columns[i]}
    return {role: written.get(role, label) for role, label in FIELD_LABELS.items()}



def repeated_column_problems(found: layout_module.Layout) -> list[Problem]:
    """One error per pair of columns for one role, at the header row and the second column."""
    def heading(i: int) -> str:
        return found.columns[i] or f"第{i + 1}列"
    return [problem("repeated-column", found.header_rows[0], heading(second), first=first + 1,
                    second=second + 1, first_heading=heading(first),
                    second_heading=heading(second), field=ROLE_LABELS[found.roles[first]])
            for first, second in found.repeated_roles]



def locate_fields(frame: pd.DataFrame, found: layout_module.Layout,
                  headings: dict[str, str]) -> pd.DataFrame:
    """Each record's columns for indicator, region and year: a year (or region) written in
    the heading of a wide sheet is located at that value's own column."""
    spread = {"wide_years": "year", "wide_regions": "region"}.get(found.kind)
    return frame.assign(**{
        f"{role}_column": frame["value_column"] if role == spread else headings[role]
        for role in FIELD_LABELS})



def check_records(records: pd.DataFrame, cat: Catalogue, regions: RegionResolver,
                  scope: set[str] | None, found: layout_module.Layout,
                  headings: dict[str, str]) -> CheckedRecords:
    """Resolve and validate every record; keep the valid ones, report the rest."""
    frame = locate_fields(records, found, headings)
    frame["indicator_code"], frame["indicator_mismatch"] = indicator_codes(frame, cat)
    frame["region_code"], ambiguous, frame["region_mismatch"] = region_codes(frame, regions)
    frame = local_names.with_local_codes(frame, cat)
    frame["year_number"] = values.parse_years(frame["year"])
    parsed = values.parse_numbers(frame["value"], cat.units["unit"])
    frame = frame.join(parsed)
    skipped_missing = int(frame["missing"].sum())
    frame = frame[~frame["missing"]]
    frame = convert_units(frame, cat)
    bounds = valid_ranges(cat.indicators, cat.units).set_index("code")
    frame["low"] = values.look_up(frame["indicator_code"], bounds["low"]).astype(float)
    frame["high"] = values.look_up(frame["indicator_code"], bounds["high"]).astype(float)
    counted = counts.checked_counts(frame, cat, found)
    frame["suspect"] = suspect_mask(frame, ambiguous, scope) | counted.bad
    frame["duplicate"] = frame.duplicated(["indicator_code", "region_code", "year_number"]) & \
        frame[["indicator_code", "region_code", "year_number"]].notna().all(axis=1)
    problems = record_problems(frame, ambiguous, cat, regions, scope, found.columns,
                               counts.layout_problems(found) + counted.problems)
    valid = frame[~frame["suspect"] & ~frame["duplicate"]]
    rows = valid.assign(year=valid["year_number"].astype("Int64"),
                               value=valid["number"].astype("float64"),
                               numerator=counted.numerator[valid.index],
                               denominator=counted.denominator[valid.index])[
        ["indicator_code", "region_code", "year", "value", "numerator", "denominator",
         "source", "note", "row", "value_column"]].reset_index(drop=True)
    for column in ("source", "note"):
        rows[column] = rows[column].replace("", pd.NA)
    return CheckedRecords(rows, problems, skipped_missing, conversion_warnings(valid))



def indicator_codes(frame: pd.DataFrame, cat: Catalogue) -> tuple[pd.Series, pd.Series]:
    """Each record's indicator code, and whether its code and name columns (the template's
    指标代码 and 指标名称) disagree. An empty code falls back to the name; a name that is not
    the code's indicator (another one's, or none at all) is a mismatch, never ignored."""
    known = national_indicators(cat)
    by_code = resolve.indicators(frame["indicator"], known)
    by_name = resolve.indicators(frame["indicator_name"], known)
    written, named = frame["indicator"].ne(""), frame["indicator_name"].ne("")
    mismatch = written & named & by_code.notna() & by_name.ne(by_code).fillna(True)
    return by_code.where(written, by_name), mismatch.fillna(False).astype(bool)



def region_codes(frame: pd.DataFrame,
                 regions: RegionResolver) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each record's region code, the candidates of its ambiguous records, and whether its
    code and name columns (区划代码 and 地区名称) disagree. An empty code falls back to the
    name; a name that cannot mean the code's region (nor one of its namesakes) is a mismatch,
    never ignored."""
    by_code, ambiguous = regions.resolve_column(frame["region"], frame["parent"])
    written, named = frame["region"].ne(""), frame["region_name"].ne("")
    mismatch = pd.Series(False, index=frame.index)
    if not named.any():
        return by_code, ambiguous, mismatch
    by_name, ambiguous_names = regions.resolve_column(frame["region_name"], frame["parent"])
    both = (written & named & by_code.notna()).fillna(False).astype(bool)
    pairs = list(zip(frame.loc[both, "region_name"], by_code[both]))
    means = {pair: pair[1] in regions.candidates(pair[0]) for pair in set(pairs)}
    if pairs:
        mismatch[both] = [not means[pair] for pair in pairs]
    by_name_only = ambiguous_names[~written.reindex(ambiguous_names.index).astype(bool)]
    return (by_code.where(written, by_name), pd.concat([ambiguous, by_name_only]),
            mismatch)



def conversion_warnings(valid: pd.DataFrame) -> list[Problem]:
    """One warning per value converted from the unit written to the indicator's (5.1% → 51‰):
    the conversion is exact, but a unit written by mistake turns into a wrong value."""
    return [problem("unit-converted", r.row, r.value_column, text=r.value, written=r.written,
                    expected=r.expected_unit, value=format_stored(r.number, r.expected_unit))
            for r in valid[valid["converted"]].itertuples()]



def suspect_mask(frame: pd.DataFrame, ambiguous: pd.Series, scope: set[str] | None) -> pd.Series:
    """Rows with at least one error, found with column operations so that only those rows take
    the slow path that writes messages."""
    max_year = dt.date.today().year
    out_of_range = (frame["number"] < frame["low"]) | (frame["number"] > frame["high"])
    mask = (frame["indicator_code"].isna() | frame["indicator_mismatch"]
            | frame["region_code"].isna() | frame["region_mismatch"]
            | frame.index.isin(ambiguous.index)
            | ~frame["year_number"].between(MIN_YEAR, max_year)
            | frame["bad"] | frame["written"].isna() | frame["unit_mismatch"]
            | out_of_range.fillna(False) | np.isinf(frame["number"])
            | frame["value_date"].ne(""))
    if scope is not None:
        mask |= ~frame["region_code"].isin(scope)
    return mask.fillna(True).astype(bool)



def convert_units(frame: pd.DataFrame, cat: Catalogue) -> pd.DataFrame:
    """Bring each value into its indicator's unit: a unit written after the number or in a
    单位 column is converted when both are rates (% ↔ ‰ ↔ 1/万 ↔ 1/10万), else flagged."""
    expected = values.look_up(frame["indicator_code"], cat.indicators.set_index("code")["unit"])
    column_unit = values.unit_of_column(frame["unit"])
    # A unit written after the number wins; a 单位 column applies only to bare numbers.
    own = frame["written_unit"].ne("").fillna(True).astype(bool)
    written = frame["written_unit"].where(own, column_unit)
    per = cat.units.set_index("unit")["per"]
    factor = values.look_up(expected, per) / values.look_up(written, per)
    same = (written == expected) | (written == "")
    convertible = factor.notna() & ~same
    number = frame["number"].where(~convertible, frame["number"] * factor)
    mismatch = written.notna() & ~same & ~convertible & expected.notna()
    return frame.assign(number=number, expected_unit=expected, written=written,
                        unit_mismatch=mismatch.fillna(False), converted=convertible.fillna(False))



def record_problems(frame: pd.DataFrame, ambiguous: pd.Series, cat: Catalogue,
                    regions: RegionResolver, scope: set[str] | None,
                    columns: list[str], found: list[Problem]) -> list[Problem]:
    """Every problem of the records (with those `found` already, of their counts), in
    reading order: by row, then left to right. A wide sheet makes one record per value cell,
    so a problem of the row's indicator or region cell is found once per value but reported
    once."""
    max_year = dt.date.today().year
    found = list(found)
    for r in frame[frame["suspect"]].itertuples():
        found.extend(row_problems(r, ambiguous.get(r.Index), cat, regions, scope, max_year))
    found.extend(duplicate_problems(frame))
    position = {heading: i for i, heading in reversed(list(enumerate(columns)))}
    return sorted(dict.fromkeys(found),
                  key=lambda p: (p.row or 0, position.get(p.column, len(columns))))



def row_problems(r, candidates, cat: Catalogue, regions: RegionResolver, scope,
                 max_year: int) -> list[Problem]:
    """Problems of one record (only records that have problems reach the slow path)."""
    out = []
    if r.indicator_mismatch:
        code_name = cat.indicators.set_index("code").at[r.indicator_code, "name"]
        out.append(problem("indicator-mismatch", r.row, r.indicator_name_column,
                           written_code=r.indicator, code_name=code_name, name=r.indicator_name))
    elif pd.isna(r.indicator_code):
        by_name = r.indicator == "" and r.indicator_name != ""
        text, column = ((r.indicator_name, r.indicator_name_column) if by_name
                        else (r.indicator, r.indicator_column))
        out.append(problem("unknown-indicator", r.row, column, text=text,
                           suggestion=r.local_hint or resolve.suggest_indicator(
                               text, national_indicators(cat))))
    region_text, region_column = written_region(r)
    if r.region_mismatch:
        out.append(problem("region-mismatch", r.row, r.region_name_column,
                           written_code=r.region, code_name=regions.label(r.region_code),
                           name=r.region_name))
    elif candidates:
        out.append(problem("ambiguous-region", r.row, region_column, text=region_text,
                           candidates="、".join(candidates)))
    elif pd.isna(r.region_code):
        out.append(region_problem(region_text, region_column, r.row, regions))
    elif scope is not None and r.region_code not in scope:
        out.append(problem("out-of-scope", r.row, region_column, text=region_text))
    if pd.isna(r.year_number) or not MIN_YEAR <= r.year_number <= max_year:
        out.append(problem("bad-year", r.row, r.year_column, text=r.year, max_year=max_year))
    if r.value_date:
        out.append(problem("date-value", r.row, r.value_column, text=r.value_date))
    elif r.misgrouped:
        out.append(problem("misgrouped-number", r.row, r.value_column, text=r.value))
    elif r.bad or pd.isna(r.written):
        out.append(problem("non-numeric", r.row, r.value_column, text=r.value))
    elif np.isinf(r.number):
        # Too many digits for a float (or a unit conversion beyond it): stored, it would be
        # evaluated and printed as inf.
        out.append(problem("non-finite-number", r.row, r.value_column, text=r.value))
    elif r.unit_mismatch:
        out.append(problem("unit-mismatch", r.row, r.value_column, text=r.value,
                           written=r.written, expected=r.expected_unit))
    elif pd.notna(r.low) and not r.low <= r.number <= r.high:
        out.append(problem("out-of-range", r.row, r.value_column, text=r.value,
                           low=bound_text(r.low), high=bound_text(r.high)))
    return out



def written_region(r) -> tuple[str, str]:
    """The region as the record writes it and its column: the code column's, else the name
    column's (a template row with an empty 区划代码 is read by its 地区名称)."""
    if r.region == "" and r.region_name != "":
        return r.region_name, r.region_name_column
    return r.region, r.region_column



def region_problem(text: str, column: str, row: int, regions: RegionResolver) -> Problem:
    """An unresolved region: one whose written suffix contradicts the level of the regions it
    would otherwise be (贵港县 → 贵港市) offers those; any other is unknown."""
    close = regions.contradicted(text)
    if close:
        return problem("region-level-mismatch", row, column, text=text,
                       suffix=regions_module.written_suffix(normalise(text)),
                       candidates="、".join(close))
    return problem("unknown-region", row, column, text=text)



def bound_text(bound: float) -> str:
    """A valid-range bound as a person reads it: 100, 0.5, 1500000000 (never 1.5e+09)."""
    return f"{bound:.15g}"



def duplicate_problems(frame: pd.DataFrame) -> list[Problem]:
    """The same (indicator, region, year) twice in the file: every repeat after the first."""
    key = ["indicator_code", "region_code", "year_number"]
    repeats = frame[frame["duplicate"]]
    if repeats.empty:
        return []
    first = frame.dropna(subset=key).drop_duplicates(key).set_index(key)["row"]
    return [problem("duplicate-key", r.row, r.value_column,
                    first_row=first.loc[(r.indicator_code, r.region_code, r.year_number)])
            for r in repeats.itertuples()]


def locked_problems(rows: pd.DataFrame, locks: pd.DataFrame,
                    cat: Catalogue) -> tuple[list[Problem], pd.DataFrame]:
    """Rows whose (indicator, region, year) a locked period holds (`locks`: outline_id,
    region_code, year, locked_by, locked_at — the store's fetch_locks): one `locked-period`
    error each, naming who locked it; and the rows left."""
    if locks.empty or rows.empty:
        return [], rows
    monitored = pd.concat([cat.plan_indicators[["plan_id", "indicator_code"]],
                           cat.local_indicators[["outline_id", "code"]].set_axis(
                               ["plan_id", "indicator_code"], axis=1)])
    held = locks.merge(monitored, left_on="outline_id", right_on="plan_id")
    held = held.astype({"year": "int64"}).drop_duplicates(["indicator_code", "region_code",
                                                           "year"])
    found = rows.astype({"year": "int64"}).merge(
        held, on=["indicator_code", "region_code", "year"], how="left", indicator=True)
    locked = (found["_merge"] == "both").to_numpy()
    names = cat.regions.set_index("code")["name"]
    outlines = cat.plans.set_index("id")["short_name"]
    problems = [problem("locked-period", r.row, r.value_column, region=names.get(r.region_code,
                        r.region_code), year=r.year, outline=outlines.get(r.outline_id,
                        r.outline_id), locked_by=r.locked_by,
                        locked_at=pd.Timestamp(r.locked_at).strftime("%Y-%m-%d"))
                for r in found[locked].itertuples()]
    return problems, rows[~locked].reset_index(drop=True)
