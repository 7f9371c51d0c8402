"""Numbers as people write them in statistical tables: 98.5%, 9.4/10万, 4.64‰, 1,234,
full-width digits, stray spaces. Missing marks (—, -, 无, /, empty) mean missing, never zero.
Vectorised over a column of text."""
from __future__ import annotations

import functools

import pandas as pd

from metrics.text import normalise, normalise_all

MISSING_MARKS = {"", "—", "——", "-", "--", "–", "无", "/", "、", "…", "...", "na", "n/a",
                 "null", "none", "暂无", "空", "x", "*"}
NUMBER = r"^(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))(?P<unit>.*)$"
YEAR = r"^(?P<year>\d{4})(?:\.0+)?(?:年度|年)?$"
# Units written after a number or in a 单位 column, mapped to the catalogue's units.
WRITTEN_UNITS = {"%": "%", "％": "%", "‰": "‰", "‱": "1/万", "/万": "1/万", "1/万": "1/万",
                 "/10万": "1/10万", "1/10万": "1/10万", "/100000": "1/10万", "1/100000": "1/10万",
                 "/10000": "1/万", "1/10000": "1/万", "/1000": "‰", "/千": "‰", "1/1000": "‰",
                 "百分比": "%", "千分比": "‰", "岁": "岁", "年": "年", "人": "人", "个": "个",
                 "万人": "万人", "亿人": "亿人", "亿": "亿人"}


def by_distinct(parse):
    """Run a column parser once per distinct text and spread the result back by position.
    Exact for parsers that treat each cell on its own (all of these do); a column of a large
    file repeats a few years, units and values many times (1M rows: 4 s less)."""
    @functools.wraps(parse)
    def parse_distinct(texts: pd.Series, *args, **kwargs):
        position, distinct = pd.factorize(texts, use_na_sentinel=False)
        parsed = parse(pd.Series(distinct, dtype=texts.dtype, name=texts.name), *args, **kwargs)
        spread = parsed.take(position)
        spread.index = texts.index
        return spread
    return parse_distinct


@by_distinct
def look_up(texts: pd.Series, table: pd.Series) -> pd.Series:
    """table[text] for every text, missing where it has none, in the table's dtype even when
    nothing matches: attributes of a catalogue code (an indicator's unit, a unit's scale) over
    a column holding a few distinct codes."""
    return table.reindex(texts).set_axis(texts.index)


@by_distinct
def parse_numbers(texts: pd.Series, known_units=()) -> pd.DataFrame:
    """Per cell: number (float or NaN), written_unit (catalogue unit, '' if none), missing (a
    missing mark), bad (text that is not a number, or a number followed by anything but a unit:
    99..8, 99.5.1, 98%左右). `known_units` are the catalogue's units, also accepted after a
    number (1.2个百分点, 0.8人/千名儿童)."""
    clean = normalise_all(texts).str.replace(",", "", regex=False)
    missing = clean.isin(MISSING_MARKS)
    parts = clean.str.extract(NUMBER)
    number = pd.to_numeric(parts["number"], errors="coerce")
    suffix = parts["unit"].fillna("")
    catalogue_units = {normalise(u): u for u in known_units}
    unit = suffix.map(WRITTEN_UNITS).fillna(suffix.map(catalogue_units)).where(suffix != "", "")
    bad = ~missing & (number.isna() | unit.isna())
    return pd.DataFrame({"number": number.astype(float), "written_unit": unit.astype("string"),
                         "missing": missing, "bad": bad})


@by_distinct
def parse_years(texts: pd.Series) -> pd.Series:
    """Years as written in a 年份 column: 2023, 2023年, 2023年度, ２０２３ (NaN for anything
    else, such as 2023.5 or 23)."""
    found = normalise_all(texts).str.extract(YEAR)["year"]
    return pd.to_numeric(found, errors="coerce")


@by_distinct
def unit_of_column(texts: pd.Series) -> pd.Series:
    """A 单位 column's entries as catalogue units ('' when empty, NA when not recognised)."""
    clean = normalise_all(texts)
    return clean.map(WRITTEN_UNITS).fillna(clean).astype("string")
