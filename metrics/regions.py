"""The region tree (全国 → province → city → county) and what people write for a region.

`RegionTree` walks the `regions` frame once into an array of parent positions; ancestors of one
code or of thousands, the path of names, children and "lies under" all derive from it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.errors import NotFoundError

NATIONAL_CODE = "000000"
LEVEL_LABELS = {"national": "全国", "province": "省级", "city": "市级", "county": "县级"}
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "区", "旗", "盟")


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


def strip_suffix(name: str) -> str:
    """Name without an administrative suffix (贵港市 → 贵港), used to match what people type."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def resolve(regions: pd.DataFrame, text: str) -> pd.Series:
    """The region named by a code, full name or short name; NotFoundError if none or several."""
    text = text.strip()
    if text.isdigit():
        hits = regions[regions["code"] == text.zfill(6)]
    else:
        hits = regions[(regions["name"] == text) | (regions["short_name"] == text)]
        if hits.empty:
            hits = regions[regions["name"].map(strip_suffix) == strip_suffix(text)]
    if len(hits) == 1:
        return hits.iloc[0]
    if hits.empty:
        raise NotFoundError(f"找不到地区「{text}」，请用六位行政区划代码或地区全称。")
    tree = RegionTree(regions)
    listing = "、".join(f"{'/'.join(tree.path_names(r.code))}（{r.code}）"
                        for r in hits.itertuples())
    raise NotFoundError(f"地区「{text}」不唯一：{listing}，请改用行政区划代码。")


def label(row) -> str:
    """Display name, marking the fictional demonstration regions."""
    return f"{row['name']}（演示）" if bool(row["is_demo"]) else row["name"]


def qualified_labels(regions: pd.DataFrame) -> dict[str, str]:
    """Code → name with its parent (朝阳区 · 北京市), since county names repeat across China."""
    names = dict(zip(regions["code"], regions["name"]))
    labels = {}
    for code, name, parent, demo in zip(regions["code"], regions["name"],
                                        regions["parent_code"], regions["is_demo"]):
        own = f"{name}（演示）" if demo else name
        labels[code] = own if parent in (None, NATIONAL_CODE) or pd.isna(parent) \
            else f"{own} · {names.get(parent, '')}"
    return labels
