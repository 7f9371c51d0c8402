"""A plan's indicator table as a workbook: the template an office fills in (one row per
indicator of the outline, the parent plan's target beside it for reference) and a plan's
export, which `plan import` reads back unchanged. Texts go through metrics.cell_values (never
formulas)."""
from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from metrics import catalogue, targets
from metrics.catalogue import LIST_SEPARATOR, Catalogue
from metrics.cell_values import write_row
from metrics.plans import local_indicators

COLUMNS = ["指标", "单位", "上级目标（参考）", "目标值", "目标年份", "牵头单位", "配合单位",
           "联系人", "完成时限", "目标表述"]
WIDTHS = [34, 10, 26, 22, 10, 16, 30, 12, 12, 50]
INSTRUCTIONS = [
    "填表说明",
    "1. 每行一个指标。“目标值”留空的指标沿用上级规划的目标；填写则为本规划的目标。",
    "2. 目标值可写作：≥95%、95%以上、控制在12/10万以下、保持在45%左右、逐步提高、较2020年下降20%。",
    "3. “目标年份”留空取规划的目标年份；“配合单位”可填多个，用顿号分隔。",
    "4. “目标表述”可填规划原文中的目标句子（不填则以“目标值”为准）；“上级目标（参考）”列不会导入。",
    "5. 填好后运行：python -m metrics plan import 文件 --region 地区 --name 规划名称 --parent 上级规划。",
]


def effective_targets(cat: Catalogue, outline_id: str, region_code: str) -> pd.DataFrame:
    """Per indicator of the outline, the target in force in the region (any plan up the
    tree), with the columns of family_targets; indicators without one are left out."""
    family = targets.family_targets(cat.targets, cat.plans, outline_id)
    codes = pd.Index(list(cat.plan_indicators.loc[cat.plan_indicators["plan_id"] == outline_id,
                                                  "indicator_code"])
                     + list(local_indicators.applying(cat, outline_id, region_code)["code"]))
    rows = targets.targets_in_force(family, cat.regions, pd.Index([region_code]), codes)[:, 0]
    chosen = family.reset_index(drop=True).take(rows[rows >= 0])
    return chosen.set_index("indicator_code")


def phrase(row, unit: str) -> str:
    """A target as a cell the importer reads back: 2030年≤12/10万, 2030年前逐步提高."""
    return targets.target_phrase(row.target_kind, row.target_value, row.target_tolerance, unit,
                                 row.target_year, row.baseline_year)


def template_frame(cat: Catalogue, parent_id: str) -> pd.DataFrame:
    """One row per indicator of the parent's outline, in the outline's order, then the local
    indicators in force in the parent's region: its name there, unit, the parent's target in
    force, and the catalogue's departments as a start."""
    parent = catalogue.find_plan(cat.plans, parent_id)
    outline_id = catalogue.outline_of(cat.plans, parent_id)
    listed = cat.plan_indicators[cat.plan_indicators["plan_id"] == outline_id].merge(
        cat.areas[["plan_id", "area_code", "sort_order"]].rename(
            columns={"sort_order": "area_order"}), on=["plan_id", "area_code"])
    listed = listed.sort_values(["area_order", "sort_order"], kind="stable")
    indicators = cat.indicators.set_index("code")
    names = catalogue.indicator_names(cat, outline_id)
    inherited = effective_targets(cat, outline_id, parent["region_code"])
    local = local_indicators.applying(cat, outline_id, parent["region_code"])["code"]
    rows = []
    for code in [*listed["indicator_code"], *local]:
        unit = indicators.loc[code, "unit"]
        reference = phrase(inherited.loc[code], unit) if code in inherited.index else ""
        rows.append([names[code], unit, reference, "", "", indicators.loc[code, "lead_department"]
                     or "", (indicators.loc[code, "supporting_departments"] or "").replace(
                         LIST_SEPARATOR, "、"), "", "", ""])
    return pd.DataFrame(rows, columns=COLUMNS)


def export_frame(cat: Catalogue, plan_id: str, indicators: pd.DataFrame) -> pd.DataFrame:
    """A plan's own indicators in the template's columns, its targets written as the importer
    reads them and their wording in 目标表述; those it dropped are left out (a table lists
    what a plan monitors, and importing it back keeps them dropped)."""
    plan = catalogue.find_plan(cat.plans, plan_id)
    outline_id = catalogue.outline_of(cat.plans, plan_id)
    names = catalogue.indicator_names(cat, outline_id)
    units = cat.indicators.set_index("code")["unit"]
    rows = []
    for row in indicators[indicators["dropped_reason"].isna()].itertuples():
        target = "" if pd.isna(row.kind) else phrase(pd.Series({
            "target_kind": row.kind, "target_value": row.value, "target_tolerance": row.tolerance,
            "target_year": row.target_year, "baseline_year": plan["baseline_year"]}), units[
            row.indicator_code])
        rows.append([names[row.indicator_code], units[row.indicator_code], "", target,
                     "" if pd.isna(row.target_year) else int(row.target_year),
                     text_or_empty(row, "lead_unit"),
                     text_or_empty(row, "supporting_units").replace(LIST_SEPARATOR, "、"),
                     text_or_empty(row, "contact"), text_or_empty(row, "deadline"),
                     text_or_empty(row, "text")])
    return pd.DataFrame(rows, columns=COLUMNS)


def text_or_empty(row, field: str) -> str:
    value = getattr(row, field, None)
    return "" if value is None or pd.isna(value) else str(value)


def xlsx_bytes(frame: pd.DataFrame, title: str) -> bytes:
    """The table on the first sheet (header in row 1), instructions on the second."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    write_row(sheet, 1, frame.columns)
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        write_row(sheet, number, row)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DCE6F1")
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    notes = book.create_sheet("填表说明")
    for number, line in enumerate(INSTRUCTIONS, start=1):
        write_row(notes, number, [line])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
