"""The region tree (全国 → province → city → county) as frames: ancestors, children, lookup by
code or name. Works on the `regions` table; set-based so it scales to the ~3,200 real regions."""
from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.errors import NotFoundError

NATIONAL_CODE = "000000"
LEVEL_LABELS = {"national": "全国", "province": "省级", "city": "市级", "county": "县级"}
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "区", "旗", "盟")


def ancestor_table(regions: pd.DataFrame, codes: list[str] | None = None) -> pd.DataFrame:
    """One row per (code, ancestor_code, distance), the region itself at distance 0, for the
    given codes (default: every region). Walks up a parent map, so asking for one county costs
    four look-ups, not a pass over the whole tree."""
    parent = dict(zip(regions["code"], regions["parent_code"]))
    level = pd.DataFrame({"code": list(regions["code"]) if codes is None else list(codes)})
    level["ancestor_code"], level["distance"] = level["code"], 0
    frames = [level]
    while not level.empty:
        up = level["ancestor_code"].map(parent)
        level = level.assign(ancestor_code=up, distance=level["distance"] + 1)[up.notna()]
        frames.append(level)
    return pd.concat(frames, ignore_index=True)


def ancestor_positions(regions: pd.DataFrame, codes: pd.Index) -> np.ndarray:
    """Row positions in `regions` of each code's ancestors, one row per code: column d holds
    the ancestor d levels up (the region itself in column 0), −1 above the top of the tree and
    for an unknown code. Whole arrays per tree level: no Python per region."""
    index = pd.Index(regions["code"])
    parents = index.get_indexer(regions["parent_code"])
    level = index.get_indexer(codes)
    columns = [level]
    while (level >= 0).any():
        level = np.where(level >= 0, parents[level], -1)
        columns.append(level)
    return np.column_stack(columns)


def children(regions: pd.DataFrame, code: str) -> pd.DataFrame:
    """Regions one level down, in official order."""
    return regions[regions["parent_code"] == code].sort_values("sort_order")


def path_names(regions: pd.DataFrame, code: str) -> list[str]:
    """Names from the province down to the region (全国 left out), for labels like 广西/贵港市."""
    by_code = regions.set_index("code")
    names = []
    while code in by_code.index and code != NATIONAL_CODE:
        names.append(by_code.at[code, "name"])
        code = by_code.at[code, "parent_code"]
    return names[::-1]


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
    listing = "、".join(f"{'/'.join(path_names(regions, r.code))}（{r.code}）"
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
