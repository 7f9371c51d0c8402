"""The evaluation-visit briefing (评估简报) for one region: every indicator of an outline with its
explanation, 达标率 both ways overall and per area, the 重点难点 notes, the data-gap checklist
and a chart per lagging indicator — gathered once by `build`, then laid out as an Excel workbook
(metrics/briefing_xlsx.py) or a Word document (metrics/briefing_docx.py).

It reads the store only through the Store it is given.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from metrics import evaluation, targets
from metrics import regions as regions_module
from metrics.catalogue import Catalogue
from metrics.errors import NotFoundError
from metrics.evaluation import attainment, explain, status
from metrics.evaluation.local_rows import marked_names
from metrics.plans import in_force
from metrics.reports import briefing_findings as findings
from metrics.reports import chart_images, charts
from metrics.reports.briefing_docx import document_bytes
from metrics.reports.briefing_xlsx import workbook_bytes
from metrics.settings import EvaluationSettings
from metrics.store import FOCUS_FIELDS, Store
from metrics.views import midterm, trends
from metrics.wording import latest_text

__all__ = ["Briefing", "build", "document_bytes", "workbook_bytes"]

# Flags whose indicators get a heading, an explanation and a chart, worst first.
CHARTED = ("off_track", "not_achieved", "at_risk")
GAP_COLUMNS = ["领域", "指标", "单位", "缺少的数据", "需补报年份", "牵头单位", "配合单位"]


@dataclass(frozen=True)
class Briefing:
    """Everything one briefing shows; the writers only lay it out."""
    title: str
    region_name: str            # with （演示） for the fictional demonstration regions
    outline_name: str
    plan_line: str | None       # 适用规划：《…》 for a region under a local plan
    year: int
    method_label: str
    department: str | None      # the department the indicators were narrowed to, if any
    date: dt.date
    indicators: pd.DataFrame    # evaluation rows, one per indicator, + explanation and the
    #                             target_display / latest_display texts
    overall: pd.Series | None   # attainment.rates overall; None when no indicator has a target
    areas: pd.DataFrame         # attainment.rates per area_name, in outline order
    focus: pd.DataFrame         # concern rows + reason/measures/deadline/responsible ('' if none)
    gaps: pd.DataFrame          # GAP_COLUMNS, one row per indicator with a target but no data
    charts: dict[str, bytes]    # indicator_code → PNG, for the CHARTED indicators
    chart_error: str | None     # why there are no charts, when the export failed
    achievements: pd.DataFrame  # indicator rows met or improved, + their `achievement` sentence
    standing: pd.DataFrame      # peers.standing: rank among the sister regions per indicator
    caveats: list[str]          # few events, unverified targets, data gaps

    def charted(self) -> pd.DataFrame:
        """The off-track, then the at-risk indicators, in outline order within each."""
        rows = self.indicators[self.indicators["status"].isin(CHARTED)]
        return rows.sort_values("status", key=lambda s: s.map(CHARTED.index), kind="stable")


def build(store: Store, cat: Catalogue, outline_id: str, region_code: str, year: int,
          department: str | None = None, method: str | None = None, *,
          settings: EvaluationSettings) -> Briefing:
    """The briefing of one region for an outline and evaluation year (see metrics.evaluation).

    department: keep only indicators this department leads or supports (its exact name).
    Charts are PNGs exported through Chromium; without it the briefing has none and says why.
    """
    evaluated = evaluation.run(store, cat, outline_id, [region_code], year, method,
                               settings=settings)
    frame = for_department(evaluated, department)
    frame = frame.assign(name=marked_names(frame),
                         explanation=explain.explain(frame, settings=settings),
                         target_display=[targets.target_text(row) for row in frame.itertuples()],
                         latest_display=[latest_text(r.latest_value, r.latest_year, r.unit,
                                                     r.decimals) for r in frame.itertuples()])
    plan = cat.plans.set_index("id").loc[outline_id]
    region_name = regions_module.label(cat.regions.set_index("code").loc[region_code])
    observations = store.fetch_observations(list(frame["indicator_code"]), [region_code])
    # As the evaluation does: empty values do not count, later years are not yet known.
    observations = observations[observations["value"].notna() & (observations["year"] <= year)]
    images, error = chart_pngs(cat, frame, observations, outline_id, int(plan["baseline_year"]))
    judged = frame["status"].ne("no_target").any()
    gaps = data_gaps(frame, observations, settings)
    return Briefing(
        title=f"{region_name}《{plan['name']}》实施情况评估简报",
        region_name=region_name, outline_name=plan["name"],
        plan_line=in_force.governing_line(cat, outline_id, region_code), year=year,
        method_label=evaluation.METHODS[method or settings.default_method],
        department=department, date=dt.date.today(), indicators=frame,
        overall=attainment.rates(frame).iloc[0] if judged else None,
        areas=attainment.rates(frame, by=["area_name"]) if judged else pd.DataFrame(),
        focus=focus_table(frame, store.fetch_focus_items(outline_id, [region_code])),
        gaps=gaps, charts=images, chart_error=error,
        achievements=findings.achievements(frame),
        standing=findings.standing(store, cat, frame, outline_id, region_code, year, method,
                                   settings=settings),
        caveats=findings.caveats(frame, gaps))


def for_department(frame: pd.DataFrame, department: str | None) -> pd.DataFrame:
    """Rows whose lead or one of the supporting departments is `department` (all rows if None);
    NotFoundError, listing the departments there are, when no indicator names it."""
    if not department:
        return frame.reset_index(drop=True)
    involved = midterm.involves(frame, department)
    if not involved.any():
        raise NotFoundError(f"没有指标由「{department}」牵头或配合，可选的责任单位："
                            f"{'、'.join(midterm.departments(frame))}")
    return frame[involved].reset_index(drop=True)


def focus_table(frame: pd.DataFrame, notes: pd.DataFrame) -> pd.DataFrame:
    """重点难点指标 (status.CONCERNS), worst flag first, with the stored notes ('' if none);
    责任单位 defaults to the lead department, as on the page."""
    concerns = frame[frame["status"].isin(status.CONCERNS)]
    concerns = concerns.sort_values("status", key=lambda s: s.map(status.CONCERNS.index),
                                    kind="stable")
    merged = concerns.merge(notes[["indicator_code", *FOCUS_FIELDS]],
                            on="indicator_code", how="left")
    merged[FOCUS_FIELDS] = merged[FOCUS_FIELDS].fillna("")
    lead = merged["lead_department"].fillna("")
    merged["responsible"] = merged["responsible"].where(merged["responsible"] != "", lead)
    return merged


def data_gaps(frame: pd.DataFrame, observations: pd.DataFrame,
              settings: EvaluationSettings) -> pd.DataFrame:
    """The checklist to send to the departments: one row per indicator flagged 数据不足 (which
    implies it has a target) saying what is missing, which years to ask for, and from whom."""
    rows = []
    for row in frame[frame["status"] == "insufficient_data"].itertuples():
        held = set(observations.loc[observations["indicator_code"] == row.indicator_code, "year"])
        missing, years = missing_data(row, held, settings)
        supporting = (row.supporting_departments or "").replace("|", "、")
        rows.append([row.area_name, row.name, row.unit, "；".join(missing), years_text(years),
                     row.lead_department or "—", supporting or "—"])
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def missing_data(row, held: set[int],
                 settings: EvaluationSettings) -> tuple[list[str], set[int]]:
    """What a 数据不足 row lacks, and the years whose values would fill the gap."""
    year, base = int(row.evaluation_year), int(row.outline_baseline_year)
    missing, years = [], set()
    if pd.isna(row.latest_year):
        missing.append("最新值（尚无任何年份的数据）")
        years.add(year)
    elif row.stale:
        missing.append(f"最新值（现有最新为{int(row.latest_year)}年，"
                       f"已超过{settings.staleness_years}年时效）")
        years.add(year)
    elif row.latest_year < base:
        missing.append(f"最新值（现有最新为{int(row.latest_year)}年，早于基线年）")
        years.add(max(year, base))
    if pd.isna(row.baseline_value):
        missing.append(f"{base}年基线值")
        years.add(base)
    if not missing:
        # Values exist but too few years to measure progress: ask for the years in between.
        missing.append(explain.missing_reason(row, settings))
        years = set(range(base, year + 1)) - held
    return missing, years


def years_text(years: set[int]) -> str:
    """2020、2022—2024年 (consecutive years as a range)."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}—{r[-1]}" for r in runs]
    return f"{'、'.join(parts)}年" if parts else "—"


def chart_pngs(cat: Catalogue, frame: pd.DataFrame, observations: pd.DataFrame,
               outline_id: str, baseline_year: int) -> tuple[dict[str, bytes], str | None]:
    """A trend chart per off-track or at-risk indicator; on the first failed export, the
    charts made so far and the reason (the document then says 图表未能生成)."""
    lagging = frame[frame["status"].isin(CHARTED)]
    points = trends.series(cat, observations, list(frame["region_code"].unique()), outline_id)
    lines, paths = trends.target_lines(cat, lagging), trends.target_paths(cat, lagging)
    images = {}
    for row in lagging.itertuples():
        series = points[points["indicator_code"] == row.indicator_code]
        figure = charts.trend_figure(series, lines[lines["indicator_code"] == row.indicator_code],
                                     baseline_year,
                                     paths[paths["indicator_code"] == row.indicator_code])
        # For print: type that stays legible when the image (chart_images.WIDTH px) is scaled
        # to the 15 cm text width.
        figure.update_layout(font_size=15).update_annotations(font_size=14)
        try:
            images[row.indicator_code] = chart_images.png(figure)
        except RuntimeError as exc:
            return images, (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return images, None
