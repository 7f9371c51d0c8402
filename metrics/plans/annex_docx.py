"""A plan's indicator table as offices have it in the plan's Word annex (.docx), read into the
same grid an .xlsx gives, so the annex reader (metrics/plans/annex) finds the header, the rows
and every problem the same way.

Cells merged in Word count for every cell they cover, as merged Excel cells do: a cell spanning
columns (gridSpan) fills each of them, one spanning rows (vMerge, one 牵头单位 for several
indicators) fills each row. A table split across pages is often two tables, the second
repeating the header: the tables after the one holding the header that have its columns
continue it, their repeated header rows left out. Rows are numbered as they stand in the
table(s), from 1. Read from the document's XML, as metrics/uploads/narrative_text reads reports:
python-docx belongs to the briefing's writer (metrics/reports).
"""
from __future__ import annotations

import io
import xml.etree.ElementTree as ElementTree
import zipfile

import pandas as pd

from metrics.settings import UploadSettings
from metrics.uploads import inspection, reading
from metrics.uploads.narrative_text import W, paragraph_text
from metrics.uploads.reading import Grid

DOCX_SUFFIXES = (".docx",)


def is_word(raw: bytes, file_name: str) -> bool:
    """Whether the file is a Word document: by its name, or a zip holding word/document.xml."""
    if file_name.lower().endswith(DOCX_SUFFIXES):
        return True
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        return False
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return "word/document.xml" in archive.namelist()


def read_grid(raw: bytes, limits: UploadSettings, find_header) -> Grid:
    """The annex table of a .docx as a grid; `find_header(grid)` (annex.find_header) tells
    where a table's header is, None when it has none. UnreadableFile when the file is no Word
    document or holds no table."""
    tables = [table_rows(table) for table in body(raw, limits).iter(f"{W}tbl")]
    if not tables:
        raise reading.unreadable("Word 文件中没有表格：请上传规划附件中含“指标”“目标值”等列的表格。")
    headers = [find_header(reading.grid_of_cells(rectangular(rows))) for rows in tables]
    first = next((i for i, found in enumerate(headers) if found is not None), 0)
    rows = list(tables[first])
    heading = rows[headers[first][0]] if headers[first] is not None else None
    width = rectangular(rows).shape[1]
    for later in tables[first + 1:]:
        if rectangular(later).shape[1] != width:
            break
        rows += [row for row in later if row != heading]
    return reading.grid_of_cells(rectangular(rows))


def body(raw: bytes, limits: UploadSettings) -> ElementTree.Element:
    """The document's body, once its archive is known to be within the limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            inspection.check_archive(archive, limits)
            document = ElementTree.fromstring(archive.read("word/document.xml"))
    except inspection.Refused as exc:
        raise reading.UnreadableFile(exc.problem) from exc
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise reading.unreadable("文件不是有效的 Word（.docx）文件；.doc 请先在 Word 或 WPS 中另存为"
                                 " .docx。") from exc
    found = document.find(f"{W}body")
    return found if found is not None else ElementTree.Element(f"{W}body")


def table_rows(table: ElementTree.Element) -> list[list[str]]:
    """A w:tbl as rows of cell texts, one per grid column: a cell spanning columns fills each,
    a cell continuing a vertical merge takes the text of the cell above it. A table inside a
    cell is not part of the annex's rows (only the table's own rows are read)."""
    rows: list[list[str]] = []
    for row in table.findall(f"{W}tr"):
        skipped = row.find(f"{W}trPr/{W}gridBefore")
        cells = [""] * (int(skipped.get(f"{W}val", "0")) if skipped is not None else 0)
        for cell in row.findall(f"{W}tc"):
            span = cell.find(f"{W}tcPr/{W}gridSpan")
            width = int(span.get(f"{W}val", "1")) if span is not None else 1
            merge = cell.find(f"{W}tcPr/{W}vMerge")
            continues = merge is not None and merge.get(f"{W}val", "continue") == "continue"
            above = rows[-1] if rows else []
            position = len(cells)
            if continues and position < len(above):
                cells.extend(above[position:position + width])
            else:
                text = "".join(paragraph_text(p) for p in cell.findall(f"{W}p")).strip()
                cells.extend([text] * width)
        rows.append(cells)
    return rows


def rectangular(rows: list[list[str]]) -> pd.DataFrame:
    """Rows of cell texts as a frame, short rows filled with empty cells."""
    width = max((len(row) for row in rows), default=0)
    return pd.DataFrame([row + [""] * (width - len(row)) for row in rows],
                        columns=range(width), dtype="string")
