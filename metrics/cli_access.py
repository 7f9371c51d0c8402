"""The command line's people: who a command acts as (`--as NAME`), and the `user` and `audit`
commands.

A command that writes acts as the user named by `--as`, with that user's role and region
scope; without it, as the local administrator (本地管理员: whoever can run commands on the
server can read the database file anyway), and the audit log says so.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from metrics import accounts, audit, catalogue, config, regions
from metrics.access import ROLE_LABELS, AccessDenied, Actor, local_administrator
from metrics.cell_values import inert_frame
from metrics.errors import MetricsError
from metrics.regions import RegionTree
from metrics.store import Store, open_store
from metrics.store.guarded import GuardedStore, guard

CLI_ADDRESS = "命令行"


def add_actor_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="acting_user", default=None, metavar="NAME",
                        help="以该用户的角色与地区范围执行（默认：本地管理员）")


def acting_actor(store: Store, name: str | None) -> Actor:
    """The user `--as` names (refused when disabled), else the local administrator."""
    if name is None:
        return local_administrator(CLI_ADDRESS)
    account = accounts.find(store, name)
    if account.disabled:
        raise AccessDenied(f"用户「{name}」已停用。")
    return account.actor(CLI_ADDRESS)


def acting_store(store: Store, cat: catalogue.Catalogue,
                 name: str | None) -> tuple[GuardedStore, Actor]:
    """The store as the acting user may use it, and that user."""
    actor = acting_actor(store, name)
    tree = RegionTree(cat.regions)
    return guard(store, actor, tree, catalogue.monitored_indicators(cat)), actor


def add_commands(commands, add_db_option) -> None:
    """`user …` and `audit`."""
    user = commands.add_parser("user", help="管理用户（添加、列出、停用、重置密码、修改角色与地区）")
    actions = user.add_subparsers(dest="user_command", required=True)
    add = actions.add_parser("add", help="添加用户；不给密码时生成随机密码并显示一次")
    add.add_argument("name")
    add.add_argument("--role", required=True,
                     help="角色：" + "、".join(f"{r.value}（{label}）" for r, label in ROLE_LABELS.items()))
    add.add_argument("--region", required=True, help="填报范围：地区代码或名称，如 450800 或 贵港市")
    add.add_argument("--view-region", default=None, help="查看范围（默认同填报范围），如上级地区")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    add.set_defaults(run=run_user_add)
    change = actions.add_parser("set", help="修改用户的角色或地区范围")
    change.add_argument("name")
    change.add_argument("--role", default=None)
    change.add_argument("--region", default=None)
    change.add_argument("--view-region", default=None)
    change.set_defaults(run=run_user_set)
    listing = actions.add_parser("list", help="列出用户")
    listing.add_argument("--format", choices=["table", "json"], default="table")
    listing.set_defaults(run=run_user_list)
    for name, disabled, help_text in (("disable", True, "停用用户（立即结束其会话）"),
                                      ("enable", False, "重新启用用户")):
        switch = actions.add_parser(name, help=help_text)
        switch.add_argument("name")
        switch.set_defaults(run=run_user_switch, disabled=disabled)
    reset = actions.add_parser("reset-password", help="生成新密码并显示一次（旧会话全部结束）")
    reset.add_argument("name")
    reset.set_defaults(run=run_reset_password)
    for parser in actions.choices.values():
        add_db_option(parser)
        add_actor_option(parser)

    log = commands.add_parser("audit", help="查看审计日志")
    log.add_argument("--since", default=None, help="起始日期，如 2026-11-01")
    log.add_argument("--until", default=None, help="截止日期（不含），如 2026-12-01")
    log.add_argument("--user", default=None, help="只看该用户")
    log.add_argument("--action", default=None, choices=sorted(audit.ACTION_LABELS))
    log.add_argument("--limit", type=int, default=None)
    log.add_argument("--format", choices=["table", "json", "csv"], default="table")
    add_db_option(log)
    add_actor_option(log)
    log.set_defaults(run=run_audit)


def store_of(args: argparse.Namespace) -> Store:
    """The store named by --db, else by the environment."""
    return open_store(args.db or config.store_url())


def people_context(args) -> tuple[GuardedStore, Actor, RegionTree, regions.RegionResolver]:
    store = store_of(args)
    cat = catalogue.read_from_store(store)
    guarded, actor = acting_store(store, cat, args.acting_user)
    return guarded, actor, RegionTree(cat.regions), regions.RegionResolver(cat.regions)


def region_code(resolver: regions.RegionResolver, text: str | None) -> str | None:
    return resolver.resolve_one(text)["code"] if text else None


def run_user_add(args) -> int:
    store, actor, tree, resolver = people_context(args)
    given = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    password = accounts.add_user(store, actor, tree, args.name, accounts.parse_role(args.role),
                                 region_code(resolver, args.region),
                                 region_code(resolver, args.view_region), given)
    print(f"已添加用户 {args.name}（{ROLE_LABELS[accounts.parse_role(args.role)]}）。")
    if given is None:
        print(f"初始密码：{password}（只显示这一次，请转交本人并提醒其修改）")
    return 0


def run_user_set(args) -> int:
    store, actor, tree, resolver = people_context(args)
    account = accounts.change(store, actor, tree, args.name,
                              role=accounts.parse_role(args.role) if args.role else None,
                              region_code=region_code(resolver, args.region),
                              view_region_code=region_code(resolver, args.view_region))
    print(f"已修改用户 {account.name}：{ROLE_LABELS[account.role]}，"
          f"填报范围 {resolver.label(account.region_code)}，查看范围 "
          f"{resolver.label(account.view_region_code or account.region_code)}。")
    return 0


def run_user_list(args) -> int:
    store, _, _, resolver = people_context(args)
    users = store.fetch_users().drop(columns=["password_hash"])
    if args.format == "json":
        records = users.astype(object).where(users.notna(), None).to_dict(orient="records")
        print(json.dumps(records, ensure_ascii=False, indent=1, default=str))
        return 0
    for user in users.to_dict("records"):
        state = "（已停用）" if user["disabled"] else ""
        view = user["view_region_code"] or user["region_code"]
        print(f"{user['name']}\t{ROLE_LABELS[accounts.parse_role(user['role'])]}\t"
              f"填报 {resolver.label(user['region_code'])}\t查看 {resolver.label(view)}{state}")
    return 0


def run_user_switch(args) -> int:
    store, actor, tree, _ = people_context(args)
    accounts.set_disabled(store, actor, tree, args.name, args.disabled)
    print(f"已{'停用' if args.disabled else '启用'}用户 {args.name}。")
    return 0


def run_reset_password(args) -> int:
    store, actor, tree, _ = people_context(args)
    password = accounts.reset_password(store, actor, tree, args.name)
    print(f"用户 {args.name} 的新密码：{password}（只显示这一次；其已登录的会话全部结束）")
    return 0


def parse_day(text: str | None, option: str) -> dt.datetime | None:
    if text is None:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise MetricsError(f"{option} 的日期「{text}」无法识别，应如 2026-11-01。") from None


def run_audit(args) -> int:
    raw = store_of(args)
    cat = catalogue.read_from_store(raw)
    store, _ = acting_store(raw, cat, args.acting_user)
    entries = store.fetch_audit(parse_day(args.since, "--since"), parse_day(args.until, "--until"),
                                args.user, args.action, args.limit)
    table = audit.entries_table(entries, dict(zip(cat.plans["id"], cat.plans["short_name"])))
    if args.format == "csv":
        sys.stdout.write(inert_frame(table).to_csv(index=False))
    elif args.format == "json":
        records = entries.astype(object).where(entries.notna(), None).to_dict(orient="records")
        print(json.dumps(records, ensure_ascii=False, indent=1, default=str))
    else:
        print(table.to_string(index=False) if len(table) else "（没有符合条件的记录）")
    return 0
