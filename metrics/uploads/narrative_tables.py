"""An extraction as tables for people: the candidates to tick and correct (导入, 指标, 数值, 年份,
地区 editable), the figures of no indicator and the hints; the candidates kept from an edited
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
EDITABLE = ["导入", "指标", "数值", "年份", "地区"]
UNRECOGNISED = "未识别"


def region_choices(extraction: Extraction, cat: Catalogue, scope: set[str]) -> dict[str, str]:
    """Label → code of the regions the 地区 column offers: those in the person's capture
    `scope` under the report's region (all of `scope` when the report's region is not known
    or not in it), and each candidate's own region as recognised from the text, offered even
    outside the scope so that it is shown (the check then refuses it at its row)."""
    regions = cat.regions
    offered = regions["code"].isin(scope)
    if extraction.report_region in scope:
        tree = regions_module.RegionTree(regions)
        offered &= tree.under(regions["code"], [extraction.report_region])
    offered |= regions["code"].isin({c.region_code for c in extraction.candidates})
    every = regions_module.qualified_labels(regions)
    labels = {code: every[code] for code in regions["code"][offered]}
    repeated = pd.Series(list(labels.values())).duplicated(keep=False).to_numpy()
    return {f"{label}（{code}）" if twice else label: code
            for (code, label), twice in zip(labels.items(), repeated)}


def candidate_table(extraction: Extraction, cat: Catalogue,
                    choices: dict[str, str]) -> pd.DataFrame:
    """One row per candidate, numbered from 1 as the sentences below it are; 地区 is the
    label of `choices` (region_choices) for the region recognised."""
    labels = {code: label for label, code in choices.items()}
    found = extraction.candidates
    return pd.DataFrame({
        "导入": [c.confidence >= TICKED_FROM for c in found],
        "序号": range(1, len(found) + 1),
        "指标": [c.indicator_name for c in found],
        "数值": pd.array([c.value for c in found], dtype="Float64"),
        "单位": [c.unit for c in found],
        "年份": pd.array([c.year for c in found], dtype="Int64"),
        "地区": [labels.get(c.region_code, UNRECOGNISED) for c in found],
        "推算": ["是" if c.derived else "" for c in found],
        "可信度": [c.confidence for c in found],
        "说明": ["".join(c.notes) for c in found],
    }, columns=CANDIDATE_COLUMNS)


def kept_candidates(extraction: Extraction, edited: pd.DataFrame, cat: Catalogue,
                    choices: dict[str, str]) -> list[Candidate]:
    """The ticked candidates with the indicator, value, year and region as corrected in the
    table (`choices` as given to candidate_table); a value the person changed, or a value
    moved to another indicator, is no longer a derived one."""
    codes = dict(zip(cat.indicators["name"], cat.indicators["code"]))
    kept = []
    for candidate, row in zip(extraction.candidates, edited.itertuples(index=False)):
        if not row.导入:
            continue
        value = candidate.value if pd.isna(row.数值) else float(row.数值)
        year = None if pd.isna(row.年份) else int(row.年份)
        name = row.指标 if row.指标 in codes else candidate.indicator_name
        code = codes.get(name, candidate.indicator_code)
        corrected = value != candidate.value or code != candidate.indicator_code
        kept.append(dataclasses.replace(
            candidate, indicator_code=code, indicator_name=name, value=value, year=year,
            region_code=choices.get(row.地区), derived=candidate.derived and not corrected))
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
