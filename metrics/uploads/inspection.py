"""What an .xlsx holds, found before it is loaded: the sizes its parts unpack to, and for one
sheet the real extent of its data and its formulas without a calculated value.

An .xlsx is a zip of XML parts. Its declared sizes can lie and it can unpack to a thousand
times its size; the reader (calamine) allocates every cell of a sheet's extent at once, so one
cell at XFD1048576 asks for 17 billion cells. Here nothing is held but a few megabytes of XML
at a time: the zip's directory is checked first, then the sheet's XML is streamed in chunks and
scanned with regular expressions for cell references. Python's zipfile never unpacks more than
a part's declared size and checks its CRC, so a lying size ends as a damaged file.
"""
from __future__ import annotations

import posixpath
import re
import time
import xml.etree.ElementTree as ElementTree
import zipfile
from dataclasses import dataclass, field

from metrics.settings import UploadSettings
from metrics.uploads.problems import Problem, problem

CHUNK_BYTES = 4 << 20
# Parts smaller than this are not held to the compression ratio: tiny XML packs very well.
RATIO_GRACE_BYTES = 1 << 20
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# A cell holding something (not self-closing): its column letters and row number …
HELD_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*(?<!/)>')
# … and one whose content is not empty either (calamine keeps empty strings as cells).
FILLED_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*(?<!/)>'
                         rb'(?!</c>|<v\s*/>|<v></v>|<is>\s*<t\s*/>\s*</is>|<is>\s*<t></t>\s*</is>)')
# A formula cell saved without its result (written by a program, never calculated).
UNCALCULATED = re.compile(rb'<c r="([A-Z]{1,3}\d{1,7})"[^>]*(?<!/)>\s*<f[^>]*(?:/>|>[^<]*</f>)'
                          rb'\s*(?:<v\s*/>|<v></v>)?\s*</c>')


class Refused(Exception):
    """A limit is exceeded, or the workbook is damaged; carries the problem to report."""

    def __init__(self, found: Problem):
        super().__init__(found.message)
        self.problem = found


@dataclass
class Extent:
    """The last row (1-based) and column (1-based) of cells in a sheet; 0 when none."""
    rows: int = 0
    columns: int = 0

    def widen(self, letters: set[bytes], last_row: int) -> None:
        if letters:
            self.columns = max(self.columns, max(map(column_number, letters)))
        self.rows = max(self.rows, last_row)

    @property
    def cells(self) -> int:
        return self.rows * self.columns


@dataclass
class SheetScan:
    """A sheet's XML, scanned: the extent the reader would allocate (`held`), the extent of
    the cells with content (`filled`), and the cells of formulas without a result."""
    held: Extent = field(default_factory=Extent)
    filled: Extent = field(default_factory=Extent)
    uncalculated: list[str] = field(default_factory=list)
    row_tags: int = 0  # <row> elements seen, for rows written without their number


def widen_by_position(scan: SheetScan, text: bytes) -> None:
    """Rows and cells may be written without their reference (r="B7"), each then following
    the one before: the extents grow by the rows counted and the most cells in one row."""
    widest = max(row.count(b"<c>") + row.count(b"<c ") for row in text.split(b"<row"))
    for extent in (scan.held, scan.filled):
        extent.rows = max(extent.rows, scan.row_tags)
        extent.columns = max(extent.columns, widest)


def column_number(letters: bytes) -> int:
    """b'A' → 1, b'XFD' → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def column_letters(number: int) -> str:
    """1 → 'A', 16384 → 'XFD'."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def check_archive(archive: zipfile.ZipFile, limits: UploadSettings) -> None:
    """Refuse a workbook whose parts unpack, as declared, beyond the limits."""
    members = archive.infolist()
    inflated = sum(member.file_size for member in members)
    if inflated > limits.max_inflated_mb << 20:
        raise Refused(problem("file-too-large", None, "", detail=(
            f"文件解压后为 {inflated / (1 << 20):,.0f} MB，超过上限 {limits.max_inflated_mb} MB。")))
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_GRACE_BYTES and ratio > limits.max_compression_ratio:
            raise Refused(problem("file-too-large", None, "", detail=(
                f"文件中的 {member.filename} 压缩了 {ratio:,.0f} 倍（上限 "
                f"{limits.max_compression_ratio} 倍），解压后会占用过多内存，可能是恶意文件。")))


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the path of its XML part, from the workbook and its relationships."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    paths = {}
    for sheet in book.iter(f"{MAIN}sheet"):
        target = targets.get(sheet.get(RELATIONSHIP_ID), "")
        paths[sheet.get("name")] = (target.lstrip("/") if target.startswith("/")
                                    else posixpath.normpath(posixpath.join("xl", target)))
    return paths


def scan_sheet(archive: zipfile.ZipFile, path: str, limits: UploadSettings,
               deadline: float) -> SheetScan:
    """Stream the sheet's XML once: extents and uncalculated formulas. Each chunk is cut after
    its last complete cell, the rest carried to the next, so no cell is split."""
    scan, carry = SheetScan(), b""
    with archive.open(path) as part:
        while chunk := part.read(CHUNK_BYTES):
            text = carry + chunk
            cut = max(text.rfind(b"</c>") + 4, text.rfind(b"<row"), 0)
            scan_chunk(scan, text[:cut])
            carry = text[cut:]
            if len(carry) > 4 * limits.max_cell_chars + CHUNK_BYTES:
                raise Refused(problem("cell-too-long", scan.held.rows or None, "",
                                      limit=f"{limits.max_cell_chars:,}"))
            check_deadline(deadline, limits)
    scan_chunk(scan, carry)
    return scan


def scan_chunk(scan: SheetScan, text: bytes) -> None:
    """Widen the extents by a chunk's cells (rows come in order: the last cell has the last
    row) and note its uncalculated formulas."""
    for extent, pattern in ((scan.held, HELD_CELL), (scan.filled, FILLED_CELL)):
        cells = pattern.findall(text)
        if cells:
            extent.widen({letters for letters, _ in cells}, int(cells[-1][1]))
    scan.row_tags += text.count(b"<row ") + text.count(b"<row>")
    if text.count(b"<c>") + text.count(b"<c ") > text.count(b'<c r="'):
        widen_by_position(scan, text)
    if b"<f" in text:
        scan.uncalculated.extend(ref.decode() for ref in UNCALCULATED.findall(text))


def check_deadline(deadline: float, limits: UploadSettings) -> None:
    """Refuse to go on reading past the time limit."""
    if time.monotonic() > deadline:
        raise Refused(problem("reading-timeout", None, "",
                              seconds=f"{limits.max_read_seconds:g}"))


def check_extent(extent: Extent, sheet: str, limits: UploadSettings) -> None:
    """Refuse a sheet whose data has more cells or columns than the limits allow."""
    if extent.cells > limits.max_cells_per_sheet or extent.columns > limits.max_columns:
        limit = (f"{limits.max_cells_per_sheet:,} 个单元格" if extent.columns <= limits.max_columns
                 else f"{limits.max_columns:,} 列")
        raise Refused(problem("sheet-too-large", None, "", sheet=sheet,
                              extent=f"A1:{column_letters(extent.columns)}{extent.rows}",
                              rows=f"{extent.rows:,}", columns=f"{extent.columns:,}",
                              limit=limit))
