"""A store that acts as one person: every call is checked against their role and region scope.

Pages and the command line hand domain code a GuardedStore, never the store itself, so that a
view, a briefing or an import that forgets a check still cannot read another region's values or
write in another person's name. Each method of the Store interface has a rule here; a method
without one is refused (a new store method stays closed until someone decides who may call it).
Reads of the catalogue are open to all: it is the published outlines and region list.
"""
from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd

from metrics.access import (
    PERIOD_STEPS,
    SYSTEM_NAME,
    AccessDenied,
    Actor,
    Permission,
    Role,
    Scope,
)
from metrics.regions import RegionTree
from metrics.store.interface import Store

SYSTEM_BATCH_USERS = {SYSTEM_NAME}  # seed batches, written by init from data/


class GuardedStore:
    """`inner` as `actor` may use it. `indicators`: the indicator codes the actor may read
    (None: all), from the outlines its grant names."""

    def __init__(self, inner: Store, actor: Actor, tree: RegionTree,
                 indicators: frozenset[str] | None = None):
        self.inner, self.actor, self.tree, self.indicators = inner, actor, tree, indicators
        self.scope = Scope(actor.grant, tree)

    @property
    def url(self) -> str:
        return self.inner.url

    def __repr__(self) -> str:
        return f"GuardedStore({self.inner!r}, {self.actor.name!r})"

    def __getattr__(self, name: str):
        rule = RULES.get(name)
        if rule is None:
            raise AttributeError(f"{name} is not part of the guarded store")
        method, signature = getattr(self.inner, name), SIGNATURES[name]

        def checked(*args, **kwargs):
            bound = signature.bind(None, *args, **kwargs)
            bound.apply_defaults()
            arguments = {k: v for k, v in bound.arguments.items() if k != "self"}
            return rule(self, method, arguments)
        return checked

    # --- what the rules ask --------------------------------------------------------------

    def require(self, permission: Permission) -> None:
        self.actor.require(permission)

    def require_reading(self, region_codes, indicator_codes=None) -> None:
        """Refused unless the actor may read these regions' values (of these indicators)."""
        self.require(Permission.VIEW)
        self.scope.require_view(region_codes)
        if indicator_codes is not None:
            self.require_indicators(indicator_codes)

    def require_indicators(self, codes) -> None:
        if self.indicators is not None and not set(codes) <= self.indicators:
            raise AccessDenied("公开模式下只能查看设置中列出的纲要的指标。")

    def sees_batch(self, batch: dict | None) -> bool:
        """Administrators see every batch; analysts their own; others with the batch history
        the batches of users whose region lies in their view scope, and the built-in data."""
        if batch is None or not self.actor.allows(Permission.BATCHES):
            return False
        if self.actor.role is Role.ADMIN or batch["user_name"] == self.actor.name:
            return True
        if self.actor.role is Role.ANALYST:
            return False
        return batch["user_name"] in self.batch_users_in_view

    @functools.cached_property
    def batch_users_in_view(self) -> set[str]:
        """Users whose region lies in the view scope (read once per guarded store)."""
        users = self.inner.fetch_users()
        return set(users["name"][self.scope.viewable(users["region_code"])]) | SYSTEM_BATCH_USERS

    def require_batch(self, batch_id: int) -> dict:
        batch = self.inner.fetch_batch(batch_id)
        if not self.sees_batch(batch):
            raise AccessDenied(f"批次 {batch_id} 不存在，或不在您可查看的范围内。")
        return batch

    def require_own_name(self, name: str) -> None:
        if name != self.actor.name:
            raise AccessDenied(f"不能以「{name}」的名义记录操作（当前用户：{self.actor.name}）。")

    def wrapped(self, inner: Store) -> GuardedStore:
        return GuardedStore(inner, self.actor, self.tree, self.indicators)


Rule = Callable[[GuardedStore, Callable, dict], object]


def open_to_all(guard, method, a):
    return method(**a)


def needs(permission: Permission) -> Rule:
    def rule(guard, method, a):
        guard.require(permission)
        return method(**a)
    return rule


def viewing(regions: str, indicators: str | None = None) -> Rule:
    """A read of the regions named by argument `regions` (a code or a list of codes)."""
    def rule(guard, method, a):
        codes = [a[regions]] if isinstance(a[regions], str) else list(a[regions])
        guard.require_reading(codes, a[indicators] if indicators else None)
        return method(**a)
    return rule


def bound_unit(guard, method, a):
    @contextmanager
    def unit() -> Iterator[GuardedStore]:
        with method(**a) as inner:
            yield guard.wrapped(inner)
    return unit()


def reading_current(guard, method, a):
    guard.require(Permission.VIEW)
    guard.scope.require_view(a["keys"]["region_code"].unique())
    return method(**a)


# Who may write a batch of each kind besides undo: an upload (a file, a report's figures) the
# uploaders; computed roll-up values taken in (由下级汇总) the reviewers.
BATCH_PERMISSIONS = {"upload": Permission.UPLOAD, "rollup": Permission.REVIEW}


def writing_observations(guard, method, a):
    batch = guard.require_batch(a["batch_id"])
    guard.require(BATCH_PERMISSIONS.get(batch["kind"], Permission.ADMINISTER))
    frames = [a["new"], a["changed"]] + ([a["unchanged"]] if a["unchanged"] is not None else [])
    codes = pd.concat([f["region_code"] for f in frames]).unique()
    guard.scope.require_capture(codes)
    return method(**a)


def creating_batch(guard, method, a):
    guard.require_own_name(a["user_name"])
    if a["kind"] == "undo":
        if not (guard.actor.allows(Permission.UNDO_OWN) or guard.actor.allows(Permission.UNDO_ANY)):
            guard.require(Permission.UNDO_ANY)
    else:
        guard.require(BATCH_PERMISSIONS.get(a["kind"], Permission.ADMINISTER))
    return method(**a)


def restoring(guard, method, a):
    batch = guard.require_batch(a["batch_id"])
    if not guard.actor.allows(Permission.UNDO_ANY):
        guard.require(Permission.UNDO_OWN)
        if batch["user_name"] != guard.actor.name:
            raise AccessDenied(f"批次 {a['batch_id']} 由「{batch['user_name']}」导入，"
                               "您只能撤销本人导入的批次。")
    guard.require_batch(a["undo_id"])
    return method(**a)


def of_batch(guard, method, a):
    guard.require_batch(a["batch_id"])
    return method(**a)


def fetching_batch(guard, method, a):
    batch = method(**a)
    return batch if guard.sees_batch(batch) else None


def listing_batches(guard, method, a):
    guard.require(Permission.BATCHES)
    batches = method(**a)
    visible = np.array([guard.sees_batch(row) for row in batches.to_dict("records")], dtype=bool)
    return batches[visible].reset_index(drop=True)


def finding_live_batch(guard, method, a):
    guard.require(Permission.UPLOAD)
    found = method(**a)
    return found if found is None or guard.sees_batch(guard.inner.fetch_batch(found)) else None


def saving_notes(guard, method, a):
    guard.require(Permission.NOTE)
    guard.require_own_name(a["user_name"])
    guard.scope.require_capture([a["region_code"]])
    return method(**a)


def own_or_administer(argument: str) -> Rule:
    """The user's own record (a password change), else an administrator's business."""
    def rule(guard, method, a):
        if a.get(argument) != guard.actor.name:
            guard.require(Permission.ADMINISTER)
        return method(**a)
    return rule


def appending_audit(guard, method, a):
    guard.require_own_name(a["entry"]["user_name"])
    return method(**a)


def recording_period_step(guard, method, a):
    """A step of the reporting cycle, in one's own name, by a role that may take it, over a
    region the capture scope holds: the period's own, or its parent for a reviewer's step."""
    event = a["event"]
    guard.require_own_name(event["user_name"])
    if event["action"] not in PERIOD_STEPS:
        raise AccessDenied(f"未知的报送操作「{event['action']}」。")
    permission, whose = PERIOD_STEPS[event["action"]]
    guard.require(permission)
    region = event["region_code"]
    if whose == "parent":
        chain = guard.tree.ancestors(region)       # 全国 … parent, region
        if chain[-1] != region or len(chain) < 2:
            raise AccessDenied("该地区没有上级，无人可以审核。")
        guard.scope.require_capture([chain[-2]])
    else:
        guard.scope.require_capture([region])
    return method(**a)


def listing_locks(guard, method, a):
    """Locked periods of the regions the person may read."""
    guard.require(Permission.VIEW)
    locks = method(**a)
    return locks[guard.scope.viewable(locks["region_code"])].reset_index(drop=True)


def saving_plan(guard, method, a):
    """Plans are an administrator's business, for regions in their capture scope."""
    guard.require(Permission.ADMINISTER)
    guard.require_own_name(a["user_name"])
    guard.scope.require_capture([a["plan"]["region_code"]])
    return method(**a)


def saving_local_indicators(guard, method, a):
    """A plan's own indicators, like the plan: an administrator's, for regions in their
    capture scope."""
    guard.require(Permission.ADMINISTER)
    guard.scope.require_capture([a["plan"]["region_code"]])
    return method(**a)


RULES: dict[str, Rule] = {
    "session": bound_unit, "transaction": bound_unit,
    "local_time": open_to_all, "schema_version": open_to_all, "is_initialised": open_to_all,
    "migrations": open_to_all, "read_table": open_to_all, "data_version": open_to_all,
    "count_rows": open_to_all,
    "initialise": needs(Permission.ADMINISTER), "backup": needs(Permission.ADMINISTER),
    "replace_table": needs(Permission.ADMINISTER),
    "bump_catalogue_revision": needs(Permission.ADMINISTER),
    "read_current": reading_current,
    "write_observations": writing_observations,
    "fetch_observations": viewing("region_codes", "indicator_codes"),
    "fetch_region_years": viewing("region_code"),
    "fetch_evaluation_inputs": viewing("region_codes", "indicator_codes"),
    "fetch_revisions": viewing("region_codes", "indicator_codes"),
    "fetch_focus_items": viewing("region_codes"),
    "save_focus_items": saving_notes,
    "create_batch": creating_batch, "save_batch_file": of_batch, "fetch_batch_file": of_batch,
    "find_live_batch": finding_live_batch, "fetch_batches": listing_batches,
    "fetch_batch": fetching_batch,
    "fetch_batch_changes": of_batch, "overwritten_since": of_batch, "restore_before": restoring,
    "count_batch_changes": of_batch, "fetch_batch_changes_page": of_batch,
    "write_batch_changes": of_batch,
    "create_user": needs(Permission.ADMINISTER), "fetch_users": needs(Permission.ADMINISTER),
    "update_user": own_or_administer("name"), "fetch_user": own_or_administer("name"),
    "end_login_sessions": own_or_administer("user_name"),
    "clear_login_failures": own_or_administer("user_name"),
    "fetch_login_sessions": needs(Permission.ADMINISTER),
    "fetch_login_session": needs(Permission.ADMINISTER),
    "append_audit": appending_audit, "fetch_audit": needs(Permission.ADMINISTER),
    "fetch_periods": viewing("region_codes"), "fetch_period_history": viewing("region_code"),
    "record_period_event": recording_period_step, "fetch_locks": listing_locks,
    "find_locked": reading_current, "find_locked_in_batch": of_batch,
    # Plans, like the catalogue, are published documents: open to read; who changed them is
    # for those who work on plans (the 规划管理 page) to see.
    "fetch_user_plans": open_to_all, "fetch_user_plan_indicators": open_to_all,
    "fetch_plan_versions": needs(Permission.PLANS), "save_user_plan": saving_plan,
    "fetch_local_indicators": open_to_all, "save_local_indicators": saving_local_indicators,
}
# Login machinery (opening sessions, counting failures, the signing secret) runs on the store
# itself, before anyone is known; a person's store never reaches it.
NOT_FOR_PEOPLE = {"open_login_session", "touch_login_session", "record_login_failure",
                  "fetch_login_failures", "secret"}
SIGNATURES = {name: inspect.signature(getattr(Store, name)) for name in RULES}


def guard(store: Store, actor: Actor, tree: RegionTree,
          plan_indicators: pd.DataFrame) -> GuardedStore:
    """The store as `actor` may use it; `plan_indicators` (the catalogue's) limits reads to
    the indicators of the outlines the actor's grant names, when it names some."""
    indicators = None
    if actor.grant.outlines is not None:
        chosen = plan_indicators["plan_id"].isin(actor.grant.outlines)
        indicators = frozenset(plan_indicators.loc[chosen, "indicator_code"])
    return GuardedStore(store, actor, tree, indicators)
