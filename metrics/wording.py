"""How figures read on screen and on paper, written once: values with their units the way
Chinese statistical reports do (98.5%, 4.64‰, 14.3/10万, 11.2年), shares as percents, dates,
and the text colour that reads on a status colour.

A value of an indicator is shown with the indicator's decimals (93.0%, not 93%);
format_number without decimals is for derived figures (a tolerance, a count). A value about
to be stored, or stored by a batch, is shown whole (format_stored: 99.96%, never 100.0%).
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pandas as pd

# How a unit is appended to a number: "1/10万" reads "/10万" after the number.
SUFFIX = {"1/10万": "/10万", "1/万": "/万", "比值": ""}
# Batches and notes are timed to the minute.
TIME_FORMAT = "%Y-%m-%d %H:%M"
DARK_TEXT, LIGHT_TEXT = "#1a1a1a", "#ffffff"
# A float holds 15 significant decimal digits exactly (DBL_DIG): a value a file wrote with up to
# 15 shows as written; the digits beyond are a unit conversion's binary noise (0.07% → 0.7‰, not
# 0.7000000000000001‰), not the file's.
STORED_DIGITS = 15


def unit_suffix(unit: str) -> str:
    """Text written straight after the number."""
    return SUFFIX.get(unit, unit)


def difference_unit(unit: str) -> str:
    """Unit of a difference or a band: a change of a percentage is in percentage points."""
    return "个百分点" if unit == "%" else unit_suffix(unit)


def format_number(value: float | None, decimals: int | None = None) -> str:
    """A number with the indicator's decimals ('—' for missing); trailing zeros dropped only
    when no decimals are given (None or missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if decimals is None or pd.isna(decimals):
        return f"{value:g}"
    return f"{value:.{int(decimals)}f}"


def format_value(value: float | None, unit: str, decimals: int | None = None) -> str:
    """Number plus unit, e.g. 14.3/10万; '—' when missing."""
    number = format_number(value, decimals)
    return number if number == "—" else f"{number}{unit_suffix(unit)}"


def format_stored(value: float | None, unit: str, decimals: int | None = None) -> str:
    """A value as it is (or will be) stored, for an upload's preview and a batch's changes:
    the indicator's decimals at least (93.0%) and every further decimal it holds (99.96% of a
    one-decimal indicator, not 100.0%); '—' when missing."""
    if value is None or pd.isna(value):
        return "—"
    exact = Decimal(f"{value:.{STORED_DIGITS}g}")
    least = 0 if decimals is None or pd.isna(decimals) else int(decimals)
    return f"{exact:.{max(-exact.as_tuple().exponent, least)}f}{unit_suffix(unit)}"


def latest_text(value: float | None, year: float | None, unit: str,
                decimals: int | None) -> str:
    """A latest value with its year, 5.8‰（2022年）; 无数据 when there is none."""
    if value is None or pd.isna(value):
        return "无数据"
    return f"{format_value(value, unit, decimals)}（{int(year)}年）"


def percent(share: float | None) -> str:
    """A share as a percent with one decimal, 0.8 → 80.0%; '—' when missing."""
    return "—" if share is None or pd.isna(share) else f"{share * 100:.1f}%"


def chinese_date(day: dt.date) -> str:
    """2025年11月23日 (no leading zeros, as in official documents)."""
    return f"{day.year}年{day.month}月{day.day}日"


def moment_text(moment: dt.datetime) -> str:
    """A batch's or a note's time to the minute, 2026-11-23 10:15."""
    return moment.strftime(TIME_FORMAT)


def is_dark(background: str) -> bool:
    """Whether white text reads better than dark text on #rrggbb (perceived brightness)."""
    red, green, blue = (int(background.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return 0.299 * red + 0.587 * green + 0.114 * blue <= 140


def text_colour(background: str) -> str:
    """The text colour for a #rrggbb background: dark on light colours, white on dark ones."""
    return LIGHT_TEXT if is_dark(background) else DARK_TEXT
