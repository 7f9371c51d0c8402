"""The 数据上传 page through Streamlit's AppTest: a file with errors is reported row by row and
cannot be imported; a valid file is previewed and imported only on 确认导入, once, however often
the page reruns; the same file uploaded again is recognised."""
import io

import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from metrics.config import BASE_DIR
from metrics.store import open_store
from metrics.uploads import isolation

# AppTests in one process share Streamlit's caches; each test starts clean.
pytestmark = pytest.mark.usefixtures("fresh_caches", "signed_in")


PAGE = str(BASE_DIR / "pages" / "upload.py")
# As Excel on Chinese Windows saves "CSV (逗号分隔)": GBK, no BOM.
MESSY_GBK = ("指标,地区,年份,数值\n"
             "孕产妇死亡率,全国,2024,13.9\n"
             "不存在的指标,全国,2024,5\n"
             "孕产妇死亡率,火星,2024,12\n"
             "婴儿死亡率,全国,二〇二四,4.5\n"
             "孕产妇死亡率,全国,2023,abc\n").encode("gbk")
# 2024 replaces the stored 14.3; 2023 (15.1) is unchanged; 2021 is not stored yet.
VALID = ("指标,地区,年份,数值\n"
         "孕产妇死亡率,全国,2024,13.9\n"
         "孕产妇死亡率,全国,2023,15.1\n"
         "女性人均预期寿命,全国,2021,80.9\n").encode("gbk")


def open_page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=60).run()


def upload(at: AppTest, content: bytes, name: str = "数据.csv") -> AppTest:
    return at.file_uploader[0].set_value((name, content, "text/csv")).run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def upload_batches(db) -> list[int]:
    with open_store(db).session() as con:
        batches = con.fetch_batches()
    return list(batches.loc[batches["kind"] == "upload", "id"])


def workbook(*sheets: tuple[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_page_without_a_file_offers_the_template(db):
    at = open_page()
    assert not at.exception
    assert at.title[0].value == "数据上传"
    labels = [d.label for d in at.get("download_button")]
    assert labels == ["下载 Excel 模板", "下载 CSV 模板"]


def test_file_with_errors_lists_every_problem_and_cannot_be_imported(db):
    at = upload(open_page(), MESSY_GBK)
    assert not at.exception
    assert "未导入任何数据" in at.error[0].value
    problems = at.table[0].value
    assert list(problems.columns) == ["行", "列", "问题", "建议"]
    assert list(problems["行"]) == ["3", "4", "5", "6"]
    assert any("火星" in message for message in problems["问题"])
    counts = at.markdown[0].value
    for kind in ("指标无法识别", "地区无法识别", "年份无效", "数值不是数字"):
        assert f"**{kind}** 1 处" in counts
    assert "确认导入" not in [b.label for b in at.button]
    assert "下载问题清单（CSV）" in [d.label for d in at.get("download_button")]
    assert upload_batches(db) == []


def test_valid_file_is_previewed_then_imported_once(db):
    at = upload(open_page(), VALID)
    assert not at.exception
    assert "新增 1，修改 1，未变 1，空值跳过 0" in at.success[0].value
    assert [t.label for t in at.tabs] == ["修改的数值（1）", "新增的数值（1）"]
    changed = at.tabs[0].dataframe[0].value
    assert changed.iloc[0].to_dict() == {
        "行": 2, "指标": "孕产妇死亡率", "地区": "全国", "年份": 2024, "原值": "14.3/10万",
        "新值": "13.9/10万"}
    assert upload_batches(db) == []  # nothing is written before the button

    at.text_input[0].set_value("2024年年报")
    button(at, "确认导入").click().run()
    assert not at.exception
    [batch] = upload_batches(db)
    assert f"已导入，批次 {batch}" in at.success[0].value
    with open_store(db).session() as con:
        assert con.fetch_batch(batch)["note"] == "2024年年报"
        assert con.fetch_batch(batch)["user_name"] == "tester"  # the signed-in user
        stored = con.fetch_observations(["maternal_mortality_ratio"], ["000000"])
    assert stored.set_index("year").at[2024, "value"] == 13.9

    # Any later rerun (another widget, a plain rerun) shows the result and imports nothing.
    at.selectbox(key="upload_region").set_value("110000").run()
    at.run()
    assert not at.exception
    assert upload_batches(db) == [batch]
    assert f"已导入，批次 {batch}" in at.success[0].value
    assert "确认导入" not in [b.label for b in at.button]


def test_the_same_file_uploaded_again_is_recognised(db):
    first = upload(open_page(), VALID)
    button(first, "确认导入").click().run()
    [batch] = upload_batches(db)

    again = upload(open_page(), VALID, name="数据（副本）.csv")
    assert not again.exception
    assert f"已导入过（批次 {batch}" in again.info[0].value
    assert "确认导入" not in [b.label for b in again.button]
    assert upload_batches(db) == [batch]


def test_reruns_reuse_the_checked_file(db, monkeypatch):
    reads = []
    real_read = isolation.read_upload
    monkeypatch.setattr(isolation, "read_upload",
                        lambda *args, **kwargs: reads.append(args[1]) or real_read(*args, **kwargs))
    at = upload(open_page(), VALID)
    at.text_input[0].set_value("张三")
    at.run()
    at.run()
    assert reads == ["数据.csv"]
    # The commit changes the data version, not the file: its rerun does not check it again.
    button(at, "确认导入").click().run()
    assert not at.exception and "已导入，批次" in at.success[0].value
    assert reads == ["数据.csv"]


def test_sheet_and_default_region_are_chosen_on_the_page(db):
    rows = [["指标", "年份", "数值"], ["孕产妇死亡率", 2024, 13.9]]
    content = workbook(("说明", [["填表说明"]]), ("数据", rows))
    at = upload(open_page(), content, name="贵港.xlsx")
    [sheet] = [s for s in at.selectbox if s.label == "工作表"]
    assert sheet.options == ["说明", "数据"]
    sheet.set_value("数据").run()
    assert "没有地区列" in at.error[0].value
    at.selectbox(key="upload_region").set_value("450800").run()
    assert not at.exception
    assert "新增 1" in at.success[0].value
    assert at.tabs[0].dataframe[0].value.iloc[0]["地区"] == "贵港市 · 广西壮族自治区"


def test_a_workbook_opened_on_its_instructions_sheet_points_to_the_sheet_choice(db):
    content = workbook(("填表说明", [["本表由市妇儿工委办汇总"]]),
                       ("数据", [["指标", "地区", "年份", "数值"], ["孕产妇死亡率", "全国", 2024, 13.9]]))
    at = upload(open_page(), content, name="汇总.xlsx")
    assert not at.exception
    assert "工作表「填表说明」中找不到数据表头" in at.error[0].value
    assert not at.table  # a whole-file error has no row list
    at.selectbox(key=[k for k in at.session_state if k.startswith("upload_sheet_")][0]
                 ).set_value("数据").run()
    assert "新增 0，修改 1" in at.success[0].value


def test_a_file_that_changes_nothing_is_not_offered_for_import(db):
    at = upload(open_page(), "指标,地区,年份,数值\n孕产妇死亡率,全国,2023,15.1\n".encode("gbk"))
    assert not at.exception
    assert "未变 1" in at.success[0].value
    assert "无需导入" in at.info[0].value
    assert "确认导入" not in [b.label for b in at.button]


def test_a_header_only_file_has_nothing_to_import(db):
    at = upload(open_page(), "指标,地区,年份,数值\n".encode("utf-8"))
    assert not at.exception
    assert "无需导入" in at.info[0].value
    assert "确认导入" not in [b.label for b in at.button]
