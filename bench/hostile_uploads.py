"""Benchmark: every kind of hostile upload tried, with its outcome per group, and the worst
files' time and peak memory next to a normal one (issue 10 §1, §2). Run on demand; not a test.

Part 1, kinds: each kind of file that once crashed the server, hung it or was stored as
another number (issue 10 §1–§2, and those found since) is read and checked as the 数据上传 page
does (`isolation.read_upload`: in a process of its own, within the time and memory limits),
and its outcome compared with the one expected: the problem codes, or the exact values.
Printed per kind and per group.

Part 2, worst files: each is read and checked (`ingest.read_upload`, as the command line
does) in a fresh process, so its peak memory (VmHWM) is its alone; the process's baseline
(imports and catalogue, read before the file) is reported beside it.

Usage: python bench/hostile_uploads.py [--kinds-only | --worst-only]
"""
from __future__ import annotations

import dataclasses
import io
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

# The peak is read from VmHWM, which starts afresh in the new program: ru_maxrss would carry
# the benchmark's own peak across the exec (Linux keeps it in the process's signal struct).
MEASURE = """
import json, re, sys, time
sys.path[:0] = {paths!r}
from metrics import catalogue, config
from metrics.uploads import ingest
def peak_kb():
    return int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
cat = catalogue.load()
raw = open({file!r}, "rb").read()
before = peak_kb()
started = time.perf_counter()
upload = ingest.read_upload(raw, {name!r}, cat, limits=config.settings().upload)
seconds = time.perf_counter() - started
peak = peak_kb()
print(json.dumps({{"seconds": seconds, "baseline_mb": before / 1024, "peak_mb": peak / 1024,
                  "codes": sorted({{p.code for p in upload.errors}}), "rows": len(upload.rows)}}))
"""
HEADER = "指标,地区,年份,数值\n"
RESOURCES = "§1 读取前的资源上限"
INFANT = "infant_mortality_rate"


@dataclasses.dataclass(frozen=True)
class Kind:
    """A kind of file, and what reading it must give: these error codes (in any order, each
    at least once), or no error and exactly these values by (indicator, region, year)."""
    group: str
    name: str
    file_name: str
    raw: bytes
    codes: frozenset[str] = frozenset()
    values: dict | None = None
    limits: dict = dataclasses.field(default_factory=dict)  # upload settings changed


def csv_kind(group: str, name: str, body: str, codes=(), values=None, header=HEADER,
             encoding="utf-8") -> Kind:
    return Kind(group, name, "数据.csv", (header + body).encode(encoding), frozenset(codes),
                values)


def normal_table(rows: int):
    """A long table of `rows` real (percent indicator, county, year) keys and values."""
    import pandas as pd

    from metrics import catalogue
    cat = catalogue.load()
    percents = cat.indicators.loc[cat.indicators["unit"] == "%", "code"].head(25)
    counties = cat.regions.loc[(cat.regions["level"] == "county") & ~cat.regions["is_demo"],
                               "code"].head(2500)
    keys = list(itertools.islice(itertools.product(percents, counties, range(2005, 2025)),
                                 rows))
    table = pd.DataFrame(keys, columns=["指标代码", "地区代码", "年份"])
    table["数值"] = [50 + (i % 400) / 10 for i in range(len(table))]
    return table


def xlsx_of(rows: list[list]) -> bytes:
    """A workbook saved by openpyxl, as by Excel, of the rows given (dates stay dates)."""
    import openpyxl
    book = openpyxl.Workbook()
    for values in rows:
        book.active.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def resource_kinds() -> list[Kind]:
    """§1: files that would exhaust memory or time, or end in a traceback."""
    from hostile_files import (
        BINARY_WORKBOOK,
        REPEATED_ODS,
        long_table,
        number_cell,
        row,
        row_bomb,
        text_cell,
        workbook,
    )
    group = RESOURCES
    far = long_table(("婴儿死亡率", "港北区", "2023", "5.1"))
    return [
        Kind(group, "一个单元格在 XFD1048576", "远处.xlsx", workbook(("数据", far + row(
            1048576, number_cell("XFD1048576", 1)))), frozenset({"sheet-too-large"})),
        Kind(group, "一个单元格在 CV1000000", "远处.xlsx", workbook(("数据", far + row(
            1000000, number_cell("CV1000000", 1)))), frozenset({"sheet-too-large"})),
        Kind(group, "压缩炸弹：4M 行的 XML", "炸弹.xlsx", row_bomb(4_000_000),
             frozenset({"file-too-large"})),
        Kind(group, "无行号的行超过单元格上限", "行多.xlsx", row_bomb(1_000_000),
             frozenset({"sheet-too-large"}), limits={"max_compression_ratio": 10_000}),
        Kind(group, "列数超过上限（.xlsx）", "宽.xlsx", workbook(("数据", far + row(
            2, number_cell("GZZ2", 1)))), frozenset({"sheet-too-large"})),
        Kind(group, "远处的空字符串单元格（空白区域不读）", "空白.xlsx", workbook(
            ("数据", far + row(900000, text_cell("CV900000", ""))), dimension="A1:CV900000"),
            values={(INFANT, "450802", 2023): 5.1}),
        csv_kind(group, "CSV 单元格 200,000 字符（超过 csv 模块上限）",
                 "婴儿死亡率,港北区,2023," + "9" * 200_000, {"cell-too-long"}),
        csv_kind(group, "CSV 单元格 40,000 字符（超过单元格上限）",
                 "婴儿死亡率,港北区,2023," + "9" * 40_000, {"cell-too-long"}),
        csv_kind(group, "CSV 一行 200,001 列", "婴儿死亡率,港北区,2023,5.1\n" + "1," * 200_000,
                 {"file-too-large"}),
        Kind(group, ".ods：一行重复百万次、每格重复 16,384 次", "重复.ods", REPEATED_ODS,
             frozenset({"unreadable-file"})),
        Kind(group, ".ods 改名为 .xlsx", "改名.xlsx", REPEATED_ODS, frozenset({"unreadable-file"})),
        Kind(group, ".xlsb（二进制工作簿）", "二进制.xlsb", BINARY_WORKBOOK,
             frozenset({"unreadable-file"})),
        Kind(group, "不是表格的二进制文件", "乱码.xlsx", b"PK\x03\x04" + bytes(range(256)) * 8,
             frozenset({"unreadable-file"})),
        Kind(group, "空文件", "空.csv", b"", frozenset({"unreadable-file"})),
    ]


def bounded_kinds() -> list[Kind]:
    """§1: files within every limit checked before loading, that take too long or too much
    memory to read and check: only the reader's own process can be stopped."""
    slow = HEADER + "婴儿死亡率,港北区,2023,5.1\n" * 400_000
    big = normal_table(1_000_000).to_csv(index=False).encode("gbk")
    return [Kind(RESOURCES, "检查超时：40 万行重复数据，时限 2 秒", "重复.csv", slow.encode(),
                 frozenset({"reading-timeout"}), limits={"max_read_seconds": 2}),
            Kind(RESOURCES, "内存超限：100 万行 40 MB CSV，上限 400 MB", "百万行.csv", big,
                 frozenset({"reading-memory"}), limits={"max_read_memory_mb": 400})]


def number_kinds() -> list[Kind]:
    """§2: values that were stored as another number, or lost, without a word."""
    import datetime as dt

    from hostile_files import long_table, row, text_cell, workbook
    group = "§2 数值不被悄悄改变"
    gangbei = {(INFANT, "450802", 2023): 5.1}
    hidden = workbook(("旧数据", long_table(("婴儿死亡率", "港北区", "2023", "9.9"))),
                      ("数据", long_table(("婴儿死亡率", "港北区", "2023", "5.1"))),
                      hidden=("旧数据",))
    formula = long_table(("婴儿死亡率", "港北区", "2023", "5.1")) + row(
        3, text_cell("A3", "婴儿死亡率"), text_cell("B3", "港南区"), text_cell("C3", "2023"),
        '<c r="D3"><f>D2*2</f></c>')
    template = "指标代码,指标名称,单位,牵头单位,地区,2023年\n"
    pair = "指标,区划代码,地区名称,年份,数值\n"
    return [
        csv_kind(group, "小数逗号 1,5", '婴儿死亡率,港北区,2023,"1,5"\n', {"misgrouped-number"}),
        csv_kind(group, "小数逗号 2,5（全角逗号分隔的文件）", "婴儿死亡率，港北区，2023，\"2,5\"\n",
                 {"misgrouped-number"}, header="指标，地区，年份，数值\n"),
        csv_kind(group, "欧式写法 1.234,5", '婴儿死亡率,港北区,2023,"1.234,5"\n',
                 {"misgrouped-number"}),
        csv_kind(group, "分组不对 12,34", '婴儿死亡率,港北区,2023,"12,34"\n',
                 {"misgrouped-number"}),
        csv_kind(group, "数字间空格 3 5", "婴儿死亡率,港北区,2023,3 5\n", {"misgrouped-number"}),
        csv_kind(group, "正确的千位分隔 12,345", '城镇单位女性从业人员数,贵港市,2023,"12,345"\n',
                 values={("urban_unit_female_employees", "450800", 2023): 12345.0}),
        csv_kind(group, "401 位数字", "城镇单位女性从业人员数,贵港市,2023," + "9" * 401 + "\n",
                 {"non-finite-number"}),
        csv_kind(group, "401 位数字带 %", "孕产妇住院分娩率,港北区,2023," + "9" * 401 + "%\n",
                 {"non-finite-number"}),
        csv_kind(group, "inf / nan 写成文字", "婴儿死亡率,港北区,2023,inf\n"
                 "婴儿死亡率,港南区,2023,nan\n", {"non-numeric"}),
        csv_kind(group, "人数超过人口上限", "城镇单位女性从业人员数,贵港市,2023,3000000000\n",
                 {"out-of-range"}),
        csv_kind(group, "超出范围的值按原样引用 100.0000001",
                 "孕产妇住院分娩率,港北区,2023,100.0000001\n", {"out-of-range"}),
        csv_kind(group, "两个数值列", "婴儿死亡率,港北区,2023,5.1,4.9\n", {"repeated-column"},
                 header="指标,地区,年份,数值,数值\n"),
        csv_kind(group, "两个地区列（地区 + 地区名称）", "婴儿死亡率,港北区,2023,港南区,5.1\n",
                 {"repeated-column"}, header="指标,地区,年份,地区名称,数值\n"),
        csv_kind(group, "文件级错误之外的行错误仍列出", "婴儿死亡率,2023,5.1\n不存在,20x3,abc\n",
                 {"missing-region", "unknown-indicator", "bad-year", "non-numeric"},
                 header="指标,年份,数值\n"),
        Kind(group, "公式没有计算结果", "程序生成.xlsx", workbook(("数据", formula)),
             frozenset({"formula-not-calculated"})),
        Kind(group, "数值列中的日期（1-5 变成 1月5日）", "日期.xlsx", xlsx_of(
            [["指标", "地区", "年份", "数值"], ["婴儿死亡率", "港北区", 2023,
                                          dt.datetime(2024, 1, 5)]]), frozenset({"date-value"})),
        Kind(group, "隐藏的第一张工作表不被读取", "隐藏.xlsx", hidden, values=gangbei),
        csv_kind(group, "未闭合的引号", '婴儿死亡率,港北区,2023,5.1\n"婴儿死亡率,港南区,2023,4.2\n'
                 "婴儿死亡率,覃塘区,2023,4.0\n", {"unclosed-quote"}),
        csv_kind(group, '引号后还有内容 "5"1', '婴儿死亡率,港北区,2023,"5"1\n', {"odd-quote"}),
        csv_kind(group, '引号后还有内容 "港北"区', '婴儿死亡率,"港北"区,2023,5.1\n', {"odd-quote"}),
        csv_kind(group, "数据中间一个长单元格", "婴儿死亡率,港北区,2023,5.1\n"
                 "每个街道、乡镇配备的专兼职儿童社会工作者数,,,\n婴儿死亡率,港南区,2023,4.2\n",
                 {"stray-row"}),
        csv_kind(group, "只有表头", "", values={}),
        csv_kind(group, "全是空白的表", " , , , \n\t,,,\n", values={}),
        csv_kind(group, "贵港县（无此县）", "婴儿死亡率,贵港县,2023,5.1\n", {"region-level-mismatch"}),
        csv_kind(group, "吉林县（吉林省、吉林市都不是县）", "婴儿死亡率,吉林县,2023,5.1\n",
                 {"region-level-mismatch"}),
        csv_kind(group, "贵港（不写后缀）", "婴儿死亡率,贵港,2023,5.1\n",
                 values={(INFANT, "450800", 2023): 5.1}),
        csv_kind(group, "延边州（自治州的简称）", "婴儿死亡率,延边州,2023,5.1\n",
                 values={(INFANT, "222400", 2023): 5.1}),
        csv_kind(group, "恩施（自治州和县级市同名）", "婴儿死亡率,恩施,2023,5.1\n",
                 {"ambiguous-region"}),
        csv_kind(group, "区划代码与地区名称一致", "婴儿死亡率,450802,港北区,2023,5.1\n",
                 values=gangbei, header=pair),
        csv_kind(group, "区划代码与地区名称不符", "婴儿死亡率,450803,港北区,2023,5.1\n",
                 {"region-mismatch"}, header=pair),
        csv_kind(group, "模板行：指标代码空、指标名称正确", ",产前检查率,%,卫生健康委,港北区,97.5\n",
                 values={("antenatal_care_rate", "450802", 2023): 97.5}, header=template),
        csv_kind(group, "指标代码与名称不符", "antenatal_care_rate,产前检査率,%,卫生健康委,港北区,97.5\n",
                 {"indicator-mismatch"}, header=template),
        csv_kind(group, "UTF-16 无 BOM", "婴儿死亡率\t港北区\t2023\t5.1\n", values=gangbei,
                 header="指标\t地区\t年份\t数值\n", encoding="utf-16-le"),
        csv_kind(group, "UTF-32 无 BOM", "婴儿死亡率\t港北区\t2023\t5.1\n", values=gangbei,
                 header="指标\t地区\t年份\t数值\n", encoding="utf-32-be"),
    ]


def outcome(kind: Kind, cat, limits, read=None) -> tuple[str, bool, float]:
    """What reading the kind gave, whether it is what was expected, and the seconds taken;
    read as the page reads (`isolation.read_upload`) unless another reader is given."""
    from metrics.uploads import isolation
    started = time.perf_counter()
    upload = (read or isolation.read_upload)(kind.raw, kind.file_name, cat,
                                             limits=dataclasses.replace(limits, **kind.limits))
    seconds = time.perf_counter() - started
    codes = {p.code for p in upload.errors}
    values = {(i, r, int(y)): v for i, r, y, v in zip(
        upload.rows["indicator_code"], upload.rows["region_code"], upload.rows["year"],
        upload.rows["value"])} if not upload.rows.empty else {}
    if kind.values is not None:
        return f"无错误，{len(values)} 个数值", not codes and values == kind.values, seconds
    return "、".join(sorted(codes)) or "无错误", codes == set(kind.codes), seconds


def run_kinds() -> None:
    from metrics import catalogue, config
    cat, limits = catalogue.load(), config.settings().upload
    kinds = resource_kinds() + bounded_kinds() + number_kinds()
    tried: dict[str, list[bool]] = {}
    print("| 组 | 情形 | 结果 | 符合预期 | 用时 |")
    print("|---|---|---|---|---|")
    for kind in kinds:
        found, expected, seconds = outcome(kind, cat, limits)
        tried.setdefault(kind.group, []).append(expected)
        print(f"| {kind.group[:2]} | {kind.name} | {found} | {'是' if expected else '**否**'} | "
              f"{seconds:.2f} s |")
    print("\n| 组 | 情形数 | 符合预期 |")
    print("|---|---|---|")
    for group, results in tried.items():
        print(f"| {group} | {len(results)} | {sum(results)} |")


def worst_files() -> dict[str, bytes]:
    """Name → content of every file measured for time and memory."""
    from hostile_files import long_table, number_cell, row, row_bomb, workbook
    far = long_table(("婴儿死亡率", "港北区", "2023", "5.1"))
    normal = normal_table(10_000)
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
        "百万行.csv": normal_table(1_000_000).to_csv(index=False).encode("gbk"),
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


def run_worst() -> None:
    import tempfile
    with tempfile.TemporaryDirectory() as work:
        print("| 文件 | 大小 | 读取与检查 | 峰值内存（进程基线） | 结果 |")
        print("|---|---|---|---|---|")
        for name, content in worst_files().items():
            found = measure(name, content, Path(work))
            if "failed" in found:
                print(f"| {name} | {len(content) // 1024} KB | — | — | 失败：{found['failed']} |")
                continue
            result = "、".join(found["codes"]) or f"{found['rows']} 行有效"
            print(f"| {name} | {len(content) // 1024} KB | {found['seconds']:.2f} s | "
                  f"{found['peak_mb']:.0f} MB（{found['baseline_mb']:.0f} MB） | {result} |")


def main() -> None:
    if "--worst-only" not in sys.argv:
        run_kinds()
        print()
    if "--kinds-only" not in sys.argv:
        run_worst()


if __name__ == "__main__":
    main()
