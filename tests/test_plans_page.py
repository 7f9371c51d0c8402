"""The 规划管理 page through AppTest: a city's administrator creates a county plan, overrides a
target and assigns the 目标责任分解 from the page (each a version in the history, a refusal
shown in Chinese); staff of the city read the same page without any form; an administrator of
the county reads the city's plan but may not change it; a milestone, a drop (refused without a
reason) and a restore from the page; the 中期评估 page of a county under a
plan filters by the plan's 目标责任分解."""
import io

import pytest
from conftest import give_identity, login_cookie
from openpyxl import Workbook
from people import person
from streamlit.testing.v1 import AppTest

from metrics import accounts, catalogue, config
from metrics.access import Role, local_administrator
from metrics.config import BASE_DIR
from metrics.plans import editing, indicator_edits, local_indicators
from metrics.regions import RegionTree
from metrics.store import open_store

pytestmark = pytest.mark.usefixtures("fresh_caches")

PAGE = str(BASE_DIR / "pages" / "plans.py")
CHILDREN, FUZHOU, GULOU = "children-2021-2030", "350100", "350102"
FUZHOU_PLAN, GULOU_PLAN = "350100-children-2021-2030", "350102-children-2021-2030"


def as_user(db, monkeypatch, name: str, role: Role, region: str) -> None:
    store = open_store(db)
    accounts.add_user(store, local_administrator(), RegionTree(store.read_table("regions")),
                      name, role, region, password="足够长的测试密码-0001")
    give_identity(monkeypatch, login_cookie(db, name))


def open_page(region: str, **query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    for key, value in {"plan": CHILDREN, "region": region, **query}.items():
        at.query_params[key] = value
    return at.run()


def table_with(at: AppTest, heading: str):
    """The one table shown with this column heading."""
    [table] = [d.value for d in at.dataframe if heading in d.value.columns]
    return table


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_an_administrator_creates_a_county_plan_and_changes_it_from_the_page(db, monkeypatch):
    as_user(db, monkeypatch, "福州管理员", Role.ADMIN, FUZHOU)
    at = open_page(GULOU)
    assert not at.exception
    at.text_input(key="create_name").set_value("鼓楼区儿童发展规划（2021—2030年）")
    at.text_input(key="create_document").set_value("鼓政〔2022〕3号")
    assert at.selectbox(key="create_parent").value == FUZHOU_PLAN  # the nearest plan above
    button(at, "新建规划").click()
    at.run()
    assert not at.exception
    assert any("已保存为第 1 版" in s.value for s in at.success)
    assert at.selectbox(key="lplan").value == GULOU_PLAN

    at.selectbox(key="plan_indicator").set_value("preschool_gross_enrolment_rate")
    at.text_input(key="target_wording").set_value("控制在5%以下")  # an enrolment rate rises
    button(at, "保存目标").click()
    at.run()
    assert any("target-against-direction" in e.value.replace("\\", "") for e in at.error)
    at.text_input(key="target_wording").set_value("95%以上")
    button(at, "保存目标").click()
    at.run()
    assert any("目标由「沿用上级规划」改为「2030年≥95%」" in s.value for s in at.success)

    at.segmented_control(key="plan_action").set_value("责任分解")
    at.run()
    at.text_input(key="duty_lead").set_value("区妇联")
    at.text_input(key="duty_supporting").set_value("区民政局、区财政局")
    button(at, "保存责任分解").click()
    at.run()
    assert not at.exception
    table = table_with(at, "责任分解来源").set_index("代码")
    assert table.loc["preschool_gross_enrolment_rate", ["目标", "目标来源", "牵头单位",
                                                        "配合单位", "责任分解来源"]].tolist() == [
        "2030年≥95%", "本规划", "区妇联", "区民政局、区财政局", "本规划"]
    assert table.loc["infant_mortality_rate", "目标来源"] == "《福州市儿童发展纲要（2021—2030年）》"

    at.segmented_control(key="plan_section").set_value("版本记录")
    at.run()
    history = table_with(at, "修改内容")
    assert history["版本"].tolist() == ["第3版", "第2版", "第1版"]
    assert history["修改人"].eq("福州管理员").all()
    assert open_store(db).fetch_audit(action="plan_changed")["user_name"].tolist() == [
        "福州管理员", "福州管理员"]


def annex(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["鼓楼区儿童发展规划主要指标"])
    sheet.append(["序号", "指标", "目标值", "牵头单位"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_annex_table_is_checked_row_by_row_then_imported(db, monkeypatch):
    as_user(db, monkeypatch, "福州管理员", Role.ADMIN, FUZHOU)
    at = open_page(FUZHOU, lplan=FUZHOU_PLAN)
    at.segmented_control(key="plan_section").set_value("导入导出")
    at.run()
    assert not at.exception
    assert [b.label for b in at.get("download_button")] == [
        "导出本规划指标表（.xlsx）", "下载空白模板（含上级目标）"]
    # AppTest has no file uploader; the page hands the file to editing.read_plan_annex, run
    # here on a messy table as the uploader would hand it over.
    store = open_store(db)
    table = editing.read_plan_annex(
        store, catalogue.read_from_store(store), FUZHOU_PLAN,
        annex([[1, "学前三年毛入园率", "≥96%", "市妇联"], [2, "儿童幸福指数", "提高", ""]]),
        "附件.xlsx", config.settings().upload)
    assert [(p.row, p.column, p.code) for p in table.errors] == [
        (4, "指标", "unknown-indicator")]


def test_staff_read_the_plan_and_a_county_cannot_change_the_citys(db, monkeypatch):
    as_user(db, monkeypatch, "福州工委办", Role.STAFF, FUZHOU)
    at = open_page(FUZHOU)
    assert not at.exception
    assert table_with(at, "责任分解来源")["目标来源"].eq("本规划").any()
    assert not at.get("expander") and not [b for b in at.button if b.label == "保存目标"]

    as_user(db, monkeypatch, "鼓楼管理员", Role.ADMIN, GULOU)
    at = open_page(GULOU)
    assert not at.exception
    assert at.selectbox(key="lplan").value == FUZHOU_PLAN  # the plan governing the county
    assert any("只能查看" in c.value for c in at.caption)
    assert not [b for b in at.button if b.label == "保存目标"]
    assert [e.label for e in at.get("expander")] == ["为鼓楼区新建规划"]


def test_the_evaluation_page_filters_by_the_plans_responsibilities(db, monkeypatch):
    """A county under a city plan that makes 妇联 lead 学前教育毛入园率 (the catalogue gives it to
    教育局): the 中期评估 page's 责任单位 filter follows the plan."""
    store = open_store(db)
    city_admin = person("示范市管理员", Role.ADMIN, "990100")
    cat = catalogue.read_from_store(store)
    saved = editing.create_plan(store, city_admin, cat, CHILDREN, "990100", "示范市儿童发展规划",
                                None, {"baseline_year": 2020, "midterm_year": 2025,
                                       "target_year": 2030})
    indicator_edits.set_responsibility(store, city_admin, catalogue.read_from_store(store),
                                       saved.plan_id, "preschool_gross_enrolment_rate", "妇联",
                                       "民政局", "", "")
    as_user(db, monkeypatch, "澄湖工委办", Role.STAFF, "990102")
    at = AppTest.from_file(str(BASE_DIR / "pages" / "evaluation.py"), default_timeout=60)
    for key, value in {"plan": CHILDREN, "region": "990102", "year": "2024",
                       "dept": "妇联"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    table = at.dataframe(key="indicator_table").value.set_index("代码")
    assert table.at["preschool_gross_enrolment_rate", "牵头单位"] == "妇联"
    assert table.at["preschool_gross_enrolment_rate", "配合单位"] == "民政局"
    next(s for s in at.selectbox if s.label == "责任单位（牵头或配合）").set_value("教育局").run()
    education = at.dataframe(key="indicator_table").value
    assert "preschool_gross_enrolment_rate" not in set(education["代码"])
    assert "nine_year_retention_rate" in set(education["代码"])


def test_a_milestone_a_drop_and_a_restore_from_the_page(db, monkeypatch):
    as_user(db, monkeypatch, "福州管理员", Role.ADMIN, FUZHOU)
    at = open_page(FUZHOU)
    at.selectbox(key="plan_indicator").set_value("infant_mortality_rate")
    at.segmented_control(key="plan_action").set_value("阶段目标")
    at.run()
    at.number_input(key="milestone_year").set_value(2025)
    at.number_input(key="milestone_value").set_value(4.5)
    button(at, "保存阶段目标").click()
    at.run()
    assert any("阶段目标由「无」改为「2025年4.5‰」" in s.value.replace("\\", "") for s in at.success)
    assert table_with(at, "责任分解来源").set_index("代码").at[
        "infant_mortality_rate", "阶段目标"] == "2025年4.5‰"

    at.segmented_control(key="plan_action").set_value("监测")
    at.run()
    button(at, "不再监测").click()  # without a reason: refused
    at.run()
    assert any("请说明本规划不监测该指标的原因" in e.value for e in at.error)
    at.text_input(key="drop_reason").set_value("本市规划未列入该指标")
    button(at, "不再监测").click()
    at.run()
    assert table_with(at, "责任分解来源").set_index("代码").at["infant_mortality_rate", "监测"] == (
        "不监测：本市规划未列入该指标（《福州市儿童发展纲要（2021—2030年）》）")
    button(at, "恢复监测").click()
    at.run()
    shown = table_with(at, "责任分解来源").set_index("代码").loc["infant_mortality_rate"]
    assert (shown["监测"], shown["目标"]) == ("监测", "2030年≤4‰")
    assert len(open_store(db).fetch_plan_versions(FUZHOU_PLAN)) == 3


CHILD_HOME = "「儿童之家」覆盖率"


def define_home(at: AppTest, name: str, target: str) -> AppTest:
    at.text_input(key="local_new0_name").set_value(name)
    at.text_input(key="local_new0_lead").set_value("市妇联")
    at.text_input(key="local_new0_target").set_value(target)
    button(at, "定义本地指标").click()
    return at.run()


def test_an_administrator_defines_and_changes_a_local_indicator_from_the_page(db, monkeypatch):
    as_user(db, monkeypatch, "福州管理员", Role.ADMIN, FUZHOU)
    at = define_home(open_page(FUZHOU), CHILD_HOME, "≥90%")
    assert not at.exception
    assert any("已保存为第 1 版" in s.value for s in at.success)
    shown = table_with(at, "责任分解来源").set_index("代码").loc["L350100-1"]
    assert shown[["指标", "单位", "目标", "目标来源", "牵头单位"]].tolist() == [
        f"{CHILD_HOME}（本地指标）", "%", "2030年≥90%", "本规划", "市妇联"]

    assert at.text_input(key="local_new1_name").value == ""  # the new one's form emptied
    at.selectbox(key="local_code").set_value("L350100-1")
    at.run()
    form = "local_L350100-1"
    assert at.text_input(key=f"{form}_name").value == CHILD_HOME  # the form shows what it has
    assert at.text_input(key=f"{form}_lead").value == "市妇联"
    at.text_input(key=f"{form}_aliases").set_value("儿童活动阵地覆盖率")
    at.text_input(key=f"{form}_target").set_value("95%以上")
    button(at, "保存本地指标").click()
    at.run()
    assert not at.exception
    assert any("已保存为第 2 版" in s.value and "本地指标：新增 0、修改 1" in s.value
               for s in at.success)
    assert table_with(at, "责任分解来源").set_index("代码").at["L350100-1", "目标"] == "2030年≥95%"
    defined = open_store(db).fetch_local_indicators().set_index("code")
    assert defined.at["L350100-1", "aliases"] == "儿童活动阵地覆盖率"
    assert open_store(db).fetch_audit(action="plan_changed")["user_name"].tolist() == [
        "福州管理员", "福州管理员"]


def test_a_local_indicator_named_as_a_catalogue_one_is_refused_with_its_code(db, monkeypatch):
    as_user(db, monkeypatch, "福州管理员", Role.ADMIN, FUZHOU)
    at = define_home(open_page(FUZHOU), "婴儿死亡率", "≤3‰")
    assert not at.exception
    assert any("local-name-taken" in e.value and "指标目录中的「婴儿死亡率」" in e.value
               for e in at.error)
    assert any("不能与指标目录" in c.value for c in at.caption)
    assert open_store(db).fetch_local_indicators().empty


def test_staff_see_the_local_indicators_but_no_form_to_define_one(db, monkeypatch):
    store = open_store(db)
    local_indicators.define(store, person("福州管理员", Role.ADMIN, FUZHOU),
                            catalogue.read_from_store(store), FUZHOU_PLAN,
                            {"name": CHILD_HOME, "unit": "%", "direction": "higher",
                             "area": "儿童与健康"}, "≥90%")
    as_user(db, monkeypatch, "福州工委办", Role.STAFF, FUZHOU)
    at = open_page(FUZHOU)
    assert not at.exception
    assert f"{CHILD_HOME}（本地指标）" in set(table_with(at, "责任分解来源")["指标"])
    assert not [s for s in at.selectbox if s.key == "local_code"]
    assert not [b for b in at.button if b.label in ("定义本地指标", "保存本地指标")]


def test_the_pages_annex_import_defines_the_local_indicators_its_rows_define(db):
    """The page's path (editing.read_plan_annex, then import_annex) is `plan import`'s: a row
    with a unit and a direction defines a local indicator of the plan's region."""
    store = open_store(db)
    admin = person("福州管理员", Role.ADMIN, FUZHOU)
    book = Workbook()
    sheet = book.active
    sheet.append(["指标", "单位", "指标方向", "领域", "目标值", "牵头单位"])
    sheet.append([CHILD_HOME, "%", "越高越好", "儿童与健康", "≥90%", "市妇联"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = editing.read_plan_annex(store, catalogue.read_from_store(store), FUZHOU_PLAN,
                                    buffer.getvalue(), "附件.xlsx", config.settings().upload)
    assert not table.errors
    editing.import_annex(store, admin, catalogue.read_from_store(store), FUZHOU_PLAN, table,
                         "附件.xlsx")
    defined = open_store(db).fetch_local_indicators()
    assert defined[["code", "name", "plan_id"]].values.tolist() == [
        ["L350100-1", CHILD_HOME, FUZHOU_PLAN]]
