"""Government-document layout (GB/T 9704 habits) with python-docx: A4 with its margins, 仿宋
三号 text on a 28 pt line, 黑体 / 楷体 headings, ruled 五号 tables whose header repeats on each
page, page numbers 「— 1 —」, and the numerals of headings （一）（二）…. Chinese fonts are set on
the East Asian slot (w:eastAsia): Word ignores the plain font name for Chinese text. Machines
without these fonts substitute their own.
"""
from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from metrics.wording import is_dark

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"            # 一、 headings and table headers
SUBHEADING_FONT = "楷体_GB2312"  # （一） headings and the date line
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
BODY_SIZE, TABLE_SIZE = 16, 10.5   # 三号, 五号
NUMERALS = "零一二三四五六七八九"


def set_up_page(doc) -> None:
    """A4, GB/T 9704 margins, 仿宋 as the default font, page number in the footer."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    set_fonts(normal.element.get_or_add_rPr(), normal.font, BODY_FONT, BODY_SIZE)
    # Chinese line-breaking rules (no 。，at a line start) follow the East Asian language.
    language = OxmlElement("w:lang")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(language)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    style_run(footer.add_run("— "), BODY_FONT, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    footer._p.append(field)  # python-docx has no API for fields
    field.append(style_run(footer.add_run("1"), BODY_FONT, 14)._r)
    style_run(footer.add_run(" —"), BODY_FONT, 14)


def set_fonts(rpr, font, east_asian: str, size: float, bold: bool = False) -> None:
    """Latin digits in Times New Roman, Chinese in `east_asian`."""
    font.name, font.size, font.bold = LATIN_FONT, Pt(size), bold
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def style_run(run, east_asian: str, size: float, bold: bool = False):
    """Fonts and size of one run."""
    set_fonts(run._r.get_or_add_rPr(), run.font, east_asian, size, bold)
    return run


def paragraph(container, text: str, font: str = BODY_FONT, size: float = BODY_SIZE,
              bold: bool = False, centred: bool = False, indent: bool = False, line: float = 28):
    """A paragraph on a fixed line height (28 pt for 三号 text, as in official documents)."""
    para = container.add_paragraph()
    para.paragraph_format.line_spacing = Pt(line)
    para.paragraph_format.space_after = Pt(0)
    if centred:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent:
        para.paragraph_format.first_line_indent = Pt(size * 2)
    style_run(para.add_run(text), font, size, bold)
    return para


def heading(doc, text: str, font: str = HEADING_FONT) -> None:
    """一、 headings in 黑体, （一） headings in 楷体, both 三号."""
    paragraph(doc, text, font, BODY_SIZE, indent=True).paragraph_format.space_before = Pt(6)


def table(doc, header: list[str], rows: list[list[str]], widths_cm: list[float],
          status_column: int | None = None, colours: dict[str, str] | None = None) -> None:
    """A ruled table in 五号 type; the cells of `status_column`, if any, shaded in the colour
    `colours` gives their text (rrggbb)."""
    colours = colours or {}
    grid = doc.add_table(rows=1 + len(rows), cols=len(header))
    grid.style, grid.autofit = "Table Grid", False
    # The header row repeats on every page a long table runs over.
    grid.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for column, width in zip(grid.columns, widths_cm):
        column.width = Cm(width)  # the grid, read by LibreOffice/WPS; cells' widths by Word
    # Row by row: grid.cell(r, c) rescans the whole table on every call.
    for r, (row, values) in enumerate(zip(grid.rows, [header, *rows])):
        for c, (cell, value) in enumerate(zip(row.cells, values)):
            cell.width = Cm(widths_cm[c])
            para = cell.paragraphs[0]
            para.paragraph_format.space_after = Pt(0)
            run = style_run(para.add_run(str(value)), HEADING_FONT if r == 0 else BODY_FONT,
                            TABLE_SIZE)
            if r == 0:
                shade(cell, "DDE3EA")
            elif c == status_column and value in colours:
                shade(cell, colours[value])
                if is_dark(colours[value]):
                    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    paragraph(doc, "", line=12)  # breathing space before the next heading


def shade(cell, colour: str) -> None:
    """Cell background (python-docx has no API for shading)."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (headings （一）（二）…)."""
    tens, ones = divmod(n, 10)
    prefix = ("" if tens == 1 else NUMERALS[tens]) + "十" if tens else ""
    return prefix + (NUMERALS[ones] if ones else "")

