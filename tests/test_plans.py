"""Local plans entered by the offices: targets as plans word them, the annex table read with its
merged cells and problems, plans saved as audited versions in the store, inheritance through
three levels, and who may change a plan."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from people import person

from metrics import catalogue, cli, config, evaluation, sync
from metrics.access import AccessDenied, Role
from metrics.evaluation import explain
from metrics.plans import annex, registry
from metrics.plans.target_wording import read_target
from metrics.regions import RegionTree
from metrics.store import open_store
from metrics.store.guarded import guard

SETTINGS = config.settings().evaluation
C21 = "children-2021-2030"
FUJIAN, XIAMEN, SIMING = "350000", "350200", "350203"


@pytest.mark.parametrize("text, direction, unit, expected", [
    ("≥95%", "higher", "%", ("at_least", 95, "%")),
    ("95%以上", "higher", "%", ("at_least", 95, "%")),
    ("控制在12/10万以下", "lower", "1/10万", ("at_most", 12, "1/10万")),
    ("保持在45%左右", "band", "%", ("around", 45, "%")),
    ("逐步提高", "higher", "%", ("increase", None, "")),
    ("较2020年下降20%", "lower", "1/10万", ("reduce_by_pct", 20, "%")),
    ("到2030年达到96%", "higher", "%", ("at_least", 96, "%")),
    ("以乡（镇）、街道为单位稳定在98%以上", "higher", "%", ("at_least", 98, "%")),
    ("4‰", "lower", "‰", ("at_most", 4, "‰")),          # a bare number takes the direction
    ("2030年≥1.12人/千名儿童", "higher", "人/千名儿童", ("at_least", 1.12, "人/千名儿童")),
    ("＞＝９５％", "higher", "%", ("at_least", 95, "%")),  # full width
])
def test_targets_are_read_as_plans_word_them(text, direction, unit, expected):
    read = read_target(text, direction, unit)
    assert (read.kind, read.value, read.written_unit) == expected


@pytest.mark.parametrize("text", ["分别为3‰和4‰", "不低于60%以下", "95%以上左右", "尽快改善"])
def test_unreadable_targets_are_not_guessed(text):
    assert read_target(text, "higher", "%") is None


def annex_workbook(rows: list[list], merges: tuple[str, ...] = ()) -> bytes:
    """An office's annex: a merged title row, then the header and the rows given."""
    book = Workbook()
    sheet = book.active
    sheet.append(["附件：厦门市儿童发展规划主要指标"])
    sheet.append(["序号", "领域", "指标", "2030年目标值", "牵头单位", "配合单位"])
    for row in rows:
        sheet.append(row)
    for cells in ("A1:F1",) + merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


MESSY = [
    [1, "儿童与健康", "婴儿死亡率", "控制在3.5‰以下", "市卫健委", "市财政局、市医保局"],
    [2, None, "0~6岁儿童眼保健和视力检查覆盖率", "达到92%以上", None, None],     # alias
    [3, None, "12岁儿童龋患率", "控制在25%以内", None, None],                  # not in catalogue
    [4, None, "5岁以下儿童贫血率", "明显下降", None, None],                    # words, no number
    ["二、儿童与安全", None, None, None, None, None],                          # area heading
    [5, "儿童与安全", "儿童伤害死亡率", "较2020年下降25%", "市公安局", "市教育局"],
    [6, None, "婴儿死亡率", "4‰", None, None],                                 # twice
]


def read(cat, raw: bytes, parent: str = C21) -> annex.AnnexTable:
    return annex.read_annex(raw, "附件.xlsx", cat, catalogue.find_plan(cat.plans, parent),
                            catalogue.outline_of(cat.plans, parent), config.settings().upload)


@pytest.fixture
def cat(db):
    return catalogue.read_from_store(open_store(db))


def test_a_messy_annex_reports_every_problem_where_it_is(cat):
    table = read(cat, annex_workbook(MESSY, merges=("B3:B6", "E3:E5", "F3:F5")))
    assert [(p.row, p.column, p.code) for p in table.errors] == [
        (5, "指标", "unknown-indicator"), (6, "2030年目标值", "unreadable-target"),
        (9, "指标", "duplicate-indicator")]
    rows = table.rows.set_index("indicator_code")
    assert rows.loc["infant_mortality_rate", ["kind", "value", "target_year"]].tolist() == [
        "at_most", 3.5, 2030]
    # The merged 牵头单位 and 配合单位 count for the eye-care row below them.
    assert rows.loc["eye_care_coverage_rate", ["lead_unit", "supporting_units"]].tolist() == [
        "市卫健委", "市财政局|市医保局"]
    assert rows.loc["child_injury_mortality_rate", ["kind", "value"]].tolist() == [
        "reduce_by_pct", 25]


def test_a_target_against_the_direction_or_outside_the_range_is_refused(cat):
    table = read(cat, annex_workbook([[1, "", "婴儿死亡率", "95‰以上", "", ""],
                                      [2, "", "适龄儿童免疫规划疫苗接种率", "120%以上", "", ""]]))
    assert [(p.row, p.code) for p in table.errors] == [(3, "target-against-direction"),
                                                      (4, "out-of-range")]


def run(*argv) -> int:
    return cli.main([*map(str, argv)])


def import_plan(db, path, region, name, parent, *extra) -> int:
    return run("plan", "import", path, "--region", region, "--name", name, "--parent", parent,
               "--db", db, *extra)


def fill_template(db, tmp_path, parent: str, targets: dict[str, str]) -> Path:
    """The template of `parent` with the given 指标 → 目标值 filled in, saved as .xlsx."""
    template = tmp_path / "模板.xlsx"
    assert run("plan", "template", "--parent", parent, "--out", template, "--db", db) == 0
    frame = pd.read_excel(template, dtype=str, engine="calamine").fillna("")
    for name, target in targets.items():
        frame.loc[frame["指标"] == name, "目标值"] = target
    filled = tmp_path / f"{parent}-填好.xlsx"
    frame.to_excel(filled, index=False)
    return filled


def test_three_levels_the_nearest_plan_sets_the_target_and_is_named(db, tmp_path, capsys):
    province = fill_template(db, tmp_path, C21, {"婴儿死亡率": "≤4.5‰",
                                                 "适龄儿童免疫规划疫苗接种率": "95%以上"})
    assert import_plan(db, province, FUJIAN, "福建省儿童发展规划（2021—2030年）", C21) == 0
    province_id = f"{FUJIAN}-children-2021-2030"
    city = fill_template(db, tmp_path, province_id, {"婴儿死亡率": "控制在3.5‰以下"})
    assert import_plan(db, city, XIAMEN, "厦门市儿童发展规划（2021—2030年）", province_id) == 0
    with open_store(db).session() as store:
        cat = catalogue.read_from_store(store)
        frame = evaluation.run(store, cat, C21, [SIMING], 2024, settings=SETTINGS)
    rows = frame.set_index("indicator_code")
    assert rows.loc["infant_mortality_rate", "target_value"] == 3.5            # the city's
    assert rows.loc["immunisation_coverage_rate", "target_value"] == 95        # the province's
    assert rows.loc["under5_mortality_rate", "target_value"] == 6              # the outline's
    said = explain.explain(frame, settings=SETTINGS).set_axis(frame["indicator_code"])
    assert "目标来自《厦门市儿童发展规划（2021—2030年）》" in said["infant_mortality_rate"]
    assert "目标来自《福建省儿童发展规划（2021—2030年）》" in said["immunisation_coverage_rate"]
    assert "目标来自" not in said["under5_mortality_rate"]


def test_every_change_is_a_version_in_the_store_and_the_audit(db, tmp_path, capsys):
    first = fill_template(db, tmp_path, C21, {"婴儿死亡率": "≤4.5‰"})
    assert import_plan(db, first, FUJIAN, "福建省儿童发展规划", C21, "--as", "tester") == 0
    assert import_plan(db, first, FUJIAN, "福建省儿童发展规划", C21) == 0   # unchanged: no version
    second = fill_template(db, tmp_path, C21, {"婴儿死亡率": "≤4‰", "新生儿死亡率": "≤2.5‰"})
    assert import_plan(db, second, FUJIAN, "福建省儿童发展规划", C21) == 0
    capsys.readouterr()
    assert run("plan", "show", f"{FUJIAN}-children-2021-2030", "--format", "json",
               "--db", db) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(v["version"], v["changed_by"]) for v in shown["versions"]] == [
        (2, "本地管理员"), (1, "tester")]
    assert shown["versions"][0]["summary"] == "指标：新增 0、修改 2、取消 0"
    store = open_store(db)
    versions = store.fetch_plan_versions(f"{FUJIAN}-children-2021-2030")
    before = json.loads(versions["before_state"].iloc[0])
    assert before["indicators"]["infant_mortality_rate"]["value"] == 4.5
    entries = store.fetch_audit()
    plan_entries = entries[entries["action"].isin(["plan_created", "plan_changed"])]
    assert list(plan_entries["action"]) == ["plan_changed", "plan_created"]
    assert '"value": 4.5' in plan_entries["before_state"].iloc[0]


def test_export_reads_back_unchanged_and_init_keeps_user_plans(db, tmp_path, capsys):
    fuzhou = "350100-children-2021-2030"
    exported = tmp_path / "福州.xlsx"
    assert run("plan", "export", fuzhou, "--out", exported, "--db", db) == 0
    name = "福州市儿童发展纲要（2021—2030年）"
    assert import_plan(db, exported, "350100", name, C21) == 0   # now the office's own copy
    capsys.readouterr()
    assert import_plan(db, exported, "350100", name, C21) == 0
    assert "无变化" in capsys.readouterr().out
    sync.init(open_store(db))
    cat = catalogue.read_from_store(open_store(db))
    own = cat.targets[cat.targets["plan_id"] == fuzhou].set_index("indicator_code")
    assert own.loc["infant_mortality_rate", "value"] == 4
    # Unchanged targets keep their verified mark and evidence; a changed one is 未核实.
    assert own["verified"].eq("yes").all() and own["evidence"].str.contains("福州晚报").all()
    assert cat.plans.set_index("id").loc[fuzhou, "document"].startswith(name)
    assert len(open_store(db).fetch_user_plans()) == 1
    frame = pd.read_excel(exported, dtype=str, engine="calamine").fillna("")
    frame.loc[frame["指标"] == "婴儿死亡率", "目标值"] = "3.8‰以下"
    frame.to_excel(exported, index=False)
    assert import_plan(db, exported, "350100", name, C21) == 0
    own = catalogue.read_from_store(open_store(db)).targets.query(
        "plan_id == @fuzhou").set_index("indicator_code")
    assert own.loc["infant_mortality_rate", ["value", "verified"]].tolist() == [3.8, "not_found"]
    assert own.loc["neonatal_mortality_rate", "verified"] == "yes"


def test_only_an_administrator_whose_scope_holds_the_region_changes_its_plan(db):
    cat = catalogue.read_from_store(open_store(db))
    tree = RegionTree(cat.regions)
    plan = registry.draft_plan(cat, C21, XIAMEN, "厦门市儿童发展规划", None)
    rows = pd.DataFrame({"row": [3], "indicator_code": ["infant_mortality_rate"],
                         "kind": ["at_most"], "value": [3.5], "target_year": [2030],
                         "text": ["≤3.5‰"]})
    indicators = registry.plan_indicators(rows, plan, lambda row: "测试")
    for who, refusal in ((person("南宁管理员", Role.ADMIN, "450100"), "不含福建省/厦门市"),
                         (person("厦门填报员", Role.ANALYST, XIAMEN), "系统管理")):
        with pytest.raises(AccessDenied, match=refusal):
            registry.save_plan(guard(open_store(db), who, tree, cat.plan_indicators), who, cat,
                               plan, indicators)
    with pytest.raises(AccessDenied, match="系统管理"):  # the store refuses too
        analyst = person("厦门填报员", Role.ANALYST, XIAMEN)
        guard(open_store(db), analyst, tree, cat.plan_indicators).save_user_plan(
            plan, indicators, analyst.name, "", None, "{}")
    fujian = person("福建管理员", Role.ADMIN, FUJIAN)
    saved = registry.save_plan(guard(open_store(db), fujian, tree, cat.plan_indicators), fujian,
                               cat, plan, indicators)
    assert saved.version == 1
    assert open_store(db).fetch_user_plans()["id"].tolist() == [f"{XIAMEN}-children-2021-2030"]


def test_a_plan_must_lie_under_its_parent_plans_region(db):
    cat = catalogue.read_from_store(open_store(db))
    with pytest.raises(registry.PlanRefused, match="不在上级规划"):
        registry.draft_plan(cat, "350100-children-2021-2030", "450802", "港北区规划", None)
