"""A report's figures that no catalogue indicator claims (「妇女之家」覆盖率达到92.5%, 开展妇女培训
1.2万人次) taken as values of the local indicators the report's region has (those of the plans
governing it): the clause before the figure names the indicator by name or alias — or by its
name without its unit word (妇女培训 for 妇女培训人次) — and the figure is in its unit (万人次 read
as ten thousand 人次). Such a candidate is trusted less and says how it was found."""
from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from metrics.catalogue import LIST_SEPARATOR, Catalogue
from metrics.regions import RegionTree
from metrics.text import normalise
from metrics.uploads.narrative_candidates import Candidate, Extraction, Unmatched

QUOTES = re.compile(r"[「」“”\"'‘’《》『』]")
COUNT_WORD = re.compile(r"(?:个数|人数|数量|数)$")
CONFIDENCE = 0.6


def key(text: str) -> str:
    return QUOTES.sub("", normalise(text))


def with_local_candidates(extraction: Extraction, cat: Catalogue) -> Extraction:
    """The extraction with the unmatched figures that fit a local indicator of the report's
    region moved to its candidates."""
    region = extraction.report_region
    if cat.local_indicators.empty or region is None:
        return extraction
    plans = cat.plans.set_index("id")["region_code"]
    above = set(RegionTree(cat.regions).ancestors(region))
    local = cat.local_indicators[cat.local_indicators["plan_id"].map(plans).isin(above)]
    per = cat.units.set_index("unit")["per"]
    candidates, unmatched = list(extraction.candidates), []
    for figure in extraction.unmatched:
        found = None if figure.hint_for else first_fit(figure, local, per)
        if found is None:
            unmatched.append(figure)
        else:
            candidates.append(candidate(figure, found, extraction, region))
    return replace(extraction, candidates=candidates, unmatched=unmatched)


def names_of(row) -> list[str]:
    """What a report may call a local indicator: its name, its aliases, and each without
    its unit word or a closing 数 (妇女培训人次 → 妇女培训, 巾帼示范村数 → 巾帼示范村)."""
    names = [row.name, *(row.aliases or "").split(LIST_SEPARATOR)]
    stems = [n[:-len(row.unit)] for n in names if len(n) > len(row.unit) + 1
             and n.endswith(row.unit)]
    stems += [COUNT_WORD.sub("", n) for n in names if COUNT_WORD.search(n)]
    return [key(n) for n in names + stems if len(n) >= 2]


def first_fit(figure: Unmatched, local: pd.DataFrame, per: pd.Series) -> tuple | None:
    """(the local indicator's row, the value in its unit) whose name the figure's clause
    writes and whose unit the figure is in; None when none fits."""
    clause = key(figure.text)
    for row in local.itertuples():
        if any(name in clause for name in names_of(row)):
            value = in_unit(figure.value, figure.unit, row.unit, per)
            if value is not None:
                return row, value
    return None


def in_unit(value: float, written: str, unit: str, per: pd.Series) -> float | None:
    """The value in the indicator's unit: as written, ten thousand times a 万 count, or a
    rate converted (0.5% for ‰); None when the units do not fit."""
    if written in ("", unit):
        return value
    if written == f"万{unit}":
        return value * 10_000
    if pd.notna(per.get(written)) and pd.notna(per.get(unit)):
        return value * float(per[unit]) / float(per[written])
    return None


def candidate(figure: Unmatched, found: tuple, extraction: Extraction,
              region: str) -> Candidate:
    row, value = found
    return Candidate(row.code, row.name, value, row.unit, extraction.report_year, region, False,
                     CONFIDENCE, figure.sentence, figure.figure, figure.position,
                     [f"按本地指标「{row.name}」的名称从其他数字中认出，请核对。"])
