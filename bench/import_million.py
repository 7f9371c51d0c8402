"""Benchmark: importing uploads (issue: uploads). Run on demand; not a test.

Generates, deterministically, a clean long-layout CSV of 1,000,000 rows (UTF-8, no BOM; columns
指标代码,地区代码,年份,数值): the 100 real indicator codes × 2021–2024 × the real (non-demo)
regions of data/regions.csv that hold no value yet (all but 全国 and 贵港市), in region order
until 1M rows; every (indicator, region, year) once, each value inside its indicator's valid
range and drifting slowly (no year-on-year jump warnings). Then times:

  (a) `ingest.read_upload` — decode, parse, find the layout, resolve codes, check every value;
  (b) end to end into a freshly initialised store, as `python -m metrics import` does it
      in-process: read the file, `read_upload`, `ingest.preview`, `ingest.commit`;
  (c) DuckDB's own bulk load of the same file into a plain table,
      `CREATE TABLE t AS FROM read_csv(…, explicit columns)`, fresh database file, best of 3 —
      the practical limit; also the same rows into a table keyed like `observations`;
  (d) a 10,000-row office file end to end (read, validate, preview, commit): an .xlsx and the
      same table saved as a GBK CSV, with Chinese indicator and region names, years written
      as 2023年, best of 3.

Aims: (b) within 5× of (c) for 1M rows; (d) under 2 s. See BENCHMARKS.md.

Usage: python bench/import_million.py [--rows N] [--repeat N] [--keep DIR] [--profile FILE] [--cli]
  --rows N        rows of the long file (default 1,000,000)
  --repeat N      runs of (a) and (b), best reported (default 2)
  --keep DIR      work in DIR and keep the files (default: a temporary directory)
  --profile FILE  also run (b) once under cProfile, save the stats to FILE and print the top
  --cli           also time `python -m metrics import FILE --db DB` as a subprocess
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metrics import catalogue, config, sync
from metrics.access import Actor, Role, grant_for
from metrics.catalogue import valid_ranges
from metrics.regions import NATIONAL_CODE, RegionResolver
from metrics.store import open_store
from metrics.uploads import checks, ingest, reading
from metrics.uploads import layout as layout_module

YEARS = [2021, 2022, 2023, 2024]
OFFICE_ROWS = 10_000
OFFICE_YEAR = 2023
RUNS = 3
USER = Actor("基准测试", grant_for(Role.ADMIN, NATIONAL_CODE))  # who the batches record
BULK_SQL = ("CREATE TABLE t AS FROM read_csv(?, header = true, auto_detect = false, "
            "delim = ',', quote = '\"', escape = '\"', "
            "columns = {'指标代码': 'VARCHAR', '地区代码': 'VARCHAR', '年份': 'INTEGER', "
            "'数值': 'DOUBLE'})")
KEYED_SQL = ("CREATE TABLE o (indicator_code VARCHAR, region_code VARCHAR, year INTEGER, "
             "value DOUBLE, PRIMARY KEY (indicator_code, region_code, year)); "
             "INSERT INTO o FROM read_csv(?, header = true, auto_detect = false, "
             "delim = ',', quote = '\"', escape = '\"', "
             "columns = {'指标代码': 'VARCHAR', '地区代码': 'VARCHAR', '年份': 'INTEGER', "
             "'数值': 'DOUBLE'})")


# --- datasets --------------------------------------------------------------------------------

def bounds_of(cat: catalogue.Catalogue) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Indicator codes and finite valid ranges (an open upper bound becomes low + 1000)."""
    bounds = valid_ranges(cat.indicators, cat.units)
    low = np.nan_to_num(bounds["low"].to_numpy(dtype=float), neginf=0.0)
    high = bounds["high"].to_numpy(dtype=float)
    return bounds["code"].to_numpy(), low, np.where(np.isfinite(high), high, low + 1000)


def value_of(low, high, r, i, y):
    """A value inside the range, fixed per (region, indicator), +0.1% of the range a year."""
    share = 0.4 + 0.2 * ((r * 7919 + i * 104_729) % 1000) / 1000 + 0.001 * y
    return np.round(low[i] + (high[i] - low[i]) * share, 2)


def million_frame(cat: catalogue.Catalogue, rows: int, taken: set[str]) -> pd.DataFrame:
    """The long file's rows: indicator fastest, then year, then region; unique keys; only
    regions that hold no value yet (`taken`: 全国 and 贵港市 ship with real figures)."""
    codes, low, high = bounds_of(cat)
    regions = cat.regions[~cat.regions["is_demo"] & ~cat.regions["code"].isin(taken)]
    regions = regions["code"].to_numpy()
    k = np.arange(rows)
    i, y = k % len(codes), (k // len(codes)) % len(YEARS)
    r = k // (len(codes) * len(YEARS))
    if r.max() >= len(regions):
        raise SystemExit(f"at most {len(codes) * len(YEARS) * len(regions):,} unique rows")
    return pd.DataFrame({"指标代码": codes[i], "地区代码": regions[r],
                         "年份": np.asarray(YEARS)[y], "数值": value_of(low, high, r, i, y)})


def office_frame(cat: catalogue.Catalogue) -> pd.DataFrame:
    """10,000 rows as an office writes them: indicator names, county names (names that mean one
    county only), 2023年, a source column."""
    codes, low, high = bounds_of(cat)
    names = cat.indicators.set_index("code").loc[codes, "name"].to_numpy()
    index = RegionResolver(cat.regions)
    counties = cat.regions[(cat.regions["level"] == "county") & ~cat.regions["is_demo"]]
    unique = [n for n in counties["name"] if len(index.candidates(n)) == 1]
    per_county = OFFICE_ROWS // len(codes)
    k = np.arange(per_county * len(codes))
    i, r = k % len(codes), k // len(codes)
    return pd.DataFrame({"指标": names[i], "地区": np.asarray(unique[:per_county])[r],
                         "年份": f"{OFFICE_YEAR}年", "数值": value_of(low, high, r, i, 2),
                         "数据来源": "县统计局年报"})


def write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """A workbook as offices send them: a title row above the header, numbers as numbers."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("填报表")
    sheet.append([f"{OFFICE_YEAR}年妇女儿童发展纲要监测数据（县级）"])
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    book.save(path)


# --- timing ----------------------------------------------------------------------------------

@contextmanager
def timed(into: dict, name: str):
    started = time.perf_counter()
    yield
    into[name] = into.get(name, 0.0) + time.perf_counter() - started


@contextmanager
def stage_timers(into: dict):
    """Time the stages inside read_upload by wrapping the module functions it calls."""
    wrapped = [(reading, "read_grid", "read: decode + csv/xlsx parse"),
               (layout_module, "records", "read: layout → records"),
               (checks, "check_records", "validate: resolve + parse + check")]
    originals = [(module, name, getattr(module, name)) for module, name, _ in wrapped]
    for module, name, label in wrapped:
        original = getattr(module, name)

        def timer(*args, __original=original, __label=label, **kwargs):
            with timed(into, __label):
                return __original(*args, **kwargs)
        setattr(module, name, timer)
    try:
        yield
    finally:
        for module, name, original in originals:
            setattr(module, name, original)


def end_to_end(file: Path, db: Path, stages: dict | None = None) -> tuple[float, dict]:
    """What `python -m metrics import` does, in-process; returns seconds and the counts."""
    stages = {} if stages is None else stages
    started = time.perf_counter()
    with timed(stages, "read file"):
        raw, name = ingest.file_record(file)
    with open_store(db).session() as con:
        with timed(stages, "catalogue from store"):
            cat = catalogue.read_from_store(con)
        with timed(stages, "read_upload"), stage_timers(stages):
            upload = ingest.read_upload(raw, name, cat, limits=config.settings().upload)
        if not upload.valid:
            raise SystemExit(f"{file.name}: {upload.errors[:3]}")
        with timed(stages, "preview"):
            preview = ingest.preview(con, upload, cat, settings=config.settings().upload)
    with timed(stages, "commit"):
        ingest.commit(open_store(db), upload, USER)
    return time.perf_counter() - started, preview.counts


def bulk_load(file: Path, work: Path, sql: str) -> tuple[float, int]:
    """DuckDB reading the file itself into a fresh database file (connect to close)."""
    path = work / "bulk.duckdb"
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(path))
    con.execute(sql, [str(file)])
    con.close()
    elapsed = time.perf_counter() - started
    con = duckdb.connect(str(path), read_only=True)
    table = "t" if sql.startswith("CREATE TABLE t ") else "o"
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    con.close()
    path.unlink()
    return elapsed, rows


def fresh_db(template: Path, work: Path, name: str) -> Path:
    path = work / name
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    shutil.copy(template, path)
    return path


def cli_import(file: Path, template: Path, work: Path) -> float:
    """`python -m metrics import FILE --db DB` into a fresh store, interpreter start included."""
    db = fresh_db(template, work, "cli.duckdb")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "metrics", "import", str(file), "--db",
                           str(db), "--format", "json"], cwd=ROOT, capture_output=True,
                          check=False)
    assert done.returncode == 0, done.stderr.decode()
    return time.perf_counter() - started


# --- report ----------------------------------------------------------------------------------

def machine() -> str:
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("duckdb", "pandas", "pyarrow"))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
            f"{versions}; load average at start {load}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--profile", type=Path, default=None)
    parser.add_argument("--cli", action="store_true")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"# import benchmark — {machine()}")
    print(f"work directory: {work}")

    template = work / "template.duckdb"
    if not template.exists():
        sync.init(open_store(template))
    with open_store(template).session() as con:
        cat = catalogue.read_from_store(con)
        taken = set(con.fetch_observations(list(cat.indicators["code"]),
                                           list(cat.regions["code"]))["region_code"])

    big = work / f"long_{args.rows}.csv"
    if not big.exists():
        started = time.perf_counter()
        million_frame(cat, args.rows, taken).to_csv(big, index=False, encoding="utf-8")
        print(f"generated {big.name} in {time.perf_counter() - started:.1f} s")
    print(f"dataset: {args.rows:,} rows, {big.stat().st_size / 1e6:.1f} MB")

    # (c) first, on a cold cache for nobody: DuckDB's own bulk load.
    bulk = [bulk_load(big, work, BULK_SQL) for _ in range(RUNS)]
    keyed = [bulk_load(big, work, KEYED_SQL) for _ in range(RUNS)]
    assert all(n == args.rows for _, n in bulk + keyed)
    bulk_best, keyed_best = min(t for t, _ in bulk), min(t for t, _ in keyed)
    print(f"(c) DuckDB read_csv → plain table: best {bulk_best:.2f} s "
          f"(runs {', '.join(f'{t:.2f}' for t, _ in bulk)})")
    print(f"    DuckDB read_csv → table keyed like observations: best {keyed_best:.2f} s")

    # (a) read + validate alone, best of --repeat.
    raw, name = ingest.file_record(big)
    runs = []
    for _ in range(args.repeat):
        stages: dict = {}
        started = time.perf_counter()
        with stage_timers(stages):
            upload = ingest.read_upload(raw, name, cat, limits=config.settings().upload)
        runs.append((time.perf_counter() - started, stages))
        assert upload.valid and len(upload.rows) == args.rows, upload.errors[:3]
        del upload
    read_seconds, stages = min(runs, key=lambda r: r[0])
    print(f"(a) read_upload (read + validate): best {read_seconds:.2f} s "
          f"({args.rows / read_seconds:,.0f} rows/s; runs "
          f"{', '.join(f'{t:.2f}' for t, _ in runs)})")
    for label, seconds in stages.items():
        print(f"      {label}: {seconds:.2f} s")
    del raw

    # (b) end to end into a fresh store, best of --repeat.
    runs = []
    for _ in range(args.repeat):
        stages = {}
        total, counts = end_to_end(big, fresh_db(template, work, "e2e.duckdb"), stages)
        assert counts == {"new": args.rows, "changed": 0, "unchanged": 0}, counts
        runs.append((total, stages))
    total, stages = min(runs, key=lambda r: r[0])
    print(f"(b) end to end (read, validate, preview, commit): best {total:.2f} s "
          f"= {total / bulk_best:.0f}× DuckDB's bulk load (aim: ≤ 5×), "
          f"{total / keyed_best:.1f}× the keyed load (runs "
          f"{', '.join(f'{t:.2f}' for t, _ in runs)})")
    for label, seconds in stages.items():
        print(f"      {label}: {seconds:.2f} s")

    if args.cli:
        print(f"    python -m metrics import (subprocess): {cli_import(big, template, work):.2f} s")

    # (d) the office file.
    office = office_frame(cat)
    xlsx, gbk = work / "县级填报.xlsx", work / "县级填报_gbk.csv"
    write_xlsx(office, xlsx)
    gbk.write_bytes(office.to_csv(index=False).encode("gbk"))
    for file in (xlsx, gbk):
        runs = []
        for run in range(RUNS):
            stages = {}
            seconds, counts = end_to_end(file, fresh_db(template, work, "office.duckdb"), stages)
            assert counts["new"] == len(office), counts
            runs.append((seconds, stages))
        best, stages = min(runs, key=lambda r: r[0])
        print(f"(d) {len(office):,}-row office file {file.suffix} "
              f"({file.stat().st_size / 1e3:.0f} kB) end to end: best {best:.2f} s (aim: < 2 s; "
              f"runs {', '.join(f'{s:.2f}' for s, _ in runs)})")
        print("      " + "; ".join(f"{k} {v:.2f}" for k, v in stages.items()))
        if args.cli:
            print(f"    python -m metrics import (subprocess): {cli_import(file, template, work):.2f} s")

    if args.profile:
        profile = cProfile.Profile()
        db = fresh_db(template, work, "profile.duckdb")
        profile.enable()
        end_to_end(big, db)
        profile.disable()
        profile.dump_stats(args.profile)
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(25)
            print(f"\nprofile of (b), by {order}:")
            print("\n".join(out.getvalue().splitlines()[6:]))

    if args.keep is None:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
