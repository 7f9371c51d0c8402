"""An upload's indicators a local plan defines (「妇女之家」覆盖率 of 贵港市's plan): matched by
code, name or alias only in the regions the plan governs (its region and those below it), since
two cities may each define an indicator of that name. Written for a region elsewhere, the name
stays unknown, with a hint saying whose indicator it is and where it applies."""
from __future__ import annotations

import pandas as pd

from metrics.catalogue import LIST_SEPARATOR, Catalogue
from metrics.regions import RegionTree
from metrics.text import normalise
from metrics.uploads.resolve import UNIT_IN_NAME


def local_lookup(local: pd.DataFrame, plans: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """Normalised code, name and alias → (code, plan region) of each of these local
    indicators (LOCAL_INDICATOR_FIELDS); `plans`: the catalogue's."""
    regions = plans.set_index("id")["region_code"]
    lookup: dict[str, list[tuple[str, str]]] = {}
    for row in local.itertuples():
        place = regions.get(row.plan_id)
        for text in [row.code, row.name, *(row.aliases or "").split(LIST_SEPARATOR)]:
            if text and place is not None:
                lookup.setdefault(normalise(text), []).append((row.code, place))
    return lookup


def matches(lookup: dict, text: str) -> list[tuple[str, str]]:
    key = normalise(text)
    return lookup.get(key) or lookup.get(UNIT_IN_NAME.sub("", key), [])


def with_local_codes(frame: pd.DataFrame, cat: Catalogue) -> pd.DataFrame:
    """The records (indicator_code resolved against the catalogue, region_code resolved) with
    the local indicators filled in where they apply, and local_hint: for a name of a local
    indicator written for a region it does not apply in, where it does ('' otherwise)."""
    frame = frame.assign(local_hint="")
    if cat.local_indicators.empty:
        return frame
    lookup, tree = local_lookup(cat.local_indicators, cat.plans), RegionTree(cat.regions)
    plans = cat.plans.set_index("id")
    names = cat.regions.set_index("code")["name"]
    open_rows = frame["indicator_code"].isna() & frame["region_code"].notna()
    texts = frame["indicator"].where(frame["indicator"].ne(""), frame["indicator_name"])
    pairs = pd.DataFrame({"text": texts[open_rows], "region": frame["region_code"][open_rows]})
    found: dict[tuple[str, str], tuple[str | None, str]] = {}
    for text, region in set(zip(pairs["text"], pairs["region"])):
        candidates = matches(lookup, text)
        above = set(tree.ancestors(region))
        codes = [code for code, place in candidates if place in above]
        if codes:
            found[(text, region)] = (codes[0], "")
        elif candidates:
            code, place = candidates[0]
            local = cat.local_indicators.set_index("code").loc[code]
            plan = plans.at[local["plan_id"], "name"]
            found[(text, region)] = (None, f"「{local['name']}」是《{plan}》的本地指标，只适用于"
                                           f"{names.get(place, place)}及其下辖地区；"
                                           f"{names.get(region, region)}请使用指标目录中的指标。")
    resolved = [found.get(pair, (None, "")) for pair in zip(pairs["text"], pairs["region"])]
    frame.loc[open_rows, "indicator_code"] = [code for code, _ in resolved]
    frame.loc[open_rows, "local_hint"] = [hint for _, hint in resolved]
    return frame
