"""A plan changed indicator by indicator (as the 规划管理 page does, through metrics): a target
overridden in the plan's own words, a milestone, a target verified with its evidence, an
indicator dropped and restored, the 目标责任分解 — each one version and one audit entry saying
what changed from what, refused changes writing nothing; and what the evaluation and the
department briefing of a county under the city plan then show."""
import pandas as pd
import pytest
from people import person

from metrics import catalogue, config, evaluation
from metrics.access import AccessDenied, Role
from metrics.plans import editing, indicator_edits, registry, workbook
from metrics.regions import RegionTree
from metrics.reports import briefing
from metrics.reports.briefing_docx import departments_text
from metrics.store import open_store
from metrics.store.guarded import guard
from metrics.views import midterm
from metrics.views import plans as plans_view

SETTINGS = config.settings().evaluation
CHILDREN = "children-2021-2030"
FUZHOU_PLAN, FUJIAN, FUZHOU, GULOU = "350100-children-2021-2030", "350000", "350100", "350102"
PRESCHOOL, HOMES = "preschool_gross_enrolment_rate", "children_homes_count"
YEARS = {"baseline_year": 2020, "midterm_year": 2025, "target_year": 2030}


class Office:
    """An administrator acting through the guarded store, the catalogue read afresh before
    each change (as each rerun of the page reads it)."""

    def __init__(self, db, who=None):
        self.db, self.who = db, who or person("福州市管理员", Role.ADMIN, FUZHOU)

    def cat(self):
        return catalogue.read_from_store(open_store(self.db))

    def __call__(self, change, *args):
        cat = self.cat()
        store = guard(open_store(self.db), self.who, RegionTree(cat.regions), cat.plan_indicators)
        return change(store, self.who, cat, *args)


def evaluated(db, regions, year=2024) -> pd.DataFrame:
    store = open_store(db)
    return evaluation.run(store, catalogue.read_from_store(store), CHILDREN, regions, year,
                          settings=SETTINGS)


def versions(db, plan_id=FUZHOU_PLAN) -> pd.DataFrame:
    return open_store(db).fetch_plan_versions(plan_id)


def test_a_target_written_in_words_overrides_the_national_one_below_the_plan(db):
    office = Office(db)
    saved = office(indicator_edits.set_target, FUZHOU_PLAN, PRESCHOOL, "96%以上")
    assert saved.summary == "学前教育毛入园率：目标由「沿用上级规划」改为「2030年≥96%」"
    frame = evaluated(db, [GULOU, FUJIAN]).set_index(["indicator_code", "region_code"])
    assert frame.loc[(PRESCHOOL, GULOU), ["target_kind", "target_value"]].tolist() == [
        "at_least", 96]
    assert frame.loc[(PRESCHOOL, GULOU), "plan_name"] == "福州市儿童发展纲要（2021—2030年）"
    assert frame.loc[(PRESCHOOL, FUJIAN), "target_value"] == 90  # the province: national
    office(indicator_edits.inherit_target, FUZHOU_PLAN, PRESCHOOL)
    frame = evaluated(db, [GULOU]).set_index("indicator_code")
    assert frame.loc[PRESCHOOL, "target_value"] == 90
    assert versions(db)["summary"].iloc[0] == (
        "学前教育毛入园率：目标「2030年≥96%」取消，改为沿用上级规划")


@pytest.mark.parametrize("wording, code", [
    ("争取更好", "unreadable-target"),       # no target read
    ("控制在5%以下", "target-against-direction"),  # an enrolment rate must rise
    ("≥130%", "out-of-range"),
])
def test_a_target_that_cannot_stand_is_refused_and_nothing_is_written(db, wording, code):
    with pytest.raises(editing.PlanEditRefused, match=code):
        Office(db)(indicator_edits.set_target, FUZHOU_PLAN, PRESCHOOL, wording)
    assert versions(db).empty and open_store(db).fetch_user_plans().empty


def test_a_dropped_indicator_leaves_the_evaluation_under_the_plan_and_comes_back(db):
    office = Office(db)
    office(indicator_edits.set_target, FUZHOU_PLAN, PRESCHOOL, "≥97%")
    office(indicator_edits.drop_indicator, FUZHOU_PLAN, PRESCHOOL, "本市规划未列入该指标")
    frame = evaluated(db, [GULOU, FUZHOU, FUJIAN])
    kept = frame.groupby("region_code")["indicator_code"].agg(set)
    assert PRESCHOOL not in kept[GULOU] and PRESCHOOL not in kept[FUZHOU]
    assert PRESCHOOL in kept[FUJIAN] and HOMES in kept[GULOU]
    rows = plans_view.indicator_rows(office.cat(), FUZHOU_PLAN,
                                     registry.current(open_store(db), office.cat(), FUZHOU_PLAN)[1])
    shown = plans_view.indicator_table(rows, "福州市儿童发展纲要（2021—2030年）", 2020)
    assert shown.set_index("代码").at[PRESCHOOL, "监测"] == (
        "不监测：本市规划未列入该指标（《福州市儿童发展纲要（2021—2030年）》）")
    # A county plan of its own that sets the target monitors it again there.
    office(editing.create_plan, FUZHOU_PLAN, GULOU, "鼓楼区儿童发展规划（2021—2030年）", None, YEARS)
    office(indicator_edits.set_target, f"{GULOU}-children-2021-2030", PRESCHOOL, "≥95%")
    assert PRESCHOOL in set(evaluated(db, [GULOU])["indicator_code"])
    office(indicator_edits.restore_indicator, FUZHOU_PLAN, PRESCHOOL)
    city = evaluated(db, [FUZHOU]).set_index("indicator_code")
    assert city.loc[PRESCHOOL, "target_value"] == 97  # the target kept through the drop


def test_the_plan_assigns_responsibility_in_evaluations_and_department_briefings(db):
    office = Office(db)
    office(indicator_edits.set_responsibility, FUZHOU_PLAN, PRESCHOOL, "妇联", "民政局、财政局",
           "张敏 0591-1234567", "2025年底")
    frame = evaluated(db, [GULOU, FUJIAN]).set_index(["indicator_code", "region_code"])
    assert frame.loc[(PRESCHOOL, GULOU), ["lead_department", "supporting_departments",
                                          "responsibility_plan"]].tolist() == [
        "妇联", "民政局|财政局", "福州市儿童发展纲要（2021—2030年）"]
    assert frame.loc[(PRESCHOOL, FUJIAN), "lead_department"] == "教育局"  # the catalogue's
    county = evaluated(db, [GULOU])
    assert PRESCHOOL in set(midterm.filter_rows(county, department="妇联")["indicator_code"])
    assert PRESCHOOL not in set(midterm.filter_rows(county, department="教育局")["indicator_code"])
    store, cat = open_store(db), office.cat()
    women = briefing.build(store, cat, CHILDREN, GULOU, 2024, "妇联", settings=SETTINGS)
    listed = women.indicators.set_index("indicator_code")
    assert PRESCHOOL in listed.index and listed.at[PRESCHOOL, "lead_department"] == "妇联"
    assert midterm.involves(women.indicators, "妇联").all()
    [row] = women.indicators[women.indicators["indicator_code"] == PRESCHOOL].itertuples()
    assert departments_text(row) == (
        "牵头单位：妇联；配合单位：民政局、财政局；联系人：张敏 0591-1234567；完成时限：2025年底"
        "（据《福州市儿童发展纲要（2021—2030年）》目标责任分解）。")
    [gap] = women.gaps[women.gaps["指标"] == "学前教育毛入园率"].itertuples()
    assert (gap.牵头单位, gap.配合单位) == ("妇联", "民政局、财政局")
    education = briefing.build(store, cat, CHILDREN, GULOU, 2024, "教育局", settings=SETTINGS)
    assert PRESCHOOL not in set(education.indicators["indicator_code"])
    assert midterm.involves(education.indicators, "教育局").all()


def test_milestone_and_verification_are_checked_and_kept_as_versions(db):
    office = Office(db)
    with pytest.raises(editing.PlanEditRefused, match="目标年份之前"):
        office(indicator_edits.set_milestone, FUZHOU_PLAN, PRESCHOOL, 2030, 93)
    with pytest.raises(editing.PlanEditRefused, match="有效范围"):
        office(indicator_edits.set_milestone, FUZHOU_PLAN, PRESCHOOL, 2025, 930)
    with pytest.raises(editing.PlanEditRefused, match="沿用上级规划"):  # nothing of its own
        office(indicator_edits.verify_target, FUZHOU_PLAN, PRESCHOOL, "12", "")
    assert versions(db).empty
    office(indicator_edits.set_milestone, FUZHOU_PLAN, PRESCHOOL, 2025, 93)
    office(indicator_edits.set_target, FUZHOU_PLAN, PRESCHOOL, "≥96%")
    office(indicator_edits.verify_target, FUZHOU_PLAN, PRESCHOOL, "12", "第三部分（二）第5条")
    own = open_store(db).fetch_user_plan_indicators().set_index("indicator_code").loc[PRESCHOOL]
    assert (own["milestone_year"], own["milestone_value"], own["verified"]) == (2025, 93, "yes")
    assert own["evidence"] == "印发文本第12页，第三部分（二）第5条（福州市管理员核实）"
    history = versions(db)
    assert history["version"].tolist() == [3, 2, 1]
    assert history["changed_by"].eq("福州市管理员").all()
    assert history["summary"].tolist()[0] == ("学前教育毛入园率：目标「2030年≥96%」核实为与印发文本一致"
                                             "（第12页，第三部分（二）第5条），原为未核实")
    # The shipped plan existed before its first change here: every entry is a change of it.
    audit = open_store(db).fetch_audit(action="plan_changed")
    assert audit["detail"].tolist() == history["summary"].tolist()
    assert audit["user_name"].eq("福州市管理员").all() and audit["before_state"].notna().all()


def test_an_office_changes_only_plans_of_regions_in_its_scope(db):
    for who, refusal in ((person("鼓楼区管理员", Role.ADMIN, GULOU), "不含福建省/福州市"),
                         (person("福州工委办", Role.STAFF, FUZHOU), "系统管理")):
        with pytest.raises(AccessDenied, match=refusal):
            Office(db, who)(indicator_edits.set_target, FUZHOU_PLAN, PRESCHOOL, "≥96%")
    assert versions(db).empty
    with pytest.raises(editing.PlanEditRefused, match="国家纲要"):
        Office(db, person("全国管理员"))(indicator_edits.set_target, CHILDREN, PRESCHOOL, "≥96%")


def test_a_new_plan_inherits_everything_and_refuses_a_second_one(db):
    office = Office(db)
    with pytest.raises(editing.PlanEditRefused, match="依次递增"):
        office(editing.create_plan, FUZHOU_PLAN, GULOU, "鼓楼区规划", None,
               YEARS | {"midterm_year": 2030})
    saved = office(editing.create_plan, FUZHOU_PLAN, GULOU, " 鼓楼区儿童发展规划（2021—2030年） ",
                   "鼓政〔2022〕3号", YEARS)
    assert (saved.plan_id, saved.version) == (f"{GULOU}-children-2021-2030", 1)
    cat = office.cat()
    plan = cat.plans.set_index("id").loc[saved.plan_id]
    assert (plan["name"], plan["parent_plan"], plan["document"]) == (
        "鼓楼区儿童发展规划（2021—2030年）", FUZHOU_PLAN, "鼓政〔2022〕3号")
    county = evaluated(db, [GULOU]).set_index("indicator_code")
    assert county.loc["infant_mortality_rate", "plan_name"] == "福州市儿童发展纲要（2021—2030年）"
    with pytest.raises(editing.PlanEditRefused, match="该地区已有本期规划"):
        office(editing.create_plan, CHILDREN, GULOU, "另一个规划", None, YEARS)
    office(editing.change_plan_info, saved.plan_id, "鼓楼区儿童发展规划", "鼓政〔2022〕3号", YEARS)
    assert versions(db, saved.plan_id)["summary"].iloc[0] == (
        "修改规划信息：名称由「鼓楼区儿童发展规划（2021—2030年）」改为「鼓楼区儿童发展规划」")


def test_import_and_export_keep_a_dropped_indicator_dropped(db):
    office = Office(db)
    office(indicator_edits.drop_indicator, FUZHOU_PLAN, HOMES, "本市规划未列入")
    cat = office.cat()
    _, own = registry.current(open_store(db), cat, FUZHOU_PLAN)
    frame = workbook.export_frame(cat, FUZHOU_PLAN, own)
    assert "城乡社区儿童之家数" not in set(frame["指标"]) and len(frame) == len(own) - 1
    raw = workbook.xlsx_bytes(frame, "规划指标")
    table = editing.read_plan_annex(open_store(db), cat, FUZHOU_PLAN, raw, "福州.xlsx",
                                    config.settings().upload)
    assert not table.errors
    saved = office(editing.import_annex, FUZHOU_PLAN, table, "福州.xlsx")
    assert saved.version is None  # read back unchanged, the drop kept
    assert HOMES not in set(evaluated(db, [GULOU])["indicator_code"])


def test_a_schema_8_store_gains_the_dropped_reason_and_keeps_its_plans(db):
    import duckdb

    from metrics.store.duckdb_backend.schema import SCHEMA_VERSION
    Office(db)(indicator_edits.set_target, FUZHOU_PLAN, PRESCHOOL, "≥96%")
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE user_plan_indicators DROP COLUMN dropped_reason")
    con.execute("DELETE FROM schema_migrations")
    con.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    con.close()
    store = open_store(db)
    assert store.initialise() == 8 and store.schema_version() == SCHEMA_VERSION
    assert store.migrations()["version"].tolist() == list(range(9, SCHEMA_VERSION + 1))
    kept = store.fetch_user_plan_indicators().set_index("indicator_code")
    assert kept.loc[PRESCHOOL, "value"] == 96 and kept["dropped_reason"].isna().all()
    Office(db)(indicator_edits.drop_indicator, FUZHOU_PLAN, PRESCHOOL, "本市规划未列入")
    assert open_store(db).fetch_user_plan_indicators().set_index("indicator_code").at[
        PRESCHOOL, "dropped_reason"] == "本市规划未列入"


def test_importing_the_table_again_keeps_the_milestones_set_on_the_page(db):
    office = Office(db)
    office(indicator_edits.set_milestone, FUZHOU_PLAN, PRESCHOOL, 2025, 93)   # not in the table
    office(indicator_edits.set_milestone, FUZHOU_PLAN, "infant_mortality_rate", 2025, 4.5)
    cat = office.cat()
    _, own = registry.current(open_store(db), cat, FUZHOU_PLAN)
    listed = own[own["indicator_code"] != PRESCHOOL]
    raw = workbook.xlsx_bytes(workbook.export_frame(cat, FUZHOU_PLAN, listed), "规划指标")
    table = editing.read_plan_annex(open_store(db), cat, FUZHOU_PLAN, raw, "福州.xlsx",
                                    config.settings().upload)
    office(indicator_edits.set_target, FUZHOU_PLAN, "infant_mortality_rate", "≤3.8‰")
    saved = office(editing.import_annex, FUZHOU_PLAN, table, "福州.xlsx")
    assert saved.summary == "指标：新增 0、修改 1、取消 0"  # the target back to the table's 4‰
    kept = open_store(db).fetch_user_plan_indicators().set_index("indicator_code")
    assert kept.loc["infant_mortality_rate", ["value", "milestone_year", "milestone_value"]
                    ].tolist() == [4, 2025, 4.5]
    assert kept.loc[PRESCHOOL, ["kind", "milestone_year", "milestone_value"]].tolist()[1:] == [
        2025, 93] and pd.isna(kept.loc[PRESCHOOL, "kind"])
