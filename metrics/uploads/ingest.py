"""Uploads from file to store: read a file and check every value, reporting every problem at
once (`read_upload`); compare it with the store (`preview`); commit it all or nothing
(`commit`); undo a batch (`undo`).

`read_upload` never touches the store. `preview` reads it. `commit` and `undo` each run in one
transaction, record a batch, keep the original file, and write every replaced value to the
revision history, so a batch can be traced and undone exactly.
"""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from metrics import audit
from metrics.access import Actor
from metrics.catalogue import Catalogue
from metrics.errors import MetricsError
from metrics.regions import RegionResolver
from metrics.settings import UploadSettings
from metrics.store import OBSERVATION_KEY, Store
from metrics.uploads import checks, plausibility, reading, resolve
from metrics.uploads import layout as layout_module
from metrics.uploads.checks import FIELD_LABELS
from metrics.uploads.problems import ERROR, Problem, problem


class AlreadyImported(MetricsError):
    """The same file (by SHA-256) was imported before and that batch is still in force."""

    def __init__(self, batch_id: int):
        super().__init__(f"该文件已于批次 {batch_id} 导入，本次未重复导入。")
        self.batch_id = batch_id



class NothingToImport(MetricsError):
    """A valid upload with no new or changed value (a header only, every value missing, or
    every value as stored): a batch of nothing would be a record of an import that wasn't."""

    def __init__(self):
        super().__init__("文件中没有新增或修改的数值，无需导入。")



class LockedData(MetricsError):
    """Values of a locked reporting period would change (problem code `locked-period`): the
    import or undo is refused as a whole, nothing written."""
    code = "locked-period"
    hint = "已锁定的数据不能更改；确需更正的，请联系管理员解锁该报送期。"

    def __init__(self, locked: pd.DataFrame, doing: str):
        first = locked.iloc[0]
        super().__init__(
            f"{doing}会改动 {len(locked)} 个已锁定的数值（如地区 {first['region_code']} "
            f"{int(first['year'])}年，{first['outline_id']}，由{first['locked_by']}于"
            f"{pd.Timestamp(first['locked_at']):%Y-%m-%d}锁定），未写入任何数据。")
        self.locked = locked


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
    hidden_sheets: list[str] = field(default_factory=list)   # not read unless chosen

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def valid(self) -> bool:
        return not self.errors



def read_upload(raw: bytes, file_name: str, cat: Catalogue, sheet: str | None = None,
                default_region: str | None = None, scope: set[str] | None = None, *,
                limits: UploadSettings, locks: pd.DataFrame | None = None) -> Upload:
    """Read and check a file within the reading limits of the upload settings. Problems are
    reported, never raised: an unreadable or too large file is an upload with one problem.
    `scope`, when given, is the set of region codes the uploader may write; `default_region`
    is used when the sheet has no region column; `locks` (the store's fetch_locks), when
    given, makes every row of a locked period a `locked-period` error."""
    upload = unread_upload(raw, file_name, sheet)
    try:
        grid = reading.read_grid(raw, file_name, sheet, limits=limits)
        upload.sheet, upload.sheet_names = grid.sheet, grid.sheet_names
        upload.hidden_sheets = grid.hidden_sheets
        upload.problems.extend(grid.problems)
        regions = RegionResolver(cat.regions)
        records, found = layout_module.records(
            grid, functools.partial(resolve.is_region_heading, regions))
    except reading.UnreadableFile as exc:
        upload.problems.append(exc.problem)
        return upload
    except layout_module.LayoutError as exc:
        upload.problems.append(problem("no-header", None, "", detail=str(exc)))
        return upload
    upload.layout_kind = found.kind
    # A problem of the whole file does not hide the others: the records are still checked
    # (with the first of two columns for one role, without regions when there is none), and
    # the file cannot be imported while any error stands.
    upload.problems.extend(checks.repeated_column_problems(found))
    upload.headings = checks.field_headings(found)
    upload.total_rows, upload.notes_from = found.total_rows, found.notes_from
    no_region = "region" not in found.roles.values() and found.kind != "wide_regions"
    if no_region and default_region is None:
        upload.problems.append(problem("missing-region", None, "地区"))
    elif no_region:
        records["region"] = default_region
    checked = checks.check_records(records, cat, regions, scope, found, upload.headings)
    upload.rows, upload.skipped_missing = checked.rows, checked.skipped_missing
    found_problems = checked.problems
    if no_region and default_region is None:  # every record would repeat missing-region
        found_problems = [p for p in found_problems if p.code not in checks.REGION_CODES]
    locked, upload.rows = checks.locked_problems(
        upload.rows, locks if locks is not None else pd.DataFrame(), cat)
    stray = [problem("stray-row", row, heading, text=text)
             for row, heading, text in found.stray_rows]
    # In reading order, those of the file first; reading's own (an odd quote) among the rows.
    upload.problems = sorted(upload.problems + stray + found_problems + locked,
                             key=lambda p: p.row or 0)
    if found.repeated_roles or (no_region and default_region is None):
        upload.rows = upload.rows.iloc[0:0]  # read with a column guessed: not the file's values
    upload.conversions = checked.conversions
    return upload



def unread_upload(raw: bytes, file_name: str, sheet: str | None,
                  *found: Problem) -> Upload:
    """An upload of nothing read yet, with the problems given (those that ended reading)."""
    return Upload(file_name, hashlib.sha256(raw).hexdigest(), raw, sheet, [], None,
                  pd.DataFrame(), problems=list(found))



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
    """rows + old_value and change ∈ {new, changed, unchanged} against the stored values. A
    value as stored with counts given that differ from the stored ones is changed (a row
    without counts leaves the stored counts as they are)."""
    old = current[OBSERVATION_KEY + ["value", "numerator", "denominator"]].rename(columns={
        "value": "old_value", "numerator": "old_numerator", "denominator": "old_denominator"})
    merged = rows.merge(old.astype({"year": "Int64"}), on=OBSERVATION_KEY, how="left")
    same = (merged["value"] - merged["old_value"]).abs() < 1e-9
    given = merged["numerator"].notna()
    same_counts = (merged["numerator"] == merged["old_numerator"]) & (
        merged["denominator"] == merged["old_denominator"])
    same &= ~given | same_counts
    merged["change"] = np.where(merged["old_value"].isna(), "new",
                                np.where(same, "unchanged", "changed"))
    return merged.drop(columns=["old_numerator", "old_denominator"])



def preview(store: Store, upload: Upload, cat: Catalogue, *,
            settings: UploadSettings) -> Preview:
    """Compare a valid upload with the store; its warnings: unit conversions made while
    reading, then those that need stored data."""
    rows = label_changes(upload.rows, store.read_current(upload.rows))
    indicator_column = upload.headings.get("indicator", FIELD_LABELS["indicator"])
    jumps = plausibility.jump_warnings(store, rows, cat, settings.jump_factor)
    return Preview(rows, upload.conversions + jumps
                   + plausibility.no_target_warnings(rows, cat, indicator_column))


def record_check(store: Store, actor: Actor, upload: Upload) -> None:
    """Audit that a file was checked: refused when it has errors (with how many)."""
    errors = len(upload.errors)
    audit.record(store, actor, "upload_refused" if errors else "upload_checked",
                 upload.file_name + (f"（{upload.sheet}）" if upload.sheet else ""),
                 detail=f"{errors} 处错误" if errors else f"{len(upload.rows)} 行可导入",
                 after={"sha256": upload.sha256})


@dataclass(frozen=True)
class BatchKind:
    """What a commit writes: the batch's kind, its audit action, and whether it may replace
    values already stored (a file may; a computed value never overwrites a reported one)."""
    kind: str
    audit_action: str
    replaces: bool


FILE = BatchKind("upload", "upload_committed", replaces=True)
# Batches a person wrote: a file's (or a report's figures), and computed roll-up values taken
# in (metrics/rollup_accept.py).
UNDOABLE_KINDS = ("upload", "rollup")


class ValueAlreadyStored(MetricsError):
    """A value the commit may not replace is stored now (reported since it was checked)."""
    hint = "已填报的数值不会被覆盖；请刷新后重新核对。"

    def __init__(self, stored: pd.DataFrame):
        first = stored.iloc[0]
        super().__init__(f"{len(stored)} 个数值已有填报值（如 {first['indicator_code']}，地区 "
                         f"{first['region_code']} {int(first['year'])}年），未写入任何数据。")


def commit(store: Store, upload: Upload, actor: Actor, note: str = "",
           batch_kind: BatchKind = FILE) -> int:
    """Write a valid upload as one batch by `actor`, all or nothing, audited; return the batch
    id. Unchanged values are not rewritten. Raises AlreadyImported for a file already in
    force, NothingToImport when no value is new or changed (no batch is written),
    ValueAlreadyStored when a kind that replaces nothing would change a stored value."""
    if not upload.valid:
        raise MetricsError("文件有错误，未导入任何数据。")
    refuse_non_finite(upload.rows)
    with store.transaction() as work:
        earlier = work.find_live_batch(upload.sha256, upload.sheet) \
            if batch_kind is FILE else None
        if earlier is not None:
            raise AlreadyImported(earlier)
        rows = label_changes(upload.rows, work.read_current(upload.rows))
        locked = work.find_locked(upload.rows)
        if len(locked):   # locked since the check, or a check that was given no locks
            raise LockedData(locked, "本次导入")
        if not batch_kind.replaces and (rows["change"] == "changed").any():
            raise ValueAlreadyStored(rows[rows["change"] == "changed"])
        if not rows["change"].isin(["new", "changed"]).any():
            raise NothingToImport()
        batch = work.create_batch(batch_kind.kind, actor.name, note, upload.file_name,
                                   upload.sha256, upload.sheet)
        work.save_batch_file(batch, upload.raw)
        counts = {label: int((rows["change"] == label).sum())
                  for label in ("new", "changed", "unchanged")}
        work.write_observations(batch, rows[rows["change"] == "new"],
                                 rows[rows["change"] == "changed"], counts,
                                 unchanged=rows[rows["change"] == "unchanged"])
        audit.record(work, actor, batch_kind.audit_action, f"批次 {batch}", after=counts,
                     detail=upload.file_name)
    return batch


def refuse_non_finite(rows: pd.DataFrame) -> None:
    """Refuse rows holding inf or NaN as a value (or ±inf as a count): the checks never let
    one through, and this holds whatever built the rows, before anything is written. Stored,
    inf would be evaluated as 进度正常 and printed as 「inf人」."""
    counts = rows[["numerator", "denominator"]].to_numpy(dtype=float)
    bad = ~np.isfinite(rows["value"].to_numpy(dtype=float)) | np.isinf(counts).any(axis=1)
    if bad.any():
        first = rows[bad].iloc[0]
        raise MetricsError(f"第{first['row']}行的数值「{first['value']}」不是有限的数，"
                           f"未导入任何数据（共 {int(bad.sum())} 个这样的数值）。",
                           "请核对这些数值后重新上传。")



def undo(store: Store, batch_id: int, actor: Actor) -> int:
    """Restore the values a batch replaced and remove those it introduced, as a new batch of
    kind 'undo'. Refused when the batch is unknown, already undone, or a later batch changed
    some of its values (undoing would silently discard that later work)."""
    with store.transaction() as work:
        batch = work.fetch_batch(batch_id)
        if batch is None:
            raise MetricsError(f"批次 {batch_id} 不存在。")
        if pd.notna(batch["undone_by"]):
            raise MetricsError(f"批次 {batch_id} 已于批次 {int(batch['undone_by'])} 撤销。")
        if batch["kind"] not in UNDOABLE_KINDS:
            raise MetricsError(f"批次 {batch_id} 不是上传批次（或由下级汇总的批次），不能撤销。")
        later, holders = work.overwritten_since(batch_id)
        if later:
            named = f"（批次 {'、'.join(map(str, holders))}）" if holders else ""
            raise MetricsError(f"批次 {batch_id} 的 {later} 个数值已被之后的批次{named}修改，"
                               "请先撤销之后的批次。")
        locked = work.find_locked_in_batch(batch_id)
        if len(locked):
            raise LockedData(locked, f"撤销批次 {batch_id} ")
        undo_id = work.create_batch("undo", actor.name, f"撤销批次 {batch_id}")
        restored = work.restore_before(batch_id, undo_id)
        audit.record(work, actor, "undo", f"批次 {batch_id}", after={"undo_batch": undo_id,
                                                                   "values": restored})
    return undo_id
