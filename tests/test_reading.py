"""Reading delimited text: whichever parser takes a file (Arrow for a rectangular one, pandas'
C parser for ragged rows, the csv module for the rest), the cells are the csv module's, row for
row, so Excel row numbers and every cell survive."""
import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from metrics import config
from metrics.uploads import reading

# Cells people type, and the characters that make CSV hard: quotes, separators, line breaks.
PIECES = ["孕产妇死亡率", "港北区", "2023年", "98.5%", "1,234", " 12 ", "—", "", "注：", "合计",
          '"', ",", "\t", ";", "\n", "\r\n", "\r", "　", "a"]


def csv_module_cells(text: str) -> list[list[str]]:
    """The reference: the csv module with the sniffed separator, cells stripped, short rows
    padded to the widest."""
    delimiter = reading.sniff_delimiter(text)
    rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text, newline=""),
                                                          delimiter=delimiter)]
    width = max(map(len, rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def grid_cells(text: str) -> list[list[str]]:
    grid = reading.read_csv_text(text, "utf-8", config.settings().upload)
    assert list(grid.row_numbers) == list(range(1, len(grid.cells) + 1))
    return [list(row) for row in grid.cells.itertuples(index=False)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_any_text_reads_as_the_csv_module_reads_it(pieces):
    text = "指标,地区,年份,数值\n" + "".join(pieces)
    assert grid_cells(text) == csv_module_cells(text)


def test_a_footnote_under_a_large_rectangular_table_is_kept_with_its_row_number():
    body = "".join(f"婴儿死亡率,港北区,{2000 + i % 25},{i}\n" for i in range(2000))
    text = "指标,地区,年份,数值\n" + body + "\n注：数据来源于统计年鉴。\n"
    cells = grid_cells(text)
    assert len(cells) == 2003
    assert cells[2001] == ["", "", "", ""]
    assert cells[2002] == ["注：数据来源于统计年鉴。", "", "", ""]


def test_an_unclosed_quote_keeps_the_rest_of_the_file_in_one_cell():
    text = '指标,地区,年份,数值\n婴儿死亡率,港北区,2023,5.1\n"未闭合的引号\n婴儿死亡率,港南区,2023,4.2\n'
    cells = grid_cells(text)
    assert cells == csv_module_cells(text)
    assert cells[2][0] == "未闭合的引号\n婴儿死亡率,港南区,2023,4.2"
