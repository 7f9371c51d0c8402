"""The 导入记录 page through Streamlit's AppTest: it lists the batches, shows what one wrote,
undoes an upload only after a confirmation, and reports a refused undo; the trend page lists
the revisions an upload made."""
import pandas as pd
import pytest
from people import person
from streamlit.testing.v1 import AppTest

from metrics import catalogue, config
from metrics.config import BASE_DIR
from metrics.store import open_store
from metrics.uploads import ingest

# AppTests in one process share Streamlit's caches; each test starts clean.
pytestmark = pytest.mark.usefixtures("fresh_caches", "signed_in")


PAGE = str(BASE_DIR / "pages" / "batches.py")
FIRST = "指标,地区,年份,数值\n孕产妇死亡率,全国,2024,13.9\n女性人均预期寿命,全国,2021,80.9\n"
SECOND = "指标,地区,年份,数值\n孕产妇死亡率,全国,2024,13.5\n"


def import_file(db, text: str, name: str, note: str = "", user: str = "李四") -> int:
    with open_store(db).session() as con:
        cat = catalogue.read_from_store(con)
    upload = ingest.read_upload(text.encode("gbk"), name, cat, limits=config.settings().upload)
    return ingest.commit(open_store(db), upload, person(user), note)


def national_values(db) -> dict[tuple[str, int], float]:
    with open_store(db).session() as con:
        rows = con.fetch_observations(
            ["maternal_mortality_ratio", "female_life_expectancy"], ["000000"])
    return {(r.indicator_code, r.year): r.value for r in rows.itertuples()}


def open_page(**query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_the_list_shows_an_upload_and_what_it_wrote(db):
    batch = import_file(db, FIRST, "年报.csv", note="2024年年报")
    at = open_page()
    assert not at.exception
    table = at.dataframe[0].value
    row = table[table["批次"] == batch].iloc[0]
    assert (row["类型"], row["导入人"], row["文件"], row["新增"], row["修改"], row["未变"],
            row["备注"], row["状态"]) == ("上传", "李四", "年报.csv", 1, 1, 0, "2024年年报", "有效")
    assert table.iloc[-1]["类型"] == "内置数据"
    assert at.selectbox(key="batch").value == batch  # the newest batch is shown first
    changes = at.dataframe[1].value
    assert changes.to_dict("records") == [
        {"指标": "女性人均预期寿命", "地区": "全国", "年份": 2021, "原值": "—", "新值": "80.90岁"},
        {"指标": "孕产妇死亡率", "地区": "全国", "年份": 2024, "原值": "14.3/10万",
         "新值": "13.9/10万"}]
    assert [d.label for d in at.get("download_button")] == ["下载全部数值（CSV）", "下载原始文件"]


def test_undo_needs_a_confirmation_and_restores_the_prior_values(db):
    before = national_values(db)
    batch = import_file(db, FIRST, "年报.csv")
    at = open_page(batch=str(batch))
    undo = button(at, "撤销此批次")
    assert undo.disabled
    at.checkbox(key=f"confirm_undo_{batch}").check().run()
    button(at, "撤销此批次").click().run()
    assert not at.exception
    assert f"已撤销批次 {batch}" in at.success[0].value
    assert national_values(db) == before
    table = at.dataframe[0].value
    assert table.loc[table["批次"] == batch, "状态"].item().startswith("已撤销")
    assert table.iloc[0]["状态"] == f"撤销了批次 {batch}"
    assert "撤销此批次" not in [b.label for b in at.button]


def test_a_refused_undo_shows_the_reason_and_changes_nothing(db):
    first = import_file(db, FIRST, "年报.csv")
    import_file(db, SECOND, "更正.csv")
    after = national_values(db)
    at = open_page(batch=str(first))
    at.checkbox(key=f"confirm_undo_{first}").check().run()
    button(at, "撤销此批次").click().run()
    assert not at.exception
    assert "之后的批次（批次 3）修改" in at.error[0].value
    assert "之后的批次（批次 3）修改" in at.toast[0].value
    assert national_values(db) == after


def test_the_built_in_data_cannot_be_undone(db):
    batch = import_file(db, FIRST, "年报.csv")
    at = open_page()
    seed = at.dataframe[0].value.iloc[-1]["批次"]
    # Named for the office, not by the developers' folder.
    assert at.dataframe[0].value.iloc[-1]["备注"] == "系统内置的公开数据（统计监测报告、部门公报等）"
    assert at.selectbox(key="batch").value == batch
    at.selectbox(key="batch").set_value(seed).run()
    assert at.query_params["batch"] == str(seed)
    assert "撤销此批次" not in [b.label for b in at.button]


def test_the_trend_page_lists_revisions_after_an_upload(db):
    query = {"plan": "women-2021-2030", "ind": "maternal_mortality_ratio", "regions": "000000"}
    at = AppTest.from_file(str(BASE_DIR / "pages" / "trends.py"), default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not any(e.label.startswith("数值修订记录") for e in at.expander)  # the seed only

    batch = import_file(db, FIRST, "年报.csv")
    at.run()
    assert not at.exception
    [history] = [e for e in at.expander if e.label.startswith("数值修订记录")]
    assert history.dataframe[0].value.to_dict("records") == [{
        "指标": "孕产妇死亡率", "地区": "全国", "年份": 2024, "原值": "14.3/10万",
        "新值": "13.9/10万", "批次": batch, "类型": "上传", "导入人": "李四",
        "时间": history.dataframe[0].value.iloc[0]["时间"]}]


def test_a_large_batch_is_shown_a_page_at_a_time_and_never_read_whole(db, monkeypatch):
    # 250 values; the page must not read the batch whole (2.1M values in the national store
    # made the page take 7-8 s and keep 300 MB a visit).
    rows = "".join(f"{name},{code},{year},{value}\n"
                   for name, value in (("孕产妇死亡率", 12.5), ("女性人均预期寿命", 80.5))
                   for code in ("450802", "450803", "450804", "450821", "450881")
                   for year in range(2000, 2025))
    batch = import_file(db, "指标,地区,年份,数值\n" + rows, "多年.csv")
    from metrics.store.duckdb_backend import DuckDBStore

    def whole_batch(self, batch_id):
        raise AssertionError("the page read a whole batch")
    monkeypatch.setattr(DuckDBStore, "fetch_batch_changes", whole_batch)
    at = open_page(batch=str(batch))
    assert not at.exception
    assert "共 250 个数值" in " ".join(c.value for c in at.caption)
    shown = []
    for page in (1, 2, 3):
        at.number_input(key=f"changes_page_{batch}").set_value(page).run()
        assert not at.exception
        shown.append(at.dataframe[1].value)
    assert [len(table) for table in shown] == [100, 100, 50]
    every = pd.concat(shown)
    assert len(every.drop_duplicates(["指标", "地区", "年份"])) == 250   # each value once
    assert set(every["新值"]) == {"12.5/10万", "80.50岁"} and set(every["原值"]) == {"—"}
