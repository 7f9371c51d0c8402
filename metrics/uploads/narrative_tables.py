"""An extraction as tables for people: the candidates to tick and correct (导入, 数值, 年份
editable), the figures of no indicator and the hints; the candidates kept from an edited
table; a sentence split around its figure so that the page can mark it."""
from __future__ import annotations

import dataclasses

import pandas as pd

from metrics import regions as regions_module
from metrics.catalogue import Catalogue
from metrics.uploads import narrative_upload
from metrics.uploads.narrative_candidates import Candidate, Extraction, Unmatched

# A candidate this sure or surer is ticked to be imported; below, the person ticks it.
TICKED_FROM = 0.5
CANDIDATE_COLUMNS = ["导入", "序号", "指标", "数值", "单位", "年份", "地区", "推算", "可信度",
                     "说明"]
EDITABLE = ["导入", "数值", "年份"]


def candidate_table(extraction: Extraction, cat: Catalogue) -> pd.DataFrame:
    """One row per candidate, numbered from 1 as the sentences below it are."""
    labels = regions_module.qualified_labels(cat.regions)
    found = extraction.candidates
    return pd.DataFrame({
        "导入": [c.confidence >= TICKED_FROM for c in found],
        "序号": range(1, len(found) + 1),
        "指标": [c.indicator_name for c in found],
        "数值": pd.array([c.value for c in found], dtype="Float64"),
        "单位": [c.unit for c in found],
        "年份": pd.array([c.year for c in found], dtype="Int64"),
        "地区": [labels.get(c.region_code, "未识别") if c.region_code else "未识别"
                 for c in found],
        "推算": ["是" if c.derived else "" for c in found],
        "可信度": [c.confidence for c in found],
        "说明": ["".join(c.notes) for c in found],
    }, columns=CANDIDATE_COLUMNS)


def kept_candidates(extraction: Extraction, edited: pd.DataFrame) -> list[Candidate]:
    """The ticked candidates with the value and year as corrected in the table; a value the
    person changed is no longer a derived one."""
    kept = []
    for candidate, row in zip(extraction.candidates, edited.itertuples(index=False)):
        if not row.导入:
            continue
        value = candidate.value if pd.isna(row.数值) else float(row.数值)
        year = None if pd.isna(row.年份) else int(row.年份)
        corrected = value != candidate.value
        kept.append(dataclasses.replace(candidate, value=value, year=year,
                                        derived=candidate.derived and not corrected))
    return kept


def unmatched_table(unmatched: list[Unmatched], cat: Catalogue) -> pd.DataFrame:
    """Figures of no indicator and hints: what the figure counts, the figure, the indicator
    a hint is about, the sentence."""
    names = dict(zip(cat.indicators["code"], cat.indicators["name"]))
    return pd.DataFrame({
        "内容": [u.text for u in unmatched],
        "数值": [narrative_upload.written(u.value, u.unit) for u in unmatched],
        "相关指标（提示，不导入）": [names.get(u.hint_for, "") for u in unmatched],
        "原句": [u.sentence.strip() for u in unmatched],
    })


def marked(sentence: str, figure: tuple[int, int]) -> tuple[str, str, str]:
    """A sentence as (before, figure, after), so that the figure can be highlighted."""
    start, end = figure
    return sentence[:start].lstrip(), sentence[start:end], sentence[end:].rstrip()
