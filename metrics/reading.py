"""Reading an uploaded file, as people save it from Excel or WPS, into a grid of text cells.

File-like object or bytes in; a `Grid` out: every cell as stripped text, with the row number a
person sees in Excel (1-based) kept beside each row. Decoding is done here, in Python, because
DuckDB cannot read GBK offline and its CSV sniffing can silently drop rows:
BOM → UTF-8 / UTF-16; else strict UTF-8; else GB18030 (a superset of GBK).
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass, field

import python_calamine

from metrics.errors import MetricsError

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et")
DELIMITERS = ",\t;，"


class UnreadableFile(MetricsError):
    """The file is not a table we can read; the message says why, in Chinese."""


@dataclass(frozen=True)
class Grid:
    """A sheet's cells as text; `row_numbers[i]` is the Excel row of `rows[i]`."""
    rows: list[list[str]]
    row_numbers: list[int]
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    encoding: str | None = None


def decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise UnreadableFile("文件编码无法识别：既不是 UTF-8，也不是 GBK/GB18030。"
                             "请在 Excel 中另存为“CSV UTF-8”或 .xlsx 后再上传。") from exc


def sniff_delimiter(text: str) -> str:
    """The separator used by the first lines: comma, tab, semicolon or a full-width comma."""
    sample = [line for line in text.splitlines()[:20] if line.strip()]
    counts = {d: sum(line.count(d) for line in sample) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv_text(text: str, encoding: str) -> Grid:
    """Parse delimited text with the csv module (ragged rows are kept, never dropped)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    rows = [[cell.strip() for cell in row] for row in reader]
    return Grid(rows=rows, row_numbers=list(range(1, len(rows) + 1)), encoding=encoding)


def cell_text(value) -> str:
    """An Excel cell as a person would read it: 2020.0 → '2020', 98.82 → '98.82'."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y") if getattr(value, "month", 1) == 1 else value.isoformat()
    return str(value).strip()


def read_excel(raw: bytes, sheet: str | None) -> Grid:
    """One sheet of a workbook (the first, unless named), row numbers as Excel shows them."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
    except Exception as exc:  # calamine raises several unrelated types for a damaged file
        raise UnreadableFile(f"无法读取该 Excel 文件（{exc}）。请确认文件未损坏、未加密。") from exc
    names = list(book.sheet_names)
    if sheet is not None and sheet not in names:
        raise UnreadableFile(f"工作簿中没有名为「{sheet}」的工作表，现有：{'、'.join(names)}。")
    chosen = book.get_sheet_by_name(sheet or names[0])
    cells = chosen.to_python(skip_empty_area=False)
    rows = [[cell_text(v) for v in row] for row in cells]
    return Grid(rows=rows, row_numbers=list(range(1, len(rows) + 1)), sheet=chosen.name,
                sheet_names=names)


def read_grid(raw: bytes, file_name: str, sheet: str | None = None) -> Grid:
    """Read an upload by its file name's extension (Excel) or as delimited text (CSV, TXT)."""
    if not raw:
        raise UnreadableFile("文件是空的。")
    if file_name.lower().endswith(EXCEL_SUFFIXES) or raw[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        return read_excel(raw, sheet)
    text, encoding = decode(raw)
    return read_csv_text(text, encoding)
