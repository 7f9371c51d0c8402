"""规划管理: the local plans (两规划) of an outline in the chosen region, above and below — title,
document number, parent, years, own indicators, latest version — and one plan in full: its
indicators with the target in force and whose it is, the milestone, the 目标责任分解 and
whether it is monitored, the local indicators (本地指标) beside the outline's; the annex table
imported and exported; the version history. Administrators whose scope holds the plan's region
add and change plans and define or change the plan's local indicators (each change one audited
version, made in metrics); staff and reviewers read."""
import streamlit as st

from metrics.access import Permission
from metrics.plans import in_force
from metrics.views import plans as plans_view
from pages.ui import cache, frame, plan_forms, plan_panel, selectors, state
from pages.ui.markdown_text import literal

SECTIONS = ["指标与目标", "导入导出", "版本记录"]

cat, actor = frame.prepare(Permission.PLANS)
st.title("规划管理")
outline = selectors.choose_outline()
region = selectors.choose_region(cat)
plan_panel.show_result()
tree = cache.current_region_tree()
offered = cache.offered_regions().regions
below = offered["code"][tree.under(offered["code"], [region]).astype(bool)]
# The plans above govern the region too: shown (published documents), changed only in scope.
plans = plans_view.plans_of(cat, outline, set(below) | set(tree.ancestors(region)))
editable = set(cache.capture_codes()) if actor.allows(Permission.ADMINISTER) else set()

# 1. The plans of the region, above and below -----------------------------------------------------------
st.subheader("地方规划")
plan_panel.governing_plan(cat, outline, region)
if plans.empty:
    st.info("所选地区、其上级和下级地区都还没有本纲要的地方规划。")
else:
    st.dataframe(plans_view.plan_list(cat, plans, cache.latest_plan_versions(plans["id"])),
                 hide_index=True, width="stretch")
if region in editable and plan_panel.may_create(cat, outline, region):
    plan_forms.create_form(cat, outline, region)
if plans.empty:
    frame.stop()

# 2. One plan -------------------------------------------------------------------------------------
ids = list(plans["id"])
names = dict(zip(plans["id"], plans["name"]))
changed = st.session_state.pop(state.PLAN_CHANGED, None)
if changed in ids:
    st.session_state[state.LOCAL_PLAN] = changed
if st.session_state.get(state.LOCAL_PLAN) not in ids:
    governing = in_force.governing_plan(cat, outline, region)
    wanted = st.query_params.get(state.LOCAL_PLAN, "" if governing is None else governing["id"])
    st.session_state[state.LOCAL_PLAN] = wanted if wanted in ids else ids[0]
plan_id = st.selectbox("查看规划", ids, key=state.LOCAL_PLAN, format_func=names.get)
st.query_params[state.LOCAL_PLAN] = plan_id
plan, own = cache.local_plan(plan_id)
may_edit = plan["region_code"] in editable
st.subheader(literal(plan["name"]))
plan_panel.plan_facts(cat, plan)
if may_edit:
    plan_forms.info_form(plan)
elif actor.allows(Permission.ADMINISTER):
    st.caption("该规划所属地区不在您的填报范围内，只能查看。")
section = st.segmented_control("内容", SECTIONS, default=SECTIONS[0], key="plan_section",
                               label_visibility="collapsed") or SECTIONS[0]
rows = plans_view.indicator_rows(cat, plan_id, own)
if section == SECTIONS[0]:
    table = plan_panel.indicator_table(rows, plan)
    if may_edit:
        plan_forms.indicator_editor(plan, rows, table)
        plan_forms.local_indicator_form(cat, plan, cache.plan_local_indicators(plan_id))
elif section == SECTIONS[1]:
    plan_panel.downloads(cat, plan, own)
    if may_edit:
        plan_forms.annex_import(plan)
else:
    plan_panel.versions(plan_id)
