"""The pieces of the 报送进度 page: counts by state, one period's history and missing
indicators by department, and the form of the steps the person may take on it (each step runs
only inside its button's click, then the page reruns showing the outcome)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.access import Actor, Permission
from metrics.catalogue import Catalogue
from metrics.errors import MetricsError
from metrics.regions import LEVEL_LABELS
from metrics.reporting import STATE_LABELS, STEPS, IncompleteSubmission, history_table
from metrics.rollup import rollup_table
from pages.ui import cache, state
from pages.ui.markdown_text import literal


def level_name(level: str) -> str:
    return LEVEL_LABELS.get(level, level)


def show_result() -> None:
    """The outcome of the step taken before this rerun, once."""
    result = st.session_state.pop(state.PERIOD_RESULT, None)
    if result is None:
        return
    succeeded, message = result
    st.toast(message, icon=":material/check_circle:" if succeeded else ":material/error:")
    (st.success if succeeded else st.error)(message)


def summary(rows: pd.DataFrame) -> None:
    """How many of the reporting periods are in each state, and how many are overdue: side by
    side, wrapping into two rows on a phone rather than five screens of one number each."""
    reporting_rows = rows[rows["reports"]]
    counts = reporting_rows["state"].value_counts()
    shown = {label: int(counts.get(code, 0)) for code, label in STATE_LABELS.items()}
    with st.container(horizontal=True, gap="medium"):
        for label, count in (shown | {"逾期未报": int(reporting_rows["overdue"].sum())}).items():
            st.metric(label, count, width="content")


def reconciliation(outline_id: str, region_code: str, year: int, name: str) -> None:
    """The region's rates from the counts of the regions below, against its own values: what
    a reviewer looks at before approving it."""
    rows = cache.rollup_rows(outline_id, region_code, year)
    if rows.empty:
        return
    disagreeing = int((rows["status"] == "disagrees").sum())
    title = f"{name}：由下级计数汇总核对（{len(rows)} 项" + (
        f"，{disagreeing} 项不一致）" if disagreeing else "）")
    with st.expander(title, expanded=bool(disagreeing), icon=":material/functions:"):
        st.caption("比率指标由下一级地区填报的分子、分母汇总（Σ分子 / Σ分母）；本级填报值与汇总值之差"
                   "超过设置的容差标为不一致。没有计数的比率不汇总。")
        st.dataframe(rollup_table(rows), hide_index=True, width="stretch")
        acceptance_form(outline_id, region_code, year, rows)


def acceptance_form(outline_id: str, region_code: str, year: int, rows: pd.DataFrame) -> None:
    """For a reviewer whose scope holds the region: take in the computed values of the rates
    it did not report (a batch of her own, undone on 导入记录)."""
    candidates = rows[rows["status"] == "candidate"]
    actor = cache.acting_user()
    if candidates.empty or not actor.allows(Permission.REVIEW) \
            or region_code not in cache.capture_codes():
        return
    names = dict(zip(candidates["indicator_code"], candidates["name"]))
    with st.form(f"rollup_accept_{region_code}", border=False):
        chosen = st.multiselect("采用汇总值的指标", list(names), default=list(names),
                                format_func=names.get,
                                help="汇总值作为本级数值导入（来源“由下级汇总”，保留分子、分母），"
                                     "可在“导入记录”中撤销；本级已填报的数值不会被覆盖。")
        confirmed = st.form_submit_button(f"采用汇总值（{len(names)} 项可采用）")
    if confirmed:
        accept(outline_id, region_code, year, chosen)


def accept(outline_id: str, region_code: str, year: int, codes: list[str]) -> None:
    """Take the chosen values in, keep the outcome for the rerun that shows it."""
    if not codes:
        st.session_state[state.PERIOD_RESULT] = (False, "请至少选择一项指标。")
        st.rerun()
    try:
        batch, written = cache.accept_rollup(outline_id, region_code, year, codes)
        st.session_state[state.PERIOD_RESULT] = (
            True, f"已采用 {len(written)} 项汇总值（批次 {batch}），可在“导入记录”中撤销。")
    except MetricsError as exc:
        st.session_state[state.PERIOD_RESULT] = (False, f"未采用：{literal(exc)}")
    st.rerun()


def history(cat: Catalogue, outline_id: str, region_code: str, year: int) -> None:
    """Every step of the period: who, when, what, and the note or reason."""
    st.markdown("**报送记录**")
    steps = cache.period_history(outline_id, region_code, year)
    if steps.empty:
        st.caption("尚无记录。")
        return
    st.dataframe(history_table(cat, steps), hide_index=True, width="stretch")


def missing(outline_id: str, region_code: str, year: int) -> None:
    """The outline's indicators without a value for the year, by lead department: one line
    each, wrapping (a table cell would cut a department's list off)."""
    gaps = cache.missing_indicators(outline_id, region_code, year)
    st.markdown(f"**缺报指标（{len(gaps)} 项）**")
    if gaps.empty:
        st.caption("本纲要的指标均已有本年数值。")
        return
    by_department = gaps.assign(lead_department=gaps["lead_department"].fillna("（未指定）")) \
        .groupby("lead_department", sort=True)["name"]
    st.markdown("\n".join(f"- **{literal(department)}**（{len(names)}）：{literal('、'.join(names))}"
                          for department, names in by_department))


def step_form(outline_id: str, region_code: str, year: int, actions: tuple[str, ...],
              actor: Actor) -> None:
    """The steps `actor` may take on the period now, with a note (a reason for 退回 and 解锁;
    for 报送, what explains the missing indicators)."""
    if not actions:
        st.caption("您目前不能对该报送期执行操作。")
        return
    with st.form(f"period_step_{region_code}", border=True):
        action = st.radio("操作", list(actions), format_func=lambda a: STEPS[a].label,
                          horizontal=True)
        # The rule goes in the help: a phone shows a placeholder's first 20 characters only.
        note = st.text_input("说明或理由", max_chars=500,
                             placeholder="如：儿童伤害死亡率由省疾控中心统一发布",
                             help="退回、解锁须写明理由；有缺报指标时报送须说明原因。")
        st.caption(f"操作人：{literal(actor.name)}（{actor.role_label}）")
        confirmed = st.form_submit_button("确认", type="primary")
    if confirmed:
        take(action, outline_id, region_code, year, note)


def take(action: str, outline_id: str, region_code: str, year: int, note: str) -> None:
    """Run one step, keep its outcome for the rerun that shows it."""
    label = STEPS[action].label
    try:
        cache.take_period_step(action, outline_id, region_code, year, note)
        st.session_state[state.PERIOD_RESULT] = (True, f"已{label}。")
    except IncompleteSubmission as exc:
        st.session_state[state.PERIOD_RESULT] = (False, f"未报送：{literal(exc)}")
    except MetricsError as exc:
        st.session_state[state.PERIOD_RESULT] = (False, f"未能{label}：{literal(exc)}")
    st.rerun()
