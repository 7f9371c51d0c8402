"""Benchmark: figures from a long narrative report (issue 15). Run on demand; not a test.

The report is built from the paragraphs of tests/data/reports (county, traditional city and
PDF-copy styles), each repeated with another year and county of 贵港市, to about the length of a
city's annual 工作总结 with its county sections (--paragraphs, default 400: about 100,000
characters, 50–60 printed pages). Timed, best and median of --repeat runs:
  - reading it: a GBK .txt (decode + repair), a .docx of the same paragraphs, and the same
    printed to PDF by Chromium (when /usr/bin/chromium is there; the printing is not timed);
  - extracting the candidates with the region chosen (贵港市 and the regions under it) and with
    none (every region of China with a unique name is looked for);
  - the candidates kept as an upload (narrative_upload.as_upload → ingest.read_upload checks).

Usage: python bench/narrative_extraction.py [--paragraphs 400] [--repeat 5]
"""
from __future__ import annotations

import argparse
import html
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402

from metrics import catalogue, config  # noqa: E402
from metrics.uploads import narrative, narrative_text, narrative_upload  # noqa: E402

REPORTS = ROOT / "tests" / "data" / "reports"
COUNTIES = ["港北区", "港南区", "覃塘区", "平南县", "桂平市"]


def paragraphs(count: int) -> list[str]:
    """`count` report paragraphs, each a fixture paragraph with another year and county."""
    limits = config.settings().upload
    sources = [narrative_text.report_text((REPORTS / name).read_bytes(), name, limits)
               for name in ("county_2015.txt", "city_2015_traditional_gbk.txt",
                            "pdf_copy_2016.txt")]
    lines = [line for text in sources for line in text.split("\n")[1:] if len(line) > 20]
    built = []
    for i in range(count):
        year, county = 2011 + i % 14, COUNTIES[i % len(COUNTIES)]
        # Four fixture lines to a paragraph: a county's section of a city report.
        paragraph = "".join(lines[(i + k) % len(lines)] for k in range(4))
        for old in ("2015", "2016", "2010"):
            paragraph = paragraph.replace(old, str(year))
        built.append(f"{county}：{paragraph}")
    return ["贵港市妇女儿童发展规划实施情况工作总结", *built]


def as_docx(lines: list[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_pdf(lines: list[str]) -> bytes | None:
    """The paragraphs printed on A4 by Chromium, as a report is saved to PDF; None without it."""
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    with tempfile.TemporaryDirectory() as work:
        page, pdf = Path(work) / "report.html", Path(work) / "report.pdf"
        body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        page.write_text(f'<html><head><meta charset="utf-8"></head><body style="font-family:'
                        f'Noto Serif CJK SC">{body}</body></html>', encoding="utf-8")
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", str(page)], capture_output=True, timeout=300)
        return pdf.read_bytes() if pdf.exists() else None


def timed(step, repeat: int) -> tuple[float, float, object]:
    """Best and median milliseconds of `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cat, limits = catalogue.load(), config.settings().upload
    lines = paragraphs(args.paragraphs)
    text_file = "\n".join(lines).encode("gb18030")
    word_file = as_docx(lines)
    pdf_file = as_pdf(lines)
    text = narrative_text.report_text(text_file, "总结.txt", limits)
    steps = {
        "read .txt (GBK): decode + repair": lambda: narrative_text.report_text(
            text_file, "总结.txt", limits),
        "read .docx: XML + repair": lambda: narrative_text.report_text(
            word_file, "总结.docx", limits),
    }
    if pdf_file is not None:
        steps[f"read .pdf ({len(pdf_file) // 1024} KB): text layer + repair"] = \
            lambda: narrative_text.report_text(pdf_file, "总结.pdf", limits)
    steps |= {
        "extract, region chosen (贵港市)": lambda: narrative.extract(text, cat, "450800"),
        "extract, no region chosen": lambda: narrative.extract(text, cat),
    }
    print(f"{len(text):,} characters, {args.paragraphs} paragraphs; "
          f".txt {len(text_file) // 1024} KB, .docx {len(word_file) // 1024} KB\n")
    print("| step | best ms | median ms | found |")
    print("|---|---:|---:|---|")
    extraction = None
    for label, step in steps.items():
        best, median, result = timed(step, args.repeat)
        found = ""
        if isinstance(result, narrative.Extraction):
            extraction = extraction or result
            found = f"{len(result.candidates):,} candidates, {len(result.unmatched):,} other"
        print(f"| {label} | {best:,.0f} | {median:,.0f} | {found} |")
    best, median, upload = timed(lambda: narrative_upload.as_upload(
        extraction.candidates, text_file, "总结.txt", cat, limits=limits), args.repeat)
    print(f"| as_upload: checks of every candidate | {best:,.0f} | {median:,.0f} | "
          f"{len(upload.rows):,} valid rows, {len(upload.errors)} errors |")


if __name__ == "__main__":
    main()
