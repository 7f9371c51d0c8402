"""`python -m metrics extract FILE`: the figures of a narrative report (工作总结, 自评报告) as
candidates, printed and never written. `--format json` prints the document that `import
FILE.json` takes back (metrics.uploads.narrative_json) once a person has checked it.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from metrics import catalogue, config, regions
from metrics.cli_access import store_of
from metrics.evaluation.results import display_width, pad
from metrics.uploads import narrative, narrative_json, narrative_text, narrative_upload
from metrics.uploads.narrative_candidates import Extraction

LONGEST_SENTENCE = 60  # characters of a sentence shown in the table; JSON has all of it


def add_commands(commands, add_db_option) -> None:
    """`extract`."""
    extract = commands.add_parser("extract", help="从工作总结等文字报告中提取指标数值（只显示，不写入）")
    extract.add_argument("file", type=Path, help="报告文件：.txt、.docx 或 .pdf")
    extract.add_argument("--region", default=None,
                         help="报告所属地区（代码或名称；默认从标题中识别）")
    extract.add_argument("--year", default=None, type=int,
                         help="报告年份（句中没有年份时使用；默认从标题中识别）")
    extract.add_argument("--format", choices=["table", "json"], default="table")
    add_db_option(extract)
    extract.set_defaults(run=run_extract)


def run_extract(args: argparse.Namespace) -> int:
    """Print the candidates and the figures of no indicator; exit 1 when the report cannot
    be read."""
    cat = catalogue.read_from_store(store_of(args))
    region = (regions.RegionResolver(cat.regions).resolve_one(args.region)["code"]
              if args.region else None)
    try:
        text = narrative_text.report_file_text(args.file, config.settings().upload)
    except OSError as exc:
        print(f"错误：无法读取文件「{args.file}」（{exc.strerror}）。", file=sys.stderr)
        return 1
    except narrative_text.UnreadableReport as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    found = narrative.extract(text, cat, region, args.year)
    if args.format == "json":
        document = narrative_json.document(found, args.file.name)
        print(json.dumps(document, ensure_ascii=False, indent=1))
    else:
        print(text_report(found, cat))
    return 0


def text_report(found: Extraction, cat: catalogue.Catalogue) -> str:
    """The candidates as an aligned table, then the figures of no indicator."""
    labels = regions.qualified_labels(cat.regions)
    year = f"{found.report_year}年" if found.report_year else "未识别"
    lines = [f"报告年份：{year}；地区：{labels.get(found.report_region, '未识别')}；"
             f"指标数值 {len(found.candidates)} 个，其他数字 {len(found.unmatched)} 个（均未写入）。"]
    candidates = pd.DataFrame({
        "序号": range(1, len(found.candidates) + 1),
        "指标代码": [c.indicator_code for c in found.candidates],
        "指标": [c.indicator_name for c in found.candidates],
        "数值": [narrative_upload.written(c.value, c.unit) for c in found.candidates],
        "年份": [str(c.year) if c.year else "—" for c in found.candidates],
        "地区": [labels.get(c.region_code, "未识别") for c in found.candidates],
        "推算": ["是" if c.derived else "" for c in found.candidates],
        "可信度": [f"{c.confidence:.2f}" for c in found.candidates],
        "原句": [shortened(c.sentence) for c in found.candidates]})
    if len(candidates):
        lines += ["", aligned(candidates)]
    if found.unmatched:
        lines += ["", "其他数字（不属于指标目录中的指标，或是与目标的比较；不导入）："]
        lines.append(aligned(pd.DataFrame({
            "内容": [u.text for u in found.unmatched],
            "数值": [narrative_upload.written(u.value, u.unit) for u in found.unmatched],
            "原句": [shortened(u.sentence) for u in found.unmatched]})))
    return "\n".join(lines)


def shortened(sentence: str) -> str:
    """A sentence cut to a table cell's length."""
    sentence = sentence.strip()
    return sentence if len(sentence) <= LONGEST_SENTENCE else sentence[:LONGEST_SENTENCE] + "…"


def aligned(table: pd.DataFrame) -> str:
    """A table with its columns aligned in terminal columns (CJK characters take two)."""
    cells = table.astype(str)
    widths = {c: max(display_width(c), *(display_width(v) for v in cells[c])) for c in cells}
    rows = [list(cells.columns)] + cells.values.tolist()
    return "\n".join("  ".join(pad(v, widths[c]) for c, v in zip(cells, row)).rstrip()
                     for row in rows)
