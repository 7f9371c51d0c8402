"""`python -m metrics extract REPORT` and `import EXTRACTION.json` as a person runs them (issue
15): the candidates printed and nothing written; the JSON edited, imported as a county analyst,
evaluated and undone; hostile or broken documents refused with a problem code, never a crash."""
import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from metrics import cli, config
from metrics.config import BASE_DIR
from metrics.uploads import narrative_json, narrative_text

REPORT = Path(__file__).parent / "data" / "reports" / "county_2015.txt"
PINGNAN = "450821"
LIMITS = config.settings().upload


def metrics_cli(*args, db):
    return subprocess.run([sys.executable, "-m", "metrics", *args, "--db", str(db)],
                          cwd=BASE_DIR, capture_output=True, text=True, timeout=120)


def evaluated(db, code: str, plan: str = "women-2011-2020") -> dict:
    result = metrics_cli("evaluate", "--plan", plan, "--region", "平南县",
                         "--year", "2015", "--format", "json", db=db)
    assert result.returncode == 0, result.stderr
    return {r["indicator_code"]: r for r in json.loads(result.stdout)}[code]


def test_extract_prints_the_candidates_and_writes_nothing(db):
    before = metrics_cli("batches", db=db).stdout
    table = metrics_cli("extract", str(REPORT), db=db)
    assert table.returncode == 0, table.stderr
    assert "指标数值 13 个，其他数字 6 个（均未写入）" in table.stdout
    assert "11.2/10万" in table.stdout and "11.21/10万" not in table.stdout
    assert "全县共举办妇女技能培训班  32期" in table.stdout
    printed = metrics_cli("extract", str(REPORT), "--region", "平南县", "--year", "2015",
                          "--format", "json", db=db)
    document = json.loads(printed.stdout)
    assert document["report"] == {"file": "county_2015.txt", "year": 2015,
                                  "region_code": PINGNAN}
    first = document["candidates"][0]
    assert first == {"indicator_code": "hospital_delivery_rate", "indicator_name": "孕产妇住院分娩率",
                     "value": 99.98, "unit": "%", "year": 2015, "region_code": PINGNAN,
                     "derived": False, "confidence": 0.95,
                     "sentence": "2015年，全县孕产妇住院分娩率为99.98%，孕产妇死亡率为11.2/10万，"
                                 "婴儿死亡率控制在4.64‰。"}
    derived = [c for c in document["candidates"] if c["derived"]]
    assert [(c["indicator_code"], c["value"], c["year"]) for c in derived] == [
        ("preschool_gross_enrolment_rate", 90.1, 2014)]
    assert document["unmatched"][1] == {
        "text": "全县共举办妇女技能培训班", "value": 32.0, "unit": "期",
        "sentence": "今年以来，全县共举办妇女技能培训班32期，培训妇女1,234人次，新建妇女之家15个，"
                    "发放创业担保贷款2,350万元。"}
    assert metrics_cli("batches", db=db).stdout == before


def test_an_unreadable_report_is_refused_in_chinese(db, tmp_path):
    scan = tmp_path / "扫描件.doc"
    scan.write_bytes(b"\xd0\xcf\x11\xe0")
    result = metrics_cli("extract", str(scan), db=db)
    assert result.returncode == 1 and "不支持的文件类型「.doc」" in result.stderr
    missing = metrics_cli("extract", str(tmp_path / "没有.txt"), db=db)
    assert missing.returncode == 1 and "无法读取文件" in missing.stderr


def test_a_text_file_longer_than_the_paste_box_is_refused(db, tmp_path, capsys):
    long = tmp_path / "年度总结.txt"
    long.write_text("住" * (narrative_text.MAX_REPORT_CHARS + 1), encoding="gbk")
    assert cli.main(["extract", str(long), "--db", str(db)]) == 1
    assert capsys.readouterr().err.startswith("错误：报告超过 200,000 字（与页面粘贴文字的上限相同）")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "utf-32"])
def test_a_text_file_as_long_as_the_paste_box_is_read(tmp_path, encoding):
    """At the bound in the widest encodings (UTF-32 with its byte order mark: four bytes a
    character after four), nothing is refused."""
    full = tmp_path / "总结.txt"
    full.write_text("住" * narrative_text.MAX_REPORT_CHARS, encoding=encoding)
    assert len(narrative_text.report_file_text(full, LIMITS)) == narrative_text.MAX_REPORT_CHARS


def test_a_huge_text_file_is_refused_without_being_read_whole(tmp_path):
    huge = tmp_path / "汇编.txt"
    huge.write_bytes("孕产妇住院分娩率为99.98%。\n".encode("gbk") * 1_500_000)   # 40 MB
    tracemalloc.start()
    try:
        with pytest.raises(narrative_text.UnreadableReport, match="报告超过 200,000 字"):
            narrative_text.report_file_text(huge, LIMITS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * narrative_text.TEXT_FILE_BYTES


def test_extract_then_import_the_json_then_evaluate_and_undo(db, tmp_path):
    assert metrics_cli("user", "add", "平南填报", "--role", "analyst", "--region", PINGNAN,
                       db=db).returncode == 0
    printed = metrics_cli("extract", str(REPORT), "--format", "json", db=db)
    document = json.loads(printed.stdout)
    # The person drops the figure she doubts and corrects one value.
    document["candidates"] = [c for c in document["candidates"]
                              if c["indicator_code"] != "nine_year_retention_rate"]
    document["candidates"][2]["value"] = 4.46
    extraction = tmp_path / "平南县2015年工作总结.json"
    extraction.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    checked = metrics_cli("import", str(extraction), "--as", "平南填报", "--dry-run", db=db)
    assert checked.returncode == 0, checked.stdout
    assert "新增 12，修改 0" in checked.stdout and "预检通过（未写入）" in checked.stdout
    assert evaluated(db, "maternal_mortality_ratio")["latest_value"] != 11.2
    imported = metrics_cli("import", str(extraction), "--as", "平南填报", "--format", "json",
                           db=db)
    assert imported.returncode == 0, imported.stdout
    batch = json.loads(imported.stdout)["batch_id"]
    mmr = evaluated(db, "maternal_mortality_ratio")
    assert (mmr["latest_year"], mmr["latest_value"]) == (2015, 11.2)
    assert evaluated(db, "infant_mortality_rate", "children-2011-2020")["latest_value"] == 4.46
    listed = metrics_cli("batches", db=db).stdout
    assert "平南县2015年工作总结.json" in listed and "平南填报" in listed
    again = metrics_cli("import", str(extraction), "--as", "平南填报", db=db)
    assert again.returncode == 0 and f"已于批次 {batch} 导入" in again.stdout
    assert metrics_cli("undo", str(batch), "--as", "平南填报", db=db).returncode == 0
    assert evaluated(db, "maternal_mortality_ratio")["latest_value"] != 11.2


def test_a_candidate_outside_the_persons_scope_is_refused_and_nothing_written(db, tmp_path):
    assert metrics_cli("user", "add", "平南填报", "--role", "analyst", "--region", PINGNAN,
                       db=db).returncode == 0
    extraction = tmp_path / "提取.json"
    extraction.write_text(json.dumps({"candidates": [
        {"indicator_code": "hospital_delivery_rate", "value": 99.5, "unit": "%", "year": 2015,
         "region_code": PINGNAN},
        {"indicator_code": "hospital_delivery_rate", "value": 99.1, "unit": "%", "year": 2015,
         "region_code": "450881"},
        {"indicator_code": "infant_mortality_rate", "value": 4.2, "unit": "‰", "year": 2015}]}),
        encoding="utf-8")
    refused = metrics_cli("import", str(extraction), "--as", "平南填报", "--format", "json",
                          db=db)
    assert refused.returncode == 1
    assert [(e["row"], e["column"], e["code"]) for e in json.loads(refused.stdout)["errors"]] \
        == [(2, "地区代码", "out-of-scope"), (3, "region_code", "bad-candidate")]
    assert "upload" not in metrics_cli("batches", db=db).stdout
    with_region = metrics_cli("import", str(extraction), "--as", "平南填报", "--region", "平南县",
                              "--format", "json", db=db)
    assert [(e["row"], e["code"]) for e in json.loads(with_region.stdout)["errors"]] == [
        (2, "out-of-scope")]


CANDIDATE = {"indicator_code": "hospital_delivery_rate", "value": 99.5, "unit": "%",
             "year": 2015, "region_code": PINGNAN}


@pytest.mark.parametrize("raw, detail", [
    (b"\xff\xfe\x00n\x00o", "不是 UTF-8"),
    (b"{\"candidates\": [", "第 1 行第 17 列"),
    (b"[1, 2]", "没有“candidates”列表"),
    (b"{\"candidates\": {\"a\": 1}}", "没有“candidates”列表"),
    (b"{\"candidates\": [{\"value\": NaN}]}", "不允许的数「NaN」"),
    (b"{\"candidates\": [{\"value\": -Infinity}]}", "不允许的数「-Infinity」"),
    (b"[" * 200_000 + b"]" * 200_000, "嵌套层次过深"),
    (b"{\"candidates\": [{\"value\": 1" + b"0" * 5000 + b"}]}", "位数过多"),
    (b" " * ((LIMITS.max_inflated_mb << 20) + 1), "超过上限"),
])
def test_a_broken_or_hostile_document_is_one_problem(raw, detail, real_catalogue):
    upload = narrative_json.document_upload(raw, "x.json", real_catalogue, scope=None,
                                            limits=LIMITS)
    assert not upload.valid and len(upload.rows) == 0
    [problem] = upload.problems
    assert problem.code == "not-extraction-file" and detail in problem.message
    assert "extract" in problem.hint


def test_too_many_candidates_are_refused_before_any_is_read(real_catalogue):
    most = LIMITS.max_cells_per_sheet // narrative_json.CELLS_PER_CANDIDATE
    raw = json.dumps({"candidates": [CANDIDATE] * (most + 1)}).encode()
    [problem] = narrative_json.document_upload(raw, "x.json", real_catalogue, scope=None,
                                               limits=LIMITS).problems
    assert problem.code == "not-extraction-file" and f"{most + 1:,} 个候选数值" in problem.message


def test_each_bad_field_is_a_problem_at_its_candidates_number(real_catalogue):
    raw = json.dumps({"candidates": [
        CANDIDATE,
        "99.5%",
        {**CANDIDATE, "value": "99.5", "derived": "yes"},
        {**CANDIDATE, "value": True},
        {**CANDIDATE, "value": "HUGE", "year": 2015.5},
        {**CANDIDATE, "indicator_code": None},
        {**CANDIDATE, "sentence": "很长" * LIMITS.max_cell_chars},
        {**CANDIDATE, "indicator_code": "=HYPERLINK(\"http://x\")", "year": 2016},
        {**CANDIDATE, "value": 1200.0, "year": 2017},
    ]}, ensure_ascii=False).replace('"HUGE"', "1e400").encode()  # json reads it as inf
    upload = narrative_json.document_upload(raw, "x.json", real_catalogue, scope=None,
                                            limits=LIMITS)
    assert [(p.row, p.column, p.code) for p in upload.errors] == [
        (2, "", "bad-candidate"), (3, "value", "bad-candidate"),
        (3, "derived", "bad-candidate"), (4, "value", "bad-candidate"),
        (5, "value", "bad-candidate"), (5, "year", "bad-candidate"),
        (6, "indicator_code", "bad-candidate"), (7, "sentence", "bad-candidate"),
        (8, "指标代码", "unknown-indicator"), (9, "数值", "out-of-range")]
    assert upload.errors[1].message == "第3个候选数值的「value」应为数字。"
    assert list(upload.rows["row"]) == [1]


def test_a_derived_candidate_keeps_how_it_was_worked_out(real_catalogue):
    raw = json.dumps({"candidates": [{**CANDIDATE, "derived": True,
                                      "sentence": "住院分娩率达到99.9%，比上年提高0.4个百分点。"}]},
                     ensure_ascii=False).encode()
    upload = narrative_json.document_upload(raw, "提取.json", real_catalogue, scope=None,
                                            limits=LIMITS)
    assert upload.valid, upload.problems
    assert upload.rows.iloc[0]["note"] == ("推算值：由原句所写的变化推算（见提取结果文件）。"
                                           "原文：住院分娩率达到99.9%，比上年提高0.4个百分点。")
    assert upload.raw == raw and upload.file_name == "提取.json"
