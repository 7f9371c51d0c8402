"""The forms of the 规划管理 page, shown to an administrator whose scope holds the plan's
region: a new plan, the plan's information, one indicator's target, milestone, verification,
monitoring and 目标责任分解, and the annex import. Each change runs in metrics (checked,
versioned, audited) inside its button's click; the page then reruns showing the outcome."""
from __future__ import annotations

import hashlib
import re

import pandas as pd
import streamlit as st

from metrics import catalogue, targets
from metrics.catalogue import LIST_SEPARATOR, Catalogue
from metrics.errors import MetricsError
from metrics.plans import editing, indicator_edits, local_indicators
from metrics.plans.problems import title as problem_title
from metrics.uploads import report as upload_report
from pages.ui import cache, state
from pages.ui.markdown_text import literal

ACTIONS = ["目标", "阶段目标", "核实", "责任分解", "监测"]
NEW_LOCAL = "new"  # the choice of a local indicator not yet defined


def attempt(change, *args) -> None:
    """Make one change of a plan; keep its outcome for the rerun, or show its refusal (with
    its problem code where it has one)."""
    try:
        saved = cache.change_plan(change, *args)
    except MetricsError as exc:
        code = getattr(exc, "code", None)
        st.error(literal(exc) + (f"（{code}）" if code else ""), icon=":material/error:")
        if exc.hint:
            st.caption(literal(exc.hint))
        return
    message = "规划无变化，未记录新版本。" if saved.version is None else \
        f"已保存为第 {saved.version} 版：{literal(saved.summary)}"
    st.session_state[state.PLAN_RESULT] = (saved.version is not None, message)
    st.session_state[state.PLAN_CHANGED] = saved.plan_id
    st.rerun()


def year_inputs(defaults: dict, prefix: str) -> dict:
    columns = st.columns(3)
    return {field: columns[i].number_input(label, value=int(defaults[field]), step=1,
                                           key=f"{prefix}_{field}")
            for i, (field, label) in enumerate(editing.YEAR_LABELS.items())}


def create_form(cat: Catalogue, outline_id: str, region_code: str) -> None:
    """A new plan of the chosen region under the outline or a plan of a region above."""
    tree = cache.current_region_tree()
    family = targets.plans_of_outline(cat.plans, outline_id)
    above = tree.ancestors(region_code)[:-1]
    parents = family[family["region_code"].isin(above)]
    parents = parents.assign(depth=parents["region_code"].map(above.index)).sort_values(
        "depth", ascending=False)
    region_name = cat.regions.set_index("code").at[region_code, "name"]
    with st.expander(f"为{literal(region_name)}新建规划", icon=":material/add:"), \
            st.form("plan_create"):
        name = st.text_input("规划名称", placeholder="如：鼓楼区儿童发展规划（2021—2030年）",
                             key="create_name")
        document = st.text_input("印发文号（可不填）", key="create_document")
        parent = st.selectbox("上级规划", list(parents["id"]), key="create_parent",
                              format_func=dict(zip(parents["id"], parents["name"])).get)
        years = year_inputs(cat.plans.set_index("id").loc[outline_id], "create")
        st.caption("新规划沿用上级规划的全部指标与目标；建立后可逐项修改目标、阶段目标和责任分解，或导入指标表。")
        if st.form_submit_button("新建规划", type="primary"):
            attempt(editing.create_plan, parent, region_code, name, document, years)


def info_form(plan: dict) -> None:
    """The plan's title, document number and years."""
    with st.expander("修改规划信息", icon=":material/edit:"), st.form("plan_info"):
        name = st.text_input("规划名称", value=plan["name"], key="info_name")
        document = st.text_input("印发文号", value=plan["document"] if pd.notna(plan["document"])
                                 else "", key="info_document")
        years = year_inputs(plan, "info")
        if st.form_submit_button("保存规划信息"):
            attempt(editing.change_plan_info, plan["id"], name, document, years)


def indicator_editor(plan: dict, rows: pd.DataFrame, table: pd.DataFrame) -> None:
    """One indicator chosen, what the plan has of it now (its row of `table`, the table
    shown), then one of its forms."""
    st.markdown("**修改一个指标**")
    names = dict(zip(rows["indicator_code"], rows["name"]))
    code = st.selectbox("指标", list(names), format_func=names.get, key="plan_indicator")
    row = rows.set_index("indicator_code").loc[code]
    shown = table.set_index("代码").loc[code]
    target = "无目标" if shown["目标"] == "—" else \
        f"{shown['目标']}（{shown['目标来源']}，{shown['核实']}）"
    st.caption(literal(f"现在：目标 {target}；阶段目标 {shown['阶段目标'] or '无'}；牵头 "
                       f"{shown['牵头单位'] or '—'}（{shown['责任分解来源']}）；{shown['监测']}"))
    action = st.segmented_control("修改内容", ACTIONS, default=ACTIONS[0],
                                  key="plan_action") or ACTIONS[0]
    forms = {"目标": target_form, "阶段目标": milestone_form, "核实": verify_form,
             "责任分解": responsibility_form, "监测": monitoring_form}
    forms[action](plan["id"], code, row)


def target_form(plan_id: str, code: str, row: pd.Series) -> None:
    with st.form("plan_target"):
        wording = st.text_input("本规划的目标", key="target_wording",
                                placeholder="如：≥95%、95%以上、控制在12/10万以下、保持在45%左右、逐步提高",
                                help=f"单位：{row['unit']}。按规划原文填写，系统识别为目标类型并核对方向与有效范围。")
        year = st.text_input("目标年份（不填取规划的目标年份）", key="target_year")
        own = pd.notna(row["own_kind"])
        left, right = st.columns(2)
        if left.form_submit_button("保存目标", type="primary"):
            attempt(indicator_edits.set_target, plan_id, code, wording, year)
        if own and right.form_submit_button("取消本规划目标，沿用上级"):
            attempt(indicator_edits.inherit_target, plan_id, code)


def milestone_form(plan_id: str, code: str, row: pd.Series) -> None:
    with st.form("plan_milestone"):
        columns = st.columns(2)
        year = columns[0].number_input("阶段目标年份", value=None, step=1, key="milestone_year",
                                       placeholder="如 2025")
        value = columns[1].number_input(f"阶段目标值（{row['unit']}）", value=None,
                                        key="milestone_value", format="%g")
        left, right = st.columns(2)
        if left.form_submit_button("保存阶段目标", type="primary"):
            attempt(indicator_edits.set_milestone, plan_id, code,
                    None if year is None else int(year), value)
        if pd.notna(row["own_milestone_year"]) and right.form_submit_button("删除阶段目标"):
            attempt(indicator_edits.set_milestone, plan_id, code, None, None)


def verify_form(plan_id: str, code: str, row: pd.Series) -> None:
    if pd.isna(row["own_kind"]):
        st.info("该指标沿用上级规划的目标，本规划没有可核实的目标。")
        return
    with st.form("plan_verify"):
        columns = st.columns(2)
        page = columns[0].text_input("印发文本页码", key="verify_page")
        article = columns[1].text_input("条款", placeholder="如：第三部分（二）第5条",
                                        key="verify_article")
        if st.form_submit_button("标记为已核实", type="primary"):
            attempt(indicator_edits.verify_target, plan_id, code, page, article)


def responsibility_form(plan_id: str, code: str, row: pd.Series) -> None:
    def current(field: str) -> str:
        value = row[f"own_{field}"]
        return "" if pd.isna(value) else str(value).replace(LIST_SEPARATOR, "、")
    with st.form("plan_responsibility"):
        st.caption(f"指标目录的分工：牵头 {literal(row['lead_department'] or '—')}。"
                   "全部留空保存则恢复按指标目录。")
        lead = st.text_input("牵头单位", value=current("lead_unit"), key="duty_lead")
        supporting = st.text_input("配合单位（多个用顿号分隔）", value=current("supporting_units"),
                                   key="duty_supporting")
        columns = st.columns(2)
        contact = columns[0].text_input("联系人", value=current("contact"), key="duty_contact")
        deadline = columns[1].text_input("完成时限", value=current("deadline"), key="duty_deadline")
        if st.form_submit_button("保存责任分解", type="primary"):
            attempt(indicator_edits.set_responsibility, plan_id, code, lead, supporting, contact,
                    deadline)


def monitoring_form(plan_id: str, code: str, row: pd.Series) -> None:
    with st.form("plan_monitoring"):
        if pd.notna(row["own_dropped_reason"]):
            st.caption(f"本规划不监测该指标：{literal(row['own_dropped_reason'])}")
            if st.form_submit_button("恢复监测", type="primary"):
                attempt(indicator_edits.restore_indicator, plan_id, code)
            return
        reason = st.text_input("不监测的原因", placeholder="如：本市规划未列入该指标",
                               key="drop_reason")
        st.caption("不监测的指标不参加本地区及下级地区的评估；已设定的目标保留，恢复监测后仍然有效。")
        if st.form_submit_button("不再监测"):
            attempt(indicator_edits.drop_indicator, plan_id, code, reason)


def annex_import(plan: dict) -> None:
    """The plan's annex table (.xlsx or .docx) checked (every problem by row and column), then
    imported."""
    st.markdown("**导入指标表**")
    uploaded = st.file_uploader("规划附件中的指标表（Excel 或 Word）", type=["xlsx", "xls", "docx"],
                                key="plan_annex")
    if uploaded is None:
        return
    raw = uploaded.getvalue()
    key = (plan["id"], hashlib.sha256(raw).hexdigest())
    checked = st.session_state.get(state.PLAN_ANNEX)
    if checked is None or checked[:2] != key:
        checked = (*key, cache.read_plan_annex(plan["id"], raw, uploaded.name))
        st.session_state[state.PLAN_ANNEX] = checked
    table = checked[2]
    if table.problems:
        shown = upload_report.problem_table(table.problems)
        shown.insert(2, "类型", [problem_title(p.code) for p in table.problems])
        shown["代码"] = [p.code for p in table.problems]
        st.dataframe(shown, hide_index=True, width="stretch", key="annex_problems")
    if table.errors:
        st.error(f"指标表有 {len(table.errors)} 个错误，未导入。请改正后重新上传。",
                 icon=":material/error:")
        return
    targets_set = int(table.rows["kind"].notna().sum())
    st.info(f"检查通过：{len(table.rows)} 个指标，其中本级目标 {targets_set} 个。导入后替换本规划"
            "设定的目标与责任分解（表中没有的指标沿用上级规划；不监测的指标保持不监测）。")
    if st.button("导入", type="primary", key="annex_import"):
        st.session_state.pop(state.PLAN_ANNEX, None)
        attempt(editing.import_annex, plan["id"], table, uploaded.name)


def listed(text: str) -> str:
    """Names or units written with 、，, between them, as the catalogue joins them."""
    return LIST_SEPARATOR.join(t.strip() for t in re.split(r"[、，,]+", text) if t.strip())


def local_indicator_form(cat: Catalogue, plan: dict, local: pd.DataFrame) -> None:
    """A new local indicator of the plan, or one it defines changed (its unit stays: values
    are reported in it): name, aliases, unit, direction, decimals, valid range, definition,
    data source, departments, area and the target in the plan's words."""
    st.markdown("**本地指标**")
    names = dict(zip(local["code"], local["name"]))
    code = st.selectbox("定义或修改", [NEW_LOCAL, *names], key="local_code",
                        format_func=lambda c: "新定义一个本地指标" if c == NEW_LOCAL
                        else f"{names[c]}（{c}）")
    old = {} if code == NEW_LOCAL else local.set_index("code").loc[code].to_dict()
    outline = catalogue.outline_of(cat.plans, plan["parent_plan"])
    areas = cat.areas[cat.areas["plan_id"] == outline]
    area_names = dict(zip(areas["area_code"], areas["name"]))
    units = list(cat.units["unit"])

    def given(field: str) -> str:
        value = old.get(field)
        return "" if value is None or pd.isna(value) else str(value).replace(LIST_SEPARATOR, "、")

    def number(field: str):
        value = old.get(field)
        return None if value is None or pd.isna(value) else float(value)
    # Each indicator's fields under keys of their own, so choosing another shows its values; a
    # new one's under keys numbered by how many the plan has, so a definition saved empties them.
    prefix = f"local_new{len(local)}" if code == NEW_LOCAL else f"local_{code}"
    with st.form(f"plan_{prefix}"):
        name = st.text_input("指标名称", value=given("name"), key=f"{prefix}_name",
                             placeholder="如：「妇女之家」覆盖率")
        aliases = st.text_input("别名（多个用顿号分隔）", value=given("aliases"),
                                key=f"{prefix}_aliases")
        columns = st.columns(3)
        unit = columns[0].selectbox("单位", units, key=f"{prefix}_unit", disabled=bool(old),
                                    index=units.index(old["unit"]) if old else 0,
                                    help="单位表（data/units.csv）中的单位；定义后不能修改。")
        directions = list(local_indicators.DIRECTION_LABELS)
        direction = columns[1].selectbox(
            "方向", directions, format_func=local_indicators.DIRECTION_LABELS.get,
            index=directions.index(old["direction"]) if old else 0, key=f"{prefix}_direction")
        area = columns[2].selectbox("所属领域", list(area_names), format_func=area_names.get,
                                    index=list(area_names).index(old["area_code"]) if old else 0,
                                    key=f"{prefix}_area")
        columns = st.columns(3)
        decimals = columns[0].number_input("小数位数（不填按单位）", min_value=0, max_value=4,
                                           value=None if not old else int(old["decimals"]),
                                           step=1, key=f"{prefix}_decimals")
        low = columns[1].number_input("有效范围下限（不填按单位）", value=number("valid_min"),
                                      key=f"{prefix}_min", format="%g")
        high = columns[2].number_input("有效范围上限（不填按单位）", value=number("valid_max"),
                                       key=f"{prefix}_max", format="%g")
        definition = st.text_area("指标定义（计算方法）", value=given("definition"),
                                  key=f"{prefix}_definition")
        source = st.text_input("数据来源", value=given("data_source"), key=f"{prefix}_source")
        columns = st.columns(2)
        lead = columns[0].text_input("牵头单位", value=given("lead_department"),
                                     key=f"{prefix}_lead")
        supporting = columns[1].text_input("配合单位（多个用顿号分隔）",
                                           value=given("supporting_departments"),
                                           key=f"{prefix}_supporting")
        columns = st.columns(2)
        target = columns[0].text_input(
            "本规划的目标（按规划原文，可不填）", key=f"{prefix}_target",
            placeholder="如：≥90%、逐步提高" if not old else f"现在：{given('text') or '无目标'}；不填则不变")
        year = columns[1].number_input("目标年份（不填取规划的目标年份）", value=None, step=1,
                                       key=f"{prefix}_target_year")
        fields = {"name": name, "aliases": listed(aliases), "unit": unit, "direction": direction,
                  "area": area, "decimals": decimals, "valid_min": low, "valid_max": high,
                  "definition": definition, "data_source": source, "lead_department": lead,
                  "supporting_departments": listed(supporting)}
        wording = target.strip() or None
        target_year = None if year is None else int(year)
        if not old and st.form_submit_button("定义本地指标", type="primary"):
            attempt(cache.define_local_indicator, plan["id"], fields, wording, target_year)
        if old and st.form_submit_button("保存本地指标", type="primary"):
            attempt(local_indicators.change, code, fields, wording, target_year)
