"""The Chinese sentence behind every flag, with the numbers a person needs to check it, e.g.
「2024年14.3/10万，目标为2030年≤12/10万（已核实）；以2020年16.9为基线直线推进，2024年应为
14.94，实际进度为应有进度的133%，进度正常。2025—2030年每年需下降0.38/10万。」

Sentences are written for the rows a person looks at (a region's table, a briefing), from the
columns evaluation.evaluate computed: each row's sentence is the template of the status rule
that decided its flag (status.RULES, named in the row's status_rule), its fields worded here.
The flags themselves never depend on this text.
"""
from __future__ import annotations

import pandas as pd

from metrics import targets
from metrics.evaluation import status
from metrics.settings import EvaluationSettings
from metrics.wording import difference_unit, format_number, format_value


def num(value, decimals) -> str:
    """A value without unit, at the indicator's decimals + 1 for derived figures."""
    return format_number(value, None if pd.isna(decimals) else int(decimals) + 1)


def target_phrase(row) -> str:
    """目标为2030年≤12/10万（已核实）; a local plan's target says whose it is:
    目标为2030年≤4‰（已核实），目标来自《福州市儿童发展纲要（2021—2030年）》."""
    text = f"目标为{targets.target_text(row)}"
    level = getattr(row, "plan_level", None)
    if pd.isna(level) or level == "national":
        return text
    return f"{text}，目标来自《{row.plan_name}》"


def head(row) -> str:
    """What the latest value is and what the target asks."""
    latest = format_value(row.latest_value, row.unit, row.decimals)
    return f"{int(row.latest_year)}年{latest}，{target_phrase(row)}"


def baseline_span(row, settings: EvaluationSettings) -> str:
    """2020年（前后1年内）: the years a baseline value may come from (just 2020年 when the
    window is 0)."""
    year = f"{int(row.outline_baseline_year)}年"
    window = settings.baseline_window
    return f"{year}（前后{window}年内）" if window else year


def baseline_text(row) -> str:
    """以2020年16.9为基线 (saying so when a neighbouring year stood in)."""
    used = int(row.baseline_year_used)
    note = "" if used == row.outline_baseline_year else \
        f"（{int(row.outline_baseline_year)}年无数据，以{used}年代替）"
    return f"以{used}年{format_number(row.baseline_value, row.decimals)}为基线{note}"


def method_text(row) -> str:
    """The method's computation in words, ending with the status label."""
    ratio = "—" if pd.isna(row.progress_ratio) else f"{row.progress_ratio * 100:.0f}%"
    if row.wrong_way and row.method != "projection":
        return f"{baseline_text(row)}，最新值反向变化，{row.status_label}"
    if row.method in ("linear", "sdsn"):
        return (f"{baseline_text(row)}直线推进，{int(row.latest_year)}年应为"
                f"{num(row.expected_now, row.decimals)}，实际进度为应有进度的{ratio}，"
                f"{row.status_label}")
    if row.method == "cagr":
        return (f"{baseline_text(row)}，年均变化率{row.cagr_actual * 100:.2f}%，"
                f"按期实现目标需{row.cagr_required * 100:.2f}%，二者之比{ratio}，"
                f"{row.status_label}")
    return (f"按最近{int(row.trend_points)}年趋势（每年{format_number(row.trend_slope, 3)}）外推，"
            f"{int(row.target_year)}年预计为{num(row.projected_value, row.decimals)}，"
            f"可完成所需变化的{ratio}，{row.status_label}")


def required_text(row) -> str:
    """2025—2030年每年需下降0.38/10万 (or 保持即可 once met)."""
    if row.shortfall <= 0:
        return "已达到目标，今后保持即可。"
    if pd.isna(row.required_annual_change):
        return f"目标年份{int(row.target_year)}年已到，仍未达到目标。"
    change = row.required_annual_change
    verb = "上升" if change > 0 else "下降"
    years = f"{int(row.latest_year) + 1}—{int(row.target_year)}年"
    return f"{years}每年需{verb}{num(abs(change), row.decimals)}{difference_unit(row.unit)}。"


def direction_text(row) -> str:
    """Direction-only targets: 较2020年16.9上升1.2个百分点."""
    change = row.latest_value - row.baseline_value
    moved = "上升" if change > 0 else "下降"
    return (f"较{int(row.baseline_year_used)}年{format_number(row.baseline_value, row.decimals)}"
            f"{moved}{num(abs(change), row.decimals)}{difference_unit(row.unit)}")


def small_numbers_text(row) -> str:
    """基数小，波动大 note with the counts and interval."""
    if not row.small_numbers:
        return ""
    return (f"基数小，波动大（{format_number(row.latest_numerator)}/"
            f"{format_number(row.latest_denominator)}），95%置信区间"
            f"{num(row.ci_low, row.decimals)}—{num(row.ci_high, row.decimals)}。")


# How each template field (see status.py) is worded from a row and the settings.
FIELDS = {
    "head": lambda row, settings: head(row),
    "target": lambda row, settings: target_phrase(row),
    "label": lambda row, settings: row.status_label,
    "progress": lambda row, settings: method_text(row),
    "required": lambda row, settings: required_text(row),
    "small": lambda row, settings: small_numbers_text(row),
    "shortfall": lambda row, settings: num(row.shortfall, row.decimals),
    "gap": lambda row, settings: format_number(
        row.shortfall, None if pd.isna(row.decimals) else int(row.decimals)),
    "tolerance": lambda row, settings: format_number(row.basic_tolerance),
    "change_unit": lambda row, settings: difference_unit(row.unit),
    "direction": lambda row, settings: direction_text(row),
    "latest_year": lambda row, settings: str(int(row.latest_year)),
    "evaluation_year": lambda row, settings: str(int(row.evaluation_year)),
    "baseline_year": lambda row, settings: str(int(row.outline_baseline_year)),
    "staleness_years": lambda row, settings: str(settings.staleness_years),
    "baseline_span": baseline_span,
}


class Wording(dict):
    """The template fields of one row, each worded only when a template asks for it (most
    fields cannot be worded for most rows: a row without data has no latest year)."""

    def __init__(self, row, settings: EvaluationSettings):
        super().__init__()
        self.row, self.settings = row, settings

    def __missing__(self, field: str) -> str:
        if field == "reason":
            return missing_reason(self.row, self.settings)
        return FIELDS[field](self.row, self.settings)


def missing_reason(row, settings: EvaluationSettings) -> str:
    """Why a flag is 数据不足, from the rule that decided it ('' for the other flags)."""
    return status.RULE_BY_CODE[row.status_rule].reason.format_map(Wording(row, settings))


def sentence(row, settings: EvaluationSettings) -> str:
    """The full explanation of one row: the template of the rule that decided its flag."""
    return status.RULE_BY_CODE[row.status_rule].template.format_map(Wording(row, settings))


def explain(frame: pd.DataFrame, *, settings: EvaluationSettings) -> pd.Series:
    """Explanation sentences for the given rows (a region's table, a briefing), worded after
    the settings they were evaluated with."""
    return pd.Series([sentence(row, settings) for row in frame.itertuples()], index=frame.index,
                     dtype="string")
