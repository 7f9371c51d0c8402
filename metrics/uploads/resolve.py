"""Matching what people write to catalogue codes: indicators by code, name or alias; regions by
code or name, with or without 省/市/县/区 suffixes, a parent column telling apart two counties
of one name. Each distinct text is matched once, then mapped over the column."""
from __future__ import annotations

import difflib
import re

import numpy as np
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


class RegionIndex:
    """Region names and codes prepared for matching a whole column at once."""

    def __init__(self, regions: pd.DataFrame):
        self.regions = regions
        self.codes = set(regions["code"])
        self.by_name: dict[str, list[str]] = {}
        for code, name, short in zip(regions["code"], regions["name"], regions["short_name"]):
            for key in {normalise(name), normalise(short or name),
                        normalise(regions_module.strip_suffix(name))}:
                self.by_name.setdefault(key, []).append(code)
        self.tree = regions_module.RegionTree(regions)

    def candidates(self, text: str) -> list[str]:
        """Codes a written region may mean."""
        key = normalise(text)
        if re.fullmatch(r"\d{6}", key):
            return [key] if key in self.codes else []
        hits = self.by_name.get(key) or self.by_name.get(
            normalise(regions_module.strip_suffix(text)), [])
        return sorted(set(hits))

    def is_region_heading(self, text: str) -> bool:
        """Whether a column heading names a region or is written like one (regions-as-columns
        layout). A misspelt (港东区) or ambiguous (朝阳区) heading counts, so that its values are
        reported with the heading rather than silently left out."""
        if self.candidates(text):
            return True
        key = normalise(text)
        return bool(REGION_LIKE.match(key)) and not TOTAL_HEADING.match(key)

    def narrow(self, codes: list[str], parent_text: str) -> list[str]:
        """Keep the candidates lying under the region named in the parent column."""
        parents = self.candidates(parent_text) if parent_text else []
        if not parents:
            return codes
        inside = self.tree.under(codes, parents)
        return [c for c, under in zip(codes, inside) if under] or codes

    def label(self, code: str) -> str:
        """北京市/朝阳区（110105）, for messages."""
        return f"{'/'.join(self.tree.path_names(code))}（{code}）"

    def resolve(self, texts: pd.Series, parents: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Region codes for a column (NA where unknown or ambiguous), and for the ambiguous
        rows the labels of their candidates."""
        # Each distinct (text, parent) is looked up once and spread back by position.
        text_position, text_distinct = pd.factorize(texts.fillna(""))
        parent_position, parent_distinct = pd.factorize(parents.fillna(""))
        pair_key = text_position.astype("int64") * len(parent_distinct) + parent_position
        distinct_keys, position = np.unique(pair_key, return_inverse=True)
        chosen, ambiguous = [], {}
        for number, key in enumerate(distinct_keys):
            text, parent = (text_distinct[key // len(parent_distinct)],
                            parent_distinct[key % len(parent_distinct)])
            found = self.narrow(self.candidates(text), parent)
            chosen.append(found[0] if len(found) == 1 else None)
            if len(found) > 1:
                ambiguous[number] = [self.label(c) for c in found]
        codes = pd.Series(pd.array(chosen, dtype="string").take(position), index=texts.index)
        hit = np.flatnonzero(pd.Index(position).isin(list(ambiguous)))
        flagged = {texts.index[i]: ambiguous[position[i]] for i in hit}
        return codes, pd.Series(flagged, dtype=object)
