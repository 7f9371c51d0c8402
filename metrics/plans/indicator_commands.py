"""`python -m metrics plan indicator add|list|set`: the indicators a local plan defines itself.
Writes act as `--as NAME` (default: the local administrator), who must be an administrator
whose scope holds the plan's region; each is the plan's next version."""
from __future__ import annotations

from metrics import catalogue
from metrics.catalogue import LIST_SEPARATOR
from metrics.cli_access import acting_store, add_actor_option, store_of
from metrics.plans import local_indicators
from metrics.plans.local_indicators import LocalIndicatorRefused

DIRECTIONS = ["higher", "lower", "band"]


def add_commands(actions, add_db_option) -> None:
    """`plan indicator …` under the `plan` command's actions."""
    indicator = actions.add_parser("indicator", help="规划的本地指标：定义、列出、修改")
    steps = indicator.add_subparsers(dest="indicator_command", required=True)
    add = steps.add_parser("add", help="为规划定义一个本地指标（生成代码，如 L350100-1）")
    add.add_argument("plan_id")
    add.add_argument("--name", required=True, help="指标名称，如 「妇女之家」覆盖率")
    add.add_argument("--unit", required=True, help="单位（单位表中的一个），如 %% 或 人次")
    add.add_argument("--direction", required=True, choices=DIRECTIONS,
                     help="higher 越高越好，lower 越低越好，band 保持在目标附近")
    add.add_argument("--area", required=True, help="所属领域（名称或代码），如 妇女参与决策和管理")
    add_fields(add)
    add.set_defaults(run=run_add)
    listing = steps.add_parser("list", help="列出规划的本地指标及其目标")
    listing.add_argument("plan_id")
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.set_defaults(run=run_list)
    change = steps.add_parser("set", help="修改一个本地指标（只改给出的项；单位不能改）")
    change.add_argument("code", help="本地指标代码，如 L350100-1")
    change.add_argument("--name")
    change.add_argument("--direction", choices=DIRECTIONS)
    change.add_argument("--area")
    add_fields(change)
    change.set_defaults(run=run_set)
    for parser in (add, change):
        add_actor_option(parser)
    for parser in steps.choices.values():
        add_db_option(parser)


def add_fields(parser) -> None:
    parser.add_argument("--aliases", help="别名，用顿号分隔")
    parser.add_argument("--range", dest="valid_range", help="有效范围 下限:上限，如 0:100")
    parser.add_argument("--decimals", type=int)
    parser.add_argument("--definition", help="指标定义（计算方法）")
    parser.add_argument("--source", dest="data_source", help="数据来源")
    parser.add_argument("--lead", dest="lead_department", help="牵头单位")
    parser.add_argument("--supporting", dest="supporting_departments", help="配合单位，用顿号分隔")
    parser.add_argument("--note")
    parser.add_argument("--target", help="目标，如 ≥90%%、逐步提高")
    parser.add_argument("--target-year", type=int)


def fields_of(args) -> dict:
    """The definition fields the command gives (None: not given)."""
    low = high = None
    if args.valid_range:
        low, _, high = args.valid_range.replace("：", ":").partition(":")
        try:
            low, high = float(low), float(high)
        except ValueError:
            raise LocalIndicatorRefused(f"有效范围「{args.valid_range}」无法识别。",
                                        "请写成 下限:上限，如 0:100。",
                                        code="local-range-invalid") from None
    aliases = None if args.aliases is None else LIST_SEPARATOR.join(
        a for a in args.aliases.replace("，", "、").split("、") if a)
    return {"name": args.name, "aliases": aliases, "unit": getattr(args, "unit", None),
            "direction": args.direction, "area": args.area, "decimals": args.decimals,
            "valid_min": low, "valid_max": high, "definition": args.definition,
            "data_source": args.data_source, "lead_department": args.lead_department,
            "supporting_departments": args.supporting_departments, "note": args.note}


def run_add(args) -> int:
    store = store_of(args)
    cat = catalogue.read_from_store(store)
    guarded, actor = acting_store(store, cat, args.acting_user)
    code, saved = local_indicators.define(guarded, actor, cat, args.plan_id, fields_of(args),
                                          args.target, args.target_year)
    print(f"已定义本地指标 {code}「{args.name}」，规划已保存为第 {saved.version} 版（{saved.summary}）。")
    return 0


def run_set(args) -> int:
    store = store_of(args)
    cat = catalogue.read_from_store(store)
    guarded, actor = acting_store(store, cat, args.acting_user)
    given = {k: v for k, v in fields_of(args).items() if v is not None}
    saved = local_indicators.change(guarded, actor, cat, args.code, given, args.target,
                                    args.target_year)
    done = "无变化，未记录新版本" if saved.version is None else \
        f"规划已保存为第 {saved.version} 版（{saved.summary}）"
    print(f"本地指标 {args.code}：{done}。")
    return 0


def run_list(args) -> int:
    store = store_of(args)
    cat = catalogue.read_from_store(store)
    catalogue.find_plan(cat.plans, args.plan_id)
    frame = local_indicators.plan_local_indicators(store, cat, args.plan_id)
    columns = ["code", "name", "unit", "direction", "area_name", "kind", "value", "target_year",
               "text", "valid_min", "valid_max", "lead_unit"]
    if args.format == "json":
        print(frame[columns + ["aliases", "definition", "data_source", "supporting_units"]]
              .to_json(orient="records", force_ascii=False, indent=1))
    elif frame.empty:
        print("（该规划没有本地指标）")
    else:
        print(frame[columns].fillna("").to_string(index=False))
    return 0
