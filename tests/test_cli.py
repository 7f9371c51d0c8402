"""`python -m metrics …` as a person runs it: exit codes, output formats, Chinese messages."""
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
