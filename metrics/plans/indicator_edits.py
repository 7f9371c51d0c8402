"""One indicator of a plan changed on the plan page (规划管理): its target overridden (read by
the importer's parser and checks: 「≥95%」, 「控制在12/10万以下」 …) or given back to the parent,
a milestone, the target verified against the printed plan, the indicator dropped (with why)
or restored, its 目标责任分解. Each is one audited version saying what changed from what; a
refused change writes nothing."""
from __future__ import annotations

import pandas as pd

from metrics import catalogue, targets
from metrics.access import Actor
from metrics.catalogue import Catalogue, valid_ranges
from metrics.plans import checks, local_indicators, registry
from metrics.plans.editing import PlanEditRefused, existing_plan
from metrics.plans.registry import SavedPlan
from metrics.store import Store
from metrics.wording import format_value

TARGET_FIELDS = ["kind", "value", "tolerance", "target_year", "text", "source", "verified",
                 "confidence", "evidence"]
NUMBER_FIELDS = {"value": "Float64", "tolerance": "Float64", "milestone_value": "Float64",
                 "target_year": "Int64", "milestone_year": "Int64"}
OWN_FIELDS = TARGET_FIELDS + ["milestone_year", "milestone_value", "lead_unit",
                              "supporting_units", "contact", "deadline", "dropped_reason"]


def edit(store: Store, actor: Actor, cat: Catalogue, plan_id: str, code: str, fields: dict,
         summary: str) -> SavedPlan:
    """The plan saved with the indicator's `fields` set (its row added if the plan had none,
    removed if nothing of its own is left), as one version described by `summary`."""
    plan, _ = existing_plan(store, cat, plan_id)

    def changed(before: pd.DataFrame) -> pd.DataFrame:
        rows = before
        if code not in set(rows["indicator_code"]):
            added = pd.DataFrame([{"plan_id": plan_id, "indicator_code": code}])
            rows = pd.concat([rows, added.reindex(columns=rows.columns)], ignore_index=True)
        rows = rows.astype(object)
        at = rows.index[rows["indicator_code"] == code]
        for field, value in fields.items():
            rows.loc[at, field] = value
        rows = rows[rows[OWN_FIELDS].notna().any(axis=1)]
        return rows.astype(NUMBER_FIELDS).reset_index(drop=True)
    return registry.save_version(store, actor, cat, plan, changed, summary)


def own_row(store: Store, cat: Catalogue, plan_id: str, code: str) -> tuple[dict, pd.Series]:
    """The plan and the indicator's own row (empty where the plan sets nothing of it); refused
    when the indicator is neither the outline's nor a local one applying in the plan's region
    (its own, or one a plan above defines)."""
    plan, rows = existing_plan(store, cat, plan_id)
    outline = catalogue.outline_of(cat.plans, plan_id)
    listed = cat.plan_indicators[cat.plan_indicators["plan_id"] == outline]
    local = local_indicators.applying(cat, outline, plan["region_code"])
    if code not in set(listed["indicator_code"]) | set(local["code"]):
        raise PlanEditRefused(f"指标「{code}」不是本规划所依据纲要的监测指标，"
                              "也不是本地区适用的本地指标。")
    mine = rows[rows["indicator_code"] == code]
    return plan, (mine.iloc[0] if len(mine) else pd.Series(dtype=object))


def name_of(cat: Catalogue, plan_id: str, code: str) -> str:
    return catalogue.indicator_names(cat, catalogue.outline_of(cat.plans, plan_id))[code]


def phrase(cat: Catalogue, plan: dict, row: pd.Series) -> str:
    """The plan's own target as read back (2030年≤12/10万); 沿用上级规划 when it has none."""
    if pd.isna(row.get("kind")):
        return "沿用上级规划"
    unit = cat.indicators.set_index("code").at[row["indicator_code"], "unit"]
    return targets.target_phrase(row["kind"], row["value"], row.get("tolerance"), unit,
                                 row["target_year"], plan["baseline_year"])


def set_target(store: Store, actor: Actor, cat: Catalogue, plan_id: str, code: str,
               wording: str, year_text: str = "") -> SavedPlan:
    """The indicator's target as the plan writes it, checked as an imported table's row is
    (kind against direction, unit, valid range, year in the plan's period); 未核实 until
    verified."""
    plan, before = own_row(store, cat, plan_id, code)
    wording = (wording or "").strip()
    if not wording:
        raise PlanEditRefused("请填写目标值，如「≥95%」「控制在12/10万以下」「逐步提高」。")
    indicator = cat.indicators.set_index("code").loc[code]
    bounds = valid_ranges(cat.indicators, cat.units).set_index("code").loc[code]
    cell = {"row": None, "target": wording, "year": (year_text or "").strip(), "wording": ""}
    read, problems = checks.row_target(cell, {}, indicator, bounds,
                                       cat.units.set_index("unit")["per"], pd.Series(plan), None)
    if problems:
        raise PlanEditRefused(f"{problems[0].message}（{problems[0].code}）", hint=problems[0].hint)
    source = plan["name"] + (f"（{plan['document']}）" if plan.get("document") else "")
    fields = {**read, "tolerance": None, "source": source, "verified": "not_found",
              "confidence": "high", "evidence": None}
    new = pd.Series({**before.to_dict(), **fields, "indicator_code": code})
    return edit(store, actor, cat, plan_id, code, fields,
                f"{name_of(cat, plan_id, code)}：目标由「{phrase(cat, plan, before)}」"
                f"改为「{phrase(cat, plan, new)}」")


def inherit_target(store: Store, actor: Actor, cat: Catalogue, plan_id: str,
                   code: str) -> SavedPlan:
    """The plan's own target of the indicator removed: the parent's applies again."""
    plan, before = own_row(store, cat, plan_id, code)
    if pd.isna(before.get("kind")):
        raise PlanEditRefused("本规划没有设定该指标的目标，已沿用上级规划。")
    return edit(store, actor, cat, plan_id, code, dict.fromkeys(TARGET_FIELDS),
                f"{name_of(cat, plan_id, code)}：目标「{phrase(cat, plan, before)}」取消，"
                "改为沿用上级规划")


def set_milestone(store: Store, actor: Actor, cat: Catalogue, plan_id: str, code: str,
                  year: int | None, value: float | None) -> SavedPlan:
    """The indicator's mid-term milestone (a value to reach by a year before the target
    year, in the indicator's unit); both None removes it."""
    plan, before = own_row(store, cat, plan_id, code)
    indicator = cat.indicators.set_index("code").loc[code]
    name = name_of(cat, plan_id, code)
    old = milestone_text(before, indicator["unit"])
    if year is None and value is None:
        return edit(store, actor, cat, plan_id, code,
                    {"milestone_year": None, "milestone_value": None},
                    f"{name}：阶段目标「{old}」取消")
    if year is None or value is None:
        raise PlanEditRefused("阶段目标须同时填写年份和数值。")
    if not int(plan["start_year"]) <= int(year) < int(plan["target_year"]):
        raise PlanEditRefused(f"阶段目标年份{year}年应在{plan['start_year']}—"
                              f"{int(plan['target_year']) - 1}年之间（目标年份之前）。")
    bounds = valid_ranges(cat.indicators, cat.units).set_index("code").loc[code]
    if not bounds["low"] <= float(value) <= bounds["high"]:
        raise PlanEditRefused(f"阶段目标{value}超出「{name}」的有效范围"
                              f"（{bounds['low']:g}—{bounds['high']:g}{indicator['unit']}）。")
    new = {"milestone_year": int(year), "milestone_value": float(value)}
    return edit(store, actor, cat, plan_id, code, new, f"{name}：阶段目标由「{old}」改为"
                f"「{milestone_text(pd.Series(new), indicator['unit'])}」")


def milestone_text(row: pd.Series, unit: str) -> str:
    """2025年97%; 无 when there is none."""
    if pd.isna(row.get("milestone_year")) or pd.isna(row.get("milestone_value")):
        return "无"
    return f"{int(row['milestone_year'])}年{format_value(row['milestone_value'], unit)}"


def verify_target(store: Store, actor: Actor, cat: Catalogue, plan_id: str, code: str,
                  page: str, article: str) -> SavedPlan:
    """The plan's own target marked verified against the printed plan, with where it stands
    there (page, article)."""
    plan, before = own_row(store, cat, plan_id, code)
    if pd.isna(before.get("kind")):
        raise PlanEditRefused("该指标沿用上级规划的目标，本规划没有可核实的目标。",
                              hint="请在上级规划中核实，或先为本规划设定目标。")
    where = "，".join(p for p in (f"第{page.strip()}页" if page.strip() else "",
                                  article.strip()) if p)
    if not where:
        raise PlanEditRefused("请填写目标在印发文本中的页码或条款，作为核实依据。")
    evidence = f"印发文本{where}（{actor.name}核实）"
    return edit(store, actor, cat, plan_id, code, {"verified": "yes", "evidence": evidence},
                f"{name_of(cat, plan_id, code)}：目标「{phrase(cat, plan, before)}」核实为与印发文本"
                f"一致（{where}），原为{targets.verified_label(before.get('verified'))}")


def drop_indicator(store: Store, actor: Actor, cat: Catalogue, plan_id: str, code: str,
                   reason: str) -> SavedPlan:
    """The indicator left out of the plan's monitoring (its own target kept for a restore)."""
    _, before = own_row(store, cat, plan_id, code)
    reason = (reason or "").strip()
    if not reason:
        raise PlanEditRefused("请说明本规划不监测该指标的原因，如“本市规划未列入该指标”。")
    if pd.notna(before.get("dropped_reason")):
        raise PlanEditRefused("本规划已不监测该指标。")
    return edit(store, actor, cat, plan_id, code, {"dropped_reason": reason},
                f"{name_of(cat, plan_id, code)}：不再监测（{reason}）")


def restore_indicator(store: Store, actor: Actor, cat: Catalogue, plan_id: str,
                      code: str) -> SavedPlan:
    """A dropped indicator monitored again, with what the plan set of it before."""
    _, before = own_row(store, cat, plan_id, code)
    if pd.isna(before.get("dropped_reason")):
        raise PlanEditRefused("本规划正在监测该指标，无需恢复。")
    return edit(store, actor, cat, plan_id, code, {"dropped_reason": None},
                f"{name_of(cat, plan_id, code)}：恢复监测（原因“{before['dropped_reason']}”取消）")


def set_responsibility(store: Store, actor: Actor, cat: Catalogue, plan_id: str, code: str,
                       lead: str, supporting: str, contact: str, deadline: str) -> SavedPlan:
    """The indicator's 目标责任分解: lead unit, supporting units (「教育局、民政局」), contact
    and deadline; all empty gives it back to the catalogue's departments."""
    _, before = own_row(store, cat, plan_id, code)
    new = {"lead_unit": lead.strip() or None,
           "supporting_units": checks.units_list(supporting.strip()),
           "contact": contact.strip() or None, "deadline": deadline.strip() or None}
    if new["lead_unit"] is None and any(new.values()):
        raise PlanEditRefused("请填写牵头单位：配合单位、联系人和完成时限都属于牵头单位的分工。")
    old = responsibility_text(before)
    return edit(store, actor, cat, plan_id, code, new,
                f"{name_of(cat, plan_id, code)}：责任分解由「{old}」改为"
                f"「{responsibility_text(pd.Series(new))}」")


def responsibility_text(row: pd.Series) -> str:
    """牵头 妇联；配合 教育局、民政局；联系人 张敏；时限 2025年底 — or 按目录（未分解）."""
    if pd.isna(row.get("lead_unit")):
        return "按目录（未分解）"
    parts = [f"牵头 {row['lead_unit']}"]
    for label, field in (("配合", "supporting_units"), ("联系人", "contact"),
                         ("时限", "deadline")):
        if pd.notna(row.get(field)):
            parts.append(f"{label} {str(row[field]).replace(catalogue.LIST_SEPARATOR, '、')}")
    return "；".join(parts)
