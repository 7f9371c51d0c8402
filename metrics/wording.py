"""Writing values with their units the way Chinese statistical reports do: 98.5%, 4.64‰,
14.3/10万, 11.2年."""
from __future__ import annotations

import math

# How a unit is appended to a number: "1/10万" reads "/10万" after the number.
SUFFIX = {"1/10万": "/10万", "1/万": "/万", "比值": ""}


def unit_suffix(unit: str) -> str:
    """Text written straight after the number."""
    return SUFFIX.get(unit, unit)


def difference_unit(unit: str) -> str:
    """Unit of a difference or a band: a change of a percentage is in percentage points."""
    return "个百分点" if unit == "%" else unit_suffix(unit)


def format_number(value: float | None, decimals: int | None = None) -> str:
    """A number with the indicator's decimals ('—' for missing); trailing zeros dropped only
    when no decimals are given."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if decimals is None:
        return f"{value:g}"
    return f"{value:.{int(decimals)}f}"


def format_value(value: float | None, unit: str, decimals: int | None = None) -> str:
    """Number plus unit, e.g. 14.3/10万; '—' when missing."""
    number = format_number(value, decimals)
    return number if number == "—" else f"{number}{unit_suffix(unit)}"
