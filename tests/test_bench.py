"""The benchmarks still run against the current code (they are run on demand, so a change of
an API would otherwise break them unseen). A tiny import benchmark, untimed: only that it ends
and reports its stages."""
import subprocess
import sys

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
         "--levels", "county,national"], cwd=BASE_DIR, capture_output=True, text=True,
        timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [line.split("|")[1:-1] for line in result.stdout.splitlines()
            if line.startswith("| ") and not line.startswith("| page")]
    cells = {(r[0].strip(), r[1].strip()): [c.strip() for c in r[2:]] for r in rows}
    expected = {("floor", "—"), ("batches", "—")} | {
        (page, level) for page in ("overview", "evaluation", "trends 1×1", "trends 5×5")
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
