"""`python -m metrics …` as a person runs it: exit codes, output formats, Chinese messages."""
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from metrics import cli
from metrics.config import BASE_DIR


def metrics_cli(*args, db=None, env=None):
    command = [sys.executable, "-m", "metrics", *args] + (["--db", str(db)] if db else [])
    return subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True, timeout=120,
                          env=env)


def test_init_twice_says_nothing_changed(tmp_path):
    db = tmp_path / "fresh.duckdb"
    first = metrics_cli("init", db=db)
    assert first.returncode == 0 and "指标：新增" in first.stdout
    second = metrics_cli("init", db=db)
    assert second.returncode == 0 and "数据库已是最新，无变化。" in second.stdout


def test_evaluate_json_has_every_column_for_every_indicator(db):
    result = metrics_cli("evaluate", "--plan", "women-2021-2030", "--region", "全国",
                         "--year", "2024", "--format", "json", db=db)
    assert result.returncode == 0, result.stderr
    rows = {r["indicator_code"]: r for r in json.loads(result.stdout)}
    mmr = rows["maternal_mortality_ratio"]
    assert (mmr["baseline_year"], mmr["baseline_value"]) == (2020, 16.9)
    assert (mmr["latest_year"], mmr["latest_value"]) == (2024, 14.3)
    assert (mmr["target_kind"], mmr["target_value"], mmr["target_year"],
            mmr["target_verified"]) == ("at_most", 12, 2030, "yes")
    assert (mmr["status"], mmr["status_label"]) == ("on_track", "进度正常")
    assert mmr["required_annual_change"] == -0.3833
    assert mmr["explanation"].startswith("2024年14.3/10万")


def test_evaluate_by_name_with_csv_and_method(db):
    result = metrics_cli("evaluate", "--plan", "children-2021-2030", "--region", "松屏县",
                         "--year", "2024", "--method", "cagr", "--format", "csv", db=db)
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()[0]
    assert header.startswith("indicator_code,name,unit,baseline_year")
    rows = {r["indicator_code"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    infant = rows["infant_mortality_rate"]   # 8.4 (2020) → 8.2 (2022), goal ≤ 5 by 2030
    ratio = ((8.2 / 8.4) ** (1 / 2) - 1) / ((5 / 8.4) ** (1 / 10) - 1)
    assert float(infant["progress_ratio"]) == pytest.approx(ratio, abs=5e-5)
    assert (infant["status"], infant["status_label"]) == ("off_track", "进度滞后")


def test_ambiguous_region_is_refused_with_the_candidates(db):
    result = metrics_cli("evaluate", "--plan", "women-2021-2030", "--region", "朝阳区",
                         "--year", "2024", db=db)
    assert result.returncode == 1
    assert "北京市/朝阳区（110105）" in result.stderr and "吉林省/长春市/朝阳区（220104）" in result.stderr


def test_wrong_usage_exits_2(db):
    assert metrics_cli("evaluate", "--plan", "women-2021-2030", db=db).returncode == 2


def test_briefing_writes_workbook_and_document(db, tmp_path):
    result = metrics_cli("briefing", "--plan", "children-2021-2030", "--region", "990124",
                         "--year", "2024", "--out", str(tmp_path / "out"), db=db)
    assert result.returncode == 0, result.stderr
    written = sorted(p.suffix for p in (tmp_path / "out").iterdir())
    assert written == [".docx", ".xlsx"]
    assert result.stdout.split() == [
        str(tmp_path / "out" / f"松屏县_children-2021-2030_2024_评估简报{suffix}")
        for suffix in (".xlsx", ".docx")]


BRIEFING_TITLE = "松屏县（演示）《中国儿童发展纲要（2021—2030年）》实施情况评估简报"
ATTAINED = ("achieved", "basically_achieved")


@pytest.fixture
def briefing_files(db, tmp_path):
    """The briefing of 松屏县 (990124), children's outline, 2024: workbook, document, the CLI's
    stderr, and `evaluate --format json` of the same region as rows in outline order."""
    out = tmp_path / "out"
    result = metrics_cli("briefing", "--plan", "children-2021-2030", "--region", "990124",
                         "--year", "2024", "--out", str(out), db=db)
    assert result.returncode == 0, result.stderr
    evaluation = metrics_cli("evaluate", "--plan", "children-2021-2030", "--region", "990124",
                             "--year", "2024", "--format", "json", db=db)
    assert evaluation.returncode == 0, evaluation.stderr
    book = openpyxl.load_workbook(next(out.glob("*.xlsx")))
    document = docx.Document(next(out.glob("*.docx")))
    return book, document, result.stderr, json.loads(evaluation.stdout)


def table_rows(sheet) -> list[dict]:
    """A sheet written as one table from row 1: its rows as dicts, empty rows left out."""
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    return [dict(zip(header, row)) for row in rows if any(v is not None for v in row)]


def test_briefing_indicator_sheet_is_the_evaluation(briefing_files):
    book, _, _, evaluation = briefing_files
    assert book.sheetnames == ["概况", "指标", "数据缺口", "重点难点", "同级比较"]
    rows = table_rows(book["指标"])
    assert [r["指标"] for r in rows] == [e["name"] for e in evaluation]
    assert [r["状态"] for r in rows] == [e["status_label"] for e in evaluation]
    assert [r["最新值"] for r in rows] == [e["latest_value"] for e in evaluation]
    for row, expected in zip(rows, evaluation):
        if expected["progress_ratio"] is None:
            assert row["进度比"] is None
        else:
            assert row["进度比"] == pytest.approx(expected["progress_ratio"], abs=5e-5)
        assert row["说明"] == expected["explanation"]


def test_briefing_overview_sheet_counts_and_rates(briefing_files):
    book, _, _, evaluation = briefing_files
    sheet = book["概况"]
    assert sheet["A1"].value == BRIEFING_TITLE
    facts = {}
    for key, value in sheet.iter_rows(min_row=3, max_row=12, max_col=2, values_only=True):
        facts.setdefault(key, []).append(value)
    assert facts["地区"] == ["松屏县（演示）"] and facts["评估年度"] == ["2024年"]
    targeted = [e for e in evaluation if e["status"] != "no_target"]
    attained = sum(e["status"] in ATTAINED for e in targeted)
    with_data = sum(e["status"] != "insufficient_data" for e in targeted)
    assert (attained, len(targeted), with_data) == (2, 22, 8)
    assert facts["达标率"] == [
        f"达标率（无数据计入分母）{attained / len(targeted) * 100:.1f}%（{attained}/{len(targeted)}）",
        f"达标率（不计无数据）{attained / with_data * 100:.1f}%（{attained}/{with_data}）"]
    labels = [e["status_label"] for e in evaluation]
    flags = ("已达标", "基本达标", "进度正常", "需关注", "进度滞后", "数据不足", "无量化目标")
    counts = {label: n for label, n in sheet.iter_rows(min_col=1, max_col=2, values_only=True)
              if label in flags}
    assert counts == {label: labels.count(label) for label in flags}
    assert sum(counts.values()) == 36


def test_briefing_document_names_the_region_and_lists_the_lagging(briefing_files):
    _, document, stderr, evaluation = briefing_files
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == BRIEFING_TITLE
    assert texts[1].startswith("（2024年度 · ")
    assert "对松屏县（演示）36项监测指标截至2024年" in texts[3] and len(evaluation) == 36
    section = texts[texts.index("四、进度滞后、未达标和需关注指标") + 1:texts.index("五、在同级地区中的位次")]
    headings = [t for t in section if t.startswith("（")]
    lagging = [e for e in evaluation if e["status"] == "off_track"] + \
        [e for e in evaluation if e["status"] == "at_risk"]
    numerals = "一二三四五六七八九十"
    assert headings == [f"（{numerals[i]}）{e['name']}（{e['status_label']}）"
                        for i, e in enumerate(lagging)]
    assert len(lagging) == 6
    for e in lagging:
        assert f"{e['explanation']}牵头单位：" in "".join(section)
    if "注意：" in stderr:   # no Chromium: the document says so, and has no pictures
        assert any(t.startswith("图表未能生成（") for t in section)
        assert len(document.inline_shapes) == 0
    else:
        assert not any("图表未能生成" in t for t in texts)
        assert len(document.inline_shapes) == len(lagging)


def test_evaluate_takes_a_code_in_full_width_digits(db):
    result = metrics_cli("evaluate", "--plan", "women-2021-2030", "--region", "４５０８００",
                         "--year", "2015", db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("贵港市 · women-2021-2030 · 2015年")


@pytest.mark.parametrize("command, written", [
    (["evaluate", "--region", "全国", "--year", "2024"], None),
    (["briefing", "--region", "全国", "--year", "2024", "--out"], "简报"),
    (["template", "--out"], "模板.xlsx"),
])
def test_an_unknown_plan_is_refused_with_the_valid_ids(db, tmp_path, command, written):
    out = [str(tmp_path / written)] if written else []
    result = metrics_cli(*command, *out, "--plan", "nope", db=db)
    assert result.returncode == 1
    assert result.stderr.startswith("错误：找不到纲要「nope」，可选：women-2021-2030、")
    assert "Traceback" not in result.stderr
    assert not written or not (tmp_path / written).exists()


def test_briefing_for_an_unknown_department_names_the_departments_there_are(db, tmp_path):
    result = metrics_cli("briefing", "--plan", "children-2021-2030", "--region", "990124",
                         "--year", "2024", "--out", str(tmp_path / "out"),
                         "--department", "卫健委", db=db)
    assert result.returncode == 1
    assert "「卫健委」" in result.stderr and "卫生健康委" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("years, columns", [
    ("2015", ["2015年"]),
    ("2015-2017", ["2015年", "2016年", "2017年"]),
    ("2015,2018", ["2015年", "2018年"]),
    ("２０１８，2016－2017年", ["2016年", "2017年", "2018年"]),
])
def test_a_template_takes_a_year_a_range_or_a_list(db, tmp_path, capsys, years, columns):
    out = tmp_path / "模板.csv"
    code = cli.main(["template", "--plan", "women-2021-2030", "--years", years,
                     "--out", str(out), "--db", str(db)])
    assert code == 0, capsys.readouterr().err
    header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [c for c in header if c.endswith("年")] == columns


@pytest.mark.parametrize("years, message", [
    ("2020-2015", "错误：年份范围「2020-2015」起止颠倒。"),
    ("garbage", "错误：年份「garbage」无法识别。"),
    ("2015-", "错误：年份「2015-」无法识别。"),
    ("1900-1910", "错误：年份「1900-1910」超出可填报的范围。"),
])
def test_a_template_year_spec_that_cannot_be_used_is_refused_in_chinese(db, tmp_path, capsys,
                                                                        years, message):
    out = tmp_path / "模板.xlsx"
    code = cli.main(["template", "--plan", "women-2021-2030", "--years", years,
                     "--out", str(out), "--db", str(db)])
    assert code == 1
    assert capsys.readouterr().err.startswith(message)
    assert not out.exists()


def test_a_refusal_prints_its_hint_beneath_the_message(db, tmp_path, capsys):
    template = cli.main(["template", "--plan", "women-2021-2030", "--years", "2020-2015",
                         "--out", str(tmp_path / "模板.xlsx"), "--db", str(db)])
    assert template == 1
    assert capsys.readouterr().err.splitlines() == ["错误：年份范围「2020-2015」起止颠倒。",
                                                    "提示：请先写起始年份，如 2015-2020。"]
    reset = cli.main(["user", "reset-password", "无此人", "--db", str(db)])
    assert reset == 1
    assert capsys.readouterr().err.splitlines() == ["错误：没有用户「无此人」。",
                                                    "提示：用 python -m metrics user list 查看用户。"]


# --- the methods' numbers against a hand computation -------------------------------------------

def evaluated(db, plan: str, region: str, year: int, method: str) -> dict[str, dict]:
    """`evaluate --format json` rows by indicator code."""
    result = metrics_cli("evaluate", "--plan", plan, "--region", region, "--year", str(year),
                         "--method", method, "--format", "json", db=db)
    assert result.returncode == 0, result.stderr
    return {r["indicator_code"]: r for r in json.loads(result.stdout)}


def flag_of_ratio(ratio: float) -> str:
    """The flag of a target not yet met, by settings.yaml's cut-points (0.95, 0.6)."""
    return "on_track" if ratio >= 0.95 else "at_risk" if ratio >= 0.6 else "off_track"


# (outline, region, indicator, b, x_b, t, x_t, goal, T): the values are those of
# data/observations (national.csv, demo/) and the outlines' targets.
CAGR_CASES = [
    ("women-2021-2030", "全国", "maternal_mortality_ratio", 2020, 16.9, 2024, 14.3, 12.0, 2030),
    ("children-2021-2030", "全国", "paediatric_beds_per_1000_children",
     2021, 2.2, 2023, 2.7, 3.17, 2030),                      # baseline year 2021 stands in
    ("children-2021-2030", "松屏县", "infant_mortality_rate", 2020, 8.4, 2022, 8.2, 5.0, 2030),
]


@pytest.mark.parametrize("plan, region, code, b, x_b, t, x_t, goal, T", CAGR_CASES)
def test_evaluate_cagr_matches_a_hand_computation(db, plan, region, code, b, x_b, t, x_t,
                                                  goal, T):
    row = evaluated(db, plan, region, 2024, "cagr")[code]
    assert (row["baseline_year"], row["baseline_value"], row["latest_year"],
            row["latest_value"], row["target_value"], row["target_year"]) == \
        (b, x_b, t, x_t, goal, T)
    actual = (x_t / x_b) ** (1 / (t - b)) - 1
    required = (goal / x_b) ** (1 / (T - b)) - 1
    ratio = actual / required
    assert row["progress_ratio"] == pytest.approx(ratio, abs=5e-5)
    assert row["status"] == flag_of_ratio(ratio)
    assert (f"年均变化率{actual * 100:.2f}%，按期实现目标需{required * 100:.2f}%，"
            f"二者之比{ratio * 100:.0f}%，{row['status_label']}。") in row["explanation"]


def test_evaluate_cagr_numbers_by_hand_for_the_national_mmr(db):
    """The same, written out once: 16.9 → 14.3 over 4 years against 16.9 → 12 over 10."""
    row = evaluated(db, "women-2021-2030", "全国", 2024, "cagr")["maternal_mortality_ratio"]
    # (14.3/16.9)^(1/4) − 1 = −4.09 %; (12/16.9)^(1/10) − 1 = −3.37 %; ratio 1.2152.
    assert row["progress_ratio"] == 1.2152
    assert (row["status"], row["status_label"]) == ("on_track", "进度正常")
    assert "年均变化率-4.09%，按期实现目标需-3.37%，二者之比122%，进度正常。" in row["explanation"]


@pytest.mark.parametrize("code, b, x_b, t, x_t, goal", [
    ("under5_mortality_rate", 2020, 7.5, 2024, 5.6, 6.0),
    ("infant_mortality_rate", 2020, 5.4, 2024, 4.0, 5.0),
])
def test_evaluate_cagr_ratio_of_met_targets(db, code, b, x_b, t, x_t, goal):
    """A met target is 已达标 whatever the ratio; the ratio column still holds the CAGR ratio."""
    row = evaluated(db, "children-2021-2030", "全国", 2024, "cagr")[code]
    ratio = ((x_t / x_b) ** (1 / (t - b)) - 1) / ((goal / x_b) ** (1 / (2030 - b)) - 1)
    assert row["progress_ratio"] == pytest.approx(ratio, abs=5e-5)
    assert row["status"] == "achieved" and "已达标" in row["explanation"]


def least_squares_at(years: list[int], values: list[float], at: int) -> tuple[float, float]:
    """Slope of the least-squares line through the points, and its value at `at`."""
    mean_x, mean_y = sum(years) / len(years), sum(values) / len(values)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(years, values)) / \
        sum((x - mean_x) ** 2 for x in years)
    return slope, mean_y + slope * (at - mean_x)


@pytest.mark.parametrize("plan, code, values, goal, status", [
    ("women-2021-2030", "maternal_mortality_ratio", [16.9, 16.1, 15.7, 15.1, 14.3], 12.0,
     "on_track"),
    ("children-2021-2030", "under5_mortality_rate", [7.5, 7.1, 6.8, 6.2, 5.6], 6.0, "achieved"),
])
def test_evaluate_projection_matches_a_hand_computation(db, plan, code, values, goal, status):
    """National values 2020–2024 (the last 5 points) projected to 2030."""
    row = evaluated(db, plan, "全国", 2024, "projection")[code]
    slope, projected = least_squares_at(list(range(2020, 2025)), values, 2030)
    ratio = (projected - values[0]) / (goal - values[0])
    assert row["progress_ratio"] == pytest.approx(ratio, abs=5e-5)
    assert row["status"] == status
    if status == "on_track":
        assert (f"按最近5年趋势（每年{slope:.3f}）外推，2030年预计为{projected:.2f}，"
                f"可完成所需变化的{ratio * 100:.0f}%，进度正常。") in row["explanation"]


def test_evaluate_projection_with_two_points_is_short_of_data(db):
    row = evaluated(db, "children-2021-2030", "全国", 2024,
                    "projection")["paediatric_beds_per_1000_children"]
    assert row["progress_ratio"] is None
    assert (row["status"], row["status_label"]) == ("insufficient_data", "数据不足")
    assert "近年数据点不足，无法做趋势外推，数据不足。" in row["explanation"]


def test_briefing_without_a_browser_says_so_in_the_document(db, tmp_path):
    """No Chromium on the PATH (kaleido looks at BROWSER_PATH first): the files are still
    written, stderr warns, and section 三 says the charts are missing but keeps every text."""
    env = {**os.environ, "PATH": str(Path(sys.executable).parent),
           "BROWSER_PATH": str(tmp_path / "no-such-browser")}
    out = tmp_path / "out"
    result = metrics_cli("briefing", "--plan", "children-2021-2030", "--region", "990124",
                         "--year", "2024", "--out", str(out), db=db, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "注意：未找到Chrome/Chromium浏览器"
    document = docx.Document(next(out.glob("*.docx")))
    texts = [p.text for p in document.paragraphs]
    section = texts[texts.index("四、进度滞后、未达标和需关注指标") + 1:texts.index("五、在同级地区中的位次")]
    assert section[0] == "图表未能生成（未找到Chrome/Chromium浏览器），缺图的指标仅列文字说明。"
    assert len([t for t in section if t.startswith("（")]) == 6
    assert len(document.inline_shapes) == 0


def test_evaluate_cagr_with_no_time_elapsed_is_short_of_data(db):
    """全国 女性村委会成员比例: only 2020's 24.2 by 2021. The linear method says 数据不足
    (最新数据年份未晚于基线年份); CAGR must say the same, not 进度滞后 with a ratio of 0."""
    linear = evaluated(db, "women-2021-2030", "全国", 2021, "linear")
    assert linear["female_share_village_committee"]["status"] == "insufficient_data"
    row = evaluated(db, "women-2021-2030", "全国", 2021, "cagr")["female_share_village_committee"]
    assert (row["status"], row["progress_ratio"]) == ("insufficient_data", None)


def test_import_of_a_header_only_file_says_nothing_to_import(db, tmp_path):
    empty = tmp_path / "空表.csv"
    empty.write_text("指标,地区,年份,数值\n", encoding="utf-8")
    result = metrics_cli("import", str(empty), db=db)
    assert result.returncode == 0, result.stderr
    assert "无需导入" in result.stdout
    listed = metrics_cli("batches", db=db)
    assert "空表.csv" not in listed.stdout
    as_json = json.loads(metrics_cli("import", str(empty), "--format", "json", db=db).stdout)
    assert (as_json["batch_id"], as_json["nothing_to_import"]) == (None, True)


def test_a_region_suffix_contradicting_its_level_is_refused_on_the_command_line(db):
    result = metrics_cli("evaluate", "--plan", "women-2021-2030", "--region", "贵港县",
                         "--year", "2015", db=db)
    assert result.returncode == 1
    assert "是否为：贵港市？" in result.stderr


# --- people: user and audit commands, --as ------------------------------------------------------

def added_password(result) -> str:
    """The password `user add` / `user reset-password` prints once."""
    line = [ln for ln in result.stdout.splitlines() if "密码：" in ln][0]
    return line.split("：", 1)[1].split("（")[0]


def test_users_are_added_listed_reset_and_disabled(db):
    added = metrics_cli("user", "add", "港北填报", "--role", "数据填报员", "--region", "港北区",
                        db=db)
    assert added.returncode == 0, added.stderr
    first = added_password(added)
    listed = json.loads(metrics_cli("user", "list", "--format", "json", db=db).stdout)
    row = {u["name"]: u for u in listed}["港北填报"]
    assert (row["role"], row["region_code"], row["disabled"]) == ("analyst", "450802", False)
    assert "password_hash" not in row
    reset = metrics_cli("user", "reset-password", "港北填报", db=db)
    assert reset.returncode == 0 and added_password(reset) != first
    assert metrics_cli("user", "disable", "港北填报", db=db).returncode == 0
    log = json.loads(metrics_cli("audit", "--user", "本地管理员", "--format", "json", db=db).stdout)
    assert [e["action"] for e in log if e["object"] == "港北填报"] == [
        "user_disabled", "password_reset", "user_added"]
    assert first not in str(log) and added_password(reset) not in str(log)
    shown = metrics_cli("audit", "--action", "user_added", "--format", "csv", db=db).stdout
    assert "角色：数据填报员；地区：450802；查看范围：—；已停用：否" in shown  # in words


def test_a_password_given_on_stdin_is_checked(db):
    weak = subprocess.run([sys.executable, "-m", "metrics", "user", "add", "王市", "--role",
                           "viewer", "--region", "贵港市", "--password-stdin", "--db", str(db)],
                          cwd=BASE_DIR, capture_output=True, text=True, input="123\n")
    assert weak.returncode == 1 and "密码太短" in weak.stderr


def test_an_import_as_a_county_analyst_refuses_other_counties_and_writes_nothing(db, tmp_path):
    assert metrics_cli("user", "add", "港北填报", "--role", "analyst", "--region", "450802",
                       db=db).returncode == 0
    data = tmp_path / "县报.csv"
    data.write_text("指标代码,地区代码,年份,数值\nmaternal_mortality_ratio,450802,2023,20.1\n"
                    "maternal_mortality_ratio,450803,2023,30.2\n", encoding="utf-8")
    refused = metrics_cli("import", str(data), "--as", "港北填报", "--format", "json", db=db)
    assert refused.returncode == 1
    assert [(e["row"], e["code"]) for e in json.loads(refused.stdout)["errors"]] == [
        (3, "out-of-scope")]
    batches = metrics_cli("batches", db=db).stdout
    assert "upload" not in batches
    [entry] = json.loads(metrics_cli("audit", "--action", "upload_refused", "--format", "json",
                                     db=db).stdout)
    assert entry["user_name"] == "港北填报" and entry["address"] == "命令行"


def test_an_analyst_cannot_undo_anothers_batch_from_the_command_line(db, tmp_path):
    for name in ("港北填报", "港北填报二"):
        metrics_cli("user", "add", name, "--role", "analyst", "--region", "450802", db=db)
    data = tmp_path / "县报.csv"
    data.write_text("指标代码,地区代码,年份,数值\nmaternal_mortality_ratio,450802,2023,20.1\n",
                    encoding="utf-8")
    imported = metrics_cli("import", str(data), "--as", "港北填报", "--format", "json", db=db)
    batch = json.loads(imported.stdout)["batch_id"]
    other = metrics_cli("undo", str(batch), "--as", "港北填报二", db=db)
    assert other.returncode == 1 and f"批次 {batch} 不存在" in other.stderr
    own = metrics_cli("undo", str(batch), "--as", "港北填报", db=db)
    assert own.returncode == 0, own.stderr


def test_an_unknown_acting_user_is_refused(db, tmp_path):
    result = metrics_cli("undo", "1", "--as", "没有此人", db=db)
    assert result.returncode == 1 and "没有用户「没有此人」" in result.stderr
