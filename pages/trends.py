"""趋势: indicators over time against their targets, for one or several regions."""
import streamlit as st

from metrics import evaluation
from metrics import regions as regions_module
from metrics.evaluation.local_rows import marked_names
from metrics.views import batch_history
from pages.ui import cache, frame, selectors, state
from pages.ui.markdown_text import literal, quoted_list

# The toolbar keeps only the picture download: zoom and pan serve no one on a 2010–2030 axis
# and, on a phone, a shorter toolbar stays clear of the panel title.
PLOT_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": [
    "zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d",
    "resetScale2d"]}

# 1. Select -----------------------------------------------------------------------------------
cat, actor = frame.prepare()
outline = selectors.choose_outline()
plan = cat.plans.set_index("id").loc[outline]
offered = cache.offered_regions()
regions = offered.regions
indicators = evaluation.indicators_for_regions(cat, outline, regions["code"])
names = dict(zip(indicators["indicator_code"],
                 marked_names(indicators) + "（" + indicators["unit"] + "）"))
region_names = offered.labels
st.title(f"趋势 · {plan['short_name']}")

wanted = [c for c in selectors.query_list(state.INDICATOR) if c in names] or list(names)[:1]
chosen = st.multiselect("指标", list(names), default=wanted, format_func=names.get,
                        placeholder="选择一个或多个指标")
# A link from another page names one region (the person's context); 趋势 keeps a list.
wanted_regions = [c for c in selectors.query_list(state.REGIONS) or selectors.query_list(state.REGION)
                  if c in region_names] or list(offered.roots[:1])
chosen_regions = st.multiselect("地区", list(region_names), default=wanted_regions,
                                format_func=region_names.get, placeholder="选择一个或多个地区")
if state.REGION in st.query_params:
    del st.query_params[state.REGION]
selectors.set_query_list(state.INDICATOR, chosen)
selectors.set_query_list(state.REGIONS, chosen_regions)
if not chosen or not chosen_regions:
    st.info("请至少选择一个指标和一个地区。")
    frame.stop()
frame.demo_notice(bool(regions.set_index("code").loc[chosen_regions, "is_demo"].any()))
# 全国 beside a region below it, on request: off by default, so the region's own road to its
# target stays the picture.
national = regions_module.NATIONAL_CODE
compared = []
if national in region_names and national not in chosen_regions:
    if st.toggle("与全国对比", value=st.query_params.get(state.NATIONAL) == "1",
                 key="compare_national", help="在图中加一条灰色的全国数据线，便于比较"):
        compared = [national]
selectors.set_query_value(state.NATIONAL, "1" if compared else None)

# 2. Load and compute ----------------------------------------------------------------------------
view = cache.trend_view(outline, chosen, chosen_regions, compared)

# 3. Render ------------------------------------------------------------------------------------
if view.figure is None:
    st.info("所选地区暂无这些指标的数据。")
else:
    st.plotly_chart(view.figure, width="stretch", theme=None, config=PLOT_CONFIG)
    with st.expander(f"数据来源（{len(view.sources)}）", icon=":material/source:"):
        st.markdown(quoted_list(view.sources), unsafe_allow_html=True)
for code in chosen:
    with st.expander(f"指标说明：{literal(names[code])}", expanded=len(chosen) == 1):
        st.markdown("\n".join(f"- **{k}**：{literal(v)}" for k, v in view.facts[code].items()))

# 4. Revisions since the initial load (uploads, undos, corrected built-in data) -----------------
revisions = cache.revisions(chosen, chosen_regions)
if not revisions.empty:
    with st.expander(f"数值修订记录（{len(revisions)}）", icon=":material/history:"):
        st.caption("所选指标和地区在载入内置数据之后的每一次数值变动；原值为 — 表示新增，"
                   "新值为 — 表示被撤销删除。")
        st.dataframe(batch_history.revision_table(revisions, cat, outline), hide_index=True,
                     width="stretch")
