"""A narrative report (工作总结, 自评报告, a speech) as plain text to search for figures: pasted
text, a .txt in any encoding the importer reads (metrics.uploads.reading.decode), a .docx
(paragraphs and tables, in document order) or a PDF's text layer (PDFium). The text is
repaired the way reports arrive: lines broken inside sentences (PDF and web copies) joined,
spaces between digits and characters removed, stray pinyin and a title repeated on the next
line dropped.

Matching then works on `searchable(text)`, which has exactly the same length, so a position
found in it is a position in the repaired text a person reads: traditional characters become
simplified (OpenCC t2s, character for character) and full-width forms half-width.
"""
from __future__ import annotations

import io
import re
import time
import unicodedata
import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path

import opencc
import pypdfium2 as pdfium

from metrics.settings import UploadSettings
from metrics.uploads import inspection, reading

TEXT_SUFFIXES = (".txt", ".text")
DOCX_SUFFIXES = (".docx",)
PDF_SUFFIXES = (".pdf",)
MAX_PDF_PAGES = 500  # a report is tens of pages; a PDF of thousands is not a report
# Characters of a report's text: the page's paste box holds no more, and a text file named on
# the command line is held to the same.
MAX_REPORT_CHARS = 200_000
# A file of this many bytes holds more than MAX_REPORT_CHARS characters in any encoding read
# (UTF-8, GB18030 and UTF-32 take at most four bytes a character, after a byte order mark of at
# most four), so a text file is never read further.
TEXT_FILE_BYTES = 4 * (MAX_REPORT_CHARS + 1) + 1
# A line ending like this ends its sentence; any other line break in a long line is a break
# the PDF or the web page put inside a sentence.
SENTENCE_END = "。！？；：!?;:…”」』）)"
# A line starting like this is a heading or a list item, never the rest of the line above.
HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|"
                           r"\d+[、.．](?!\d)|第[一二三四五六七八九十\d]+[章节条部分])")
SHORT_LINE = 25  # a line this short without a comma is a title: kept on its own
NEAR = r"[\u3400-\u9fff\d.%‰/]"
SPACE_INSIDE = re.compile(rf"(?<={NEAR})[ \u3000\xa0]+(?={NEAR})")
# 「15.2 12.8」: two decimals side by side are two numbers (a table's cells), kept apart.
TWO_DECIMALS = re.compile(r"\d\.\d+[ \u3000\xa0]+\d+\.\d")
TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN = re.compile(rf"[ \t]*\b[a-zü{TONE_MARKS}]*[{TONE_MARKS}][a-zü{TONE_MARKS}]*\b[ \t]*")
FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
RADICALS = re.compile(r"[\u2e80-\u2fdf]")
YEAR_HEADING = re.compile(r"(?:19|20)\d{2}年")
UNIT_HEADING = re.compile(r"[（(]([^（）()]+)[）)]\s*$")
TRADITIONAL = opencc.OpenCC("t2s")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class UnreadableReport(Exception):
    """The report cannot be read as text; the message says why, in Chinese."""


def report_text(raw: bytes, file_name: str, limits: UploadSettings) -> str:
    """The repaired text of a report file: .txt (UTF-8, UTF-16/32, GBK/GB18030), .docx or
    .pdf (its text layer), within the upload reading limits (a .docx is a zip, checked like a
    workbook; a PDF is read page by page within the reading time)."""
    suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix in DOCX_SUFFIXES:
        return repaired(docx_text(raw, limits))
    if suffix in PDF_SUFFIXES:
        return repaired(pdf_text(raw, limits))
    if suffix in TEXT_SUFFIXES:
        return repaired(plain_text(raw))
    raise UnreadableReport(f"不支持的文件类型「{suffix or file_name}」：请上传 .txt、.docx 或 "
                           ".pdf 文件，或直接粘贴文字。")


def report_file_text(path: Path, limits: UploadSettings) -> str:
    """`report_text` of a file named on the command line; a text file is held to the paste
    box's MAX_REPORT_CHARS, and refused beyond it before the rest of it is read."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return report_text(path.read_bytes(), path.name, limits)
    with path.open("rb") as file:
        raw = file.read(TEXT_FILE_BYTES)
    if len(raw) == TEXT_FILE_BYTES:
        raise too_long()
    text = plain_text(raw)
    if len(text) > MAX_REPORT_CHARS:
        raise too_long()
    return repaired(text)


def too_long() -> UnreadableReport:
    """The refusal of a text longer than MAX_REPORT_CHARS, saying what to do instead."""
    return UnreadableReport(f"报告超过 {MAX_REPORT_CHARS:,} 字（与页面粘贴文字的上限相同），未读取。"
                            "请只保留含数据的部分，或分成几个文件分别提取。")


def plain_text(raw: bytes) -> str:
    """A text file's text, in whichever encoding the importer reads."""
    try:
        return reading.decode(raw)[0]
    except reading.UnreadableFile as exc:
        raise UnreadableReport(str(exc)) from exc


def docx_text(raw: bytes, limits: UploadSettings) -> str:
    """Paragraphs and tables of a .docx in document order, one line each; a table row becomes
    sentences such as 「2015年，孕产妇死亡率为11.2/10万。」 (see `table_lines`). Read from the
    document's XML: python-docx belongs to the briefing's writer (metrics/reports)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            inspection.check_archive(archive, limits)
            body = ElementTree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
    except inspection.Refused as exc:
        raise UnreadableReport(str(exc)) from exc
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise UnreadableReport("文件不是有效的 Word（.docx）文件；.doc 请先在 Word 或 WPS 中"
                               "另存为 .docx。") from exc
    lines = []
    for block in body if body is not None else ():
        if block.tag == f"{W}p":
            lines.append(paragraph_text(block))
        elif block.tag == f"{W}tbl":
            lines.extend(table_lines(table_rows(block)))
    return "\n".join(lines)


def pdf_text(raw: bytes, limits: UploadSettings) -> str:
    """The text layer of a PDF, page after page (PDFium); its lines are broken where the page
    broke them, which `repaired` undoes."""
    started, pages = time.monotonic(), []
    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        raise UnreadableReport("文件不是有效的 PDF，或已加密、损坏。") from exc
    try:
        if len(document) > MAX_PDF_PAGES:
            raise UnreadableReport(f"PDF 有 {len(document):,} 页，超过上限 {MAX_PDF_PAGES} 页。")
        for page in document:
            pages.append(page.get_textpage().get_text_range())
            if time.monotonic() - started > limits.max_read_seconds:
                raise UnreadableReport(f"读取 PDF 超过 {limits.max_read_seconds:g} 秒，已停止。")
    finally:
        document.close()
    if not any(page.strip() for page in pages):
        raise UnreadableReport("PDF 中没有可读取的文字（可能是扫描件）：请用原始的 Word 文件，"
                               "或复制其中的文字粘贴。")
    return "\n".join(pages)


def paragraph_text(paragraph: ElementTree.Element) -> str:
    """The text of a w:p (its runs' w:t, tabs as spaces)."""
    return "".join(node.text or "" if node.tag == f"{W}t" else " "
                   for node in paragraph.iter() if node.tag in (f"{W}t", f"{W}tab"))


def table_rows(table: ElementTree.Element) -> list[list[str]]:
    """A w:tbl as rows of cell texts; a cell spanning columns (gridSpan) fills each of them,
    so cells stay under their headings."""
    rows = []
    for row in table.iter(f"{W}tr"):
        cells = []
        for cell in row.findall(f"{W}tc"):
            span = cell.find(f"{W}tcPr/{W}gridSpan")
            text = "".join(paragraph_text(p) for p in cell.findall(f"{W}p")).strip()
            cells.extend([text] * int(span.get(f"{W}val", "1") if span is not None else 1))
        rows.append(cells)
    return rows


def table_lines(rows: list[list[str]]) -> list[str]:
    """A table as sentences the extractor reads like prose: the heading rows at the top (no
    number in them but years) name the columns; each later row's first cell names what the
    row is about, and each other cell with a number becomes
    「{year heading，}{row label}为{value}{unit}。」 — a year in the column's headings (2015年)
    is the value's year, a unit in them or in the label (（%）) the value's unit."""
    count = next((i for i, row in enumerate(rows) if not is_heading_row(row)), len(rows))
    if count == 0 or count == len(rows):
        return [" ".join(row) for row in rows]
    width = max(map(len, rows))
    headings = ["".join(dict.fromkeys(row[j] for row in rows[:count] if j < len(row)))
                for j in range(width)]
    lines = []
    for row in rows[count:]:
        sentences = [cell_sentence(row[0], heading, cell)
                     for heading, cell in zip(headings[1:], row[1:])
                     if cell and re.search(r"\d|[一二三四五六七八九十]", cell)]
        lines.append(" ".join(sentences) if sentences else " ".join(row))
    return lines


def is_heading_row(row: list[str]) -> bool:
    """A row of headings: no number in its cells after the first, except years."""
    return not any(re.search(r"\d", YEAR_HEADING.sub("", cell)) for cell in row[1:])


def cell_sentence(label: str, heading: str, cell: str) -> str:
    """One table cell as a sentence (see table_lines)."""
    year = YEAR_HEADING.search(heading)
    unit = UNIT_HEADING.search(heading) or UNIT_HEADING.search(label)
    label = UNIT_HEADING.sub("", label)
    # 1/10万 after a number reads as 15.21/10万: the unit is written /10万.
    written_unit = (unit.group(1).removeprefix("1") if unit.group(1).startswith("1/")
                    else unit.group(1)) if unit and re.fullmatch(r"[\d.,\s]+", cell) else ""
    lead = f"{year.group(0)}，" if year else ""
    return f"{lead}{label}为{cell}{written_unit}。"


def repaired(text: str) -> str:
    """Text with the damage of PDF and web copies undone: radicals some PDF fonts map 女 and
    儿 to (⼥ U+2F25, ⼉ U+2F09; copied from a PDF viewer they stay) made characters again,
    lines broken inside sentences joined, spaces between digits and characters removed
    (「14.3/10 万」), stray pinyin dropped, a line repeating the line above (a duplicated
    title) dropped."""
    text = RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    lines = pasted_tables([
        spaces_removed(PINYIN.sub("", line)).strip()
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")])
    kept: list[str] = []
    for line in lines:
        if not line:
            if kept and kept[-1]:
                kept.append("")
            continue
        previous = next((earlier for earlier in reversed(kept) if earlier), "")
        if line == previous:
            continue
        if kept and kept[-1] and joins(kept[-1], line):
            kept[-1] += line
        else:
            kept.append(line)
    return "\n".join(kept).strip()


def spaces_removed(line: str) -> str:
    """A line without the spaces a PDF puts inside numbers and between characters
    (「14.3/10 万」, 「4.2 6‰」), keeping the space between two decimals (「15.2 12.8」)."""
    kept = {m.start() + m.group(0).index(" ") for m in TWO_DECIMALS.finditer(line.replace(
        "\u3000", " ").replace("\xa0", " "))}
    return SPACE_INSIDE.sub(lambda m: " " if m.start() in kept else "", line)


def pasted_tables(lines: list[str]) -> list[str]:
    """Runs of two or more tab-separated lines (a table copied from Word, WPS or Excel) as the
    sentences a .docx table becomes (table_lines); other lines as they are."""
    out: list[str] = []
    run: list[list[str]] = []
    for line in lines + [""]:
        if "\t" in line:
            run.append([cell.strip() for cell in line.split("\t")])
            continue
        if len(run) >= 2:
            out.extend(table_lines(run))
        else:
            out.extend(" ".join(row) for row in run)
        run = []
        out.append(line)
    return out[:-1]


def joins(line: str, following: str) -> bool:
    """Whether `following` continues the sentence `line` was cut in."""
    if line[-1] in SENTENCE_END or HEADING_START.match(following):
        return False
    return "，" in line or "," in line or len(line) >= SHORT_LINE


def searchable(text: str) -> str:
    """The text as the catalogue is matched against it: simplified characters, half-width
    digits and signs, the same length as `text` (a conversion that would change the length,
    which OpenCC's t2s phrases never do for these reports, is applied character by character)."""
    half = text.translate(FULL_WIDTH)
    simplified = TRADITIONAL.convert(half)
    if len(simplified) == len(half):
        return simplified
    return "".join(TRADITIONAL.convert(char)[:1] or char for char in half)
