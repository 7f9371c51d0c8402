"""Reading an uploaded file, as people save it from Excel or WPS, into a grid of text cells.

File-like object or bytes in; a `Grid` out: every cell as stripped text, column by column,
with the row number a person sees in Excel (1-based) kept beside each row. Decoding is done
here, in Python, because DuckDB cannot read GBK offline and its CSV sniffing can silently drop
rows: BOM → UTF-8 / UTF-16; else strict UTF-8; else GB18030 (a superset of GBK). An Excel cell
is read as Excel shows it: 2020.0 → 2020, and a percentage-formatted 0.985 → 98.5%. The quote
metrics.cell_values puts before a text beginning like a formula is removed, so a template the
product wrote reads back as written.

Delimited text is parsed by the fastest reader that keeps every row exactly: Arrow's CSV reader
for a rectangular file (a large export), pandas' C parser for ragged rows (a footnote under the
table), and the csv module for what neither accepts (an unclosed quote). All three give the same
cells; a property test holds them to the csv module's.
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

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.csv as arrow_csv
import python_calamine

from metrics.cell_values import restored
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
    """A sheet's cells as text: one string column per sheet column, one row per sheet row,
    '' for an empty cell; `row_numbers[i]` is the Excel row of the i-th row."""
    cells: pd.DataFrame
    row_numbers: np.ndarray
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    encoding: str | None = None

    def head(self, count: int) -> list[list[str]]:
        """The first rows as lists of text, for finding the header."""
        return [list(row) for row in self.cells.head(count).itertuples(index=False)]


def grid_of_cells(cells: pd.DataFrame, **details) -> Grid:
    """A Grid of a frame of text cells, columns numbered from 0 and rows from Excel row 1."""
    cells = cells.set_axis(range(cells.shape[1]), axis=1).reset_index(drop=True)
    cells = cells.astype("string").apply(restored)
    return Grid(cells, np.arange(1, len(cells) + 1), **details)


def grid_of_rows(rows: list[list[str]], **details) -> Grid:
    """A Grid of ragged rows of text, short rows padded with ''."""
    width = max(map(len, rows), default=0)
    padded = [row + [""] * (width - len(row)) for row in rows]
    return grid_of_cells(pd.DataFrame(padded, columns=range(width), dtype=object), **details)


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


def first_lines(text: str, count: int) -> list[str]:
    """The first lines of a text without splitting all of it (a large file has a million)."""
    end = 0
    for _ in range(count):
        end = text.find("\n", end) + 1
        if end == 0:
            return text.splitlines()[:count]
    return text[:end].splitlines()


def sniff_delimiter(text: str) -> str:
    """The separator of the first lines: comma, tab, semicolon or a full-width comma. The one
    that splits most lines into the same number of cells (two or more) wins, so thousands
    separators in a tab-separated file or full-width commas in a note column do not."""
    sample = [line for line in first_lines(text, 20) if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = Counter(len(row) for row in csv.reader(sample, delimiter=delimiter))
        width, lines = max(widths.items(), key=lambda item: (item[1], item[0]),
                           default=(0, 0))
        if width >= 2 and (lines, width) > best_score:
            best, best_score = delimiter, (lines, width)
    return best


def read_csv_text(text: str, encoding: str) -> Grid:
    """Parse delimited text; ragged rows are kept, never dropped, and every cell is stripped."""
    delimiter = sniff_delimiter(text)
    first = next(csv.reader(first_lines(text, 1), delimiter=delimiter), [])
    cells = None
    if len(delimiter.encode()) == 1:  # Arrow and pandas split on one byte only, not on ，
        encoded = text.encode("utf-8")
        cells, width = parse_rectangular(encoded, delimiter, max(len(first), 1))
        if cells is None:
            cells = parse_ragged(encoded, delimiter, width)
    if cells is None:
        return grid_of_rows(parse_any(text, delimiter), encoding=encoding)
    return grid_of_cells(cells.apply(lambda column: column.str.strip()), encoding=encoding)


def parse_rectangular(encoded: bytes, delimiter: str,
                      width: int) -> tuple[pd.DataFrame | None, int]:
    """Arrow's CSV reader, when every row has `width` cells; otherwise no frame and the
    widest row's width (Arrow would skip the other rows, so their presence is only noted)."""
    names = [str(i) for i in range(width)]
    ragged_widths = []

    def note_ragged(row) -> str:
        ragged_widths.append(row.actual_columns)
        return "skip"

    try:
        table = read_arrow(encoded, delimiter, names, note_ragged)
    except pa.ArrowInvalid:  # an unclosed quote, or an empty text
        return None, width
    if ragged_widths:
        return None, max(width, *ragged_widths)
    return table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype()}.get), width


def read_arrow(encoded: bytes, delimiter: str, names: list[str], on_ragged_row) -> pa.Table:
    """Every cell as text ('' when empty), blank lines kept as rows: row positions are Excel's
    row numbers."""
    return arrow_csv.read_csv(
        io.BytesIO(encoded),
        read_options=arrow_csv.ReadOptions(column_names=names, use_threads=False),
        parse_options=arrow_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                             ignore_empty_lines=False,
                                             invalid_row_handler=on_ragged_row),
        convert_options=arrow_csv.ConvertOptions(
            column_types={name: pa.large_string() for name in names},
            strings_can_be_null=False, quoted_strings_can_be_null=False))


def parse_ragged(encoded: bytes, delimiter: str, width: int) -> pd.DataFrame | None:
    """pandas' C parser with `width` columns, short rows padded with ''; None when it refuses
    the text (an unclosed quote)."""
    try:
        return pd.read_csv(io.BytesIO(encoded), sep=delimiter, header=None, names=range(width),
                           dtype=str, keep_default_na=False, na_filter=False,
                           skip_blank_lines=False, index_col=False, engine="c")
    except (pd.errors.ParserError, ValueError):
        return None


def parse_any(text: str, delimiter: str) -> list[list[str]]:
    """The csv module, which accepts any text."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[cell.strip() for cell in row] for row in reader]


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
    return grid_of_rows(rows, sheet=chosen.name, sheet_names=names)


def read_grid(raw: bytes, file_name: str, sheet: str | None = None) -> Grid:
    """Read an upload by its file name's extension (Excel) or as delimited text (CSV, TXT)."""
    if not raw:
        raise UnreadableFile("文件是空的。")
    if file_name.lower().endswith(EXCEL_SUFFIXES) or raw[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        return read_excel(raw, sheet)
    text, encoding = decode(raw)
    return read_csv_text(text, encoding)
