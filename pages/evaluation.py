"""中期评估: one region's indicators judged against their targets — both 达标率, every indicator
with its path to the target, the 重点难点指标 with causes and measures, and the regions one
level down compared."""
import html

import streamlit as st

from metrics import config
from metrics import regions as regions_module
from metrics.access import Permission
from metrics.evaluation import METHODS, explain, status
from metrics.reports import status_charts
from metrics.views import midterm, peers
from pages.ui import (
    briefing_panel,
    cache,
    chips,
    frame,
    scroll,
    selectors,
    standing_panel,
    state,
)
from pages.ui.markdown_text import literal, quoted_list

PLOT_CONFIG = {"displaylogo": False}
COLUMNS = st.column_config
TABS = ("指标明细", "重点难点指标", "下级地区对比", "评估简报")
TAB_KEY = "evaluation_tab"   # session state: the open tab's label

# 1. Select -----------------------------------------------------------------------------------
cat, actor = frame.prepare()
scope = selectors.choose_scope(cat)
method = selectors.choose_method()
outline, region, year = scope.outline, scope.region, scope.year
region_row, plan = scope.region_row, scope.plan
frame.heading(f"{region_row['name']} · 中期评估", scope,
              "该地区尚无任何指标数据。可选择上级地区，或上传本地区数据。")

# 2. Load -------------------------------------------------------------------------------------
summary = cache.midterm_summary(outline, region, year, method)
evaluated = summary.evaluated
children = cache.offered_regions().tree.children(region)

# 3. Summary: both 达标率, counts per status, areas -------------------------------------------
st.caption(f"{plan['short_name']}，截至{year}年的最新数据，{METHODS[method]}。"
           "达标 = 已达标 + 基本达标；无量化目标的指标不计入达标率。")
cards = st.columns(2)
for card, rate in zip(cards, summary.cards):
    card.metric(rate.label, rate.value, border=True, help=rate.meaning)
    card.caption(rate.fraction)
chips.status_chips(summary.counts)
with st.expander("分领域达标情况", expanded=True):
    st.dataframe(summary.areas, hide_index=True, placeholder="—", column_config={
        label: COLUMNS.NumberColumn(label, format="%.1f%%")
        for label in (midterm.RATE_WITH_MISSING, midterm.RATE_WITHOUT_MISSING)})

# Only the open tab is built: the peer ranking and heat map of 31 provinces, the focus editor
# and the briefing panel cost most of a rerun and were computed while hidden.
detail_tab, focus_tab, peer_tab, briefing_tab = st.tabs(
    list(TABS), key=TAB_KEY, on_change="rerun")

# 4. Every indicator: filters, table, the chosen indicator's path to its target ----------------
with detail_tab:
    if detail_tab.open:
        filters = st.columns(4)
        areas = selectors.choose_many("领域", summary.area_names,
                                      state.AREAS, filters[0], placeholder="全部领域")
        statuses = selectors.choose_many("状态", list(status.LABELS), state.STATUSES, filters[1],
                                         format_func=status.LABELS.get, placeholder="全部状态")
        department = selectors.choose_optional("责任单位（牵头或配合）",
                                               summary.departments, state.DEPARTMENT,
                                               filters[2], placeholder="全部单位")
        verified = selectors.choose_optional("目标核实", list(midterm.VERIFIED_CHOICES),
                                             state.VERIFIED, filters[3], placeholder="全部")
        shown, table = midterm.shown_rows(summary, areas, statuses, department, verified)
        table, status_config = chips.status_column(table)
        st.dataframe(table, key="indicator_table", hide_index=True, height=420,
                     placeholder="—", selection_mode="single-row",
                     on_select=selectors.row_follower("indicator_table", list(table["代码"]),
                                                       state.INDICATOR),
                     column_config={"代码": None, "指标": COLUMNS.TextColumn(width=200, pinned=True),
                                    "进度比": COLUMNS.NumberColumn(
                                        format="%.0f%%", help="实际进度 ÷ 按所选方法应有的进度"),
                                    **status_config})
        if shown.empty:
            st.info("没有符合筛选条件的指标。")
        else:
            st.caption(f"共 {len(shown)} 项。点击表格中的一行，或在下方选择指标，查看其目标路径。")
            names = dict(zip(table["代码"], table["指标"]))
            code = selectors.choose_indicator("查看指标", names, state.INDICATOR)
            path = cache.indicator_path(outline, region, year, method, code)
            st.subheader(f"{literal(names[code])}（{path.row['unit']}）")
            # The badge is the product's own HTML; the sentence is shown as text, never as markup.
            st.markdown(f"{chips.status_badge(path.row['status'])} {literal(html.escape(path.why))}",
                        unsafe_allow_html=True)
            st.plotly_chart(path.figure, theme=None, config=PLOT_CONFIG)
            with st.expander(f"数据来源（{len(path.sources)}）", icon=":material/source:"):
                st.markdown(quoted_list(path.sources), unsafe_allow_html=True)

# 5. 重点难点指标: causes, measures, deadline, responsible unit — written on 保存 only -----------
with focus_tab:
    if focus_tab.open:
        focus = midterm.focus_table(evaluated, cache.focus_items(outline, region),
                                    explain.explain(evaluated,
                                                    settings=config.settings().evaluation))
        if focus.empty:
            st.success("没有进度滞后、未达标、需关注或数据不足的指标。")
        elif not actor.allows(Permission.NOTE):
            st.caption("进度滞后、未达标、需关注和数据不足的指标，及工委办填写的说明（只读）。")
            st.dataframe(focus.drop(columns=["代码"]), hide_index=True, width="stretch")
        else:
            st.caption("进度滞后、未达标、需关注和数据不足的指标。填写原因、整改措施、时限和责任单位后点击"
                       "“保存”；责任单位默认为牵头单位。")
            with st.form("focus_form", border=False):
                edited = st.data_editor(
                    focus, key="focus_editor", hide_index=True, disabled=midterm.FOCUS_FIXED,
                    height=36 * (min(len(focus), 16) + 1) + 2, column_config={
                        "代码": None, "指标": COLUMNS.TextColumn(width=180, pinned=True),
                        "原因": COLUMNS.TextColumn(width=200), "整改措施": COLUMNS.TextColumn(width=240),
                        "时限": COLUMNS.TextColumn(width=100, help="例如：2026年底前"),
                        "责任单位": COLUMNS.TextColumn(width=110),
                        "说明": COLUMNS.TextColumn(width=420, help="评估结论及其依据")})
                if st.form_submit_button("保存", type="primary"):
                    items = midterm.focus_items(edited, evaluated)
                    changed = cache.save_focus_items(outline, region, items)
                    st.success(f"已保存（{changed} 项有改动）：{region_row['name']}共有 "
                               f"{midterm.note_count(items)} 项重点难点指标填写了说明。")

# 6. Regions one level down: ranking on one indicator, status heat map -------------------------
with peer_tab:
    if peer_tab.open:
        peer_frame = None if children.empty else cache.evaluate(
            outline, list(children["code"]), year, method)
        if children.empty:
            standing_panel.render(cat, evaluated, outline, region_row, year, method)
        elif peer_frame["latest_value"].isna().all():
            st.info(f"下级地区尚无数据：{len(children)} 个下级地区在{year}年及以前都没有本纲要指标的"
                    "数值，无法排名或显示状态。可在“数据上传”页上传下级地区的数据。")
        else:
            names = dict(zip(children["code"], children.apply(regions_module.label, axis=1)))
            code = selectors.choose_indicator("对比指标", peers.indicator_choices(peer_frame),
                                             state.PEER_INDICATOR)
            st.caption("按最新值由好到差排名（越高越好的指标从高到低，越低越好的从低到高）。")
            years = peers.years_note(peer_frame, code)
            if years:
                st.caption(years)
            pooled = peers.pooled_rates(cache.observations([code], list(children["code"])),
                                        peer_frame, code, cat.units, config.settings().evaluation)
            ranking, status_config = chips.status_column(
                peers.ranking(peer_frame, code, names, pooled))
            st.dataframe(ranking, hide_index=True, column_config=status_config)
            if not pooled.empty:
                st.caption(peers.pooled_note())
            st.subheader("各地区指标状态")
            st.caption(f"{status_charts.status_legend()}。仅列有量化目标的指标；悬停查看数值和目标，"
                       "窄屏上可左右滑动。")
            heatmap = status_charts.status_heatmap(peers.status_grid(peer_frame, names))
            with scroll.sideways("status_heatmap", status_charts.heatmap_min_width(heatmap)):
                st.plotly_chart(heatmap, theme=None, config=PLOT_CONFIG)

# 7. The visit briefing, built on request --------------------------------------------------------
with briefing_tab:
    if briefing_tab.open and actor.allows(Permission.BRIEF):
        briefing_panel.render(outline, region, region_row["name"], year, method,
                              midterm.departments(evaluated))
    elif briefing_tab.open:
        st.info(f"您的角色（{actor.role_label}）无权导出评估简报。")
