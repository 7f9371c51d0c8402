"""The benchmarks still run against the current code (they are run on demand, so a change of
an API would otherwise break them unseen). A tiny import benchmark, untimed: only that it ends
and reports its stages."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from metrics.config import BASE_DIR


def test_the_import_benchmark_runs_on_a_small_file(tmp_path):
    result = subprocess.run(
        [sys.executable, "bench/import_million.py", "--rows", "2000", "--repeat", "1",
         "--keep", str(tmp_path)], cwd=BASE_DIR, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    for stage in ("(a)", "(b)", "(c)", "(d)", "validate: resolve + parse + check", "commit"):
        assert stage in result.stdout


def test_the_page_benchmark_times_every_page_next_to_the_floor(db):
    result = subprocess.run(
        [sys.executable, "bench/page_times.py", "--store", str(db), "--warm", "2", "--cold", "1",
         "--levels", "county,national", "--county", "990102"], cwd=BASE_DIR,
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [line.split("|")[1:-1] for line in result.stdout.splitlines()
            if line.startswith("| ") and not line.startswith("| page")]
    cells = {(r[0].strip(), r[1].strip()): [c.strip() for c in r[2:]] for r in rows}
    expected = {("floor", "—"), ("batches", "—")} | {
        (page, level) for page in ("overview", "evaluation", "evaluation peers", "trends 1×1",
                                   "trends 5×5")
        for level in ("county", "national")}
    assert set(cells) == expected
    assert cells[("floor", "—")][1] == "1.0" and cells[("floor", "—")][5] == "1.0"
    for page, (cold, cold_ratio, warm, p95, cpu, ratio, rss, error) in cells.items():
        assert error == "—", (page, error)
        assert float(cold.replace(",", "")) > 0 and float(warm.replace(",", "")) > 0
        assert float(p95.replace(",", "")) >= float(warm.replace(",", ""))
        assert float(rss.replace(",", "")) > 50


def test_the_shared_database_benchmark_runs_threads_and_a_command(db):
    result = subprocess.run(
        [sys.executable, "bench/shared_database.py", "--store", str(db), "--threads", "4",
         "--seconds", "3"], cwd=BASE_DIR, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "4 threads" in result.stdout and ", 0 errors" in result.stdout, result.stdout
    assert "`python -m metrics batches` meanwhile: exit 0" in result.stdout, result.stdout


CONTENT_PAGES = ("overview", "evaluation", "trends 1×1", "trends 5×5", "batches")
needs_chromium = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists() and not os.environ.get("REQUIRE_BROWSER"),
    reason="Debian chromium is not installed")


def browser_bench(db: Path, tmp_path: Path, parts: str) -> str:
    """The browser benchmark's small run of `parts` on the shipped data, for 全国; its output."""
    result = subprocess.run(
        [sys.executable, "bench/national_pages.py", "--store", str(db), "--parts", parts,
         "--levels", "national", "--warm", "1",
         # Its province is the memory sequence's: the shipped data's counties with values are
         # the demo's.
         "--county", "990102", "--visits", "2", "--viewers", "2",
         "--server-log", str(tmp_path / "streamlit.log")],
        cwd=BASE_DIR, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    for name in parts.split(","):
        assert f"## {name} (0 errors)" in result.stdout
    return result.stdout


@needs_chromium
def test_the_browser_benchmark_reports_every_page_and_the_memory(db, tmp_path):
    out = browser_bench(db, tmp_path, "content,memory")
    content = table_rows(out, "## content")
    assert set(content) == {(page, "national") for page in CONTENT_PAGES}
    for cold, warm, p95, cpu, load, error in content.values():
        assert number(cold) > 0 and number(warm) > 0 and number(p95) >= number(warm)
        assert number(cpu) > 0 and error == "—"
    memory = section(out, "## memory")
    assert re.search(r"after the province sequence: RSS [\d,]+ MB", memory)
    assert re.search(r"after the national sequence: RSS [\d,]+ MB", memory)
    for page in CONTENT_PAGES:
        assert re.search(rf"{page} national × 2: RSS after each visit [\d,]+ [\d,]+ MB", memory)


def section(out: str, heading: str) -> str:
    start = next(i for i, line in enumerate(out.splitlines()) if line.startswith(heading))
    lines = out.splitlines()[start + 1:]
    return "\n".join(lines[:next((i for i, line in enumerate(lines) if line.startswith("## ")),
                                 len(lines))])


def table_rows(out: str, heading: str) -> dict[tuple[str, str], list[str]]:
    """A section's table by its first two cells (the header and rule left out)."""
    rows = [[c.strip() for c in line.split("|")[1:-1]] for line in section(out, heading)
            .splitlines() if line.startswith("| ") and not line.startswith("| page")
            and not line.startswith("| viewers")]
    return {(r[0], r[1]): r[2:] for r in rows}


def number(text: str) -> float:
    return float(text.replace(",", ""))
