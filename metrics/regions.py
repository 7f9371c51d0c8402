"""The region tree (全国 → province → city → county) and what people write for a region.

`RegionTree` walks the `regions` frame once into an array of parent positions; ancestors of one
code or of thousands, the path of names, children and "lies under" all derive from it.
`RegionResolver` matches codes and names as people write them, for the command line and uploads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from metrics.errors import NotFoundError
from metrics.text import normalise

NATIONAL_CODE = "000000"
LEVEL_LABELS = {"national": "全国", "province": "省级", "city": "市级", "county": "县级"}
# Six digits, or fewer when leading zeros were dropped (0 → 000000, as a spreadsheet writes it).
CODE_WITHOUT_LEADING_ZEROS = re.compile(r"\d{1,6}")
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "县", "区", "旗",
            "盟", "州")
# The levels a written suffix allows (regions.csv `level`). 市 is a municipality, a city or a
# county-level city; 区 a district or 林区; 州 how people shorten 自治州 (延边州 for
# 延边朝鲜族自治州, as 青龙县 for 青龙满族自治县). A name matched only once its suffix is dropped
# must be of one of these levels: 贵港县 is no 贵港市.
SUFFIX_LEVELS = {"特别行政区": {"province"}, "自治区": {"province"}, "省": {"province"},
                 "自治州": {"city"}, "地区": {"city"}, "盟": {"city"},
                 "市": {"province", "city", "county"},
                 "自治县": {"county"}, "自治旗": {"county"}, "县": {"county"}, "区": {"county"},
                 "旗": {"county"}, "州": {"city"}}


class RegionTree:
    """The tree walked once: built from the regions frame, it holds each region's parent as a row
    position (−1 at the top), so ancestors of one code or of thousands are array look-ups."""

    def __init__(self, regions: pd.DataFrame):
        self.regions = regions
        self.codes = pd.Index(self.regions["code"])
        self.parents = self.codes.get_indexer(self.regions["parent_code"])

    def positions(self, codes) -> np.ndarray:
        """Row positions of the codes in the regions frame, −1 for an unknown code."""
        return self.codes.get_indexer(pd.Index(codes))

    def ancestor_positions(self, codes) -> np.ndarray:
        """Row positions of each code's ancestors, one row per code: column d holds the ancestor
        d levels up (the region itself in column 0), −1 above the top of the tree and for an
        unknown code. Whole arrays per tree level: no Python per region."""
        level = self.positions(codes)
        columns = [level]
        while (level >= 0).any():
            level = np.where(level >= 0, self.parents[level], -1)
            columns.append(level)
        return np.column_stack(columns)

    def ancestors(self, code: str) -> list[str]:
        """Codes from 全国 down to `code` (just 全国 when the code is unknown)."""
        chain = self.ancestor_positions([code])[0]
        if chain[0] < 0:
            return [NATIONAL_CODE]
        return list(self.codes[chain[chain >= 0][::-1]])

    def path_names(self, code: str) -> list[str]:
        """Names from the province down to the region (全国 left out), for labels like
        广西壮族自治区/贵港市; empty for an unknown code."""
        chain = self.ancestor_positions([code])[0]
        down = chain[chain >= 0][::-1]
        below_national = self.codes[down] != NATIONAL_CODE
        return list(self.regions["name"].to_numpy()[down][below_national])

    def children(self, code: str) -> pd.DataFrame:
        """Regions one level down, in official order."""
        return self.regions[self.regions["parent_code"] == code].sort_values("sort_order")

    def under(self, codes, tops) -> np.ndarray:
        """For each of `codes`, whether it lies under one of `tops` or is one of them."""
        tops = self.positions(tops)
        ancestors = self.ancestor_positions(codes)
        return np.isin(ancestors, tops[tops >= 0]).any(axis=1)


def written_suffix(name: str) -> str:
    """The administrative suffix a name ends with ('' for none): 贵港市 → 市, 贵港 → ''."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return suffix
    return ""


def strip_suffix(name: str) -> str:
    """Name without an administrative suffix (贵港市 → 贵港), used to match what people type."""
    return name[: len(name) - len(written_suffix(name))]


class RegionResolver:
    """What people write for a region matched to codes, the same way for the command line and
    for uploads: a code (full-width digits too; 0 for 全国 as leading zeros may be left off), the
    full name, the short name or the name without 省/市/县/区, compared after `text.normalise`.
    A parent's name tells apart two regions of one name (朝阳区 under 北京市 or 长春市)."""

    def __init__(self, regions: pd.DataFrame):
        self.tree = RegionTree(regions)
        self.levels = dict(zip(regions["code"], regions["level"]))
        self.names = dict(zip(regions["code"], regions["name"]))
        self.by_name: dict[str, list[str]] = {}
        for code, name, short in zip(regions["code"], regions["name"], regions["short_name"]):
            for key in {normalise(name), normalise(short or name), normalise(strip_suffix(name))}:
                self.by_name.setdefault(key, []).append(code)

    def candidates(self, text: str) -> list[str]:
        """Codes a written region may mean, sorted; empty when none."""
        key = normalise(text)
        if CODE_WITHOUT_LEADING_ZEROS.fullmatch(key):
            code = key.zfill(6)
            return [code] if code in self.tree.codes else []
        if key in self.by_name:
            return sorted(set(self.by_name[key]))
        suffix = written_suffix(key)
        fitting = [c for c in self.stripped_matches(key) if self.agrees(c, suffix)]
        # Of regions of one level, those whose own name ends as written: 宽城县 is
        # 宽城满族自治县, not 宽城区 (both counties, both 宽城 for short).
        return [c for c in fitting if self.names[c].endswith(suffix)] or fitting

    def stripped_matches(self, key: str) -> list[str]:
        """Codes whose names match a normalised written name once its suffix is dropped."""
        return sorted(set(self.by_name.get(strip_suffix(key), [])))

    def agrees(self, code: str, suffix: str) -> bool:
        """Whether a written suffix ('' for none) allows the region's level."""
        return not suffix or self.levels[code] in SUFFIX_LEVELS[suffix]

    def contradicted(self, text: str) -> list[str]:
        """Names of the regions a written name would match but for its suffix, which
        contradicts their level (贵港县 → 贵港市): the close candidates an error offers."""
        key = normalise(text)
        if key in self.by_name or CODE_WITHOUT_LEADING_ZEROS.fullmatch(key):
            return []
        suffix = written_suffix(key)
        return [self.names[c] for c in self.stripped_matches(key) if not self.agrees(c, suffix)]

    def narrow(self, codes: list[str], parent_text: str) -> list[str]:
        """Keep the candidates lying under the region named in the parent column."""
        parents = self.candidates(parent_text) if parent_text else []
        if not parents:
            return codes
        inside = self.tree.under(codes, parents)
        return [c for c, under in zip(codes, inside) if under] or codes

    def label(self, code: str) -> str:
        """北京市/朝阳区（110105）, for messages."""
        return f"{'/'.join(self.tree.path_names(code)) or '全国'}（{code}）"

    def resolve_one(self, text: str) -> pd.Series:
        """The regions row named by `text`; NotFoundError, listing the candidates with their
        paths, when none or several match."""
        found = self.candidates(text)
        if len(found) == 1:
            return self.tree.regions.iloc[self.tree.positions(found)[0]]
        close = self.contradicted(text)
        if not found and close:
            names = "、".join(close)
            raise NotFoundError(f"找不到地区「{text.strip()}」：“{written_suffix(normalise(text))}”"
                                f"与{names}的级别不符，是否为：{names}？")
        if not found:
            raise NotFoundError(f"找不到地区「{text.strip()}」，请用六位行政区划代码或地区全称。")
        listing = "、".join(self.label(c) for c in found)
        raise NotFoundError(f"地区「{text.strip()}」不唯一：{listing}，请改用行政区划代码。")

    def resolve_column(self, texts: pd.Series,
                       parents: pd.Series) -> tuple[pd.Series, pd.Series]:
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


def visible_regions(regions: pd.DataFrame, show_demo: bool) -> pd.DataFrame:
    """Regions offered in selectors and tables; the demonstration city only when `show_demo`
    (the office's setting demo.show)."""
    return regions if show_demo else regions[~regions["is_demo"]]


@dataclass(frozen=True)
class Picker:
    """The regions one level below a region as a selector offers them: their level, and code →
    display name (label) in official order."""
    level: str
    labels: MappingProxyType


@dataclass(frozen=True)
class OfferedRegions:
    """The regions a person's pages offer: those in their view scope, the demonstration city
    only when shown; with their tree, its tops (全国 for most, a county analyst's county), their
    qualified labels and, per region with regions below it, the Picker of those. Made once per
    catalogue and scope and shared: never changed."""
    regions: pd.DataFrame
    tree: RegionTree
    roots: tuple[str, ...]
    labels: MappingProxyType
    pickers: MappingProxyType

    def row(self, code: str) -> pd.Series:
        """The regions row of an offered region, named by its code (KeyError for one not
        offered)."""
        return self.regions.iloc[self.tree.codes.get_loc(code)].rename(code)


def offered(regions: pd.DataFrame, tree: RegionTree, view_roots: tuple[str, ...],
            show_demo: bool) -> OfferedRegions:
    """What `offered_regions` holds for a person viewing under `view_roots`; `tree` is the
    tree of every region."""
    visible = visible_regions(regions, show_demo)
    inside = visible[tree.under(visible["code"], list(view_roots))]
    tops = inside[~inside["parent_code"].isin(inside["code"])]
    return OfferedRegions(inside, RegionTree(inside), tuple(tops.sort_values("sort_order")["code"]),
                          MappingProxyType(qualified_labels(inside)),
                          MappingProxyType(pickers(inside)))


def display_name(name: str, demo) -> str:
    """A region's name as shown, marking the fictional demonstration regions."""
    return f"{name}（演示）" if bool(demo) else name


def label(row) -> str:
    """Display name of a regions row (display_name)."""
    return display_name(row["name"], row["is_demo"])


def pickers(regions: pd.DataFrame) -> dict[str, Picker]:
    """Per region with regions below it, the Picker of those (as RegionTree.children orders
    them; the level is the first one's). In one pass: a selector's apply over the rows of its
    options cost every page a few milliseconds."""
    ordered = regions.sort_values("sort_order", kind="stable")
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for code, name, parent, demo, level in zip(ordered["code"], ordered["name"],
                                               ordered["parent_code"], ordered["is_demo"],
                                               ordered["level"]):
        if isinstance(parent, str):
            found.setdefault(parent, (level, {}))[1][code] = display_name(name, demo)
    return {parent: Picker(level, MappingProxyType(labels))
            for parent, (level, labels) in found.items()}


def qualified_labels(regions: pd.DataFrame) -> dict[str, str]:
    """Code → name with its parent (朝阳区 · 北京市), since county names repeat across China."""
    names = dict(zip(regions["code"], regions["name"]))
    labels = {}
    for code, name, parent, demo in zip(regions["code"], regions["name"],
                                        regions["parent_code"], regions["is_demo"]):
        own = display_name(name, demo)
        labels[code] = own if pd.isna(parent) or parent == NATIONAL_CODE \
            else f"{own} · {names.get(parent, '')}"
    return labels
