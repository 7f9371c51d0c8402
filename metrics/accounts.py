"""User accounts: who may log in, with which role and region scope.

Every change is made by an administrator (an Actor allowed to administer, within whose own
scope the user's regions lie), ends the user's open sessions where it changes what they may
do, and is audited with the state before and after. A password is shown once, never stored in
clear, never in the audit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from metrics import audit, passwords
from metrics.access import (
    ROLE_LABELS,
    SYSTEM_NAMES,
    AccessDenied,
    Actor,
    Permission,
    Role,
    Scope,
    grant_for,
    system,
)
from metrics.errors import MetricsError, NotFoundError, StoreError
from metrics.regions import NATIONAL_CODE, RegionTree
from metrics.store import Store

FIRST_ADMINISTRATOR = "admin"
# Letters of any script, digits, and . _ - @; no spaces or control characters, which would
# make two accounts look alike in the audit log.
USER_NAME = re.compile(r"[\w.@-]{2,40}")


class AccountError(MetricsError):
    """A user name, role or region that cannot be used."""


@dataclass(frozen=True)
class Account:
    """A user record as the domain uses it."""
    name: str
    role: Role
    region_code: str
    view_region_code: str | None
    disabled: bool

    @classmethod
    def from_record(cls, record: dict) -> Account:
        return cls(record["name"], Role(record["role"]), record["region_code"],
                   record.get("view_region_code"), bool(record["disabled"]))

    def actor(self, address: str = "") -> Actor:
        return Actor(self.name, grant_for(self.role, self.region_code, self.view_region_code),
                     address)

    def summary(self) -> dict:
        """What the audit records of an account (never its password)."""
        return {"role": self.role.value, "region_code": self.region_code,
                "view_region_code": self.view_region_code, "disabled": self.disabled}


def parse_role(text: str) -> Role:
    """A role by its code (viewer …) or its Chinese name (领导 …)."""
    by_label = {label: role for role, label in ROLE_LABELS.items()}
    if text in by_label:
        return by_label[text]
    try:
        return Role(text)
    except ValueError:
        choices = "、".join(f"{r.value}（{label}）" for r, label in ROLE_LABELS.items())
        raise AccountError(f"角色「{text}」无法识别。", hint=f"可用的角色：{choices}。") from None


def find(store: Store, name: str) -> Account:
    record = store.fetch_user(name)
    if record is None:
        raise NotFoundError(f"没有用户「{name}」。", hint="用 python -m metrics user list 查看用户。")
    return Account.from_record(record)


def check_name(name: str) -> None:
    if not USER_NAME.fullmatch(name) or name in SYSTEM_NAMES:
        raise AccountError(f"用户名「{name}」不可用。",
                           hint="用户名为 2–40 个字母、汉字、数字或 . _ - @，不含空格，"
                                "也不能是「本地管理员」等系统名称。")


def check_regions(admin: Actor, tree: RegionTree, *codes: str | None) -> None:
    """Known regions, inside the administrator's own scope."""
    codes = [c for c in codes if c]
    unknown = [c for c in codes if tree.positions([c])[0] < 0]
    if unknown:
        raise AccountError(f"地区代码「{unknown[0]}」不存在。")
    Scope(admin.grant, tree).require_capture(codes)


def require_manager(admin: Actor, tree: RegionTree, account: Account) -> None:
    """Only an administrator whose scope covers the account's regions manages it."""
    admin.require(Permission.ADMINISTER)
    check_regions(admin, tree, account.region_code, account.view_region_code)


def add_user(store: Store, admin: Actor, tree: RegionTree, name: str, role: Role,
             region_code: str, view_region_code: str | None = None,
             password: str | None = None) -> str:
    """Create an account; returns its password (the one given, or a random one to hand out)."""
    admin.require(Permission.ADMINISTER)
    check_name(name)
    check_regions(admin, tree, region_code, view_region_code)
    check_view_covers_capture(tree, region_code, view_region_code)
    password = password if password is not None else passwords.random_password()
    passwords.check_strength(password, name)
    now = store.local_time()
    account = Account(name, role, region_code, view_region_code, False)
    store.create_user({"name": name, "role": role.value, "region_code": region_code,
                       "view_region_code": view_region_code, "disabled": False,
                       "password_hash": passwords.hash_password(password),
                       "created_at": now, "password_changed_at": now})
    audit.record(store, admin, "user_added", name, after=account.summary())
    return password


def check_view_covers_capture(tree: RegionTree, region_code: str,
                              view_region_code: str | None) -> None:
    if view_region_code and not tree.under([region_code], [view_region_code])[0]:
        raise AccountError("查看范围应包含填报范围：查看地区须为填报地区本身或其上级。")


def change(store: Store, admin: Actor, tree: RegionTree, name: str, *,
           role: Role | None = None, region_code: str | None = None,
           view_region_code: str | None = None) -> Account:
    """Change a user's role or scope; their open sessions end (they log in with the new
    rights)."""
    before = find(store, name)
    require_manager(admin, tree, before)
    changes = {"role": role.value if role else None, "region_code": region_code,
               "view_region_code": view_region_code}
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        return before
    after = Account.from_record({**store.fetch_user(name), **changes})
    check_regions(admin, tree, after.region_code, after.view_region_code)
    check_view_covers_capture(tree, after.region_code, after.view_region_code)
    store.update_user(name, changes)
    store.end_login_sessions("rights_changed", store.local_time(), user_name=name)
    audit.record(store, admin, "user_changed", name, before=before.summary(),
                 after=after.summary())
    return after


def set_disabled(store: Store, admin: Actor, tree: RegionTree, name: str,
                 disabled: bool) -> None:
    """Disable (ending every session at once) or enable an account."""
    before = find(store, name)
    require_manager(admin, tree, before)
    if disabled and name == admin.name:
        raise AccessDenied("不能停用自己的账号。")
    store.update_user(name, {"disabled": disabled})
    if disabled:
        store.end_login_sessions("disabled", store.local_time(), user_name=name)
    audit.record(store, admin, "user_disabled" if disabled else "user_enabled", name,
                 before=before.summary(), after={**before.summary(), "disabled": disabled})


def reset_password(store: Store, admin: Actor, tree: RegionTree, name: str) -> str:
    """A new random password for the user (printed once); old sessions end, the lock lifts."""
    require_manager(admin, tree, find(store, name))
    password = passwords.random_password()
    set_password(store, name, password)
    audit.record(store, admin, "password_reset", name)
    return password


def change_own_password(store: Store, actor: Actor, current: str, new: str) -> None:
    """The user's own change: the current password first; every session of theirs ends."""
    record = store.fetch_user(actor.name)
    if record is None or not passwords.matches(record["password_hash"], current):
        raise AccessDenied("当前密码不正确。", hint="请重新输入当前密码。")
    passwords.check_strength(new, actor.name)
    set_password(store, actor.name, new)
    audit.record(store, actor, "password_changed", actor.name)


def set_password(store: Store, name: str, password: str) -> None:
    now = store.local_time()
    store.update_user(name, {"password_hash": passwords.hash_password(password),
                             "password_changed_at": now})
    store.end_login_sessions("password_changed", now, user_name=name)
    store.clear_login_failures(name)


def ensure_first_administrator(store: Store) -> str | None:
    """On a store without users, create the administrator `admin` (scope 全国) and return its
    random password, to be printed once; None when users exist."""
    if not store.fetch_users().empty:
        return None
    tree = RegionTree(store.read_table("regions"))
    try:
        return add_user(store, system("首次启动"), tree, FIRST_ADMINISTRATOR, Role.ADMIN,
                        NATIONAL_CODE)
    except StoreError:  # another process created it a moment ago and printed its password
        return None
