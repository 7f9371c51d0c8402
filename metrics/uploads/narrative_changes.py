"""Changes as reports write them after (or before) a value: 比上年提高1.2个百分点, 同比下降0.3个
千分点, 较2020年下降3.1/10万, 比上年增长0.5%. Only a change in the value's own terms, against
the year before, gives that year's value (91.3% − 1.2 points = 90.1%); a change in percent may
be points or percent and gives nothing; a change against another year is against a baseline
the report does not give, a hint."""
from __future__ import annotations

import re
from dataclasses import dataclass

CHANGE = re.compile(r"(?:(?:比|较|与)(?P<base>上年|去年|上一年|(?P<year>(?:19|20)\d{2})年(?:底|末)?)"
                    r"(?:同期)?(?:相比)?,?|同比)(?:分别|均|都)?"
                    r"(?P<way>提高|增加|上升|增长|提升|下降|降低|减少|回落)了?$")
UP = ("提高", "增加", "上升", "增长", "提升")
# Changes from which the value of the year before follows: (unit of the change, of the value).
ABSOLUTE_CHANGES = {("个百分点", "%"), ("个千分点", "‰"), ("‰", "‰"), ("1/10万", "1/10万"),
                    ("1/万", "1/万"), ("岁", "岁"), ("年", "年")}


@dataclass(frozen=True)
class Previous:
    """What a change says of the value before: that value and its year, or why not (`note`,
    in Chinese; `baseline` when it is against a year other than the one before)."""
    value: float | None
    year: int | None
    note: str
    baseline: bool = False


def previous(value: float, year: int | None, unit: str, change: float, change_unit: str | None,
             phrase: re.Match, written: str) -> Previous:
    """The value before a `value` of `year` in `unit` that changed by `change` as `phrase`
    (a CHANGE match) says; `written` is the phrase with its figure, for the notes."""
    base_year = int(phrase["year"]) if phrase["year"] else year - 1 if year is not None else None
    if phrase["year"] and (year is None or base_year != year - 1):
        return Previous(None, base_year, f"「{written}」是与{base_year}年（基期）相比的变化，不是比"
                                         f"上年，未推算{base_year}年数值。", baseline=True)
    if (change_unit, unit) not in ABSOLUTE_CHANGES or base_year is None:
        return Previous(None, None, f"「{written}」：不能确定是百分点还是百分比（或未写单位），"
                                    "未推算上年数值。")
    sign = -1 if phrase["way"] in UP else 1
    decimals = max(decimal_places(value), decimal_places(change))
    return Previous(round(value + sign * change, decimals), base_year,
                    f"由「{written}」推算{base_year}年数值。")


def decimal_places(value: float) -> int:
    """Decimals a value is written with (99.98 → 2)."""
    text = f"{value:.10g}"
    return len(text.split(".")[1]) if "." in text else 0
