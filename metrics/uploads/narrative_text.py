"""A narrative report (工作总结, 自评报告, a speech) as plain text to search for figures: pasted
text, a .txt in any encoding the importer reads (metrics.uploads.reading.decode), or a .docx
(paragraphs and tables, in document order). The text is repaired the way reports arrive:
lines broken inside sentences (PDF and web copies) joined, spaces between digits and characters
removed, stray pinyin and a title repeated on the next line dropped.

Matching then works on `searchable(text)`, which has exactly the same length, so a position
found in it is a position in the repaired text a person reads: traditional characters become
simplified (OpenCC t2s, character for character) and full-width forms half-width.
"""
from __future__ import annotations

import io
import re
import zipfile

import docx
import opencc
from docx.table import Table
from docx.text.paragraph import Paragraph

from metrics.uploads import reading

TEXT_SUFFIXES = (".txt", ".text")
DOCX_SUFFIXES = (".docx",)
REPORT_SUFFIXES = TEXT_SUFFIXES + DOCX_SUFFIXES
# A line ending like this ends its sentence; any other line break in a long line is a break
# the PDF or the web page put inside a sentence.
SENTENCE_END = "。！？；：!?;:…”」』）)"
# A line starting like this is a heading or a list item, never the rest of the line above.
HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|"
                           r"\d+[、.．](?!\d)|第[一二三四五六七八九十\d]+[章节条部分])")
SHORT_LINE = 25  # a line this short without a comma is a title: kept on its own
NEAR = r"[\u3400-\u9fff\d.%‰/]"
SPACE_INSIDE = re.compile(rf"(?<={NEAR})[ \t\u3000\xa0]+(?={NEAR})")
TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN = re.compile(rf"[ \t]*\b[a-zü{TONE_MARKS}]*[{TONE_MARKS}][a-zü{TONE_MARKS}]*\b[ \t]*")
FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
YEAR_HEADING = re.compile(r"(?:19|20)\d{2}年")
UNIT_HEADING = re.compile(r"[（(]([^（）()]+)[）)]\s*$")
TRADITIONAL = opencc.OpenCC("t2s")


class UnreadableReport(Exception):
    """The report cannot be read as text; the message says why, in Chinese."""


def report_text(raw: bytes, file_name: str) -> str:
    """The repaired text of a report file: .txt (UTF-8, UTF-16/32, GBK/GB18030) or .docx."""
    suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix in DOCX_SUFFIXES:
        return repaired(docx_text(raw))
    if suffix in TEXT_SUFFIXES:
        try:
            return repaired(reading.decode(raw)[0])
        except reading.UnreadableFile as exc:
            raise UnreadableReport(str(exc)) from exc
    raise UnreadableReport(f"不支持的文件类型「{suffix or file_name}」：请上传 .txt 或 .docx 文件，"
                           "或直接粘贴文字。")


def docx_text(raw: bytes) -> str:
    """Paragraphs and tables of a .docx in document order, one line each; a table row becomes
    sentences such as 「2015年，孕产妇死亡率为11.2/10万。」 (see `table_lines`)."""
    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableReport("文件不是有效的 Word（.docx）文件；.doc 请先在 Word 或 WPS 中"
                               "另存为 .docx。") from exc
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend(table_lines(block))
    return "\n".join(lines)


def table_lines(table: Table) -> list[str]:
    """A table as sentences the extractor reads like prose: the first row is the header; each
    later row's first cell names what the row is about, and each other cell with a number
    becomes 「{year heading，}{row label}为{value}{unit of the heading}。」 — a year in the
    heading (2015年) is the value's year, a unit in it (（%）) the value's unit."""
    rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
    if len(rows) < 2:
        return [" ".join(row) for row in rows]
    header, lines = rows[0], []
    for row in rows[1:]:
        label = row[0]
        sentences = [cell_sentence(label, heading, cell)
                     for heading, cell in zip(header[1:], row[1:])
                     if cell and re.search(r"\d|[一二三四五六七八九十]", cell)]
        lines.append(" ".join(s for s in sentences) if sentences else " ".join(row))
    return lines


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
    """Text with the damage of PDF and web copies undone: lines broken inside sentences
    joined, spaces between digits and characters removed (「14.3/10 万」), stray pinyin
    dropped, a line repeating the line above (a duplicated title) dropped."""
    lines = [SPACE_INSIDE.sub("", PINYIN.sub("", line)).strip()
             for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
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
