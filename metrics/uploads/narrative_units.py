"""Whether a figure may be an indicator's value by its unit, the unit it is read in, and the
words around it that make it a bound rather than a value (99%以上, 低于1‰)."""
from __future__ import annotations

import re

from metrics.uploads import narrative_numbers as numbers
from metrics.uploads.narrative_numbers import Figure

BOUND_BEFORE = re.compile(r"(?:低于|高于|不低于|不高于|不超过|超过|小于|大于)$")
BOUND_AFTER = re.compile(r"^(?:以下|以内|以上|左右)")
# 孕产妇死亡率（1/10万）为10.5: the unit written in brackets after the name.
BRACKETED_UNIT = re.compile(r"\((?P<unit>[^()]{1,8})\)")


def fits(expected: str, figure: Figure, kinds: dict[str, str]) -> bool:
    """Whether a figure may be the value of an indicator in `expected` (`kinds`: unit → kind)
    by its unit: the indicator's, one it converts from (‰ for %), or none written. 12个 after
    婴儿死亡率 counts something else."""
    if figure.unit is None:  # 托位数达到3.2个 for 个/千人: the measure word heads the unit
        return kinds.get(expected) == "count" or expected.startswith(f"{figure.written[-1]}/")
    return (figure.unit in ("", expected) or expected.startswith(f"{figure.unit}/")
            or kinds.get(figure.unit) == kinds.get(expected) == "rate")


def read_unit(expected: str, figure: Figure, link: str) -> str:
    """The unit a value is read in: the indicator's for 0.8人 (人/千名儿童) and 12个; the one
    written after the figure; else the one in brackets after the name; else ''."""
    if figure.unit is None or expected.startswith(f"{figure.unit}/"):
        return expected
    written = BRACKETED_UNIT.search(link)
    return figure.unit or (numbers.unit_of(written["unit"]) if written else "")


def bound(plain: str, figure: Figure) -> str | None:
    """以上, 左右, 低于 … written around a figure, if any."""
    found = BOUND_AFTER.match(plain[figure.end:figure.end + 2]) or \
        BOUND_BEFORE.search(plain, max(figure.start - 3, 0), figure.start)
    return found.group(0) if found else None
