"""A local plan's own indicators (the grassroots work metrics: 「妇女之家」覆盖率, 妇女培训人次):
defined by an administrator of the plan's region, versioned and audited; listed in the
templates of regions under the plan, uploaded, undone and locked like catalogue indicators;
evaluated with the plan's target and shown in the briefing — and nowhere else."""
from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from openpyxl import Workbook
from people import person
from streamlit.testing.v1 import AppTest

from metrics import catalogue, cli, config, evaluation
from metrics.access import AccessDenied, Role
from metrics.config import BASE_DIR
from metrics.evaluation import explain
from metrics.plans import local_indicators
from metrics.regions import RegionTree
from metrics.reports import briefing
from metrics.store import open_store
from metrics.store.guarded import guard
from metrics.uploads import narrative, narrative_upload

SETTINGS = config.settings().evaluation
GUIGANG_PLAN, W11 = "450800-women-2011-2020", "women-2011-2020"
GUIGANG, GANGBEI, NANNING = "450800", "450802", "450100"
HOME = "「妇女之家」覆盖率"


def run(*argv) -> int:
    return cli.main([*map(str, argv)])


def define_home(db, *extra) -> int:
    """「妇女之家」覆盖率 of villages and communities, ≥ 90 % by 2020, as 贵港市's plan sets it."""
    return run("plan", "indicator", "add", GUIGANG_PLAN, "--name", HOME, "--aliases",
               "妇女之家覆盖率、村（社区）妇女之家覆盖率", "--unit", "%", "--direction", "higher",
               "--area", "妇女参与决策和管理", "--range", "0:100", "--target", "≥90%", "--lead",
               "市妇联", "--supporting", "民政局、农业农村局", "--definition",
               "建有「妇女之家」的村（社区）数 / 村（社区）总数 × 100%", "--db", db, *extra)


def store_as(db, who):
    store = open_store(db)
    cat = catalogue.read_from_store(store)
    return guard(store, who, RegionTree(cat.regions), cat.plan_indicators), cat


def upload(db, tmp_path, region: str, values: dict[str, str], name="上报.csv") -> tuple[int, dict]:
    """The template of the region for 2014–2015 with the local indicators' rows filled in
    (2015 values), imported; the exit code and the JSON report."""
    template = tmp_path / "模板.csv"
    assert run("template", "--plan", W11, "--region", region, "--years", "2014-2015",
               "--out", template, "--db", db) == 0
    frame = pd.read_csv(template, dtype=str, encoding="utf-8-sig").fillna("")
    assert set(values) <= set(frame["指标名称"])
    frame = frame[frame["指标名称"].isin(values)].copy()
    frame["2015年"] = frame["指标名称"].map(values)
    filled = tmp_path / name
    frame.to_csv(filled, index=False, encoding="utf-8-sig")
    return run("import", filled, "--db", db, "--format", "json"), filled


def json_out(capsys) -> dict:
    """The JSON report a command printed last (after the lines before it)."""
    out = capsys.readouterr().out
    return json.loads(out[out.index("{"):])


def test_define_template_upload_evaluate_brief_undo_for_a_county_under_a_city_plan(
        db, tmp_path, capsys):
    assert define_home(db) == 0
    assert run("plan", "indicator", "add", GUIGANG_PLAN, "--name", "妇女培训人次", "--unit",
               "人次", "--direction", "higher", "--area", "妇女与经济", "--target", "逐步提高",
               "--db", db) == 0
    capsys.readouterr()
    cat = catalogue.read_from_store(open_store(db))
    assert list(cat.local_indicators["code"]) == ["L450800-1", "L450800-2"]
    home = cat.indicators.set_index("code").loc["L450800-1"]
    assert (home["name"], home["unit"], home["valid_max"]) == (HOME, "%", 100)
    # The county's template lists them in their areas; 全国's does not.
    code, filled = upload(db, tmp_path, GANGBEI, {HOME: "85.5%", "妇女培训人次": "1520"})
    report = json_out(capsys)
    assert code == 0 and report["new"] == 2, report
    frame = evaluation.run(open_store(db), cat, W11, [GANGBEI], 2015, settings=SETTINGS)
    row = frame.set_index("indicator_code").loc["L450800-1"]
    assert (row["latest_value"], row["status"], row["area_name"]) == (85.5, "not_achieved",
                                                                      "妇女参与决策和管理")
    assert row["defining_plan_name"] == "贵港市妇女发展规划（2011—2020年）"
    sentence = explain.explain(frame[frame["indicator_code"] == "L450800-1"],
                               settings=SETTINGS).iloc[0]
    assert sentence.startswith("2015年85.5%，目标为2020年≥90%（未核实），目标来自"
                               "《贵港市妇女发展规划（2011—2020年）》")
    brief = briefing.build(open_store(db), cat, W11, GANGBEI, 2015, settings=SETTINGS)
    shown = brief.indicators.set_index("indicator_code")
    assert shown.loc["L450800-1", "name"] == f"{HOME}（本地指标）"
    assert shown.loc["L450800-2", "latest_display"] == "1520人次（2015年）"
    assert any("自设的本地指标" in note for note in brief.caveats)
    department = briefing.build(open_store(db), cat, W11, GANGBEI, 2015, department="民政局",
                                settings=SETTINGS)
    assert "L450800-1" in set(department.indicators["indicator_code"])
    # Undone like any batch: the value goes, the indicator stays (无数据).
    assert run("undo", report["batch_id"], "--db", db) == 0
    again = evaluation.run(open_store(db), cat, W11, [GANGBEI], 2015, settings=SETTINGS)
    assert pd.isna(again.set_index("indicator_code").loc["L450800-1", "latest_value"])


def test_the_name_elsewhere_is_unknown_and_values_outside_the_range_are_refused(
        db, tmp_path, capsys):
    assert define_home(db) == 0
    capsys.readouterr()
    template = tmp_path / "全国模板.csv"
    assert run("template", "--plan", W11, "--region", NANNING, "--out", template,
               "--db", db) == 0
    assert HOME not in template.read_text(encoding="utf-8-sig")
    rows = tmp_path / "南宁.csv"
    rows.write_text(f"指标,地区,年份,数值\n{HOME},南宁市,2015,80\n{HOME},港北区,2015,180\n"
                    f"妇女之家覆盖率,港南区,2015,70\n", encoding="utf-8")
    assert run("import", rows, "--db", db, "--format", "json", "--dry-run") == 1
    errors = json_out(capsys)["errors"]
    assert [(e["row"], e["code"]) for e in errors] == [(2, "unknown-indicator"),
                                                        (3, "out-of-range")]
    assert "只适用于贵港市及其下辖地区" in errors[0]["hint"]


def test_regions_under_no_such_plan_evaluate_exactly_as_before(db):
    store = open_store(db)
    before_cat = catalogue.read_from_store(store)
    provinces = list(before_cat.regions.query("level == 'province'")["code"])
    regions = ["000000", *provinces, NANNING, "990100", "990124"]
    outlines = catalogue.national_outlines(before_cat.plans)
    before = {o: evaluation.run(store, before_cat, o, regions, 2024, settings=SETTINGS)
              for o in outlines}
    assert define_home(db) == 0
    after_cat = catalogue.read_from_store(store)
    assert not after_cat.local_indicators.empty
    for outline in outlines:
        pd.testing.assert_frame_equal(
            evaluation.run(store, after_cat, outline, regions, 2024, settings=SETTINGS),
            before[outline])


def test_only_an_administrator_whose_scope_holds_the_plans_region_defines_one(db):
    fields = {"name": HOME, "unit": "%", "direction": "higher", "area": "妇女参与决策和管理"}
    for who, refusal in ((person("南宁管理员", Role.ADMIN, NANNING), "不含"),
                         (person("贵港填报员", Role.ANALYST, GUIGANG), "系统管理")):
        store, cat = store_as(db, who)
        with pytest.raises(AccessDenied, match=refusal):
            local_indicators.define(store, who, cat, GUIGANG_PLAN, fields, "≥90%")
    county = person("港北管理员", Role.ADMIN, GANGBEI)   # below the plan's region: not its plan
    store, cat = store_as(db, county)
    with pytest.raises(AccessDenied, match="不含"):
        local_indicators.define(store, county, cat, GUIGANG_PLAN, fields, "≥90%")
    guangxi = person("广西管理员", Role.ADMIN, "450000")
    store, cat = store_as(db, guangxi)
    code, saved = local_indicators.define(store, guangxi, cat, GUIGANG_PLAN, fields, "≥90%")
    assert (code, saved.version) == ("L450800-1", 1)
    assert open_store(db).fetch_local_indicators()["code"].tolist() == ["L450800-1"]


def test_every_definition_and_change_is_a_version_and_an_audit_entry(db, capsys):
    assert define_home(db) == 0
    assert run("plan", "indicator", "set", "L450800-1", "--target", "≥95%", "--definition",
               "按行政村和城市社区计", "--db", db) == 0
    store = open_store(db)
    versions = store.fetch_plan_versions(GUIGANG_PLAN)
    assert versions["version"].tolist() == [2, 1]
    assert versions["summary"].iloc[0] == "指标：新增 0、修改 1、取消 0；本地指标：新增 0、修改 1"
    before = json.loads(versions["before_state"].iloc[0])
    after = json.loads(versions["after_state"].iloc[0])
    assert before["local_indicators"]["L450800-1"]["definition"].startswith("建有「妇女之家」")
    assert after["local_indicators"]["L450800-1"]["definition"] == "按行政村和城市社区计"
    assert (before["indicators"]["L450800-1"]["value"],
            after["indicators"]["L450800-1"]["value"]) == (90, 95)
    entries = store.fetch_audit()
    plan_entries = entries[entries["object"].str.startswith(GUIGANG_PLAN)]
    assert plan_entries["action"].tolist()[:2] == ["plan_changed", "plan_changed"]
    # The code stays; a second indicator takes the next number; nothing changed, no version.
    assert run("plan", "indicator", "set", "L450800-1", "--definition", "按行政村和城市社区计",
               "--db", db) == 0
    assert len(open_store(db).fetch_plan_versions(GUIGANG_PLAN)) == 2
    assert "无变化" in capsys.readouterr().out


@pytest.mark.parametrize("extra, message", [
    (["--name", "村委会成员中女性比例"], "已是指标目录中的"),       # a catalogue indicator
    (["--unit", "户"], "不在单位表中"),
    (["--area", "妇女与环境保护"], "不是该规划的领域"),
    (["--target", "≤90%"], "越高越好"),
    (["--range", "50:10"], "下限须小于上限"),
])
def test_a_definition_that_cannot_work_is_refused_with_the_reason(db, capsys, extra, message):
    fields = {"--name": "妇女之家建成率", "--unit": "%", "--direction": "higher",
              "--area": "妇女参与决策和管理"}
    argv = dict(fields)
    for flag, value in zip(extra[::2], extra[1::2]):
        argv[flag] = value
    assert run("plan", "indicator", "add", GUIGANG_PLAN, *sum(argv.items(), ()),
               "--db", db) == 1
    assert message in capsys.readouterr().err
    assert open_store(db).fetch_local_indicators().empty


def guigang_annex(rows: list[list]) -> bytes:
    """贵港市's annex as offices write it: a title row, 序号 holding the area headings."""
    book = Workbook()
    sheet = book.active
    sheet.append(["附件：贵港市妇女发展规划主要指标"])
    sheet.append(["序号", "指标", "单位", "目标值", "牵头单位", "配合单位"])
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A1:F1")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ANNEX = [["一、妇女与经济", None, None, None, None, None],
         [1, "妇女培训人次", "人次", "逐步提高", "市人社局", "市妇联"],
         [2, "高级专业技术人员中女性比例", "%", "≥33%", None, None],
         ["二、妇女参与决策和管理", None, None, None, None, None],
         [3, HOME, "%", "达到95%以上", "市妇联", "市民政局、市农业农村局"],
         [4, "妇女议事会覆盖率", "%", "96%", None, None],      # which way? not said
         [5, "村委会成员女性比率", "%", "≥30%", None, None]]    # a slip for a catalogue name


def import_annex(db, path, *extra) -> int:
    return run("plan", "import", path, "--region", "贵港市", "--name",
               "贵港市妇女发展规划（2011—2020年）", "--parent", W11, "--db", db, *extra)


def test_an_annex_row_with_a_unit_and_a_direction_defines_a_local_indicator(db, tmp_path,
                                                                            capsys):
    path = tmp_path / "附件.xlsx"
    path.write_bytes(guigang_annex(ANNEX))
    assert import_annex(db, path, "--format", "json") == 1
    report = json_out(capsys)
    assert [(e["row"], e["code"]) for e in report["errors"]] == [
        (8, "local-indicator-incomplete"), (9, "unknown-indicator")]
    assert "指标方向" in report["errors"][0]["message"]
    assert [(w["row"], w["code"]) for w in report["warnings"]] == [
        (4, "local-indicator-new"), (7, "local-indicator-new")]
    assert open_store(db).fetch_local_indicators().empty          # nothing written
    path.write_bytes(guigang_annex(ANNEX[:5]))
    assert import_annex(db, path) == 0
    capsys.readouterr()
    store = open_store(db)
    defined = store.fetch_local_indicators().set_index("code")
    assert defined[["name", "unit", "direction", "area_code"]].values.tolist() == [
        ["妇女培训人次", "人次", "higher", "economy"], [HOME, "%", "higher", "decision"]]
    cat = catalogue.read_from_store(store)
    own = cat.targets.query("plan_id == @GUIGANG_PLAN").set_index("indicator_code")
    assert own.loc["L450800-2", ["kind", "value"]].tolist() == ["at_least", 95]
    # Imported again, the rows name the indicators the plan has: no new ones, no new version.
    assert import_annex(db, path) == 0
    assert "无变化" in capsys.readouterr().out
    assert len(open_store(db).fetch_local_indicators()) == 2
    # Exported and read back unchanged.
    exported = tmp_path / "导出.xlsx"
    assert run("plan", "export", GUIGANG_PLAN, "--out", exported, "--db", db) == 0
    assert import_annex(db, exported) == 0
    assert "无变化" in capsys.readouterr().out


REPORT = ("港北区2015年妇女儿童工作总结\n2015年，全区“妇女之家”覆盖率达到92.5%，全年开展妇女培训1.2万人次，"
          "培训32期。村委会成员中女性比例为23.1%。")


def test_report_figures_no_catalogue_indicator_claims_become_the_local_ones(db):
    assert define_home(db) == 0
    assert run("plan", "indicator", "add", GUIGANG_PLAN, "--name", "妇女培训人次", "--unit",
               "人次", "--direction", "higher", "--area", "妇女与经济", "--db", db) == 0
    cat = catalogue.read_from_store(open_store(db))
    found = narrative.extract(REPORT, cat, GANGBEI)
    local = {c.indicator_code: c for c in found.candidates if c.indicator_code.startswith("L")}
    assert {code: (c.value, c.unit, c.year) for code, c in local.items()} == {
        "L450800-1": (92.5, "%", 2015), "L450800-2": (12000, "人次", 2015)}
    assert "请核对" in local["L450800-1"].notes[0] and local["L450800-1"].confidence < 0.9
    assert [u.text for u in found.unmatched] == ["培训"]                  # 32期: no indicator's
    upload = narrative_upload.as_upload(list(local.values()), REPORT.encode(), "总结.txt", cat,
                                        limits=config.settings().upload)
    assert not upload.problems
    assert sorted(upload.rows["indicator_code"]) == ["L450800-1", "L450800-2"]
    # The same report about a region under no such plan leaves the figures unmatched.
    elsewhere = narrative.extract(REPORT.replace("港北区", "兴宁区"), cat, "450102")
    assert not any(c.indicator_code.startswith("L") for c in elsewhere.candidates)
    assert len(elsewhere.unmatched) == 3


def app_page(name: str, query: dict) -> AppTest:
    page = AppTest.from_file(str(BASE_DIR / f"pages/{name}.py"), default_timeout=60)
    for key, value in query.items():
        page.query_params[key] = value
    page.run()
    assert not page.exception, page.exception
    return page


@pytest.mark.usefixtures("fresh_caches", "signed_in")
def test_the_pages_show_a_local_indicator_marked_in_its_area_only_under_its_plan(db, tmp_path,
                                                                                capsys):
    assert define_home(db, "--note", "[点此](http://example.com)") == 0
    assert upload(db, tmp_path, GANGBEI, {HOME: "85.5"})[0] == 0
    query = {"plan": W11, "region": GANGBEI, "year": "2015"}
    table = app_page("overview", query).dataframe[1].value
    home = table[table["代码"] == "L450800-1"].iloc[0]
    assert (home["指标"], home["领域"], home["状态"]) == (f"{HOME}（本地指标）", "妇女参与决策和管理",
                                                   "未达标")
    assert home["目标出处"] == "贵港市妇女发展规划（2011—2020年）"
    elsewhere = app_page("overview", query | {"region": "000000"}).dataframe[1].value
    assert "L450800-1" not in set(elsewhere["代码"])
    page = app_page("evaluation", query | {"ind": "L450800-1"})
    assert any("目标来自《贵港市妇女发展规划（2011—2020年）》" in m.value for m in page.markdown)
    trend = app_page("trends", {"plan": W11, "regions": GANGBEI, "ind": "L450800-1"})
    shown = "\n".join(m.value for m in trend.markdown)
    assert "「妇女之家」覆盖率（本地指标）" in trend.multiselect[0].format_func("L450800-1")
    assert "\\[点此\\]\\(http" in shown       # the office's note, shown as written


def test_a_locked_period_of_the_plans_outline_holds_the_local_values_too(db, tmp_path, capsys):
    assert define_home(db) == 0
    for action in ("submit", "approve", "lock"):
        assert run("period", action, "--plan", W11, "--region", GANGBEI, "--year", 2015,
                   "--note", "妇女之家由市妇联统计", "--db", db) == 0, action
    capsys.readouterr()
    code, _ = upload(db, tmp_path, GANGBEI, {HOME: "85.5"})
    assert code == 1
    assert [e["code"] for e in json_out(capsys)["errors"]] == ["locked-period"]


def test_a_county_plan_under_the_city_plan_sets_its_own_target_for_the_citys_indicator(
        db, tmp_path, capsys):
    assert define_home(db) == 0
    template = tmp_path / "港北区模板.xlsx"       # the county's template lists the city's own
    assert run("plan", "template", "--parent", GUIGANG_PLAN, "--out", template, "--db", db) == 0
    rows = pd.read_excel(template, dtype=str, engine="calamine").set_index("指标")
    assert rows.loc[HOME, ["单位", "上级目标（参考）"]].tolist() == ["%", "2020年≥90%"]
    path = tmp_path / "港北区附件.xlsx"
    path.write_bytes(guigang_annex([["二、妇女参与决策和管理", None, None, None, None, None],
                                    [1, "妇女之家覆盖率", "%", "≥98%", "区妇联", None]]))
    assert run("plan", "import", path, "--region", "港北区", "--name",
               "港北区妇女发展规划（2011—2020年）", "--parent", GUIGANG_PLAN, "--db", db) == 0
    capsys.readouterr()
    store = open_store(db)
    assert store.fetch_local_indicators()["code"].tolist() == ["L450800-1"]   # no new one
    cat = catalogue.read_from_store(store)
    frame = evaluation.run(store, cat, W11, [GANGBEI, "450803", GUIGANG], 2015,
                           settings=SETTINGS)
    home = frame[frame["indicator_code"] == "L450800-1"].set_index("region_code")
    assert home.loc[GANGBEI, ["target_value", "plan_name"]].tolist() == [
        98, "港北区妇女发展规划（2011—2020年）"]
    assert home.loc["450803", "target_value"] == home.loc[GUIGANG, "target_value"] == 90


def test_the_command_line_lists_a_plans_own_indicators_and_marks_them_in_evaluations(db, capsys):
    assert define_home(db) == 0
    capsys.readouterr()
    assert run("plan", "indicator", "list", GUIGANG_PLAN, "--format", "json", "--db", db) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["code"], listed["area_name"], listed["kind"], listed["value"],
            listed["supporting_units"]) == ("L450800-1", "妇女参与决策和管理", "at_least", 90,
                                            "民政局|农业农村局")
    assert run("evaluate", "--plan", W11, "--region", "港北区", "--year", 2015, "--format", "json",
               "--db", db) == 0
    rows = {r["indicator_code"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["L450800-1"]["local_plan"] == GUIGANG_PLAN
    assert rows["maternal_mortality_ratio"]["local_plan"] is None
