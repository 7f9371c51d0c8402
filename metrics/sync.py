"""`init`: bring the store in line with the files under data/.

Catalogue tables (plans, indicators, targets, regions …) are replaced wholesale when their files
changed, and the change is reported per table. Seed observations (real figures and the demo
dataset shipped in data/) are written as a batch of kind 'seed'; a value a user has uploaded over
a seed value is never touched. A second run with unchanged files writes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from metrics import catalogue as catalogue_module
from metrics import store as store_module
from metrics.access import SYSTEM_NAME
from metrics.catalogue import Catalogue
from metrics.store import Store

KEYS = {"units": ["unit"], "plans": ["id"], "areas": ["plan_id", "area_code"],
        "indicators": ["code"], "plan_indicators": ["plan_id", "indicator_code"],
        "targets": ["plan_id", "indicator_code"], "regions": ["code"]}
TABLE_LABELS = {"units": "单位", "plans": "纲要/规划", "areas": "领域", "indicators": "指标",
                "plan_indicators": "纲要指标", "targets": "目标", "regions": "地区"}


@dataclass(frozen=True)
class TableChange:
    """Rows added, changed and removed in one table."""
    added: int
    changed: int
    removed: int

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass
class SyncReport:
    """What one `init` run changed."""
    tables: dict[str, TableChange] = field(default_factory=dict)
    seed_new: int = 0
    seed_changed: int = 0
    seed_kept_user: int = 0  # seed values not written because a user's upload holds the key
    upgraded: tuple[int, int] | None = None  # (schema version found, version now)

    @property
    def changed(self) -> bool:
        return (any(c.any for c in self.tables.values()) or bool(self.seed_new or self.seed_changed)
                or self.upgraded is not None)

    def lines(self) -> list[str]:
        """Chinese summary, one line per change."""
        if not self.changed:
            return ["数据库已是最新，无变化。"]
        out = []
        if self.upgraded:
            found, now = self.upgraded
            out.append(f"数据库结构已由版本 {found} 升级到 {now}，已有数据全部保留。")
        out += [f"{TABLE_LABELS[t]}：新增 {c.added}，修改 {c.changed}，删除 {c.removed}"
                for t, c in self.tables.items() if c.any]
        if self.seed_new or self.seed_changed:
            out.append(f"内置观测值：新增 {self.seed_new}，更新 {self.seed_changed}")
        if self.seed_kept_user:
            out.append(f"已保留用户上传的值 {self.seed_kept_user} 个（未被内置数据覆盖）")
        return out


def canonical(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Values in one comparable form whatever their dtype: floats for numbers, str for text,
    None for missing, so a frame read back from DuckDB equals the one loaded from files."""
    out = {}
    for column in columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series):
            values = series.astype(object)
        elif pd.api.types.is_numeric_dtype(series):
            values = series.astype("Float64").round(9).astype(object)
        else:
            values = series.astype("string").astype(object)
        out[column] = values.where(series.notna(), None)
    return pd.DataFrame(out, index=frame.index)


def diff_table(old: pd.DataFrame, new: pd.DataFrame, key: list[str]) -> TableChange:
    """Count added, removed and changed rows between two versions of a table."""
    columns = list(new.columns)
    old_c = canonical(old.reindex(columns=columns), columns).set_index(key)
    new_c = canonical(new, columns).set_index(key)
    common = old_c.index.intersection(new_c.index)
    left = old_c.loc[common].sort_index()
    right = new_c.loc[common].sort_index()
    changed = int((~(left.eq(right) | (left.isna() & right.isna()))).any(axis=1).sum())
    return TableChange(added=len(new_c.index.difference(old_c.index)), changed=changed,
                       removed=len(old_c.index.difference(new_c.index)))


def sync_catalogue(store: Store, cat: Catalogue) -> dict[str, TableChange]:
    """Replace every catalogue table whose content differs from the files."""
    changes = {}
    for table, frame in cat.tables().items():
        change = diff_table(store.read_table(table), frame, KEYS[table])
        if change.any:
            store.replace_table(table, frame)
        changes[table] = change
    if any(c.any for c in changes.values()):
        store.bump_catalogue_revision()
    return changes


def classify_seed(incoming: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Label each incoming seed row new / changed / unchanged / user (a user's value holds the
    key, so the seed row is not written)."""
    fields = store_module.OBSERVATION_FIELDS
    old = current.rename(columns={f: f"{f}_old" for f in fields})
    merged = incoming.merge(old, on=store_module.OBSERVATION_KEY, how="left",
                           indicator=True)
    new_c = canonical(merged, fields)
    old_c = canonical(merged[[f"{f}_old" for f in fields]].set_axis(fields, axis=1), fields)
    same = (new_c.eq(old_c) | (new_c.isna() & old_c.isna())).all(axis=1)
    status = pd.Series("changed", index=merged.index)
    status[same] = "unchanged"
    status[merged["_merge"].eq("left_only")] = "new"
    is_user = merged["_merge"].eq("both") & ~merged["batch_kind"].isin(store_module.SEED_KINDS)
    status[is_user & ~same] = "user"
    return merged[incoming.columns].assign(status=status.values)


# What 导入记录 shows as the seed batch's note: where the values come from, in the office's words
# (each value's own source is stored with it).
SEED_BATCH_NOTE = "系统内置的公开数据（统计监测报告、部门公报等）"


def seed_observations(store: Store, observations: pd.DataFrame, report: SyncReport) -> None:
    """Write new and changed seed values as one 'seed' batch (none if nothing changed)."""
    current = store.read_current(observations)
    labelled = classify_seed(observations, current)
    counts = labelled["status"].value_counts()
    report.seed_new = int(counts.get("new", 0))
    report.seed_changed = int(counts.get("changed", 0))
    report.seed_kept_user = int(counts.get("user", 0))
    if not labelled["status"].isin(["new", "changed"]).any():
        return
    batch_id = store.create_batch("seed", SYSTEM_NAME, SEED_BATCH_NOTE)
    store.write_observations(batch_id, labelled[labelled["status"] == "new"],
                             labelled[labelled["status"] == "changed"], {
        "new": report.seed_new, "changed": report.seed_changed,
        "unchanged": int(counts.get("unchanged", 0))},
        unchanged=labelled[labelled["status"] == "unchanged"])


def init(store: Store, data_dir: Path | None = None) -> SyncReport:
    """Build, upgrade or update the store from data/; the catalogue and the seed values are
    written in one transaction."""
    cat = catalogue_module.load(data_dir)
    report = SyncReport()
    found = store.initialise()
    current = store.schema_version()
    if found is not None and found != current:
        report.upgraded = (found, current)
    with store.transaction() as work:
        report.tables = sync_catalogue(work, cat)
        seed_observations(work, cat.observations, report)
    return report
