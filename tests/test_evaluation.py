"""The evaluation engine on hand-computed cases: every target kind and method, written through
the store and evaluated exactly as the pages and the command line do.

The county 港北区 (450802) holds no shipped data, so each case's series is all it has. Expected
figures are worked out by hand in the comments (b = baseline, t = latest, T = 2030).
"""
import dataclasses

import pandas as pd
import pytest

from metrics import catalogue, config, evaluation
from metrics.evaluation import attainment, explain, status
from metrics.store import open_store

SETTINGS = config.settings().evaluation
COUNTY = "450802"  # 港北区, under 贵港市 (whose 2011–2020 women's plan sets one local target)


def evaluate_series(db, outline, code, series, year=2024, method=None, counts=None,
                    settings=SETTINGS):
    """Write {year: value} for COUNTY, evaluate the outline there, return the indicator's row."""
    rows = pd.DataFrame({"indicator_code": code, "region_code": COUNTY,
                         "year": list(series), "value": list(series.values()),
                         "numerator": None, "denominator": None, "source": "测试", "note": None})
    for year_, (num, den) in (counts or {}).items():
        rows.loc[rows["year"] == year_, ["numerator", "denominator"]] = [num, den]
    with open_store(db).transaction() as con:
        batch = con.create_batch("upload", "测试", "手算用例")
        con.write_observations(batch, rows, rows.iloc[:0],
                                 {"new": len(rows), "changed": 0, "unchanged": 0})
    with open_store(db).session() as con:
        cat = catalogue.read_from_store(con)
        frame = evaluation.run(con, cat, outline, [COUNTY], year, method, settings=settings)
    row = frame[frame["indicator_code"] == code].iloc[0]
    return row, explain.explain(frame[frame["indicator_code"] == code], settings=settings).iloc[0]


W21, C21, W11 = "women-2021-2030", "children-2021-2030", "women-2011-2020"
MMR, CERVICAL, EMPLOYED = "maternal_mortality_ratio", "cervical_cancer_screening_rate", \
    "female_share_employed"
CASES = [
    # ≤ 12 by 2030, lower is better. expected 2024 = 16.9 + (12 − 16.9)·4/10 = 14.94;
    # ratio = (14.3 − 16.9)/(14.94 − 16.9) = 1.327 → on track; need (12 − 14.3)/6 = −0.383/yr
    ("mmr on track", W21, MMR, {2020: 16.9, 2024: 14.3}, "on_track", 1.3265, -0.3833),
    ("mmr at risk", W21, MMR, {2020: 16.9, 2024: 15.6}, "at_risk", 0.6633, -0.6),   # 1.3/1.96
    ("mmr off track", W21, MMR, {2020: 16.9, 2024: 16.5}, "off_track", 0.2041, -0.75),
    ("mmr wrong way", W21, MMR, {2020: 16.9, 2024: 17.5}, "off_track", -0.3061, -0.9167),
    ("mmr achieved", W21, MMR, {2020: 16.9, 2024: 11.8}, "achieved", None, 0.0),
    # misses by 0.2 < 2% of 12 = 0.24 → 基本达标
    ("mmr basically", W21, MMR, {2020: 16.9, 2024: 12.2}, "basically_achieved", None, -0.0333),
    # ≥ 70%, higher is better: expected = 36.8 + 33.2·0.4 = 50.08; ratio = 18.2/13.28 = 1.370
    ("screening on track", W21, CERVICAL, {2020: 36.8, 2024: 55.0}, "on_track", 1.3705, 2.5),
    # misses 70 by 0.7 points < 1 point → 基本达标
    ("screening basically", W21, CERVICAL, {2020: 36.8, 2024: 69.3}, "basically_achieved", None,
     0.1167),
    # met at baseline and still met → achieved, whatever the trend
    ("met before baseline", W21, CERVICAL, {2018: 75.0, 2020: 72.0, 2024: 71.0}, "achieved",
     None, 0.0),
    # met at baseline, now 2 points short → moving away from a target once met → off track
    ("slipped since baseline", W21, CERVICAL, {2020: 72.0, 2024: 68.0}, "off_track", None, 0.3333),
    # around 45% ± 1 point: 44.5 is inside the band
    ("band inside", W21, EMPLOYED, {2020: 43.5, 2024: 44.5}, "achieved", None, 0.0),
    # 43.0 is 1.0 below the band edge 44 (not < 1 point) and lower than the baseline 43.5
    ("band moving away", W21, EMPLOYED, {2020: 43.5, 2024: 43.0}, "off_track", -2.5, 0.1667),
    # direction only (逐步提高): +0.62 years since 2020 > 0.5% of 80.88 → 进度正常
    ("increase", W21, "female_life_expectancy", {2020: 80.88, 2024: 81.5}, "on_track", None,
     None),
    ("increase flat", W21, "female_life_expectancy", {2020: 80.88, 2024: 80.9}, "at_risk", None,
     None),
    ("increase wrong way", W21, "female_life_expectancy", {2020: 80.88, 2024: 80.2},
     "off_track", None, None),
    ("decrease", W21, "maternal_mortality_urban_rural_gap", {2020: 4.4, 2024: 3.0}, "on_track",
     None, None),
    # −20% vs 2020: threshold 8.0; expected = 10 − 2·0.4 = 9.2; ratio = 1.5/0.8 = 1.875
    ("relative reduction", C21, "child_injury_mortality_rate", {2020: 10.0, 2024: 8.5},
     "on_track", 1.875, -0.0833),
    ("relative reduction met", C21, "child_injury_mortality_rate", {2020: 10.0, 2024: 7.9},
     "achieved", None, 0.0),
    # no 2020 value: 2019 stands in. expected = 16 + (12 − 16)·5/11 = 14.18;
    # ratio = 1.7/1.818 = 0.935 → at risk
    ("baseline from 2019", W21, MMR, {2019: 16.0, 2024: 14.3}, "at_risk", 0.935, -0.3833),
    # no 2020 (±1) baseline, 14.3 misses ≤12 by 2.3: a miss whose progress cannot be judged
    ("no baseline", W21, MMR, {2017: 16.0, 2024: 14.3}, "not_achieved", None, -0.3833),
    # no baseline, 11.5 meets ≤12: met needs no baseline
    ("no baseline, met", W21, MMR, {2017: 16.0, 2024: 11.5}, "achieved", None, 0.0),
    # latest 2021 is more than 2 years before 2024 → missing
    ("stale latest", W21, MMR, {2020: 16.9, 2021: 16.0}, "insufficient_data", None, None),
    # 贵港市's own plan sets ≥33% (national ≥35%): 34 meets the local target
    ("local plan overrides", W11, "female_share_senior_professionals", {2010: 30.0, 2015: 34.0},
     "achieved", None, 0.0),
]


@pytest.mark.parametrize("name, outline, code, series, expected, ratio, required", CASES,
                         ids=[c[0] for c in CASES])
def test_hand_computed_case(db, name, outline, code, series, expected, ratio, required):
    year = 2015 if outline == W11 else 2024
    row, sentence = evaluate_series(db, outline, code, series, year)
    assert row["status"] == expected, sentence
    if ratio is not None:
        assert row["progress_ratio"] == pytest.approx(ratio, abs=1e-3)
    if required is not None and expected != "insufficient_data":
        assert row["required_annual_change"] == pytest.approx(required, abs=1e-3)
    assert row["status_label"] in sentence


def test_local_target_names_its_plan(db):
    row, sentence = evaluate_series(db, W11, "female_share_senior_professionals",
                                    {2010: 30.0, 2015: 34.0}, year=2015)
    assert row["plan_id"] == "450800-women-2011-2020" and row["goal"] == 33
    assert "≥33%" in sentence and "未核实" in sentence


def test_explanation_reads_like_the_office_writes_it(db):
    _, sentence = evaluate_series(db, W21, MMR, {2020: 16.9, 2024: 14.3})
    assert sentence == ("2024年14.3/10万，目标为2030年≤12/10万（已核实）；以2020年16.9为基线直线推进，"
                        "2024年应为14.94，实际进度为应有进度的133%，进度正常。"
                        "2025—2030年每年需下降0.38/10万。")


def test_missing_baseline_is_said(db):
    _, sentence = evaluate_series(db, W21, MMR, {2019: 16.0, 2024: 14.3})
    assert "2020年无数据，以2019年代替" in sentence


@pytest.mark.parametrize("changes, series, rule, words", [
    # The shipped settings: 2021 is more than 2 years before 2024; 2020 missing, ±1 year.
    ({}, {2020: 16.9, 2021: 16.0}, "stale", "最新数据为2021年，已超过2024年前2年的时效，视为缺失"),
    ({}, {2018: 80.1, 2024: 80.9}, "direction-without-baseline",
     "缺少2020年（前后1年内）基线值，无法计算进度"),
    # The office shortens the staleness limit: 2022 is now too old as well.
    ({"staleness_years": 1}, {2020: 16.9, 2022: 15.7}, "stale",
     "最新数据为2022年，已超过2024年前1年的时效，视为缺失"),
    # …or widens the baseline window: 2018 now stands in for 2020.
    ({"baseline_window": 2}, {2017: 80.0, 2024: 80.9}, "direction-without-baseline",
     "缺少2020年（前后2年内）基线值，无法计算进度"),
    ({"baseline_window": 0}, {2019: 80.2, 2024: 80.9}, "direction-without-baseline",
     "；缺少2020年基线值，无法计算进度，数据不足。"),
])
def test_reasons_follow_the_settings(db, changes, series, rule, words):
    # The baseline cases use 女性人均预期寿命 (逐步提高): a direction needs a baseline.
    code = MMR if rule == "stale" else "female_life_expectancy"
    settings = dataclasses.replace(SETTINGS, **changes)
    row, sentence = evaluate_series(db, W21, code, series, settings=settings)
    assert (row["status"], row["status_rule"]) == ("insufficient_data", rule)
    assert words in sentence


def test_a_wider_baseline_window_finds_a_baseline_the_default_does_not(db):
    wider = dataclasses.replace(SETTINGS, baseline_window=2)
    row, sentence = evaluate_series(db, W21, MMR, {2018: 17.5, 2024: 14.3}, settings=wider)
    assert row["status_rule"] == "ratio-on-track" and "以2018年17.5为基线" in sentence


def test_every_sentence_is_worded_from_its_deciding_rule(db):
    with open_store(db).session() as con:
        cat = catalogue.read_from_store(con)
        frame = evaluation.run(con, cat, C21, ["990124"], 2024, settings=SETTINGS)
    assert set(frame["status_rule"]) >= {"no-data", "stale", "met", "no-target"}
    sentences = explain.explain(frame, settings=SETTINGS)
    for row, sentence in zip(frame.itertuples(), sentences):
        assert status.STATUS_OF_RULE[row.status_rule].code == row.status
        reason = explain.missing_reason(row, SETTINGS)
        if row.status == "insufficient_data":
            assert reason and sentence.endswith(f"{reason}，数据不足。")
        elif row.status == "no_target":
            assert sentence == status.RULE_BY_CODE["no-target"].template
        else:
            assert reason == "" and row.status_label in sentence


SERIES = {2020: 16.9, 2021: 16.1, 2022: 15.7, 2023: 15.1, 2024: 14.3}


@pytest.mark.parametrize("method, series, expected, ratio", [
    # CAGR: (14.3/16.9)^(1/4) − 1 = −4.09%; (12/16.9)^(1/10) − 1 = −3.37%; ratio 1.215
    ("cagr", {2020: 16.9, 2024: 14.3}, "on_track", 1.2152),
    # least squares over 2020–2024: slope −0.62, mean 15.62 at 2022 → 2030: 10.66;
    # share of the required change: (16.9 − 10.66)/(16.9 − 12) = 1.273
    ("projection", SERIES, "on_track", 1.2735),
    # SDSN: same ratio as the linear path, cut-points 1 and 0.5: 0.55 → at risk (linear: off)
    ("sdsn", {2020: 16.9, 2024: 15.822}, "at_risk", 0.55),
    ("linear", {2020: 16.9, 2024: 15.822}, "off_track", 0.55),
])
def test_alternative_methods(db, method, series, expected, ratio):
    row, sentence = evaluate_series(db, W21, MMR, series, method=method)
    assert (row["status"], row["method"]) == (expected, method), sentence
    assert row["progress_ratio"] == pytest.approx(ratio, abs=1e-3)


def test_projection_needs_three_points(db):
    row, sentence = evaluate_series(db, W21, MMR, {2020: 16.9, 2024: 14.3}, method="projection")
    assert row["status"] == "insufficient_data"
    assert "数据点不足" in sentence


def test_rate_on_few_events_is_marked_with_an_interval(db):
    row, sentence = evaluate_series(db, W21, MMR, {2020: 16.9, 2024: 14.29},
                                    counts={2024: (1, 7000)})
    assert bool(row["small_numbers"])
    assert row["ci_low"] < 14.29 < row["ci_high"]
    assert "基数小，波动大（1/7000）" in sentence


def test_a_miss_without_baseline_is_not_achieved_and_says_by_how_much(db):
    # 贵港市 2015: 九年义务教育巩固率 93.0% against ≥95%, no 2010 baseline (issue 11).
    with open_store(db).session() as store:
        cat = catalogue.read_from_store(store)
        frame = evaluation.run(store, cat, W11, ["450800"], 2015, settings=SETTINGS)
    row = frame[frame["indicator_code"] == "nine_year_retention_rate"].iloc[0]
    assert (row["status"], row["status_label"]) == ("not_achieved", "未达标")
    sentence = explain.explain(frame[frame.index == row.name], settings=SETTINGS).iloc[0]
    assert "差2.0个百分点，无基线值，无法判断进度，未达标。" in sentence
    rates = attainment.rates(frame).iloc[0]
    assert rates["not_achieved"] >= 1
    assert rates["without_data"] == (frame["status"] == "insufficient_data").sum()


def test_the_small_number_caveat_uses_only_the_counts_of_its_own_year(db):
    # 2024's 18.2/10万 was uploaded without counts; 2022's 2 deaths in 9,378 births are not its.
    row, sentence = evaluate_series(db, W21, MMR, {2020: 25.0, 2022: 21.3, 2024: 18.2},
                                    counts={2022: (2, 9378)})
    assert row["latest_value"] == 18.2 and pd.isna(row["latest_numerator"])
    assert not row["small_numbers"] and "基数小" not in sentence
    row, sentence = evaluate_series(db, W21, CERVICAL, {2020: 30.0, 2024: 40.0},
                                    counts={2024: (8, 20)})
    assert row["small_numbers"] and "基数小，波动大（8/20）" in sentence


def test_values_from_before_the_outline_never_make_its_flags(db):
    # 贵港市 holds 2015 figures only: under the 2021–2030 outline they judge nothing (issue 11).
    with open_store(db).session() as store:
        cat = catalogue.read_from_store(store)
        frame = evaluation.run(store, cat, W21, ["450800"], 2015, settings=SETTINGS)
    with_data = frame[frame["latest_value"].notna() & frame["target_kind"].notna()]
    assert len(with_data) > 0
    assert set(with_data["status_rule"]) == {"before-outline"}
    assert attainment.rates(frame).iloc[0]["attained"] == 0
    sentence = explain.explain(with_data.head(1), settings=SETTINGS).iloc[0]
    assert "最新数据为2015年，早于本纲要的基线年2020年，不作为本纲要的评估依据，数据不足。" in sentence
