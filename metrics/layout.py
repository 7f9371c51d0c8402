"""From a grid of cells to long records (indicator, region, year, value as written), whatever
the sheet's shape: a title row above the header, a two-row merged header, footnotes and 合计
rows below the data; long layout, years as columns (2020 / 2020年), or regions as columns.

Nothing is interpreted here beyond finding where things are: values stay text, and every record
keeps the Excel row and the column heading it came from, so problems can point at the cell.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from metrics.reading import Grid

# Header synonyms, compared after `normalise` (NFKC, no spaces, lower case).
HEADERS = {
    "indicator": ["指标", "指标名称", "指标名", "指标代码", "指标编码", "监测指标", "项目", "indicator",
                  "indicator_code", "indicatorcode"],
    "region": ["地区", "地区名称", "地区代码", "行政区划", "行政区划代码", "区划代码", "区域", "region",
               "region_code", "regioncode"],
    "parent": ["上级地区", "所属地区", "所属市", "所属省", "所属市州", "上级", "parent", "parent_region"],
    "year": ["年份", "年度", "年", "统计年度", "year"],
    "value": ["数值", "值", "数据", "指标值", "数据值", "value"],
    "unit": ["单位", "计量单位", "计算单位", "unit"],
    "source": ["来源", "数据来源", "source"],
    "note": ["备注", "说明", "note"],
}
SYNONYMS = {name: field for field, names in HEADERS.items() for name in names}
YEAR_HEADING = re.compile(r"^((?:19|20)\d{2})(?:年|年度)?(?:数据|数值|值)?$")
TOTAL_ROW = re.compile(r"^(合计|总计|小计|全市合计|全省合计)$")
# Rows that end the data: footnotes (注：…) and the signature line of a report form
# (填表人：… 审核人：… 填报日期：…).
FOOTNOTE = re.compile(r"^(注|说明|备注|资料来源|数据来源|填报说明|填表说明)\s*[:：\d]"
                      r"|^(单位负责人|统计负责人|负责人|填表人|填报人|制表人|审核人|联系人|"
                      r"联系电话|填报日期|填表日期|报出日期|填报单位)\s*[:：]")
RECORD_COLUMNS = ["row", "indicator", "region", "parent", "year", "value", "unit", "source",
                  "note", "value_column"]
HEADER_SCAN_ROWS = 15


class LayoutError(Exception):
    """The sheet has no recognisable header; the message says what was looked for."""


@dataclass(frozen=True)
class Layout:
    """What was found: header row(s), kind of layout, the columns' roles."""
    kind: str                    # 'long', 'wide_years' or 'wide_regions'
    header_rows: list[int]       # Excel row numbers of the header
    columns: list[str]           # heading of every column, merged headers combined
    roles: dict[int, str]        # column index → field (indicator, region, year, value …)
    spread: dict[int, str]       # column index → year or region written in the heading


def normalise(text: str) -> str:
    """Canonical form for matching names: full-width to half-width, no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def normalise_all(texts: pd.Series) -> pd.Series:
    """`normalise` over a column, vectorised."""
    return (texts.fillna("").astype("string").str.normalize("NFKC")
            .str.replace(r"\s+", "", regex=True).str.lower())


def year_of(heading: str) -> str | None:
    """'2020', '2020年', '2020年数据' → '2020'; None for anything else."""
    match = YEAR_HEADING.match(normalise(heading))
    return match.group(1) if match else None


def header_score(row: list[str]) -> int:
    """How header-like a row is: known headings and year headings."""
    return sum(1 for cell in row if normalise(cell) in SYNONYMS or year_of(cell))


def find_header(grid: Grid) -> int:
    """Index (in grid.rows) of the header row: the first of the top rows naming an indicator
    column and at least one other known column."""
    for index, row in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        fields = {SYNONYMS.get(normalise(c)) for c in row}
        if "indicator" in fields and header_score(row) >= 2:
            return index
    raise LayoutError("找不到表头：前15行中没有同时包含“指标”列和“地区/年份/数值”等列的行。"
                      "请使用下载的模板，或把表头改为 指标、地区、年份、数值。")


def merged_headings(grid: Grid, index: int) -> tuple[list[str], int]:
    """Column headings and the number of header rows. A second header row holding years under
    a merged first-row cell (e.g. 「年份」 spanning 2020…2024) is combined into one."""
    first = grid.rows[index]
    below = grid.rows[index + 1] if index + 1 < len(grid.rows) else []
    below = below + [""] * (len(first) - len(below))
    years_below = [i for i, cell in enumerate(below) if year_of(cell)]
    # A data row holds one year at most; a second header row holds several, all different.
    distinct = len({year_of(below[i]) for i in years_below}) == len(years_below) >= 2
    if distinct and all(year_of(first[i]) is None for i in years_below):
        width = max(len(first), len(below))
        first = first + [""] * (width - len(first))
        return [below[i] or first[i] for i in range(width)], 2
    return list(first), 1


def assign_roles(columns: list[str], is_region: Callable[[str], bool]) -> Layout:
    """Decide each column's role and the layout kind."""
    roles, spread = {}, {}
    for i, heading in enumerate(columns):
        field = SYNONYMS.get(normalise(heading))
        if field and field not in roles.values():
            roles[i] = field
        elif year_of(heading):
            spread[i] = year_of(heading)
    present = set(roles.values())
    if "value" in present and "year" in present:
        return Layout("long", [], columns, roles, {})
    if spread:
        return Layout("wide_years", [], columns, roles, spread)
    regions = {i: h for i, h in enumerate(columns) if i not in roles and h and is_region(h)}
    if regions and "year" in present:
        return Layout("wide_regions", [], columns, roles, regions)
    missing = [name for name, key in (("年份", "year"), ("数值", "value")) if key not in present]
    raise LayoutError(f"表头缺少{'、'.join(missing)}列，也没有按年份（如 2020、2020年）"
                      "或按地区排列的数值列。")


def data_rows(grid: Grid, start: int) -> list[tuple[int, list[str]]]:
    """(Excel row, cells) of the data: empty rows, 合计 rows and everything from the first
    footnote (注：…) or signature line (填表人：…) on are left out."""
    kept = []
    for number, row in zip(grid.row_numbers[start:], grid.rows[start:]):
        cells = [c for c in row if c]
        if not cells:
            continue
        if FOOTNOTE.match(cells[0]) or (len(cells) == 1 and len(cells[0]) > 20):
            break
        # Every total ends in 计 and NFKC maps no other character to it: normalise only such
        # cells (normalising 3 cells of every row was a third of reading a large file).
        if any("计" in c and TOTAL_ROW.match(normalise(c)) for c in row[:3]):
            continue
        kept.append((number, row))
    return kept


def records(grid: Grid, is_region: Callable[[str], bool]) -> tuple[pd.DataFrame, Layout]:
    """Long records of the grid, one per value cell, and the layout found."""
    index = find_header(grid)
    columns, header_count = merged_headings(grid, index)
    layout = assign_roles(columns, is_region)
    layout = Layout(layout.kind, grid.row_numbers[index:index + header_count], columns,
                    layout.roles, layout.spread)
    rows = data_rows(grid, index + header_count)
    by_role = {field: i for i, field in layout.roles.items()}
    spread_field = {"long": None, "wide_years": "year", "wide_regions": "region"}[layout.kind]
    value_columns = ([by_role["value"]] if layout.kind == "long" else list(layout.spread))
    out = []
    for number, row in rows:
        cells = row + [""] * (len(columns) - len(row))
        base = {f: cells[i] for f, i in by_role.items()}
        for column in value_columns:
            record = {**base, "row": number, "value": cells[column],
                      "value_column": columns[column] or f"第{column + 1}列"}
            if spread_field:
                record[spread_field] = layout.spread[column]
            out.append(record)
    text = [c for c in RECORD_COLUMNS if c != "row"]
    # Cast before filling: a field the sheet lacks is all-NaN float, which pandas will no
    # longer fill with text.
    frame = pd.DataFrame(out).reindex(columns=RECORD_COLUMNS).astype({c: "string" for c in text})
    return frame.fillna({c: "" for c in text}), layout
