"""Which rows below the header are data: empty rows and 合计 rows are left out, and so is
the tail of footnotes (注：…) and signature lines (填表人：…) after the last data row. A row that
looks like a footnote or is one long lone cell but lies above a data row is a stray row:
reported, never taken as the end of the data (a 21-character indicator name on a row of its own
once made every row below it a "footnote", silently left out).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.text import normalise
from metrics.uploads.reading import Grid

TOTAL_ROW = re.compile(r"^(合计|总计|小计|全市合计|全省合计)$")
# Rows that end the data: footnotes (注：…) and the signature line of a report form
# (填表人：… 审核人：… 填报日期：…).
FOOTNOTE = re.compile(r"^(注|说明|备注|资料来源|数据来源|填报说明|填表说明)\s*[:：\d]"
                      r"|^(单位负责人|统计负责人|负责人|填表人|填报人|制表人|审核人|联系人|"
                      r"联系电话|填报日期|填表日期|报出日期|填报单位)\s*[:：]")
# First words of a FOOTNOTE line, to pick the few rows worth matching against it.
FOOTNOTE_STARTS = ("注", "说明", "备注", "资料来源", "数据来源", "填报", "填表", "单位负责人",
                   "统计负责人", "负责人", "制表人", "审核人", "联系人", "联系电话", "报出日期")


@dataclass(frozen=True)
class DataRows:
    """Positions (in grid.cells) of the data rows, of the 合计 rows left out, of the stray rows
    among the data, and of the footnote or signature line from which on everything is left out
    (None if there is none)."""
    kept: np.ndarray
    totals: np.ndarray
    stray: np.ndarray
    notes_from: int | None


def data_rows(grid: Grid, start: int, value_columns: list[int]) -> DataRows:
    """The data rows from `start`; a data row has a cell in one of `value_columns`. Column
    operations over the whole sheet; only the few candidate rows meet a Python regex."""
    cells = grid.cells.iloc[start:]
    filled = cells.ne("").to_numpy(dtype=bool)
    count = filled.sum(axis=1)
    ends = ends_data(first_filled(cells), count)
    position = np.arange(len(cells))
    with_values = np.flatnonzero(filled[:, value_columns].any(axis=1) & ~ends)
    last = int(with_values[-1]) if len(with_values) else -1
    tail = np.flatnonzero(ends & (position > last))
    stop = int(tail[0]) if len(tail) else len(cells)
    total = total_rows(cells) & (position < stop)
    stray = ends & (position < stop)
    keep = (count > 0) & ~total & ~stray & (position < stop)
    return DataRows(start + np.flatnonzero(keep), start + np.flatnonzero(total),
                    start + np.flatnonzero(stray), start + stop if len(tail) else None)


def first_filled(cells: pd.DataFrame) -> pd.Series:
    """Each row's first non-empty cell ('' for an empty row)."""
    first = pd.Series("", index=cells.index, dtype="string")
    for position in reversed(range(cells.shape[1])):
        column = cells.iloc[:, position]
        first = column.where(column.ne(""), first)
    return first


def ends_data(first: pd.Series, count: np.ndarray) -> np.ndarray:
    """Rows that end the data: a footnote or signature line, or one long lone cell."""
    candidate = first.str.startswith(FOOTNOTE_STARTS).to_numpy(dtype=bool, na_value=False)
    footnote = np.zeros(len(first), dtype=bool)
    footnote[candidate] = [bool(FOOTNOTE.match(text)) for text in first[candidate]]
    lone_long = (count == 1) & (first.str.len() > 20).to_numpy(dtype=bool, na_value=False)
    return footnote | lone_long


def total_rows(cells: pd.DataFrame) -> np.ndarray:
    """Rows with a 合计/总计 … in one of their first three cells. Every total ends in 计 and
    NFKC maps no other character to it, so only cells holding 计 are normalised."""
    total = np.zeros(len(cells), dtype=bool)
    for position in range(min(3, cells.shape[1])):
        column = cells.iloc[:, position]
        candidate = column.str.contains("计", regex=False).to_numpy(dtype=bool, na_value=False)
        total[candidate] |= np.array([bool(TOTAL_ROW.match(normalise(text)))
                                      for text in column[candidate]], dtype=bool)
    return total
