"""metrics.midterm on small hand-made frames: the two 达标率, counts, the table per area, the
filters, the indicator table and the 重点难点 notes; the summary on real rows."""
import math

import pandas as pd
import pytest

from metrics import config, evaluation
from metrics.evaluation import status
from metrics.views import midterm

BASE = {"area_name": "健康", "area_order": 1, "indicator_code": "a", "name": "指标甲",
        "unit": "%", "decimals": 1, "direction": "higher", "lead_department": "卫生健康委",
        "supporting_departments": "教育局|妇联", "region_code": "000000", "plan_name": "纲要",
        "target_kind": "at_least", "target_value": 90.0, "target_tolerance": math.nan,
        "band": math.nan,
        "target_year": 2030, "outline_baseline_year": 2020, "target_verified": "yes",
        "latest_year": 2024.0, "latest_value": 95.0, "progress_ratio": 1.2, "status": "achieved"}


def evaluated(*rows: dict) -> pd.DataFrame:
    """Rows of an evaluated frame: BASE with the given changes, codes a, b, c… unless given."""
    frame = pd.DataFrame([{**BASE, "indicator_code": chr(97 + i), "name": f"指标{i}", **row}
                          for i, row in enumerate(rows)])
    return frame.assign(status_label=frame["status"].map(status.LABELS))


MIXED = evaluated({"status": "achieved"}, {"status": "basically_achieved"},
                  {"status": "off_track", "progress_ratio": 0.4},
                  {"status": "insufficient_data", "latest_value": math.nan,
                   "latest_year": math.nan, "progress_ratio": math.nan},
                  {"status": "no_target", "target_kind": None, "target_verified": None})


def test_rate_cards_count_missing_data_both_ways():
    cards = midterm.rate_cards(MIXED)
    assert [(c.label, c.value, c.fraction) for c in cards] == [
        ("达标率（无数据计入分母）", "50.0%", "达标 2 项 / 有目标 4 项"),
        ("达标率（不计无数据）", "66.7%", "达标 2 项 / 有数据 3 项")]
    assert all(c.meaning for c in cards)


def test_rate_cards_without_any_target_show_a_dash():
    cards = midterm.rate_cards(evaluated({"status": "no_target", "target_kind": None}))
    assert [c.value for c in cards] == ["—", "—"]


def test_status_counts_list_every_status_in_order_with_zeros():
    counts = midterm.status_counts(MIXED)
    assert list(counts["code"]) == [s.code for s in status.STATUSES]
    assert dict(zip(counts["code"], counts["count"])) == {
        "achieved": 1, "basically_achieved": 1, "on_track": 0, "at_risk": 0, "off_track": 1, "not_achieved": 0,
        "insufficient_data": 1, "no_target": 1}


def test_area_table_has_both_rates_per_area():
    frame = evaluated({"status": "achieved"}, {"status": "off_track"},
                      {"area_name": "教育", "area_order": 2, "status": "insufficient_data"})
    table = midterm.area_table(frame)
    assert list(table.columns[:4]) == ["领域", midterm.RATE_WITH_MISSING,
                                       midterm.RATE_WITHOUT_MISSING, "有目标指标"]
    health, education = table.iloc[0], table.iloc[1]
    assert (health["领域"], health[midterm.RATE_WITH_MISSING], health["进度滞后"]) == ("健康", 50, 1)
    assert education[midterm.RATE_WITH_MISSING] == 0
    assert pd.isna(education[midterm.RATE_WITHOUT_MISSING])   # nothing has data there


def test_departments_lead_and_supporting_most_involved_first():
    frame = evaluated({}, {"lead_department": "教育局", "supporting_departments": "妇联"})
    assert midterm.departments(frame) == ["妇联", "教育局", "卫生健康委"]


ROWS = evaluated(
    {"status": "achieved"},
    {"status": "off_track", "area_name": "教育", "lead_department": "教育局",
     "supporting_departments": "残联", "target_verified": "not_found"},
    {"status": "at_risk", "target_verified": "changed", "supporting_departments": None},
    {"status": "no_target", "target_kind": None, "target_verified": None})


@pytest.mark.parametrize("filters, codes", [
    ({}, ["a", "b", "c", "d"]),
    ({"areas": ["教育"]}, ["b"]),
    ({"statuses": ["off_track", "at_risk"]}, ["b", "c"]),
    ({"department": "妇联"}, ["a", "d"]),          # a supporting department counts
    ({"department": "教育局"}, ["a", "b", "d"]),    # lead or supporting
    ({"department": "联"}, []),                     # whole names only, no substrings
    ({"verified": "已核实"}, ["a", "c"]),           # 已更正 counts as verified
    ({"verified": "未核实"}, ["b"]),                # no target: nothing to verify
    ({"statuses": ["achieved"], "verified": "未核实"}, []),
])
def test_filter_rows(filters, codes):
    assert list(midterm.filter_rows(ROWS, **filters)["indicator_code"]) == codes


def test_indicator_table_shows_progress_only_while_on_the_way():
    table = midterm.indicator_table(MIXED)
    assert list(table.columns[:3]) == ["指标", "状态", "最新值"]
    assert table["进度比"].isna().tolist() == [True, True, False, True, True]
    assert table.loc[2, "进度比"] == 40
    assert table.loc[0, "配合单位"] == "教育局、妇联"
    assert table.loc[0, "目标"] == "2030年≥90%（已核实）"


FOCUS = evaluated(
    {"status": "insufficient_data", "lead_department": "统计局"},
    {"status": "achieved"},
    {"status": "at_risk", "lead_department": "教育局"},
    {"status": "off_track", "target_verified": "not_found"})
WHY = pd.Series(["缺少基线值", "已达标", "进度约为应有的70%", "最新值反向变化"])


def test_focus_table_lists_concerns_worst_first_with_defaults():
    table = midterm.focus_table(FOCUS, pd.DataFrame(columns=["indicator_code", "reason",
                                                             "measures", "deadline",
                                                             "responsible"]), WHY)
    assert list(table["代码"]) == ["d", "c", "a"]
    assert list(table.columns) == midterm.FOCUS_ORDER
    assert list(table["责任单位"]) == ["卫生健康委", "教育局", "统计局"]
    assert table.loc[0, "目标"].endswith("（未核实）")
    assert list(table["最新值"]) == ["95.0%"] * 3
    assert list(table["说明"]) == ["最新值反向变化", "进度约为应有的70%", "缺少基线值"]
    assert (table[["原因", "整改措施", "时限"]] == "").all().all()


def test_focus_table_prefills_stored_notes():
    notes = pd.DataFrame([{"indicator_code": "c", "reason": "床位不足", "measures": None,
                           "deadline": "2026年", "responsible": "发展改革委"}])
    row = midterm.focus_table(FOCUS, notes, WHY).set_index("代码").loc["c"]
    assert (row["原因"], row["整改措施"], row["时限"], row["责任单位"]) == (
        "床位不足", "", "2026年", "发展改革委")


def test_focus_items_drop_rows_left_at_their_defaults():
    edited = midterm.focus_table(FOCUS, pd.DataFrame(columns=["indicator_code", "reason",
                                                              "measures", "deadline",
                                                              "responsible"]), WHY)
    edited.loc[0, "原因"] = "  基数小 "
    edited.loc[1, "责任单位"] = "发展改革委"
    items = midterm.focus_items(edited, FOCUS)
    assert list(items.columns) == ["indicator_code", "reason", "measures", "deadline",
                                   "responsible"]
    assert items.set_index("indicator_code")["responsible"].to_dict() == {
        "d": "卫生健康委", "c": "发展改革委", "a": ""}
    assert items.loc[0, "reason"] == "基数小"
    assert midterm.note_count(items) == 2


@pytest.mark.parametrize("plan, region", [("women-2021-2030", "000000"),
                                          ("children-2021-2030", "990100")])
def test_the_summary_shows_what_each_part_shows_of_the_real_rows(store, cat, plan, region):
    frame = evaluation.run(store, cat, plan, [region], 2024, "linear",
                           settings=config.settings().evaluation)
    summary = midterm.summary(frame)
    assert [c.value for c in summary.cards] == [c.value for c in midterm.rate_cards(frame)]
    pd.testing.assert_frame_equal(summary.areas, midterm.area_table(frame))
    assert summary.departments == midterm.departments(frame)
    # Every filter the page offers, alone and together: the cut table is the table of the rows.
    filters = [{}, *({"areas": [a]} for a in summary.area_names),
               *({"statuses": [s]} for s in frame["status"].unique()),
               *({"department": d} for d in summary.departments),
               {"verified": "已核实"}, {"verified": "未核实"},
               {"areas": summary.area_names[:2], "statuses": ["achieved", "no_target"],
                "verified": "已核实"}]
    for chosen in filters:
        shown, table = midterm.shown_rows(summary, **chosen)
        assert list(shown["indicator_code"]) == list(
            midterm.filter_rows(frame, **chosen)["indicator_code"])
        pd.testing.assert_frame_equal(table, midterm.indicator_table(shown))
