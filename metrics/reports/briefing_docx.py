"""The briefing as a Word document (python-docx) laid out like a government document (GB/T 9704
habits): A4 with its margins, 小标宋 title, 黑体 / 楷体 headings, 仿宋 三号 text on a 28 pt line,
page numbers 「— 1 —」. Chinese fonts are set on the East Asian slot (w:eastAsia): Word ignores
the plain font name for Chinese text. Machines without these fonts substitute their own.
"""
from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from metrics.evaluation import attainment, status
from metrics.wording import chinese_date, is_dark, percent

if TYPE_CHECKING:
    from metrics.reports.briefing import Briefing

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"            # 一、 headings and table headers
SUBHEADING_FONT = "楷体_GB2312"  # （一） headings and the date line
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
BODY_SIZE, TABLE_SIZE = 16, 10.5   # 三号, 五号
NUMERALS = "零一二三四五六七八九"
COUNTED = [s for s in status.STATUSES if s.code != "no_target"]
STATUS_COLOURS = {s.label: s.colour.lstrip("#") for s in status.STATUSES}


def document_bytes(briefing: Briefing) -> bytes:
    """The .docx file of the briefing."""
    doc = Document()
    set_up_page(doc)
    paragraph(doc, briefing.title, TITLE_FONT, 22, bold=True, centred=True, line=36)
    paragraph(doc, dateline(briefing), SUBHEADING_FONT, BODY_SIZE, centred=True)
    heading(doc, "一、总体情况")
    paragraph(doc, summary(briefing), indent=True)
    heading(doc, "二、分领域情况")
    area_table(doc, briefing)
    heading(doc, "三、进度滞后、未达标和需关注指标")
    lagging_sections(doc, briefing)
    heading(doc, "四、重点难点指标")
    focus_table(doc, briefing)
    heading(doc, "五、数据缺口清单")
    gap_table(doc, briefing)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


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


def dateline(briefing: Briefing) -> str:
    """（2024年度 · 2025年11月23日）, naming the department when narrowed to one."""
    scope = f" · {briefing.department}牵头或配合的指标" if briefing.department else ""
    return f"（{briefing.year}年度{scope} · {chinese_date(briefing.date)}）"


def summary(briefing: Briefing) -> str:
    """The 总体情况 paragraph: scope, counts per flag, both 达标率, where the lags concentrate."""
    frame = briefing.indicators
    text = (f"本简报依据《{briefing.outline_name}》，对{briefing.region_name}{len(frame)}项监测指标"
            f"截至{briefing.year}年的实施情况进行评估，评估方法为{briefing.method_label}。")
    if briefing.overall is None:
        return text + "这些指标均未设量化目标，仅作监测。"
    counts = frame["status"].value_counts()
    listed = "、".join(f"{s.label}{counts[s.code]}项" for s in COUNTED if counts.get(s.code, 0))
    first, second = attainment.rate_labels(briefing.overall)
    text += (f"其中{int(briefing.overall['indicators'])}项设有量化目标：{listed}；"
             f"{first}，{second}。{worst_areas(briefing)}")
    untargeted = int(counts.get("no_target", 0))
    unverified = int((frame["target_display"].str.contains("未核实")).sum())
    if untargeted:
        text += f"另有{untargeted}项指标未设量化目标，仅作监测。"
    if unverified:
        text += f"有{unverified}项目标值尚未在纲要公开文本中核实，文中标注“未核实”，引用时请注意。"
    return text


def worst_areas(briefing: Briefing) -> str:
    """The (at most two) areas with the most off-track, missed and at-risk indicators."""
    areas = briefing.areas.assign(lagging=briefing.areas["off_track"]
                                  + briefing.areas["not_achieved"] + briefing.areas["at_risk"])
    areas = areas[areas["lagging"] > 0].sort_values(["lagging", "rate_with_missing"],
                                                    ascending=[False, True]).head(2)
    if areas.empty:
        return "各领域均无进度滞后、未达标或需关注的指标。"
    named = "、".join(f"{a.area_name}（{int(a.lagging)}项，达标率{percent(a.rate_with_missing)}）"
                     for a in areas.itertuples())
    return f"进度滞后、未达标和需关注的指标主要集中在{named}。"


def area_table(doc, briefing: Briefing) -> None:
    """Counts per flag and both 达标率 for each area."""
    if briefing.areas.empty:
        paragraph(doc, "无设有量化目标的指标。", indent=True)
        return
    header = ["领域", "有目标指标", *[s.label for s in COUNTED], "达标率（计入无数据）",
              "达标率（不计无数据）"]
    rows = [[a["area_name"], str(int(a["indicators"])), *[str(int(a[s.code])) for s in COUNTED],
             percent(a["rate_with_missing"]), percent(a["rate_without_missing"])]
            for _, a in briefing.areas.iterrows()]
    # One narrow column per flag, so the table fits the 15.6 cm text width whatever their number.
    table(doc, header, rows, [2.4, 1.3, *[8.4 / len(COUNTED)] * len(COUNTED), 1.6, 1.6])


def lagging_sections(doc, briefing: Briefing) -> None:
    """Per off-track / at-risk indicator: heading, explanation, departments and chart."""
    lagging = briefing.charted()
    if lagging.empty:
        paragraph(doc, "无进度滞后或需关注的指标。", indent=True)
        return
    if briefing.chart_error:
        paragraph(doc, f"图表未能生成（{briefing.chart_error}），缺图的指标仅列文字说明。",
                  indent=True)
    for number, row in enumerate(lagging.itertuples(), start=1):
        heading(doc, f"（{chinese_number(number)}）{row.name}（{row.status_label}）",
                SUBHEADING_FONT)
        departments = f"牵头单位：{row.lead_department or '—'}。"
        paragraph(doc, f"{row.explanation}{departments}", indent=True)
        if row.indicator_code in briefing.charts:
            doc.add_picture(io.BytesIO(briefing.charts[row.indicator_code]), width=Cm(15))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (headings （一）（二）…)."""
    tens, ones = divmod(n, 10)
    prefix = ("" if tens == 1 else NUMERALS[tens]) + "十" if tens else ""
    return prefix + (NUMERALS[ones] if ones else "")


def focus_table(doc, briefing: Briefing) -> None:
    """重点难点指标 with 原因 / 整改措施 / 时限 / 责任单位 (blank until the office fills them)."""
    focus = briefing.focus
    if focus.empty:
        paragraph(doc, "无进度滞后、未达标、需关注或数据不足的指标。", indent=True)
        return
    rows = [[f.name, f.status_label, f"{f.latest_display}；目标{f.target_display}", f.reason,
             f.measures, f.deadline, f.responsible] for f in focus.itertuples()]
    table(doc, ["指标", "状态", "现状与目标", "原因", "整改措施", "时限", "责任单位"], rows,
          [2.6, 1.5, 3.0, 2.6, 2.6, 1.4, 1.9], status_column=1)
    if (focus[["reason", "measures", "deadline", "responsible"]] == "").any(axis=None):
        paragraph(doc, "注：空白处为尚未填写的原因、整改措施、时限或责任单位，请在评估前补充。",
                  size=TABLE_SIZE + 1.5, line=20)


def gap_table(doc, briefing: Briefing) -> None:
    """The data-gap checklist: what to ask which department for."""
    if briefing.gaps.empty:
        paragraph(doc, "设有目标的指标均有可用数据。", indent=True)
        return
    columns = ["指标", "缺少的数据", "需补报年份", "牵头单位", "配合单位"]
    rows = briefing.gaps[columns].astype(str).values.tolist()
    table(doc, columns, rows, [3.2, 4.6, 2.6, 2.0, 3.2])


def table(doc, header: list[str], rows: list[list[str]], widths_cm: list[float],
          status_column: int | None = None) -> None:
    """A ruled table in 五号 type; the status column, if any, is shaded in the status colour."""
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
            elif c == status_column and value in STATUS_COLOURS:
                shade(cell, STATUS_COLOURS[value])
                if is_dark(STATUS_COLOURS[value]):
                    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    paragraph(doc, "", line=12)  # breathing space before the next heading


def shade(cell, colour: str) -> None:
    """Cell background (python-docx has no API for shading)."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)
