"""Nothing a user typed becomes a formula in a file the product writes (OWASP CSV injection):
the rule itself, the briefing workbook with notes typed as formulas, the problem list, and the
templates, which still read back as written."""
import csv
import io
import zipfile

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from test_briefing import OUTLINE, REGION, make, no_chromium  # noqa: F401 — fixture

from metrics import config
from metrics.cell_values import inert, inert_frame
from metrics.reports import briefing
from metrics.store import open_store
from metrics.uploads import reading, templates
from metrics.uploads import report as upload_report
from metrics.uploads.problems import problem

HYPERLINK = '=HYPERLINK("http://example.invalid","点此")'
DDE = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("value, written", [
    (HYPERLINK, "'" + HYPERLINK), (DDE, "'" + DDE), ("+1+1", "'+1+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("-0.5个百分点", "'-0.5个百分点"),     # the product's own text: still text, still quoted
    ("产科力量不足", "产科力量不足"), ("—", "—"), ("", ""), ("a=b", "a=b"),
    (-0.5, -0.5), (3, 3), (None, None),    # numbers keep their type
])
def test_inert_quotes_every_text_that_starts_like_a_formula(value, written):
    assert inert(value) == written


def test_numbers_keep_their_numeric_type():
    assert type(inert(np.float64(-2.5))) is np.float64
    frame = inert_frame(pd.DataFrame({"=列": ["=1", "a"], "值": [-1.5, 2.0]}))
    assert list(frame.columns) == ["'=列", "值"]
    assert frame["值"].dtype == "float64" and frame["'=列"].tolist() == ["'=1", "a"]


def test_formula_notes_are_text_in_the_briefing_workbook(db, no_chromium):  # noqa: F811
    note = pd.DataFrame({"indicator_code": ["neonatal_mortality_rate"], "reason": [HYPERLINK],
                         "measures": [DDE], "deadline": ["+2025"], "responsible": ["@县卫健局"]})
    with open_store(db).transaction() as con:
        con.save_focus_items(OUTLINE, REGION, note, "测试")
    content = briefing.workbook_bytes(make(db)[0])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)
    focus = load_workbook(io.BytesIO(content))["重点难点"]
    header = [cell.value for cell in focus[1]]
    row = next(r for r in focus.iter_rows(min_row=2) if r[header.index("指标")].value == "新生儿死亡率")
    cells = {name: row[header.index(name)] for name in ("原因", "整改措施", "时限", "责任单位")}
    assert {n: c.value for n, c in cells.items()} == {
        "原因": "'" + HYPERLINK, "整改措施": "'" + DDE, "时限": "'+2025", "责任单位": "'@县卫健局"}
    assert {c.data_type for c in cells.values()} == {"s"}


def test_the_briefing_keeps_numbers_as_numbers(db, no_chromium):  # noqa: F811
    indicators = load_workbook(io.BytesIO(briefing.workbook_bytes(make(db)[0])))["指标"]
    header = [cell.value for cell in indicators[1]]
    latest = [row[header.index("最新值")] for row in indicators.iter_rows(min_row=2)]
    assert {c.data_type for c in latest if c.value is not None} == {"n"}


def test_the_problem_list_csv_quotes_cell_text_that_starts_like_a_formula():
    found = [problem("unknown-indicator", 2, "=列", text=HYPERLINK, suggestion="")]
    rows = list(csv.reader(io.StringIO(upload_report.problems_csv(found).decode("utf-8-sig"))))
    assert rows[1][1] == "'=列" and rows[1][3] == f"指标「{HYPERLINK}」不在指标目录中。"


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_a_template_whose_texts_start_like_formulas_reads_back_as_written(real_catalogue, form):
    frame = templates.template_frame(real_catalogue, "women-2021-2030", [2023], "450802")
    frame.loc[0, "牵头单位"], frame.loc[1, "指标名称"] = "-卫生健康委", HYPERLINK
    raw = templates.xlsx_bytes(frame) if form == "xlsx" else templates.csv_bytes(frame)
    grid = reading.read_grid(raw, f"模板.{form}", limits=config.settings().upload)
    assert grid.head(1)[0] == list(frame.columns)
    assert grid.cells.iloc[1:3, :5].values.tolist() == frame.iloc[:2, :5].values.tolist()
