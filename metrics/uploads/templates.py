"""Upload templates: one row per indicator of an outline (code, name, unit, lead department)
and one column per year, for a region or left for the region to be filled in. The importer reads
a filled template back unchanged. Cells are written through metrics.cell_values (texts never
become formulas), whose quote the importer strips again."""
from __future__ import annotations

import io
import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from metrics import evaluation
from metrics.catalogue import Catalogue
from metrics.cell_values import inert_frame, write_row
from metrics.errors import MetricsError
from metrics.evaluation import expected
from metrics.text import normalise
from metrics.uploads.checks import MIN_YEAR

INSTRUCTIONS = [
    "填表说明",
    "1. 每行一个指标，每个年份一列；只填数字，可带 %、‰、/10万 等单位，系统会按指标单位换算。",
    "2. 缺失的数据请留空或填“—”，不要填 0。",
    "3. “地区”列填写行政区划代码或地区全称；多个地区可分多行填写。",
    "4. 请勿修改“指标代码”列；可删除不填报的指标行。",
    "5. 文件可保存为 .xlsx 或 CSV（GBK 或 UTF-8 均可）。",
]

# One part of a year spec: 2015 or 2015-2020 (年 allowed after each year; 至, 到 or ~ too).
YEAR_PART = re.compile(r"^(?P<first>\d{4})年?(?:(?:-|~|–|—|至|到)(?P<last>\d{4})年?)?$")
YEAR_SPEC_HINT = "请写作 2020-2024（范围）、2020（单一年份）或 2015,2018（逗号分隔）。"


def template_years(spec: str, this_year: int) -> list[int]:
    """The years a person wrote for a template (2015, 2015-2020, 2015,2018, or these mixed;
    full-width characters too), in order and each once. Refused with a hint when the spec
    cannot be read, a range runs backwards or a year is one an upload would refuse."""
    years: set[int] = set()
    for part in re.split(r"[,、;]", normalise(spec)):
        matched = YEAR_PART.match(part)
        if not matched:
            raise MetricsError(f"年份「{spec}」无法识别。", YEAR_SPEC_HINT)
        first = int(matched["first"])
        last = int(matched["last"] or first)
        if last < first:
            raise MetricsError(f"年份范围「{part}」起止颠倒。", f"请先写起始年份，如 {last}-{first}。")
        if first < MIN_YEAR or last > this_year:
            raise MetricsError(f"年份「{part}」超出可填报的范围。",
                               f"年份应在{MIN_YEAR}年至{this_year}年之间（上传时不接受其他年份）。")
        years.update(range(first, last + 1))
    return sorted(years)


def template_frame(cat: Catalogue, outline_id: str, years: list[int],
                   region_code: str | None = None) -> pd.DataFrame:
    """The template's table: 指标代码, 指标名称, 单位, 牵头单位, 地区 (and 上级地区 for a region
    whose name another region shares, 朝阳区 of 北京市 or of 长春市), then one column per year.
    For a region, those it is asked for (expected.expected_indicators: the indicators its plan
    dropped left out, the local ones applying there listed in their areas)."""
    indicators = (evaluation.outline_indicators(cat, outline_id) if region_code is None
                  else expected.expected_indicators(cat, outline_id, region_code))
    frame = pd.DataFrame({"指标代码": indicators["indicator_code"],
                          "指标名称": indicators["name"], "单位": indicators["unit"],
                          "牵头单位": indicators["lead_department"].fillna(""),
                          "地区": "" if region_code is None else region_name(cat, region_code)})
    parent = None if region_code is None else shared_name_parent(cat, region_code)
    if parent:
        frame["上级地区"] = parent
    for year in years:
        frame[f"{year}年"] = ""
    return frame


def region_name(cat: Catalogue, region_code: str) -> str:
    """The region's name as the catalogue writes it (港北区)."""
    return cat.regions.set_index("code").at[region_code, "name"]


def shared_name_parent(cat: Catalogue, region_code: str) -> str | None:
    """The parent's name of a region whose name is not unique, so the template reads back to
    that region; None for a unique name."""
    regions = cat.regions.set_index("code")
    if (regions["name"] == regions.at[region_code, "name"]).sum() < 2:
        return None
    parent = regions.at[region_code, "parent_code"]
    return regions.at[parent, "name"] if parent in regions.index else None


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with a BOM, so Excel on Chinese Windows opens it in the right encoding."""
    return inert_frame(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame) -> bytes:
    """A workbook: the table on the first sheet (header in row 1), instructions on the second."""
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    write_row(sheet, 1, frame.columns)
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        write_row(sheet, number, row)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), header_fill
        cell.alignment = Alignment(horizontal="center")
    fixed = [c for c in frame.columns if not c.endswith("年")]
    widths = [30, 28, 12, 14, 12, 12][:len(fixed)] + [10] * (len(frame.columns) - len(fixed))
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"{get_column_letter(len(fixed) + 1)}2"
    notes = book.create_sheet("填表说明")
    for number, line in enumerate(INSTRUCTIONS, start=1):
        write_row(notes, number, [line])
    notes.column_dimensions["A"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
