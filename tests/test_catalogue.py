"""Integrity of the shipped catalogue, and that `check` catches each kind of contradiction."""
import dataclasses
import math

import pandas as pd
import pytest

from metrics import catalogue
from metrics.catalogue import valid_ranges
from metrics.errors import NotFoundError

NATIONAL_OUTLINES = {"women-2021-2030", "children-2021-2030", "women-2011-2020",
                     "children-2011-2020"}


def test_shipped_catalogue_is_consistent(real_catalogue):
    assert catalogue.check(real_catalogue) == []


def test_national_outlines_have_the_agreed_ids_and_baselines(real_catalogue):
    plans = real_catalogue.plans.set_index("id")
    assert NATIONAL_OUTLINES <= set(plans.index)
    assert plans.loc["women-2021-2030", "baseline_year"] == 2020
    assert plans.loc["children-2011-2020", "baseline_year"] == 2010


def test_every_source_target_is_transcribed_with_its_verified_status(real_catalogue):
    targets = real_catalogue.targets
    national = targets[targets["plan_id"].isin(NATIONAL_OUTLINES)]
    assert len(national) == 67 + 11
    assert set(targets["verified"]) <= {"yes", "not_found", "changed"}
    assert (national["verified"] == "yes").sum() >= 48
    assert national["source"].notna().all()


def test_guigang_plan_overrides_the_senior_professionals_target(real_catalogue):
    targets = real_catalogue.targets
    local = targets[targets["plan_id"] == "450800-women-2011-2020"]
    assert local["value"].tolist() == [33]
    national = targets[(targets["plan_id"] == "women-2011-2020")
                       & (targets["indicator_code"] == local["indicator_code"].item())]
    assert national["value"].item() == 35


def test_region_tree_is_the_real_national_tree(real_catalogue):
    regions = real_catalogue.regions
    real = regions[~regions["is_demo"]]
    assert 3100 <= len(real) <= 3300
    assert real["code"].str.fullmatch(r"\d{6}").all()
    by_code = real.set_index("code")
    assert by_code.loc["450800", ["name", "parent_code"]].tolist() == ["贵港市", "450000"]
    assert by_code.loc["000000", "level"] == "national"
    assert (real["level"] == "province").sum() == 31


def test_demo_regions_cannot_collide_with_real_codes(real_catalogue):
    demo = real_catalogue.regions[real_catalogue.regions["is_demo"]]
    assert 7 <= len(demo) <= 9
    assert demo["code"].str.startswith("99").all()


def test_observations_are_national_reported_values_and_guigang(real_catalogue):
    obs = real_catalogue.observations
    real = obs[~obs["region_code"].str.startswith("99")]
    assert set(real["region_code"]) == {"000000", "450800"}
    mmr = real[(real["indicator_code"] == "maternal_mortality_ratio")
               & (real["region_code"] == "000000")].set_index("year")["value"]
    assert mmr.loc[2020] == 16.9 and mmr.loc[2024] == 14.3
    assert real["source"].notna().all()


def edited(cat, table, frame):
    return dataclasses.replace(cat, **{table: frame})


@pytest.mark.parametrize("table, change, expected", [
    ("indicators", lambda f: pd.concat([f, f.head(1)]), "重复"),
    ("targets", lambda f: f.assign(indicator_code=f["indicator_code"].where(
        f.index != f.index[0], "no_such_indicator")), "no_such_indicator"),
    ("targets", lambda f: f.assign(kind=f["kind"].where(f["kind"] != "at_most", "at_least")),
     "与指标方向"),
    ("observations", lambda f: f.assign(value=f["value"].where(f.index != f.index[0], 1e9)),
     "超出有效范围"),
    ("regions", lambda f: f.assign(parent_code=f["parent_code"].where(
        f["code"] != "450800", "459999")), "459999"),
])
def test_check_reports_each_contradiction(real_catalogue, table, change, expected):
    broken = edited(real_catalogue, table, change(getattr(real_catalogue, table)))
    problems = catalogue.check(broken)
    assert any(expected in p for p in problems), problems


ORDERED_OUTLINES = ["women-2021-2030", "children-2021-2030", "women-2011-2020",
                    "children-2011-2020"]


@pytest.mark.parametrize("rows", ["as shipped", "reversed"])
def test_national_outlines_newest_first_women_before_children(real_catalogue, rows):
    plans = real_catalogue.plans if rows == "as shipped" else real_catalogue.plans[::-1]
    assert catalogue.national_outlines(plans) == ORDERED_OUTLINES


@pytest.mark.parametrize("plan_id", ["women-2021-2030", "450800-women-2011-2020"])
def test_find_plan_returns_national_and_local_plans(real_catalogue, plan_id):
    assert catalogue.find_plan(real_catalogue.plans, plan_id).name == plan_id


def test_find_plan_refuses_an_unknown_id_listing_the_valid_ones(real_catalogue):
    with pytest.raises(NotFoundError, match="^找不到纲要「nope」，可选：women-2021-2030、"):
        catalogue.find_plan(real_catalogue.plans, "nope")


def test_every_count_indicator_has_a_finite_upper_bound(real_catalogue):
    """A count without an upper bound let a 401-digit number through as inf (issue 10)."""
    counts = real_catalogue.units.loc[real_catalogue.units["kind"] == "count", "unit"]
    bounds = valid_ranges(real_catalogue.indicators, real_catalogue.units).set_index("code")
    codes = real_catalogue.indicators.loc[real_catalogue.indicators["unit"].isin(counts), "code"]
    assert bounds.loc[codes, "high"].map(math.isfinite).all()
