"""The status table (metrics.evaluation.status): every rule has a unique code and place in the
order, and the last rule tried holds for every row, so each row gets a status."""
import pandas as pd
import pytest

from metrics import config
from metrics.evaluation import status

CRITERIA = status.Criteria("linear", config.settings().evaluation.methods.of("linear"))


def test_rule_codes_and_precedences_are_unique_and_kebab_case():
    codes = [r.code for r in status.RULES]
    assert len(set(codes)) == len(codes)
    assert all(code == code.lower() and " " not in code and "_" not in code for code in codes)
    precedences = [r.precedence for r in status.RULES]
    assert precedences == sorted(set(precedences))


def test_every_status_has_a_rule_and_only_insufficient_data_rules_give_a_reason():
    assert all(s.rules for s in status.STATUSES)
    for rule in status.RULES:
        assert bool(rule.reason) == (status.STATUS_OF_RULE[rule.code].code == "insufficient_data")


def test_the_last_rule_holds_for_any_row():
    last = status.RULES[-1]
    frame = pd.DataFrame({"progress_ratio": [0.1, None]})
    assert last.code == "ratio-behind" and list(last.condition(frame, CRITERIA)) == [True, True]


@pytest.mark.parametrize("code, ratio, holds", [
    ("ratio-on-track", 0.95, True), ("ratio-on-track", 0.94, False),
    ("ratio-at-risk", 0.6, True), ("ratio-at-risk", 0.59, False)])
def test_ratio_rules_use_the_methods_cut_points(code, ratio, holds):
    frame = pd.DataFrame({"progress_ratio": [ratio]})
    assert bool(status.RULE_BY_CODE[code].condition(frame, CRITERIA).iloc[0]) is holds
