"""The reporting cycle on the command line: `period show|list` and the steps
`period submit|approve|return|lock|unlock`, each acting as the user `--as` names (without it,
as the local administrator, and the audit says so); `rollup`, a region's rates computed from
the counts of the regions below against its own values, and with `--accept` the computed
values the region did not report taken in as a batch by the --as user.
"""
from __future__ import annotations

import argparse
import json

import pandas as pd

from metrics import (
    catalogue,
    config,
    regions,
    reporting,
    reporting_progress,
    rollup,
    rollup_accept,
)
from metrics.cli_access import acting_store, add_actor_option, store_of
from metrics.reporting import STEPS, Period

STEP_HELP = {"submit": "报送本地区本年数据（有缺报指标时须用 --note 说明）",
             "approve": "审核通过下级地区的报送", "return": "退回报送（须用 --note 写明理由）",
             "lock": "锁定已审核的数据（此后导入、撤销均不能改动）",
             "unlock": "解锁（管理员，须用 --note 写明理由）"}


def add_commands(commands, add_db_option) -> None:
    """`period …`."""
    period = commands.add_parser("period", help="报送周期：查看、报送、审核、退回、锁定、解锁")
    actions = period.add_subparsers(dest="period_command", required=True)
    show = actions.add_parser("show", help="查看一个报送期的状态、缺报指标与记录")
    add_period_options(show)
    show.add_argument("--format", choices=["text", "json"], default="text")
    show.set_defaults(run=run_show)
    for action, help_text in STEP_HELP.items():
        step = actions.add_parser(action, help=help_text)
        add_period_options(step)
        step.add_argument("--note", default="", help="说明或理由")
        step.set_defaults(run=run_step, action=action)
    listing = actions.add_parser("list", help="列出一个地区及其下一级地区的报送状态")
    listing.add_argument("--plan", required=True)
    listing.add_argument("--year", required=True, type=int)
    listing.add_argument("--under", default=None, help="上级地区（默认为本人查看范围的最上级）")
    listing.add_argument("--all-levels", action="store_true",
                         help="列出其下各级所有报送地区（默认只列下一级）")
    listing.add_argument("--format", choices=["table", "json"], default="table")
    listing.set_defaults(run=run_list)
    for parser in actions.choices.values():
        add_db_option(parser)
        add_actor_option(parser)
    summed = commands.add_parser("rollup", help="由下级计数汇总比率指标，与本级填报值核对")
    add_period_options(summed)
    summed.add_argument("--format", choices=["table", "json"], default="table")
    summed.add_argument("--accept", nargs="*", metavar="CODE", default=None,
                        help="采用汇总值（本级未填报的比率；不写指标代码则采用全部可采用项）")
    add_db_option(summed)
    add_actor_option(summed)
    summed.set_defaults(run=run_rollup)


def add_period_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", required=True, help="纲要 id，如 women-2021-2030")
    parser.add_argument("--region", required=True, help="地区代码或名称")
    parser.add_argument("--year", required=True, type=int, help="数据年份")


def context(args):
    """The acting store and user, the catalogue, and the outline id --plan names (a local
    plan's periods are its national outline's)."""
    store = store_of(args)
    cat = catalogue.read_from_store(store)
    guarded, actor = acting_store(store, cat, args.acting_user)
    plan = catalogue.find_plan(cat.plans, args.plan)
    outline = plan["parent_plan"] if pd.notna(plan["parent_plan"]) else args.plan
    return guarded, actor, cat, outline


def region_of(cat, text: str) -> str:
    return regions.RegionResolver(cat.regions).resolve_one(text)["code"]


def as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, default=str)


def run_show(args) -> int:
    store, _, cat, outline = context(args)
    period = Period(outline, region_of(cat, args.region), args.year)
    summary = reporting_progress.period_summary(store, cat, period)
    missing = reporting.missing_indicators(store, cat, period)
    history = store.fetch_period_history(outline, period.region_code, period.year)
    if args.format == "json":
        events = history.astype(object).where(history.notna(), None).to_dict("records")
        print(as_json(summary | {"missing": missing.to_dict("records"), "history": events}))
        return 0
    label = regions.RegionResolver(cat.regions).label(period.region_code)
    print(f"{label} · {outline} · {period.year}年：{summary['state_label']}，"
          f"已填 {summary['supplied']}/{summary['expected']} 项")
    for state in ("submitted", "approved", "locked"):
        if summary[f"{state}_by"]:
            print(f"  {reporting.STATE_LABELS[state]}：{summary[f'{state}_by']} "
                  f"{pd.Timestamp(summary[f'{state}_at']):%Y-%m-%d %H:%M}")
    if len(missing):
        print("缺报指标：" + "、".join(missing["name"]))
    if len(history):
        print(reporting.history_table(cat, history).to_string(index=False))
    return 0


def run_step(args) -> int:
    store, actor, cat, outline = context(args)
    period = Period(outline, region_of(cat, args.region), args.year)
    reporting.take_step(store, actor, cat, config.settings().reporting, args.action, period,
                        args.note)
    target = reporting.STATE_LABELS[STEPS[args.action].target]
    print(f"已{STEPS[args.action].label}：{regions.RegionResolver(cat.regions).label(period.region_code)}"
          f" {period.year}年（{outline}），现为“{target}”。")
    return 0


def run_list(args) -> int:
    store, actor, cat, outline = context(args)
    under = region_of(cat, args.under) if args.under else actor.grant.view_roots[0]
    frame = reporting_progress.progress(store, cat, config.settings().reporting, actor,
                                        outline, args.year, under,
                                        show_demo=config.show_demo_data(),
                                        every_level=args.all_levels)
    if args.format == "json":
        records = frame.assign(actions=frame["actions"].map(list))
        print(as_json(records.astype(object).where(records.notna(), None).to_dict("records")))
        return 0
    table = reporting_progress.progress_table(frame)
    print(table.to_string(index=False) if len(table) else "（没有下级地区）")
    return 0


def run_rollup(args) -> int:
    if args.accept is not None:
        return run_accept(args)
    store, _, cat, outline = context(args)
    frame = rollup.rollup(store, cat, config.settings().reporting, outline,
                          region_of(cat, args.region), args.year)
    if args.format == "json":
        print(as_json(frame.astype(object).where(frame.notna(), None).to_dict("records")))
        return 0
    table = rollup.rollup_table(frame)
    print(table.to_string(index=False) if len(table) else "（下级地区没有可汇总的计数）")
    return 0


def run_accept(args) -> int:
    """Take the computed values in as one batch by the --as user (exit 1 when refused)."""
    store, actor, cat, outline = context(args)
    period = Period(outline, region_of(cat, args.region), args.year)
    batch, codes = rollup_accept.accept(store, actor, cat, config.settings().reporting, period,
                                        args.accept, scope=store.scope.capture_codes(),
                                        limits=config.settings().upload)
    if args.format == "json":
        print(as_json({"batch_id": batch, "accepted": codes}))
        return 0
    names = cat.indicators.set_index("code")["name"]
    print(f"已采用 {len(codes)} 项由下级汇总的数值（批次 {batch}）：{'、'.join(names[codes])}。"
          f"可用 python -m metrics undo {batch} 撤销。")
    return 0
