"""The plan page's data (规划管理): the local plans of an outline in the regions a person sees,
one plan's indicators with the target in force and whose it is, the milestone, the 目标责任分解
and whether the plan monitors it, and the plan's version history — with Chinese headings."""
from __future__ import annotations

import pandas as pd

from metrics import catalogue, targets
from metrics.catalogue import LIST_SEPARATOR, Catalogue
from metrics.evaluation import engine, local_rows
from metrics.plans import in_force, indicator_edits
from metrics.plans.workbook import effective_targets
from metrics.store import Store

LIST_COLUMNS = ["规划名称", "地区", "文号", "上级规划", "基线—中期—目标年份", "本级指标", "版本",
                "最近修改", "修改人"]
INDICATOR_COLUMNS = ["领域", "指标", "单位", "监测", "目标", "目标来源", "核实", "阶段目标",
                     "牵头单位", "配合单位", "联系人", "完成时限", "责任分解来源", "代码"]


def plans_of(cat: Catalogue, outline_id: str, region_codes) -> pd.DataFrame:
    """The local plans derived from the outline whose region is one of `region_codes`, the
    higher levels first."""
    family = targets.plans_of_outline(cat.plans, outline_id)
    local = family[(family["level"] != "national") & family["region_code"].isin(region_codes)]
    order = local["level"].map({level: i for i, level in enumerate(catalogue.LEVELS)})
    return local.assign(order=order).sort_values(["order", "region_code"]).drop(columns="order")


def plan_list(cat: Catalogue, plans: pd.DataFrame, latest: dict[str, pd.Series]) -> pd.DataFrame:
    """The plans as the page lists them; `latest`: plan id → its newest version (versions
    row), absent for a plan shipped in data/ and never changed."""
    names = cat.plans.set_index("id")["name"]
    regions = cat.regions.set_index("code")["name"]
    own = cat.user_plan_indicators.groupby("plan_id").size()
    shipped = cat.targets.groupby("plan_id").size()
    rows = []
    for plan in plans.itertuples():
        version = latest.get(plan.id)
        rows.append([plan.name, regions.get(plan.region_code, plan.region_code),
                     plan.document if pd.notna(plan.document) else "",
                     names.get(plan.parent_plan, plan.parent_plan),
                     f"{plan.baseline_year}—{plan.midterm_year}—{plan.target_year}",
                     int(own.get(plan.id, 0) if version is not None else shipped.get(plan.id, 0)),
                     "内置" if version is None else f"第{int(version['version'])}版",
                     "" if version is None else f"{version['changed_at']:%Y-%m-%d %H:%M}",
                     "" if version is None else version["changed_by"]])
    return pd.DataFrame(rows, columns=LIST_COLUMNS)


def latest_versions(store: Store, plan_ids) -> dict[str, pd.Series]:
    """Plan id → its newest version, for the plans that have one."""
    latest = {}
    for plan_id in plan_ids:
        versions = store.fetch_plan_versions(plan_id)
        if len(versions):
            latest[plan_id] = versions.iloc[0]
    return latest


def indicator_rows(cat: Catalogue, plan_id: str, own: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator of the plan's outline and local indicator applying in the plan's
    region (its own and those of plans above), in outline order: their metadata
    (engine.indicators_for_regions; a local one's name marked 本地指标, `local` True), the
    plan's own row (`own`: registry.current's indicators; own_* columns), the target in force
    in the plan's region with its plan (target_*, plan_name), and in_force.region_terms
    (responsibilities, dropped)."""
    plan = catalogue.find_plan(cat.plans, plan_id)
    outline = catalogue.outline_of(cat.plans, plan_id)
    listed = engine.indicators_for_regions(cat, outline, [plan["region_code"]])
    listed = listed.assign(name=local_rows.marked_names(listed), local=local_rows.is_local(listed))
    codes = pd.Index(listed["indicator_code"])
    mine = own.set_index("indicator_code").reindex(codes).add_prefix("own_")
    force = effective_targets(cat, outline, plan["region_code"]).reindex(codes)
    terms = in_force.region_terms(cat, outline, plan["region_code"], codes)
    return pd.concat([listed.set_index("indicator_code"), mine,
                      force[["plan_name", *[c for c in force.columns if c.startswith("target_")]]],
                      terms], axis=1).rename_axis("indicator_code").reset_index()


def indicator_table(rows: pd.DataFrame, plan_name: str, baseline_year: int) -> pd.DataFrame:
    """indicator_rows as the page shows them (INDICATOR_COLUMNS)."""
    table = []
    for row in rows.itertuples():
        has_target = pd.notna(row.target_kind)
        phrase = targets.target_phrase(row.target_kind, row.target_value, row.target_tolerance,
                                       row.unit, row.target_year, baseline_year) \
            if has_target else "—"
        milestone = indicator_edits.milestone_text(pd.Series(
            {"milestone_year": row.own_milestone_year,
             "milestone_value": row.own_milestone_value}), row.unit)
        table.append([
            row.area_name, row.name, row.unit,
            "监测" if pd.isna(row.dropped_reason) else
            f"不监测：{row.dropped_reason}（《{row.dropped_by}》）",
            phrase, whose(row.plan_name, plan_name) if has_target else "无目标",
            targets.verified_label(row.target_verified) if has_target else "",
            "" if milestone == "无" else milestone,
            text(row.lead_unit) or text(row.lead_department),
            (text(row.supporting_units) if pd.notna(row.lead_unit)
             else text(row.supporting_departments)).replace(LIST_SEPARATOR, "、"),
            text(row.contact), text(row.deadline),
            whose(row.responsibility_plan, plan_name) if pd.notna(row.lead_unit) else "指标目录",
            row.indicator_code])
    return pd.DataFrame(table, columns=INDICATOR_COLUMNS)


def whose(source: str, plan_name: str) -> str:
    """本规划, or the other plan's title in 《》."""
    return "本规划" if source == plan_name else f"《{source}》"


def text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def version_table(versions: pd.DataFrame) -> pd.DataFrame:
    """The plan's versions, newest first: number, when, who, what changed."""
    return pd.DataFrame({
        "版本": versions["version"].map(lambda v: f"第{int(v)}版"),
        "时间": pd.to_datetime(versions["changed_at"]).dt.strftime("%Y-%m-%d %H:%M"),
        "修改人": versions["changed_by"], "修改内容": versions["summary"]})

