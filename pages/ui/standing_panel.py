"""下级地区对比 where there is nothing one level down (a county): the region's rank among its
sister regions, with its parent's and 全国's values, as in its briefing (issue 11 §4)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import regions as regions_module
from metrics.regions import NATIONAL_CODE
from metrics.views import peers
from pages.ui import cache


def render(cat, evaluated: pd.DataFrame, outline: str, region_row: pd.Series, year: int,
           method: str) -> None:
    """The rank among the sister regions the person may see, on the indicators with a target."""
    offered = cache.offered_regions()
    parent = region_row["parent_code"]
    sisters = list(offered.tree.children(parent)["code"])
    if len(sisters) < 2:
        st.info("该地区没有下级地区；同级地区不在您的查看范围内，无法排出位次。")
        return
    in_view = offered.regions.set_index("code")
    comparisons = {regions_module.label(in_view.loc[code]): code
                   for code in dict.fromkeys([parent, NATIONAL_CODE]) if code in in_view.index}
    frame = cache.evaluate(outline, sisters + list(comparisons.values()), year, method)
    targeted = evaluated.loc[evaluated["target_kind"].notna(), "indicator_code"]
    table = peers.standing(frame[frame["indicator_code"].isin(targeted)], region_row.name,
                           sisters, comparisons)
    st.subheader(f"在同级 {len(sisters)} 个地区中的位次")
    if table.empty:
        st.info("该地区或其同级地区尚无有目标指标的数据，无法排出位次。")
        return
    st.caption("位次按最新值由好到差（3/7 表示有数据的同级地区中第3）；括号内为数据年份。")
    st.dataframe(table.drop(columns="indicator_code"), hide_index=True, width="stretch")
