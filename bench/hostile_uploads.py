"""Benchmark: the worst upload files next to a normal one (issue 10 §1). Run on demand; not a
test.

Each file is read and checked (`ingest.read_upload`, as the 数据上传 page does) in a process of
its own, so its peak memory (ru_maxrss) is its alone; the process's baseline (imports and
catalogue, read before the file) is reported beside it. Files, generated in memory (a few KB
each, built with tests/hostile_files.py):
  - a workbook with one cell at XFD1048576, and one at CV1000000;
  - a 943 KB zip whose sheet XML holds 4,000,000 rows (a "zip bomb" of rows);
  - a CSV with one 200,000-character cell;
  - a normal 10,000-row long .xlsx and the same as a GBK CSV.

Usage: python bench/hostile_uploads.py
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

MEASURE = """
import json, resource, sys, time
sys.path[:0] = {paths!r}
from metrics import catalogue, config
from metrics.uploads import ingest
cat = catalogue.load()
raw = open({file!r}, "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
upload = ingest.read_upload(raw, {name!r}, cat, limits=config.settings().upload)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": seconds, "baseline_mb": before / 1024, "peak_mb": peak / 1024,
                  "codes": sorted({{p.code for p in upload.errors}}), "rows": len(upload.rows)}}))
"""


def files() -> dict[str, bytes]:
    """Name → content of every file measured."""
    import itertools

    import pandas as pd
    from hostile_files import long_table, number_cell, row, row_bomb, workbook

    from metrics import catalogue
    far = long_table(("婴儿死亡率", "港北区", "2023", "5.1"))
    cat = catalogue.load()
    percents = cat.indicators.loc[cat.indicators["unit"] == "%", "code"].head(25)
    counties = cat.regions.loc[(cat.regions["level"] == "county") & ~cat.regions["is_demo"],
                               "code"].head(100)
    keys = list(itertools.islice(itertools.product(percents, counties, range(2021, 2025)),
                                 10_000))
    normal = pd.DataFrame(keys, columns=["指标代码", "地区代码", "年份"])
    normal["数值"] = [50 + (i % 400) / 10 for i in range(len(normal))]
    xlsx = io.BytesIO()
    normal.to_excel(xlsx, index=False)
    return {
        "远处单元格 XFD1048576.xlsx": workbook(("数据", far + row(1048576, number_cell(
            "XFD1048576", 1)))),
        "远处单元格 CV1000000.xlsx": workbook(("数据", far + row(1000000, number_cell(
            "CV1000000", 1)))),
        "压缩炸弹 4M 行.xlsx": row_bomb(4_000_000),
        "长单元格.csv": ("指标,地区,年份,数值\n婴儿死亡率,港北区,2023," + "9" * 200_000).encode(),
        "普通.xlsx": xlsx.getvalue(),
        "普通.csv": normal.to_csv(index=False).encode("gbk"),
    }


def measure(name: str, content: bytes, work: Path) -> dict:
    """Read one file in a fresh process; its figures."""
    file = work / name
    file.write_bytes(content)
    code = MEASURE.format(paths=[str(ROOT)], file=str(file), name=name)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=600, cwd=ROOT)
    if result.returncode:
        return {"failed": result.stderr.strip().splitlines()[-1:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    import tempfile
    with tempfile.TemporaryDirectory() as work:
        print("| 文件 | 大小 | 读取与检查 | 峰值内存（进程基线） | 结果 |")
        print("|---|---|---|---|---|")
        for name, content in files().items():
            found = measure(name, content, Path(work))
            if "failed" in found:
                print(f"| {name} | {len(content) // 1024} KB | — | — | 失败：{found['failed']} |")
                continue
            outcome = "、".join(found["codes"]) or f"{found['rows']} 行有效"
            print(f"| {name} | {len(content) // 1024} KB | {found['seconds']:.2f} s | "
                  f"{found['peak_mb']:.0f} MB（{found['baseline_mb']:.0f} MB） | {outcome} |")


if __name__ == "__main__":
    main()
