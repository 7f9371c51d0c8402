"""`python -m metrics …` as a person runs it: exit codes, output formats, Chinese messages."""
import csv
import io
import json
import subprocess
import sys

import pytest

from metrics.config import BASE_DIR


def metrics_cli(*args, db=None):
    command = [sys.executable, "-m", "metrics", *args] + (["--db", str(db)] if db else [])
    return subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True, timeout=120)


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
