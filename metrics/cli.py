"""Command line: `python -m metrics init [--db PATH]`.

Exit codes: 0 success, 1 the data or the store refused the request, 2 wrong usage (argparse).
Messages are Chinese because the people running these commands are the office's staff.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

from metrics import briefing, catalogue, config, evaluation, regions, results, store, sync
from metrics.errors import MetricsError, NotFoundError


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
    return parser


def add_scope_options(parser: argparse.ArgumentParser) -> None:
    """--plan, --region, --year: what to evaluate."""
    parser.add_argument("--plan", required=True, help="纲要 id，如 women-2021-2030")
    parser.add_argument("--region", required=True, help="地区代码或名称，如 450800 或 贵港市")
    parser.add_argument("--year", required=True, type=int, help="评估年份，如 2024")


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """--db PATH, defaulting to METRICS_DB or data/metrics.duckdb."""
    parser.add_argument("--db", type=Path, default=None,
                        help="数据库文件（默认取环境变量 METRICS_DB，否则 data/metrics.duckdb）")


def run_init(args: argparse.Namespace) -> int:
    """Build or update the database and print what changed."""
    path = args.db or config.db_path()
    started = time.perf_counter()
    report = sync.init(path)
    for line in report.lines():
        print(line)
    print(f"数据库：{path}（用时 {time.perf_counter() - started:.2f} 秒）")
    return 0


def resolve_scope(con, args: argparse.Namespace):
    """The catalogue, the outline id and the region row named on the command line."""
    cat = catalogue.read_from_store(con)
    if args.plan not in set(cat.plans["id"]):
        raise NotFoundError(f"找不到纲要「{args.plan}」，可选：{'、'.join(cat.plans['id'])}")
    plan = cat.plans.set_index("id").loc[args.plan]
    outline = plan["parent_plan"] if pd.notna(plan["parent_plan"]) else args.plan
    return cat, outline, regions.resolve(cat.regions, args.region)


def run_evaluate(args: argparse.Namespace) -> int:
    """Print one row per indicator: inputs, flag and explanation."""
    with store.session(args.db or config.db_path()) as con:
        cat, outline, region = resolve_scope(con, args)
        frame = evaluation.run(con, cat, outline, [region["code"]], args.year, args.method)
    table = results.result_table(frame)
    if args.format == "csv":
        sys.stdout.write(table.to_csv(index=False))
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
    with store.session(args.db or config.db_path()) as con:
        cat, outline, region = resolve_scope(con, args)
        result = briefing.build(con, cat, outline, region["code"], args.year, args.department,
                                args.method)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"{region['name']}_{outline}_{args.year}_评估简报"
    for suffix, content in ((".xlsx", briefing.workbook_bytes(result)),
                            (".docx", briefing.document_bytes(result))):
        path = args.out / f"{stem}{suffix}"
        path.write_bytes(content)
        print(path)
    if result.chart_error:
        print(f"注意：{result.chart_error}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except MetricsError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
