"""总览: one outline in one region and year — headline cards, areas, indicators."""
import streamlit as st

from pages.ui import cache, frame, selectors

# A row taller than 64 px is the grid's only way to wrap a cell: at 66 px three lines, so the
# longest name (27 characters, 「妇女之家」覆盖率（本地指标） 15) fits the 160 px indicator
# column ten to a line, and a long value (2.70张/千名儿童) its 100 px.
WRAPPING_ROW_HEIGHT = 66
DECIDING_FIRST = ("指标", "状态", "最新值", "目标", "趋势", "年份", "领域", "目标出处", "牵头单位")

# 1. Select -----------------------------------------------------------------------------------
cat, actor = frame.prepare()
scope = selectors.choose_scope(cat)
outline, region, year = scope.outline, scope.region, scope.year
frame.heading(f"{scope.region_row['name']} · {scope.plan['short_name']}", scope,
              "该地区尚无任何指标数据。可在“趋势”页查看上级地区，或上传本地区数据。")

# 2. Load and compute ----------------------------------------------------------------------------
view = cache.overview_view(outline, region, year)
head = view.head

# 3. Render ------------------------------------------------------------------------------------
st.caption(f"截至 {year} 年的最新数据，按直线进度法评估；详细说明见“中期评估”页。")
cards = st.columns(4)
cards[0].metric("监测指标", head.indicators)
cards[1].metric("有数据的指标", head.with_data)
cards[2].metric("最新数据年份", f"{head.latest_year}年" if head.latest_year else "—")
cards[3].metric("已达标", f"{head.met} / {head.with_target}",
                help="有目标的指标中，已达标或基本达标的个数")

st.subheader("各领域指标状态")
st.caption("每个领域一行，色块中的数字为指标个数；数据不足：缺少数据或基线，无法评估。")
st.plotly_chart(view.bars, width="stretch", theme=None, config={"displayModeBar": False})

st.subheader("分领域情况")
st.dataframe(view.areas, hide_index=True, width="stretch")

st.subheader("指标一览")
# What a person decides on comes first, so a phone (390 px) shows the indicator, its status and
# its value whole (348 px of the grid's 358), and the trend link is on screen at 1366 px; the
# area and sources follow.
st.dataframe(view.table, hide_index=True, width="stretch", height=560,
             column_order=DECIDING_FIRST, row_height=WRAPPING_ROW_HEIGHT,
             column_config={
                 "指标": st.column_config.TextColumn(width=160, pinned=True),
                 "状态": st.column_config.TextColumn(width=88),
                 "最新值": st.column_config.TextColumn(width=100),
                 "趋势": st.column_config.LinkColumn("趋势", display_text="查看", width=48),
             })
