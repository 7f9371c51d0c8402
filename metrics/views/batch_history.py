"""The import history as tables for people: every batch with its state, the values one batch
wrote (old → new), and the recorded revisions of chosen indicators in chosen regions."""
from __future__ import annotations

import pandas as pd

from metrics import catalogue
from metrics.access import Actor, Permission
from metrics.catalogue import Catalogue
from metrics.store import Store
from metrics.uploads.ingest import UNDOABLE_KINDS
from metrics.uploads.report import named_values
from metrics.wording import TIME_FORMAT, moment_text

KIND_LABELS = {"upload": "上传", "seed": "内置数据", "undo": "撤销", "rollup": "由下级汇总"}
# Values of a batch shown per page: a batch may hold millions (the whole national seed), which
# are listed page by page and downloaded whole as a file the store writes.
PAGE_ROWS = 100


def kind_label(kind: str) -> str:
    """上传 / 内置数据 / 撤销 for a batch kind."""
    return KIND_LABELS.get(kind, kind)


def state_text(batch) -> str:
    """已撤销（批次 N）, 撤销了批次 N, or 有效."""
    if pd.notna(batch["undone_by"]):
        return f"已撤销（批次 {int(batch['undone_by'])}）"
    if pd.notna(batch["undoes"]):
        return f"撤销了批次 {int(batch['undoes'])}"
    return "有效"


def batch_table(batches: pd.DataFrame) -> pd.DataFrame:
    """Store.fetch_batches as the page shows it, newest first, the state early so that it is
    on screen on a phone. An undo batch has no 新增/未变: its 修改 counts the values it
    restored or removed."""
    return pd.DataFrame({
        "批次": batches["id"].astype(int),
        "类型": batches["kind"].map(kind_label),
        "状态": [state_text(b) for _, b in batches.iterrows()],
        "时间": batches["created_at"].dt.strftime(TIME_FORMAT),
        "导入人": batches["user_name"],
        "文件": batches["file_name"],
        "新增": batches["n_new"].astype("Int64"),
        "修改": batches["n_changed"].astype("Int64"),
        "未变": batches["n_unchanged"].astype("Int64"),
        "备注": batches["note"],
    }).reset_index(drop=True)


def batch_label(batch) -> str:
    """One line naming a batch in a selector: 批次 3 · 上传 · 数据.xlsx · 2026-11-23 10:15."""
    parts = [f"批次 {int(batch['id'])}", kind_label(batch["kind"])]
    if pd.notna(batch["file_name"]):
        parts.append(batch["file_name"])
    parts.append(moment_text(batch["created_at"]))
    return " · ".join(parts)


def can_undo(batch: dict) -> bool:
    """Whether the page offers undo: an upload or a roll-up still in force (ingest.undo checks
    the rest)."""
    return batch["kind"] in UNDOABLE_KINDS and pd.isna(batch["undone_by"])


def may_undo(actor: Actor, batch: dict) -> bool:
    """Whether the person may undo it: anybody's batch, or their own (the store checks too)."""
    return actor.allows(Permission.UNDO_ANY) or (
        actor.allows(Permission.UNDO_OWN) and batch["user_name"] == actor.name)
def page_count(total: int) -> int:
    """Pages of PAGE_ROWS values needed for `total` values (at least one)."""
    return max(1, -(-total // PAGE_ROWS))


def page_offset(page: int) -> int:
    """The position of a page's first value (pages count from 1)."""
    return (page - 1) * PAGE_ROWS


def change_table(changes: pd.DataFrame, cat: Catalogue) -> pd.DataFrame:
    """A page of Store.fetch_batch_changes_page with names: 指标, 年份, 原值, 新值, 地区."""
    return named_values(changes, cat)


def load_revisions(store: Store, indicator_codes: list[str],
                   region_codes: list[str]) -> pd.DataFrame:
    """Every recorded revision of the indicators in the regions, newest batch first, leaving
    out the values the initial load first wrote (they replaced nothing). One query for every
    (indicator, region) pair chosen."""
    found = store.fetch_revisions(list(indicator_codes), list(region_codes))
    first_load = (found["batch_kind"] == "seed") & found["old_value"].isna()
    return found[~first_load].sort_values(["batch_id", "year"], ascending=[False, True],
                                          kind="stable").reset_index(drop=True)


def revision_table(revisions: pd.DataFrame, cat: Catalogue, outline_id: str) -> pd.DataFrame:
    """load_revisions as the trend page shows it: 指标 (as the outline chosen there names it,
    学前三年毛入园率 in the 2011–2020 outlines), 年份, 原值, 新值, 地区, 批次, 类型, 导入人, 时间."""
    table = named_values(revisions, cat)
    return table.assign(
        指标=revisions["indicator_code"].map(catalogue.indicator_names(cat, outline_id)).to_numpy(),
        批次=revisions["batch_id"].astype(int).to_numpy(),
        类型=revisions["batch_kind"].map(kind_label).to_numpy(),
        导入人=revisions["user_name"].to_numpy(),
        时间=revisions["created_at"].dt.strftime(TIME_FORMAT).to_numpy())
