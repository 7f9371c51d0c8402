"""Benchmark: server time of every page, per region level, next to a one-chart-one-table page
(issue 16). Run on demand; not a test.

Each page runs in Streamlit's AppTest (the script in this process, no browser), on the national
benchmark store of bench/national_scale.py (built in a temp dir unless --store names one):
- cold: Streamlit's caches emptied and the store's shared database closed, then one run of a
  new AppTest (what the first visitor after a start or an upload pays);
- warm: the same AppTest run again (a rerun, as a widget change or a revisit makes).
Wall time and the process's CPU time (every thread) per run; median and p95 of the warm runs,
median of the cold ones; the ratio to the floor page (bench/floor_page.py) in the same run;
the process's resident memory after each page's runs and its peak.

Usage: python bench/page_times.py [--store PATH] [--warm N] [--cold N] [--levels L,…]
                                  [--pages P,…] [--county CODE]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import page_server  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit.components.v2 import manifest_scanner  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from metrics import catalogue  # noqa: E402
from metrics.store import open_store  # noqa: E402
from pages.ui.state import TEST_COOKIE  # noqa: E402

LEVELS = ("county", "city", "province", "national")
PAGES = ("floor", "overview", "evaluation", "evaluation peers", "trends 1×1", "trends 5×5",
         "batches")
# Widget state a page starts with: 中期评估 with its 下级地区对比 tab open (the ranking, heat
# map or a county's rank: the regions one level down or the sisters evaluated).
PAGE_STATE = {"evaluation peers": {"evaluation_tab": "下级地区对比"}}
PLAN = "women-2021-2030"
GATES = ("请先登录", "无权访问")   # titles of a page that did not open
YEAR = "2024"

# Installed packages scanned for Streamlit components once, as a serving process does at its
# start: each new AppTest scans them all again (about a second, counted as the page's before).
FOUND_COMPONENTS = manifest_scanner.scan_component_manifests()
manifest_scanner.scan_component_manifests = lambda *args, **kwargs: list(FOUND_COMPONENTS)


@dataclass
class Timing:
    page: str
    level: str
    cold: list[float]
    warm: list[float]
    warm_cpu: list[float]
    rss_mb: float
    error: str = ""


def rss_mb() -> float:
    """Resident memory of this process now, MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def region_codes(store_path: Path, county: str | None = None) -> dict[str, str]:
    """A region per level: the county (by default the first real county under a city), its
    city, the city's parent (a province), 全国."""
    cat = catalogue.read_from_store(open_store(store_path))
    regions = cat.regions.set_index("code")
    parent_level = regions["parent_code"].map(regions["level"])
    county = county or regions.index[(regions["level"] == "county") & (parent_level == "city")
                                     & ~regions["is_demo"]][0]
    city = regions.loc[county, "parent_code"]
    return {"county": county, "city": city, "province": regions.loc[city, "parent_code"],
            "national": "000000"}


def trend_selection(store_path: Path, region: str, size: int) -> dict[str, str]:
    """The first `size` indicators of the outline in `region` and its next siblings."""
    from metrics import evaluation
    cat = catalogue.read_from_store(open_store(store_path))
    indicators = evaluation.outline_indicators(cat, PLAN)["indicator_code"].head(size)
    demo = cat.regions.set_index("code")["is_demo"]
    regions = cat.regions[cat.regions["is_demo"] == demo[region]]   # the demo's with the demo
    parent = regions.set_index("code").loc[region, "parent_code"]
    siblings = regions[regions["parent_code"] == parent]["code"] if parent else regions["code"]
    chosen = [region] + [c for c in siblings if c != region][: size - 1]
    return {"plan": PLAN, "ind": ",".join(indicators), "regions": ",".join(chosen)}


def page_request(page: str, region: str, store_path: Path) -> tuple[str, dict[str, str]]:
    """The script and URL parameters of a page at a region."""
    if page == "floor":
        return str(ROOT / "bench" / "floor_page.py"), {}
    if page == "batches":
        return str(ROOT / "pages" / "batches.py"), {}
    if page.startswith("trends"):
        size = int(page.split()[1].split("×")[0])
        return str(ROOT / "pages" / "trends.py"), trend_selection(store_path, region, size)
    query = {"plan": PLAN, "region": region}
    if page.startswith("evaluation"):
        query["year"] = YEAR
    return str(ROOT / "pages" / f"{page.split()[0]}.py"), query


def forget_everything() -> None:
    """What a fresh server has in memory: no cached data, no open database."""
    st.cache_data.clear()
    st.cache_resource.clear()
    try:  # the shared database of a store that keeps one (issue 16); older code has none
        from metrics.store.duckdb_backend.connection import close_idle_databases
    except ImportError:
        return
    close_idle_databases()


def new_app(script: str, query: dict[str, str], cookie: str,
            widgets: dict[str, str]) -> AppTest:
    """A run of the page signed in with `cookie` (the login gate's test seam, switched on in
    main: without it every page stops at 请先登录), its widgets starting as `widgets`."""
    at = AppTest.from_file(script, default_timeout=600)
    at.session_state[TEST_COOKIE] = cookie
    for key, value in widgets.items():
        at.session_state[key] = value
    for key, value in query.items():
        at.query_params[key] = value
    return at


def timed_run(at: AppTest) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the process, error text) of one run; a page that stopped
    at the login gate or refused the bench account is an error, not a time."""
    wall, cpu = time.perf_counter(), time.process_time()
    at.run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    errors = [str(e.message)[:200] for e in at.exception]
    errors += [f"页面停在：{t.value}" for t in at.title if t.value in GATES]
    return wall, cpu, "; ".join(errors)


def measure_page(page: str, level: str, region: str, store_path: Path, cold_runs: int,
                 warm_runs: int, cookie: str) -> Timing:
    script, query = page_request(page, region, store_path)
    cold, errors = [], []
    for _ in range(cold_runs):
        forget_everything()
        at = new_app(script, query, cookie, PAGE_STATE.get(page, {}))
        wall, _, error = timed_run(at)
        cold.append(wall)
        errors.append(error)
    warm, warm_cpu = [], []
    timed_run(at)   # the first rerun after a cold run may still fill caches
    for _ in range(warm_runs):
        wall, cpu, error = timed_run(at)
        warm.append(wall)
        warm_cpu.append(cpu)
        errors.append(error)
    return Timing(page, level, cold, warm, warm_cpu, rss_mb(),
                  next((e for e in errors if e), ""))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(timings: list[Timing]) -> str:
    floor = statistics.median(next(t for t in timings if t.page == "floor").warm)
    floor_cold = statistics.median(next(t for t in timings if t.page == "floor").cold)
    lines = ["| page | level | cold median ms | × floor cold | warm median ms | warm p95 ms "
             "| warm CPU median ms | × floor warm | RSS after MB | error |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for t in timings:
        cold, warm = statistics.median(t.cold), statistics.median(t.warm)
        lines.append(f"| {t.page} | {t.level} | {cold * 1000:,.0f} | {cold / floor_cold:.1f} "
                     f"| {warm * 1000:,.0f} | {p95(t.warm) * 1000:,.0f} "
                     f"| {statistics.median(t.warm_cpu) * 1000:,.0f} | {warm / floor:.1f} "
                     f"| {t.rss_mb:,.0f} | {t.error or '—'} |")
    return "\n".join(lines)


def build_store(directory: Path) -> Path:
    import national_scale
    path = directory / "national.duckdb"
    national_scale.build(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, metavar="PATH",
                        help="an existing store (default: build the national one in a temp dir)")
    parser.add_argument("--warm", type=int, default=10, help="warm runs per page and level")
    parser.add_argument("--cold", type=int, default=3, help="cold runs per page and level")
    parser.add_argument("--levels", default=",".join(LEVELS))
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--county", default=None, help="the county level's region code")
    args = parser.parse_args(argv)
    levels, pages = args.levels.split(","), args.pages.split(",")
    with tempfile.TemporaryDirectory() as scratch:
        store_path = args.store or build_store(Path(scratch))
        os.environ["METRICS_DB"] = str(store_path)
        os.environ["METRICS_TEST_IDENTITY"] = "1"
        cookie = page_server.bench_cookie(store_path)
        codes = region_codes(store_path, args.county)
        load = os.getloadavg()[0]
        timings = []
        for page in ["floor"] + [p for p in pages if p != "floor"]:
            for level in (["—"] if page in ("floor", "batches") else levels):
                timings.append(measure_page(page, level, codes.get(level, ""), store_path,
                                            args.cold, args.warm, cookie))
                print(f"{page} {level}: done", file=sys.stderr, flush=True)
        print(f"store {store_path}; regions {codes}; load {load:.2f} → {os.getloadavg()[0]:.2f}; "
              f"peak RSS {peak_mb():,.0f} MB")
        print(report(timings))
    return 1 if any(t.error for t in timings) else 0


if __name__ == "__main__":
    sys.exit(main())
