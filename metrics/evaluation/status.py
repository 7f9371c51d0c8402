"""The evaluation flags: one declarative table of codes, Chinese labels, colours and order, read
by the engine, the tables, the charts and the briefings alike."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    """One flag. `attained` marks the flags counted as 达标 in the attainment rate."""
    code: str
    label: str
    colour: str
    attained: bool
    rank: int  # display order, best first; also how severe (higher = worse)


STATUSES = (
    Status("achieved", "已达标", "#2e7d32", True, 0),
    Status("basically_achieved", "基本达标", "#7cb342", True, 1),
    Status("on_track", "进度正常", "#1f5fa8", False, 2),
    Status("at_risk", "需关注", "#f39c12", False, 3),
    Status("off_track", "进度滞后", "#c0392b", False, 4),
    Status("insufficient_data", "数据不足", "#9e9e9e", False, 5),
    Status("no_target", "无量化目标", "#cfd8dc", False, 6),
)
BY_CODE = {s.code: s for s in STATUSES}
LABELS = {s.code: s.label for s in STATUSES}
COLOURS = {s.code: s.colour for s in STATUSES}
ATTAINED = tuple(s.code for s in STATUSES if s.attained)
# Flags that make an indicator a 重点难点指标 for the evaluation visit.
CONCERNS = ("off_track", "at_risk", "insufficient_data")
