"""Who acts, and what they may do: roles, permissions and region scope.

A person acts with a role and two region scopes, each a set of subtrees of the region tree (as
DHIS2 keeps them): the capture scope holds the regions whose data they may write, the view
scope those they may read (always at least the capture scope). A county analyst captures and
views her county; a city's staff view the city and its counties. Checks raise AccessDenied, a
MetricsError whose Chinese message the pages and the command line show as is. The store a
person's work goes through (metrics/store/guarded.py) applies these checks to every call, so a
page that forgets to check cannot leak or write.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from metrics.errors import MetricsError
from metrics.regions import NATIONAL_CODE, RegionTree


class Role(StrEnum):
    VIEWER = "viewer"
    STAFF = "staff"
    ANALYST = "analyst"
    REVIEWER = "reviewer"
    ADMIN = "admin"


ROLE_LABELS = {Role.VIEWER: "领导", Role.STAFF: "工委办", Role.ANALYST: "数据填报员",
               Role.REVIEWER: "审核员", Role.ADMIN: "管理员"}


class Permission(StrEnum):
    VIEW = "view"                # monitoring pages: 总览, 趋势, 中期评估 (read)
    BRIEF = "brief"              # evaluation briefings (Excel/Word)
    NOTE = "note"                # 重点难点 notes
    UPLOAD = "upload"            # check and import files
    BATCHES = "batches"          # the batch history (analysts: their own batches)
    UNDO_OWN = "undo_own"        # undo one's own batches
    UNDO_ANY = "undo_any"        # undo anybody's batch
    REVIEW = "review"            # review and lock submitted data (the reporting cycle)
    SUBMIT = "submit"            # submit a region's data of a year (the reporting cycle)
    PROGRESS = "progress"        # the 报送进度 page: who has submitted, who is late
    PLANS = "plans"              # the 规划管理 page: local plans, their versions (read)
    ADMINISTER = "administer"    # users, sessions, audit, catalogue, settings


PERMISSION_LABELS = {
    Permission.VIEW: "查看监测页面", Permission.BRIEF: "导出评估简报",
    Permission.NOTE: "编辑重点难点", Permission.UPLOAD: "上传数据",
    Permission.BATCHES: "查看导入记录", Permission.UNDO_OWN: "撤销本人的批次",
    Permission.UNDO_ANY: "撤销任何批次", Permission.REVIEW: "审核与锁定数据",
    Permission.SUBMIT: "报送数据", Permission.PROGRESS: "查看报送进度",
    Permission.PLANS: "查看规划管理",
    Permission.ADMINISTER: "系统管理",
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.VIEW}),
    Role.STAFF: frozenset({Permission.VIEW, Permission.BRIEF, Permission.NOTE,
                           Permission.BATCHES, Permission.SUBMIT, Permission.PROGRESS,
                           Permission.PLANS}),
    Role.ANALYST: frozenset({Permission.VIEW, Permission.UPLOAD, Permission.BATCHES,
                             Permission.UNDO_OWN, Permission.SUBMIT, Permission.PROGRESS}),
    # A reviewer's own batches are the roll-up values she took in: she may undo those.
    Role.REVIEWER: frozenset({Permission.VIEW, Permission.BRIEF, Permission.BATCHES,
                              Permission.UNDO_OWN, Permission.REVIEW, Permission.PROGRESS,
                              Permission.PLANS}),
    Role.ADMIN: frozenset(Permission),
}

# The steps of the reporting cycle (metrics/reporting.py): the permission each needs and the
# region the person's capture scope must hold: the period's own, or its parent (the reviewer
# one level up approves or returns). The store checks these on every step it records.
PERIOD_STEPS: dict[str, tuple[Permission, str]] = {
    "submit": (Permission.SUBMIT, "region"), "approve": (Permission.REVIEW, "parent"),
    "return": (Permission.REVIEW, "parent"), "lock": (Permission.REVIEW, "region"),
    "unlock": (Permission.ADMINISTER, "region"),
}

# Names the product itself acts under; a user may not take one of them.
LOCAL_ADMIN_NAME = "本地管理员"
PUBLIC_NAME = "公众（未登录）"
NOBODY_NAME = "（未登录）"   # the audit's user of a failed login
SYSTEM_NAME = "系统"            # seed batches (init from data/) and the first start
SYSTEM_NAMES = frozenset({LOCAL_ADMIN_NAME, PUBLIC_NAME, NOBODY_NAME, SYSTEM_NAME})


class AccessDenied(MetricsError):
    """The acting person may not do or see this."""
    hint = "如需此权限，请联系本地区的系统管理员。"


@dataclass(frozen=True)
class Grant:
    """What a role and scope allow, apart from who holds them. Hashable and small, so cached
    page data can be keyed by it: two people with the same grant see the same data."""
    role: Role
    view_roots: tuple[str, ...]
    capture_roots: tuple[str, ...]
    outlines: tuple[str, ...] | None = None  # None: every outline (public mode names some)

    def allows(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def reading_only(self) -> Grant:
        """The same view, with nothing but the right to read it: what may be read on behalf
        of anyone holding this grant, whatever their role."""
        return Grant(Role.VIEWER, self.view_roots, (), self.outlines)


@dataclass(frozen=True)
class Actor:
    """A person acting in the app or on the command line; `name` is what batches, notes and
    the audit log record, `address` where the request came from."""
    name: str
    grant: Grant
    address: str = ""

    @property
    def role(self) -> Role:
        return self.grant.role

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.grant.role]

    def allows(self, permission: Permission) -> bool:
        return self.grant.allows(permission)

    def require(self, permission: Permission) -> None:
        """Raise AccessDenied unless the role holds the permission."""
        if not self.allows(permission):
            raise AccessDenied(f"您的角色（{self.role_label}）无权{PERMISSION_LABELS[permission]}。")


def grant_for(role: Role | str, region_code: str, view_region_code: str | None = None) -> Grant:
    """The grant of a user record: captures under `region_code`, views under
    `view_region_code` (itself, when not given, a wider region the user may read)."""
    role = Role(role)
    view = view_region_code or region_code
    roots = (view,) if view == region_code else (view, region_code)
    return Grant(role, roots, (region_code,))


def local_administrator(address: str = "命令行") -> Actor:
    """The person at the server's terminal: the command line without --as."""
    return Actor(LOCAL_ADMIN_NAME, grant_for(Role.ADMIN, NATIONAL_CODE), address)


def system(address: str) -> Actor:
    """The product itself: building the store on first start, creating the first administrator."""
    return Actor(SYSTEM_NAME, grant_for(Role.ADMIN, NATIONAL_CODE), address)


def public_visitor(regions: tuple[str, ...], outlines: tuple[str, ...], address: str) -> Actor:
    """Anybody, in public mode: reads the monitoring pages of the named regions and outlines."""
    return Actor(PUBLIC_NAME, Grant(Role.VIEWER, regions, (), outlines), address)


class Scope:
    """An actor's grant against the region tree: which regions it may read and write."""

    def __init__(self, grant: Grant, tree: RegionTree):
        self.grant, self.tree = grant, tree

    def viewable(self, codes) -> np.ndarray:
        """Per code, whether it lies in the view scope (a boolean mask, also when empty)."""
        return self.inside(codes, self.grant.view_roots)

    def capturable(self, codes) -> np.ndarray:
        """Per code, whether it lies in the capture scope."""
        return self.inside(codes, self.grant.capture_roots)

    def inside(self, codes, roots) -> np.ndarray:
        codes = list(codes)
        if not codes or not roots:
            return np.zeros(len(codes), dtype=bool)
        return self.tree.under(codes, list(roots)).astype(bool)

    def require_view(self, codes) -> None:
        codes = list(dict.fromkeys(codes))
        outside = [c for c, ok in zip(codes, self.viewable(codes)) if not ok]
        if outside:
            raise AccessDenied(f"您的查看范围（{self.roots_text(self.grant.view_roots)}）"
                               f"不含{self.names_text(outside)}。")

    def require_capture(self, codes) -> None:
        codes = list(dict.fromkeys(codes))
        outside = [c for c, ok in zip(codes, self.capturable(codes)) if not ok]
        if outside:
            raise AccessDenied(f"您的填报范围（{self.roots_text(self.grant.capture_roots)}）"
                               f"不含{self.names_text(outside)}。")

    def capture_codes(self) -> set[str]:
        """Every region code the actor may write (ingest's `scope`)."""
        codes = self.tree.regions["code"]
        return set(codes[self.capturable(codes)])

    def name(self, code: str) -> str:
        return "/".join(self.tree.path_names(code)) or ("全国" if code == NATIONAL_CODE else code)

    def roots_text(self, roots) -> str:
        return "、".join(self.name(c) for c in roots) or "无"

    def names_text(self, codes: list[str]) -> str:
        shown = "、".join(self.name(c) for c in codes[:3])
        return shown + (f"等 {len(codes)} 个地区" if len(codes) > 3 else "")
