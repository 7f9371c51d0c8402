"""A plan's indicator table (the annex offices write: 指标, 目标值, 目标年份, 牵头单位, 配合单位)
read into the plan's indicators, every problem located by Excel row and column heading.

The table is read like a data upload (metrics/uploads/reading: any encoding, .xlsx/.xls, a title
row above the header), or from the plan's Word annex (.docx: metrics/plans/annex_docx); a file
that cannot be read is one problem of the table, never an exception. Cells merged in Excel or
Word (one 牵头单位 for several indicators, a 领域 down the side) count for every row they span. Indicators are found by code, name or alias; numbering
(「1.」, 「（3）」) and area heading rows (「一、儿童与健康」) are left aside; targets are read by
metrics/plans/target_wording.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import openpyxl
import pandas as pd

from metrics.catalogue import Catalogue
from metrics.plans import annex_docx, checks
from metrics.plans.annex_local import LocalRows
from metrics.plans.problems import problem
from metrics.settings import UploadSettings
from metrics.text import normalise
from metrics.uploads import reading
from metrics.uploads.problems import Problem
from metrics.uploads.reading import Grid

HEADINGS = {
    "indicator": ("指标", "指标名称", "监测指标", "主要指标", "主要目标", "指标内容", "指标项目"),
    "target": ("目标值", "目标", "目标要求", "规划目标", "目标任务", "主要目标值"),
    "year": ("目标年份", "目标年", "年份", "完成年份"),
    "lead": ("牵头单位", "牵头部门", "责任单位", "牵头责任单位", "主责单位"),
    "supporting": ("配合单位", "配合部门", "参与单位", "协同单位", "协办单位"),
    "contact": ("联系人", "联络人"),
    "deadline": ("完成时限", "时限", "完成时间"),
    "wording": ("目标表述", "原文表述", "规划原文"),
    # What defines a local indicator of the plan (metrics/plans/annex_local).
    "unit": ("单位", "计量单位"),
    "direction": ("指标方向", "方向", "指标属性"),
    "area": ("领域", "所属领域"),
    "definition": ("指标定义", "定义", "计算方法"),
    "source": ("数据来源", "来源"),
}
SYNONYMS = {normalise(name): role for role, names in HEADINGS.items() for name in names}
YEAR_TARGET_HEADING = re.compile(r"^(?P<year>(?:19|20)\d{2})年?目标值?$")  # 2030年目标值
NOTE_IN_HEADING = re.compile(r"[（(][^（）()]*[）)]")
NUMBERING = re.compile(r"^\s*(?:[（(]?\d{1,3}[)）.、．]|\d{1,3}\s)\s*")
AREA_HEADING = re.compile(r"^[（(]?[一二三四五六七八九十]+[)）、.．]")
HEADER_SCAN_ROWS = 15


@dataclass
class AnnexTable:
    """The rows read (one per indicator: row, heading columns, indicator_code, kind, value,
    target_year, text, lead_unit, supporting_units, contact, deadline), every problem, and
    the local indicators the rows define (LOCAL_INDICATOR_FIELDS but plan_id; codes given)."""
    rows: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    local_indicators: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def read_annex(raw: bytes, file_name: str, cat: Catalogue, parent: pd.Series, outline_id: str,
               limits: UploadSettings, sheet: str | None = None,
               region_code: str | None = None) -> AnnexTable:
    """Read and check an indicator table for a plan under `parent` (its years bound the
    targets) deriving from the national outline `outline_id`; given the plan's region, rows
    may also name the local indicators that apply there and define the plan's own."""
    try:
        grid = read_table(raw, file_name, sheet, limits)
    except reading.UnreadableFile as exc:
        return AnnexTable(pd.DataFrame(), [exc.problem])
    header = find_header(grid)
    if header is None:
        detail = "表中找不到“指标”和“目标值”（或“牵头单位”）两列的表头。"
        return AnnexTable(pd.DataFrame(), grid.problems + [problem("no-header", None, "",
                                                                    detail=detail)])
    index, roles, default_year = header
    cells, headings = data_cells(grid, index, roles)
    local = LocalRows(cat, outline_id, region_code or parent["region_code"],
                      region_code is not None)
    rows, found = checks.check_rows(cells, headings, cat, parent, outline_id, default_year, local)
    return AnnexTable(rows, grid.problems + found, local.definitions())


def read_table(raw: bytes, file_name: str, sheet: str | None, limits: UploadSettings) -> Grid:
    """The file's table: a Word annex's (metrics/plans/annex_docx), else the sheet's."""
    if annex_docx.is_word(raw, file_name):
        return annex_docx.read_grid(raw, limits, find_header)
    return with_merged_cells(reading.read_grid(raw, file_name, sheet, limits=limits), raw)


def with_merged_cells(grid: Grid, raw: bytes) -> Grid:
    """The grid with each merged range's value in every cell it spans (.xlsx only: other
    formats keep no merges the reader could see)."""
    if not zipfile.is_zipfile(io.BytesIO(raw)) or grid.sheet is None:
        return grid
    book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    try:
        ranges = list(book[grid.sheet].merged_cells.ranges)
    finally:
        book.close()
    cells = grid.cells.copy()
    for merged in ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(cells) or left >= cells.shape[1]:
            continue
        value = cells.iat[top, left]
        rows = slice(top, min(merged.max_row, len(cells)))
        columns = list(range(left, min(merged.max_col, cells.shape[1])))
        cells.iloc[rows, columns] = value
    return Grid(cells, grid.row_numbers, grid.sheet, grid.sheet_names, grid.encoding,
                grid.hidden_sheets, grid.dates, grid.problems)


def heading_role(text: str) -> tuple[str | None, int | None]:
    """The role of a column heading and the target year it names (2030年目标值)."""
    key = NOTE_IN_HEADING.sub("", normalise(text))
    year = YEAR_TARGET_HEADING.match(key)
    if year:
        return "target", int(year["year"])
    return SYNONYMS.get(key), None


def find_header(grid: Grid) -> tuple[int, dict[str, int], int | None] | None:
    """The header row's index, each role's column position (the first column of a role) and
    the target year a heading names; None when no row has an indicator and a target or lead
    unit heading."""
    for index, row in enumerate(grid.head(HEADER_SCAN_ROWS)):
        roles, default_year = {}, None
        for position, text in enumerate(row):
            role, year = heading_role(text)
            if role and role not in roles:
                roles[role] = position
                default_year = default_year or year
        if "indicator" in roles and ("target" in roles or "lead" in roles):
            return index, roles, default_year
    return None


def data_cells(grid: Grid, header: int,
               roles: dict[str, int]) -> tuple[pd.DataFrame, dict[str, str]]:
    """One row per table row naming an indicator: its Excel row and the cells of each role
    (stripped), and each role's heading as written; empty rows, area headings and notes left
    out."""
    headings = grid.cells.iloc[header]
    body = grid.cells.iloc[header + 1:]
    frame = pd.DataFrame({role: body[position].fillna("").str.strip()
                          for role, position in roles.items()})
    frame = frame.reindex(columns=list(HEADINGS), fill_value="")
    frame["indicator"] = frame["indicator"].str.replace(NUMBERING, "", regex=True)
    frame["row"] = grid.row_numbers[header + 1:]
    # An area heading row says nothing else, or the same across (one cell merged over all);
    # a 领域 cell merged down the side also spans the area's heading row.
    rest = frame[[c for c in HEADINGS if c not in ("indicator", "area")]]
    others = (rest.ne("") & rest.ne(frame["indicator"], axis=0)).any(axis=1)
    heading_row = frame["indicator"].str.match(AREA_HEADING) & ~others
    # An area heading may stand in any column (often 序号): the first cell written in its row.
    first_cell = body.apply(lambda column: column.str.strip()).replace("", None).bfill(axis=1)
    first_cell = first_cell.iloc[:, 0].fillna("") if body.shape[1] else frame["indicator"]
    area_row = first_cell.str.match(AREA_HEADING).to_numpy(dtype=bool) & ~others.to_numpy()
    frame["area_heading"] = first_cell.where(area_row).ffill().fillna("").to_numpy()
    note = frame["indicator"].str.match(r"^(注|说明|备注|资料来源)")
    kept = frame[frame["indicator"].ne("") & ~heading_row & ~note].reset_index(drop=True)
    return kept, {role: str(headings[position]) or HEADINGS[role][0]
                  for role, position in roles.items()}
