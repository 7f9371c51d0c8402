"""A plan's indicator table read from its Word annex (.docx) as from an .xlsx: a title above
the table, header variants, cells merged down (领域, one 牵头单位 for several indicators) and
across (an area heading row), a table continued on the next page with its header repeated;
the same rows and the same problems at the same places; `plan import` takes the .docx."""
import io

import pytest
from docx import Document

from metrics import catalogue, cli, config
from metrics.plans import annex
from metrics.store import open_store

C21 = "children-2021-2030"
HEADER = ["序号", "领域", "指标名称", "目标值", "目标年份", "牵头部门", "配合部门"]
FIRST_PAGE = [
    ["一、儿童与健康", "", "", "", "", "", ""],                                       # merged across
    ["1", "儿童与健康", "婴儿死亡率", "控制在3.5‰以下", "2030", "市卫健委", "市财政局、市医保局"],
    ["2", "", "0~6岁儿童眼保健和视力检查覆盖率", "达到92%以上", "", "", ""],              # alias
    ["3", "", "12岁儿童龋患率", "控制在25%以内", "", "", ""],                          # unknown
    ["4", "", "5岁以下儿童贫血率", "明显下降", "", "", ""],                            # words
]
NEXT_PAGE = [
    ["5", "儿童与教育", "学前三年毛入园率", "稳定在95%以上", "2025", "市教育局", "市发改委"],
    ["6", "", "高中阶段毛入学率", "逐步提高", "", "市教育局", ""],
]


def annex_document() -> bytes:
    """An office's Word annex: a title, the table (领域 merged down rows 2–5 of the first
    table, 牵头/配合 down rows 3–4, the area heading across all columns), then the rest of the
    table on the next page with the header repeated."""
    document = Document()
    document.add_paragraph("附件：福州市鼓楼区儿童发展规划（2021—2030年）主要指标")
    first = document.add_table(rows=1 + len(FIRST_PAGE), cols=len(HEADER))
    for r, row in enumerate([HEADER, *FIRST_PAGE]):
        for c, text in enumerate(row):
            if text:
                first.cell(r, c).text = text
    first.cell(1, 0).merge(first.cell(1, 6))
    first.cell(2, 1).merge(first.cell(5, 1))
    first.cell(2, 5).merge(first.cell(4, 5))
    first.cell(2, 6).merge(first.cell(4, 6))
    document.add_page_break()
    second = document.add_table(rows=1 + len(NEXT_PAGE), cols=len(HEADER))
    for r, row in enumerate([HEADER, *NEXT_PAGE]):
        for c, text in enumerate(row):
            second.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def cat(db):
    return catalogue.read_from_store(open_store(db))


def read(cat, raw: bytes, name: str = "附件.docx") -> annex.AnnexTable:
    return annex.read_annex(raw, name, cat, catalogue.find_plan(cat.plans, C21), C21,
                            config.settings().upload)


def test_a_word_annex_is_read_with_its_merged_cells_and_problems(cat):
    table = read(cat, annex_document())
    assert [(p.row, p.column, p.code) for p in table.errors] == [
        (5, "指标名称", "unknown-indicator"), (6, "目标值", "unreadable-target")]
    rows = table.rows.set_index("indicator_code")
    assert rows.loc["infant_mortality_rate", ["kind", "value", "target_year", "lead_unit",
                                              "supporting_units"]].tolist() == [
        "at_most", 3.5, 2030, "市卫健委", "市财政局|市医保局"]
    # The merged 牵头部门 / 配合部门 count for the eye-care row beneath.
    assert rows.loc["eye_care_coverage_rate", ["kind", "value", "lead_unit",
                                               "supporting_units"]].tolist() == [
        "at_least", 92, "市卫健委", "市财政局|市医保局"]
    # The table's continuation: its repeated header left out, its rows numbered on.
    assert rows.loc["preschool_gross_enrolment_rate", ["row", "kind", "value", "target_year",
                                                       "lead_unit"]].tolist() == [
        7, "at_least", 95, 2025, "市教育局"]
    assert rows.loc["senior_secondary_gross_enrolment_rate", ["row", "kind"]].tolist() == [
        8, "increase"]


def test_a_word_file_without_a_table_or_broken_is_one_problem(cat):
    document = Document()
    document.add_paragraph("福州市儿童发展纲要主要目标：婴儿死亡率控制在3.5‰以下。")
    buffer = io.BytesIO()
    document.save(buffer)
    [found] = read(cat, buffer.getvalue()).problems
    assert (found.code, found.row) == ("unreadable-file", None) and "没有表格" in found.message
    [broken] = read(cat, b"PK\x03\x04 not really a zip").problems
    assert broken.code == "unreadable-file" and ".docx" in broken.message


def test_plan_import_takes_the_word_annex(db, tmp_path, capsys):
    path = tmp_path / "鼓楼区附件.docx"
    path.write_bytes(annex_document())
    code = cli.main(["plan", "import", str(path), "--region", "350102",
                     "--name", "鼓楼区儿童发展规划（2021—2030年）",
                     "--parent", "350100-children-2021-2030", "--db", str(db)])
    printed = capsys.readouterr().out
    assert code == 1 and "第5行「指标名称」[unknown-indicator]" in printed
    assert open_store(db).fetch_user_plans().empty  # nothing written with an error
