"""The Store contract: one set of tests over the whole Store surface, through the interface
only (no SQL, no backend internals), so that a second backend passes it unchanged.

Each backend is named by a URL template in STORE_URLS; {dir} is a fresh directory per test.
A backend whose URL names a server (PostgreSQL) adds its template through the environment
variable METRICS_CONTRACT_STORE_URLS (comma-separated), each URL naming an empty database.
"""
from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_inputs import COLUMNS, evaluation_inputs

from metrics import catalogue
from metrics.errors import StoreError
from metrics.store import CATALOGUE_TABLES, FOCUS_FIELDS, OBSERVATION_KEY, open_store

STORE_URLS = ["duckdb://{dir}/contract.duckdb"] + [
    url for url in os.environ.get("METRICS_CONTRACT_STORE_URLS", "").split(",") if url]
MMR, LIFE = "maternal_mortality_ratio", "female_life_expectancy"
NATION, GUIGANG = "000000", "450800"


@pytest.fixture(params=STORE_URLS, ids=lambda url: url.split(":")[0])
def empty_store(request, tmp_path):
    """A store with nothing in it yet."""
    return open_store(request.param.format(dir=tmp_path))


@pytest.fixture
def store(empty_store):
    """An initialised store without a catalogue (observations need none)."""
    empty_store.initialise()
    return empty_store


def observation(indicator=MMR, region=NATION, year=2024, value=14.3, **fields) -> dict:
    return {"indicator_code": indicator, "region_code": region, "year": year, "value": value,
            "numerator": fields.get("numerator"), "denominator": fields.get("denominator"),
            "source": fields.get("source", "统计监测报告"), "note": fields.get("note")}


def rows(*observations: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(observations))
    return frame.astype({"year": "int64", "value": float, "numerator": float,
                         "denominator": float})


def write(store, new=(), changed=(), kind="upload", user="李明", unchanged=(), **batch) -> int:
    """One batch writing new and changed values (and supplying unchanged ones), as the
    importer does: in one transaction."""
    empty = rows(observation()).iloc[:0]
    new, changed, unchanged = (rows(*given) if given else empty
                               for given in (new, changed, unchanged))
    with store.transaction() as work:
        batch_id = work.create_batch(kind, user, "测试", **batch)
        work.write_observations(batch_id, new, changed,
                                {"new": len(new), "changed": len(changed),
                                 "unchanged": len(unchanged)}, unchanged=unchanged)
    return batch_id


def keys(*triples) -> pd.DataFrame:
    return pd.DataFrame(triples, columns=OBSERVATION_KEY)


# --- schema ------------------------------------------------------------------------------------

def test_an_empty_store_has_no_schema_until_initialised(empty_store):
    assert empty_store.schema_version() is None and not empty_store.is_initialised()
    empty_store.initialise()
    version = empty_store.schema_version()
    assert isinstance(version, int) and version >= 1
    empty_store.initialise()                    # safe to repeat
    assert empty_store.schema_version() == version
    assert not empty_store.is_initialised()     # a schema, but no catalogue yet


def test_each_schema_version_reached_is_recorded_with_its_time(store):
    migrations = store.migrations()
    assert list(migrations["version"]) == [store.schema_version()]
    assert migrations["applied_at"].notna().all()


def test_a_store_without_schema_refuses_work(empty_store):
    with pytest.raises(StoreError, match="init"):
        empty_store.fetch_batches()


# --- catalogue ---------------------------------------------------------------------------------

def test_catalogue_tables_round_trip_and_make_the_store_initialised(store, real_catalogue):
    tables = real_catalogue.tables()
    for table, frame in tables.items():
        store.replace_table(table, frame)
    assert store.is_initialised()
    for table in CATALOGUE_TABLES:
        stored = store.read_table(table)
        assert len(stored) == len(tables[table])
        assert set(stored.columns) == set(tables[table].columns)
    back = catalogue.read_from_store(store)
    assert set(back.regions["code"]) == set(real_catalogue.regions["code"])
    assert set(back.plan_indicators.columns) == set(real_catalogue.plan_indicators.columns)
    assert back.plan_indicators["outline_name"].notna().sum() == \
        real_catalogue.plan_indicators["outline_name"].notna().sum()
    store.replace_table("units", real_catalogue.units.iloc[:2])
    assert len(store.read_table("units")) == 2


def test_only_catalogue_tables_can_be_read_or_replaced(store):
    for misuse in (lambda: store.read_table("observations"),
                   lambda: store.replace_table("batches", pd.DataFrame())):
        with pytest.raises(ValueError):
            misuse()


def test_the_data_version_follows_catalogue_revisions_and_batches(store):
    assert store.data_version() == (0, 0)
    store.bump_catalogue_revision()
    store.bump_catalogue_revision()
    batch = write(store, new=[observation()])
    assert store.data_version() == (2, batch)


def test_row_counts_cover_the_main_tables(store):
    write(store, new=[observation(), observation(year=2023, value=15.1)])
    counts = store.count_rows()
    assert set(CATALOGUE_TABLES) | {"observations", "batches", "revisions"} <= set(counts)
    assert (counts["observations"], counts["batches"], counts["revisions"]) == (2, 1, 2)


# --- batches and observations -------------------------------------------------------------------

def test_batches_are_numbered_upwards_timed_in_beijing_time_and_listed_newest_first(store):
    first = store.create_batch("upload", "李明", "第一批", file_name="a.csv", sha256="aa",
                               sheet="数据")
    second = store.create_batch("undo", "王芳", "第二批")
    assert second > first
    listed = store.fetch_batches()
    assert list(listed["id"][:2]) == [second, first]
    batch = store.fetch_batch(first)
    assert (batch["kind"], batch["user_name"], batch["note"], batch["file_name"],
            batch["sha256"], batch["sheet"]) == ("upload", "李明", "第一批", "a.csv", "aa", "数据")
    beijing_now = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    assert abs(batch["created_at"] - beijing_now) < dt.timedelta(minutes=2)
    assert store.fetch_batch(second + 100) is None


def test_written_values_are_read_back_with_their_batch(store):
    batch = write(store, new=[observation(numerator=2, denominator=9378),
                              observation(region=GUIGANG, year=2022, value=18.2),
                              observation(indicator=LIFE, value=80.9)])
    current = store.read_current(keys((MMR, NATION, 2024), (MMR, GUIGANG, 2022),
                                      (MMR, GUIGANG, 2030)))
    assert len(current) == 2 and set(current["batch_id"]) == {batch}
    assert set(current["batch_kind"]) == {"upload"}
    nation = current.set_index("region_code").loc[NATION]
    assert (nation["value"], nation["numerator"], nation["denominator"]) == (14.3, 2, 9378)
    fetched = store.fetch_observations([MMR, LIFE], [NATION, GUIGANG])
    assert list(zip(fetched["indicator_code"], fetched["region_code"], fetched["year"])) == [
        (LIFE, NATION, 2024), (MMR, NATION, 2024), (MMR, GUIGANG, 2022)]
    assert store.fetch_region_years(GUIGANG) == [2022]
    counted = store.fetch_batch(batch)
    assert (counted["n_new"], counted["n_changed"], counted["n_unchanged"]) == (3, 0, 0)


def test_a_changed_value_keeps_the_one_it_replaced(store):
    first = write(store, new=[observation(value=14.3)])
    second = write(store, changed=[observation(value=13.9, source="快报")])
    [now] = store.read_current(keys((MMR, NATION, 2024))).itertuples()
    assert (now.value, now.source, now.batch_id) == (13.9, "快报", second)
    changes = store.fetch_batch_changes(second)
    assert changes[["old_value", "new_value", "old_batch_id"]].values.tolist() == [
        [14.3, 13.9, first]]
    history = store.fetch_revisions([MMR], [NATION])
    assert list(history["batch_id"]) == [second, first]          # newest batch first
    assert history["new_value"].tolist() == [13.9, 14.3]
    assert history.loc[0, "old_source"] == "统计监测报告" and history.loc[0, "user_name"] == "李明"


def test_revisions_of_many_pairs_come_in_one_call(store):
    write(store, new=[observation(), observation(region=GUIGANG), observation(indicator=LIFE)])
    found = store.fetch_revisions([MMR, LIFE], [NATION, GUIGANG])
    assert len(found) == 3
    assert store.fetch_revisions([MMR], [GUIGANG])["region_code"].tolist() == [GUIGANG]


def test_a_batch_is_read_a_page_at_a_time_in_the_order_it_wrote(store):
    batch = write(store, new=[observation(year=year, value=float(year - 2000))
                              for year in range(2000, 2025)])
    assert store.count_batch_changes(batch) == 25
    pages = [store.fetch_batch_changes_page(batch, offset, 10) for offset in (0, 10, 20)]
    assert [len(page) for page in pages] == [10, 10, 5]
    assert list(pd.concat(pages)["year"]) == list(range(2000, 2025))       # as written
    assert list(pages[0].columns) == list(store.fetch_batch_changes(batch).columns)
    assert store.fetch_batch_changes_page(batch, 25, 10).empty
    assert store.count_batch_changes(batch + 1) == 0


def test_every_value_of_a_batch_is_written_to_a_csv_for_excel(store, real_catalogue, tmp_path):
    for table in ("units", "indicators", "regions"):
        store.replace_table(table, getattr(real_catalogue, table))
    first = write(store, new=[observation(value=14.3)])
    batch = write(store, new=[observation(region=GUIGANG, year=2022, value=20.5)],
                  changed=[observation(value=13.9)])
    path = tmp_path / "批次.csv"
    assert store.write_batch_changes(batch, path) == 2
    content = path.read_bytes()
    assert content.startswith("\ufeff".encode())
    written = pd.read_csv(path, encoding="utf-8-sig", dtype={"地区代码": str})
    assert list(written.columns) == ["指标代码", "指标", "单位", "地区代码", "地区", "年份", "原值",
                                     "新值"]
    assert written.astype(object).where(written.notna(), None).to_dict("records") == [
        {"指标代码": MMR, "指标": "孕产妇死亡率", "单位": "1/10万", "地区代码": GUIGANG, "地区": "贵港市",
         "年份": 2022, "原值": None, "新值": 20.5},
        {"指标代码": MMR, "指标": "孕产妇死亡率", "单位": "1/10万", "地区代码": NATION, "地区": "全国",
         "年份": 2024, "原值": 14.3, "新值": 13.9}]
    assert store.write_batch_changes(first, path) == 1 and len(pd.read_csv(path)) == 1


def test_replacing_a_value_that_is_not_stored_writes_nothing(store):
    write(store, new=[observation()])
    before = store.count_rows()
    with pytest.raises(StoreError, match="未写入任何数据"):
        write(store, changed=[observation(value=13.9), observation(year=2023, value=15.0)])
    assert store.count_rows() == before
    assert store.read_current(keys((MMR, NATION, 2024)))["value"].tolist() == [14.3]


def test_a_transaction_that_fails_leaves_nothing_behind(store):
    before = store.count_rows()
    with pytest.raises(RuntimeError), store.transaction() as work:
        batch = work.create_batch("upload", "李明", "")
        work.write_observations(batch, rows(observation()), rows(observation()).iloc[:0],
                                {"new": 1, "changed": 0, "unchanged": 0})
        work.save_batch_file(batch, b"content")
        assert len(work.read_current(keys((MMR, NATION, 2024)))) == 1   # seen inside
        raise RuntimeError("中途失败")
    assert store.count_rows() == before and store.data_version() == (0, 0)


def test_a_session_reads_through_one_store(store):
    batch = write(store, new=[observation()])
    with store.session() as reading:
        assert reading.fetch_batch(batch)["n_new"] == 1
        assert reading.fetch_region_years(NATION) == [2024]


def test_the_original_file_is_kept_with_its_batch(store):
    batch = store.create_batch("upload", "李明", "", file_name="数据.xlsx")
    content = bytes(range(256)) * 10
    store.save_batch_file(batch, content)
    assert store.fetch_batch_file(batch) == content
    assert store.fetch_batch_file(batch + 1) is None


def test_a_live_import_is_found_by_file_and_sheet(store):
    batch = write(store, new=[observation()], sha256="ab12", sheet="数据", file_name="a.xlsx")
    assert store.find_live_batch("ab12", "数据") == batch
    assert store.find_live_batch("ab12", "说明") is None
    assert store.find_live_batch("ab12") is None          # no sheet is another import
    assert store.find_live_batch("cd34", "数据") is None


# --- undo ----------------------------------------------------------------------------------------

def test_restoring_a_batch_puts_back_what_it_replaced_and_removes_what_it_added(store):
    seed = write(store, new=[observation(value=14.3)], kind="seed", user="系统")
    upload = write(store, new=[observation(year=2023, value=15.1)],
                   changed=[observation(value=13.9)], sha256="ab12")
    assert store.overwritten_since(upload) == (0, [])
    undo = store.create_batch("undo", "王芳", f"撤销批次 {upload}")
    assert store.restore_before(upload, undo) == 2
    current = store.fetch_observations([MMR], [NATION])
    assert current[["year", "value", "batch_id"]].values.tolist() == [[2024, 14.3, seed]]
    assert store.fetch_batch(upload)["undone_by"] == undo
    assert (store.fetch_batch(undo)["undoes"], store.fetch_batch(undo)["n_changed"]) == (upload, 2)
    assert store.find_live_batch("ab12") is None
    assert store.fetch_batch_changes(undo)["new_value"].isna().sum() == 1   # the removed one


def test_values_a_later_batch_changed_are_named_before_an_undo(store):
    first = write(store, new=[observation(), observation(year=2023)])
    second = write(store, changed=[observation(value=13.0)])
    assert store.overwritten_since(first) == (1, [second])


# --- notes -----------------------------------------------------------------------------------------

def notes(*entries: tuple[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame([{"indicator_code": code, "reason": reason, "measures": "",
                           "deadline": "", "responsible": ""} for code, reason in entries])
    return frame[["indicator_code", *FOCUS_FIELDS]]


def test_focus_notes_are_upserted_per_region_and_emptied_notes_removed(store):
    store.save_focus_items("women-2021-2030", GUIGANG, notes((MMR, "基数小"), (LIFE, "口径变化")),
                           "李明")
    store.save_focus_items("women-2021-2030", GUIGANG, notes((MMR, "已整改"), (LIFE, "  ")),
                           "王芳")
    saved = store.fetch_focus_items("women-2021-2030", [GUIGANG])
    assert saved[["indicator_code", "reason", "updated_by"]].values.tolist() == [
        [MMR, "已整改", "王芳"]]
    assert saved["updated_at"].notna().all()
    assert store.fetch_focus_items("women-2021-2030", [NATION]).empty
    assert store.fetch_focus_items("children-2021-2030", [GUIGANG]).empty


# --- evaluation inputs against the plain pandas reference ----------------------------------------

INDICATORS, REGIONS = ["a", "b", "c"], ["r1", "r2", "r3"]
# Per series, some of the years 2014–2026 with a value (or an empty one) and maybe a count:
# dense enough that baselines with one neighbour, both or none are all common.
one_year = st.tuples(
    st.one_of(st.none(), st.floats(0, 1000, allow_nan=False).map(lambda v: round(v, 3))),
    st.one_of(st.none(), st.integers(0, 50)))
series_values = st.dictionaries(
    st.tuples(st.sampled_from(INDICATORS[:2]), st.sampled_from(REGIONS[:2])),
    st.dictionaries(st.integers(2014, 2026), one_year, min_size=1, max_size=13),
    min_size=1, max_size=4)


def generated(values: dict) -> pd.DataFrame:
    frame = pd.DataFrame([observation(i, r, year, v, numerator=n,
                                      denominator=None if n is None else 9000)
                          for (i, r), years in values.items()
                          for year, (v, n) in years.items()])
    return frame.astype({"year": "int64", "value": float, "numerator": float,
                         "denominator": float})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=series_values, year=st.integers(2016, 2026), baseline_year=st.integers(2015, 2024),
       window=st.integers(0, 2), points=st.integers(1, 6))
def test_evaluation_inputs_match_the_pandas_reference(store, values, year, baseline_year, window,
                                                      points):
    frame = generated(values)
    asked = (["c", "a"], ["r2", "r1", "r3"])
    with pytest.raises(RollBack), store.transaction() as work:
        batch = work.create_batch("upload", "测试", "")
        work.write_observations(batch, frame, frame.iloc[:0],
                                {"new": len(frame), "changed": 0, "unchanged": 0})
        found = work.fetch_evaluation_inputs(*asked, year, baseline_year, window, points)
        raise RollBack
    expected = evaluation_inputs(frame, *asked, year, baseline_year, window, points)
    assert list(found["indicator_code"].cat.categories) == asked[0]
    assert list(found["region_code"].cat.categories) == asked[1]
    compare(found, expected)


class RollBack(Exception):
    """Ends a transaction so that the next generated example starts from an empty store."""


def compare(found: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Row for row, numbers to 1e-6 (the SQL computes the trend in closed form)."""
    order = ["indicator_code", "region_code"]
    found = found.astype({c: str for c in order})[COLUMNS].sort_values(order)
    expected = expected.sort_values(order)
    assert found[order].values.tolist() == expected[order].values.tolist()
    for column in COLUMNS[2:]:
        got = pd.to_numeric(found[column]).to_numpy(float)
        want = pd.to_numeric(expected[column]).to_numpy(float)
        assert np.allclose(got, want, rtol=1e-6, atol=1e-6, equal_nan=True), column


@pytest.mark.parametrize("years, window, expected", [
    ({2019: 10.0, 2020: 15.0, 2021: 20.0}, 1, (2020, 15.0)),    # the baseline year itself
    ({2019: 10.0, 2021: 20.0}, 1, (2019, 10.0)),                # both neighbours: the earlier
    ({2021: 20.0, 2022: 25.0}, 1, (2021, 20.0)),                # only the later one
    ({2018: 5.0, 2022: 25.0}, 1, (None, None)),                 # none within the window
    ({2018: 5.0, 2022: 25.0}, 2, (2018, 5.0)),                  # a wider window reaches them
    ({2019: 10.0, 2021: 20.0}, 0, (None, None)),                # window 0: the year or nothing
], ids=["exact", "earlier-first", "later", "outside", "wider", "window-0"])
def test_the_baseline_is_the_nearest_year_earlier_first(store, years, window, expected):
    frame = generated({("a", "r1"): {year: (value, None) for year, value in years.items()}})
    write(store, new=frame.to_dict("records"))
    found = store.fetch_evaluation_inputs(["a"], ["r1"], 2024, 2020, window, 5)
    reference = evaluation_inputs(frame, ["a"], ["r1"], 2024, 2020, window, 5)
    for table in (found, reference):
        used, value = table.loc[0, ["baseline_year_used", "baseline_value"]]
        assert (None if pd.isna(used) else int(used), None if pd.isna(value) else value) == \
            expected


def test_an_undo_falls_back_to_the_newest_live_batch_supplying_the_value(store):
    first = write(store, new=[observation(value=5.0)])
    second = write(store, new=[observation(year=2023, value=4.8)],
                   unchanged=[observation(value=5.0)])
    undo = store.create_batch("undo", "王芳", "")
    assert store.restore_before(first, undo) == 1
    [kept] = store.read_current(keys((MMR, NATION, 2024))).itertuples()
    assert (kept.value, kept.batch_id) == (5.0, second)


def test_a_user_plan_is_replaced_whole_and_each_save_is_the_next_version(store):
    plan = {"id": "350200-children-2021-2030", "name": "厦门市儿童发展规划", "short_name": "厦门",
            "domain": "children", "level": "city", "region_code": "350200",
            "parent_plan": "children-2021-2030", "start_year": 2021, "baseline_year": 2020,
            "midterm_year": 2025, "target_year": 2030, "document": None}
    first = pd.DataFrame({"indicator_code": ["infant_mortality_rate", "neonatal_mortality_rate"],
                          "kind": ["at_most", None], "value": [3.5, None],
                          "lead_unit": ["市卫健委", "市卫健委"]})
    assert store.save_user_plan(plan, first, "李明", "新建", None, '{"v": 1}') == 1
    second = first.iloc[:1].assign(value=3.0)
    assert store.save_user_plan(plan | {"name": "厦门市儿童规划"}, second, "王芳", "修改",
                                '{"v": 1}', '{"v": 2}') == 2
    plans = store.fetch_user_plans()
    assert plans[["id", "name", "version"]].values.tolist() == [
        ["350200-children-2021-2030", "厦门市儿童规划", 2]]
    indicators = store.fetch_user_plan_indicators()
    assert indicators[["indicator_code", "value"]].values.tolist() == [
        ["infant_mortality_rate", 3.0]]
    versions = store.fetch_plan_versions("350200-children-2021-2030")
    assert versions[["version", "changed_by"]].values.tolist() == [[2, "王芳"], [1, "李明"]]
    assert versions["before_state"].iloc[0] == '{"v": 1}' and pd.isna(versions["before_state"].iloc[1])
    assert versions["changed_at"].notna().all()


def test_a_user_plan_keeps_why_it_dropped_an_indicator(store):
    plan = {"id": "350200-children-2021-2030", "name": "厦门市儿童发展规划", "short_name": "厦门",
            "domain": "children", "level": "city", "region_code": "350200",
            "parent_plan": "children-2021-2030", "start_year": 2021, "baseline_year": 2020,
            "midterm_year": 2025, "target_year": 2030, "document": None}
    rows = pd.DataFrame({"indicator_code": ["infant_mortality_rate", "children_homes_count"],
                         "kind": ["at_most", None], "value": [3.5, None],
                         "dropped_reason": [None, "本市规划未列入"]})
    store.save_user_plan(plan, rows, "李明", "新建", None, "{}")
    kept = store.fetch_user_plan_indicators().set_index("indicator_code")["dropped_reason"]
    assert pd.isna(kept["infant_mortality_rate"])
    assert kept["children_homes_count"] == "本市规划未列入"


def test_a_plans_own_indicators_are_replaced_whole_and_kept_apart_per_plan(store):
    plan = {"id": "450800-women-2011-2020", "region_code": "450800"}
    home = {"code": "L450800-1", "outline_id": "women-2011-2020", "area_code": "decision",
            "sort_order": 1, "name": "「妇女之家」覆盖率", "aliases": "妇女之家覆盖率", "unit": "%",
            "direction": "higher", "decimals": 1, "valid_min": 0.0, "valid_max": 100.0}
    training = home | {"code": "L450800-2", "sort_order": 2, "name": "妇女培训人次",
                       "aliases": None, "unit": "人次", "decimals": 0, "valid_max": None}
    other = home | {"code": "L350100-1", "outline_id": "children-2021-2030"}
    store.save_local_indicators({"id": "350100-children-2021-2030", "region_code": "350100"},
                                pd.DataFrame([other]))
    store.save_local_indicators(plan, pd.DataFrame([home, training]))
    store.save_local_indicators(plan, pd.DataFrame([home | {"name": "妇女之家覆盖面"}]))
    kept = store.fetch_local_indicators()
    assert kept[["code", "plan_id", "name"]].values.tolist() == [
        ["L350100-1", "350100-children-2021-2030", "「妇女之家」覆盖率"],
        ["L450800-1", "450800-women-2011-2020", "妇女之家覆盖面"]]
    assert kept["valid_max"].tolist() == [100.0, 100.0]
