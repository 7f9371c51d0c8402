"""How a target reads and the line a chart draws for it (metrics.targets), for every target
kind and unit: one phrase for the tables, charts, explanations and briefings."""
import math
from types import SimpleNamespace

import pytest

from metrics import targets
from metrics.targets import TargetLine

NAN = math.nan


@pytest.mark.parametrize("kind, value, band, unit, expected", [
    ("at_least", 70.0, NAN, "%", "2030年≥70%"),
    ("at_most", 12.0, NAN, "1/10万", "2030年≤12/10万"),
    ("at_most", 5.0, NAN, "‰", "2030年≤5‰"),
    ("at_least", 11.2, NAN, "年", "2030年≥11.2年"),
    ("at_most", 1.05, NAN, "比值", "2030年≤1.05"),
    ("around", 45.0, 1.0, "%", "2030年保持在45%左右（±1个百分点）"),
    ("around", 45.0, 0.5, "%", "2030年保持在45%左右（±0.5个百分点）"),
    ("around", 107.0, 2.14, "比值", "2030年保持在107左右（±2.14）"),
    ("around", 20.0, 0.4, "‰", "2030年保持在20‰左右（±0.4‰）"),
    ("around", 45.0, NAN, "%", "2030年保持在45%左右"),
    ("reduce_by_pct", 20.0, NAN, "1/10万", "2030年较2020年下降20%"),
    ("maintain", NAN, NAN, "%", "2030年保持基线水平"),
    ("increase", NAN, NAN, "%", "2030年前逐步提高"),
    ("decrease", NAN, NAN, "‰", "2030年前逐步下降"),
])
def test_target_phrase(kind, value, band, unit, expected):
    assert targets.target_phrase(kind, value, band, unit, 2030, 2020) == expected


def evaluated_row(**changes) -> SimpleNamespace:
    """One evaluated row (the fields targets reads), a ≤12/10万 target unless changed."""
    fields = {"target_kind": "at_most", "target_value": 12.0, "band": NAN, "unit": "1/10万",
              "target_year": 2030, "outline_baseline_year": 2020, "target_verified": "yes",
              "goal": 12.0}
    return SimpleNamespace(**{**fields, **changes})


@pytest.mark.parametrize("changes, expected", [
    ({}, "2030年≤12/10万（已核实）"),
    ({"target_verified": "not_found"}, "2030年≤12/10万（未核实）"),
    ({"target_verified": "changed"}, "2030年≤12/10万（已更正）"),
    ({"target_kind": "around", "target_value": 45.0, "band": 1.0, "unit": "%"},
     "2030年保持在45%左右（±1个百分点）（已核实）"),
    ({"target_kind": NAN}, "—"),
])
def test_target_text_adds_the_verified_mark(changes, expected):
    assert targets.target_text(evaluated_row(**changes)) == expected


@pytest.mark.parametrize("changes, expected", [
    ({}, TargetLine(12.0, None, "目标：2030年≤12/10万（已核实）")),
    ({"target_kind": "around", "target_value": 45.0, "band": 1.0, "unit": "%", "goal": 44.0},
     TargetLine(45.0, 1.0, "目标：2030年保持在45%左右（±1个百分点）（已核实）")),
    ({"target_kind": "reduce_by_pct", "target_value": 20.0, "goal": 13.52},
     TargetLine(13.52, None, "目标：2030年较2020年下降20%（已核实）")),
    ({"target_kind": "maintain", "target_value": NAN, "goal": 93.1, "unit": "%"},
     TargetLine(93.1, None, "目标：2030年保持基线水平（已核实）")),
    ({"target_kind": "reduce_by_pct", "target_value": 20.0, "goal": NAN}, None),  # no baseline
    ({"target_kind": "increase", "target_value": NAN, "goal": NAN}, None),
    ({"target_kind": NAN}, None),
])
def test_target_line(changes, expected):
    assert targets.target_line(evaluated_row(**changes)) == expected
