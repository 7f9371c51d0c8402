"""The read-only pieces of the 规划管理 page: the outcome of the last change, which plan governs
the chosen region, a plan's facts, its indicator table, its workbooks and its versions."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.catalogue import Catalogue
from metrics.plans import in_force, workbook
from metrics.views import plans as plans_view
from pages.ui import cache, state
from pages.ui.markdown_text import literal

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def show_result() -> None:
    """The outcome of the change made before this rerun, once."""
    result = st.session_state.pop(state.PLAN_RESULT, None)
    if result is None:
        return
    succeeded, message = result
    (st.success if succeeded else st.info)(message, icon=":material/check_circle:")


def may_create(cat: Catalogue, outline_id: str, region_code: str) -> bool:
    """Whether the region may get a plan of the outline: not the nation, not one it has."""
    governing = in_force.governing_plan(cat, outline_id, region_code)
    level = cat.regions.set_index("code").at[region_code, "level"]
    return level != "national" and (governing is None or governing["region_code"] != region_code)


def governing_plan(cat: Catalogue, outline_id: str, region_code: str) -> None:
    """Which plan the region's evaluation follows."""
    governing = in_force.governing_plan(cat, outline_id, region_code)
    outline = cat.plans.set_index("id").at[outline_id, "name"]
    if governing is None:
        st.caption(f"所选地区执行《{literal(outline)}》的目标（上级地区均无地方规划）。")
    else:
        st.caption(f"所选地区的评估采用《{literal(governing['name'])}》的目标与责任分解；"
                   "该规划没有设定的指标沿用上级规划。")


def plan_facts(cat: Catalogue, plan: dict) -> None:
    """Region, parent, document number and years of the plan."""
    regions = cat.regions.set_index("code")["name"]
    parent = cat.plans.set_index("id").at[plan["parent_plan"], "name"]
    document = plan["document"] if pd.notna(plan["document"]) else "（未填写）"
    st.markdown(f"地区：{literal(regions.get(plan['region_code'], plan['region_code']))}　"
                f"上级规划：《{literal(parent)}》　文号：{literal(document)}　"
                f"基线 {plan['baseline_year']} 年，中期 {plan['midterm_year']} 年，"
                f"目标 {plan['target_year']} 年")


def indicator_table(rows: pd.DataFrame, plan: dict) -> pd.DataFrame:
    """Every indicator of the outline and local indicator applying as the plan has it (the
    table shown, returned)."""
    table = plans_view.indicator_table(rows, plan["name"], int(plan["baseline_year"]))
    own = int((table["目标来源"] == "本规划").sum())
    dropped = int(table["监测"].str.startswith("不监测").sum())
    local = int(rows["local"].sum())
    st.caption(f"共 {len(table)} 个指标（其中本地指标 {local} 个）：本规划设定目标 {own} 个，"
               f"不监测 {dropped} 个，其余沿用上级规划。责任分解未填写的指标按指标目录的牵头、配合单位。")
    wide = {heading: st.column_config.TextColumn(width="medium")
            for heading in ("指标", "目标", "目标来源", "配合单位")}
    st.dataframe(table, hide_index=True, width="stretch", key="plan_indicators",
                 column_config=wide | {"代码": st.column_config.TextColumn(width="small")})
    return table


def downloads(cat: Catalogue, plan: dict, own: pd.DataFrame) -> None:
    """The plan's table to download (importable again) and a blank template for it."""
    left, right = st.columns(2)
    exported = workbook.xlsx_bytes(workbook.export_frame(cat, plan["id"], own), "规划指标")
    left.download_button("导出本规划指标表（.xlsx）", exported, f"{plan['id']}_规划指标.xlsx",
                         XLSX_MIME, key="plan_export", icon=":material/download:")
    template = workbook.xlsx_bytes(workbook.template_frame(cat, plan["parent_plan"]), "规划指标")
    right.download_button("下载空白模板（含上级目标）", template, f"{plan['id']}_模板.xlsx",
                          XLSX_MIME, key="plan_template", icon=":material/description:")
    st.caption("导出的表格可修改后再导入；“目标值”留空的指标沿用上级规划的目标。不监测的指标不导出，"
               "再导入后仍不监测。")


def versions(plan_id: str) -> None:
    """Who changed what, when, from what."""
    history = cache.plan_versions(plan_id)
    if history.empty:
        st.info("该规划随系统内置（data/），尚未在本系统中修改过。")
        return
    st.dataframe(plans_view.version_table(history), hide_index=True, width="stretch",
                 key="plan_versions")
    st.caption("每次修改记为一个新版本，修改前后的完整内容同时记入审计日志（系统管理 → 审计日志）。")

