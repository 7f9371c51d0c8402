"""Reading uploads as analysts send them: every file in tests/data/uploads/ gives the report
written for it in expected.yaml (layout, valid rows, skipped missing cells, and every problem by
Excel row, column heading and code); then targeted checks of converted values, names, missing
marks, templates and encodings."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from people import person

from metrics import catalogue, config
from metrics.catalogue import valid_ranges
from metrics.errors import MetricsError
from metrics.store import open_store
from metrics.uploads import ingest, templates
from metrics.uploads import report as upload_report

UPLOADS = Path(__file__).parent / "data" / "uploads"
EXPECTED = yaml.safe_load((UPLOADS / "expected.yaml").read_text(encoding="utf-8"))
FILES = sorted(p.name for p in UPLOADS.iterdir() if p.name != "expected.yaml")


def read(name: str, cat, **options) -> ingest.Upload:
    """A file of the folder, read and checked (with default options, once per session: the
    tests only look at the result)."""
    if options:
        return ingest.read_upload((UPLOADS / name).read_bytes(), name, cat, **options, limits=config.settings().upload)
    if name not in READ:
        READ[name] = ingest.read_upload((UPLOADS / name).read_bytes(), name, cat, limits=config.settings().upload)
    return READ[name]


READ: dict[str, ingest.Upload] = {}


def values_by_key(upload: ingest.Upload) -> dict[tuple[str, str, int], float]:
    """(indicator, region, year) → value of the valid rows."""
    rows = upload.rows
    return {(i, r, int(y)): v for i, r, y, v in
            zip(rows["indicator_code"], rows["region_code"], rows["year"], rows["value"])}


# --- every file against its expected report ---------------------------------------------------

def test_every_file_has_an_expected_report():
    assert sorted(EXPECTED) == FILES


@pytest.mark.parametrize("name", FILES)
def test_file_report(name, real_catalogue):
    upload = read(name, real_catalogue)
    expected = EXPECTED[name]
    report = {"layout": upload.layout_kind, "valid_rows": len(upload.rows),
              "skipped_missing": upload.skipped_missing,
              "problems": [[p.row, p.column, p.code] for p in upload.problems]}
    assert report == expected
    assert upload.valid == (not expected["problems"])


# --- values ---------------------------------------------------------------------------------

def test_units_are_converted_to_the_indicator_unit(real_catalogue):
    values = values_by_key(read("values_with_units.csv", real_catalogue))
    assert values == pytest.approx({
        ("hospital_delivery_rate", "450802", 2024): 99.5,            # 99.5%
        ("hospital_delivery_rate", "450803", 2024): 99.6,            # ９９．６
        ("hospital_delivery_rate", "450804", 2024): 99.4,            # " 99.4 ％"
        ("infant_mortality_rate", "450802", 2024): 5.0,              # 0.5% of a ‰ indicator
        ("infant_mortality_rate", "450803", 2024): 4.6,              # 4.6‰
        ("maternal_mortality_ratio", "450800", 2024): 9.4,           # 9.4/10万
        ("maternal_mortality_ratio", "450821", 2024): 12.1,          # 12.1/100000
        ("birth_defect_incidence", "450800", 2024): 98.5,            # 98.5‱ = 1/万
        ("urban_unit_female_employees", "450800", 2024): 64120.0,    # "64,120"
        ("female_life_expectancy", "450800", 2024): 80.2,            # 80.2岁
        ("civic_science_literacy_gender_gap", "000000", 2023): 1.2,  # 1.2个百分点
        ("women_medical_insured", "000000", 2023): 6.5,              # 6.5亿 (亿人)
    })


def test_a_unit_column_converts_bare_numbers(real_catalogue):
    values = values_by_key(read("unit_column.csv", real_catalogue))
    assert values == pytest.approx({
        ("infant_mortality_rate", "450802", 2024): 3.2,       # 0.32 with 单位 %
        ("maternal_mortality_ratio", "450802", 2024): 11.0,   # 0.011 with 单位 %
        ("maternal_mortality_ratio", "450803", 2024): 10.5,
        ("hospital_delivery_rate", "450803", 2024): 99.7,
    })


def test_percent_formatted_excel_cells_read_as_shown(real_catalogue):
    """Excel stores a cell shown as 99.71% as 0.9971."""
    upload = read("title_merged_header.xlsx", real_catalogue)
    delivery = upload.rows[upload.rows["indicator_code"] == "hospital_delivery_rate"]
    assert dict(zip(delivery["year"], delivery["value"])) == pytest.approx(
        {2020: 99.71, 2021: 99.78, 2022: 99.82, 2023: 99.86})


def test_merged_header_rows_and_columns(real_catalogue):
    upload = read("title_merged_header.xlsx", real_catalogue)
    under5 = upload.rows[upload.rows["indicator_code"] == "under5_mortality_rate"]
    assert list(under5["row"]) == [7] * 5
    assert list(under5["value_column"]) == ["2020", "2021", "2022", "2023", "2024"]
    assert under5["value"].tolist() == pytest.approx([6.9, 6.1, 5.8, 5.5, 5.2])  # ５．２
    assert set(upload.rows["note"].dropna()) == {"百分比格式", "2024年为快报数"}


def test_missing_marks_never_become_zero(real_catalogue):
    upload = read("missing_marks.csv", real_catalogue)
    assert values_by_key(upload) == {("neonatal_tetanus_incidence", "450802", 2020): 0.0,
                                     ("neonatal_tetanus_incidence", "450803", 2024): 0.0}
    assert list(upload.rows["row"]) == [2, 11]
    wide = read("wide_years_gbk.csv", real_catalogue)
    gangbei = wide.rows[(wide.rows["region_code"] == "450802")
                        & (wide.rows["indicator_code"] == "maternal_systematic_management_rate")]
    assert list(gangbei["year"]) == [2020, 2021, 2023, 2024]   # 2022 was —


def test_thousands_separators_in_a_tab_file(real_catalogue):
    values = values_by_key(read("unicode_text_tab.txt", real_catalogue))
    assert values[("urban_unit_female_employees", "000000", 2020)] == 66012300
    assert values[("urban_unit_female_employees", "450000", 2024)] == 1479600
    assert values[("children_homes_count", "000000", 2023)] == 326918


def test_source_and_note_are_kept(real_catalogue):
    upload = read("utf8_bom_codes.csv", real_catalogue)
    assert upload.rows["source"].tolist() == ["妇幼卫生年报"] * 4
    assert upload.rows["note"].isna().tolist() == [True, False, True, True]
    assert upload.rows.loc[1, "note"] == "快报数"


# --- names ------------------------------------------------------------------------------------

def test_names_aliases_and_codes_resolve(real_catalogue):
    upload = read("names_and_aliases.csv", real_catalogue)
    assert list(zip(upload.rows["indicator_code"], upload.rows["region_code"])) == [
        ("hospital_delivery_rate", "450800"),          # 住院分娩率, 贵港
        ("premarital_medical_exam_rate", "450802"),    # 婚检率, 港北
        ("maternal_mortality_ratio", "450803"),        # 孕产妇死亡率（1/10万）, 450803
        ("under5_mortality_rate", "450804"),           # 5岁以下儿童死亡率(‰), 覃塘
        ("maternal_mortality_ratio", "450821"),        # 孕产妇死亡比, 平南县
        ("neonatal_mortality_rate", "450881"),         # 新生儿死亡率, 桂平
    ]


def test_ambiguous_region_names_its_candidates(real_catalogue):
    [found] = read("chaoyang_ambiguous.csv", real_catalogue).problems
    assert "北京市/朝阳区（110105）" in found.message
    assert "吉林省/长春市/朝阳区（220104）" in found.message
    assert "上级地区" in found.hint


def test_parent_column_tells_namesakes_apart(real_catalogue):
    upload = read("chaoyang_with_parent.csv", real_catalogue)
    assert list(upload.rows["region_code"]) == ["110105", "220104", "220104"]


def test_typo_in_indicator_suggests_the_catalogue_name(real_catalogue):
    first, second = read("unknown_indicator.csv", real_catalogue).problems
    assert "孕产妇住院分晚率" in first.message
    assert first.hint.startswith("是否为：「孕产妇住院分娩率」")
    assert second.hint.startswith("是否为：「新生儿死亡率」")


def test_problems_of_one_row_are_all_reported(real_catalogue):
    upload = read("all_errors_at_once.xlsx", real_catalogue)
    row13 = [p for p in upload.problems if p.row == 13]
    assert "新生儿死忙率" in row13[0].message and "朝阳区" in row13[1].message
    assert list(upload.rows["row"]) == [4]
    duplicate = next(p for p in upload.problems if p.code == "duplicate-key")
    assert "第4行" in duplicate.message


def test_default_region_for_a_sheet_without_region_column(real_catalogue):
    upload = read("no_region_column.csv", real_catalogue, default_region="450800")
    assert upload.valid
    assert set(upload.rows["region_code"]) == {"450800"}
    assert len(upload.rows) == 2


def test_scope_limits_the_regions_one_may_write(real_catalogue):
    upload = read("gbk_excel_export.csv", real_catalogue, scope={"450802", "450803"})
    assert [(p.row, p.column, p.code) for p in upload.problems] == [
        (2, "地区", "out-of-scope"), (5, "地区", "out-of-scope"), (6, "地区", "out-of-scope"),
        (7, "地区", "out-of-scope")]
    assert list(upload.rows["region_code"]) == ["450802", "450803"]


# --- sheets and encodings -----------------------------------------------------------------------

def test_second_sheet_by_name(real_catalogue):
    upload = read("title_merged_header.xlsx", real_catalogue, sheet="县区数据")
    assert (upload.sheet, upload.sheet_names) == ("县区数据", ["监测数据", "县区数据"])
    assert (upload.layout_kind, len(upload.rows), upload.skipped_missing) == ("long", 2, 1)
    assert list(upload.rows["row"]) == [2, 3]


def test_unknown_sheet_is_reported(real_catalogue):
    upload = read("title_merged_header.xlsx", real_catalogue, sheet="Sheet9")
    assert [p.code for p in upload.problems] == ["unreadable-file"]
    assert "监测数据" in upload.problems[0].message


def test_gb18030_characters_outside_gbk_decode(real_catalogue):
    raw = (UPLOADS / "gb18030_rare_char.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gbk")
    upload = read("gb18030_rare_char.csv", real_catalogue)
    assert upload.rows.loc[0, "note"] == "填报人：刘䶮"


def test_gbk_file_decodes_names(real_catalogue):
    upload = read("gbk_excel_export.csv", real_catalogue)
    assert upload.rows["source"].unique().tolist() == ["贵港市卫生健康委"]
    assert list(upload.rows["row"]) == [2, 3, 4, 5, 6, 7]


# --- templates ----------------------------------------------------------------------------------

def filled_template(cat, outline: str) -> tuple[pd.DataFrame, dict]:
    """The outline's template for 贵港市, 2021–2023, every indicator filled with a value inside
    its valid range except 2022 of every third indicator, left as —."""
    frame = templates.template_frame(cat, outline, [2021, 2022, 2023], "450800")
    frame = frame.astype({f"{year}年": object for year in (2021, 2022, 2023)})  # numbers in cells
    bounds = valid_ranges(cat.indicators, cat.units).set_index("code")
    expected = {}
    for i, code in enumerate(frame["指标代码"]):
        low = max(bounds.at[code, "low"], 0.0)
        for j, year in enumerate((2021, 2022, 2023)):
            if year == 2022 and i % 3 == 0:
                frame.loc[i, f"{year}年"] = "—"
                continue
            value = round(low + 1.25 + 0.5 * j + 0.01 * i, 2)
            frame.loc[i, f"{year}年"] = value
            expected[(code, "450800", year)] = value
    return frame, expected


@pytest.mark.parametrize("outline", ["children-2021-2030", "women-2021-2030"])
@pytest.mark.parametrize("form", ["xlsx", "csv", "csv-gbk"])
def test_filled_template_reads_back_unchanged(real_catalogue, outline, form):
    frame, expected = filled_template(real_catalogue, outline)
    name, raw = {
        "xlsx": ("模板.xlsx", lambda: templates.xlsx_bytes(frame)),
        "csv": ("模板.csv", lambda: templates.csv_bytes(frame)),
        "csv-gbk": ("模板.csv",
                    lambda: templates.csv_bytes(frame).decode("utf-8-sig").encode("gbk")),
    }[form]
    upload = ingest.read_upload(raw(), name, real_catalogue, limits=config.settings().upload)
    assert upload.problems == []
    assert upload.layout_kind == "wide_years"
    assert values_by_key(upload) == pytest.approx(expected)
    assert upload.skipped_missing == len(frame) * 3 - len(expected)


def test_a_sheet_whose_values_are_all_missing_imports_nothing(template_db):
    """The app reads the catalogue from the store; a sheet with every value marked missing is
    an upload with nothing to import, not a crash."""
    with open_store(template_db).session() as con:
        cat = catalogue.read_from_store(con)
    raw = "指标,地区,2023,2021\n婴儿死亡率,平南县,—,—\n孕产妇死亡率,平南县,,无\n"
    upload = ingest.read_upload(raw.encode("gb18030"), "x.csv", cat, limits=config.settings().upload)
    assert (upload.valid, len(upload.rows), upload.skipped_missing) == (True, 0, 4)


def test_values_written_with_units_preview_as_new(template_db):
    """Converted values (98.5%, 9.4/10万) are plain numbers, so the preview can compare them
    with what is stored."""
    with open_store(template_db).session() as con:
        cat = catalogue.read_from_store(con)
        upload = ingest.read_upload((UPLOADS / "values_with_units.csv").read_bytes(),
                                    "values_with_units.csv", cat, limits=config.settings().upload)
        found = ingest.preview(con, upload, cat, settings=config.settings().upload)
    assert found.counts == {"new": len(upload.rows), "changed": 0, "unchanged": 0}


@pytest.mark.parametrize("code", ["110105", "220104", "450802"])
def test_a_region_template_reads_back_to_that_region(real_catalogue, code):
    """朝阳区 is in 北京 and in 长春: its template names the parent so it reads back exactly."""
    frame = templates.template_frame(real_catalogue, "women-2021-2030", [2023], code)
    bounds = valid_ranges(real_catalogue.indicators, real_catalogue.units).set_index("code")
    frame["2023年"] = [(bounds.at[c, "low"] + min(bounds.at[c, "high"], 100)) / 2
                      for c in frame["指标代码"]]
    upload = ingest.read_upload(templates.xlsx_bytes(frame), "模板.xlsx", real_catalogue, limits=config.settings().upload)
    assert upload.problems == []
    assert set(upload.rows["region_code"]) == {code}
    assert ("上级地区" in frame.columns) == (code != "450802")


def test_total_and_footnote_rows_are_reported_as_left_out(real_catalogue):
    """Rows not read as data are said, so nobody wonders where a 合计 went."""
    raw = ("某县监测表\n指标,地区,年份,数值\n婴儿死亡率,港北区,2023,5.1\n合计,,2023,9\n"
           "婴儿死亡率,港南区,2023,4.2\n注：数据来源于统计年鉴。\n婴儿死亡率,覃塘区,2023,4.0\n")
    upload = ingest.read_upload(raw.encode("gbk"), "x.csv", real_catalogue,
                                limits=config.settings().upload)
    assert (upload.total_rows, upload.notes_from, len(upload.rows)) == ((4,), None, 3)
    # A footnote above a data row is no footnote: it is reported, and the row below it read.
    assert [[p.row, p.column, p.code] for p in upload.problems] == [[6, "指标", "stray-row"]]
    raw = raw.replace("注：数据来源于统计年鉴。\n婴儿死亡率,覃塘区,2023,4.0\n",
                      "婴儿死亡率,覃塘区,2023,4.0\n注：数据来源于统计年鉴。\n")
    upload = ingest.read_upload(raw.encode("gbk"), "x.csv", real_catalogue,
                                limits=config.settings().upload)
    assert (upload.total_rows, upload.notes_from, len(upload.rows)) == ((4,), 7, 3)
    assert upload_report.left_out_rows(upload) == (
        "第4行是合计行，未导入；第7行起是表注或签名栏，未读取。")


# --- never a silently different number (issue 10) -----------------------------------------------

def read_csv_text(text: str, cat) -> ingest.Upload:
    """A CSV written inline, read and checked as an upload."""
    return ingest.read_upload(text.encode("utf-8"), "x.csv", cat, limits=config.settings().upload)


def test_an_out_of_range_value_is_quoted_as_written(real_catalogue):
    upload = read_csv_text("指标,地区,年份,数值\n孕产妇住院分娩率,港北区,2023,100.0000001\n",
                           real_catalogue)
    [found] = upload.problems
    assert [found.row, found.column, found.code] == [2, "数值", "out-of-range"]
    assert "「100.0000001」" in found.message


def test_a_decimal_comma_or_a_bad_group_is_asked_about(real_catalogue):
    upload = read_csv_text("指标,地区,年份,数值\n婴儿死亡率,港北区,2023,\"1,5\"\n"
                           "婴儿死亡率,港南区,2023,\"1.234,5\"\n婴儿死亡率,覃塘区,2023,3 5\n"
                           "城镇单位女性从业人员数,贵港市,2023,\"12,345\"\n", real_catalogue)
    assert [[p.row, p.column, p.code] for p in upload.problems] == [
        [2, "数值", "misgrouped-number"], [3, "数值", "misgrouped-number"],
        [4, "数值", "misgrouped-number"]]
    assert "「1,5」" in upload.problems[0].message


def test_a_number_too_large_for_a_float_never_reaches_the_store(real_catalogue):
    huge = "9" * 401
    upload = read_csv_text(f"指标,地区,年份,数值\n城镇单位女性从业人员数,贵港市,2023,{huge}\n"
                           f"孕产妇住院分娩率,港北区,2023,{huge}%\n", real_catalogue)
    assert [[p.row, p.column, p.code] for p in upload.problems] == [
        [2, "数值", "non-finite-number"], [3, "数值", "non-finite-number"]]
    assert upload.rows.empty


def test_a_count_beyond_the_population_is_out_of_range(real_catalogue):
    upload = read_csv_text("指标,地区,年份,数值\n城镇单位女性从业人员数,贵港市,2023,3000000000\n",
                           real_catalogue)
    assert [[p.row, p.column, p.code] for p in upload.problems] == [[2, "数值", "out-of-range"]]


def test_two_columns_for_one_role_are_an_error_naming_both(real_catalogue):
    upload = read_csv_text("指标,地区,年份,数值,数值\n婴儿死亡率,港北区,2023,5.1,4.9\n",
                           real_catalogue)
    assert [[p.row, p.column, p.code] for p in upload.problems] == [
        [1, "数值", "repeated-column"]]
    assert "第4列" in upload.problems[0].message and "第5列" in upload.problems[0].message
    upload = read_csv_text("指标,地区,年份,地区名称,数值\n婴儿死亡率,港北区,2023,港南区,5.1\n",
                           real_catalogue)
    assert [[p.row, p.column, p.code] for p in upload.problems] == [
        [1, "地区名称", "repeated-column"]]
    assert upload.rows.empty


TEMPLATE_HEADER = "指标代码,指标名称,单位,牵头单位,地区,2023年\n"


def test_a_template_row_without_a_code_is_read_by_its_name(real_catalogue):
    upload = read_csv_text(TEMPLATE_HEADER + ",产前检查率,%,卫生健康委,港北区,97.5\n",
                           real_catalogue)
    assert upload.problems == []
    assert values_by_key(upload) == {("antenatal_care_rate", "450802", 2023): 97.5}


@pytest.mark.parametrize("name", ["产前检査率", "婚前医学检查率"])
def test_a_code_and_a_name_that_disagree_are_an_error_naming_both(real_catalogue, name):
    upload = read_csv_text(TEMPLATE_HEADER + f"antenatal_care_rate,{name},%,卫生健康委,港北区,97.5\n",
                           real_catalogue)
    assert [[p.row, p.column, p.code] for p in upload.problems] == [
        [2, "指标名称", "indicator-mismatch"]]
    assert "antenatal_care_rate" in upload.problems[0].message
    assert name in upload.problems[0].message
    assert upload.rows.empty


def test_a_region_suffix_contradicting_its_level_is_an_error(real_catalogue):
    upload = read_csv_text("指标,地区,年份,数值\n婴儿死亡率,贵港县,2023,5.1\n"
                           "婴儿死亡率,吉林县,2023,5.1\n婴儿死亡率,贵港,2023,5.1\n", real_catalogue)
    assert [[p.row, p.column, p.code] for p in upload.problems] == [
        [2, "地区", "region-level-mismatch"], [3, "地区", "region-level-mismatch"]]
    assert "是否为：贵港市？" in upload.problems[0].hint
    assert "是否为：吉林省、吉林市？" in upload.problems[1].hint
    assert values_by_key(upload) == {("infant_mortality_rate", "450800", 2023): 5.1}


def test_a_lone_long_cell_in_the_middle_is_an_error_not_the_end_of_the_data(real_catalogue):
    upload = read_csv_text("指标,地区,年份,数值\n婴儿死亡率,港北区,2023,5.1\n"
                           "每个街道、乡镇配备的专兼职儿童社会工作者数,,,\n"
                           "婴儿死亡率,港南区,2023,4.2\n", real_catalogue)
    assert [[p.row, p.column, p.code] for p in upload.problems] == [[3, "指标", "stray-row"]]
    assert upload.notes_from is None


@pytest.mark.parametrize("column, bad", [("value", float("inf")), ("value", float("nan")),
                                         ("denominator", float("-inf"))])
def test_a_non_finite_value_is_refused_at_commit_too(db, real_catalogue, column, bad):
    # The checks refuse inf; the commit holds the rule too, whatever built the rows.
    upload = read_csv_text("指标,地区,年份,数值\n婴儿死亡率,港北区,2023,5.1\n"
                           "婴儿死亡率,港南区,2023,4.2\n", real_catalogue)
    upload.rows.loc[1, column] = bad
    store = open_store(db)
    with store.session() as con:
        before = len(con.fetch_batches())
    with pytest.raises(MetricsError, match="第3行.*未导入任何数据"):
        ingest.commit(store, upload, person("测试"))
    with store.session() as con:
        assert len(con.fetch_batches()) == before
        assert con.read_current(upload.rows).empty


@pytest.mark.parametrize("header, file_error", [
    ("指标,地区,年份,数值,数值", [1, "数值", "repeated-column"]),
    ("指标,年份,数值", [None, "地区", "missing-region"])])
def test_a_problem_of_the_whole_file_does_not_hide_the_others(real_catalogue, header,
                                                              file_error):
    # Only the file's problem was reported; the rows' problems came one upload later.
    region = "港北区," if "地区" in header else ""
    extra = ",4.9" if header.count("数值") == 2 else ""
    upload = read_csv_text(f"{header}\n婴儿死亡率,{region}2023,5.1{extra}\n"
                           f"不存在的指标,{region}20x3,abc{extra}\n", real_catalogue)
    found = [[p.row, p.column, p.code] for p in upload.problems]
    assert found == [file_error, [3, "指标", "unknown-indicator"], [3, "年份", "bad-year"],
                     [3, "数值", "non-numeric"]]
    assert upload.rows.empty


def test_a_region_code_and_name_read_together_must_agree(real_catalogue):
    # 区划代码 beside 地区名称 was a repeated-column error, whatever they held.
    upload = read_csv_text("指标,区划代码,地区名称,年份,数值\n婴儿死亡率,450802,港北区,2023,5.1\n"
                           "婴儿死亡率,450803,港北区,2023,4.1\n婴儿死亡率,,延边州,2023,4.0\n"
                           "婴儿死亡率,110105,朝阳区,2023,3.0\n", real_catalogue)
    assert [[p.row, p.column, p.code] for p in upload.problems] == [
        [3, "地区名称", "region-mismatch"]]
    assert "450803" in upload.problems[0].message and "港南区" in upload.problems[0].message
    assert "「港北区」" in upload.problems[0].message
    assert values_by_key(upload) == {("infant_mortality_rate", "450802", 2023): 5.1,
                                     ("infant_mortality_rate", "222400", 2023): 4.0,
                                     ("infant_mortality_rate", "110105", 2023): 3.0}


def test_a_region_read_by_its_name_is_reported_at_the_name_column(real_catalogue):
    upload = read_csv_text("指标,区划代码,地区名称,年份,数值\n婴儿死亡率,,火星,2023,5.1\n"
                           "婴儿死亡率,,恩施,2023,4.1\n", real_catalogue)
    assert [[p.row, p.column, p.code] for p in upload.problems] == [
        [2, "地区名称", "unknown-region"], [3, "地区名称", "ambiguous-region"]]
    assert "恩施土家族苗族自治州" in upload.problems[1].message


def test_problems_found_while_reading_are_listed_in_row_order(real_catalogue):
    upload = read_csv_text("指标,地区,年份,数值\n婴儿死亡率,火星,2023,5.1\n"
                           '婴儿死亡率,港南区,2023,"4"0\n', real_catalogue)
    assert [[p.row, p.code] for p in upload.problems] == [[2, "unknown-region"],
                                                          [3, "odd-quote"]]
