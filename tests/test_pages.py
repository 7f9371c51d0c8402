"""Every page through Streamlit's AppTest: it renders, shows no exception, and shows the
figures the database holds."""
import base64
import json
import re

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from metrics import cli
from metrics.access import Role
from metrics.config import BASE_DIR
from metrics.store import open_store

# AppTests in one process share Streamlit's caches; each test starts clean.
pytestmark = pytest.mark.usefixtures("fresh_caches", "signed_in")


def run_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(BASE_DIR / page), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def values(array) -> list:
    """Plotly 7 sends numeric arrays as typed base64 ('bdata'); decode them for asserting."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def test_overview_national_shows_real_figures(db):
    at = run_page("pages/overview.py", plan="women-2021-2030", region="000000")
    assert not at.exception
    assert "全国" in at.title[0].value
    assert at.query_params["year"] == "2024"
    labels = [m.label for m in at.metric]
    assert labels == ["监测指标", "有数据的指标", "最新数据年份", "已达标"]
    table = at.dataframe[1].value
    mmr = table[table["代码"] == "maternal_mortality_ratio"].iloc[0]
    assert mmr["最新值"] == "14.3/10万" and mmr["状态"] == "进度正常"
    assert "未核实" not in mmr["目标"] and "≤12/10万" in mmr["目标"]


def test_the_overview_table_puts_what_a_person_decides_on_first(db):
    # On a phone the indicator, its status and its value are on screen, whole (issue 11 §4).
    at = run_page("pages/overview.py", plan="women-2021-2030", region="000000")
    order = list(at.dataframe[1].proto.column_order)
    assert order[:5] == ["指标", "状态", "最新值", "目标", "趋势"] and "代码" not in order


# How the grid lays out a name (Streamlit's Glide grid, as screenshots at 390 and 1366 px show):
# 8 px of padding either side, a Chinese character 14 px wide (digits are narrower), lines of 20
# px; a row wraps its text only when it is taller than 64 px. The phone's grid is 358 px wide.
CELL_PADDING, CHARACTER, LINE, WRAPS_ABOVE, PHONE_GRID = 16, 14, 20, 64, 358


@pytest.mark.parametrize("plan, region, year", [
    ("women-2011-2020", "450800", "2015"),     # 贵港市, with its plan's own indicator
    ("children-2021-2030", "000000", "2024"),  # names of up to 27 characters
])
def test_the_overview_shows_every_indicator_name_whole_beside_its_status_on_a_phone(
        db, plan, region, year):
    assert cli.main(["plan", "indicator", "add", "450800-women-2011-2020", "--name",
                     "「妇女之家」覆盖率", "--unit", "%", "--direction", "higher", "--area",
                     "妇女参与决策和管理", "--target", "≥90%", "--db", str(db)]) == 0
    at = run_page("pages/overview.py", plan=plan, region=region, year=year)
    grid = at.dataframe[1]
    names = list(grid.value["指标"])
    assert region != "450800" or "「妇女之家」覆盖率（本地指标）" in names
    widths = {name: column["width"] for name, column in json.loads(grid.proto.columns).items()
              if "width" in column}
    assert grid.proto.row_height > WRAPS_ABOVE
    per_line = (widths["指标"] - CELL_PADDING) // CHARACTER
    longest = max(names, key=len)
    assert -(-len(longest) // per_line) * LINE <= grid.proto.row_height, longest
    assert widths["指标"] + widths["状态"] + widths["最新值"] <= PHONE_GRID


def test_the_overview_opens_with_the_status_bars_per_area_without_a_toolbar(db):
    # Leaders see the flags per area at a glance above the tables (issue 11 §4).
    at = run_page("pages/overview.py", plan="women-2021-2030", region="000000")
    [chart] = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    assert {t["name"] for t in spec["data"]} >= {"已达标", "数据不足"}
    assert [t["orientation"] for t in spec["data"]] == ["h"] * len(spec["data"])
    assert json.loads(chart.proto.config)["displayModeBar"] is False


def test_overview_of_a_region_without_data_says_so(db):
    at = run_page("pages/overview.py", plan="women-2021-2030", region="450802")
    assert not at.exception
    assert "尚无任何指标数据" in at.info[0].value


def test_overview_of_demo_county_is_marked_as_demo(db):
    at = run_page("pages/overview.py", plan="children-2021-2030", region="990121")
    assert not at.exception
    assert any("演示数据" in w.value for w in at.warning)


def test_trends_draws_series_and_target_line(db):
    at = run_page("pages/trends.py", plan="women-2021-2030", ind="maternal_mortality_ratio",
                  regions="000000")
    assert not at.exception
    spec = chart_specs(at)[0]
    line = spec["data"][0]
    assert line["name"] == "全国"
    assert dict(zip(values(line["x"]), values(line["y"])))[2024] == 14.3
    shapes = spec["layout"]["shapes"]
    assert any(s.get("y0") == 12 and s.get("line", {}).get("dash") == "dash" for s in shapes)
    assert any(s.get("x0") == 2020 for s in shapes)  # baseline year marked
    assert spec["layout"]["xaxis"]["range"][1] == 2030.5  # the axis runs to the target year
    texts = [a["text"] for a in spec["layout"]["annotations"]]
    assert any("2030年≤12/10万（已核实）" in t for t in texts)


def test_trends_offers_the_national_series_beside_a_region_off_by_default(db):
    query = {"plan": "women-2021-2030", "ind": "maternal_mortality_ratio", "regions": "990100"}
    at = run_page("pages/trends.py", **query)
    assert not at.exception
    [toggle] = at.toggle
    assert toggle.label == "与全国对比" and toggle.value is False
    assert [t["name"] for t in chart_specs(at)[0]["data"] if "全国" in t["name"]] == []
    toggle.set_value(True).run()
    national = [t for t in chart_specs(at)[0]["data"] if t["name"] == "全国（对比）"]
    assert len(national) == 1 and 14.3 in values(national[0]["y"])
    assert at.query_params["national"] == "1"
    assert any("国家统计局" in line for line in sources_listed(at))
    # The link keeps the comparison; 全国 itself has nothing to be compared with.
    assert run_page("pages/trends.py", **query, national="1").toggle[0].value is True
    assert not run_page("pages/trends.py", **{**query, "regions": "000000"}).toggle


def sources_listed(at: AppTest) -> list[str]:
    """The sources under the chart, as the page writes them (escaped HTML list items)."""
    [expander] = [e for e in at.expander if e.label.startswith("数据来源")]
    written = expander.markdown[0]
    assert written.allow_html and written.value.startswith('<ul translate="no">')
    return re.findall(r"<li>(.*?)</li>", written.value)


def test_trends_lists_the_sources_of_the_plotted_values_under_the_chart(db):
    at = run_page("pages/trends.py", plan="women-2021-2030", ind="maternal_mortality_ratio",
                  regions="990100")
    lines = sources_listed(at)
    assert lines == ["演示数据（虚构）：示范市（演示） 2016—2024年"]


def test_a_source_someone_wrote_is_listed_as_written_not_as_markdown(db):
    rows = pd.DataFrame({"indicator_code": ["maternal_mortality_ratio"], "region_code": ["450802"],
                         "year": [2023], "value": [15.2], "numerator": [None],
                         "denominator": [None], "source": ["[点此](http://x.test)\n\n**区卫健局** <img src=x>"],
                         "note": [None]})
    with open_store(db).transaction() as con:
        batch = con.create_batch("upload", "命令行", "来源含 Markdown")
        con.write_observations(batch, rows, rows.iloc[:0],
                               {"new": 1, "changed": 0, "unchanged": 0})
    at = run_page("pages/trends.py", plan="women-2021-2030", ind="maternal_mortality_ratio",
                  regions="450802")
    assert sources_listed(at) == [
        "[点此](http://x.test) **区卫健局** &lt;img src=x&gt;：港北区 2023年"]


def test_trends_state_lives_in_the_url(db):
    at = run_page("pages/trends.py", plan="women-2011-2020",
                  ind="female_share_senior_professionals", regions="450800,450000")
    assert not at.exception
    assert at.query_params["regions"] == "450800,450000"
    texts = [a["text"] for a in chart_specs(at)[0]["layout"]["annotations"]]
    assert any("≥33%" in t and "贵港市" in t for t in texts)


def test_dashboard_runs_the_default_page(db):
    at = AppTest.from_file(str(BASE_DIR / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value.startswith("全国")


def test_demo_setting_hides_the_demo_city(db, monkeypatch):
    from metrics import config
    monkeypatch.setattr(config, "show_demo_data", lambda: False)
    at = run_page("pages/trends.py", plan="children-2021-2030", ind="infant_mortality_rate",
                  regions="990100")
    assert not at.exception
    region_picker = at.multiselect[1]
    assert "示范市（演示）" not in region_picker.options and "全国" in region_picker.options
    assert "朝阳区 · 北京市" in region_picker.options
    assert region_picker.value == ["000000"]


def test_a_value_written_by_another_process_shows_on_the_next_rerun(db):
    """The data version is read once per rerun; a write from outside the app (the command
    line) is seen by the very next rerun of an open page."""
    at = run_page("pages/overview.py", plan="women-2021-2030", region="450802")
    assert "尚无任何指标数据" in at.info[0].value
    rows = pd.DataFrame({"indicator_code": ["maternal_mortality_ratio"], "region_code": ["450802"],
                         "year": [2023], "value": [15.2], "numerator": [None],
                         "denominator": [None], "source": ["区卫健局"], "note": [None]})
    with open_store(db).transaction() as con:
        batch = con.create_batch("upload", "命令行", "另一进程写入")
        con.write_observations(batch, rows, rows.iloc[:0],
                                 {"new": 1, "changed": 0, "unchanged": 0})
    at.run()
    assert not at.exception and not at.info
    assert at.query_params["year"] == "2023"


def test_the_audit_log_shows_its_states_in_words_and_survives_a_half_picked_range(db):
    from people import person

    from metrics import accounts
    from metrics.regions import RegionTree
    store = open_store(db)
    accounts.add_user(store, person("tester"), RegionTree(store.read_table("regions")), "审核甲",
                      Role.REVIEWER, "450800")
    at = AppTest.from_file(str(BASE_DIR / "pages" / "admin.py"), default_timeout=60)
    at.session_state["admin_section"] = "审计日志"
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    added = table[table["操作"] == "添加用户"].iloc[0]
    assert added["操作后"] == "角色：审核员；地区：450800；查看范围：—；已停用：否"
    settings = table[table["操作"] == "设置变更"].iloc[-1]["操作后"]
    assert "会话空闲超时（分钟）：" in settings and "公开的纲要：妇女纲要（2021—2030）" in settings
    assert not table.isna().any().any() and not table.eq("None").any().any()
    [days] = at.date_input
    days.set_value((days.value[0],)).run()  # the first day picked, the second not yet
    assert not at.exception


GUIGANG_LINE = "适用规划：《贵港市妇女发展规划（2011—2020年）》"


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/evaluation.py"])
def test_a_region_under_a_local_plan_is_headed_with_the_plans_title(db, page):
    at = run_page(page, plan="women-2011-2020", region="450802", year="2015")  # 港北区
    assert not at.exception
    assert GUIGANG_LINE in [c.value for c in at.caption]
    national = run_page(page, plan="women-2011-2020", region="000000")
    assert not [c for c in national.caption if c.value.startswith("适用规划")]
