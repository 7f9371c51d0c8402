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
