"""Command line: init, evaluate, briefing, import, batches, undo, backup, template (see README).

Exit codes: 0 success, 1 the data or the store refused the request, 2 wrong usage (argparse).
Messages are Chinese because the people running these commands are the office's staff.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import pandas as pd

from metrics import (
    accounts,
    audit,
    catalogue,
    cli_access,
    cli_narrative,
    cli_periods,
    config,
    evaluation,
    regions,
    sync,
)
from metrics.access import local_administrator
from metrics.cell_values import inert_frame
from metrics.cli_access import acting_store, add_actor_option, store_of
from metrics.errors import MetricsError
from metrics.evaluation import results
from metrics.plans import commands as plan_commands
from metrics.store import Store
from metrics.uploads import ingest, isolation, narrative_json, templates
from metrics.uploads import report as upload_report


def build_parser() -> argparse.ArgumentParser:
    """The `metrics` command and its subcommands."""
    parser = argparse.ArgumentParser(prog="python -m metrics",
                                     description="两纲监测：数据库与数据管理命令")
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="由 data/ 目录建立或更新数据库")
    add_db_option(init)
    init.set_defaults(run=run_init)

    evaluate = commands.add_parser("evaluate", help="评估一个地区在某年的全部指标")
    add_scope_options(evaluate)
    evaluate.add_argument("--method", choices=list(evaluation.METHODS), default=None,
                          help="评估方法（默认取 settings.yaml 中的 default_method）")
    evaluate.add_argument("--format", choices=["table", "csv", "json"], default="table")
    add_db_option(evaluate)
    evaluate.set_defaults(run=run_evaluate)

    brief = commands.add_parser("briefing", help="生成评估简报（Excel 与 Word）")
    add_scope_options(brief)
    brief.add_argument("--out", required=True, type=Path, help="输出目录")
    brief.add_argument("--department", default=None, help="只含该责任单位的指标，如 卫生健康委")
    brief.add_argument("--method", choices=list(evaluation.METHODS), default=None)
    add_db_option(brief)
    brief.set_defaults(run=run_briefing)

    upload = commands.add_parser("import", help="导入 CSV/Excel 数据文件或 extract --format json "
                                 "的提取结果（整批导入或全部不导入）")
    upload.add_argument("file", type=Path)
    upload.add_argument("--sheet", default=None, help="Excel 工作表名（默认第一个）")
    upload.add_argument("--region", default=None, help="表中没有地区列时，数据所属地区")
    upload.add_argument("--note", default="", help="批次备注")
    upload.add_argument("--dry-run", action="store_true", help="只检查并预览，不写入")
    upload.add_argument("--format", choices=["text", "json"], default="text")
    add_db_option(upload)
    add_actor_option(upload)
    upload.set_defaults(run=run_import)

    batches = commands.add_parser("batches", help="列出全部导入批次")
    add_db_option(batches)
    batches.set_defaults(run=run_batches)

    undo = commands.add_parser("undo", help="撤销一个导入批次，恢复导入前的数值")
    undo.add_argument("batch_id", type=int)
    add_db_option(undo)
    add_actor_option(undo)
    undo.set_defaults(run=run_undo)

    backup = commands.add_parser("backup", help="把数据库完整备份到目录（应用运行时也可以）")
    backup.add_argument("directory", type=Path, help="备份目录")
    add_db_option(backup)
    backup.set_defaults(run=run_backup)

    template = commands.add_parser("template", help="生成填报模板（.xlsx 或 .csv）")
    template.add_argument("--plan", required=True)
    template.add_argument("--region", default=None, help="预填的地区（代码或名称）")
    template.add_argument("--years", default=None, help="年份：2020-2024、2020 或 2015,2018（默认基线年至今年前一年）")
    template.add_argument("--out", required=True, type=Path, help="输出文件，扩展名决定格式")
    add_db_option(template)
    template.set_defaults(run=run_template)
    cli_access.add_commands(commands, add_db_option)
    cli_periods.add_commands(commands, add_db_option)
    cli_narrative.add_commands(commands, add_db_option)
    plan_commands.add_commands(commands, add_db_option)
    return parser


def add_scope_options(parser: argparse.ArgumentParser) -> None:
    """--plan, --region, --year: what to evaluate."""
    parser.add_argument("--plan", required=True, help="纲要 id，如 women-2021-2030")
    parser.add_argument("--region", required=True, help="地区代码或名称，如 450800 或 贵港市")
    parser.add_argument("--year", required=True, type=int, help="评估年份，如 2024")


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """--db PATH or URL, defaulting to METRICS_STORE, METRICS_DB or data/metrics.duckdb."""
    parser.add_argument("--db", default=None,
                        help="数据库文件路径或地址，如 duckdb:///srv/metrics.duckdb（默认取环境变量 "
                             "METRICS_STORE 或 METRICS_DB，否则 data/metrics.duckdb）")


def run_init(args: argparse.Namespace) -> int:
    """Build or update the database and print what changed."""
    store = store_of(args)
    started = time.perf_counter()
    report = sync.init(store)
    for line in report.lines():
        print(line)
    if report.changed:
        audit.record(store, local_administrator(cli_access.CLI_ADDRESS), "catalogue_synced",
                     store.url, detail="；".join(report.lines()))
    password = accounts.ensure_first_administrator(store)
    if password:
        print(f"已创建管理员 {accounts.FIRST_ADMINISTRATOR}，初始密码：{password}"
              "（只显示这一次；忘记时运行 python -m metrics user reset-password admin）")
    print(f"数据库：{store.url}（用时 {time.perf_counter() - started:.2f} 秒）")
    return 0


def resolve_scope(store: Store, args: argparse.Namespace):
    """The catalogue, the outline id and the region row named on the command line."""
    cat = catalogue.read_from_store(store)
    plan = catalogue.find_plan(cat.plans, args.plan)
    outline = plan["parent_plan"] if pd.notna(plan["parent_plan"]) else args.plan
    return cat, outline, regions.RegionResolver(cat.regions).resolve_one(args.region)


def run_evaluate(args: argparse.Namespace) -> int:
    """Print one row per indicator: inputs, flag and explanation."""
    with store_of(args).session() as store:
        cat, outline, region = resolve_scope(store, args)
        frame = evaluation.run(store, cat, outline, [region["code"]], args.year, args.method,
                               settings=config.settings().evaluation)
    table = results.result_table(frame, config.settings().evaluation)
    if args.format == "csv":
        sys.stdout.write(inert_frame(table).to_csv(index=False))
    elif args.format == "json":
        records = table.astype(object).where(table.notna(), None).to_dict(orient="records")
        print(json.dumps(records, ensure_ascii=False, indent=1))
    else:
        print(f"{region['name']} · {args.plan} · {args.year}年 · "
              f"{evaluation.METHODS[frame['method'].iloc[0]]}")
        print(results.text_table(table))
    return 0


def run_briefing(args: argparse.Namespace) -> int:
    """Write the workbook and the document for one region and print their paths."""
    # Imported here: python-docx, Plotly and kaleido took 0.55 s of every other command's start.
    from metrics.reports import briefing
    with store_of(args).session() as store:
        cat, outline, region = resolve_scope(store, args)
        result = briefing.build(store, cat, outline, region["code"], args.year, args.department,
                                args.method, settings=config.settings().evaluation)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"{region['name']}_{outline}_{args.year}_评估简报"
    for suffix, content in ((".xlsx", briefing.workbook_bytes(result)),
                            (".docx", briefing.document_bytes(result))):
        path = args.out / f"{stem}{suffix}"
        path.write_bytes(content)
        print(path)
    if result.chart_error:
        print(f"注意：{result.chart_error}", file=sys.stderr)
    audit.record(store_of(args), local_administrator(cli_access.CLI_ADDRESS), "briefing_exported",
                 stem, detail=str(args.out))
    return 0


def import_summary(upload: ingest.Upload, batch_id, counts: dict, warnings: list) -> dict:
    """The JSON object `import --format json` prints."""
    return {"batch_id": batch_id, **counts, "skipped_missing": upload.skipped_missing,
            "total_rows": list(upload.total_rows), "notes_from_row": upload.notes_from,
            "left_out": upload_report.left_out_rows(upload),
            "warnings": [w.as_dict() for w in warnings],
            "errors": [e.as_dict() for e in upload.errors]}


def print_import(summary: dict, as_json: bool) -> None:
    """Report an import as JSON or as Chinese lines."""
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return
    for problem in summary["errors"] + summary["warnings"]:
        where = f"第{problem['row']}行" if problem["row"] else "文件"
        label = "错误" if problem["severity"] == "error" else "提示"
        print(f"{label} {where}【{problem['column']}】{problem['message']} {problem['hint']}")
    if summary["errors"]:
        print(f"共 {len(summary['errors'])} 个错误，未导入任何数据。")
        return
    print(f"新增 {summary['new']}，修改 {summary['changed']}，未变 {summary['unchanged']}，"
          f"空值跳过 {summary['skipped_missing']}。")
    if summary["left_out"]:
        print(summary["left_out"])
    if summary.get("nothing_to_import"):
        print(str(ingest.NothingToImport()))
    else:
        print(f"已导入，批次 {summary['batch_id']}。" if summary["batch_id"] else "预检通过（未写入）。")


def run_import(args: argparse.Namespace) -> int:
    """Check, preview and (unless --dry-run) commit a file; exit 1 when it has errors."""
    raw, name = ingest.file_record(args.file)
    # The file is checked outside any session: the app shares the database file and must not
    # wait while a large file is read. Only the catalogue read and the preview hold it.
    cat = catalogue.read_from_store(store_of(args))
    store, actor = acting_store(store_of(args), cat, args.acting_user)
    region = (regions.RegionResolver(cat.regions).resolve_one(args.region)["code"]
              if args.region else None)
    if args.file.suffix.lower() == ".json":  # the candidates `extract --format json` printed
        upload = narrative_json.document_upload(
            raw, name, cat, scope=store.scope.capture_codes(), limits=config.settings().upload,
            locks=store.fetch_locks(), default_region=region)
    else:  # read by a reader process, as the app does: within the time and memory limits
        upload = isolation.read_upload(raw, name, cat, args.sheet, default_region=region,
                                       scope=store.scope.capture_codes(),
                                       limits=config.settings().upload,
                                       locks=store.fetch_locks())
    if not upload.valid or args.dry_run:  # a commit is audited as such
        ingest.record_check(store, actor, upload)
    preview = None
    if upload.valid:
        with store.session() as reading:
            preview = ingest.preview(reading, upload, cat, settings=config.settings().upload)
    counts = preview.counts if preview else {"new": 0, "changed": 0, "unchanged": 0}
    batch_id, nothing_to_import = None, False
    if upload.valid and not args.dry_run:
        try:
            batch_id = ingest.commit(store, upload, actor, args.note)
        except ingest.AlreadyImported as exc:
            # Importing the same file again is a no-op, not a failure.
            print(json.dumps({"batch_id": exc.batch_id, "already_imported": True},
                             ensure_ascii=False) if args.format == "json" else str(exc))
            return 0
        except ingest.NothingToImport:
            nothing_to_import = True   # a file that changes nothing is not a failure either
    summary = import_summary(upload, batch_id, counts, preview.warnings if preview else [])
    print_import(summary | {"nothing_to_import": nothing_to_import}, args.format == "json")
    return 0 if upload.valid else 1


def run_batches(args: argparse.Namespace) -> int:
    """List batches, newest first."""
    table = store_of(args).fetch_batches()
    columns = ["id", "kind", "user_name", "created_at", "file_name", "n_new", "n_changed",
               "n_unchanged", "undoes", "undone_by", "note"]
    print(table[columns].to_string(index=False))
    return 0


def run_undo(args: argparse.Namespace) -> int:
    """Undo one batch."""
    store = store_of(args)
    guarded, actor = acting_store(store, catalogue.read_from_store(store), args.acting_user)
    undo_id = ingest.undo(guarded, args.batch_id, actor)
    print(f"已撤销批次 {args.batch_id}（撤销记录为批次 {undo_id}）。")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    """Write a consistent copy of the store and print where it is."""
    print(f"已备份到 {store_of(args).backup(args.directory)}")
    return 0


def run_template(args: argparse.Namespace) -> int:
    """Write an upload template for an outline."""
    cat = catalogue.read_from_store(store_of(args))
    region = (regions.RegionResolver(cat.regions).resolve_one(args.region)["code"]
              if args.region else None)
    plan = catalogue.find_plan(cat.plans, args.plan)
    this_year = dt.date.today().year
    years = (templates.template_years(args.years, this_year) if args.years is not None
             else list(range(int(plan["baseline_year"]), this_year)))
    frame = templates.template_frame(cat, args.plan, years, region)
    content = (templates.csv_bytes(frame) if args.out.suffix.lower() == ".csv"
               else templates.xlsx_bytes(frame))
    args.out.write_bytes(content)
    print(args.out)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except MetricsError as exc:
        print_refusal(exc)
        return 1


def print_refusal(exc: MetricsError) -> None:
    """The error's message on stderr, and beneath it what to do about it where it says."""
    print(f"错误：{exc}", file=sys.stderr)
    if exc.hint:
        print(f"提示：{exc.hint}", file=sys.stderr)
