"""Each indicator under the name the evaluated outline uses (学前三年毛入园率 in the 2011–2020
outlines, 学前教育毛入园率 in the 2021–2030 ones): catalogue, evaluation results, the command
line, the briefings and the pages, on the shipped data."""
import dataclasses
import io
import subprocess
import sys

import pytest
from docx import Document
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from metrics import catalogue, config, evaluation
from metrics.config import BASE_DIR
from metrics.evaluation import results
from metrics.reports import briefing, chart_images
from metrics.store import open_store
from metrics.uploads import templates
from metrics.views import trends

SETTINGS = config.settings().evaluation
PRESCHOOL = "preschool_gross_enrolment_rate"
OLD_NAME, NEW_NAME = "学前三年毛入园率", "学前教育毛入园率"


@pytest.mark.parametrize("outline, code, name", [
    ("children-2011-2020", PRESCHOOL, OLD_NAME),
    ("women-2011-2020", PRESCHOOL, OLD_NAME),
    ("children-2021-2030", PRESCHOOL, NEW_NAME),
    ("children-2011-2020", "child_injury_mortality_rate", "18岁以下儿童伤害死亡率"),
    ("children-2021-2030", "child_injury_mortality_rate", "儿童伤害死亡率"),
    ("children-2021-2030", "under5_anaemia_rate", "5岁以下儿童贫血率"),
    ("women-2021-2030", "senior_secondary_gross_enrolment_rate", "高中阶段教育毛入学率"),
    ("children-2021-2030", "senior_secondary_gross_enrolment_rate", "高中阶段毛入学率"),
])
def test_the_outline_names_its_indicators_in_its_own_words(real_catalogue, outline, code, name):
    assert catalogue.indicator_names(real_catalogue, outline)[code] == name
    listed = evaluation.outline_indicators(real_catalogue, outline).set_index("indicator_code")
    assert listed.at[code, "name"] == name


def test_the_store_holds_the_same_names_as_the_files(template_db, real_catalogue):
    stored = catalogue.read_from_store(open_store(template_db))
    for outline in catalogue.national_outlines(real_catalogue.plans):
        assert catalogue.indicator_names(stored, outline).equals(
            catalogue.indicator_names(real_catalogue, outline))


@pytest.mark.parametrize("outline_name, expected", [
    ("学前教育毛入园率", "与指标名称相同"),
    ("学前教育普及率", "不是该指标的别名"),
])
def test_an_outline_name_must_be_an_alias_of_its_indicator(real_catalogue, outline_name,
                                                           expected):
    rows = real_catalogue.plan_indicators
    changed = rows.assign(outline_name=rows["outline_name"].mask(
        (rows["plan_id"] == "children-2011-2020") & (rows["indicator_code"] == PRESCHOOL),
        outline_name))
    problems = catalogue.check(dataclasses.replace(real_catalogue, plan_indicators=changed))
    assert [p for p in problems if "children-2011-2020/" + PRESCHOOL in p] == [
        next(p for p in problems if expected in p)]


def test_evaluation_results_use_the_outline_name(template_db):
    store = open_store(template_db)
    cat = catalogue.read_from_store(store)
    for outline, name in [("children-2011-2020", OLD_NAME), ("children-2021-2030", NEW_NAME)]:
        frame = evaluation.run(store, cat, outline, ["000000"], 2020, settings=SETTINGS)
        table = results.result_table(frame, SETTINGS).set_index("indicator_code")
        assert table.at[PRESCHOOL, "name"] == name


def test_the_command_line_prints_the_outline_name(db):
    command = [sys.executable, "-m", "metrics", "evaluate", "--plan", "children-2011-2020",
               "--region", "全国", "--year", "2020", "--db", str(db)]
    done = subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if line.startswith(PRESCHOOL))
    assert OLD_NAME in row and NEW_NAME not in done.stdout


def test_the_briefings_use_the_outline_name(db, monkeypatch):
    def no_browser(fig):
        raise RuntimeError("未找到Chrome/Chromium浏览器")
    monkeypatch.setattr(chart_images, "png", no_browser)
    with open_store(db).session() as store:
        cat = catalogue.read_from_store(store)
        made = briefing.build(store, cat, "children-2011-2020", "000000", 2020,
                              settings=SETTINGS)
    sheet = load_workbook(io.BytesIO(briefing.workbook_bytes(made)))["指标"]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert OLD_NAME in names and NEW_NAME not in names
    doc = Document(io.BytesIO(briefing.document_bytes(made)))
    text = "\n".join([p.text for p in doc.paragraphs] + [
        c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert NEW_NAME not in text


def test_the_trend_series_and_facts_use_the_outline_name(template_db):
    store = open_store(template_db)
    cat = catalogue.read_from_store(store)
    observations = store.fetch_observations([PRESCHOOL], ["000000"])
    for outline, name in [("children-2011-2020", OLD_NAME), ("children-2021-2030", NEW_NAME)]:
        points = trends.series(cat, observations, ["000000"], outline)
        assert set(points["indicator_name"]) == {name}
        in_force = evaluation.target_rows(store, cat, outline, ["000000"], [PRESCHOOL],
                                          settings=SETTINGS)
        info = trends.indicator_info(cat, in_force, PRESCHOOL, outline)
        assert info["指标"] == name
        assert info.get("通用名称") == (NEW_NAME if name == OLD_NAME else None)


@pytest.mark.usefixtures("fresh_caches", "signed_in")
@pytest.mark.parametrize("page", ["pages/overview.py", "pages/evaluation.py"])
def test_the_pages_show_the_outline_name(db, page):
    at = AppTest.from_file(str(BASE_DIR / page), default_timeout=60)
    at.query_params.update(plan="children-2011-2020", region="000000", year="2020")
    at.run()
    assert not at.exception
    shown = [name for frame in at.dataframe for name in frame.value.get("指标", [])]
    assert OLD_NAME in shown and NEW_NAME not in shown


@pytest.mark.parametrize("outline, name", [("children-2011-2020", OLD_NAME),
                                           ("children-2021-2030", NEW_NAME)])
def test_the_upload_template_names_the_indicator_as_its_outline_does(real_catalogue, outline,
                                                                    name):
    table = templates.template_frame(real_catalogue, outline, [2015, 2016])
    row = table[table["指标代码"] == PRESCHOOL].iloc[0]
    assert row["指标名称"] == name
    sheet = load_workbook(io.BytesIO(templates.xlsx_bytes(table)))["数据"]
    assert name in [c.value for c in sheet["B"]]
    assert name in templates.csv_bytes(table).decode("utf-8-sig")


@pytest.mark.usefixtures("fresh_caches", "signed_in")
def test_the_trend_pages_revisions_name_the_indicator_as_the_chosen_outline_does(db):
    from test_batches_page import import_file
    batch = import_file(db, "指标,地区,年份,数值\n学前教育毛入园率,全国,2019,83.6\n", "年报.csv")
    for outline, name in [("children-2011-2020", OLD_NAME), ("children-2021-2030", NEW_NAME)]:
        at = AppTest.from_file(str(BASE_DIR / "pages" / "trends.py"), default_timeout=60)
        at.query_params.update(plan=outline, ind=PRESCHOOL, regions="000000")
        at.run()
        assert not at.exception
        [history] = [e for e in at.expander if e.label.startswith("数值修订记录")]
        revised = history.dataframe[0].value
        assert revised[revised["批次"] == batch]["指标"].tolist() == [name]
