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
# A comma or a space between two digits is a thousands separator only in groups of three after
# one to three leading digits, the same separator throughout (1,234 · 12,345.6 · 1 234 567).
# Anything else (1,5 · 1.234,5 · 12,34 · 3 5) may be a decimal comma or a typo: asked, never
# guessed, since dropping the separator would store another number (1,5 → 15).
BETWEEN_DIGITS = r"\d[,\s]+\d"
GROUPED = r"^[+-]?\d{1,3}(?P<separator>,|\s)\d{3}(?:(?P=separator)\d{3})*(?!\d)(?:\.\d*)?(?![\d,])"
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
    99..8, 99.5.1, 98%左右), misgrouped (bad because a comma or space between digits does not
    group thousands: 1,5, 12,34). `known_units` are the catalogue's units, also accepted after
    a number (1.2个百分点, 0.8人/千名儿童)."""
    misgrouped = misgrouped_separators(texts)
    clean = normalise_all(texts).str.replace(",", "", regex=False)
    missing = clean.isin(MISSING_MARKS)
    parts = clean.str.extract(NUMBER)
    number = pd.to_numeric(parts["number"], errors="coerce").mask(misgrouped)
    suffix = parts["unit"].fillna("")
    catalogue_units = {normalise(u): u for u in known_units}
    unit = suffix.map(WRITTEN_UNITS).fillna(suffix.map(catalogue_units)).where(suffix != "", "")
    bad = ~missing & (number.isna() | unit.isna())
    return pd.DataFrame({"number": number.astype(float), "written_unit": unit.astype("string"),
                         "missing": missing, "bad": bad, "misgrouped": misgrouped})


def misgrouped_separators(texts: pd.Series) -> pd.Series:
    """Cells with a comma or space between digits that is not a thousands separator."""
    text = texts.fillna("").astype("string").str.normalize("NFKC").str.strip()
    separated = text.str.contains(BETWEEN_DIGITS, regex=True)
    return (separated & ~text.str.match(GROUPED)).astype(bool)


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
