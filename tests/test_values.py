"""Numbers, years and units as people write them (metrics.uploads.values): one table row per
form, each asserting the parsed number, the unit recognised and whether the cell is missing or
bad. A missing mark is never a zero; a number followed by anything but a unit is bad."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from metrics.uploads.values import look_up, parse_numbers, parse_years, unit_of_column

# The catalogue's own units that parse_numbers is told about, as the ingest passes them.
KNOWN_UNITS = ("个百分点", "人/千名儿童")


def parse_one(text: str | None) -> dict:
    """parse_numbers of a single cell, as a plain dict."""
    frame = parse_numbers(pd.Series([text], dtype="string"), known_units=KNOWN_UNITS)
    row = frame.iloc[0]
    unit = row["written_unit"]
    return {"number": None if math.isnan(row["number"]) else float(row["number"]),
            "unit": None if pd.isna(unit) else str(unit),
            "missing": bool(row["missing"]), "bad": bool(row["bad"]),
            "misgrouped": bool(row["misgrouped"])}


# --- numbers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, number, unit", [
    ("98.5", 98.5, ""),
    ("98.5%", 98.5, "%"),
    ("98.5％", 98.5, "%"),                 # full-width per cent sign
    ("９８．５％", 98.5, "%"),               # full-width digits, point and sign
    ("98.5 %", 98.5, "%"),                 # space before the sign
    ("9.4/10万", 9.4, "1/10万"),
    ("12.1/100000", 12.1, "1/10万"),
    ("4.64‰", 4.64, "‰"),
    ("98.5‱", 98.5, "1/万"),
    ("1,234", 1234.0, ""),
    ("1,234.5", 1234.5, ""),
    ("６４，１２０", 64120.0, ""),            # full-width thousands separator
    ("1 234", 1234.0, ""),                 # a space as thousands separator
    (" 12 ", 12.0, ""),
    ("+3", 3.0, ""),
    ("＋3", 3.0, ""),
    ("-0.5", -0.5, ""),
    (".5", 0.5, ""),
    ("5.", 5.0, ""),
    ("0", 0.0, ""),                        # a real zero stays a zero
    ("0%", 0.0, "%"),
    ("80.2岁", 80.2, "岁"),
    ("6.5亿", 6.5, "亿人"),
    ("1.2个百分点", 1.2, "个百分点"),          # a catalogue unit after the number
    ("0.8人/千名儿童", 0.8, "人/千名儿童"),
])
def test_numbers_as_written(text, number, unit):
    assert parse_one(text) == {"number": pytest.approx(number), "unit": unit,
                               "missing": False, "bad": False, "misgrouped": False}


@pytest.mark.parametrize("text", [
    "", "  ", None, "—", "——", "-", "--", "–", "无", "/", "、", "…", "...", "暂无", "空",
    "NA", "n/a", "N/A", "null", "None", "x", "X", "*", "－", "／",   # last two full width
])
def test_missing_marks_are_missing_never_zero(text):
    parsed = parse_one(text)
    assert parsed["missing"] and not parsed["bad"]
    assert parsed["number"] is None


@pytest.mark.parametrize("text", [
    "99..8", "99.5.1", "98%左右", "约98%", "abc", "%", "e3",
    "1e3", "1E3",            # scientific notation is not how tables are written: refused
    "−0.5",                  # U+2212 MINUS SIGN: NFKC keeps it, so the cell is refused
    "98.5kg",                # a unit the catalogue does not know
    "大于90",
])
def test_bad_numbers_are_reported_not_guessed(text):
    parsed = parse_one(text)
    assert parsed["bad"] and not parsed["missing"]


def test_a_bad_cell_has_no_unit():
    """The ingest refuses on `bad`; the unit of 98%左右 is NA, never a guessed '%'."""
    assert parse_one("98%左右")["unit"] is None


def test_a_column_keeps_its_index_and_repeats_parse_alike():
    texts = pd.Series(["98.5%", "—", "98.5%", "abc", "98.5%"], index=[10, 11, 12, 13, 14],
                      dtype="string")
    frame = parse_numbers(texts, known_units=KNOWN_UNITS)
    assert list(frame.index) == [10, 11, 12, 13, 14]
    assert frame["number"].tolist()[::2] == [98.5, 98.5, 98.5]
    assert frame["missing"].tolist() == [False, True, False, False, False]
    assert frame["bad"].tolist() == [False, False, False, True, False]


# --- years ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, year", [
    ("2023", 2023), ("2023年", 2023), ("2023年度", 2023), ("２０２３", 2023), ("２０２３年", 2023),
    ("2023.0", 2023), ("2023.00", 2023),   # Excel's float of a year
    (" 2023 ", 2023), ("2023 年", 2023), ("1999", 1999),
])
def test_years_as_written(text, year):
    assert parse_years(pd.Series([text], dtype="string")).tolist() == [year]


@pytest.mark.parametrize("text", [
    "2023.5", "23", "二〇二三", "2023年份", "2023-2024", "2023.", "12345", "", "—", "abc",
])
def test_bad_years_are_missing(text):
    assert parse_years(pd.Series([text], dtype="string")).isna().all()


def test_years_of_a_column_keep_order_and_index():
    years = parse_years(pd.Series(["2020", "2021年", "x", "2020"], index=[5, 6, 7, 8],
                                  dtype="string"))
    assert list(years.index) == [5, 6, 7, 8]
    assert years.iloc[[0, 1, 3]].tolist() == [2020, 2021, 2020] and pd.isna(years.iloc[2])


# --- units of a 单位 column ---------------------------------------------------------------------

@pytest.mark.parametrize("text, unit", [
    ("%", "%"), ("％", "%"), (" % ", "%"), ("百分比", "%"), ("‰", "‰"), ("千分比", "‰"),
    ("1/10万", "1/10万"), ("/10万", "1/10万"), ("1/100000", "1/10万"), ("‱", "1/万"),
    ("1/万", "1/万"), ("人", "人"), ("万人", "万人"), ("亿", "亿人"), ("", ""),
    ("人/千名儿童", "人/千名儿童"),     # not a written unit: passed on for the catalogue to judge
    ("PCT", "pct"),                  # …normalised (lower case), never mapped to %
])
def test_unit_column_entries(text, unit):
    assert unit_of_column(pd.Series([text], dtype="string")).tolist() == [unit]


# --- look_up ----------------------------------------------------------------------------------

def test_look_up_keeps_the_texts_index_and_missing_for_unknown_codes():
    table = pd.Series({"infant_mortality_rate": "‰", "hospital_delivery_rate": "%"})
    texts = pd.Series(["hospital_delivery_rate", "nope", "hospital_delivery_rate",
                       "infant_mortality_rate"], index=[3, 4, 5, 6])
    found = look_up(texts, table)
    assert list(found.index) == [3, 4, 5, 6]
    assert found.tolist()[::2] == ["%", "%"] and found[6] == "‰" and pd.isna(found[4])


def test_look_up_keeps_the_table_dtype_when_nothing_matches():
    table = pd.Series({"%": 1.0, "‰": 0.1}, dtype="float64")
    found = look_up(pd.Series(["a", "b"]), table)
    assert found.dtype == "float64" and found.isna().all()
    decimals = pd.Series({"x": 1}, dtype="Int64")
    assert look_up(pd.Series(["y"]), decimals).dtype == "Int64"


# --- separators: a comma or space groups thousands only in threes ------------------------------

@pytest.mark.parametrize("text, number", [
    ("1,234", 1234.0), ("12,345.6", 12345.6), ("1,234,567", 1234567.0), ("1 234", 1234.0),
    ("１，２３４", 1234.0), ("1,234‰", 1234.0), ("98.5 %", 98.5),
])
def test_valid_thousands_groups_are_read(text, number):
    parsed = parse_one(text)
    assert parsed["number"] == pytest.approx(number) and not parsed["misgrouped"]


@pytest.mark.parametrize("text", [
    "1,5", "2,5", "1.234,5", "12,34", "1,2345", "1,234,56", "3 5", "1 234,567", "１，５",
])
def test_a_separator_outside_groups_of_three_is_asked_about_not_guessed(text):
    parsed = parse_one(text)
    assert parsed["misgrouped"] and parsed["bad"] and parsed["number"] is None
