"""报送进度: for an outline and a year, a region and the regions one level down with their
reporting period's state, indicators supplied / expected, the date submitted and whether they
are overdue; one period's roll-up check against the regions below it, its history, its missing
indicators by department, and the steps (报送, 审核通过, 退回, 锁定, 解锁) the signed-in person
may take on it."""
import datetime as dt

import streamlit as st

from metrics import config
from metrics.access import Permission
from metrics.reporting_progress import progress_table
from pages.ui import cache, frame, progress_panel, selectors, state

COLUMNS = st.column_config

# 1. Outline, region, year ----------------------------------------------------------------------
cat, actor = frame.prepare(Permission.PROGRESS)
st.title("报送进度")
outline = selectors.choose_outline()
region = selectors.choose_region(cat)
baseline = int(cat.plans.set_index("id").at[outline, "baseline_year"])
year = selectors.choose_year(list(range(dt.date.today().year - 1, baseline - 1, -1)))
progress_panel.show_result()
settings = config.settings().reporting
st.caption(f"{year}年数据的报送截止日期为 {settings.due(outline, year):%Y年%-m月%-d日}。区县报送后由上一级"
           "审核，下级地区全部审核通过后上一级才能审核通过；审核通过的数据由"
           f"{progress_panel.level_name(settings.lock_level)}或更高一级锁定，锁定后不能再导入或撤销。")

# 2. The regions and their periods ----------------------------------------------------------------
rows = cache.progress(outline, region, year)
if rows.empty:
    st.info("按设置，该地区及其下级地区不报送数据（报送的地区级别见 data/settings.yaml 的报送一节）。")
    frame.stop()
progress_panel.summary(rows)
waiting = int(rows["actions"].map(bool).sum())
mine = st.toggle(f"只看需要我处理的（{waiting}）", value=st.query_params.get(state.MINE) == "1", key="mine")
st.query_params[state.MINE] = "1" if mine else "0"
shown = rows[rows["actions"].map(bool)] if mine else rows
if shown.empty:
    st.success("目前没有需要您处理的报送。", icon=":material/check_circle:")
    frame.stop()
codes = list(shown["region_code"])
st.dataframe(progress_table(shown), key="progress_table", hide_index=True, width="stretch",
             selection_mode="single-row",
             on_select=selectors.row_follower("progress_table", codes, state.PERIOD),
             column_config={"地区代码": COLUMNS.TextColumn(width=70)})

# 3. One period: history, missing indicators, the steps the person may take -----------------------
if st.session_state.get(state.PERIOD) not in codes:
    wanted = st.query_params.get(state.PERIOD, "")
    st.session_state[state.PERIOD] = wanted if wanted in codes else codes[0]
names = dict(zip(shown["region_code"], shown["name"]))
chosen = st.selectbox("查看地区", codes, key=state.PERIOD, format_func=names.get)
st.query_params[state.PERIOD] = chosen
row = shown.set_index("region_code").loc[chosen]
st.subheader(f"{row['name']} {year}年：{row['state_label']}")
progress_panel.reconciliation(outline, chosen, year, row["name"])   # before approving it
progress_panel.history(cat, outline, chosen, year)
progress_panel.missing(outline, chosen, year)
progress_panel.step_form(outline, chosen, year, row["actions"], actor)
