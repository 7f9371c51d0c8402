"""`python -m metrics plan …`: template, import (checked, then one audited version), list,
show and export of local plans. Writes act as `--as NAME` (default: the local administrator),
who must be an administrator whose scope holds the plan's region."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from metrics import catalogue, config, regions
from metrics.cli_access import acting_store, add_actor_option, store_of
from metrics.plans import annex, editing, indicator_commands, registry, workbook
from metrics.regions import RegionTree

FORMATS = ["text", "json"]


def add_commands(commands, add_db_option) -> None:
    """`plan template|import|list|show|export|indicator`."""
    plan = commands.add_parser("plan", help="地方规划：模板、导入指标表、列出、查看、导出")
    actions = plan.add_subparsers(dest="plan_command", required=True)
    template = actions.add_parser("template", help="生成规划指标表模板（.xlsx）")
    template.add_argument("--parent", required=True, help="上级规划，如 children-2021-2030")
    template.add_argument("--out", required=True, type=Path)
    template.set_defaults(run=run_template)
    read = actions.add_parser("import", help="导入规划指标表 .xlsx/.xls/.csv/.docx（全部导入或全部不导入）")
    read.add_argument("file", type=Path)
    read.add_argument("--region", required=True, help="规划所属地区（代码或名称）")
    read.add_argument("--name", required=True, help="规划名称，如 福州市儿童发展纲要（2021—2030年）")
    read.add_argument("--parent", required=True, help="上级规划：国家纲要或上级地区的规划")
    read.add_argument("--document", default=None, help="印发文号等")
    read.add_argument("--sheet", default=None)
    read.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    read.add_argument("--format", choices=FORMATS, default="text")
    add_actor_option(read)
    read.set_defaults(run=run_import)
    listing = actions.add_parser("list", help="列出全部纲要与规划")
    listing.add_argument("--format", choices=FORMATS, default="text")
    listing.set_defaults(run=run_list)
    show = actions.add_parser("show", help="查看一个规划：信息、本级目标、版本")
    show.add_argument("plan_id")
    show.add_argument("--format", choices=FORMATS, default="text")
    show.set_defaults(run=run_show)
    export = actions.add_parser("export", help="把规划的指标表导出为 .xlsx（可再导入）")
    export.add_argument("plan_id")
    export.add_argument("--out", required=True, type=Path)
    export.set_defaults(run=run_export)
    for parser in actions.choices.values():
        add_db_option(parser)
    indicator_commands.add_commands(actions, add_db_option)


def run_template(args) -> int:
    cat = catalogue.read_from_store(store_of(args))
    frame = workbook.template_frame(cat, args.parent)
    args.out.write_bytes(workbook.xlsx_bytes(frame, "规划指标"))
    print(f"已生成模板 {args.out}（{len(frame)} 个指标）。")
    return 0


def run_import(args) -> int:
    """Check the table; exit 1 with every problem, else save it (unless --dry-run)."""
    raw = args.file.read_bytes()
    store = store_of(args)
    cat = catalogue.read_from_store(store)
    guarded, actor = acting_store(store, cat, args.acting_user)
    region = regions.RegionResolver(cat.regions).resolve_one(args.region)["code"]
    plan = registry.draft_plan(cat, args.parent, region, args.name, args.document)
    if args.document is None:  # a plan imported again keeps the document number it has
        existing, _ = registry.current(store, cat, plan["id"])
        plan["document"] = existing["document"] if existing else None
    registry.require_may_edit(actor, RegionTree(cat.regions), region)
    table = editing.read_table(raw, args.file.name, cat, plan, config.settings().upload,
                               args.sheet)
    saved = None
    if not table.errors and not args.dry_run:
        saved = editing.save_table(guarded, actor, cat, plan, table, args.file.name)
    print_import(plan, table, saved, args.format == "json")
    return 1 if table.errors else 0


def print_import(plan: dict, table: annex.AnnexTable, saved, as_json: bool) -> None:
    targets = int(table.rows["kind"].notna().sum()) if len(table.rows) else 0
    if as_json:
        print(json.dumps({
            "plan_id": plan["id"], "version": saved.version if saved else None,
            "indicators": len(table.rows), "targets": targets,
            "errors": [p.as_dict() for p in table.problems if p.severity == "error"],
            "warnings": [p.as_dict() for p in table.problems if p.severity != "error"]},
            ensure_ascii=False, indent=1))
        return
    for p in table.problems:
        where = f"第{p.row}行" if p.row else "文件"
        mark = "错误" if p.severity == "error" else "提醒"
        print(f"{mark} {where}「{p.column}」[{p.code}] {p.message} 提示：{p.hint}")
    if table.errors:
        print(f"有 {len(table.errors)} 个错误，未导入。请改正后重新导入。")
    elif saved is None:
        print(f"检查通过：《{plan['name']}》指标 {len(table.rows)} 个，其中本级目标 {targets} 个"
              "（--dry-run，未写入）。")
    else:
        done = "无变化，未记录新版本" if saved.version is None else \
            f"已保存为第 {saved.version} 版（{saved.summary}）"
        print(f"《{plan['name']}》（{plan['id']}）{done}。")


def run_list(args) -> int:
    store = store_of(args)
    cat = catalogue.read_from_store(store)
    users = store.fetch_user_plans().set_index("id")["version"]
    counts = cat.targets["plan_id"].value_counts()
    plans = cat.plans.assign(targets=cat.plans["id"].map(counts).fillna(0).astype(int),
                             origin=["用户" if i in users.index else "内置" for i in cat.plans["id"]],
                             version=cat.plans["id"].map(users))
    columns = ["id", "name", "level", "region_code", "parent_plan", "targets", "origin", "version"]
    if args.format == "json":
        print(json.dumps(records(plans[columns]), ensure_ascii=False, indent=1))
    else:
        print(plans[columns].fillna("").to_string(index=False))
    return 0


def records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))


def run_show(args) -> int:
    store = store_of(args)
    cat = catalogue.read_from_store(store)
    plan, indicators = registry.current(store, cat, args.plan_id)
    if plan is None:
        catalogue.find_plan(cat.plans, args.plan_id)  # refused with the valid ids
    versions = store.fetch_plan_versions(args.plan_id).drop(columns=["before_state",
                                                                     "after_state"])
    if args.format == "json":
        print(json.dumps({"plan": registry.state(plan, indicators)["plan"],
                          "indicators": records(indicators.drop(columns=["plan_id"])),
                          "versions": records(versions)}, ensure_ascii=False, indent=1))
        return 0
    print(f"《{plan['name']}》{plan['id']}：{plan['region_code']}，上级 {plan['parent_plan']}，"
          f"{plan['start_year']}—{plan['target_year']}年；{plan['document'] or ''}")
    shown = indicators[["indicator_code", "kind", "value", "target_year", "text", "lead_unit",
                        "supporting_units", "milestone_year", "milestone_value",
                        "dropped_reason"]]
    print(shown.fillna("").to_string(index=False) if len(shown) else "（没有本级目标）")
    for row in versions.itertuples():
        print(f"第{row.version}版 {row.changed_at:%Y-%m-%d %H:%M} {row.changed_by}：{row.summary}")
    return 0


def run_export(args) -> int:
    store = store_of(args)
    cat = catalogue.read_from_store(store)
    plan, indicators = registry.current(store, cat, args.plan_id)
    if plan is None:
        catalogue.find_plan(cat.plans, args.plan_id)
    frame = workbook.export_frame(cat, args.plan_id, indicators)
    args.out.write_bytes(workbook.xlsx_bytes(frame, "规划指标"))
    print(f"已导出《{plan['name']}》{len(frame)} 个指标到 {args.out}。")
    return 0
