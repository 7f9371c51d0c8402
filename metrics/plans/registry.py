"""Local plans created and changed by an administrator, each change one audited version.

A plan governs a region under its parent plan's region and derives from a national outline
(through the parent, which may be the province's plan); its id follows data/'s convention,
`<region code>-<domain>-<start>-<end>`. Saving replaces the plan's own indicators with the
table's (an indicator left out inherits its parent's target again), records who changed what,
when and from what as the plan's next version, and writes the same to the audit log. Saving an
unchanged plan records nothing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from metrics import audit, catalogue
from metrics.access import Actor, Permission, Scope
from metrics.catalogue import Catalogue
from metrics.errors import MetricsError
from metrics.regions import RegionTree
from metrics.store import Store
from metrics.store.interface import (
    LOCAL_INDICATOR_FIELDS,
    USER_PLAN_FIELDS,
    USER_PLAN_INDICATOR_FIELDS,
)

LOCAL_DEFINITION = [f for f in LOCAL_INDICATOR_FIELDS if f not in ("code", "plan_id")]
COMPARED = ["kind", "value", "target_year", "text", "lead_unit", "supporting_units", "contact",
            "deadline", "milestone_year", "milestone_value", "verified", "evidence",
            "dropped_reason"]


class PlanRefused(MetricsError):
    """The plan cannot be made as asked (its region, its parent)."""
    hint = "规划须属于上级规划所辖地区之内的一个地区，例如省级规划之下的市、县。"


@dataclass(frozen=True)
class SavedPlan:
    """What a save did: the plan's id, its new version (None: nothing changed), the summary."""
    plan_id: str
    version: int | None
    summary: str


def draft_plan(cat: Catalogue, parent_id: str, region_code: str, name: str,
               document: str | None) -> dict:
    """The plan record (USER_PLAN_FIELDS but version) for a region under a parent plan; the
    period and domain are the parent's."""
    parent = catalogue.find_plan(cat.plans, parent_id)
    tree = RegionTree(cat.regions)
    if region_code == parent["region_code"] or parent["region_code"] not in tree.ancestors(
            region_code):
        raise PlanRefused(f"「{region_name(cat, region_code)}」不在上级规划"
                          f"《{parent['name']}》所辖的{region_name(cat, parent['region_code'])}之内。")
    region = cat.regions.set_index("code").loc[region_code]
    years = [int(parent[c]) for c in ("start_year", "baseline_year", "midterm_year",
                                      "target_year")]
    return {"id": f"{region_code}-{parent['domain']}-{years[0]}-{years[3]}", "name": name,
            "short_name": name, "domain": parent["domain"], "level": region["level"],
            "region_code": region_code, "parent_plan": parent_id, "start_year": years[0],
            "baseline_year": years[1], "midterm_year": years[2], "target_year": years[3],
            "document": document}


def outline_of_plan(cat: Catalogue, plan: dict) -> str:
    """The national outline a plan (a record as `draft_plan` makes) derives from."""
    return catalogue.outline_of(cat.plans, plan["parent_plan"])


def region_name(cat: Catalogue, code: str) -> str:
    return cat.regions.set_index("code")["name"].get(code, code)


def require_may_edit(actor: Actor, tree: RegionTree, region_code: str) -> None:
    """Only an administrator whose capture scope holds the plan's region changes its plan."""
    actor.require(Permission.ADMINISTER)
    Scope(actor.grant, tree).require_capture([region_code])


def plan_indicators(rows: pd.DataFrame, plan: dict, evidence_of) -> pd.DataFrame:
    """The table's rows as the plan's indicators (USER_PLAN_INDICATOR_FIELDS): each target
    sourced to the plan, 未核实 until checked against the printed plan, its evidence where it
    was read (`evidence_of(row)`)."""
    source = plan["name"] + (f"（{plan['document']}）" if plan.get("document") else "")
    has_target = rows["kind"].notna()
    out = rows.assign(plan_id=plan["id"], tolerance=None, milestone_year=None,
                      milestone_value=None,
                      source=source, verified="not_found", confidence="high",
                      evidence=[evidence_of(r) for r in rows.to_dict("records")])
    out.loc[~has_target, ["source", "verified", "confidence", "evidence"]] = None
    return out.reindex(columns=USER_PLAN_INDICATOR_FIELDS).reset_index(drop=True)


def plain(value):
    """A value as versions compare and keep it: None for missing, numbers as int or float
    whatever frame they came from, text as text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return value
    number = float(value)
    return int(number) if number.is_integer() else number


def kept_verification(indicators: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """The indicators with the source, verified mark, confidence and evidence of the plan's
    current target kept wherever the target itself (kind, value, year) did not change: a
    target checked against the printed plan stays checked when the table is imported again."""
    fields = ["source", "verified", "confidence", "evidence"]
    target = ["kind", "value", "target_year"]
    old = before.dropna(subset=["kind"]).set_index("indicator_code")
    out = indicators.copy()
    for position, row in enumerate(out.to_dict("records")):
        code = row["indicator_code"]
        if code in old.index and all(plain(row[c]) == plain(old.loc[code, c]) for c in target):
            for field in fields:
                out.iloc[position, out.columns.get_loc(field)] = old.loc[code, field]
    return out


def with_defined(store: Store, plan: dict, defined: pd.DataFrame) -> pd.DataFrame | None:
    """The indicators the plan defines once a table's new ones (`defined`, in order) are
    added after those it has; None when the table defines none (the plan's stay as they are:
    a table that leaves one out drops its target, never its definition or its values)."""
    if defined.empty:
        return None
    own = own_local_indicators(store, plan["id"])
    added = defined.assign(plan_id=plan["id"], sort_order=range(len(own) + 1,
                                                                len(own) + 1 + len(defined)))
    return pd.concat([own, added], ignore_index=True)


def state(plan: dict | None, indicators: pd.DataFrame,
          local: pd.DataFrame | None = None) -> dict | None:
    """A plan, its indicators and the indicators it defines itself (kept only when it defines
    some) as plain values, for versions and the audit."""
    if plan is None:
        return None
    rows = indicators.to_dict("records")
    out = {"plan": {k: plain(plan.get(k)) for k in USER_PLAN_FIELDS if k != "version"},
           "indicators": {r["indicator_code"]: {c: plain(r.get(c)) for c in COMPARED}
                          for r in rows}}
    if local is not None and len(local):
        out["local_indicators"] = {r["code"]: {c: plain(r.get(c)) for c in LOCAL_DEFINITION}
                                   for r in local.to_dict("records")}
    return out


def own_local_indicators(store: Store, plan_id: str) -> pd.DataFrame:
    """The indicators the plan defines itself, as the store holds them."""
    local = store.fetch_local_indicators()
    return local[local["plan_id"] == plan_id].reset_index(drop=True)


def current(store: Store, cat: Catalogue, plan_id: str) -> tuple[dict | None, pd.DataFrame]:
    """The plan as it stands (a user's version, else the one shipped in data/) and its
    indicators; (None, empty) when there is none."""
    users = store.fetch_user_plans()
    if plan_id in set(users["id"]):
        indicators = store.fetch_user_plan_indicators()
        plan = users.set_index("id").loc[plan_id].to_dict() | {"id": plan_id}
        return plan, indicators[indicators["plan_id"] == plan_id]
    if plan_id not in set(cat.plans["id"]):
        return None, pd.DataFrame(columns=USER_PLAN_INDICATOR_FIELDS)
    plan = cat.plans.set_index("id").loc[plan_id].to_dict() | {"id": plan_id}
    targets = cat.targets[cat.targets["plan_id"] == plan_id]
    return plan, targets.reindex(columns=USER_PLAN_INDICATOR_FIELDS)


def change_summary(before: dict | None, after: dict) -> str:
    """「新建规划，目标 12 项，责任分解 20 项」 or 「目标：新增 1、修改 2、取消 0；…」; '' when the
    plan did not change."""
    new = after["indicators"]
    targets = {c for c, r in new.items() if r["kind"] is not None}
    defined = after.get("local_indicators", {})
    if before is None:
        own = f"，本地指标 {len(defined)} 项" if defined else ""
        return f"新建规划，目标 {len(targets)} 项，指标 {len(new)} 项{own}"
    added, changed, removed = differences(before["indicators"], new)
    local_added, local_changed, _ = differences(before.get("local_indicators", {}), defined)
    plan_changed = before["plan"] != after["plan"]
    if not (added or removed or changed or plan_changed or local_added or local_changed):
        return ""
    parts = [f"指标：新增 {len(added)}、修改 {len(changed)}、取消 {len(removed)}"]
    if local_added or local_changed:
        parts.append(f"本地指标：新增 {len(local_added)}、修改 {len(local_changed)}")
    if plan_changed:
        parts.append("规划信息已修改")
    return "；".join(parts)


def kept_page_changes(indicators: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """The indicators with what the plan page set and a table cannot hold kept: each
    indicator's milestone, and the indicators the plan dropped (whole, their target kept for a
    restore) where the table does not list them — a table lists what a plan monitors."""
    milestones = before.dropna(subset=["milestone_year"]).set_index("indicator_code")
    out = indicators.copy()
    for field in ("milestone_year", "milestone_value"):
        out[field] = out["indicator_code"].map(milestones[field])
    unlisted = before[~before["indicator_code"].isin(indicators["indicator_code"])]
    dropped = unlisted[unlisted["dropped_reason"].notna()]
    marked = unlisted[unlisted["dropped_reason"].isna() & unlisted["milestone_year"].notna()]
    kept = [dropped, marked[["plan_id", "indicator_code", "milestone_year", "milestone_value"]]]
    kept = [frame.reindex(columns=out.columns) for frame in kept if len(frame)]
    return pd.concat([out, *kept], ignore_index=True) if kept else out


def differences(old: dict, new: dict) -> tuple[list, list, list]:
    """The keys added, changed and removed from `old` to `new`."""
    return (sorted(set(new) - set(old)), sorted(c for c in set(new) & set(old) if new[c] != old[c]),
            sorted(set(old) - set(new)))


def save_plan(store: Store, actor: Actor, cat: Catalogue, plan: dict,
              indicators: pd.DataFrame, local: pd.DataFrame | None = None) -> SavedPlan:
    """Create or replace the plan and its indicators (an imported table) as one audited
    version; `local`, when given, replaces the indicators the plan defines itself
    (LOCAL_INDICATOR_FIELDS) in the same version."""
    return save_version(store, actor, cat, plan, lambda before: kept_page_changes(
        kept_verification(indicators, before), before), local=local)


def save_version(store: Store, actor: Actor, cat: Catalogue, plan: dict, change,
                 summary: str | None = None, local: pd.DataFrame | None = None) -> SavedPlan:
    """The plan saved with the indicators `change(current indicators)` returns (and, when
    `local` is given, those it defines itself), as one audited version; `summary` says what
    changed (by default counted: change_summary). The current indicators are read in the same
    transaction, so no change is lost to another."""
    require_may_edit(actor, RegionTree(cat.regions), plan["region_code"])
    with store.transaction() as work:
        before_plan, before_rows = current(work, cat, plan["id"])
        before_local = own_local_indicators(work, plan["id"])
        indicators = change(before_rows.reset_index(drop=True))
        before = state(before_plan, before_rows, before_local)
        after = state(plan, indicators, before_local if local is None else local)
        counted = change_summary(before, after)
        if not counted:
            return SavedPlan(plan["id"], None, "规划无变化")
        summary = summary or counted
        as_text = json.dumps(after, ensure_ascii=False, sort_keys=True, default=str)
        version = work.save_user_plan(plan, indicators, actor.name, summary,
                                      audit.as_text(before), as_text)
        if local is not None:
            work.save_local_indicators(plan, local)
        work.bump_catalogue_revision()
        audit.record(work, actor, "plan_created" if before is None else "plan_changed",
                     f"{plan['id']} 第{version}版", before=before, after=after, detail=summary)
    return SavedPlan(plan["id"], version, summary)
