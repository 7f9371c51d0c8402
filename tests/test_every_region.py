"""One evaluation of every region, cut for a page, is exactly the evaluation of the regions the
page asks for (evaluation.run), on the shipped data and on a generated province where regions
lack values, baselines and whole indicators; and a reader's cut holds only what they may view."""
import numpy as np
import pandas as pd
import pytest

from metrics import catalogue, config, evaluation
from metrics.access import (
    AccessDenied,
    Actor,
    Permission,
    Role,
    grant_for,
    public_visitor,
)
from metrics.evaluation import every_region
from metrics.regions import NATIONAL_CODE, RegionTree
from metrics.store import open_store
from metrics.store.guarded import guard

SETTINGS = config.settings().evaluation
OUTLINES = ("women-2021-2030", "children-2021-2030", "women-2011-2020")
PROVINCE = "130000"   # 河北省: the generated values are its cities' and counties'


def reader_of(store, cat, role=Role.VIEWER, region=NATIONAL_CODE, actor=None):
    actor = actor or Actor("读者", grant_for(role, region))
    return guard(store, actor, RegionTree(cat.regions), cat.plan_indicators)


def region_sets(cat) -> dict[str, list[str]]:
    """What pages ask for: one region of each level, the regions one level down, a county's
    sisters with its parent and 全国, a list with a repeat, every region."""
    regions = cat.regions[~cat.regions["is_demo"]]
    children = regions.groupby("parent_code")["code"].apply(list)
    city = children[PROVINCE][0]
    county = children[city][0]
    return {"全国": [NATIONAL_CODE], "省": [PROVINCE], "市": [city], "县": [county],
            "贵港市": ["450800"], "港北区": ["450802"], "演示": list(cat.regions.loc[
                cat.regions["is_demo"], "code"][:3]),
            "各省": children[NATIONAL_CODE], "河北各市": children[PROVINCE],
            "同级": children[city] + [city, NATIONAL_CODE], "重复": [county, PROVINCE, county],
            "全部": list(cat.regions["code"])}


def assert_cuts_are_evaluations(store, cat, methods) -> None:
    reader = reader_of(store, cat)
    for outline in OUTLINES:
        for method in methods:
            every = every_region.evaluate(reader, cat, outline, 2024, method, settings=SETTINGS)
            for name, codes in region_sets(cat).items():
                expected = evaluation.run(store, cat, outline, codes, 2024, method,
                                          settings=SETTINGS)
                pd.testing.assert_frame_equal(every.of(reader, codes), expected,
                                              check_exact=True, obj=f"{outline} {method} {name}")


def test_cuts_equal_the_evaluation_on_the_shipped_data(db):
    store = open_store(db)
    assert_cuts_are_evaluations(store, catalogue.read_from_store(store), ["linear", "cagr"])


def test_cuts_equal_the_evaluation_where_a_plan_defines_its_own_indicator(db):
    # 贵港市's plan's own indicator has rows in 贵港市 and its counties only: no full grid.
    from metrics import cli
    assert cli.main(["plan", "indicator", "add", "450800-women-2011-2020", "--name",
                     "「妇女之家」覆盖率", "--unit", "%", "--direction", "higher", "--area",
                     "妇女参与决策和管理", "--target", "≥90%", "--db", str(db)]) == 0
    store = open_store(db)
    cat = catalogue.read_from_store(store)
    assert "L450800-1" in set(evaluation.run(store, cat, "women-2011-2020", ["450802"], 2024,
                                             "linear", settings=SETTINGS)["indicator_code"])
    assert_cuts_are_evaluations(store, cat, ["linear"])


def generated_province(store, cat) -> int:
    """Values for every indicator of the outlines in 河北's cities and counties, 2016–2024:
    a fifth of the values missing, a tenth of the pairs without the years around the baselines
    (2010, 2020), one indicator missing in a third of the regions, mortality with counts."""
    rng = np.random.default_rng(16)
    tree = RegionTree(cat.regions)
    regions = cat.regions.loc[tree.under(cat.regions["code"], [PROVINCE]).astype(bool)
                              & (cat.regions["code"] != PROVINCE), "code"].to_numpy()
    bounds = catalogue.valid_ranges(cat.indicators, cat.units).set_index("code")
    codes = cat.plan_indicators.loc[cat.plan_indicators["plan_id"].isin(OUTLINES),
                                    "indicator_code"].drop_duplicates().to_numpy()
    years = np.arange(2016, 2025)
    grid = pd.MultiIndex.from_product([codes, regions, years],
                                      names=["indicator_code", "region_code", "year"])
    rows = grid.to_frame(index=False)
    low = np.nan_to_num(bounds.loc[rows["indicator_code"], "low"].to_numpy(float), neginf=0.0)
    high = bounds.loc[rows["indicator_code"], "high"].to_numpy(float)
    high = np.where(np.isfinite(high), high, low + 500)
    rows["value"] = np.round(low + (high - low) * rng.uniform(0.2, 0.9, len(rows)), 1)
    pair = rows["indicator_code"] + rows["region_code"]
    no_baseline = pair.isin(pair.drop_duplicates().sample(frac=0.1, random_state=1))
    dropped = (rng.random(len(rows)) < 0.2) | (no_baseline & rows["year"].le(2021)) | (
        rows["indicator_code"].eq(codes[0]) & rows["region_code"].isin(regions[::3]))
    rows = rows[~dropped].reset_index(drop=True)
    rows["numerator"], rows["denominator"] = np.nan, np.nan
    deaths = rows["indicator_code"].eq("infant_mortality_rate")
    births = rng.integers(800, 20_000, deaths.sum())
    rows.loc[deaths, "numerator"] = np.round(rows.loc[deaths, "value"] * births / 1000)
    rows.loc[deaths, "denominator"] = births.astype(float)
    rows.loc[deaths, "value"] = np.round(rows.loc[deaths, "numerator"] / births * 1000, 2)
    rows = rows.assign(source="生成", note=None)[catalogue.OBSERVATION_COLUMNS]
    with store.transaction() as con:
        batch = con.create_batch("upload", "测试", "生成的省")
        con.write_observations(batch, rows, rows.iloc[:0],
                               {"new": len(rows), "changed": 0, "unchanged": 0})
    return len(rows)


def test_cuts_equal_the_evaluation_on_a_generated_province(db):
    store = open_store(db)
    cat = catalogue.read_from_store(store)
    assert generated_province(store, cat) > 50_000
    assert_cuts_are_evaluations(store, cat, ["linear", "projection"])


def test_a_reader_s_evaluation_holds_only_the_regions_they_may_view(db):
    store = open_store(db)
    cat = catalogue.read_from_store(store)
    city_viewer = reader_of(store, cat, region="450800")          # 贵港市
    every = every_region.evaluate(city_viewer, cat, OUTLINES[0], 2024, None, settings=SETTINGS)
    subtree = RegionTree(cat.regions).under(cat.regions["code"], ["450800"]).astype(bool)
    assert set(every.regions) == set(cat.regions.loc[subtree, "code"])
    assert set(every.frame["region_code"]) == set(every.regions)
    pd.testing.assert_frame_equal(
        every.of(city_viewer, ["450802", "450800"]),
        evaluation.run(store, cat, OUTLINES[0], ["450802", "450800"], 2024, None,
                       settings=SETTINGS), check_exact=True)
    for outside in (["450000"], [NATIONAL_CODE], ["450802", "130102"]):
        with pytest.raises(AccessDenied, match="查看范围"):
            every.of(city_viewer, outside)
    national = every_region.evaluate(reader_of(store, cat), cat, OUTLINES[0], 2024, None,
                                     settings=SETTINGS)
    with pytest.raises(AccessDenied, match="查看范围"):   # a cut of a wider evaluation neither
        national.of(city_viewer, [NATIONAL_CODE])


def test_a_reader_without_the_outline_gets_no_cut(db):
    store = open_store(db)
    cat = catalogue.read_from_store(store)
    visitor = reader_of(store, cat, actor=public_visitor(("450800",), (OUTLINES[1],), "测试"))
    with pytest.raises(AccessDenied, match="纲要"):
        every_region.evaluate(visitor, cat, OUTLINES[0], 2024, None, settings=SETTINGS)
    national = every_region.evaluate(reader_of(store, cat), cat, OUTLINES[0], 2024, None,
                                     settings=SETTINGS)
    with pytest.raises(AccessDenied, match="纲要"):
        national.of(visitor, ["450800"])


def test_people_of_every_role_with_one_view_share_one_cached_evaluation():
    views = {grant_for(role, "450800").reading_only() for role in Role}
    assert len(views) == 1
    (view,) = views
    assert view.view_roots == ("450800",) and view.capture_roots == ()
    assert view.allows(Permission.VIEW) and not view.allows(Permission.UPLOAD)
    assert grant_for(Role.ADMIN, "450802").reading_only() != view


def test_the_pages_share_one_evaluation_of_every_region(db, fresh_caches, signed_in,
                                                         monkeypatch):
    """总览 (no method named), 中期评估 (the default method named) and its 下级地区对比 tab
    read one evaluation of every region: the outline is evaluated once, not per page or set."""
    from streamlit.testing.v1 import AppTest

    from metrics.config import BASE_DIR
    evaluated = []
    real = every_region.evaluate

    def counting(reader, cat, outline_id, year, method, *, settings):
        evaluated.append((outline_id, year, method))
        return real(reader, cat, outline_id, year, method, settings=settings)
    monkeypatch.setattr(every_region, "evaluate", counting)
    query = {"plan": OUTLINES[0], "region": NATIONAL_CODE, "year": "2024"}
    for page, tab in (("overview", None), ("evaluation", None), ("evaluation", "下级地区对比")):
        at = AppTest.from_file(str(BASE_DIR / "pages" / f"{page}.py"), default_timeout=120)
        at.query_params.update(query)
        if tab:
            at.session_state["evaluation_tab"] = tab
        at.run()
        assert not at.exception, at.exception
    assert [s.value for s in at.subheader] == ["各地区指标状态"]     # the tab was drawn
    assert evaluated == [(OUTLINES[0], 2024, SETTINGS.default_method)]
