"""Benchmark: the evaluation engine on a national-scale store (issue 4 §6).

Run on demand; not a test.

Builds, deterministically, a store holding the real catalogue (`metrics.sync.init`: 3,211 real
regions + the demo city) and synthetic values for every real province, city and county ×
every indicator of the two 2021–2030 outlines × 2016–2024, with about 5% of values missing.
Each region's series follows the national one (data/observations/national.csv, interpolated)
shifted by a region offset, with its own pace and yearly noise, in logit space for percentages
and log space for other positive quantities, clipped to the indicator's valid range and rounded
to its decimals. Mortality rates are rebuilt from whole numbers of deaths and births, so county
rates rest on small counts as they really do. National totals (个, 亿人) are split evenly over
the regions of a level. The values are written through the store as one 'seed' batch.

Then times, best of 5 after one warm-up, inside one `store.session`: `evaluation.run` for each
outline and both in turn over every region; separately its store part
(`store.fetch_evaluation_inputs`) and pandas part (`evaluation.evaluate`); `explain.explain` on
one county's rows and on all rows. See BENCHMARKS.md.

Usage: python bench/national_scale.py [--keep PATH]
  --keep PATH  build the store at PATH and keep it; an existing PATH is reused as it is.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metrics import catalogue, config, evaluation, sync  # noqa: E402
from metrics.evaluation import explain  # noqa: E402
from metrics.store import OBSERVATION_KEY, open_store  # noqa: E402

OUTLINES = ("women-2021-2030", "children-2021-2030")
YEARS = np.arange(2016, 2025)
EVALUATION_YEAR = 2024
SETTINGS = config.settings().evaluation
SEED = 20240406
GAP_SHARE = 0.05
RUNS = 5
SOURCE = "基准测试合成数据（虚构）"
# Region offset (in the transformed space) per level: counties differ more than provinces.
SPREAD = {"province": 0.5, "city": 0.8, "county": 1.0}
# Births per region by level, behind the mortality rates rebuilt from counts.
BIRTHS = {"province": (100_000, 1_200_000), "city": (15_000, 120_000), "county": (1_000, 15_000)}
COUNTED = {"maternal_mortality_ratio": 100_000, "infant_mortality_rate": 1_000,
           "under5_mortality_rate": 1_000, "neonatal_mortality_rate": 1_000}


# --- the dataset -----------------------------------------------------------------------------

def indicator_table(cat: catalogue.Catalogue) -> pd.DataFrame:
    """Every indicator of the two outlines (once), with unit, direction, decimals and range."""
    codes = pd.concat([evaluation.outline_indicators(cat, o)["indicator_code"] for o in OUTLINES])
    bounds = catalogue.valid_ranges(cat.indicators, cat.units).set_index("code")
    table = cat.indicators.set_index("code").join(bounds)
    table = table.loc[codes.drop_duplicates().sort_values()]
    table["kind"] = table["unit"].map(cat.units.set_index("unit")["kind"])
    return table


def fallback_level(ind: pd.Series, targets: pd.DataFrame) -> float:
    """A plausible national level for an indicator without a national series: near its
    2021–2030 target if it has a number, else a typical value for the unit."""
    numeric = targets[(targets["indicator_code"] == ind.name) & targets["value"].notna()
                      & targets["plan_id"].isin(OUTLINES)]
    sign = -1.0 if ind["direction"] == "lower" else 1.0
    if not numeric.empty:
        return float(numeric["value"].iloc[0]) * (1 - 0.1 * sign)
    if ind["unit"] == "%":
        return 15.0 if sign < 0 else 80.0
    return 10.0


def national_paths(cat: catalogue.Catalogue, table: pd.DataFrame) -> np.ndarray:
    """(indicator, year) national levels: the real series interpolated, flat beyond its known
    years; 1% a year of progress from a fallback level where no series exists."""
    national = cat.observations[cat.observations["region_code"] == "000000"]
    paths = np.empty((len(table), len(YEARS)))
    for i, (code, ind) in enumerate(table.iterrows()):
        known = national[national["indicator_code"] == code].sort_values("year")
        if known.empty:
            sign = -1.0 if ind["direction"] == "lower" else 1.0
            paths[i] = fallback_level(ind, cat.targets) * (1 + 0.01 * sign) ** (YEARS - YEARS[0])
        else:
            paths[i] = np.interp(YEARS, known["year"].astype(float), known["value"].astype(float))
    return paths


def to_space(values: np.ndarray, space: np.ndarray) -> np.ndarray:
    """Values into the space where region spread is additive: logit for %, log for other
    positive quantities, as they are otherwise. space: per indicator, 'logit'/'log'/'linear'."""
    share = np.clip(values / 100, 1e-3, 1 - 1e-3)
    positive = np.clip(values, 1e-3, None)
    return np.select([space == "logit", space == "log"],
                     [np.log(share / (1 - share)), np.log(positive)], values)


def from_space(x: np.ndarray, space: np.ndarray) -> np.ndarray:
    """Inverse of to_space."""
    with np.errstate(over="ignore"):
        return np.select([space == "logit", space == "log"],
                         [100 / (1 + np.exp(-x)), np.exp(x)], x)


def region_values(table: pd.DataFrame, paths: np.ndarray, levels: np.ndarray,
                  rng: np.random.Generator) -> np.ndarray:
    """(region, indicator, year) values: national path shifted by a region offset, the national
    change scaled by a region pace, plus yearly noise; clipped to the valid range."""
    space = np.where(table["unit"].eq("%"), "logit",
                     np.where(table["low"].ge(0), "log", "linear"))[None, :, None]
    relative = np.where(table["kind"].eq("duration"), 0.04, 0.3)  # ages and years vary less
    scale = np.where(space == "linear", np.maximum(np.abs(paths).mean(axis=1), 1)[None, :, None]
                     * 0.1, relative[None, :, None])
    national = to_space(paths[None, :, :], space)
    spread = np.array([SPREAD[level] for level in levels])[:, None, None]
    shape = (len(levels), len(table), 1)
    offset = rng.normal(0, 1, shape) * spread * scale
    pace = rng.normal(1, 0.4, shape)
    noise = rng.normal(0, 0.05, shape[:2] + (len(YEARS),)) * scale
    x = national[:, :, :1] + offset + (national - national[:, :, :1]) * pace + noise
    values = from_space(x, space)
    values = np.clip(values, table["low"].to_numpy(float)[None, :, None],
                     table["high"].to_numpy(float)[None, :, None])
    return values


def long_frame(values: np.ndarray, table: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """The (region, indicator, year) cube as observation rows."""
    n_r, n_i, n_y = values.shape
    frame = pd.DataFrame({
        "indicator_code": np.tile(np.repeat(table.index.to_numpy(), n_y), n_r),
        "region_code": np.repeat(regions["code"].to_numpy(), n_i * n_y),
        "year": np.tile(YEARS, n_r * n_i).astype("int32"),
        "value": values.ravel(),
        "level": np.repeat(regions["level"].to_numpy(), n_i * n_y)})
    frame["numerator"] = np.nan
    frame["denominator"] = np.nan
    return frame


def add_counts(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    """Mortality rates rebuilt from whole deaths and births, in place."""
    for code, per in COUNTED.items():
        rows = frame.index[frame["indicator_code"] == code]
        bounds = np.array([BIRTHS[level] for level in frame.loc[rows, "level"]])
        births = rng.integers(bounds[:, 0], bounds[:, 1])
        deaths = rng.poisson(frame.loc[rows, "value"].to_numpy() * births / per)
        frame.loc[rows, "numerator"] = deaths.astype(float)
        frame.loc[rows, "denominator"] = births.astype(float)
        frame.loc[rows, "value"] = deaths / births * per


def round_values(frame: pd.DataFrame, decimals: pd.Series) -> None:
    """Values rounded to each indicator's decimals (vectorised), in place."""
    places = frame["indicator_code"].map(decimals).fillna(2).astype(int).to_numpy()
    factor = 10.0 ** places
    frame["value"] = np.round(frame["value"].to_numpy() * factor) / factor


def synthetic_observations(cat: catalogue.Catalogue) -> pd.DataFrame:
    """Every real province, city and county × every 2021–2030 outline indicator × 2016–2024,
    minus about 5% gaps; observation columns as store.write_observations takes them."""
    rng = np.random.default_rng(SEED)
    table = indicator_table(cat)
    regions = cat.regions[~cat.regions["is_demo"].astype(bool)
                          & cat.regions["level"].isin(list(SPREAD))].sort_values("code")
    paths = national_paths(cat, table)
    totals = table["kind"].eq("count").to_numpy()
    per_level = regions["level"].value_counts()
    values = region_values(table, paths, regions["level"].to_numpy(), rng)
    share = 1 / regions["level"].map(per_level).to_numpy(float)
    values[:, totals, :] *= share[:, None, None]
    frame = long_frame(values, table, regions)
    add_counts(frame, rng)
    round_values(frame, table["decimals"])
    frame = frame[rng.random(len(frame)) >= GAP_SHARE]
    frame = frame.assign(source=SOURCE, note=None)
    return frame[catalogue.OBSERVATION_COLUMNS].reset_index(drop=True)


def build(path: Path) -> dict[str, float]:
    """init + synthetic observations written through the store; seconds per step."""
    seconds = {}
    started = time.perf_counter()
    sync.init(open_store(path))
    seconds["metrics.sync.init"] = time.perf_counter() - started
    started = time.perf_counter()
    cat = catalogue.load()
    frame = synthetic_observations(cat)
    seconds[f"generate {len(frame):,} rows (numpy)"] = time.perf_counter() - started
    with open_store(path).transaction() as con:
        started = time.perf_counter()
        present = con.read_current(frame)  # none with the shipped data; counts stay honest
        if not present.empty:
            frame = frame[~key_index(frame).isin(key_index(present))]
        seconds["store.read_current (check the keys are new)"] = time.perf_counter() - started
        started = time.perf_counter()
        batch = con.create_batch("seed", "bench", "基准数据")
        con.write_observations(batch, frame, frame.iloc[:0],
                                 {"new": len(frame), "changed": 0, "unchanged": 0})
        seconds["store.write_observations"] = time.perf_counter() - started
        started = time.perf_counter()
    seconds["commit"] = time.perf_counter() - started
    return seconds


def key_index(frame: pd.DataFrame) -> pd.MultiIndex:
    """The observation keys of a frame."""
    return pd.MultiIndex.from_frame(frame[OBSERVATION_KEY])


# --- timings ---------------------------------------------------------------------------------

def best_of(action: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """(best, median) seconds of `runs` timed calls after one warm-up call."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def fetch_inputs(con, cat: catalogue.Catalogue, outline_id: str,
                 region_codes: list[str]) -> pd.DataFrame:
    """store.fetch_evaluation_inputs with exactly the arguments evaluation.run passes."""
    plan = cat.plans.set_index("id").loc[outline_id]
    codes = list(evaluation.outline_indicators(cat, outline_id)["indicator_code"])
    return con.fetch_evaluation_inputs(
        codes, list(region_codes), EVALUATION_YEAR, int(plan["baseline_year"]),
        SETTINGS.baseline_window, SETTINGS.projection_points)


def measure(path: Path) -> list[tuple[str, int, float, float]]:
    """(what, rows, best s, median s) for every timed step."""
    with open_store(path).session() as con:
        out = [("catalogue.read_from_store", 0,
                *best_of(lambda: catalogue.read_from_store(con)))]
        cat = catalogue.read_from_store(con)
        regions = list(cat.regions["code"])
        frames = {}
        for outline in OUTLINES:
            frames[outline] = evaluation.run(con, cat, outline, regions, EVALUATION_YEAR,
                                             settings=SETTINGS)
            rows = len(frames[outline])
            out.append((f"evaluation.run {outline}", rows, *best_of(
                lambda o=outline: evaluation.run(con, cat, o, regions, EVALUATION_YEAR,
                                                 settings=SETTINGS))))
            inputs = fetch_inputs(con, cat, outline, regions)
            out.append(("  store.fetch_evaluation_inputs", len(inputs), *best_of(
                lambda o=outline: fetch_inputs(con, cat, o, regions))))
            out.append(("  evaluation.evaluate", rows, *best_of(
                lambda o=outline, i=inputs: evaluation.evaluate(cat, i, o, regions,
                                                                EVALUATION_YEAR,
                                                                settings=SETTINGS))))
        provinces = list(cat.regions.loc[cat.regions["parent_code"] == "000000", "code"])
        out += [scope_timing(con, cat, "evaluation.run both outlines", regions),
                scope_timing(con, cat, f"  same, children of 000000 only ({len(provinces)})",
                             provinces),
                scope_timing(con, cat, "  same, one county only (110101)", ["110101"])]
    return out + explain_timings(frames)


def scope_timing(con, cat: catalogue.Catalogue, label: str,
                 region_codes: list[str]) -> tuple[str, int, float, float]:
    """evaluation.run for both outlines in turn over the given regions."""
    def both() -> int:
        return sum(len(evaluation.run(con, cat, o, region_codes, EVALUATION_YEAR,
                                      settings=SETTINGS)) for o in OUTLINES)
    return (label, both(), *best_of(both))


def explain_timings(frames: dict[str, pd.DataFrame]) -> list[tuple[str, int, float, float]]:
    """explain.explain on one county's rows (both outlines) and on every row."""
    both = pd.concat(frames.values(), ignore_index=True)
    county = both.loc[both["region_code"] == "110101"]  # 东城区, 北京市
    return [("explain.explain one county (110101)", len(county),
             *best_of(lambda: explain.explain(county, settings=SETTINGS))),
            ("explain.explain all rows", len(both),
             *best_of(lambda: explain.explain(both, settings=SETTINGS)))]


# --- report ----------------------------------------------------------------------------------

def cpu_model() -> str:
    """The CPU's model name, as Linux reports it."""
    info = Path("/proc/cpuinfo")
    lines = info.read_text().splitlines() if info.exists() else []
    return next((line.split(":", 1)[1].strip() for line in lines
                 if line.startswith("model name")), platform.processor() or "unknown CPU")


def machine() -> str:
    """Cores, CPU, Python and library versions, and how busy the machine is."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = ", ".join(f"{name} {metadata.version(name)}"
                         for name in ("duckdb", "pandas", "numpy"))
    return (f"{usable} usable cores ({os.cpu_count()} online), {cpu_model()}; "
            f"Python {platform.python_version()} on {platform.system()} {platform.machine()}; "
            f"{versions}; {load()}")


def load() -> str:
    """The 1-minute load average: other work on the machine skews the timings."""
    return f"load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""


def dataset(path: Path) -> str:
    """Rows per table of the benchmark store."""
    with open_store(path).session() as con:
        counts = con.count_rows()
        cat = catalogue.read_from_store(con)
    levels = cat.regions.groupby("level").size().to_dict()
    n_ind = [len(evaluation.outline_indicators(cat, o)) for o in OUTLINES]
    return (f"regions {counts['regions']:,} {levels}; indicators per outline "
            f"{dict(zip(OUTLINES, n_ind))}; observations {counts['observations']:,}; "
            f"revisions {counts['revisions']:,}")


def table(rows: list[tuple[str, int, float, float]]) -> str:
    """A plain-text table of the timings in milliseconds."""
    lines = [f"{'step':<44}{'rows':>10}{'best ms':>11}{'median ms':>11}"]
    lines += [f"{name:<44}{n:>10,}{best * 1000:>11.1f}{median * 1000:>11.1f}"
              for name, n, best, median in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Build (or reuse) the store, time, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, metavar="PATH",
                        help="build the store here and keep it (an existing file is reused)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        path = args.keep or Path(tmp) / "national.duckdb"
        print(f"machine: {machine()}")
        if path.exists():
            print(f"reusing {path}")
        else:
            for step, seconds in build(path).items():
                print(f"setup: {step}: {seconds:.1f} s")
        print(f"dataset: {dataset(path)}")
        print(f"timings: best and median of {RUNS} runs after one warm-up, evaluation year "
              f"{EVALUATION_YEAR}, every region of the store")
        print(table(measure(path)))
        print(f"after the timings: {load()}")


if __name__ == "__main__":
    main()
