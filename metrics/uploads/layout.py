"""From a grid of cells to long records (indicator, region, year, value as written), whatever
the sheet's shape: a title row above the header, a two-row merged header, footnotes and 合计
rows below the data; long layout, years as columns (2020 / 2020年), or regions as columns.

Nothing is interpreted here beyond finding where things are: values stay text, and every record
keeps the Excel row and the column heading it came from, so problems can point at the cell.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.text import normalise
from metrics.uploads import rows as sheet_rows
from metrics.uploads.reading import Grid

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
    "numerator": ["分子", "numerator"],
    "denominator": ["分母", "denominator"],
}
SYNONYMS = {name: field for field, names in HEADERS.items() for name in names}
# Headings holding a code; a sheet may have one of these beside a name column of the same
# field (the template has 指标代码 and 指标名称, statistical exports 区划代码 and 地区名称), and
# then both are read and must agree: the name column takes the role given here.
CODE_HEADINGS = {"indicator": {"指标代码", "指标编码", "indicator_code", "indicatorcode"},
                 "region": {"地区代码", "行政区划代码", "区划代码", "region_code", "regioncode"}}
NAME_ROLES = {"indicator": "indicator_name", "region": "region_name"}
YEAR_HEADING = re.compile(r"^((?:19|20)\d{2})(?:年|年度)?(?:数据|数值|值)?$")
RECORD_COLUMNS = ["row", "indicator", "indicator_name", "region", "region_name", "parent", "year",
                  "value", "unit", "source", "note", "numerator", "denominator", "value_column"]
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
    total_rows: tuple[int, ...] = ()   # Excel rows left out as 合计/总计 rows
    notes_from: int | None = None      # Excel row of the footnote or signature ending the data
    # (first, second) column index of two columns for one role (数值 twice): which one is
    # meant cannot be known, so the sheet is refused rather than the second ignored.
    repeated_roles: tuple[tuple[int, int], ...] = ()
    # (Excel row, column heading, text) of rows among the data that are no data: a footnote or
    # a long lone cell above a data row.
    stray_rows: tuple[tuple[int, str, str], ...] = ()

    def roles_by_field(self) -> dict[str, int]:
        """Field → its column index."""
        return {field: i for i, field in self.roles.items()}


def year_of(heading: str) -> str | None:
    """'2020', '2020年', '2020年数据' → '2020'; None for anything else."""
    match = YEAR_HEADING.match(normalise(heading))
    return match.group(1) if match else None


def header_score(row: list[str]) -> int:
    """How header-like a row is: known headings and year headings."""
    return sum(1 for cell in row if normalise(cell) in SYNONYMS or year_of(cell))


def find_header(grid: Grid) -> int:
    """Position (in grid.cells) of the header row: the first of the top rows naming an
    indicator column and at least one other known column."""
    for index, row in enumerate(grid.head(HEADER_SCAN_ROWS)):
        fields = {SYNONYMS.get(normalise(c)) for c in row}
        if "indicator" in fields and header_score(row) >= 2:
            return index
    raise LayoutError("找不到表头：前15行中没有同时包含“指标”列和“地区/年份/数值”等列的行。"
                      "请使用下载的模板，或把表头改为 指标、地区、年份、数值。")


def merged_headings(grid: Grid, index: int) -> tuple[list[str], int]:
    """Column headings and the number of header rows. A second header row holding years under
    a merged first-row cell (e.g. 「年份」 spanning 2020…2024) is combined into one."""
    top = grid.head(index + 2)
    first = top[index]
    below = top[index + 1] if index + 1 < len(top) else []
    below = below + [""] * (len(first) - len(below))
    years_below = [i for i, cell in enumerate(below) if year_of(cell)]
    # A data row holds one year at most; a second header row holds several, all different,
    # under one merged cell: only the first of them has a heading above it. A long sheet's data
    # row can hold two year-like cells (2020 under 年份, a count of 2031 under 数值).
    distinct = len({year_of(below[i]) for i in years_below}) == len(years_below) >= 2
    first = first + [""] * (len(below) - len(first))
    under_one_cell = all(first[i] == "" for i in years_below[1:])
    if distinct and under_one_cell and all(year_of(first[i]) is None for i in years_below):
        return [below[i] or first[i] for i in range(len(first))], 2
    return list(top[index]), 1


def is_code_heading(heading: str, field: str) -> bool:
    """Whether a heading of the field names a code column (指标代码, 区划代码) rather than a
    name column."""
    return normalise(heading) in CODE_HEADINGS[field]


def column_roles(columns: list[str]) -> tuple[dict[int, str], dict[int, str], tuple]:
    """Roles by column index, years written in headings, and pairs of columns for one role.
    An indicator (or region) code column beside a name column is the indicator (region), the
    other indicator_name (region_name)."""
    taken, spread, repeated = {}, {}, []
    for i, heading in enumerate(columns):
        field = SYNONYMS.get(normalise(heading))
        first = taken.get(field)
        if (field in CODE_HEADINGS and first is not None and NAME_ROLES[field] not in taken
                and is_code_heading(columns[first], field) != is_code_heading(heading, field)):
            code, name = (i, first) if is_code_heading(heading, field) else (first, i)
            taken.update({field: code, NAME_ROLES[field]: name})
        elif first is not None:
            repeated.append((first, i))
        elif field:
            taken[field] = i
        elif year_of(heading):
            spread[i] = year_of(heading)
    roles = dict(sorted((i, field) for field, i in taken.items()))
    return roles, spread, tuple(repeated)


def assign_roles(columns: list[str], is_region: Callable[[str], bool]) -> Layout:
    """Decide each column's role and the layout kind."""
    roles, spread, repeated = column_roles(columns)
    present = set(roles.values())
    if "value" in present and "year" in present:
        return Layout("long", [], columns, roles, {}, repeated_roles=repeated)
    if spread:
        return Layout("wide_years", [], columns, roles, spread, repeated_roles=repeated)
    regions = {i: h for i, h in enumerate(columns) if i not in roles and h and is_region(h)}
    if regions and "year" in present:
        return Layout("wide_regions", [], columns, roles, regions, repeated_roles=repeated)
    missing = [name for name, key in (("年份", "year"), ("数值", "value")) if key not in present]
    raise LayoutError(f"表头缺少{'、'.join(missing)}列，也没有按年份（如 2020、2020年）"
                      "或按地区排列的数值列。")


def records(grid: Grid, is_region: Callable[[str], bool]) -> tuple[pd.DataFrame, Layout]:
    """Long records of the grid, one per value cell, and the layout found."""
    index = find_header(grid)
    columns, header_count = merged_headings(grid, index)
    layout = assign_roles(columns, is_region)
    header_rows = [int(n) for n in grid.row_numbers[index:index + header_count]]
    rows = sheet_rows.data_rows(grid, index + header_count, value_columns(layout))
    notes_from = None if rows.notes_from is None else int(grid.row_numbers[rows.notes_from])
    layout = Layout(layout.kind, header_rows, columns, layout.roles, layout.spread,
                    tuple(int(n) for n in grid.row_numbers[rows.totals]), notes_from,
                    layout.repeated_roles, stray_cells(grid, rows.stray, columns))
    frame = spread_records(grid.cells.iloc[rows.kept], grid.row_numbers[rows.kept], layout)
    frame["value_date"] = value_dates(frame, layout, grid.dates)
    return frame, layout


def value_dates(frame: pd.DataFrame, layout: Layout, dates: dict[tuple[int, int], str]
                ) -> pd.Series:
    """The date a record's value cell holds ('' for a number or text), so the checks can
    refuse it: Excel turns 1-5 into 5 January, which would otherwise read as the year."""
    blank = pd.Series("", index=frame.index, dtype="string")
    if not dates:
        return blank
    value_columns = [layout.roles_by_field()["value"]] if layout.kind == "long" else \
        list(layout.spread)
    columns = np.tile(value_columns, len(frame) // max(len(value_columns), 1))
    found = [dates.get((row, column), "") for row, column in zip(frame["row"], columns)]
    return pd.Series(found, index=frame.index, dtype="string")


def value_columns(layout: Layout) -> list[int]:
    """Positions of the columns holding values: the 数值 column, or the year/region columns."""
    return [layout.roles_by_field()["value"]] if layout.kind == "long" else list(layout.spread)


def stray_cells(grid: Grid, positions, columns: list[str]) -> tuple[tuple[int, str, str], ...]:
    """(Excel row, heading, text) of each stray row's first filled cell."""
    found = []
    for position in positions:
        cells = list(grid.cells.iloc[position])
        column = next(i for i, cell in enumerate(cells) if cell != "")
        heading = columns[column] if column < len(columns) and columns[column] else \
            f"第{column + 1}列"
        found.append((int(grid.row_numbers[position]), heading, cells[column]))
    return tuple(found)


def spread_records(rows: pd.DataFrame, row_numbers: np.ndarray, layout: Layout) -> pd.DataFrame:
    """One record per value cell, row by row and left to right within a row: the row's
    indicator, region … cells repeated, and for a wide sheet the year or region of the value's
    column heading. Cells stay Arrow strings throughout (a round trip through Python objects
    was most of the cost at a million rows)."""
    value_positions = value_columns(layout)
    count, per_row = len(rows), len(value_positions)
    rows = rows.reset_index(drop=True)
    repeat = np.repeat(np.arange(count), per_row)
    # Value cells read row by row: cell (r, j) of the stacked value columns is at j·count + r.
    by_row = (np.arange(count)[:, None] + np.arange(per_row)[None, :] * count).ravel()
    stacked = pd.concat([rows.iloc[:, c] for c in value_positions], ignore_index=True)
    frame = pd.DataFrame({"row": np.repeat(row_numbers.astype("int64"), per_row)})
    blank = pd.Series("", index=frame.index, dtype="string")
    for field in RECORD_COLUMNS[1:]:
        frame[field] = blank
    for i, field in layout.roles.items():
        frame[field] = rows.iloc[:, i].take(repeat).reset_index(drop=True)
    frame["value"] = stacked.take(by_row).reset_index(drop=True).astype("string")
    headings = [layout.columns[c] or f"第{c + 1}列" for c in value_positions]
    frame["value_column"] = repeated_labels(headings, count)
    spread_field = {"wide_years": "year", "wide_regions": "region"}.get(layout.kind)
    if spread_field:
        frame[spread_field] = repeated_labels([layout.spread[c] for c in value_positions],
                                              count)
    return frame


def repeated_labels(labels: list[str], count: int) -> pd.Series:
    """labels, repeated `count` times over, as strings."""
    return pd.Series(np.tile(np.asarray(labels, dtype=object), count), dtype="string")
