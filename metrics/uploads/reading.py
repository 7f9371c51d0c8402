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
import time
import xml.etree.ElementTree as ElementTree
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
from metrics.settings import UploadSettings
from metrics.uploads import inspection
from metrics.uploads.inspection import Extent
from metrics.uploads.problems import Problem, problem

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et")
DELIMITERS = ",\t;，"
# A workbook whose styles use a percentage format (built-in 9 / 10, or a custom one with %).
PERCENT_STYLES = re.compile(rb'numFmtId="(?:9|10)"|formatCode="[^"]*%')
QUOTED_IN_FORMAT = re.compile(r'"[^"]*"|\\.')  # literal text in a number format


class UnreadableFile(MetricsError):
    """The file cannot be read as a table, or reading it would pass a limit; carries the
    problem to report (its message says why, in Chinese)."""

    def __init__(self, found: Problem):
        super().__init__(found.message, found.hint)
        self.problem = found


def unreadable(detail: str) -> UnreadableFile:
    """The file is not a table we can read, for the reason given."""
    return UnreadableFile(problem("unreadable-file", None, "", detail=detail))


@dataclass(frozen=True)
class Grid:
    """A sheet's cells as text: one string column per sheet column, one row per sheet row,
    '' for an empty cell; `row_numbers[i]` is the Excel row of the i-th row."""
    cells: pd.DataFrame
    row_numbers: np.ndarray
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    encoding: str | None = None
    hidden_sheets: list[str] = field(default_factory=list)
    # (Excel row, column position) → the date, for cells Excel stores as dates: a year in a
    # 年份 column, but never a value (Excel turns 1-5 typed in a cell into 5 January).
    dates: dict[tuple[int, int], str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # rows or cells that cannot be read

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


BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))


def decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with."""
    encoding = next((name for bom, name in BOMS if raw.startswith(bom)), None) \
        or wide_encoding(raw[:4096])
    if encoding is not None:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise unreadable(f"文件看起来是 {encoding.upper()} 编码，但有无法解码的内容（第 "
                             f"{exc.start:,} 字节处），文件可能已损坏。") from exc
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise unreadable("文件编码无法识别：既不是 UTF-8，也不是 GBK/GB18030。"
                         "请在 Excel 中另存为“CSV UTF-8”或 .xlsx 后再上传。") from exc


def wide_encoding(sample: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte order mark, told by where the NUL bytes fall: the
    digits, commas and line ends of a table are ASCII, whose high bytes are NUL. None for
    a text without NULs (UTF-8, GBK never hold one)."""
    if b"\x00" not in sample:
        return None
    sample = sample[:len(sample) // 4 * 4]
    nul = [sample[i::4].count(0) for i in range(4)]
    quarter = len(sample) // 4
    if nul[2] == nul[3] == quarter:
        return "utf-32-le"
    if nul[0] == nul[1] == quarter:
        return "utf-32-be"
    odd, even = nul[1] + nul[3], nul[0] + nul[2]
    return "utf-16-le" if odd > 3 * even else "utf-16-be" if even > 3 * odd else None


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
        try:
            widths = Counter(len(row) for row in csv.reader(sample, delimiter=delimiter))
        except csv.Error:  # a cell past the csv module's limit: not what this one splits
            continue
        width, lines = max(widths.items(), key=lambda item: (item[1], item[0]),
                           default=(0, 0))
        if width >= 2 and (lines, width) > best_score:
            best, best_score = delimiter, (lines, width)
    return best


def read_csv_text(text: str, encoding: str, limits: UploadSettings) -> Grid:
    """Parse delimited text; ragged rows are kept, never dropped, and every cell is stripped.
    A cell longer than the limit or more columns than the limit are refused; an unclosed
    quote is reported at its row."""
    try:
        grid = parse_csv_text(text, encoding, limits)
    except csv.Error as exc:  # the csv module's field limit, far above any real cell
        raise UnreadableFile(problem("cell-too-long", None, "",
                                     limit=f"{limits.max_cell_chars:,}")) from exc
    check_cell_lengths(grid, limits)
    return grid


def parse_csv_text(text: str, encoding: str, limits: UploadSettings) -> Grid:
    """The cells of delimited text, by the fastest parser that accepts it. A row wider than
    the column limit is refused before a parser makes a frame of that width."""
    delimiter = sniff_delimiter(text)
    first = next(csv.reader(first_lines(text, 1), delimiter=delimiter), [])
    cells = None
    if len(delimiter.encode()) == 1:  # Arrow and pandas split on one byte only, not on ，
        encoded = text.encode("utf-8")
        cells, width = parse_rectangular(encoded, delimiter, max(len(first), 1))
        check_width(width, limits)
        if cells is None:
            cells = parse_ragged(encoded, delimiter, width)
    if cells is None:
        rows = parse_any(text, delimiter)
        check_width(max(map(len, rows), default=0), limits)
        return grid_of_rows(rows, encoding=encoding, problems=quote_problems(text, delimiter))
    # The fast parsers join "5"1 into 51 without a word: a text with a quote in the middle of
    # a cell is read once more, strictly, to find where.
    odd = ('"' in text and re.search(odd_quote_pattern(delimiter), text) is not None)
    return grid_of_cells(cells.apply(lambda column: column.str.strip()), encoding=encoding,
                         problems=quote_problems(text, delimiter) if odd else [])


def check_width(width: int, limits: UploadSettings) -> None:
    """Refuse delimited text whose widest row has more cells than the column limit."""
    if width > limits.max_columns:
        raise inspection.Refused(problem("file-too-large", None, "", detail=(
            f"文件中最宽的一行有 {width:,} 列，超过上限 {limits.max_columns:,} 列。")))


def check_cell_lengths(grid: Grid, limits: UploadSettings) -> None:
    """Refuse a grid with a cell longer than the limit, naming the first such cell."""
    lengths = grid.cells.apply(lambda column: column.str.len()).fillna(0).to_numpy()
    if lengths.size and lengths.max() > limits.max_cell_chars:
        row, column = np.argwhere(lengths > limits.max_cell_chars)[0]
        raise UnreadableFile(problem("cell-too-long", int(grid.row_numbers[row]),
                                     inspection.column_letters(int(column) + 1),
                                     limit=f"{limits.max_cell_chars:,}"))


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


def quote_problems(text: str, delimiter: str) -> list[Problem]:
    """Quotes that change what a cell holds, each at its row: a quote opened and never closed
    swallows the rest of the file into one cell; text after a closing quote is joined to the
    quoted part by every parser ("5"1 → 51). The csv module, strict, stops at both; after an
    odd quote it goes on with the next line."""
    lines = LinesRead(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    found, records, lines_before = [], 0, 0
    while True:
        try:
            next(reader)
        except StopIteration:
            return found
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                return found + [problem("unclosed-quote", records + 1, "",
                                        lines=f"{reader.line_num - lines_before - 1:,}")]
            if "expected after" in str(exc):  # ',' expected after '"'
                found.append(odd_quote(lines.last, delimiter, records + 1))
        records += 1
        lines_before = reader.line_num


class LinesRead:
    """The lines of a text for the csv module, remembering the last one it was given."""

    def __init__(self, text: str):
        self.lines = iter(io.StringIO(text, newline=""))
        self.last = ""

    def __iter__(self):
        return self

    def __next__(self) -> str:
        self.last = next(self.lines)
        return self.last


def odd_quote(line: str, delimiter: str, row: int) -> Problem:
    """The problem of a line with text after a closing quote, naming the cell as written."""
    match = re.search(odd_quote_pattern(delimiter), line)
    at = match.start() + 1 if match else 0
    start = line.rfind(delimiter, 0, at) + 1
    end = min((i for i in (line.find(delimiter, at), len(line.rstrip("\r\n"))) if i >= 0))
    return problem("odd-quote", row, inspection.column_letters(line.count(delimiter, 0, at) + 1),
                   text=line[start:end].strip())


def odd_quote_pattern(delimiter: str) -> str:
    """A quote between two characters that are neither the delimiter, a line end nor another
    quote: the end of "5"1, or a quote inside an unquoted cell (5"1)."""
    other = f'[^{re.escape(delimiter)}\r\n"]'
    return f'{other}"{other}'


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


def percent_cells(raw: bytes, sheet: str, extent: Extent) -> set[tuple[int, int]]:
    """(row, column) indexes, from 0, of the sheet's numeric cells formatted as percentages:
    Excel stores 98.5% as 0.985 and calamine gives values without formats. openpyxl is only
    asked when the workbook's styles use a percentage format at all, and only for the data's
    extent (its read-only mode streams the sheet)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            styles = archive.read("xl/styles.xml")
        if not PERCENT_STYLES.search(styles):
            return set()
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
    except Exception:  # not an OOXML workbook (xls, ods) or a damaged one: no formats known
        return set()
    try:
        rows = book[sheet].iter_rows(min_row=1, min_col=1, max_row=extent.rows,
                                     max_col=extent.columns)
        return {(r, c) for r, row in enumerate(rows) for c, cell in enumerate(row)
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)
                and is_percent_format(getattr(cell, "number_format", None))}
    finally:
        book.close()


def percent_text(value: float) -> str:
    """A percentage-formatted cell as Excel shows it: 0.985 → '98.5%'."""
    return cell_text(float(value) * 100) + "%"


@dataclass(frozen=True)
class SheetChoice:
    """The sheet to read, its data's extent, and what the inspection found."""
    name: str
    extent: Extent
    streamed: bool = False  # read by openpyxl in read-only mode: the reader would allocate
    #                         an empty area far beyond the data (empty strings at CV900000)
    problems: list[Problem] = field(default_factory=list)


def open_workbook(raw: bytes):
    """calamine's workbook, or UnreadableFile for a damaged or encrypted one."""
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
    except Exception as exc:  # calamine raises several unrelated types for a damaged file
        raise unreadable(f"无法读取该 Excel 文件（{exc}）。请确认文件未损坏、未加密。") from exc


def choose_sheet(book, sheet: str | None) -> str:
    """The named sheet, else the first visible one (a hidden sheet is often an old copy or a
    lookup list, never what a person sees on opening the file)."""
    names = list(book.sheet_names)
    if sheet is not None and sheet not in names:
        raise unreadable(f"工作簿中没有名为「{sheet}」的工作表，现有：{'、'.join(names)}。")
    return sheet or next(iter(visible_sheets(book)), names[0])


def visible_sheets(book) -> list[str]:
    return [m.name for m in book.sheets_metadata
            if m.visible == python_calamine.SheetVisibleEnum.Visible]


def inspect_xlsx(archive: zipfile.ZipFile, name: str, limits: UploadSettings,
                 deadline: float) -> SheetChoice:
    """The sheet's extent and uncalculated formulas, from its XML, before it is loaded."""
    try:
        path = inspection.sheet_paths(archive)[name]
        scan = inspection.scan_sheet(archive, path, limits, deadline)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError) as exc:
        raise unreadable(f"该 Excel 文件已损坏（{exc}）。") from exc
    inspection.check_extent(scan.filled, name, limits)
    held_too_large = (scan.held.cells > limits.max_cells_per_sheet
                      or scan.held.columns > limits.max_columns)
    uncalculated = [problem("formula-not-calculated", int(re.sub(r"\D", "", ref)),
                            re.sub(r"\d", "", ref), cell=ref) for ref in scan.uncalculated]
    return SheetChoice(name, scan.filled, held_too_large, uncalculated)


def read_excel(raw: bytes, sheet: str | None, limits: UploadSettings) -> Grid:
    """One sheet of a workbook (the first visible, unless named), row numbers as Excel shows
    them, read only after its size is known to be within the limits."""
    deadline = time.monotonic() + limits.max_read_seconds
    is_zip = zipfile.is_zipfile(io.BytesIO(raw))
    archive = zipfile.ZipFile(io.BytesIO(raw)) if is_zip else None
    if archive is not None:
        inspection.check_archive(archive, limits)
        refuse_unsized_formats(archive)
    book = open_workbook(raw)
    name = choose_sheet(book, sheet)
    if archive is not None and "xl/workbook.xml" in archive.namelist():
        choice = inspect_xlsx(archive, name, limits, deadline)
    else:  # .xls / .et (at most 65,536 × 256 cells): the size is known once loaded
        loaded = load_sheet(book, name)
        choice = SheetChoice(name, Extent(loaded.height, loaded.width))
        inspection.check_extent(choice.extent, name, limits)
    values = (streamed_values(raw, choice) if choice.streamed
              else calamine_values(book, choice))
    inspection.check_deadline(deadline, limits)
    hidden = [n for n in book.sheet_names if n not in visible_sheets(book)]
    return grid_of_values(values, percent_cells(raw, name, choice.extent), sheet=name,
                          sheet_names=list(book.sheet_names), hidden_sheets=hidden,
                          problems=choice.problems)


def refuse_unsized_formats(archive: zipfile.ZipFile) -> None:
    """Refuse a zipped workbook other than .xlsx / .xlsm: .xlsb (binary sheets) and .ods
    (whose rows and cells may be repeated a million times by one attribute) cannot be sized
    up before the reader allocates the whole sheet, as an .xlsx is."""
    names = set(archive.namelist())
    if "xl/workbook.xml" in names:
        return
    kind = ("Excel 二进制工作簿（.xlsb）" if "xl/workbook.bin" in names
            else "OpenDocument 表格（.ods）" if "content.xml" in names else None)
    if kind:
        raise unreadable(f"不支持{kind}：这种文件无法在读取前核对其大小。"
                         "请在 Excel 或 WPS 中另存为 .xlsx 后再上传。")


def calamine_values(book, choice: SheetChoice) -> list[list]:
    """The cells of the data's extent, by calamine (the whole sheet is within the limits)."""
    try:
        rows = load_sheet(book, choice.name).to_python(skip_empty_area=False,
                                                       nrows=choice.extent.rows)
    except Exception as exc:  # calamine's XML errors have several unrelated types
        raise unreadable(f"该 Excel 文件已损坏（{exc}）。") from exc
    return [row[:choice.extent.columns] for row in rows]


def load_sheet(book, name: str):
    """calamine's sheet, or UnreadableFile when its XML is damaged."""
    try:
        return book.get_sheet_by_name(name)
    except Exception as exc:  # calamine's XML errors have several unrelated types
        raise unreadable(f"该 Excel 文件已损坏（{exc}）。") from exc


def streamed_values(raw: bytes, choice: SheetChoice) -> list[list]:
    """The cells of the data's extent, streamed by openpyxl without the empty area beyond."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            return [list(row) for row in book[choice.name].iter_rows(
                max_row=choice.extent.rows, max_col=choice.extent.columns, values_only=True)]
        finally:
            book.close()
    except Exception as exc:  # openpyxl's XML and format errors have many types
        raise unreadable(f"该 Excel 文件已损坏（{exc}）。") from exc


def grid_of_values(values: list[list], percent: set[tuple[int, int]], **details) -> Grid:
    """A Grid of Excel values as text, percentages as shown and dates noted."""
    rows = [[percent_text(v) if (r, c) in percent else cell_text(v) for c, v in enumerate(row)]
            for r, row in enumerate(values)]
    dates = {(r + 1, c): v.isoformat()[:10] for r, row in enumerate(values)
             for c, v in enumerate(row) if isinstance(v, (dt.datetime, dt.date))}
    return grid_of_rows(rows, dates=dates, **details)


def read_grid(raw: bytes, file_name: str, sheet: str | None = None, *,
              limits: UploadSettings) -> Grid:
    """Read an upload by its file name's extension (Excel) or as delimited text (CSV, TXT),
    within the limits; UnreadableFile with the problem otherwise."""
    if not raw:
        raise unreadable("文件是空的。")
    try:
        if file_name.lower().endswith(EXCEL_SUFFIXES) or raw[:4] in (b"PK\x03\x04",
                                                                      b"\xd0\xcf\x11\xe0"):
            return read_excel(raw, sheet, limits)
        text, encoding = decode(raw)
        return read_csv_text(text, encoding, limits)
    except inspection.Refused as exc:
        raise UnreadableFile(exc.problem) from exc
