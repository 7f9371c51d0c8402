"""Command line: `python -m metrics init [--db PATH]`.

Exit codes: 0 success, 1 the data or the store refused the request, 2 wrong usage (argparse).
Messages are Chinese because the people running these commands are the office's staff.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from metrics import config, sync
from metrics.errors import MetricsError


def build_parser() -> argparse.ArgumentParser:
    """The `metrics` command and its subcommands."""
    parser = argparse.ArgumentParser(prog="python -m metrics",
                                     description="两纲监测：数据库与数据管理命令")
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="由 data/ 目录建立或更新数据库")
    add_db_option(init)
    init.set_defaults(run=run_init)
    return parser


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


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except MetricsError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
