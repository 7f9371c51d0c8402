"""The 评估简报 tab: build the visit briefing on request and offer it as Excel and Word.

Building starts Chromium for the charts and takes seconds, so it runs only on the button and the
result is kept in session state under its full scope; the download buttons do not rerun the page
(on_click="ignore"), so downloading never rebuilds anything.
"""
from __future__ import annotations

import streamlit as st

from metrics.reports import briefing
from pages.ui import cache, state
from pages.ui.markdown_text import literal


def render(outline: str, region: str, region_name: str, year: int, method: str,
           departments: list[str]) -> None:
    """Department choice, the build button with progress, and the two downloads."""
    st.caption("生成供督导评估使用的简报：Excel 含全部指标、数据缺口和重点难点指标；Word 为公文"
               "格式，含进度滞后、未达标和需关注指标的图表。可只含某一责任单位的指标。")
    department = st.selectbox("责任单位", departments, index=None, placeholder="全部责任单位",
                              key="briefing_department")
    scope = (outline, region, year, method, department, cache.data_version())
    if st.button("生成简报", type="primary"):
        with st.status("正在生成简报…", expanded=False) as progress:
            progress.update(label="正在评估并绘制图表…")
            built = cache.build_briefing(outline, region, year, department, method)
            progress.update(label="正在写入 Excel 与 Word…")
            st.session_state[state.BRIEFING] = (scope, briefing.workbook_bytes(built),
                                            briefing.document_bytes(built), built.chart_error)
            progress.update(label="简报已生成", state="complete")
    kept = st.session_state.get(state.BRIEFING)
    if kept is None or kept[0] != scope:
        return
    _, workbook, document, chart_error = kept
    if chart_error:
        st.warning(f"图表未能生成（{literal(chart_error)}），Word 简报中不含图表。")
    stem = f"{region_name}_{year}年_评估简报" + (f"_{department}" if department else "")
    left, right = st.columns(2)
    left.download_button("下载 Excel", workbook, f"{stem}.xlsx", on_click="ignore",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    right.download_button("下载 Word", document, f"{stem}.docx", on_click="ignore",
                          mime="application/vnd.openxmlformats-officedocument.wordprocessingml."
                               "document")
