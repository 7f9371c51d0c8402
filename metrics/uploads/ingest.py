"""Uploads: read a file, resolve indicators and regions, parse and check every value, and report
every problem at once; then preview against the store, commit all-or-nothing, undo.

`read_upload` never touches the store. `preview` reads it. `commit` and `undo` each run in one
transaction, record a batch, keep the original file, and write every replaced value to the
revision history, so a batch can be traced and undone exactly.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from metrics import config, store
from metrics.catalogue import Catalogue, valid_ranges
from metrics.errors import MetricsError
from metrics.uploads import layout as layout_module
from metrics.uploads import reading, resolve, values
from metrics.uploads.problems import ERROR, Problem, problem
from metrics.wording import format_value

MIN_YEAR = 1949
# A field's Chinese name, for problems about a column the file does not have.
FIELD_LABELS = {"indicator": "指标", "region": "地区", "year": "年份"}


class AlreadyImported(MetricsError):
    """The same file (by SHA-256) was imported before and that batch is still in force."""

    def __init__(self, batch_id: int):
        super().__init__(f"该文件已于批次 {batch_id} 导入，本次未重复导入。")
        self.batch_id = batch_id


@dataclass
class Upload:
    """A read and checked upload, not yet written."""
    file_name: str
    sha256: str
    raw: bytes
    sheet: str | None
    sheet_names: list[str]
    layout_kind: str | None
    rows: pd.DataFrame                 # valid observations: key, value, source, note, row,
    #                                    value_column (the heading of the value's column)
    problems: list[Problem] = field(default_factory=list)
    skipped_missing: int = 0           # cells left empty or marked —, not imported
    headings: dict[str, str] = field(default_factory=dict)  # field → its heading in the file
    total_rows: tuple[int, ...] = ()   # Excel rows left out as 合计 rows
    notes_from: int | None = None      # Excel row of the footnote ending the data, if any
    conversions: list[Problem] = field(default_factory=list)  # values converted between units

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def valid(self) -> bool:
        return not self.errors


def read_upload(raw: bytes, file_name: str, cat: Catalogue, sheet: str | None = None,
                default_region: str | None = None, scope: set[str] | None = None) -> Upload:
    """Read and check a file. Problems are reported, never raised: an unreadable file is an
    upload with one problem. `scope`, when given, is the set of region codes the uploader may
    write; `default_region` is used when the sheet has no region column."""
    digest = hashlib.sha256(raw).hexdigest()
    upload = Upload(file_name, digest, raw, sheet, [], None, pd.DataFrame())
    try:
        grid = reading.read_grid(raw, file_name, sheet)
        upload.sheet, upload.sheet_names = grid.sheet, grid.sheet_names
        regions = resolve.RegionIndex(cat.regions)
        records, found = layout_module.records(grid, regions.is_region_heading)
    except reading.UnreadableFile as exc:
        upload.problems.append(problem("unreadable-file", None, "", detail=str(exc)))
        return upload
    except layout_module.LayoutError as exc:
        upload.problems.append(problem("no-header", None, "", detail=str(exc)))
        return upload
    upload.layout_kind = found.kind
    upload.headings = field_headings(found)
    upload.total_rows, upload.notes_from = found.total_rows, found.notes_from
    if "region" not in found.roles.values() and found.kind != "wide_regions":
        if default_region is None:
            upload.problems.append(problem("missing-region", None, "地区"))
            return upload
        records["region"] = default_region
    check_records(upload, records, cat, regions, scope, found)
    return upload


def field_headings(found: layout_module.Layout) -> dict[str, str]:
    """The heading, as written in the file, of the indicator, region and year columns (指标名称,
    区划代码 …), so that problems point at the column a person sees; the field's Chinese name
    when the file has no such column."""
    written = {role: found.columns[i] for i, role in found.roles.items() if found.columns[i]}
    return {role: written.get(role, label) for role, label in FIELD_LABELS.items()}


def locate_fields(frame: pd.DataFrame, found: layout_module.Layout,
                  headings: dict[str, str]) -> pd.DataFrame:
    """Each record's columns for indicator, region and year: a year (or region) written in
    the heading of a wide sheet is located at that value's own column."""
    spread = {"wide_years": "year", "wide_regions": "region"}.get(found.kind)
    return frame.assign(**{
        f"{role}_column": frame["value_column"] if role == spread else headings[role]
        for role in FIELD_LABELS})


def check_records(upload: Upload, records: pd.DataFrame, cat: Catalogue,
                  regions: resolve.RegionIndex, scope: set[str] | None,
                  found: layout_module.Layout) -> None:
    """Resolve and validate every record; keep the valid ones, report the rest."""
    frame = locate_fields(records, found, upload.headings)
    frame["indicator_code"] = resolve.indicators(frame["indicator"], cat.indicators)
    frame["region_code"], ambiguous = regions.resolve(frame["region"], frame["parent"])
    frame["year_number"] = values.parse_years(frame["year"])
    parsed = values.parse_numbers(frame["value"], cat.units["unit"])
    frame = frame.join(parsed)
    upload.skipped_missing = int(frame["missing"].sum())
    frame = frame[~frame["missing"]]
    frame = convert_units(frame, cat)
    bounds = valid_ranges(cat.indicators, cat.units).set_index("code")
    frame["low"] = values.look_up(frame["indicator_code"], bounds["low"]).astype(float)
    frame["high"] = values.look_up(frame["indicator_code"], bounds["high"]).astype(float)
    frame["suspect"] = suspect_mask(frame, ambiguous, scope)
    frame["duplicate"] = frame.duplicated(["indicator_code", "region_code", "year_number"]) & \
        frame[["indicator_code", "region_code", "year_number"]].notna().all(axis=1)
    upload.problems.extend(record_problems(frame, ambiguous, cat, scope, found.columns))
    valid = frame[~frame["suspect"] & ~frame["duplicate"]]
    upload.conversions = conversion_warnings(valid)
    upload.rows = valid.assign(year=valid["year_number"].astype("Int64"),
                               value=valid["number"].astype("float64"),
                               numerator=np.nan, denominator=np.nan)[
        ["indicator_code", "region_code", "year", "value", "numerator", "denominator",
         "source", "note", "row", "value_column"]].reset_index(drop=True)
    for column in ("source", "note"):
        upload.rows[column] = upload.rows[column].replace("", pd.NA)


def conversion_warnings(valid: pd.DataFrame) -> list[Problem]:
    """One warning per value converted from the unit written to the indicator's (5.1% → 51‰):
    the conversion is exact, but a unit written by mistake turns into a wrong value."""
    return [problem("unit-converted", r.row, r.value_column, text=r.value, written=r.written,
                    expected=r.expected_unit, value=format_value(r.number, r.expected_unit))
            for r in valid[valid["converted"]].itertuples()]


def suspect_mask(frame: pd.DataFrame, ambiguous: pd.Series, scope: set[str] | None) -> pd.Series:
    """Rows with at least one error, found with column operations so that only those rows take
    the slow path that writes messages."""
    max_year = dt.date.today().year
    out_of_range = (frame["number"] < frame["low"]) | (frame["number"] > frame["high"])
    mask = (frame["indicator_code"].isna() | frame["region_code"].isna()
            | frame.index.isin(ambiguous.index)
            | ~frame["year_number"].between(MIN_YEAR, max_year)
            | frame["bad"] | frame["written"].isna() | frame["unit_mismatch"]
            | out_of_range.fillna(False))
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
                    scope: set[str] | None, columns: list[str]) -> list[Problem]:
    """Every problem of the records, in reading order: by row, then left to right. A wide
    sheet makes one record per value cell, so a problem of the row's indicator or region cell
    is found once per value but reported once."""
    max_year = dt.date.today().year
    found: list[Problem] = []
    for r in frame[frame["suspect"]].itertuples():
        found.extend(row_problems(r, ambiguous.get(r.Index), cat, scope, max_year))
    found.extend(duplicate_problems(frame))
    position = {heading: i for i, heading in reversed(list(enumerate(columns)))}
    return sorted(dict.fromkeys(found),
                  key=lambda p: (p.row or 0, position.get(p.column, len(columns))))


def row_problems(r, candidates, cat: Catalogue, scope, max_year: int) -> list[Problem]:
    """Problems of one record (only records that have problems reach the slow path)."""
    out = []
    if pd.isna(r.indicator_code):
        out.append(problem("unknown-indicator", r.row, r.indicator_column, text=r.indicator,
                           suggestion=resolve.suggest_indicator(r.indicator, cat.indicators)))
    if candidates:
        out.append(problem("ambiguous-region", r.row, r.region_column, text=r.region,
                           candidates="、".join(candidates)))
    elif pd.isna(r.region_code):
        out.append(problem("unknown-region", r.row, r.region_column, text=r.region))
    elif scope is not None and r.region_code not in scope:
        out.append(problem("out-of-scope", r.row, r.region_column, text=r.region))
    if pd.isna(r.year_number) or not MIN_YEAR <= r.year_number <= max_year:
        out.append(problem("bad-year", r.row, r.year_column, text=r.year, max_year=max_year))
    if r.bad or pd.isna(r.written):
        out.append(problem("non-numeric", r.row, r.value_column, text=r.value))
    elif r.unit_mismatch:
        out.append(problem("unit-mismatch", r.row, r.value_column, text=r.value,
                           written=r.written, expected=r.expected_unit))
    elif pd.notna(r.low) and not r.low <= r.number <= r.high:
        out.append(problem("out-of-range", r.row, r.value_column, value=f"{r.number:g}",
                           low=f"{r.low:g}", high=f"{r.high:g}"))
    return out


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


def file_record(path: Path) -> tuple[bytes, str]:
    """Bytes and name of a file on disk, for the command line."""
    return path.read_bytes(), path.name


@dataclass
class Preview:
    """What a commit would change: rows labelled new / changed / unchanged, with old values."""
    rows: pd.DataFrame
    warnings: list[Problem]

    def count(self, label: str) -> int:
        return int((self.rows["change"] == label).sum())

    @property
    def counts(self) -> dict[str, int]:
        return {label: self.count(label) for label in ("new", "changed", "unchanged")}


def label_changes(rows: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """rows + old_value and change ∈ {new, changed, unchanged} against the stored values."""
    old = current[store.OBSERVATION_KEY + ["value"]].rename(columns={"value": "old_value"})
    merged = rows.merge(old.astype({"year": "Int64"}), on=store.OBSERVATION_KEY, how="left")
    same = (merged["value"] - merged["old_value"]).abs() < 1e-9
    merged["change"] = np.where(merged["old_value"].isna(), "new",
                                np.where(same, "unchanged", "changed"))
    return merged


def preview(con, upload: Upload, cat: Catalogue) -> Preview:
    """Compare a valid upload with the store; its warnings: unit conversions made while
    reading, then those that need stored data."""
    rows = label_changes(upload.rows, store.read_current(con, upload.rows))
    indicator_column = upload.headings.get("indicator", FIELD_LABELS["indicator"])
    return Preview(rows, upload.conversions + jump_warnings(con, rows, cat)
                   + no_target_warnings(rows, cat, indicator_column))


def jump_warnings(con, rows: pd.DataFrame, cat: Catalogue) -> list[Problem]:
    """Year-on-year jumps beyond the configured factor among the new and changed values (an
    unchanged one was accepted before), against the previous year's value in the file or,
    failing that, in the store. Left out: indicators that may be negative, for which a ratio
    means nothing near zero (a 性别差 −0.04 → 0.02), and a move from or to zero, which a county
    rate resting on few events makes without anything being wrong (0 ↔ 9.4/10万)."""
    factor = config.settings().upload.jump_factor
    previous = previous_values(con, rows)
    ratio = rows["value"] / previous
    lowest = valid_ranges(cat.indicators, cat.units).set_index("code")["low"]
    on_ratio_scale = values.look_up(rows["indicator_code"], lowest).to_numpy(float) >= 0
    jumped = ((ratio > factor) | (ratio < 1 / factor)) & (rows["value"] > 0) & (previous > 0)
    jumps = rows.assign(previous=previous)[jumped & on_ratio_scale
                                           & (rows["change"] != "unchanged")]
    indicators = cat.indicators.set_index("code")
    region_names = cat.regions.set_index("code")["name"]
    return [problem("year-jump", r.row, r.value_column, previous_year=r.year - 1,
                    previous=format_value(r.previous, indicators.at[r.indicator_code, "unit"],
                                          indicators.at[r.indicator_code, "decimals"]),
                    value=format_value(r.value, indicators.at[r.indicator_code, "unit"],
                                       indicators.at[r.indicator_code, "decimals"]),
                    year=r.year, indicator=indicators.at[r.indicator_code, "name"],
                    region=region_names[r.region_code]) for r in jumps.itertuples()]


def previous_values(con, rows: pd.DataFrame) -> pd.Series:
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
    stored = store.read_current(con, asked.assign(year=asked["year"] - 1))
    if not stored.empty:
        found = asked.reset_index().merge(
            stored[store.OBSERVATION_KEY + ["value"]].astype({"year": "Int64"}).rename(
                columns={"value": "stored"}).assign(year=lambda f: f["year"] + 1),
            on=store.OBSERVATION_KEY)
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


def commit(path, upload: Upload, user_name: str, note: str = "") -> int:
    """Write a valid upload as one batch, all or nothing; return the batch id. Unchanged values
    are not rewritten. Raises AlreadyImported for a file already in force."""
    if not upload.valid:
        raise MetricsError("文件有错误，未导入任何数据。")
    with store.transaction(path) as con:
        earlier = store.find_live_batch(con, upload.sha256, upload.sheet)
        if earlier is not None:
            raise AlreadyImported(earlier)
        rows = label_changes(upload.rows, store.read_current(con, upload.rows))
        batch = store.create_batch(con, "upload", user_name, note, upload.file_name,
                                   upload.sha256, upload.sheet)
        store.save_batch_file(con, batch, upload.raw)
        counts = {label: int((rows["change"] == label).sum())
                  for label in ("new", "changed", "unchanged")}
        store.write_observations(con, batch, rows[rows["change"] == "new"],
                                 rows[rows["change"] == "changed"], counts)
    return batch


def undo(path, batch_id: int, user_name: str) -> int:
    """Restore the values a batch replaced and remove those it introduced, as a new batch of
    kind 'undo'. Refused when the batch is unknown, already undone, or a later batch changed
    some of its values (undoing would silently discard that later work)."""
    with store.transaction(path) as con:
        batch = store.fetch_batch(con, batch_id)
        if batch is None:
            raise MetricsError(f"批次 {batch_id} 不存在。")
        if pd.notna(batch["undone_by"]):
            raise MetricsError(f"批次 {batch_id} 已于批次 {int(batch['undone_by'])} 撤销。")
        if batch["kind"] != "upload":
            raise MetricsError(f"批次 {batch_id} 不是上传批次，不能撤销。")
        later, holders = store.overwritten_since(con, batch_id)
        if later:
            named = f"（批次 {'、'.join(map(str, holders))}）" if holders else ""
            raise MetricsError(f"批次 {batch_id} 的 {later} 个数值已被之后的批次{named}修改，"
                               "请先撤销之后的批次。")
        undo_id = store.create_batch(con, "undo", user_name, f"撤销批次 {batch_id}")
        store.restore_before(con, batch_id, undo_id)
    return undo_id
