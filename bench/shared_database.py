"""Benchmark: many threads of one process on one store, and a command beside them (issue 16).
Run on demand; not a test.

N threads each run units of work for a while, as page reruns do: the data version, then a
session reading a few values and the list of batches. Reports units of work per second,
their median and p95 time and every error by kind. Then, with the threads still running, a
second process runs `python -m metrics batches` (a command reading the store) and the time it
took is reported: the command must get the file although the threads keep using it.

Usage: python bench/shared_database.py --store PATH [--threads N] [--seconds S]
"""
from __future__ import annotations

import argparse
import collections
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metrics.store import open_store  # noqa: E402

# Seconds the app keeps its database open (pages/ui/cache.py); older code has no keep_open.
KEEP_OPEN = 10.0


def app_store(path: Path):
    try:
        return open_store(path, keep_open=KEEP_OPEN)
    except TypeError:
        return open_store(path)


def unit_of_work(store) -> None:
    store.data_version()
    with store.session() as reading:
        reading.fetch_observations(["infant_mortality_rate"], ["000000", "110000"])
        reading.fetch_batches()


def worker(store, stop: threading.Event, times: list, errors: collections.Counter) -> None:
    while not stop.is_set():
        began = time.perf_counter()
        try:
            unit_of_work(store)
            times.append(time.perf_counter() - began)
        except Exception as exc:  # noqa: BLE001 - counted by kind, the finding
            errors[f"{type(exc).__name__}: {str(exc).splitlines()[0][:90]}"] += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    store = app_store(args.store)
    stop, times, errors = threading.Event(), [], collections.Counter()
    threads = [threading.Thread(target=worker, args=(store, stop, times, errors))
               for _ in range(args.threads)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(args.seconds / 2)
    command_began = time.perf_counter()
    command = subprocess.run([sys.executable, "-m", "metrics", "batches", "--db",
                              str(args.store)], cwd=ROOT, capture_output=True, text=True,
                             timeout=300)
    command_seconds = time.perf_counter() - command_began
    time.sleep(max(0.0, args.seconds - (time.perf_counter() - began)))
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    ordered = sorted(times)
    print(f"{args.threads} threads, {elapsed:.1f} s: {len(times):,} units of work "
          f"({len(times) / elapsed:,.0f}/s), median {statistics.median(ordered) * 1000:.1f} ms, "
          f"p95 {ordered[int(0.95 * (len(ordered) - 1))] * 1000:.1f} ms, "
          f"{sum(errors.values())} errors")
    for kind, count in errors.most_common():
        print(f"  {count} × {kind}")
    print(f"`python -m metrics batches` meanwhile: exit {command.returncode}, "
          f"{command_seconds:.2f} s" + (f" ({command.stderr.strip()[:200]})"
                                         if command.returncode else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
