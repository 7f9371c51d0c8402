"""Matching what people write to catalogue codes: indicators by code, name or alias, each
distinct text matched once, then mapped over the column; and telling a region heading apart in
a regions-as-columns sheet. Regions themselves are matched by metrics.regions.RegionResolver."""
from __future__ import annotations

import difflib
import re

import pandas as pd

from metrics import regions as regions_module
from metrics.catalogue import LIST_SEPARATOR
from metrics.text import normalise
from metrics.uploads import values

UNIT_IN_NAME = re.compile(r"[（(][^（）()]*[）)]$")  # 孕产妇死亡率（1/10万） → 孕产妇死亡率
# A heading written like a region name (港东区, 平南县) even if no region has that name; 全市,
# 全区, 本级 … are totals, not regions.
REGION_LIKE = re.compile(r"^[\u4e00-\u9fff]{2,}(省|市|区|县|旗|盟|州)$")
TOTAL_HEADING = re.compile(r"^(全|本级|市本级|市辖|合计|总计|小计)")


def indicator_lookup(indicators: pd.DataFrame) -> dict[str, str]:
    """Normalised code, name and every alias → indicator code."""
    lookup = {}
    for code, name, aliases in zip(indicators["code"], indicators["name"],
                                   indicators["aliases"].fillna("")):
        for text in [code, name, *aliases.split(LIST_SEPARATOR)]:
            if text:
                lookup[normalise(text)] = code
    return lookup


def match_indicator(text: str, lookup: dict[str, str]) -> str | None:
    """The code of one written indicator name, trying it without a trailing （unit）."""
    key = normalise(text)
    if key in lookup:
        return lookup[key]
    stripped = UNIT_IN_NAME.sub("", key)
    return lookup.get(stripped)


def indicators(texts: pd.Series, catalogue_indicators: pd.DataFrame) -> pd.Series:
    """Indicator codes for a column of written names (NA where unknown)."""
    lookup = indicator_lookup(catalogue_indicators)
    distinct = {t: match_indicator(t, lookup) for t in texts.dropna().unique()}
    return values.look_up(texts, pd.Series(distinct, dtype="string"))


def suggest_indicator(text: str, catalogue_indicators: pd.DataFrame) -> str:
    """A hint naming the closest catalogue names."""
    names = list(catalogue_indicators["name"])
    close = difflib.get_close_matches(text, names, n=3, cutoff=0.4)
    if not close:
        return "请使用指标目录中的名称或代码，可下载模板查看。"
    return "是否为：" + "、".join(f"「{n}」" for n in close) + "？"


def is_region_heading(resolver: regions_module.RegionResolver, text: str) -> bool:
    """Whether a column heading names a region or is written like one (regions-as-columns
    layout). A misspelt (港东区) or ambiguous (朝阳区) heading counts, so that its values are
    reported with the heading rather than silently left out."""
    if resolver.candidates(text):
        return True
    key = normalise(text)
    return bool(REGION_LIKE.match(key)) and not TOTAL_HEADING.match(key)
