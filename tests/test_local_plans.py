"""The real local plans shipped in data/ (from the third verification pass) override the
national outline in their regions, and the explanation names the plan."""
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from metrics import catalogue, config, evaluation
from metrics.config import BASE_DIR
from metrics.evaluation import explain
from metrics.store import open_store

SETTINGS = config.settings().evaluation
LOCAL_PLANS = {
    "131000-children-2021-2030": "廊坊市儿童发展规划（2021—2030年）",
    "350100-children-2021-2030": "福州市儿童发展纲要（2021—2030年）",
    "150782-women-2021-2030": "牙克石市妇女发展规划（2021—2030年）",
    "150500-women-2011-2020": "通辽市妇女发展纲要（2011—2020年）",
}


def target(cat, plan_id, code) -> pd.Series:
    targets = cat.targets
    return targets[(targets["plan_id"] == plan_id) & (targets["indicator_code"] == code)].iloc[0]


def test_four_real_local_plans_are_shipped_with_sources_and_verified_marks(real_catalogue):
    plans = real_catalogue.plans.set_index("id")
    for plan_id, name in LOCAL_PLANS.items():
        assert plans.loc[plan_id, "name"] == name
        assert plans.loc[plan_id, "region_code"] == plan_id[:6]
        own = real_catalogue.targets[real_catalogue.targets["plan_id"] == plan_id]
        assert len(own) and own["verified"].eq("yes").all()
        assert own["evidence"].str.contains("「").all() and own["source"].eq(name).all()


def test_local_targets_differ_from_the_national_ones(real_catalogue):
    assert target(real_catalogue, "350100-children-2021-2030", "infant_mortality_rate")["value"] == 4
    assert target(real_catalogue, "children-2021-2030", "infant_mortality_rate")["value"] == 5
    assert target(real_catalogue, "150782-women-2021-2030",
                  "senior_secondary_gross_enrolment_rate")["value"] == 95
    tongliao = target(real_catalogue, "150500-women-2011-2020", "female_share_residents_committee")
    assert (tongliao["kind"], tongliao["value"]) == ("around", 70)


def test_third_pass_confirms_and_corrects_national_targets(real_catalogue):
    for plan_id, code in [("children-2021-2030", "under5_anaemia_rate"),
                          ("children-2021-2030", "child_injury_mortality_rate"),
                          ("children-2011-2020", "child_injury_mortality_rate")]:
        assert target(real_catalogue, plan_id, code)["verified"] == "yes"
    assert target(real_catalogue, "women-2021-2030", "maternal_mortality_ratio")["text"].startswith(
        "到2030年孕产妇死亡率下降到12/10万以下")
    water = target(real_catalogue, "women-2011-2020", "rural_centralised_water_supply_rate")
    assert (water["value"], water["verified"]) == (85, "changed") and "左右" in water["text"]
    targets = real_catalogue.targets
    assert not ((targets["plan_id"] == "women-2011-2020")
                & (targets["indicator_code"] == "rural_tap_water_rate")).any()


def test_new_national_values_are_seeded_with_their_source(real_catalogue):
    obs = real_catalogue.observations.set_index(["indicator_code", "region_code", "year"])
    row = obs.loc[("neonatal_mortality_rate", "000000", 2023)]
    assert row["value"] == 2.8 and "国家统计局" in row["source"]


def test_a_county_under_fuzhou_gets_the_city_target_and_the_plan_is_named(db):
    with open_store(db).session() as store:
        cat = catalogue.read_from_store(store)
        frame = evaluation.run(store, cat, "children-2021-2030", ["350102", "320106"], 2024,
                               settings=SETTINGS)
    infant = frame[frame["indicator_code"] == "infant_mortality_rate"].set_index("region_code")
    assert infant.loc["350102", "target_value"] == 4   # 福州市鼓楼区: the city's plan
    assert infant.loc["320106", "target_value"] == 5   # 南京市鼓楼区: the national outline
    sentences = explain.explain(infant.reset_index(), settings=SETTINGS)
    assert "目标来自《福州市儿童发展纲要（2021—2030年）》" in sentences.iloc[0]
    assert "目标来自" not in sentences.iloc[1]


def write_values(db, code, region, series):
    rows = pd.DataFrame({"indicator_code": code, "region_code": region, "year": list(series),
                         "value": list(series.values()), "numerator": None, "denominator": None,
                         "source": "测试", "note": None})
    with open_store(db).transaction() as store:
        batch = store.create_batch("upload", "测试", "福州鼓楼区")
        store.write_observations(batch, rows, rows.iloc[:0],
                                 {"new": len(rows), "changed": 0, "unchanged": 0})


@pytest.mark.usefixtures("fresh_caches", "signed_in")
def test_the_pages_show_the_city_target_and_name_the_plan(db):
    write_values(db, "infant_mortality_rate", "350102", {2020: 3.9, 2024: 3.2})
    query = {"plan": "children-2021-2030", "region": "350102", "year": "2024"}
    overview = AppTest.from_file(str(BASE_DIR / "pages/overview.py"), default_timeout=60)
    for key, value in query.items():
        overview.query_params[key] = value
    overview.run()
    assert not overview.exception
    table = overview.dataframe[1].value
    infant = table[table["代码"] == "infant_mortality_rate"].iloc[0]
    assert "≤4‰" in infant["目标"] and infant["目标出处"] == LOCAL_PLANS["350100-children-2021-2030"]
    page = AppTest.from_file(str(BASE_DIR / "pages/evaluation.py"), default_timeout=60)
    for key, value in (query | {"ind": "infant_mortality_rate"}).items():
        page.query_params[key] = value
    page.run()
    assert not page.exception
    assert any("目标来自《福州市儿童发展纲要（2021—2030年）》" in m.value for m in page.markdown)
