"""Indicators a local plan defines itself: the grassroots work metrics an office monitors beside
the outline's (「妇女之家」覆盖率 of villages and communities, 妇女培训人次).

Each has a code `L<region>-<n>` (L350100-1), numbered per region and never reused, which no
catalogue code can take (those are lower-case words). It sits in an area of the plan's outline,
carries the fields of a catalogue indicator (unit, direction, decimals, valid range, definition,
data source, departments) and, as a row of the plan like any other, its target and
responsibilities. It applies in the plan's region and every region below it, where plans under
this one inherit it and may set their own target for it. Defining or changing one saves the
plan's next version (metrics/plans/registry.save_plan), so it is versioned and audited like
every other change of a plan.
"""
from __future__ import annotations

import re

import pandas as pd

from metrics.access import Actor
from metrics.catalogue import DIRECTIONS, LIST_SEPARATOR, Catalogue, national_indicators
from metrics.errors import MetricsError, NotFoundError
from metrics.plans import checks, registry
from metrics.regions import RegionTree
from metrics.store import Store
from metrics.store.interface import LOCAL_INDICATOR_FIELDS
from metrics.targets import plans_of_outline
from metrics.text import normalise

AREA_NUMBERING = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*")
LOCAL_CODE = re.compile(r"^L(?P<region>\d{6})-(?P<number>\d+)$")
DIRECTION_LABELS = {"higher": "越高越好", "lower": "越低越好", "band": "保持在目标附近"}
TEXT_FIELDS = ["definition", "data_source", "lead_department", "note"]


class LocalIndicatorRefused(MetricsError):
    """A local indicator cannot be defined or changed as asked."""
    hint = "请按提示改正后重试。本地指标的名称和别名不能与指标目录或上下级规划的指标重名。"

    def __init__(self, message: str, hint: str | None = None, *, code: str):
        super().__init__(message, hint)
        self.code = code  # stable, for whoever shows or counts the refusal


def is_local(code: str) -> bool:
    """Whether an indicator code is one a local plan defined."""
    return bool(LOCAL_CODE.match(str(code)))


def next_codes(cat: Catalogue, region_code: str, count: int) -> list[str]:
    """`count` fresh codes for indicators of a plan of the region: numbered after every code
    the region's plans have used."""
    used = [int(m["number"]) for m in map(LOCAL_CODE.match, cat.local_indicators["code"])
            if m and m["region"] == region_code]
    start = max(used, default=0) + 1
    return [f"L{region_code}-{n}" for n in range(start, start + count)]


def applying(cat: Catalogue, outline_id: str, region_code: str) -> pd.DataFrame:
    """The local indicators that apply in a region for an outline: those of the outline's
    plans (LOCAL_INDICATOR_FIELDS) whose region is the region or one above it."""
    family = plans_of_outline(cat.plans, outline_id).set_index("id")["region_code"]
    local = cat.local_indicators
    region_of = local["plan_id"].map(family)
    above = set(RegionTree(cat.regions).ancestors(region_code))
    return local[region_of.isin(above)].reset_index(drop=True)


def name_keys(name: str, aliases: str | None) -> list[str]:
    return [normalise(t) for t in [name, *(aliases or "").split(LIST_SEPARATOR)] if t]


def names_taken(cat: Catalogue, region_code: str, except_code: str | None) -> dict[str, str]:
    """Normalised names and aliases a new local indicator of a plan of the region may not
    take → who has it: the catalogue's indicators, and local ones of plans of this region, above
    it or below it (all of which would meet in one region)."""
    taken = {}
    for row in national_indicators(cat).itertuples():
        for key in name_keys(row.name, row.aliases) + [normalise(row.code)]:
            taken[key] = f"指标目录中的「{row.name}」"
    tree = RegionTree(cat.regions)
    plans = cat.plans.set_index("id")
    for row in cat.local_indicators.itertuples():
        other = plans.at[row.plan_id, "region_code"] if row.plan_id in plans.index else None
        if row.code == except_code or other is None:
            continue
        if other in tree.ancestors(region_code) or region_code in tree.ancestors(other):
            for key in name_keys(row.name, row.aliases):
                taken[key] = f"《{plans.at[row.plan_id, 'name']}》的本地指标「{row.name}」"
    return taken


def area_code_of(cat: Catalogue, outline_id: str, area: str | None) -> str:
    """The outline's area written by code or name (妇女参与决策和管理, decision), also as a
    heading row writes it (四、妇女参与决策和管理)."""
    areas = cat.areas[cat.areas["plan_id"] == outline_id]
    key = AREA_NUMBERING.sub("", normalise(area or ""))
    for row in areas.itertuples():
        if key and key in (normalise(row.area_code), normalise(row.name)):
            return row.area_code
    raise LocalIndicatorRefused(f"领域「{area or ''}」不是该规划的领域，可选："
                                + "、".join(areas["name"]) + "。", code="local-area-unknown")


def completed(cat: Catalogue, plan: dict, outline_id: str, fields: dict, code: str,
              sort_order: int) -> dict:
    """A local indicator's record (LOCAL_INDICATOR_FIELDS) from the fields given, with the
    unit's range and usual decimals where none are given; LocalIndicatorRefused naming every
    problem."""
    problems = []
    name = (fields.get("name") or "").strip()
    aliases = [a.strip() for a in (fields.get("aliases") or "").split(LIST_SEPARATOR) if a.strip()]
    units = cat.units.set_index("unit")
    unit, direction = fields.get("unit"), fields.get("direction")
    if not name:
        problems.append(("local-name-missing", "本地指标须有名称。"))
    if unit not in units.index:
        problems.append(("local-unit-unknown",
                         f"单位「{unit or ''}」不在单位表中，可选：{'、'.join(units.index)}。"))
    if direction not in DIRECTIONS:
        problems.append(("local-direction-unknown",
                         f"方向「{direction or ''}」无效，可选：higher（越高越好）、lower（越低越好）、"
                         "band（保持在目标附近）。"))
    taken = names_taken(cat, plan["region_code"], code)
    for text in [name, *aliases]:
        if normalise(text) in taken:
            problems.append(("local-name-taken", f"名称「{text}」已是{taken[normalise(text)]}。"))
    if problems:
        raise LocalIndicatorRefused("".join(m for _, m in problems), code=problems[0][0])
    low = fields.get("valid_min")
    high = fields.get("valid_max")
    low = units.at[unit, "default_min"] if low is None else low
    high = units.at[unit, "default_max"] if high is None else high
    if pd.notna(low) and pd.notna(high) and float(low) >= float(high):
        raise LocalIndicatorRefused(f"有效范围 {low}—{high} 无效：下限须小于上限。",
                                    code="local-range-invalid")
    decimals = fields.get("decimals")
    if decimals is None:
        decimals = 0 if units.at[unit, "kind"] == "count" else 1
    supporting = fields.get("supporting_departments") or ""
    return {"code": code, "plan_id": plan["id"], "outline_id": outline_id,
            "area_code": fields["area_code"],
            "sort_order": sort_order, "name": name, "aliases": LIST_SEPARATOR.join(aliases),
            "unit": unit, "direction": direction, "decimals": int(decimals),
            "valid_min": None if pd.isna(low) else float(low),
            "valid_max": None if pd.isna(high) else float(high),
            **{f: (fields.get(f) or None) for f in TEXT_FIELDS},
            "supporting_departments": LIST_SEPARATOR.join(
                u for u in re.split(r"[、，,|]+", supporting) if u) or None}


def target_row(cat: Catalogue, plan: dict, record: dict, text: str | None,
               year: int | None) -> dict:
    """The plan's row for the indicator (checks.INDICATOR_FIELDS): its target read from the
    wording (「≥90%」, 「逐步提高」; None: no target) and its lead and supporting units."""
    cell = {"row": None, "target": text or "", "year": "" if year is None else str(year),
            "wording": ""}
    bounds = pd.Series({"low": record["valid_min"] if record["valid_min"] is not None
                        else float("-inf"),
                        "high": record["valid_max"] if record["valid_max"] is not None
                        else float("inf")})
    per = cat.units.set_index("unit")["per"]
    target, problems = checks.row_target(cell, {"target": "目标", "year": "目标年份"},
                                         pd.Series(record), bounds, per, pd.Series(plan), None)
    if problems:
        raise LocalIndicatorRefused("".join(p.message for p in problems),
                                    "".join(dict.fromkeys(p.hint for p in problems)),
                                    code=problems[0].code)
    return {"row": None, "indicator_code": record["code"], **target,
            "lead_unit": record["lead_department"],
            "supporting_units": record["supporting_departments"], "contact": None,
            "deadline": None}


def local_plan(store: Store, cat: Catalogue, plan_id: str) -> tuple[dict, pd.DataFrame]:
    """The plan as it stands and its rows; a national outline defines no local indicators."""
    plan, rows = registry.current(store, cat, plan_id)
    if plan is None:
        raise NotFoundError(f"找不到规划「{plan_id}」。", "运行 python -m metrics plan list 查看规划。")
    if plan["level"] == "national":
        raise LocalIndicatorRefused(f"《{plan['name']}》是国家纲要，不能定义本地指标。",
                                    "本地指标属于省、市、县的规划。", code="local-in-outline")
    return plan, rows.reset_index(drop=True)


def define(store: Store, actor: Actor, cat: Catalogue, plan_id: str, fields: dict,
           target: str | None = None, target_year: int | None = None
           ) -> tuple[str, registry.SavedPlan]:
    """Define a local indicator of the plan (fields: name, aliases '|'-joined, unit,
    direction, area (code or name), decimals, valid_min, valid_max, definition, data_source,
    lead_department, supporting_departments, note) with its target as the plan words it;
    returns its code and the plan's new version."""
    plan, rows = local_plan(store, cat, plan_id)
    registry.require_may_edit(actor, RegionTree(cat.regions), plan["region_code"])
    own = registry.own_local_indicators(store, plan_id)
    outline_id = registry.outline_of_plan(cat, plan)
    area = area_code_of(cat, outline_id, fields.get("area"))
    [code] = next_codes(cat, plan["region_code"], 1)
    record = completed(cat, plan, outline_id, fields | {"area_code": area}, code, len(own) + 1)
    row = target_row(cat, plan, record, target, target_year)
    indicators = pd.concat([rows, registry.plan_indicators(
        pd.DataFrame([row]), plan, lambda r: f"{actor.name}定义本地指标时填写：「{target}」")],
        ignore_index=True)
    local = pd.concat([own, pd.DataFrame([record])], ignore_index=True)
    return code, registry.save_plan(store, actor, cat, plan, indicators, local)


def change(store: Store, actor: Actor, cat: Catalogue, code: str, fields: dict,
           target: str | None = None, target_year: int | None = None) -> registry.SavedPlan:
    """Change a local indicator's fields (those given; see `define`) and, when `target` is
    given, its target. Its unit stays: values already reported are in it."""
    known = cat.local_indicators.set_index("code")
    if code not in known.index:
        raise NotFoundError(f"找不到本地指标「{code}」。",
                            "运行 python -m metrics plan indicator list 规划 查看本地指标。")
    old = known.loc[code].to_dict() | {"code": code}
    if fields.get("unit") not in (None, old["unit"]):
        raise LocalIndicatorRefused(f"「{old['name']}」的单位不能修改（{old['unit']}）。",
                                    "已报送的数值以原单位计；需要另一单位时请新定义一个指标。",
                                    code="local-unit-fixed")
    plan, rows = local_plan(store, cat, old["plan_id"])
    registry.require_may_edit(actor, RegionTree(cat.regions), plan["region_code"])
    outline_id = registry.outline_of_plan(cat, plan)
    area = old["area_code"] if fields.get("area") is None else area_code_of(
        cat, outline_id, fields["area"])
    given = {k: v for k, v in fields.items() if v is not None and k != "area"}
    record = completed(cat, plan, outline_id, old | given | {"area_code": area}, code,
                       int(old["sort_order"]))
    mine = rows["indicator_code"] == code
    if target is None:
        kept = rows[mine]
        kind = kept["kind"].iloc[0] if len(kept) else None
        if pd.notna(kind) and kind not in checks.KINDS_ALLOWED[record["direction"]]:
            raise LocalIndicatorRefused(
                f"现有目标（{kept['text'].iloc[0]}）与新方向（{DIRECTION_LABELS[record['direction']]}）"
                "不符。", "请同时给出新目标。", code="local-target-direction")
        new_rows = kept.assign(lead_unit=record["lead_department"],
                               supporting_units=record["supporting_departments"])
    else:
        new_rows = registry.plan_indicators(pd.DataFrame([target_row(
            cat, plan, record, target, target_year)]), plan,
            lambda r: f"{actor.name}修改本地指标时填写：「{target}」")
    indicators = pd.concat([rows[~mine], new_rows], ignore_index=True)
    own = registry.own_local_indicators(store, plan["id"])
    local = pd.concat([own[own["code"] != code], pd.DataFrame([record])], ignore_index=True)
    return registry.save_plan(store, actor, cat, plan, indicators,
                              local.sort_values("sort_order", kind="stable"))


def plan_local_indicators(store: Store, cat: Catalogue, plan_id: str) -> pd.DataFrame:
    """The indicators the plan defines (LOCAL_INDICATOR_FIELDS) in its order, with their area's
    name and the plan's row for each (kind, value, target_year, text, verified, lead_unit,
    supporting_units, contact, deadline; empty where it sets no target)."""
    plan, rows = registry.current(store, cat, plan_id)
    local = registry.own_local_indicators(store, plan_id)
    if plan is None or local.empty:
        return local.reindex(columns=LOCAL_INDICATOR_FIELDS + ["area_name"])
    areas = cat.areas[cat.areas["plan_id"] == registry.outline_of_plan(cat, plan)]
    target = rows.drop(columns=["plan_id"]).rename(columns={"indicator_code": "code"})
    return (local.merge(areas[["area_code", "name"]].rename(columns={"name": "area_name"}),
                        on="area_code", how="left")
            .merge(target, on="code", how="left"))
