"""The evaluation flags: one declarative table of codes, Chinese labels, colours, order and the
rules that decide each flag with the sentence that explains it — read by the engine (which
rule holds), explain.py (the decided rule's sentence), the tables, the charts and the briefings.

A rule is a named condition over the evaluated frame (one row per indicator and region, see
engine.evaluate) and the template of the sentence written when that rule decided the flag. The
engine tries every status's rules together in `precedence` order; the first that holds wins,
and its code is kept in the `status_rule` column so an explanation can be checked against it.
A new status is one more entry in STATUSES, its rules numbered into the gaps of the order.

Template fields are filled by explain.py: head (latest value and target), target (the target
alone), label, reason (the rule's own reason, filled likewise), progress (the method's
computation), required (the change still needed per year), small (基数小 note), shortfall,
tolerance and change_unit (a miss and its unit), gap (a miss at the indicator's decimals), direction (the change since the baseline),
latest_year, evaluation_year, staleness_years, baseline_year (the outline's), baseline_span
(2020年（前后1年内）).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.settings import CutPoints


@dataclass(frozen=True)
class Criteria:
    """What a rule may depend on besides the frame: the method and its cut-points."""
    method: str
    cuts: CutPoints


# A condition marks the rows it holds for (a boolean Series or array; missing counts as False).
Condition = Callable[[pd.DataFrame, Criteria], "pd.Series | np.ndarray"]


@dataclass(frozen=True)
class Rule:
    """One way to reach a status: stable kebab-case code, place in the order of all rules
    (lower is tried first), condition, sentence template and, for 数据不足, the reason alone
    (also listed in the briefing's data-gap checklist)."""
    code: str
    precedence: int
    condition: Condition
    template: str
    reason: str = ""


@dataclass(frozen=True)
class Status:
    """One flag. `attained` marks the flags counted as 达标 in the attainment rate."""
    code: str
    label: str
    colour: str
    attained: bool
    rank: int  # display order, best first; also how severe (higher = worse)
    rules: tuple[Rule, ...]


# Sentences shared by several rules.
SHORT_OF_DATA = "{head}；{reason}，数据不足。"
BY_PROGRESS = "{head}；{progress}。{required}{small}"
NO_BASELINE = "缺少{baseline_span}基线值，无法计算进度"
DIRECTION = "{head}；{direction}，{verdict}，{label}。{small}"


def numeric(frame: pd.DataFrame) -> pd.Series:
    """Rows whose target is a number to reach or keep (≥, ≤, 约, 较基线下降, 保持)."""
    return frame["numeric_target"]


def directional(frame: pd.DataFrame) -> pd.Series:
    """Rows whose target is a direction only (逐步提高 / 逐步下降)."""
    return frame["direction_target"]


STATUSES = (
    Status("achieved", "已达标", "#2e7d32", True, 0, (
        Rule("met", 40, lambda f, c: numeric(f) & (f["shortfall"] <= 0),
             "{head}；{label}。{required}{small}"),)),
    Status("basically_achieved", "基本达标", "#7cb342", True, 1, (
        Rule("within-tolerance", 50,
             lambda f, c: numeric(f) & (f["shortfall"] < f["basic_tolerance"]),
             "{head}；距目标差{shortfall}{change_unit}，在容差{tolerance}{change_unit}以内，"
             "{label}。{required}{small}"),)),
    Status("on_track", "进度正常", "#1f5fa8", False, 2, (
        Rule("moved-towards", 70, lambda f, c: directional(f) & f["direction_change"].gt(0),
             DIRECTION.replace("{verdict}", "方向与目标一致")),
        Rule("ratio-on-track", 160, lambda f, c: f["progress_ratio"] >= c.cuts.on_track,
             BY_PROGRESS))),
    Status("at_risk", "需关注", "#f39c12", False, 3, (
        Rule("flat", 80, lambda f, c: directional(f) & f["direction_change"].eq(0),
             DIRECTION.replace("{verdict}", "基本持平")),
        Rule("ratio-at-risk", 170, lambda f, c: f["progress_ratio"] >= c.cuts.at_risk,
             BY_PROGRESS))),
    Status("off_track", "进度滞后", "#c0392b", False, 4, (
        Rule("moved-away", 90, lambda f, c: directional(f),
             DIRECTION.replace("{verdict}", "方向与目标相反")),
        Rule("not-maintained", 100, lambda f, c: f["target_kind"].eq("maintain"), BY_PROGRESS),
        Rule("wrong-way", 110, lambda f, c: f["wrong_way"], BY_PROGRESS),
        # Whatever the rules above left: the ratio is below the at-risk cut-point.
        Rule("ratio-behind", 180, lambda f, c: np.ones(len(f), dtype=bool), BY_PROGRESS))),
    # Missed a target that needs no baseline (≥, ≤, 约) while the baseline is missing: how far
    # short is known, whether it is on its way is not — a miss, not a lack of data.
    Status("not_achieved", "未达标", "#7b241c", False, 5, (
        Rule("missed-without-baseline", 115,
             lambda f, c: numeric(f) & f["baseline_value"].isna() & (f["shortfall"] > 0),
             "{head}；差{gap}{change_unit}，无基线值，无法判断进度，{label}。{required}{small}"),)),
    Status("insufficient_data", "数据不足", "#9e9e9e", False, 6, (
        Rule("stale", 20, lambda f, c: f["stale"], SHORT_OF_DATA,
             "最新数据为{latest_year}年，已超过{evaluation_year}年前{staleness_years}年的时效，"
             "视为缺失"),
        # A value from before the outline's baseline year speaks of the previous outline.
        Rule("before-outline", 22,
             lambda f, c: f["latest_year"] < f["outline_baseline_year"], SHORT_OF_DATA,
             "最新数据为{latest_year}年，早于本纲要的基线年{baseline_year}年，不作为本纲要的评估依据"),
        Rule("no-data", 25, lambda f, c: ~f["usable"], "{target}；{reason}，数据不足。",
             "{evaluation_year}年及以前无数据"),
        # A goal is missing only when it rests on a missing baseline (较基线下降, 保持).
        Rule("goal-without-baseline", 30, lambda f, c: numeric(f) & f["goal"].isna(),
             SHORT_OF_DATA, NO_BASELINE),
        Rule("direction-without-baseline", 60,
             lambda f, c: directional(f) & f["baseline_value"].isna(), SHORT_OF_DATA,
             NO_BASELINE),
        Rule("too-few-points", 130,
             lambda f, c: f["progress_ratio"].isna() & (c.method == "projection"),
             SHORT_OF_DATA, "近年数据点不足，无法做趋势外推"),
        Rule("no-time-elapsed", 140, lambda f, c: f["progress_ratio"].isna(), SHORT_OF_DATA,
             "最新数据年份未晚于基线年份，无法计算进度"))),
    Status("no_target", "无量化目标", "#cfd8dc", False, 7, (
        Rule("no-target", 10, lambda f, c: f["target_kind"].isna(),
             "本纲要对该指标未设目标，仅作监测。"),)),
)
BY_CODE = {s.code: s for s in STATUSES}
LABELS = {s.code: s.label for s in STATUSES}
COLOURS = {s.code: s.colour for s in STATUSES}
ATTAINED = tuple(s.code for s in STATUSES if s.attained)
# Flags that make an indicator a 重点难点指标 for the evaluation visit.
CONCERNS = ("off_track", "not_achieved", "at_risk", "insufficient_data")
# Every rule of every status in the order they are tried, and the status each one decides.
RULES = tuple(sorted((r for s in STATUSES for r in s.rules), key=lambda r: r.precedence))
STATUS_OF_RULE = {r.code: s for s in STATUSES for r in s.rules}
RULE_BY_CODE = {r.code: r for r in RULES}
