"""Files that would crash the server, change a number or lose one, each kind reported as a
problem with its code and position: limits checked before a workbook is loaded, formulas
never calculated, dates in a value column, hidden sheets, unclosed quotes, UTF-16/32 without a
byte order mark."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import resource
import time

import openpyxl
import pytest
from hostile_files import (
    BINARY_WORKBOOK,
    REPEATED_ODS,
    long_table,
    number_cell,
    row,
    row_bomb,
    text_cell,
    workbook,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics import config
from metrics.uploads import ingest
from metrics.uploads import report as upload_report

LIMITS = config.settings().upload
ROW = ("婴儿死亡率", "港北区", "2023", "5.1")


def read(raw: bytes, name: str, cat, limits=LIMITS, **options) -> ingest.Upload:
    return ingest.read_upload(raw, name, cat, limits=limits, **options)


def codes(upload: ingest.Upload) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.code) for p in upload.problems]


def timed_read(raw: bytes, name: str, cat) -> tuple[ingest.Upload, float, int]:
    """The upload, seconds taken and growth of the peak resident memory in MB."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    upload = read(raw, name, cat)
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
    return upload, time.monotonic() - start, grown


def test_a_cell_at_xfd1048576_is_refused_before_anything_is_allocated(real_catalogue):
    data = long_table(ROW) + row(1048576, number_cell("XFD1048576", 1))
    upload, seconds, grown = timed_read(workbook(("数据", data)), "远处.xlsx", real_catalogue)
    assert codes(upload) == [(None, "", "sheet-too-large")]
    assert "A1:XFD1048576" in upload.problems[0].message
    assert seconds < 2 and grown < 500


def test_a_zip_bomb_of_rows_is_refused_within_a_second(real_catalogue):
    upload, seconds, grown = timed_read(row_bomb(4_000_000), "炸弹.xlsx", real_catalogue)
    assert codes(upload) == [(None, "", "file-too-large")]
    assert seconds < 2 and grown < 500


def test_rows_beyond_the_cell_limit_are_refused_even_without_their_numbers(real_catalogue):
    small = dataclasses.replace(LIMITS, max_cells_per_sheet=100_000, max_compression_ratio=10_000)
    upload = read(row_bomb(100_000), "行多.xlsx", real_catalogue, limits=small)
    assert codes(upload) == [(None, "", "sheet-too-large")]
    assert "100,001 行 × 4 列" in upload.problems[0].message


def test_too_many_columns_are_refused(real_catalogue):
    data = long_table(ROW) + row(2, number_cell("GZZ2", 1))
    upload = read(workbook(("数据", data)), "宽.xlsx", real_catalogue,
                  limits=dataclasses.replace(LIMITS, max_columns=100))
    assert codes(upload) == [(None, "", "sheet-too-large")]


def test_an_empty_area_far_below_the_data_is_not_read(real_catalogue):
    # An empty string at CV900000 (a program's "blank" cell) made the reader allocate 90M cells.
    data = long_table(ROW) + row(900000, text_cell("CV900000", ""))
    upload, seconds, grown = timed_read(workbook(("数据", data), dimension="A1:CV900000"),
                                        "空白区域.xlsx", real_catalogue)
    assert upload.valid, codes(upload)
    assert upload.rows["value"].tolist() == [5.1]
    assert seconds < 2 and grown < 500


def test_a_formula_saved_without_its_result_is_an_error_at_its_cell(real_catalogue):
    data = long_table(ROW) + row(3, text_cell("A3", "婴儿死亡率"), text_cell("B3", "港南区"),
                                 text_cell("C3", "2023"), '<c r="D3"><f>D2*2</f></c>')
    upload = read(workbook(("数据", data)), "程序生成.xlsx", real_catalogue)
    assert codes(upload) == [(3, "D", "formula-not-calculated")]
    assert "Excel 或 WPS" in upload.problems[0].hint


def test_a_calculated_formula_reads_as_its_value(real_catalogue):
    data = long_table(ROW) + row(3, text_cell("A3", "婴儿死亡率"), text_cell("B3", "港南区"),
                                 text_cell("C3", "2023"), '<c r="D3"><f>D2*2</f><v>10.2</v></c>')
    upload = read(workbook(("数据", data)), "已计算.xlsx", real_catalogue)
    assert upload.valid and upload.rows["value"].tolist() == [5.1, 10.2]


def office_workbook(year, value) -> bytes:
    """A workbook saved by openpyxl as by Excel: a header, one row of numbers, then one row
    with the year and value given."""
    book = openpyxl.Workbook()
    book.active.append(["指标", "地区", "年份", "数值"])
    book.active.append(["婴儿死亡率", "港南区", 2023, 4.2])
    book.active.append(["婴儿死亡率", "港北区", year, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_date_in_the_value_column_is_an_error_not_a_year(real_catalogue):
    # Typed as 1-5, Excel keeps 5 January of this year; it was read as the value 2024.
    upload = read(office_workbook(2023, dt.datetime(2024, 1, 5)), "日期.xlsx", real_catalogue)
    assert codes(upload) == [(3, "数值", "date-value")]
    assert "2024-01-05" in upload.problems[0].message


def test_a_year_written_as_a_date_in_the_year_column_still_reads(real_catalogue):
    upload = read(office_workbook(dt.datetime(2023, 1, 1), 5.1), "年份日期.xlsx", real_catalogue)
    assert upload.valid and upload.rows["year"].tolist() == [2023, 2023]


def test_a_hidden_sheet_is_not_read_unless_chosen_and_is_listed(real_catalogue):
    old = long_table(("婴儿死亡率", "港北区", "2023", "9.9"))
    raw = workbook(("旧数据", old), ("数据", long_table(ROW)), hidden=("旧数据",))
    upload = read(raw, "隐藏.xlsx", real_catalogue)
    assert upload.sheet == "数据" and upload.rows["value"].tolist() == [5.1]
    assert upload.hidden_sheets == ["旧数据"]
    chosen = read(raw, "隐藏.xlsx", real_catalogue, sheet="旧数据")
    assert chosen.rows["value"].tolist() == [9.9]


def test_an_unclosed_quote_is_an_error_at_its_row(real_catalogue):
    text = ("指标,地区,年份,数值\n婴儿死亡率,港北区,2023,5.1\n\"婴儿死亡率,港南区,2023,4.2\n"
            "婴儿死亡率,覃塘区,2023,4.0\n")
    upload = read(text.encode(), "引号.csv", real_catalogue)
    assert not upload.valid
    assert (3, "", "unclosed-quote") in codes(upload)


@pytest.mark.parametrize("length, expected", [(40_000, (3, "D", "cell-too-long")),
                                              (200_000, (3, "D", "cell-too-long"))])
def test_a_csv_cell_longer_than_the_limit_is_an_error(real_catalogue, length, expected):
    # 200,000 characters passed the csv module's field limit: a _csv.Error traceback. Past
    # that limit too the cell is located (the delimiter is found without the csv module's
    # complaint about a cell that long).
    text = "指标,地区,年份,数值\n婴儿死亡率,港北区,2023,5.1\n婴儿死亡率,港南区,2023," + "9" * length
    upload = read(text.encode(), "长单元格.csv", real_catalogue)
    assert codes(upload) == [expected]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_byte_order_mark_are_read(real_catalogue, encoding):
    text = "指标\t地区\t年份\t数值\n婴儿死亡率\t港北区\t2023\t5.1\n"
    upload = read(text.encode(encoding), "无BOM.txt", real_catalogue)
    assert upload.valid, codes(upload)
    assert upload.rows["value"].tolist() == [5.1]


@pytest.mark.parametrize("bom_encoding", ["utf-32"])
def test_utf32_with_a_byte_order_mark_is_not_taken_for_utf16(real_catalogue, bom_encoding):
    text = "指标,地区,年份,数值\n婴儿死亡率,港北区,2023,5.1\n"
    upload = read(text.encode(bom_encoding), "utf32.csv", real_catalogue)
    assert upload.rows["value"].tolist() == [5.1]


XML_PIECES = ['<c r="A2">', "<v>1</v>", "</c>", "<f>A1</f>", '<row r="2">', "</row>", "<c>",
              '<c r="XFD3" t="s">', "<is><t>x</t></is>", "<v/>", "<", '"', "\x00"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(XML_PIECES), max_size=30))
def test_a_malformed_sheet_gives_problems_or_values_never_an_exception(real_catalogue, pieces):
    upload = read(workbook(("数据", long_table(ROW) + "".join(pieces))), "坏.xlsx",
                  real_catalogue)
    assert upload.problems or upload.rows["value"].tolist() == [5.1]


def test_the_report_names_the_hidden_sheets_left_unread(real_catalogue):
    raw = workbook(("旧数据", long_table(ROW)), ("数据", long_table(ROW)), hidden=("旧数据",))
    note = upload_report.hidden_sheets_note(read(raw, "隐藏.xlsx", real_catalogue))
    assert "旧数据" in note


@pytest.mark.parametrize("cell, column", [('"5"1', "D"), ('"5".1', "D"), ('"港北"区', "B")])
def test_text_after_a_closing_quote_is_an_error_at_its_cell(real_catalogue, cell, column):
    # Every parser joined "5"1 into 51 and it was imported as 51 without a word.
    row = ["婴儿死亡率", "港北区", "2023", "5.1"]
    row["ABCD".index(column)] = cell
    text = f"指标,地区,年份,数值\n{','.join(row)}\n婴儿死亡率,港南区,2023,4.2\n"
    upload = read(text.encode(), "引号.csv", real_catalogue)
    assert codes(upload) == [(2, column, "odd-quote")]
    assert cell in upload.problems[0].message


def test_a_quote_inside_an_unquoted_number_is_not_a_number(real_catalogue):
    text = '指标,地区,年份,数值\n婴儿死亡率,港北区,2023,5"1\n'
    assert codes(read(text.encode(), "引号.csv", real_catalogue)) == [(2, "数值", "non-numeric")]


def test_quotes_used_as_csv_means_them_still_read(real_catalogue):
    text = ('"指标","地区","年份","数值","备注"\n"婴儿死亡率","港北区","2023","5.1",'
            '"称为""两纲"",即纲要"\n婴儿死亡率,港南区,2023,4.2,他说"好"\n')
    upload = read(text.encode(), "引号.csv", real_catalogue)
    assert upload.valid, codes(upload)
    assert upload.rows["note"].tolist() == ['称为"两纲",即纲要', '他说"好"']


def test_a_csv_row_wider_than_the_column_limit_is_refused(real_catalogue):
    # Was reported as a 131,072-character cell, after a parser made a frame that wide.
    text = "指标,地区,年份,数值\n婴儿死亡率,港北区,2023,5.1\n" + "1," * 200_000
    upload = read(text.encode(), "宽.csv", real_catalogue)
    assert codes(upload) == [(None, "", "file-too-large")]
    assert "200,001 列" in upload.problems[0].message


@pytest.mark.parametrize("raw, name", [(REPEATED_ODS, "重复.ods"), (REPEATED_ODS, "改名.xlsx"),
                                       (BINARY_WORKBOOK, "二进制.xlsb")])
def test_workbooks_that_cannot_be_sized_up_before_loading_are_refused(real_catalogue, raw,
                                                                      name):
    # Was 「无法读取该 Excel 文件（Cannot detect file format）」, which says nothing of what to do.
    upload, seconds, grown = timed_read(raw, name, real_catalogue)
    assert codes(upload) == [(None, "", "unreadable-file")]
    assert "另存为 .xlsx" in upload.problems[0].message
    assert seconds < 2 and grown < 500
