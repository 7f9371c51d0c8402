"""The briefing as a Word document (python-docx) laid out like a government document
(metrics/reports/docx_layout.py): title, date line, then the numbered parts of SECTIONS —
summary, 主要成效, areas, lagging indicators with charts, standing among the sister regions,
重点难点, data gaps and the caveats.
"""
from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from metrics.evaluation import attainment, status
from metrics.reports import briefing_findings as findings
from metrics.reports.docx_layout import (
    BODY_SIZE,
    SUBHEADING_FONT,
    TABLE_SIZE,
    TITLE_FONT,
    chinese_number,
    heading,
    paragraph,
    set_up_page,
    table,
)
from metrics.wording import chinese_date, percent

if TYPE_CHECKING:
    from metrics.reports.briefing import Briefing

COUNTED = [s for s in status.STATUSES if s.code != "no_target"]
STATUS_COLOURS = {s.label: s.colour.lstrip("#") for s in status.STATUSES}


def document_bytes(briefing: Briefing) -> bytes:
    """The .docx file of the briefing."""
    doc = Document()
    set_up_page(doc)
    paragraph(doc, briefing.title, TITLE_FONT, 22, bold=True, centred=True, line=36)
    if briefing.plan_line:
        paragraph(doc, briefing.plan_line, SUBHEADING_FONT, BODY_SIZE, centred=True)
    paragraph(doc, dateline(briefing), SUBHEADING_FONT, BODY_SIZE, centred=True)
    for number, (title, write) in enumerate(SECTIONS, start=1):
        heading(doc, f"{chinese_number(number)}、{title}")
        write(doc, briefing)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def dateline(briefing: Briefing) -> str:
    """（2024年度 · 2025年11月23日）, naming the department when narrowed to one."""
    scope = f" · {briefing.department}牵头或配合的指标" if briefing.department else ""
    return f"（{briefing.year}年度{scope} · {chinese_date(briefing.date)}）"


def summary(briefing: Briefing) -> str:
    """The 总体情况 paragraph: scope, counts per flag, both 达标率, where the lags concentrate."""
    frame = briefing.indicators
    text = (f"本简报依据《{briefing.outline_name}》，对{briefing.region_name}{len(frame)}项监测指标"
            f"截至{briefing.year}年的实施情况进行评估，评估方法为{briefing.method_label}。")
    if briefing.overall is None:
        return text + "这些指标均未设量化目标，仅作监测。"
    counts = frame["status"].value_counts()
    listed = "、".join(f"{s.label}{counts[s.code]}项" for s in COUNTED if counts.get(s.code, 0))
    first, second = attainment.rate_labels(briefing.overall)
    text += (f"其中{int(briefing.overall['indicators'])}项设有量化目标：{listed}；"
             f"{first}，{second}。{worst_areas(briefing)}")
    untargeted = int(counts.get("no_target", 0))
    unverified = int((frame["target_display"].str.contains("未核实")).sum())
    if untargeted:
        text += f"另有{untargeted}项指标未设量化目标，仅作监测。"
    if unverified:
        text += f"有{unverified}项目标值尚未在纲要公开文本中核实，文中标注“未核实”，引用时请注意。"
    return text


def summary_section(doc, briefing: Briefing) -> None:
    """总体情况: the summary paragraph."""
    paragraph(doc, summary(briefing), indent=True)


def achievements_section(doc, briefing: Briefing) -> None:
    """主要成效: the indicators met, then those improved since the baseline, with numbers."""
    rows = briefing.achievements
    if rows.empty:
        paragraph(doc, "暂无已达标、基本达标或较基线改善的指标。", indent=True)
        return
    paragraph(doc, findings.achievement_summary(rows), indent=True)
    for number, text in enumerate(rows["achievement"], start=1):
        paragraph(doc, f"{number}. {text}", indent=True)


def standing_section(doc, briefing: Briefing) -> None:
    """在同级地区中的位次: rank per indicator among the sister regions, with the parent's and
    全国's values."""
    standing = briefing.standing
    if standing.empty:
        paragraph(doc, "无可比较的同级地区数据（或同级地区不在阅读人的查看范围内）。", indent=True)
        return
    columns = [c for c in standing.columns if c != "indicator_code"]
    compared = len(columns) - 4
    paragraph(doc, "位次按最新值由好到差排列（越低越好的指标从低到高），分母为有数据的同级地区数。",
              indent=True)
    table(doc, columns, standing[columns].astype(str).values.tolist(),
          [3.4, 2.6, 1.3, *[2.6] * compared, 5.6 - 2.6 * (compared - 1)])


def caveats_section(doc, briefing: Briefing) -> None:
    """数据说明: what a reader must weigh before quoting a figure."""
    if not briefing.caveats:
        paragraph(doc, "无需特别说明的情况。", indent=True)
        return
    for number, text in enumerate(briefing.caveats, start=1):
        paragraph(doc, f"{number}. {text}", indent=True)


def worst_areas(briefing: Briefing) -> str:
    """The (at most two) areas with the most off-track, missed and at-risk indicators."""
    areas = briefing.areas.assign(lagging=briefing.areas["off_track"]
                                  + briefing.areas["not_achieved"] + briefing.areas["at_risk"])
    areas = areas[areas["lagging"] > 0].sort_values(["lagging", "rate_with_missing"],
                                                    ascending=[False, True]).head(2)
    if areas.empty:
        return "各领域均无进度滞后、未达标或需关注的指标。"
    named = "、".join(f"{a.area_name}（{int(a.lagging)}项，达标率{percent(a.rate_with_missing)}）"
                     for a in areas.itertuples())
    return f"进度滞后、未达标和需关注的指标主要集中在{named}。"


def area_table(doc, briefing: Briefing) -> None:
    """Counts per flag and both 达标率 for each area."""
    if briefing.areas.empty:
        paragraph(doc, "无设有量化目标的指标。", indent=True)
        return
    header = ["领域", "有目标指标", *[s.label for s in COUNTED], "达标率（计入无数据）",
              "达标率（不计无数据）"]
    rows = [[a["area_name"], str(int(a["indicators"])), *[str(int(a[s.code])) for s in COUNTED],
             percent(a["rate_with_missing"]), percent(a["rate_without_missing"])]
            for _, a in briefing.areas.iterrows()]
    # One narrow column per flag, so the table fits the 15.6 cm text width whatever their number.
    table(doc, header, rows, [2.4, 1.3, *[8.4 / len(COUNTED)] * len(COUNTED), 1.6, 1.6])


def lagging_sections(doc, briefing: Briefing) -> None:
    """Per off-track / at-risk indicator: heading, explanation, departments and chart."""
    lagging = briefing.charted()
    if lagging.empty:
        paragraph(doc, "无进度滞后或需关注的指标。", indent=True)
        return
    if briefing.chart_error:
        paragraph(doc, f"图表未能生成（{briefing.chart_error}），缺图的指标仅列文字说明。",
                  indent=True)
    for number, row in enumerate(lagging.itertuples(), start=1):
        heading(doc, f"（{chinese_number(number)}）{row.name}（{row.status_label}）",
                SUBHEADING_FONT)
        paragraph(doc, f"{row.explanation}{departments_text(row)}", indent=True)
        if row.indicator_code in briefing.charts:
            doc.add_picture(io.BytesIO(briefing.charts[row.indicator_code]), width=Cm(15))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def departments_text(row) -> str:
    """牵头单位：卫生健康委。 — or, where a local plan assigns the indicator (目标责任分解), its
    units, contact and deadline and whose assignment it is."""
    lead = f"牵头单位：{row.lead_department or '—'}"
    if pd.isna(row.responsibility_plan):
        return f"{lead}。"
    parts = [lead]
    for label, value in (("配合单位", row.supporting_departments),
                         ("联系人", row.responsibility_contact),
                         ("完成时限", row.responsibility_deadline)):
        if pd.notna(value) and value:
            parts.append(f"{label}：{str(value).replace('|', '、')}")
    return f"{'；'.join(parts)}（据《{row.responsibility_plan}》目标责任分解）。"


def focus_table(doc, briefing: Briefing) -> None:
    """重点难点指标 with 原因 / 整改措施 / 时限 / 责任单位 (blank until the office fills them)."""
    focus = briefing.focus
    if focus.empty:
        paragraph(doc, "无进度滞后、未达标、需关注或数据不足的指标。", indent=True)
        return
    rows = [[f.name, f.status_label, f"{f.latest_display}；目标{f.target_display}", f.reason,
             f.measures, f.deadline, f.responsible] for f in focus.itertuples()]
    table(doc, ["指标", "状态", "现状与目标", "原因", "整改措施", "时限", "责任单位"], rows,
          [2.6, 1.5, 3.0, 2.6, 2.6, 1.4, 1.9], status_column=1, colours=STATUS_COLOURS)
    if (focus[["reason", "measures", "deadline", "responsible"]] == "").any(axis=None):
        paragraph(doc, "注：空白处为尚未填写的原因、整改措施、时限或责任单位，请在评估前补充。",
                  size=TABLE_SIZE + 1.5, line=20)


def gap_table(doc, briefing: Briefing) -> None:
    """The data-gap checklist: what to ask which department for."""
    if briefing.gaps.empty:
        paragraph(doc, "设有目标的指标均有可用数据。", indent=True)
        return
    columns = ["指标", "缺少的数据", "需补报年份", "牵头单位", "配合单位"]
    rows = briefing.gaps[columns].astype(str).values.tolist()
    table(doc, columns, rows, [3.2, 4.6, 2.6, 2.0, 3.2])


# The document's parts in order, numbered 一、二、… as they are written.
SECTIONS = [("总体情况", summary_section), ("主要成效", achievements_section),
            ("分领域情况", area_table), ("进度滞后、未达标和需关注指标", lagging_sections),
            ("在同级地区中的位次", standing_section), ("重点难点指标", focus_table),
            ("数据缺口清单", gap_table), ("数据说明", caveats_section)]
