"""The visit briefing of the demonstration county 松屏县 (990124, gaps and lagging indicators):
the workbook and the Word document say what the evaluation says."""
import io
import os
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from metrics import catalogue, config, evaluation
from metrics.errors import NotFoundError
from metrics.reports import briefing, chart_images
from metrics.store import open_store

SETTINGS = config.settings().evaluation
OUTLINE, REGION, YEAR = "children-2021-2030", "990124", 2024
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def no_chromium(monkeypatch):
    """Chart export fails as it does on a server without Chromium (and the test stays fast)."""
    def fail(fig):
        raise RuntimeError("未找到Chrome/Chromium浏览器")
    monkeypatch.setattr(chart_images, "png", fail)


def make(db, department=None) -> tuple[briefing.Briefing, pd.DataFrame]:
    """The briefing, and the evaluation it should report, computed independently."""
    with open_store(db).session() as con:
        cat = catalogue.read_from_store(con)
        evaluated = evaluation.run(con, cat, OUTLINE, [REGION], YEAR, settings=SETTINGS)
        made = briefing.build(con, cat, OUTLINE, REGION, YEAR, department=department,
                              settings=SETTINGS)
        return made, evaluated


def sheet_rows(content: bytes, name: str) -> list[dict]:
    """The data rows of one sheet as dicts keyed by the header."""
    rows = list(load_workbook(io.BytesIO(content))[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def document_text(content: bytes) -> str:
    """Every paragraph and table cell of a .docx."""
    doc = Document(io.BytesIO(content))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_workbook_lists_every_indicator_and_exactly_the_data_gaps(db, no_chromium):
    made, evaluated = make(db)
    content = briefing.workbook_bytes(made)
    indicators = sheet_rows(content, "指标")
    assert [r["指标"] for r in indicators] == list(evaluated["name"])
    assert [r["状态"] for r in indicators] == list(evaluated["status_label"])
    short = evaluated[evaluated["status"] == "insufficient_data"]
    gaps = sheet_rows(content, "数据缺口")
    assert len(short) > 0 and sorted(r["指标"] for r in gaps) == sorted(short["name"])
    stale = next(r for r in gaps if r["指标"] == "5岁以下儿童死亡率")  # last value 2021
    assert "2021年" in stale["缺少的数据"] and stale["需补报年份"] == "2024年"
    assert stale["牵头单位"] == "卫生健康委" and "公安局" in stale["配合单位"]
    never = next(r for r in gaps if r["指标"] == "儿童伤害死亡率")  # no value at all
    assert "基线值" in never["缺少的数据"] and never["需补报年份"] == "2020、2024年"
    unverified = next(r for r in indicators if r["指标"] == "初中生近视率")
    assert unverified["目标（核实情况）"].endswith("（未核实）")


def test_overview_sheet_gives_both_attainment_rates(db, no_chromium):
    made, evaluated = make(db)
    cells = [c for row in load_workbook(io.BytesIO(briefing.workbook_bytes(made)))["概况"]
             .iter_rows(values_only=True) for c in row if c is not None]
    judged = evaluated[evaluated["status"] != "no_target"]
    attained = judged["status"].isin(["achieved", "basically_achieved"]).sum()
    with_data = (judged["status"] != "insufficient_data").sum()
    assert f"达标率（无数据计入分母）{attained / len(judged):.1%}（{attained}/{len(judged)}）" in cells
    assert f"达标率（不计无数据）{attained / with_data:.1%}（{attained}/{with_data}）" in cells


def test_focus_notes_reach_both_files(db, no_chromium):
    note = pd.DataFrame({"indicator_code": ["neonatal_mortality_rate"], "reason": ["产科力量不足"],
                         "measures": ["县医院新生儿科扩编"], "deadline": ["2025年底"],
                         "responsible": ["县卫生健康局"]})
    with open_store(db).transaction() as con:
        con.save_focus_items(OUTLINE, REGION, note, "测试")
    made, evaluated = make(db)
    focus = sheet_rows(briefing.workbook_bytes(made), "重点难点")
    concerns = evaluated[evaluated["status"].isin(["off_track", "at_risk", "insufficient_data"])]
    assert len(focus) == len(concerns)
    noted = next(r for r in focus if r["指标"] == "新生儿死亡率")
    assert (noted["原因"], noted["时限"]) == ("产科力量不足", "2025年底")
    assert "县医院新生儿科扩编" in document_text(briefing.document_bytes(made))


def test_document_names_the_region_and_every_off_track_indicator(db, no_chromium):
    made, evaluated = make(db)
    content = briefing.document_bytes(made)
    doc = Document(io.BytesIO(content))
    title = doc.paragraphs[0]
    assert title.text == "松屏县（演示）《中国儿童发展纲要（2021—2030年）》实施情况评估简报"
    assert title.runs[0]._r.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "方正小标宋简体"
    assert round(doc.sections[0].page_width.mm) == 210
    text = document_text(content)
    off_track = evaluated.loc[evaluated["status"] == "off_track", "name"]
    assert len(off_track) > 0 and all(f"{name}（进度滞后）" in text for name in off_track)
    assert "图表未能生成" in text and len(doc.inline_shapes) == 0
    assert "（未核实）" in text and "九年义务教育巩固率" in text  # in the data-gap checklist


def test_department_filter_keeps_that_departments_indicators(db, no_chromium):
    made, evaluated = make(db, department="妇联")
    involved = evaluated["lead_department"].eq("妇联") | \
        evaluated["supporting_departments"].fillna("").str.split("|").map(lambda d: "妇联" in d)
    rows = sheet_rows(briefing.workbook_bytes(made), "指标")
    assert 0 < len(rows) < len(evaluated)
    assert [r["指标"] for r in rows] == list(evaluated.loc[involved, "name"])
    assert "妇联牵头或配合的指标" in document_text(briefing.document_bytes(made))


def test_a_department_no_indicator_names_is_refused_with_those_there_are(db, no_chromium):
    # Whole names only, as on the page: 联 is part of 妇联 and 残联 but names neither.
    with pytest.raises(NotFoundError) as caught:
        make(db, department="联")
    assert "「联」" in str(caught.value) and "妇联" in str(caught.value)
    assert "卫生健康委" in str(caught.value)


def test_charts_are_embedded_when_chromium_is_installed(db):
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            raise RuntimeError("REQUIRE_BROWSER is set but /usr/bin/chromium is missing")
        pytest.skip("Debian chromium is not installed")
    made, evaluated = make(db)
    lagging = evaluated.loc[evaluated["status"].isin(["off_track", "at_risk"]), "indicator_code"]
    assert made.chart_error is None and set(made.charts) == set(lagging)
    assert all(png.startswith(b"\x89PNG") for png in made.charts.values())
    doc = Document(io.BytesIO(briefing.document_bytes(made)))
    assert len(doc.inline_shapes) == len(lagging)


def document_paragraphs(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs if p.text]


def part(paragraphs: list[str], heading: str) -> list[str]:
    """The paragraphs under one 一、… heading, up to the next."""
    start = next(i for i, t in enumerate(paragraphs) if t.endswith("、" + heading))
    ends = [i for i, t in enumerate(paragraphs) if i > start and t[1:2] == "、"
            and t[0] in "一二三四五六七八九十"]
    return paragraphs[start + 1:ends[0] if ends else None]


def test_responsible_unit_defaults_to_the_lead_department_in_both_files(db, no_chromium):
    made, evaluated = make(db)
    lead = dict(zip(evaluated["name"], evaluated["lead_department"]))
    focus = sheet_rows(briefing.workbook_bytes(made), "重点难点")
    assert focus and all(r["责任单位"] == lead[r["指标"]] for r in focus)
    grid = Document(io.BytesIO(briefing.document_bytes(made))).tables
    focus_grid = next(t for t in grid if t.rows[0].cells[-1].text == "责任单位")
    rows = [[c.text for c in r.cells] for r in focus_grid.rows[1:]]
    assert rows and all(r[-1] == lead[r[0]] for r in rows)


def test_document_reports_the_achievements_with_their_numbers(db, no_chromium):
    made, evaluated = make(db)
    met = evaluated[evaluated["status"].isin(["achieved", "basically_achieved"])]
    achieved = part(document_paragraphs(briefing.document_bytes(made)), "主要成效")
    assert achieved[0] == f"已达标或基本达标{len(met)}项。"
    # 0～6岁儿童眼保健和视力检查覆盖率: 90.4% (2020) → 91.2% (2022), target ≥ 90%.
    assert "1. 0～6岁儿童眼保健和视力检查覆盖率：2022年91.2%，较2020年90.4%上升0.8个百分点，已达标。" \
        in achieved
    assert len(achieved) == 1 + len(met)


def test_document_gives_the_rank_among_the_sister_counties(db, no_chromium):
    made, _ = make(db)
    with open_store(db).session() as con:
        cat = catalogue.read_from_store(con)
        counties = list(cat.regions.loc[cat.regions["parent_code"] == "990100", "code"])
        sisters = evaluation.run(con, cat, OUTLINE, counties, YEAR, settings=SETTINGS)
    infant = sisters[sisters["indicator_code"] == "infant_mortality_rate"].dropna(
        subset=["latest_value"])
    rank = int((infant["latest_value"] < infant.set_index("region_code").at[REGION,
                                                                         "latest_value"]).sum()) + 1
    grid = next(t for t in Document(io.BytesIO(briefing.document_bytes(made))).tables
                if t.rows[0].cells[2].text == "位次")
    header = [c.text for c in grid.rows[0].cells]
    assert header == ["指标", "本地区", "位次", "示范市（演示）", "全国", "说明"]
    row = next([c.text for c in r.cells] for r in grid.rows if r.cells[0].text == "婴儿死亡率")
    assert row[2] == f"{rank}/{len(infant)}"
    assert row[1] == "8.2‰（2022年）" and "年份不一" in row[5]
    sheet = {r["指标"]: r for r in sheet_rows(briefing.workbook_bytes(made), "同级比较")}
    assert list(sheet["婴儿死亡率"].values()) == row


def test_document_lists_the_caveats(db, no_chromium):
    with open_store(db).session() as con:
        cat = catalogue.read_from_store(con)
        made = briefing.build(con, cat, "women-2021-2030", "990121", YEAR, settings=SETTINGS)
    paragraphs = document_paragraphs(briefing.document_bytes(made))
    caveats = part(paragraphs, "数据说明")
    # 青禾县's 2024 maternal mortality is 0 deaths in 3,388 births.
    assert caveats[0].startswith("1. 孕产妇死亡率0.0/10万（2024年）：基数小，波动大（0/3388），"
                                 "95%置信区间0.00—")
    assert any("目标值尚未在纲要公开文本中核实" in c and "村委会成员中女性比例" in c for c in caveats)
    gaps = len(made.gaps)
    assert any(f"{gaps}项设有目标的指标数据不足" in c for c in caveats)
    overview = [c for row in load_workbook(io.BytesIO(briefing.workbook_bytes(made)))["概况"]
                .iter_rows(values_only=True) for c in row if c is not None]
    assert made.caveats and all(c in overview for c in made.caveats)
    assert any(t.startswith("1. 孕产妇死亡率：2024年0.0/10万（基数小，波动大，见数据说明）")
               for t in part(paragraphs, "主要成效"))


def test_workbook_prints_on_a4_landscape_one_page_wide_with_repeated_headers(db, no_chromium):
    made, _ = make(db)
    book = load_workbook(io.BytesIO(briefing.workbook_bytes(made)))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9)  # 9: A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert made.title in sheet.oddHeader.center.text
        assert "&P" in sheet.oddFooter.center.text
    assert [s.print_title_rows for s in book.worksheets] == [None] + ["$1:$1"] * 4


def test_a_briefing_for_a_region_under_a_local_plan_names_the_plan(db, no_chromium):
    """港北区 under 贵港市's plan: the Word title block and the workbook's 概况 name it; the
    demonstration county under no plan names none."""
    with open_store(db).session() as con:
        cat = catalogue.read_from_store(con)
        made = briefing.build(con, cat, "women-2011-2020", "450802", 2015, settings=SETTINGS)
    line = "适用规划：《贵港市妇女发展规划（2011—2020年）》"
    assert document_paragraphs(briefing.document_bytes(made))[:3][1] == line
    overview = [row for row in load_workbook(io.BytesIO(briefing.workbook_bytes(made)))["概况"]
                .iter_rows(values_only=True)]
    assert ("适用规划", "《贵港市妇女发展规划（2011—2020年）》") in [row[:2] for row in overview]
    demo, _ = make(db)
    assert demo.plan_line is None
    assert not any(p.startswith("适用规划") for p in document_paragraphs(
        briefing.document_bytes(demo)))
