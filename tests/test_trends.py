"""The trend page's targets come from the targets in force alone (evaluation.target_rows),
not from an evaluation at the target year, and draw the same lines and texts."""
import pandas as pd
import pytest

from metrics import catalogue, config, evaluation
from metrics.store import open_store
from metrics.views import trends

SETTINGS = config.settings().evaluation
CASES = [
    ("women-2021-2030", ["000000"]),
    ("children-2021-2030", ["000000", "990100", "990124"]),
    ("women-2011-2020", ["000000", "450800"]),       # 贵港市's own plan overrides one target
    ("children-2011-2020", ["450800", "990121"]),
]


@pytest.mark.parametrize("outline, regions", CASES, ids=[c[0] for c in CASES])
def test_target_lines_and_texts_match_those_of_an_evaluation(template_db, outline, regions):
    store = open_store(template_db)
    cat = catalogue.read_from_store(store)
    codes = list(evaluation.outline_indicators(cat, outline)["indicator_code"])
    plan = cat.plans.set_index("id").loc[outline]
    evaluated = evaluation.run(store, cat, outline, regions, int(plan["target_year"]),
                               settings=SETTINGS)
    in_force = evaluation.target_rows(store, cat, outline, regions, codes, settings=SETTINGS)
    expected = trends.target_lines(cat, evaluated)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(trends.target_lines(cat, in_force), expected)
    for code in codes:
        assert trends.indicator_info(cat, in_force, code, outline) == \
            trends.indicator_info(cat, evaluated, code, outline)


def test_only_the_chosen_indicators_are_returned(template_db):
    store = open_store(template_db)
    cat = catalogue.read_from_store(store)
    rows = evaluation.target_rows(store, cat, "women-2011-2020", ["450800", "000000"],
                                  ["female_share_senior_professionals"], settings=SETTINGS)
    assert set(rows["indicator_code"]) == {"female_share_senior_professionals"}
    by_region = rows.set_index("region_code")
    assert by_region.at["450800", "target_value"] != by_region.at["000000", "target_value"]


def test_target_paths_run_from_each_regions_baseline_to_its_goal(template_db):
    store = open_store(template_db)
    cat = catalogue.read_from_store(store)
    rows = evaluation.target_rows(store, cat, "women-2021-2030", ["000000"],
                                  ["maternal_mortality_ratio", "breast_cancer_screening_rate"],
                                  settings=SETTINGS)
    paths = trends.target_paths(cat, rows)
    # 逐步提高 (breast cancer screening) has no goal to draw a path to.
    assert paths.to_dict("records") == [{
        "indicator_code": "maternal_mortality_ratio", "region_name": "全国",
        "baseline_year": 2020, "baseline_value": 16.9, "target_year": 2030, "goal": 12.0}]


def test_sources_are_listed_once_each_with_where_and_when_they_speak():
    plotted = pd.DataFrame({
        "indicator_code": ["mmr"] * 5, "indicator_name": ["孕产妇死亡率"] * 5,
        "region_name": ["全国", "全国", "全国", "示范市（演示）", "全国"],
        "year": [2016, 2018, 2019, 2018, 2020],
        "source": ["监测报告", "监测报告", "监测报告", "演示数据（虚构）", None]})
    assert trends.source_lines(plotted) == [
        "监测报告：全国 2016、2018—2019年", "演示数据（虚构）：示范市（演示） 2018年",
        "未注明来源：全国 2020年"]
    several = pd.concat([plotted.head(1), plotted.head(1).assign(
        indicator_code="imr", indicator_name="婴儿死亡率")])
    assert trends.source_lines(several) == ["监测报告：孕产妇死亡率 全国 2016年；婴儿死亡率 全国 2016年"]
