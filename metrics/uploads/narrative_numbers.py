"""Numbers, units and years as narrative reports write them, found in searchable text
(narrative_text.searchable): 99.98%, 11.2/10万, 4.64‰, 1.2个百分点, 1,234人, and in Chinese
numerals 百分之九十八点五, 千分之三点二, 十四点三/十万, 二〇一五年.

Chinese numerals are converted with cn2an only inside a figure already delimited here, with its
unit form (/10万, /十万, 千分之) taken off first: cn2an alone turns 十四点三/十万 into
14.3/100000 and leaves 千分之三点二 alone, and run over a whole text it rewrites 一是 and 进一步.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import cn2an

ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CHINESE = r"[零〇一二两三四五六七八九十百千万]+(?:点[零〇一二三四五六七八九]+)?"
# Written after the number → the unit as the catalogue writes it (None: a measure word, the
# indicator's own count unit). Longest first, so that /10万 is not read as /1.
SUFFIX_UNITS = {
    "个百分点": "个百分点", "个千分点": "个千分点", "个十万分点": "1/10万", "个万分点": "1/万", "%": "%", "‰": "‰", "‱": "1/万",
    "例/10万": "1/10万", "例/十万": "1/10万", "例/万": "1/万",
    "/100000": "1/10万", "/10万": "1/10万", "/十万": "1/10万", "/10000": "1/万", "/万": "1/万",
    "/1000": "‰", "/千": "‰", "万人次": "万人次", "人次": "人次", "万人": "万人", "亿人": "亿人",
    "万元": "万元", "亿元": "亿元", "元": "元", "岁": "岁", "年": "年", "人": "人", "名": "人",
    "个": None, "所": None, "家": None, "处": None, "张": "张", "期": "期", "场": "场",
    "次": "次", "户": "户", "件": "件", "篇": "篇", "支": "支", "批": "批", "项": "项",
}
PREFIX_UNITS = {"十万分之": "1/10万", "10万分之": "1/10万", "万分之": "1/万", "千分之": "‰",
                "百分之": "%"}
SUFFIX = "|".join(re.escape(unit) for unit in sorted(SUFFIX_UNITS, key=len, reverse=True))
PREFIX = "|".join(sorted(PREFIX_UNITS, key=len, reverse=True))
FIGURE = re.compile(
    r"(?<=[为是])(?P<zero>零)(?![零〇一二两三四五六七八九十百千万点])"
    rf"|(?P<prefix>{PREFIX})(?P<prefixed>{ARABIC}|{CHINESE})"
    rf"|(?P<arabic>{ARABIC})(?P<unit>{SUFFIX})?"
    rf"|(?P<chinese>{CHINESE})(?P<chinese_unit>{SUFFIX})")
YEAR = re.compile(r"(?P<digits>(?:19|20)\d{2})年(?:度)?|(?P<chinese>[一二][〇零九][〇零一二三四五六七八九]{2})年")
# A number followed by these is a date, a time span or a dotted number, not a figure (3月,
# 1-9月份, 5日, 1.2.3, 127.0.0.1).
NOT_A_FIGURE_AFTER = re.compile(r"^(?:月|日|号|季度|周|时|点|级|类|型|[-~～—至]\d|\.\d)")
# 91%—93%, 91～93%: two figures of one range.
RANGE_DASH = re.compile(r"[-~～—–至](?=\d)")
DIGIT_BY_DIGIT = str.maketrans("〇零一二两三四五六七八九点", "001223456789.")
# 第3, 前5名, a digit glued to a Latin word (G20), the tail of 1.2.3 or 127.0.0.1.
ORDINAL_BEFORE = re.compile(r"(?:[第前A-Za-z]|\d\.)$")


# A lone Chinese digit before a measure word is how reports speak (一年来, 两个确保, 三所学校
# is rare): figures are written in Arabic numerals or with 十/百/千/万/点.
IDIOMATIC = re.compile(r"[零〇一二两三四五六七八九]")


@dataclass(frozen=True)
class Figure:
    """A number found in a text: its span, value, and unit as the catalogue writes it ('' for
    none, None for a measure word such as 个 or 所, meaning the indicator's own count unit)."""
    start: int
    end: int
    value: float
    unit: str | None
    written: str
    low: float | None = None   # a range's first figure (91%—93%): the range is no value


@dataclass(frozen=True)
class YearMention:
    """A year written in a text (2015年, 二〇一五年)."""
    start: int
    end: int
    year: int


def chinese_number(text: str) -> float | None:
    """九十八点五 → 98.5, 二〇一五 → 2015, 一百二十 → 120; None when cn2an refuses it."""
    if not re.search("[十百千万]", text):
        digits = text.translate(DIGIT_BY_DIGIT)
        return float(digits) if re.fullmatch(r"\d+(?:\.\d+)?", digits) else None
    if text[0] in "百千万":  # 百分之百: cn2an reads 一百, not 百
        text = "一" + text
    try:
        return float(cn2an.cn2an(text, "normal"))
    except (ValueError, KeyError):
        return None


def number_of(text: str) -> float | None:
    """An Arabic or Chinese number as written (1,234.5 or 一千二百三十四点五)."""
    if re.fullmatch(ARABIC, text):
        return float(text.replace(",", ""))
    return chinese_number(text)


def figures(text: str, taken: list[tuple[int, int]]) -> list[Figure]:
    """Every figure in `text` outside the spans `taken` (years, indicator names such as
    5岁以下儿童死亡率): numbers with or without a unit, Chinese numerals only with one."""
    found, range_start = [], None
    for match in FIGURE.finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in taken) or follows_ordinal(text, start) \
                or is_bracketed_unit(text, start, end):
            continue
        starts_range = RANGE_DASH.match(text, end)
        if (NOT_A_FIGURE_AFTER.match(text[end:end + 3]) and not starts_range) \
                or is_list_marker(text, start, end):
            continue
        figure = figure_of(match)
        if figure is None:
            continue
        if starts_range:
            range_start = figure
        elif range_start is not None and RANGE_DASH.match(text[range_start.end:start + 1]) \
                and start == range_start.end + 1:
            found.append(dataclasses.replace(figure, start=range_start.start, low=range_start.value,
                                             written=text[range_start.start:end]))
        else:
            found.append(figure)
        if not starts_range:
            range_start = None
    return shared_units(text, found)


def shared_units(text: str, found: list[Figure]) -> list[Figure]:
    """A figure written without its unit before another joined to it by 和, 、, 与 or 及 takes
    that one's unit, as reports write it (分别提高1.2和0.8个百分点, 3.2、4.6‰)."""
    shared = list(found)
    for i in range(len(shared) - 2, -1, -1):
        figure, following = shared[i], shared[i + 1]
        if figure.unit == "" and following.unit and \
                text[figure.end:following.start] in ("和", "、", "与", "及"):
            shared[i] = dataclasses.replace(figure, unit=following.unit)
    return shared


def figure_of(match: re.Match) -> Figure | None:
    """The Figure of one FIGURE match (None when its Chinese numeral is not a number)."""
    if match["zero"]:
        value, unit = 0.0, ""
    elif match["prefix"]:
        value, unit = number_of(match["prefixed"]), PREFIX_UNITS[match["prefix"]]
    elif match["arabic"]:
        value, unit = number_of(match["arabic"]), SUFFIX_UNITS.get(match["unit"] or "", "")
    elif IDIOMATIC.fullmatch(match["chinese"]):
        return None
    else:
        value, unit = chinese_number(match["chinese"]), SUFFIX_UNITS[match["chinese_unit"]]
    if value is None:
        return None
    return Figure(match.start(), match.end(), value, unit, match.group(0))


def unit_of(written: str) -> str:
    """A unit written on its own (1/10万, ‰, %) as the catalogue writes it; '' if unknown."""
    unit = SUFFIX_UNITS.get(written.removeprefix("1") if written.startswith("1/") else written)
    return unit or ""


def is_bracketed_unit(text: str, start: int, end: int) -> bool:
    """（1/10万） after a name: its unit, not a figure."""
    return text[start - 1:start] == "(" and text[end:end + 1] == ")" \
        and text[start:end].startswith("1/")


def follows_ordinal(text: str, start: int) -> bool:
    """第3, 前5名: a position in a list, not a figure; nor a digit glued to a Latin word or
    after a dotted number's dot."""
    return bool(ORDINAL_BEFORE.search(text[max(start - 2, 0):start]))


def is_list_marker(text: str, start: int, end: int) -> bool:
    """1. / 2、 / (3) opening a sentence: an item's number, not a figure."""
    return text[:start].strip() in ("", "(") and text[end:end + 1] in ("、", ".", ")")


def years(text: str) -> list[YearMention]:
    """Every year written in `text`."""
    found = []
    for match in YEAR.finditer(text):
        value = int(match["digits"]) if match["digits"] else int(chinese_number(match["chinese"]))
        found.append(YearMention(match.start(), match.end(), value))
    return found
