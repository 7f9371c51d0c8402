"""What the product writes into a spreadsheet cell (.xlsx or .csv): a text is always text.

Excel, WPS and LibreOffice run a cell that begins with = + - @ (or a tab or carriage return
before one) as a formula, so a note typed as =HYPERLINK(…) or =cmd|' /C calc'!A0 would act when
the briefing is opened. As OWASP recommends for CSV injection, such a text gets a leading single
quote. The rule looks at the text only, not at who wrote it: the product's own '-0.5个百分点'
is quoted too, because telling "our" texts from quoted user text apart is where such rules break.
Numbers (int, float, numpy numbers) are left alone and keep their numeric type, so negative
values stay sortable numbers. The importer strips exactly that quote again (`restored`), so a
template the product wrote reads back unchanged.
"""
from __future__ import annotations

import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# A quote the product put before a formula start; the importer removes it and nothing else.
ADDED_QUOTE = re.compile("^'(?=[=+\\-@\t\r])")


def inert(value):
    """The value as it may go into a cell: a text beginning like a formula gets a leading ';
    anything else (numbers, None, other texts) is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell and every column heading made inert, for CSV writers."""
    return frame.map(inert).rename(columns=inert)


def restored(texts: pd.Series) -> pd.Series:
    """Cells read back from a file: the quote `inert` added removed (text columns)."""
    return texts.str.replace(ADDED_QUOTE, "", regex=True)


def write_cell(sheet, row: int, column: int, value):
    """Put a value into an openpyxl sheet: texts inert and stored as strings (data type 's'),
    never as formulas; numbers as numbers. Returns the cell for styling."""
    cell = sheet.cell(row, column, inert(value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def write_row(sheet, row: int, values) -> None:
    """Put a row of values into an openpyxl sheet from column 1, as `write_cell` does."""
    for column, value in enumerate(values, start=1):
        write_cell(sheet, row, column, value)
