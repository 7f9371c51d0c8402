"""The 中期评估 page through Streamlit's AppTest: it renders nationally and for the demo city,
shows both 达标率, filters its table, saves 重点难点 notes only on 保存, and compares the
regions one level down."""
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from metrics import catalogue, config, evaluation
from metrics.config import BASE_DIR
from metrics.evaluation import attainment, explain, status
from metrics.store import open_store
from metrics.wording import percent

# AppTests in one process share Streamlit's caches; each test starts clean.
pytestmark = pytest.mark.usefixtures("fresh_caches", "signed_in")


DEMO_CITY = {"plan": "children-2021-2030", "region": "990100", "year": "2024"}
NATIONAL = {"plan": "women-2021-2030", "region": "000000", "year": "2024"}
DEMO_COUNTIES = ["澄湖区（演示）", "望岳区（演示）", "青禾县（演示）", "翠溪县（演示）",
                 "兰泽县（演示）", "松屏县（演示）", "枫渡市（演示）"]


TAB = "evaluation_tab"     # the open tab of the page (its label)


def run_page(session_state: dict | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(BASE_DIR / "pages/evaluation.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    for key, value in (session_state or {}).items():
        at.session_state[key] = value
    return at.run()


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def widget(widgets, label: str):
    return next(w for w in widgets if w.label == label)


def engine_rates(db, plan: str, region: str) -> list[str]:
    """Both 达标率 as the engine computes them, formatted like the cards."""
    with open_store(db).session() as con:
        frame = evaluation.run(con, catalogue.read_from_store(con), plan, [region], 2024,
                               settings=config.settings().evaluation)
    row = attainment.rates(frame).iloc[0]
    return [percent(row["rate_with_missing"]), percent(row["rate_without_missing"])]


@pytest.mark.parametrize("query", [NATIONAL, DEMO_CITY], ids=["national", "demo-city"])
def test_page_renders_with_both_attainment_rates(db, query):
    at = run_page(**query)
    assert not at.exception
    assert [m.label for m in at.metric] == ["达标率（无数据计入分母）", "达标率（不计无数据）"]
    assert [m.value for m in at.metric] == engine_rates(db, query["plan"], query["region"])
    assert any("有目标" in c.value for c in at.caption)
    assert any("有数据" in c.value for c in at.caption)
    assert at.query_params["method"] == "linear"


def test_demo_city_is_marked_as_demo(db):
    at = run_page(**DEMO_CITY)
    assert at.title[0].value == "示范市 · 中期评估"
    assert any("演示数据" in w.value for w in at.warning)


def test_filtering_by_status_narrows_the_table(db):
    at = run_page(**NATIONAL)
    full = at.dataframe(key="indicator_table").value
    widget(at.multiselect, "状态").set_value(["basically_achieved"]).run()
    table = at.dataframe(key="indicator_table").value
    assert 0 < len(table) < len(full)
    assert {tuple(labels) for labels in table["状态"]} == {("基本达标",)}


def test_a_filtered_view_leaves_the_kept_summary_as_it_was(db):
    # The summary is shared by every viewer: a view that changed it would change the others'.
    first = run_page(ind="maternal_mortality_ratio", **NATIONAL)
    full = first.dataframe(key="indicator_table").value
    widget(first.multiselect, "状态").set_value(["basically_achieved"]).run()
    widget(first.selectbox, "目标核实").set_value("未核实").run()
    again = run_page(ind="maternal_mortality_ratio", **NATIONAL)
    pd.testing.assert_frame_equal(again.dataframe(key="indicator_table").value, full)
    assert chart_specs(again) == chart_specs(run_page(ind="maternal_mortality_ratio", **NATIONAL))


def test_statuses_are_labels_on_their_status_colours(db):
    at = run_page(**NATIONAL)
    element = at.dataframe(key="indicator_table")
    column = json.loads(element.proto.columns)["状态"]
    options = column["type_config"]["options"]
    assert [(o["value"], o["color"]) for o in options] == [
        (s.label, s.colour) for s in status.STATUSES]
    labels = {label for labels in element.value["状态"] for label in labels}
    assert labels and labels <= set(status.LABELS.values())


def test_unverified_filter_shows_only_targets_marked_unverified(db):
    at = run_page(**NATIONAL)
    widget(at.selectbox, "目标核实").set_value("未核实").run()
    table = at.dataframe(key="indicator_table").value
    assert len(table) > 0
    assert all(t.endswith("（未核实）") for t in table["目标"])


def test_department_filter_keeps_lead_and_supporting_units(db):
    at = run_page(**DEMO_CITY)
    widget(at.selectbox, "责任单位（牵头或配合）").set_value("妇联").run()
    table = at.dataframe(key="indicator_table").value
    assert len(table) > 0
    assert all(row["牵头单位"] == "妇联" or "妇联" in row["配合单位"].split("、")
               for _, row in table.iterrows())


def test_chosen_indicator_shows_its_target_path_and_explanation(db):
    at = run_page(ind="maternal_mortality_ratio", **NATIONAL)
    assert not at.exception
    spec = chart_specs(at)[0]
    names = [trace.get("name") for trace in spec["data"]]
    assert names[:2] == ["实际值", "直线进度路径（参考）"] and "2024年按路径应达" in names[2]
    texts = [a["text"] for a in spec["layout"]["annotations"]]
    assert "目标：2030年≤12/10万（已核实）" in texts
    assert any("孕产妇死亡率" in h.value for h in at.subheader)
    assert any("目标为2030年≤12/10万（已核实）" in m.value for m in at.markdown)
    # The sources behind the plotted values, under the chart (the hover shows the value only).
    [sources] = [e for e in at.expander if e.label.startswith("数据来源")]
    assert "国家统计局《中国妇女发展纲要（2011—2020年）》终期统计监测报告（2021-12-21）：全国" \
        in sources.markdown[0].value


def test_saving_a_focus_note_stores_it_once(db):
    edits = {"edited_rows": {0: {"原因": "学业负担重", "整改措施": "落实每天2小时户外活动"}},
             "added_rows": [], "deleted_rows": []}
    at = run_page(session_state={"focus_editor": edits, TAB: "重点难点指标"}, **DEMO_CITY)
    first = at.data_editor(key="focus_editor").value.iloc[0]
    assert first["状态"] == "进度滞后"
    with open_store(db).session() as con:
        assert con.fetch_focus_items(DEMO_CITY["plan"], ["990100"]).empty

    widget(at.button, "保存").click().run()
    assert not at.exception
    assert "共有 1 项" in at.success[0].value
    with open_store(db).session() as con:
        saved = con.fetch_focus_items(DEMO_CITY["plan"], ["990100"])
    assert len(saved) == 1
    note = saved.iloc[0]
    assert note["indicator_code"] == first["代码"]
    assert (note["reason"], note["measures"]) == ("学业负担重", "落实每天2小时户外活动")
    assert note["responsible"] == first["责任单位"]     # the lead department, by default

    at.run()   # any later rerun (a filter, a tab) must not write again
    with open_store(db).session() as con:
        again = con.fetch_focus_items(DEMO_CITY["plan"], ["990100"])
    assert again["updated_at"].tolist() == saved["updated_at"].tolist()
    assert not at.success


def test_focus_editor_shows_value_target_and_why_it_lags(db):
    at = run_page(session_state={TAB: "重点难点指标"}, **DEMO_CITY)
    editor = at.data_editor(key="focus_editor").value.set_index("代码")
    with open_store(db).session() as con:
        cat = catalogue.read_from_store(con)
        frame = evaluation.run(con, cat, DEMO_CITY["plan"], ["990100"], 2024,
                               settings=config.settings().evaluation)
    row = frame.set_index("indicator_code").loc[["junior_secondary_myopia_rate"]]
    why = explain.explain(row, settings=config.settings().evaluation).iloc[0]
    shown = editor.loc["junior_secondary_myopia_rate"]
    assert shown["说明"] == why and shown["最新值"] in why
    assert shown["目标"] == "2030年≤60%（未核实）"


def test_saved_notes_prefill_the_editor(db):
    note = pd.DataFrame([{"indicator_code": "junior_secondary_myopia_rate", "reason": "课业负担",
                          "measures": "", "deadline": "2026年底前",
                          "responsible": "教育局、卫生健康委"}])
    with open_store(db).transaction() as con:
        con.save_focus_items(DEMO_CITY["plan"], "990100", note, "测试")
    at = run_page(session_state={TAB: "重点难点指标"}, **DEMO_CITY)
    editor = at.data_editor(key="focus_editor").value.set_index("代码")
    row = editor.loc["junior_secondary_myopia_rate"]
    assert (row["原因"], row["时限"], row["责任单位"]) == ("课业负担", "2026年底前",
                                                      "教育局、卫生健康委")
    assert editor.loc["paediatric_beds_per_1000_children", "责任单位"] == "卫生健康委"


def test_peer_view_ranks_the_seven_counties(db):
    at = run_page(session_state={TAB: "下级地区对比"}, peer="infant_mortality_rate", **DEMO_CITY)
    ranking = next(d.value for d in at.dataframe if "排名" in d.value.columns)
    assert sorted(ranking["地区"]) == sorted(DEMO_COUNTIES)
    assert ranking["排名"].iloc[0] == "1"
    assert widget(at.selectbox, "对比指标").value == "infant_mortality_rate"
    values = [float(v.rstrip("‰")) for v in ranking["最新值"] if v != "—"]
    assert values == sorted(values)     # lower is better for infant mortality


def test_peer_ranking_offers_a_pooled_rate_where_counts_exist(db):
    at = run_page(session_state={TAB: "下级地区对比"}, peer="maternal_mortality_ratio",
                  plan="women-2021-2030", region="990100", year="2024")
    ranking = next(d.value for d in at.dataframe if "排名" in d.value.columns).set_index("地区")
    # 青禾县: 0/3,388 in 2024; with 2022 and 2023, 2 deaths in 14,102 births.
    assert ranking.loc["青禾县（演示）", "最新值"] == "0.0/10万"
    assert ranking.loc["青禾县（演示）", "多年合并值"] == "14.2/10万"
    assert ranking.loc["青禾县（演示）", "合并依据"].startswith("2022—2024年合计2/14102，基数小")
    assert any("分子之和" in c.value for c in at.caption)


def test_heat_map_has_one_row_per_child_region(db):
    at = run_page(session_state={TAB: "下级地区对比"}, **DEMO_CITY)
    heatmap = next(s for s in chart_specs(at) if s["data"][0]["type"] == "heatmap")
    assert heatmap["data"][0]["y"] == DEMO_COUNTIES


def test_only_the_open_tab_is_built(db):
    at = run_page(**DEMO_CITY)                       # 指标明细 open
    assert not any(s["data"] and s["data"][0]["type"] == "heatmap" for s in chart_specs(at))
    assert not any("排名" in d.value.columns for d in at.dataframe)
    assert "生成简报" not in [b.label for b in at.button]
    assert [e.key for e in at.data_editor] == []
    at.session_state[TAB] = "下级地区对比"
    at.run()
    assert any(s["data"] and s["data"][0]["type"] == "heatmap" for s in chart_specs(at))
    assert widget(at.selectbox, "对比指标") and "查看指标" not in [b.label for b in at.selectbox]


def test_a_county_sees_its_rank_among_its_sister_counties(db):
    # Issue 11 §4: a county has nothing one level down; its own page ranks it among its sisters.
    at = run_page(session_state={TAB: "下级地区对比"}, plan="children-2021-2030",
                  region="990121", year="2024")
    assert not at.exception
    standing = next(d.value for d in at.dataframe if "位次" in d.value.columns)
    assert list(standing.columns[:3]) == ["指标", "本地区", "位次"]
    assert {"全国"} <= set(standing.columns) and any("示范市" in c for c in standing.columns)
    assert all(rank.endswith("/7") or int(rank.split("/")[1]) < 7 for rank in standing["位次"])
    assert any("同级 7 个地区" in s.value for s in at.subheader)
    assert not any(s["data"] and s["data"][0]["type"] == "heatmap" for s in chart_specs(at))


def test_regions_one_level_down_without_data_say_so(db):
    at = run_page(session_state={TAB: "下级地区对比"}, plan="women-2011-2020", region="450800",
                  year="2015")
    assert not at.exception
    assert any("下级地区尚无数据" in i.value for i in at.info)
    assert not any(s["data"] and s["data"][0]["type"] == "heatmap" for s in chart_specs(at))
