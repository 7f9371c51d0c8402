"""A plan created and its information changed on the plan page (规划管理), each one audited
version (metrics/plans/registry.save_version) by an administrator whose scope holds the plan's
region. A new plan sets nothing of its own: it inherits every indicator and target of its
parent until the office changes one (metrics/plans/indicator_edits)."""
from __future__ import annotations

import pandas as pd

from metrics import catalogue
from metrics.access import Actor
from metrics.catalogue import Catalogue
from metrics.errors import MetricsError
from metrics.plans import annex, registry
from metrics.plans.registry import SavedPlan
from metrics.settings import UploadSettings
from metrics.store import Store
from metrics.store.interface import USER_PLAN_INDICATOR_FIELDS

YEAR_FIELDS = ("baseline_year", "midterm_year", "target_year")
YEAR_LABELS = {"baseline_year": "基线年份", "midterm_year": "中期年份", "target_year": "目标年份"}


class PlanEditRefused(MetricsError):
    """A change of a plan that cannot be made as asked; the message says why."""
    hint = "请按提示改正后重新提交；规划未作任何修改。"


def existing_plan(store: Store, cat: Catalogue, plan_id: str) -> tuple[dict, pd.DataFrame]:
    """The plan as it stands and its own indicators; refused for a national outline (not an
    office's to change) or a plan that does not exist."""
    plan, indicators = registry.current(store, cat, plan_id)
    if plan is None:
        catalogue.find_plan(cat.plans, plan_id)  # refused, listing the ids there are
    if plan["level"] == "national":
        raise PlanEditRefused(f"《{plan['name']}》是国家纲要，不能在本系统中修改。",
                              hint="地方规划请选择本地区的规划，或先为本地区新建规划。")
    return plan, indicators.reset_index(drop=True)


def checked_years(parent: pd.Series, years: dict) -> dict:
    """The baseline, mid-term and target years, in order and inside the parent's period
    (its baseline year to its target year)."""
    low, high = int(parent["baseline_year"]), int(parent["target_year"])
    for field in YEAR_FIELDS:
        value = years[field]
        if not low <= int(value) <= high:
            raise PlanEditRefused(f"{YEAR_LABELS[field]}{value}年不在上级规划《{parent['name']}》"
                                  f"的期间（{low}—{high}年）之内。")
    if not int(years["baseline_year"]) < int(years["midterm_year"]) < int(years["target_year"]):
        raise PlanEditRefused("基线年份、中期年份、目标年份应依次递增，例如 2020、2025、2030。")
    return {field: int(years[field]) for field in YEAR_FIELDS}


def checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise PlanEditRefused("请填写规划名称，如“福州市儿童发展纲要（2021—2030年）”。")
    return name


def create_plan(store: Store, actor: Actor, cat: Catalogue, parent_id: str, region_code: str,
                name: str, document: str | None, years: dict) -> SavedPlan:
    """A new plan of the region under `parent_id` (a national outline or the plan of a region
    above), inheriting all the parent's indicators and targets."""
    plan = registry.draft_plan(cat, parent_id, region_code, checked_name(name),
                               (document or "").strip() or None)
    existing, _ = registry.current(store, cat, plan["id"])
    if existing is not None:
        raise PlanEditRefused(f"该地区已有本期规划《{existing['name']}》（{plan['id']}）。",
                              hint="请在规划列表中选中它进行修改。")
    parent = catalogue.find_plan(cat.plans, parent_id)
    plan |= checked_years(parent, years)
    return registry.save_version(
        store, actor, cat, plan, lambda before: pd.DataFrame(columns=USER_PLAN_INDICATOR_FIELDS),
        f"新建规划《{plan['name']}》，上级规划《{parent['name']}》，沿用其全部指标与目标")


def change_plan_info(store: Store, actor: Actor, cat: Catalogue, plan_id: str, name: str,
                     document: str | None, years: dict) -> SavedPlan:
    """The plan's title, document number and years changed (its indicators kept)."""
    plan, _ = existing_plan(store, cat, plan_id)
    parent = catalogue.find_plan(cat.plans, plan["parent_plan"])
    changed = plan | {"name": checked_name(name), "short_name": checked_name(name),
                      "document": (document or "").strip() or None} | checked_years(parent, years)
    words = [f"{label}由「{plan[field] or '—'}」改为「{changed[field] or '—'}」"
             for field, label in (("name", "名称"), ("document", "文号"), *YEAR_LABELS.items())
             if registry.plain(plan[field]) != registry.plain(changed[field])]
    if not words:
        return SavedPlan(plan_id, None, "规划无变化")
    return registry.save_version(store, actor, cat, changed, lambda before: before,
                                 "修改规划信息：" + "；".join(words))


def read_table(raw: bytes, file_name: str, cat: Catalogue, plan: dict, limits: UploadSettings,
               sheet: str | None = None) -> annex.AnnexTable:
    """A plan's indicator table (.xlsx/.xls/.csv/.docx) read and checked for the plan (a
    record as registry.draft_plan makes: its parent bounds the targets, its region decides
    which local indicators rows may name and lets rows define the plan's own), every problem
    located by row and column. `plan import` and the plan page read tables through here."""
    parent = catalogue.find_plan(cat.plans, plan["parent_plan"])
    return annex.read_annex(raw, file_name, cat, parent, registry.outline_of_plan(cat, plan),
                            limits, sheet, plan["region_code"])


def save_table(store: Store, actor: Actor, cat: Catalogue, plan: dict, table: annex.AnnexTable,
               file_name: str) -> SavedPlan:
    """A checked table without errors saved as the plan's indicators, with the local
    indicators its rows define, as one version (creating the plan when it is new). `plan
    import` and the plan page save tables through here."""
    if table.errors:
        raise PlanEditRefused(f"指标表有 {len(table.errors)} 个错误，未导入。")
    indicators = registry.plan_indicators(table.rows, plan, lambda row: (
        f"导入自「{file_name}」第{row['row']}行：「{row['text']}」"))
    return registry.save_plan(store, actor, cat, plan, indicators,
                              registry.with_defined(store, plan, table.local_indicators))


def read_plan_annex(store: Store, cat: Catalogue, plan_id: str, raw: bytes, file_name: str,
                    limits: UploadSettings) -> annex.AnnexTable:
    """The existing plan's indicator table read and checked (read_table)."""
    plan, _ = existing_plan(store, cat, plan_id)
    return read_table(raw, file_name, cat, plan, limits)


def import_annex(store: Store, actor: Actor, cat: Catalogue, plan_id: str,
                 table: annex.AnnexTable, file_name: str) -> SavedPlan:
    """A checked table saved as the existing plan's indicators (save_table)."""
    plan, _ = existing_plan(store, cat, plan_id)
    return save_table(store, actor, cat, plan, table, file_name)
