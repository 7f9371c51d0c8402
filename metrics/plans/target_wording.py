"""Targets as plans write them, read into the catalogue's target kinds: 「≥95%」, 「95%以上」,
「控制在12/10万以下」, 「保持在45%左右」, 「逐步提高」, 「较2020年下降20%」, 「到2030年达到96%」.

A bare number (「96%」, 「达到96%」) takes the indicator's direction: at least for a
higher-is-better indicator, at most for a lower-is-better one, around for a band. Measuring
notes (「（以乡镇为单位）」, 「以乡（镇）、街道为单位」) are left aside. What cannot be read is returned as
unreadable, never guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from metrics.text import normalise
from metrics.uploads.values import WRITTEN_UNITS

NOTE = re.compile(r"[（(][^（）()]*[）)]")
MEASURED_BY = re.compile(r"^以[^,，]{1,12}?为单位")  # 以乡（镇）、街道为单位：how it is counted
LEADING_YEAR = re.compile(r"^(?:到|至|在)?(?P<year>(?:19|20)\d{2})年(?:前|底|末)?[,，:：]?")
NUMBER = r"(?P<number>\d+(?:\.\d+)?)"
RELATIVE = re.compile(r"^(?:较|比|以)(?P<base>(?:19|20)\d{2})年(?:数据|水平)?(?:为基数|基础上)?"
                      r"(?:下降|降低|减少)" + NUMBER + r"%$")
INCREASE = re.compile(r"^(?:逐步|不断|稳步|持续|进一步|有所)?(?:提高|提升|增加|上升|增长|扩大)$")
DECREASE = re.compile(r"^(?:逐步|不断|稳步|持续|进一步|有所)?(?:下降|降低|减少|缩小)$"
                      r"|^(?:差距|城乡差距|区域差距)(?:逐步)?缩小$")
MAINTAIN = re.compile(r"^(?:保持|稳定|维持)(?:在)?(?:基线|现有|现在|当前)?(?:水平)?$")
AT_LEAST_WORDS = ("≥", ">=", "不低于", "不少于", "高于", "大于", "超过")
AT_MOST_WORDS = ("≤", "<=", "不高于", "不超过", "低于", "小于")
LEAD_WORDS = re.compile(r"^(?:保持在|保持|稳定在|维持在|控制在|达到|提高到|提高至|提升到|提升至|增加到|"
                        r"增至|降低到|降低至|降到|降至|下降到|下降至|减少到|约为|约|为)")
AT_LEAST_TAIL = ("及以上", "以上")
AT_MOST_TAIL = ("及以下", "以下", "以内")
AMOUNT = re.compile("^" + NUMBER + "(?P<unit>.*)$")


@dataclass(frozen=True)
class ReadTarget:
    """A target read from its wording: kind, value (None for direction-only kinds), the unit
    written after the number ('' when none), the year it names (None when none), and for a
    reduction the base year written (较2020年)."""
    kind: str
    value: float | None = None
    written_unit: str = ""
    year: int | None = None
    base_year: int | None = None


def read_target(text: str, direction: str, unit: str = "") -> ReadTarget | None:
    """The target a cell writes, for an indicator of this direction and unit (also accepted
    after the number: 1.12人/千名儿童); None when unreadable."""
    clean = MEASURED_BY.sub("", NOTE.sub("", normalise(text))).rstrip("。.;；")
    year = None
    found = LEADING_YEAR.match(clean)
    if found:
        year, clean = int(found["year"]), clean[found.end():]
    read = read_words(clean, direction, normalise(unit))
    if read is None:
        return None
    return ReadTarget(read.kind, read.value, read.written_unit, year, read.base_year)


def read_words(clean: str, direction: str, unit: str) -> ReadTarget | None:
    """The target of the wording once the year and notes are removed."""
    if INCREASE.match(clean):
        return ReadTarget("increase")
    if DECREASE.match(clean):
        return ReadTarget("decrease")
    if MAINTAIN.match(clean):
        return ReadTarget("maintain")
    relative = RELATIVE.match(clean)
    if relative:
        return ReadTarget("reduce_by_pct", float(relative["number"]), "%",
                          base_year=int(relative["base"]))
    return read_amount(clean, direction, unit)


def read_amount(clean: str, direction: str, unit: str) -> ReadTarget | None:
    """A number with its comparison: a sign or word before it, 以上/以下/左右 after it."""
    kind = None
    for words, named in ((AT_LEAST_WORDS, "at_least"), (AT_MOST_WORDS, "at_most")):
        prefix = next((w for w in words if clean.startswith(w)), None)
        if prefix:
            kind, clean = named, clean[len(prefix):]
    clean = LEAD_WORDS.sub("", clean)
    for tails, named in ((AT_LEAST_TAIL, "at_least"), (AT_MOST_TAIL, "at_most"),
                         (("左右",), "around")):
        tail = next((t for t in tails if clean.endswith(t)), None)
        if tail:
            if kind not in (None, named):
                return None
            kind, clean = named, clean[:-len(tail)]
    amount = AMOUNT.match(clean)
    if amount is None:
        return None
    written = amount["unit"]
    if written and written != unit and written not in WRITTEN_UNITS:
        return None
    kind = kind or {"higher": "at_least", "lower": "at_most"}.get(direction, "around")
    written = WRITTEN_UNITS.get(written, written)
    return ReadTarget(kind, float(amount["number"]), written)
