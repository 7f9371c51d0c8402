"""从工作总结提取 on 数据上传, through Streamlit's AppTest: pasted report text gives its figures
with their sentences (escaped), a figure unticked is left out, the rest are checked, previewed
and imported once as one batch that keeps the report; a figure that fails a check is named by
its 序号."""
import hashlib
from pathlib import Path

import pytest
from conftest import give_identity, login_cookie
from streamlit.testing.v1 import AppTest

from metrics.config import BASE_DIR
from metrics.store import open_store

pytestmark = pytest.mark.usefixtures("fresh_caches", "signed_in")

PAGE = str(BASE_DIR / "pages" / "upload.py")
COUNTY = (Path(__file__).parent / "data" / "reports" / "county_2015.txt").read_text("utf-8")


def report_tab(text: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.radio(key="upload_source").set_value("report").run()
    return at.text_area(key="report_pasted").input(text).run()


def editor_key(text: str) -> str:
    return f"report_figures_{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def upload_batches(db) -> list[dict]:
    with open_store(db).session() as con:
        batches = con.fetch_batches()
    return batches[batches["kind"] == "upload"].to_dict("records")


def test_pasted_report_lists_figures_and_imports_the_ticked_ones_once(db):
    at = report_tab(COUNTY)
    assert not at.exception
    assert "找到 13 个指标数值、6 个其他数字" in at.success[0].value
    figures = at.data_editor[0].value
    assert list(figures["指标"][:3]) == ["孕产妇住院分娩率", "孕产妇死亡率", "婴儿死亡率"]
    assert figures["导入"].all()
    sentences = [m.value for m in at.markdown if m.value.startswith("1\\.")]
    assert sentences == ["1\\. 孕产妇住院分娩率：2015年，全县孕产妇住院分娩率为"
                         ":orange-background[**99\\.98%**]，孕产妇死亡率为11\\.2/10万，"
                         "婴儿死亡率控制在4\\.64‰。"]

    at.session_state[editor_key(COUNTY)] = {"edited_rows": {1: {"导入": False}},
                                            "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert "新增 12" in at.success[1].value
    assert upload_batches(db) == []
    button(at, "确认导入").click().run()
    assert not at.exception
    [batch] = upload_batches(db)
    assert batch["file_name"] == "粘贴的工作总结.txt" and batch["n_new"] == 12
    with open_store(db).session() as con:
        assert con.fetch_batch_file(batch["id"]) == COUNTY.encode("utf-8")
        stored = con.fetch_observations(["maternal_mortality_ratio", "hospital_delivery_rate"],
                                        ["450821"])
    assert stored[["indicator_code", "year", "value"]].values.tolist() == [
        ["hospital_delivery_rate", 2015, 99.98]]
    at.run()
    assert len(upload_batches(db)) == 1 and f"已导入，批次 {batch['id']}" in at.success[1].value


def test_report_text_is_shown_as_text(db):
    text = "2015年，全县**孕产妇住院分娩率**为99.9%，详见[通报](http://127.0.0.1:9/x)。"
    at = report_tab(text)
    assert not at.exception
    [sentence] = [m.value for m in at.markdown if m.value.startswith("1\\.")]
    assert "\\*\\*孕产妇住院分娩率\\*\\*" in sentence and "\\[通报\\]" in sentence
    assert "](http" not in sentence


def test_a_figure_failing_a_check_is_named_by_its_number(db):
    at = report_tab("2015年，平南县婴儿死亡率为4.2‰，孕产妇住院分娩率为199.9%。")
    assert not at.exception
    assert "未导入任何数据" in at.error[0].value
    problems = at.table[0].value
    assert list(problems["行"]) == ["2"] and "超出该指标的合理范围" in problems["问题"][0]
    assert "确认导入" not in [b.label for b in at.button]


def test_nothing_pasted_shows_only_the_inputs(db):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.radio(key="upload_source").set_value("report").run()
    assert not at.exception and not at.data_editor and not at.error
    assert [u.label for u in at.get("file_uploader")] == ["或上传文件（.txt / .docx / .pdf）"]


CITY = "贵港市2015年妇女儿童工作总结\n2015年，全市孕产妇住院分娩率为99.6%，其中平南县为99.1%。\n"


def test_the_region_recognised_is_shown_and_can_be_corrected(db):
    at = report_tab(CITY)
    assert not at.exception
    figures = at.data_editor[0].value
    assert list(figures["地区"]) == ["贵港市 · 广西壮族自治区", "平南县 · 贵港市"]
    at.session_state[editor_key(CITY)] = {
        "edited_rows": {1: {"地区": "桂平市 · 贵港市", "指标": "农村孕产妇住院分娩率"}},
        "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception and "新增 1，修改 1" in at.success[1].value  # 贵港市 2015 was seeded
    button(at, "确认导入").click().run()
    with open_store(db).session() as con:
        stored = con.fetch_observations(["hospital_delivery_rate", "rural_hospital_delivery_rate"],
                                        ["450800", "450821", "450881"])
    assert sorted(stored[["indicator_code", "region_code", "year", "value"]].values.tolist()) == [
        ["hospital_delivery_rate", "450800", 2015, 99.6],
        ["rural_hospital_delivery_rate", "450881", 2015, 99.1]]


def test_a_region_outside_the_persons_scope_is_a_row_problem(db, monkeypatch):
    name = "平南填报"
    store = open_store(db)
    now = store.local_time()
    store.create_user({"name": name, "role": "analyst", "region_code": "450821",
                       "view_region_code": None, "password_hash": "unused", "disabled": False,
                       "created_at": now, "password_changed_at": now})
    give_identity(monkeypatch, login_cookie(db, name))
    text = "2015年，全县孕产妇住院分娩率为99.6%，桂平市孕产妇住院分娩率为99.1%。"
    at = report_tab(text)
    assert not at.exception
    figures = at.data_editor[0].value
    assert list(figures["地区"]) == ["平南县 · 贵港市", "桂平市 · 贵港市"]
    problems = at.table[0].value
    assert list(problems["行"]) == ["2"] and "无权上传" in problems["问题"][0]
    assert "确认导入" not in [b.label for b in at.button]
    at.session_state[editor_key(text)] = {"edited_rows": {1: {"导入": False}},
                                          "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception and "新增 1" in at.success[1].value
