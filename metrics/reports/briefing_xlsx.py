"""The briefing as an Excel workbook (openpyxl) for the 评估督导组: sheets 概况 (with the
数据说明), 指标, 数据缺口, 重点难点 and 同级比较 (the rank among the sister regions), set up
to print. Status cells carry the colours of metrics.status, as in the app. Every cell is
written through metrics.cell_values, so a note typed as a formula stays text."""
from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from metrics.cell_values import write_cell
from metrics.evaluation import attainment, status
from metrics.wording import chinese_date, is_dark

if TYPE_CHECKING:
    from metrics.reports.briefing import Briefing

HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
TOP = Alignment(vertical="top")
WRAP = Alignment(wrap_text=True, vertical="top")
STATUS_BY_LABEL = {s.label: s for s in status.STATUSES}
# Columns whose text is long enough to wrap; other cells stay on one line.
WRAPPED = {"说明", "目标（核实情况）", "缺少的数据", "原因", "整改措施", "配合单位", "指标", "责任单位"}
AREA_COLUMNS = {"area_name": "领域", "indicators": "有目标指标数",
                **{s.code: s.label for s in status.STATUSES if s.code != "no_target"},
                "rate_with_missing": "达标率（无数据计入分母）",
                "rate_without_missing": "达标率（不计无数据）"}


def workbook_bytes(briefing: Briefing) -> bytes:
    """The .xlsx file of the briefing."""
    book = Workbook()
    write_overview(book.active, briefing)
    sheets = [("指标", indicator_rows(briefing.indicators),
               [12, 26, 9, 9, 9, 9, 9, 26, 10, 9, 11, 12, 60]),
              ("数据缺口", briefing.gaps, [12, 30, 9, 42, 14, 12, 30]),
              ("重点难点", focus_rows(briefing.focus), [12, 28, 10, 16, 26, 30, 30, 12, 16]),
              ("同级比较", briefing.standing.drop(columns="indicator_code"),
               [26, 18, 8, 18, 18, 40])]
    for name, frame, widths in sheets:
        sheet = book.create_sheet(name)
        write_table(sheet, frame, 1, widths)
        sheet.freeze_panes = "C2"
    show_decimals(book["指标"], briefing.indicators["decimals"])
    for sheet in book.worksheets:
        set_up_printing(sheet, briefing.title, repeat_header=sheet.title != "概况")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def set_up_printing(sheet, title: str, repeat_header: bool) -> None:
    """A4 landscape, every column on the page's width (as many pages down as needed), the
    header row on every page of a table, the briefing's title above and the page number below
    each page."""
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    if repeat_header:
        sheet.print_title_rows = "1:1"
    # & starts a code in Excel's header and footer (&P is the page number): a literal & is &&.
    sheet.oddHeader.center.text = f"{title.replace('&', '&&')} · {sheet.title}"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def write_overview(sheet, briefing: Briefing) -> None:
    """概况: what the briefing covers, both 达标率, counts per status and the table by area."""
    sheet.title = "概况"
    write_cell(sheet, 1, 1, briefing.title).font = Font(bold=True, size=14)
    facts = [("地区", briefing.region_name), ("纲要", briefing.outline_name),
             *([("适用规划", briefing.plan_line.removeprefix("适用规划："))]
               if briefing.plan_line else []),
             ("评估年度", f"{briefing.year}年"), ("评估方法", briefing.method_label),
             ("部门", f"{briefing.department}（牵头或配合的指标）" if briefing.department else "全部"),
             ("生成日期", chinese_date(briefing.date))]
    if briefing.overall is None:
        facts.append(("达标率", "无设有目标的指标"))
    else:
        facts += [("达标率", label) for label in attainment.rate_labels(briefing.overall)]
    for row, (key, value) in enumerate(facts, start=3):
        write_cell(sheet, row, 1, key).font = Font(bold=True)
        write_cell(sheet, row, 2, value)
    counts = briefing.indicators["status"].value_counts()
    per_status = pd.DataFrame({"状态": [s.label for s in status.STATUSES],
                               "指标数": [int(counts.get(s.code, 0)) for s in status.STATUSES]})
    next_row = write_table(sheet, per_status, len(facts) + 4, [26, 14])
    if not briefing.areas.empty:
        areas = briefing.areas[list(AREA_COLUMNS)].rename(columns=AREA_COLUMNS)
        next_row = write_table(sheet, areas, next_row + 1, [26, 14, 9, 9, 9, 9, 9, 9, 14, 14])
    notes = pd.DataFrame({"数据说明": briefing.caveats or ["无需特别说明的情况。"]})
    write_table(sheet, notes, next_row + 1, [26])
    for row in range(next_row + 2, next_row + 2 + len(notes)):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=10)
        sheet.cell(row, 1).alignment = WRAP


def indicator_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """指标: one display row per indicator; numbers stay numbers for sorting and sums."""
    needs_change = frame["shortfall"] > 0
    return pd.DataFrame({
        "领域": frame["area_name"], "指标": frame["name"], "单位": frame["unit"],
        "基线年份": frame["baseline_year_used"], "基线值": rounded(frame, "baseline_value"),
        "最新年份": frame["latest_year"], "最新值": rounded(frame, "latest_value"),
        "目标（核实情况）": frame["target_display"], "状态": frame["status_label"],
        "进度比": frame["progress_ratio"],
        "每年需变化": rounded(frame, "required_annual_change", extra=1).where(needs_change),
        "牵头单位": frame["lead_department"], "说明": frame["explanation"]})


def rounded(frame: pd.DataFrame, column: str, extra: int = 0) -> pd.Series:
    """A value column rounded to each indicator's decimals (+ extra for derived figures)."""
    return pd.Series([value if pd.isna(value) else round(value, int(d) + extra)
                      for value, d in zip(frame[column], frame["decimals"].fillna(2))],
                     index=frame.index, dtype="float64")


def show_decimals(sheet, decimals: pd.Series) -> None:
    """Values keep each indicator's decimals on screen (87.0, not 87)."""
    header = [cell.value for cell in sheet[1]]
    for row, places in enumerate(decimals.fillna(2).astype(int), start=2):
        for column, extra in (("基线值", 0), ("最新值", 0), ("每年需变化", 1)):
            digits = places + extra
            sheet.cell(row, header.index(column) + 1).number_format = \
                f"0.{'0' * digits}" if digits else "0"


def focus_rows(focus: pd.DataFrame) -> pd.DataFrame:
    """重点难点: each concern with its state and the office's notes (blank when none)."""
    return pd.DataFrame({
        "领域": focus["area_name"], "指标": focus["name"], "状态": focus["status_label"],
        "最新值": focus["latest_display"], "目标（核实情况）": focus["target_display"],
        "原因": focus["reason"], "整改措施": focus["measures"], "时限": focus["deadline"],
        "责任单位": focus["responsible"]})


def write_table(sheet, frame: pd.DataFrame, start: int, widths: list[int]) -> int:
    """Header and rows from row `start`; returns the first free row after the table."""
    for col, (name, width) in enumerate(zip(frame.columns, widths), start=1):
        cell = write_cell(sheet, start, col, name)
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, WRAP
        sheet.column_dimensions[get_column_letter(col)].width = width
    for row, values in enumerate(frame.itertuples(index=False), start=start + 1):
        for col, (name, value) in enumerate(zip(frame.columns, values), start=1):
            cell = write_cell(sheet, row, col, None if pd.isna(value) else value)
            cell.alignment = WRAP if name in WRAPPED else TOP
            style_cell(cell, name, value)
    return start + len(frame) + 1


def style_cell(cell, column: str, value) -> None:
    """Status colours, and percentages shown as such."""
    if column == "状态" and value in STATUS_BY_LABEL:
        colour = STATUS_BY_LABEL[value].colour.lstrip("#")
        cell.fill = PatternFill("solid", fgColor=colour)
        cell.font = Font(bold=True, color="FFFFFF" if is_dark(colour) else "000000")
    elif column == "进度比" or column.startswith("达标率"):
        cell.number_format = "0.0%"

