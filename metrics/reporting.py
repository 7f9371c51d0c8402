"""The reporting cycle: a period is (outline, region, year), and its data travel up the region
tree. 未报送 → 已报送 (submit: the region's analyst or staff) → 已审核 (approve: a reviewer
whose scope holds the region's parent, once every reporting region below is approved) → 已锁定
(lock: a reviewer or administrator of the lock level or above); 退回 (return, with a reason)
sends a submitted or approved period back to 未报送, and an administrator of the lock level
unlocks (with a reason) back to 已审核. Which levels report and which one locks are settings
(`reporting`). Every step is kept in the period's history and in the audit log.

`refusal` is the whole rule as a pure function (tests walk it role by role); `take_step`
applies it against the store's current state and records the step. The store checks the
role and scope of every step again (metrics/store/guarded.py).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from metrics import audit
from metrics.access import PERIOD_STEPS, Actor, Scope
from metrics.catalogue import Catalogue
from metrics.errors import MetricsError
from metrics.evaluation import expected
from metrics.regions import LEVEL_LABELS, RegionTree
from metrics.settings import REGION_LEVELS, ReportingSettings
from metrics.store import Store

STATE_LABELS = {"open": "未报送", "submitted": "已报送", "approved": "已审核", "locked": "已锁定"}
DONE = ("approved", "locked")   # a region below counts as done for its parent's approval


@dataclass(frozen=True)
class Step:
    action: str
    sources: tuple[str, ...]   # the states it may be taken from
    target: str
    label: str
    audit_action: str
    needs_comment: bool = False


STEPS = {step.action: step for step in (
    Step("submit", ("open",), "submitted", "报送", "period_submitted"),
    Step("approve", ("submitted",), "approved", "审核通过", "period_approved"),
    Step("return", ("submitted", "approved"), "open", "退回", "period_returned", True),
    Step("lock", ("approved",), "locked", "锁定", "period_locked"),
    Step("unlock", ("locked",), "approved", "解锁", "period_unlocked", True),
)}


class StepRefused(MetricsError):
    """A step of the cycle the period's state, the person or the regions below do not allow."""
    hint = "可在“报送进度”页或用 python -m metrics period show 查看该报送期的状态与记录。"


class IncompleteSubmission(MetricsError):
    """Indicators of the outline hold no value for the year: submitting needs a note."""
    hint = "补齐数据后再报送；确属无法填报（如由上级部门统一发布），请填写说明后报送。"

    def __init__(self, missing: pd.DataFrame):
        names = "、".join(missing["name"].head(10))
        more = f"等 {len(missing)} 项" if len(missing) > 10 else f"共 {len(missing)} 项"
        super().__init__(f"以下指标尚无本年数值：{names}（{more}）。如仍要报送，请填写说明。")
        self.missing = missing


@dataclass(frozen=True)
class Period:
    outline_id: str
    region_code: str
    year: int


def level_of(tree: RegionTree, code: str) -> str:
    return tree.regions["level"].to_numpy()[tree.positions([code])[0]]


def parent_of(tree: RegionTree, code: str) -> str | None:
    chain = tree.ancestors(code)
    return chain[-2] if chain[-1] == code and len(chain) > 1 else None


def reporting_below(tree: RegionTree, settings: ReportingSettings, code: str) -> list[str]:
    """The regions under `code` (not itself) whose level reports."""
    regions = tree.regions
    inside = (tree.under(regions["code"], [code]) & regions["level"].isin(settings.levels)
              & (regions["code"] != code)).to_numpy()
    return list(regions["code"][inside])


def states(store: Store, outline_id: str, year: int, codes: list[str]) -> pd.DataFrame:
    """The periods of the regions (PERIOD_FIELDS), one row per code in order, open where
    nothing was ever recorded."""
    stored = store.fetch_periods(outline_id, year, list(codes)).set_index("region_code")
    frame = stored.reindex(pd.Index(list(codes), name="region_code")).reset_index()
    frame["state"] = frame["state"].fillna("open")
    return frame.assign(outline_id=outline_id, year=int(year))


def outline_codes(cat: Catalogue, outline_id: str) -> list[str]:
    """The indicators the outline monitors (what a period is expected to hold), in its order:
    area by area."""
    listed = cat.plan_indicators[cat.plan_indicators["plan_id"] == outline_id]
    areas = cat.areas[cat.areas["plan_id"] == outline_id].set_index("area_code")["sort_order"]
    listed = listed.assign(area_order=listed["area_code"].map(areas))
    return list(listed.sort_values(["area_order", "sort_order"])["indicator_code"])


def missing_indicators(store: Store, cat: Catalogue, period: Period) -> pd.DataFrame:
    """The indicators the region is asked for (expected.expected_indicators: the outline's but
    those its plan dropped, and the local ones applying there) without a value for the year:
    code, name, lead_department, in the outline's order."""
    asked = expected.expected_indicators(cat, period.outline_id, period.region_code)
    stored = store.fetch_observations(list(asked["indicator_code"]), [period.region_code])
    supplied = set(stored.loc[stored["year"] == period.year, "indicator_code"])
    absent = asked[~asked["indicator_code"].isin(supplied)]
    return pd.DataFrame({"code": absent["indicator_code"].to_numpy(),
                         "name": absent["name"].to_numpy(),
                         "lead_department": absent["lead_department"].to_numpy()})


def locks_from(actor: Actor, tree: RegionTree, settings: ReportingSettings, code: str) -> bool:
    """Whether one of the actor's capture regions holds `code` and lies at the lock level or
    above it (a province's reviewer locks the province's data when the lock level is province)."""
    top = REGION_LEVELS.index(settings.lock_level)
    return any(REGION_LEVELS.index(level_of(tree, root)) <= top
               for root in actor.grant.capture_roots
               if tree.positions([root])[0] >= 0 and tree.under([code], [root])[0])


def refusal(action: str, actor: Actor, tree: RegionTree, settings: ReportingSettings,
            code: str, state: str, pending_below: list[str] = ()) -> str | None:
    """Why `actor` may not take the step on the region's period in `state` (None: they may).
    `pending_below`: names of the reporting regions below not yet approved (for approve)."""
    step = STEPS[action]
    permission, whose = PERIOD_STEPS[action]
    if state not in step.sources:
        return f"当前状态为“{STATE_LABELS[state]}”，不能{step.label}。"
    if not actor.allows(permission):
        return f"您的角色（{actor.role_label}）不能{step.label}。"
    level = level_of(tree, code)
    scope = Scope(actor.grant, tree)
    if action in ("submit", "approve") and level not in settings.levels:
        return f"{LEVEL_LABELS.get(level, level)}地区不报送数据（设置 reporting.levels）。"
    if whose == "region" and not scope.capturable([code])[0]:
        return f"该地区不在您的填报范围（{scope.roots_text(actor.grant.capture_roots)}）内。"
    if whose == "parent":
        parent = parent_of(tree, code)
        if parent is None or not scope.capturable([parent])[0]:
            return "只有上级地区的审核员才能审核或退回。"
    if action in ("lock", "unlock") and not locks_from(actor, tree, settings, code):
        return (f"只有{LEVEL_LABELS[settings.lock_level]}或更高一级的审核员、管理员才能"
                f"{step.label}。")
    if action == "approve" and pending_below:
        shown = "、".join(pending_below[:5]) + (f"等 {len(pending_below)} 个" if
                                                len(pending_below) > 5 else "")
        return f"下级地区尚未全部审核通过：{shown}。"
    return None


def pending_below(store: Store, tree: RegionTree, settings: ReportingSettings,
                  period: Period) -> list[str]:
    """Names (with their state) of the reporting regions below the period's region whose
    period of the same outline and year is not approved or locked."""
    below = reporting_below(tree, settings, period.region_code)
    if not below:
        return []
    found = states(store, period.outline_id, period.year, below)
    waiting = found[~found["state"].isin(DONE)]
    names = tree.regions.set_index("code")["name"]
    return [f"{names[c]}（{STATE_LABELS[s]}）" for c, s in zip(waiting["region_code"],
                                                            waiting["state"])]


def take_step(store: Store, actor: Actor, cat: Catalogue, settings: ReportingSettings,
              action: str, period: Period, comment: str = "") -> int:
    """Take one step of the cycle as `actor`, in one transaction: the step's rule checked
    against the current state (StepRefused), a submission's completeness (IncompleteSubmission
    unless a comment explains it), then the state moved, the history and the audit appended.
    Returns the history entry's id."""
    if action not in STEPS:
        raise MetricsError(f"未知的操作「{action}」，可选：{'、'.join(STEPS)}。")
    step, comment, tree = STEPS[action], (comment or "").strip(), RegionTree(cat.regions)
    if step.needs_comment and not comment:
        raise MetricsError(f"{step.label}需要填写理由。", hint="请写明原因，如“数据口径有误，请核实后重报”。")
    with store.transaction() as work:
        state = states(work, period.outline_id, period.year, [period.region_code]).iloc[0]
        waiting = pending_below(work, tree, settings, period) if action == "approve" else []
        reason = refusal(action, actor, tree, settings, period.region_code, state["state"],
                         waiting)
        if reason:
            raise StepRefused(reason)
        missing = missing_indicators(work, cat, period) if action == "submit" else None
        if missing is not None and len(missing) and not comment:
            raise IncompleteSubmission(missing)
        codes = list(missing["code"]) if missing is not None and len(missing) else None
        event_id = work.record_period_event({
            "outline_id": period.outline_id, "region_code": period.region_code,
            "year": period.year, "action": action, "from_state": state["state"],
            "to_state": step.target, "user_name": actor.name, "comment": comment or None,
            "missing": json.dumps(codes, ensure_ascii=False) if codes else None})
        audit.record(work, actor, step.audit_action, period_label(tree, period),
                     before=STATE_LABELS[state["state"]], after=STATE_LABELS[step.target],
                     detail="；".join(filter(None, [comment, missing_text(cat, codes)])))
    return event_id


def missing_text(cat: Catalogue, codes: list[str] | None) -> str:
    if not codes:
        return ""
    names = cat.indicators.set_index("code")["name"].reindex(codes).fillna(pd.Series(codes,
                                                                                    index=codes))
    return f"缺 {len(codes)} 项：" + "、".join(names)


def period_label(tree: RegionTree, period: Period) -> str:
    """贵港市/港北区 2024年 women-2021-2030 (the audit's object)."""
    name = "/".join(tree.path_names(period.region_code)) or "全国"
    return f"{name}（{period.region_code}）{period.year}年 {period.outline_id}"


def history_table(cat: Catalogue, history: pd.DataFrame) -> pd.DataFrame:
    """A period's history as people read it: 时间, 操作, 操作人, 状态, 说明, 缺报指标."""
    names = cat.indicators.set_index("code")["name"]

    def missing(text) -> str:
        codes = json.loads(text) if isinstance(text, str) and text else []
        return "、".join(str(names.get(c, c)) for c in codes)
    return pd.DataFrame({
        "时间": pd.to_datetime(history["occurred_at"]).dt.strftime("%Y-%m-%d %H:%M"),
        "操作": history["action"].map(lambda a: STEPS[a].label if a in STEPS else a),
        "操作人": history["user_name"],
        "状态": [f"{STATE_LABELS.get(a, a)} → {STATE_LABELS.get(b, b)}"
               for a, b in zip(history["from_state"], history["to_state"])],
        "说明": history["comment"].fillna(""),
        "缺报指标": history["missing"].map(missing)})
