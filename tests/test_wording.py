"""How figures read (metrics.wording): values with units and decimals, percents, dates and the
text colour on each status colour."""
import datetime as dt
import math

import pandas as pd
import pytest

from metrics import wording
from metrics.evaluation import status


@pytest.mark.parametrize("value, unit, decimals, expected", [
    (93.0, "%", 1, "93.0%"),
    (93.0, "%", None, "93%"),              # derived figures drop trailing zeros
    (14.3, "1/10万", 1, "14.3/10万"),
    (4.64, "‰", 2, "4.64‰"),
    (6.0, "‰", 1, "6.0‰"),
    (80.9, "岁", 2, "80.90岁"),
    (1.05, "比值", 2, "1.05"),
    (3.0, "1/万", 0, "3/万"),
    (93.0, "%", pd.NA, "93%"),              # an indicator without decimals: as written
    (math.nan, "%", 1, "—"),
    (None, "%", 1, "—"),
])
def test_format_value(value, unit, decimals, expected):
    assert wording.format_value(value, unit, decimals) == expected


@pytest.mark.parametrize("value, unit, decimals, expected", [
    (99.96, "%", 1, "99.96%"),             # never rounded to the indicator's decimals
    (93.0, "%", 1, "93.0%"),               # but padded to them
    (80.9, "岁", 2, "80.90岁"),
    (0.07 * 10, "‰", 1, "0.7‰"),           # a conversion's binary noise is not the file's
    (123456.78, "人", 0, "123456.78人"),
    (0.00001, "比值", None, "0.00001"),    # never in exponent form
    (51.0, "‰", None, "51‰"),
    (math.nan, "%", 1, "—"),
    (None, "%", 1, "—"),
])
def test_format_stored(value, unit, decimals, expected):
    assert wording.format_stored(value, unit, decimals) == expected


@pytest.mark.parametrize("unit, expected", [
    ("%", "个百分点"), ("‰", "‰"), ("1/10万", "/10万"), ("岁", "岁"), ("比值", "")])
def test_difference_unit(unit, expected):
    assert wording.difference_unit(unit) == expected


@pytest.mark.parametrize("value, year, unit, decimals, expected", [
    (5.8, 2022.0, "‰", 1, "5.8‰（2022年）"),
    (93.0, 2024, "%", 1, "93.0%（2024年）"),
    (math.nan, math.nan, "%", 1, "无数据"),
])
def test_latest_text(value, year, unit, decimals, expected):
    assert wording.latest_text(value, year, unit, decimals) == expected


@pytest.mark.parametrize("share, expected", [
    (0.8, "80.0%"), (2 / 3, "66.7%"), (1.0, "100.0%"), (0.0, "0.0%"), (math.nan, "—"),
    (None, "—")])
def test_percent(share, expected):
    assert wording.percent(share) == expected


@pytest.mark.parametrize("day, expected", [
    (dt.date(2025, 11, 23), "2025年11月23日"), (dt.date(2026, 1, 5), "2026年1月5日")])
def test_chinese_date(day, expected):
    assert wording.chinese_date(day) == expected


def test_moment_text_is_to_the_minute():
    assert wording.moment_text(dt.datetime(2026, 1, 5, 9, 7, 30)) == "2026-01-05 09:07"


@pytest.mark.parametrize("code, expected", [
    ("achieved", "#ffffff"), ("basically_achieved", "#1a1a1a"), ("on_track", "#ffffff"),
    ("at_risk", "#1a1a1a"), ("off_track", "#ffffff"), ("insufficient_data", "#1a1a1a"),
    ("no_target", "#1a1a1a")])
def test_text_colour_on_each_status_colour(code, expected):
    colour = status.COLOURS[code]
    assert wording.text_colour(colour) == expected
    assert wording.is_dark(colour.lstrip("#")) == (expected == "#ffffff")  # with or without #


@pytest.mark.parametrize("background, expected", [
    ("#000000", "#ffffff"), ("#ffffff", "#1a1a1a"), ("#808080", "#ffffff"),
    ("#8d8d8d", "#1a1a1a")])
def test_text_colour_threshold(background, expected):
    assert wording.text_colour(background) == expected
