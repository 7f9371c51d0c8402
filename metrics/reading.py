"""Reading an uploaded file, as people save it from Excel or WPS, into a grid of text cells.

File-like object or bytes in; a `Grid` out: every cell as stripped text, with the row number a
person sees in Excel (1-based) kept beside each row. Decoding is done here, in Python, because
DuckDB cannot read GBK offline and its CSV sniffing can silently drop rows:
BOM → UTF-8 / UTF-16; else strict UTF-8; else GB18030 (a superset of GBK). An Excel cell is
read as Excel shows it: 2020.0 → 2020, and a percentage-formatted 0.985 → 98.5%.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

import openpyxl
import python_calamine

from metrics.errors import MetricsError

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et")
DELIMITERS = ",\t;，"
# A workbook whose styles use a percentage format (built-in 9 / 10, or a custom one with %).
PERCENT_STYLES = re.compile(rb'numFmtId="(?:9|10)"|formatCode="[^"]*%')
QUOTED_IN_FORMAT = re.compile(r'"[^"]*"|\\.')  # literal text in a number format


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
    """The separator of the first lines: comma, tab, semicolon or a full-width comma. The one
    that splits most lines into the same number of cells (two or more) wins, so thousands
    separators in a tab-separated file or full-width commas in a note column do not."""
    sample = [line for line in text.splitlines()[:20] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = Counter(len(row) for row in csv.reader(sample, delimiter=delimiter))
        width, lines = max(widths.items(), key=lambda item: (item[1], item[0]),
                           default=(0, 0))
        if width >= 2 and (lines, width) > best_score:
            best, best_score = delimiter, (lines, width)
    return best


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


def is_percent_format(number_format: str | None) -> bool:
    """Whether Excel shows a number in this format multiplied by 100 with a % sign."""
    return "%" in QUOTED_IN_FORMAT.sub("", number_format or "")


def percent_cells(raw: bytes, sheet: str) -> set[tuple[int, int]]:
    """(row, column) indexes, from 0, of the sheet's numeric cells formatted as percentages:
    Excel stores 98.5% as 0.985 and calamine gives values without formats. openpyxl is only
    asked when the workbook's styles use a percentage format at all."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            styles = archive.read("xl/styles.xml")
        if not PERCENT_STYLES.search(styles):
            return set()
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
    except Exception:  # not an OOXML workbook (xls, ods) or a damaged one: no formats known
        return set()
    try:
        rows = book[sheet].iter_rows(min_row=1, min_col=1)
        return {(r, c) for r, row in enumerate(rows) for c, cell in enumerate(row)
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)
                and is_percent_format(getattr(cell, "number_format", None))}
    finally:
        book.close()


def percent_text(value: float) -> str:
    """A percentage-formatted cell as Excel shows it: 0.985 → '98.5%'."""
    return cell_text(float(value) * 100) + "%"


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
    percent = percent_cells(raw, chosen.name)
    rows = [[percent_text(v) if (r, c) in percent else cell_text(v) for c, v in enumerate(row)]
            for r, row in enumerate(cells)]
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
