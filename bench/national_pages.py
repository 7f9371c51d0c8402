"""Benchmark: every page at national scale, in one command (issue 16). Run on demand; not a test.

Builds the national benchmark store (bench/national_scale.py) in a temp dir, or reuses --store,
then measures per page (总览, 中期评估, 趋势 1×1 and 5×5, 导入记录) and level (a county, its
city, its province, 全国):
  apptest  server time in AppTest, cold and warm, next to the floor page (bench/page_times.py);
  content  browser time to content, cold and warm (bench/browser_pages.py);
  memory   the serving process's resident memory over the province's and 全国's pages and ten
           visits of each page for 全国;
  viewers  N = 1, 10, 30 simultaneous viewers of 中期评估 and 总览 for 全国 (browser contexts);
  sockets  N = 1, 10, 30 simultaneous viewers of every page for 全国 as websocket clients
           replaying a browser's messages (bench/socket_viewers.py): the server's share.
Everything is served and browsed on 127.0.0.1 only; every wait is bounded.

Usage: python bench/national_pages.py [--store PATH] [--parts apptest,content,memory,viewers,sockets]
         [--levels county,city,province,national] [--warm N] [--visits N] [--viewers 1,10,30]
         [--apptest-warm N] [--apptest-cold N] [--county CODE] [--server-log PATH]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import browser_pages  # noqa: E402
import page_server  # noqa: E402
import page_times  # noqa: E402
import socket_viewers  # noqa: E402

PARTS = ("apptest", "content", "memory", "viewers", "sockets")
BROWSER_PAGES = ("overview", "evaluation", "trends 1×1", "trends 5×5", "batches")


def requests(store: Path, levels: list[str],
             county: str | None) -> dict[str, dict[str, dict[str, str]]]:
    """The URL parameters of every page at every level (as page_times asks for them); the
    memory sequence needs the province and 全国 whichever levels are timed."""
    codes = page_times.region_codes(store, county)
    wanted = list(dict.fromkeys(levels + ["province", "national"]))
    return {level: {page: page_times.page_request(page, codes[level], store)[1]
                    for page in BROWSER_PAGES} for level in wanted}


async def run_browser_parts(store: Path, log: Path, requests: dict, levels: list[str],
                            warm: int, visits: int, counts: list[int],
                            parts: tuple[str, ...]) -> dict[str, browser_pages.Part]:
    from playwright.async_api import async_playwright
    results = await browser_pages.run_all(store, log, requests, levels, warm, visits, counts,
                                          tuple(p for p in parts if p != "sockets"))
    if "sockets" in parts:
        results["sockets"] = browser_pages.Part()
        async with async_playwright() as playwright:
            await socket_viewers.socket_viewers(playwright, store, log, requests, counts,
                                                results["sockets"])
    return results


def machine() -> str:
    cores = os.cpu_count()
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return (f"{cores} cores, {memory} GB, Python {platform.python_version()}; "
            + subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, metavar="PATH",
                        help="an existing store (default: build the national one in a temp dir)")
    parser.add_argument("--parts", default=",".join(PARTS))
    parser.add_argument("--levels", default=",".join(page_times.LEVELS))
    parser.add_argument("--county", default=None,
                        help="the county level's region code (default: the first real county)")
    parser.add_argument("--warm", type=int, default=3, help="browser revisits per page")
    parser.add_argument("--visits", type=int, default=10, help="memory: visits of each page")
    parser.add_argument("--viewers", default="1,10,30")
    parser.add_argument("--apptest-warm", type=int, default=5)
    parser.add_argument("--apptest-cold", type=int, default=2)
    parser.add_argument("--server-log", type=Path, default=None,
                        help="the serving processes' output (default: in the temp dir)")
    args = parser.parse_args(argv)
    # Stopped by a signal, the servers started are stopped too (their `finally`).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    # Kaleido's logger (imported by the pages) parses sys.argv, and --log… would be its option.
    sys.argv = sys.argv[:1]
    parts, levels = tuple(args.parts.split(",")), args.levels.split(",")
    with tempfile.TemporaryDirectory() as scratch:
        store = args.store or page_times.build_store(Path(scratch))
        log = args.server_log or Path(scratch) / "streamlit.log"
        print(f"machine: {machine()}\nstore: {store}", flush=True)
        status = 0
        if "apptest" in parts:
            status = page_times.main(["--store", str(store), "--warm", str(args.apptest_warm),
                                      "--cold", str(args.apptest_cold), "--levels", args.levels]
                                     + (["--county", args.county] if args.county else []))
        browser = tuple(p for p in parts if p != "apptest")
        if browser:
            page_server.bench_account(store)
            results = asyncio.run(run_browser_parts(
                store, log, requests(store, levels, args.county), levels, args.warm, args.visits,
                [int(n) for n in args.viewers.split(",")], browser))
            for name, part in results.items():
                print(f"\n## {name} ({part.errors} errors)\n" + "\n".join(part.lines))
                status |= part.errors > 0
        print(f"\nend: {machine()}")
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
