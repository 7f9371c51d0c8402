"""Finding where things are in a sheet (metrics.uploads.layout) on small grids shaped like the
files analysts send: a title row above the header, a two-row merged header, long layout, years
as columns (2020, 2020年), regions as columns. The whole files are in tests/data/uploads."""
from __future__ import annotations

import pytest

from metrics.uploads.layout import (
    LayoutError,
    assign_roles,
    column_roles,
    find_header,
    header_score,
    merged_headings,
    records,
    year_of,
)
from metrics.uploads.reading import grid_of_rows

REGIONS = {"港北区", "港南区", "覃塘区", "贵港市"}


def is_region(heading: str) -> bool:
    return heading in REGIONS


# --- year_of and header_score -----------------------------------------------------------------

@pytest.mark.parametrize("heading, year", [
    ("2020", "2020"), ("2020年", "2020"), ("2020年度", "2020"), ("2020年数据", "2020"),
    ("2020数值", "2020"), ("２０２０年", "2020"), (" 2020 ", "2020"), ("1995", "1995"),
    ("2020.5", None), ("20", None), ("2020年份", None), ("1899", None), ("2100", None),
    ("年份", None), ("二〇二〇年", None), ("", None), ("2020-2021", None),
])
def test_year_of(heading, year):
    assert year_of(heading) == year


@pytest.mark.parametrize("row, score", [
    (["指标", "地区", "年份", "数值"], 4),
    (["指标名称", "行政区划代码", "统计年度", "指标值", "计量单位", "数据来源", "备注"], 7),
    (["Indicator", "REGION", "Year", "Value"], 4),                 # lower-cased before matching
    (["指 标", "地 区", "２０２０年", "2021"], 4),                    # spaces, full width
    (["指标", "", "2020", "2021年", "2022年度"], 4),
    (["贵港市妇女儿童发展监测表（2024年）", "", ""], 0),               # a title
    (["住院分娩率", "港北区", "2024", "99.5"], 1),                   # a data row: one year cell
    (["", "", ""], 0),
])
def test_header_score(row, score):
    assert header_score(row) == score


# --- find_header --------------------------------------------------------------------------------

@pytest.mark.parametrize("rows, index", [
    ([["指标", "地区", "年份", "数值"], ["住院分娩率", "港北区", "2024", "99.5"]], 0),
    ([["贵港市妇女儿童发展纲要监测数据表"], [""], ["单位：%"],
      ["指标", "地区", "年份", "数值"], ["住院分娩率", "港北区", "2024", "99.5"]], 3),
    ([["2024年各县区指标", "", "", ""], ["指标", "地区", "2020年", "2021年"]], 1),
    ([["填报单位：贵港市妇儿工委办"], ["指标", "年份", "港北区", "港南区"]], 1),
    ([["序号", "指标名称", "地区", "年份", "数值"]], 0),
])
def test_find_header_skips_the_title_rows(rows, index):
    assert find_header(grid_of_rows(rows)) == index


@pytest.mark.parametrize("rows", [
    [["地区", "年份", "数值"], ["港北区", "2024", "99.5"]],        # no indicator column
    [["指标"], ["住院分娩率"]],                                      # indicator alone
    [["名称", "数"], ["住院分娩率", "99.5"]],
    [[""]],
])
def test_find_header_refuses_a_sheet_without_one(rows):
    with pytest.raises(LayoutError, match="找不到表头"):
        find_header(grid_of_rows(rows))


def test_find_header_looks_at_the_first_15_rows_only():
    title = [[f"说明第{n}行"] for n in range(15)]
    header = [["指标", "地区", "年份", "数值"]]
    assert find_header(grid_of_rows(title[:14] + header)) == 14
    with pytest.raises(LayoutError):
        find_header(grid_of_rows(title + header))


# --- merged_headings ----------------------------------------------------------------------------

def test_two_row_merged_header_is_combined():
    grid = grid_of_rows([["标题"],
                         ["指标", "地区", "年份", "", "", "备注"],
                         ["", "", "2020", "2021年", "2022", ""],
                         ["住院分娩率", "港北区", "99.1", "99.2", "99.3", ""]])
    assert merged_headings(grid, 1) == (["指标", "地区", "2020", "2021年", "2022", "备注"], 2)


@pytest.mark.parametrize("second", [
    ["住院分娩率", "港北区", "2024", "99.5"],        # a data row of a long sheet: one year
    ["住院分娩率", "港北区", "99.1", "99.2"],        # a data row of a wide sheet: no year
    ["", "", "2020", "2020"],                      # the same year twice is not a header
])
def test_a_data_row_is_not_taken_for_a_second_header_row(second):
    grid = grid_of_rows([["指标", "地区", "年份", "数值"], second])
    assert merged_headings(grid, 0) == (["指标", "地区", "年份", "数值"], 1)


def test_years_under_years_are_not_merged():
    """A wide sheet whose first data row holds year-like counts keeps its one header row."""
    grid = grid_of_rows([["指标", "地区", "2020", "2021"],
                         ["城乡社区儿童之家数", "贵港市", "2031", "2040"]])
    assert merged_headings(grid, 0) == (["指标", "地区", "2020", "2021"], 1)


def test_a_header_on_the_last_row_has_one_row():
    assert merged_headings(grid_of_rows([["指标", "地区", "年份", "数值"]]), 0) == \
        (["指标", "地区", "年份", "数值"], 1)


def test_a_long_data_row_with_a_year_like_value_is_not_a_header():
    grid = grid_of_rows([["指标", "地区", "年份", "数值"],
                         ["城乡社区儿童之家数", "贵港市", "2020", "2031"],
                         ["城乡社区儿童之家数", "贵港市", "2021", "2040"]])
    assert merged_headings(grid, 0) == (["指标", "地区", "年份", "数值"], 1)


# --- assign_roles -------------------------------------------------------------------------------

@pytest.mark.parametrize("columns, kind, roles, spread", [
    (["指标", "地区", "年份", "数值"], "long",
     {0: "indicator", 1: "region", 2: "year", 3: "value"}, {}),
    (["指标名称", "行政区划代码", "上级地区", "统计年度", "指标值", "计量单位", "数据来源", "备注"], "long",
     {0: "indicator", 1: "region", 2: "parent", 3: "year", 4: "value", 5: "unit", 6: "source",
      7: "note"}, {}),
    (["序号", "指标", "地区", "年份", "数值"], "long",          # unknown columns have no role
     {1: "indicator", 2: "region", 3: "year", 4: "value"}, {}),
    (["指标", "指标代码", "地区", "年份", "数值"], "long",       # a code and a name column: both
     {0: "indicator_name", 1: "indicator", 2: "region", 3: "year", 4: "value"}, {}),
    (["指标代码", "指标名称", "单位", "地区", "2023年"], "wide_years",     # the template
     {0: "indicator", 1: "indicator_name", 2: "unit", 3: "region"}, {4: "2023"}),
    (["指标", "地区", "2020", "2021年", "2022年度"], "wide_years",
     {0: "indicator", 1: "region"}, {2: "2020", 3: "2021", 4: "2022"}),
    (["指标", "地区", "单位", "2020年", "2021年", "备注"], "wide_years",
     {0: "indicator", 1: "region", 2: "unit", 5: "note"}, {3: "2020", 4: "2021"}),
    (["指标", "2023", "2024"], "wide_years", {0: "indicator"}, {1: "2023", 2: "2024"}),
    (["指标", "年份", "港北区", "港南区", "覃塘区"], "wide_regions",
     {0: "indicator", 1: "year"}, {2: "港北区", 3: "港南区", 4: "覃塘区"}),
    (["指标", "年份", "单位", "贵港市", "港北区", "说明"], "wide_regions",
     {0: "indicator", 1: "year", 2: "unit", 5: "note"}, {3: "贵港市", 4: "港北区"}),
])
def test_assign_roles(columns, kind, roles, spread):
    layout = assign_roles(columns, is_region)
    assert (layout.kind, layout.roles, layout.spread) == (kind, roles, spread)
    assert layout.columns == columns


@pytest.mark.parametrize("columns, repeated", [
    (["指标", "地区", "年份", "数值", "数值"], ((3, 4),)),
    (["指标", "地区", "地区名称", "年份", "数值"], ((1, 2),)),
    (["指标", "指标名称", "地区", "年份", "数值"], ((0, 1),)),          # two name columns
    (["指标代码", "indicator_code", "地区", "年份", "数值"], ((0, 1),)),
    (["指标", "地区", "年份", "数值", "值", "地区"], ((3, 4), (1, 5))),
])
def test_two_columns_for_one_role_are_both_named(columns, repeated):
    layout = assign_roles(columns, is_region)
    assert layout.repeated_roles == repeated


@pytest.mark.parametrize("columns, missing", [
    (["指标", "地区", "数值"], "表头缺少年份列"),
    (["指标", "地区", "年份"], "表头缺少数值列"),
    (["指标", "地区"], "表头缺少年份、数值列"),
    (["指标", "港北区", "港南区"], "表头缺少年份、数值列"),   # regions as columns need a 年份 column
])
def test_assign_roles_names_what_is_missing(columns, missing):
    with pytest.raises(LayoutError, match=missing):
        assign_roles(columns, is_region)


# --- records: the whole path on small grids -----------------------------------------------------

def test_records_of_a_titled_merged_wide_sheet():
    grid = grid_of_rows([["贵港市监测数据"],
                         ["指标", "地区", "年份", ""],
                         ["", "", "2020", "2021年"],
                         ["住院分娩率", "港北区", "99.1", "—"],
                         ["合计", "", "", ""],
                         ["注：2021年为快报数"]])
    frame, layout = records(grid, is_region)
    assert (layout.kind, layout.header_rows, layout.total_rows, layout.notes_from) == \
        ("wide_years", [2, 3], (5,), 6)
    assert frame[["row", "indicator", "region", "year", "value", "value_column"]] \
        .values.tolist() == [[4, "住院分娩率", "港北区", "2020", "99.1", "2020"],
                             [4, "住院分娩率", "港北区", "2021", "—", "2021年"]]


def test_records_of_regions_as_columns():
    grid = grid_of_rows([["指标", "年份", "港北区", "港南区"],
                         ["住院分娩率", "2024", "99.5", "99.6"]])
    frame, layout = records(grid, is_region)
    assert layout.kind == "wide_regions"
    assert frame[["row", "region", "year", "value"]].values.tolist() == [
        [2, "港北区", "2024", "99.5"], [2, "港南区", "2024", "99.6"]]


def test_a_lone_long_cell_between_data_rows_ends_nothing():
    """Footnotes and signatures are looked for only after the last data row: a 21-character
    indicator name on a row of its own in the middle is a stray row, and the rows below it are
    still data."""
    grid = grid_of_rows([["指标", "地区", "年份", "数值"],
                         ["婴儿死亡率", "港北区", "2023", "5.1"],
                         ["每个街道、乡镇配备的专兼职儿童社会工作者数", "", "", ""],
                         ["婴儿死亡率", "港南区", "2023", "4.2"],
                         ["注：2023年为快报数"],
                         ["填表人：张三", "", "审核人：李四", ""]])
    frame, layout = records(grid, is_region)
    assert list(frame["row"]) == [2, 4]
    assert layout.notes_from == 5
    assert layout.stray_rows == ((3, "指标", "每个街道、乡镇配备的专兼职儿童社会工作者数"),)


@pytest.mark.parametrize("columns, roles", [
    (["指标", "区划代码", "地区名称", "年份", "数值"],
     {0: "indicator", 1: "region", 2: "region_name", 3: "year", 4: "value"}),
    (["指标", "地区名称", "行政区划代码", "年份", "数值"],
     {0: "indicator", 1: "region_name", 2: "region", 3: "year", 4: "value"})])
def test_a_region_code_column_beside_a_name_column_reads_both(columns, roles):
    found_roles, _, repeated = column_roles(columns)
    assert found_roles == roles and repeated == ()


def test_two_region_name_columns_are_still_repeated():
    _, _, repeated = column_roles(["指标", "地区", "地区名称", "年份", "数值"])
    assert repeated == ((1, 2),)
