"""Files built to break a reader, a few KB each: workbooks written as raw XML parts (a cell at
XFD1048576, a zip bomb of rows, formulas never calculated, a hidden first sheet) and CSV
texts. Nothing large is committed; each test builds what it needs."""
from __future__ import annotations

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>')
SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
              'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
ROOT_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')
BOOK = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships"><sheets>{sheets}</sheets></workbook>')
BOOK_RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
             'package/2006/relationships">{rels}</Relationships>')
SHEET_REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
             '2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>')
SHEET_HEAD = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              'spreadsheetml/2006/main">{dimension}<sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def number_cell(ref: str, value) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


def row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def long_table(*values: tuple[str, str, str, str]) -> str:
    """Rows of a long table under the header 指标, 地区, 年份, 数值, from Excel row 1."""
    rows = [("指标", "地区", "年份", "数值"), *values]
    return "".join(row(n, *(text_cell(f"{col}{n}", v) for col, v in zip("ABCD", cells)))
                   for n, cells in enumerate(rows, start=1))


def workbook(*sheets: tuple[str, str], hidden: tuple[str, ...] = (),
             dimension: str | None = None) -> bytes:
    """An .xlsx of (sheet name, <sheetData> XML) pairs, some sheets hidden."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        write_frame(archive, [name for name, _ in sheets], hidden)
        for n, (_, data) in enumerate(sheets, start=1):
            head = SHEET_HEAD.format(dimension=f'<dimension ref="{dimension}"/>'
                                     if dimension else "")
            archive.writestr(f"xl/worksheets/sheet{n}.xml", head + data + SHEET_TAIL)
    return buffer.getvalue()


def write_frame(archive: zipfile.ZipFile, names: list[str], hidden: tuple[str, ...]) -> None:
    """Every part but the sheets themselves."""
    numbers = range(1, len(names) + 1)
    archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(
        overrides="".join(SHEET_TYPE.format(n=n) for n in numbers)))
    archive.writestr("_rels/.rels", ROOT_RELS)
    archive.writestr("xl/workbook.xml", BOOK.format(sheets="".join(
        f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"'
        + (' state="hidden"' if name in hidden else "") + "/>"
        for n, name in zip(numbers, names))))
    archive.writestr("xl/_rels/workbook.xml.rels",
                     BOOK_RELS.format(rels="".join(SHEET_REL.format(n=n) for n in numbers)))


def row_bomb(rows: int) -> bytes:
    """A workbook of about 1.6 MB for 4 million rows: the same row, without its number (the
    format allows it), packed a thousand times over."""
    buffer = io.BytesIO()
    same = ("<row>" + "<c><v>1</v></c>" * 4 + "</row>").encode() * 10_000
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        write_frame(archive, ["数据"], ())
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(SHEET_HEAD.format(dimension='').encode() + LONG_HEADER.encode())
            for _ in range(rows // 10_000):
                part.write(same)
            part.write(SHEET_TAIL.encode())
    return buffer.getvalue()


LONG_HEADER = long_table()


def zipped(parts: dict[str, str]) -> bytes:
    """A zip of the named parts, e.g. the bones of an .ods or an .xlsb."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


# An .ods whose one filled row is repeated a million times, each of its cells 16,384 times:
# 17 billion cells from 300 bytes of XML (calamine, reading it from a path, refuses past 100M
# cells, which is still 3 GB; from the bytes of an upload it cannot tell it is an .ods).
REPEATED_ODS = zipped({
    "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
    "META-INF/manifest.xml": '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:'
                             'names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                             'manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
                             'opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
                             '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
    "content.xml": '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:'
                   'tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:'
                   'opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:'
                   'xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="数据">'
                   '<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
                   'table:number-columns-repeated="16384" office:value-type="float" '
                   'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
                   '</table:table></office:spreadsheet></office:body></office:document-content>'})
BINARY_WORKBOOK = zipped({"[Content_Types].xml": "<Types/>", "xl/workbook.bin": "\x00" * 64})
