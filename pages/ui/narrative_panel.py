"""从工作总结提取 on the 数据上传 page: a report pasted or given as .txt/.docx/.pdf, the figures found
in it listed with their sentences (the figure marked, the text escaped), ticked and corrected by
the person, then checked, previewed and imported exactly as a file is (upload_panel).

The extraction is kept in session state per report, region, year and catalogue revision, so
ticking a figure (a rerun) does not read the report again."""
from __future__ import annotations

import hashlib

import streamlit as st

from metrics import config
from metrics.catalogue import Catalogue
from metrics.regions import NATIONAL_CODE
from metrics.uploads import (
    ingest,
    narrative,
    narrative_tables,
    narrative_text,
    narrative_upload,
)
from metrics.uploads.narrative_candidates import Candidate, Extraction
from pages.ui import cache, upload_panel
from pages.ui.markdown_text import literal

# Session-state keys of this tab (short-lived UI state, like the upload check's).
REPORT_EXTRACTION = "report_extraction"   # (key, extraction)
FIGURES_EDITOR = "report_figures"         # prefix of the figure table's key, per report
SHOWN_SENTENCES = 200


def report_input() -> tuple[bytes, str] | None:
    """The report's bytes and name: the file given, else the text pasted (None: neither)."""
    pasted = st.text_area("粘贴工作总结文字", height=220, key="report_pasted",
                          max_chars=narrative_text.MAX_REPORT_CHARS,
                          placeholder="例如：2023年，全县孕产妇住院分娩率为99.98%，"
                                      "婴儿死亡率控制在4.64‰……")
    file = st.file_uploader("或上传文件（.txt / .docx / .pdf）", type=["txt", "docx", "pdf"],
                            key="report_file",
                            help="文本文件可为 UTF-8 或 GBK 编码；.doc 请先另存为 .docx；"
                                 "扫描件 PDF 没有文字，无法读取。")
    if file is not None:
        return file.getvalue(), file.name
    if pasted.strip():
        return pasted.encode("utf-8"), narrative_upload.PASTED_NAME
    return None


def report_context(cat: Catalogue) -> tuple[str | None, int | None]:
    """The region and year the person says the report is about (None: read from its text)."""
    region_column, year_column = st.columns(2)
    labels = upload_panel.region_labels()
    # A county's or a city's analyst reports on her own region; a national one names it.
    own = [c for c in cache.acting_user().grant.capture_roots if c != NATIONAL_CODE][:1]
    index = list(labels).index(own[0]) if own and own[0] in labels else None
    region = region_column.selectbox(
        "报告所属地区", list(labels), index=index, format_func=labels.get, key="report_region",
        placeholder="从标题中识别", help="句中写明下级地区（如“平南县”）时，该数值记为该地区。")
    year = year_column.number_input("报告年份", min_value=1949, max_value=2100, value=None,
                                    step=1, key="report_year", placeholder="从标题中识别",
                                    help="句中没有年份（如“今年以来”）时使用。")
    return region, None if year is None else int(year)


def extracted(raw: bytes, name: str, cat: Catalogue, region: str | None,
              year: int | None) -> Extraction | None:
    """The report read and searched once per report, region, year and catalogue revision;
    None (after saying why) when it cannot be read."""
    digest = hashlib.sha256(raw).hexdigest()
    key = (digest, region, year, cache.data_version()[0])
    kept = st.session_state.get(REPORT_EXTRACTION)
    if kept is not None and kept[0] == key:
        return kept[1]
    try:
        text = narrative_text.report_text(raw, name if name != narrative_upload.PASTED_NAME
                                          else "粘贴.txt", config.settings().upload)
    except narrative_text.UnreadableReport as exc:
        st.error(literal(exc), icon=":material/error:")
        return None
    with st.spinner("正在查找指标和数值…"):
        found = narrative.extract(text, cat, region, year)
    st.session_state[REPORT_EXTRACTION] = (key, found)
    return found


def chosen_figures(extraction: Extraction, cat: Catalogue,
                   raw: bytes) -> tuple[list[Candidate], list[int]]:
    """The candidate table to tick and correct; returns the candidates kept and their 序号."""
    context = [f"报告年份 {extraction.report_year}年" if extraction.report_year else "报告年份未识别",
               f"地区 {upload_panel.region_labels().get(extraction.report_region, '未识别')}"]
    st.success(f"找到 {len(extraction.candidates)} 个指标数值、{len(extraction.unmatched)} 个"
               f"其他数字（{'，'.join(context)}）。请逐条核对原句，取消勾选不导入的数值，"
               "可直接修改指标、数值、年份和地区。", icon=":material/check_circle:")
    choices = narrative_tables.region_choices(extraction, cat, cache.capture_codes())
    table = narrative_tables.candidate_table(extraction, cat, choices)
    columns = st.column_config
    edited = st.data_editor(
        table, hide_index=True, width="stretch",
        key=f"{FIGURES_EDITOR}_{hashlib.sha256(raw).hexdigest()[:12]}",
        disabled=[c for c in table.columns if c not in narrative_tables.EDITABLE],
        column_config={"导入": columns.CheckboxColumn(width="small"),
                       "指标": columns.SelectboxColumn(options=list(cat.indicators["name"]),
                                                     required=True),
                       "地区": columns.SelectboxColumn(
                           options=list(choices), required=True,
                           help="从原句中识别的地区；只能选择本人可填报的地区"),
                       "数值": columns.NumberColumn(format="%.10g"),
                       "年份": columns.NumberColumn(format="%d", min_value=1949, step=1),
                       "可信度": columns.ProgressColumn(min_value=0, max_value=1, format="%.2f")})
    render_sentences(extraction)
    numbers = [int(n) for n, tick in zip(edited["序号"], edited["导入"]) if tick]
    return narrative_tables.kept_candidates(extraction, edited, cat, choices), numbers


def render_sentences(extraction: Extraction) -> None:
    """Each candidate's sentence with its figure marked; the report's text is escaped, only
    the marking is Markdown."""
    with st.expander("原句（数值已标出）", icon=":material/format_quote:"):
        for number, candidate in enumerate(extraction.candidates[:SHOWN_SENTENCES], start=1):
            before, figure, after = narrative_tables.marked(candidate.sentence, candidate.figure)
            st.markdown(f"{number}\\. {literal(candidate.indicator_name)}："
                        f"{literal(before)}:orange-background[**{literal(figure)}**]"
                        f"{literal(after)}")
        if len(extraction.candidates) > SHOWN_SENTENCES:
            st.caption(f"共 {len(extraction.candidates)} 条，此处列出前 {SHOWN_SENTENCES} 条。")


def render_unmatched(extraction: Extraction, cat: Catalogue) -> None:
    """Figures of no catalogue indicator and hints, listed so that nothing is silently left
    out; they are not imported."""
    if not extraction.unmatched:
        return
    with st.expander(f"其他数字（{len(extraction.unmatched)}，不导入）", icon=":material/list:"):
        st.caption("这些数字不属于指标目录中的指标（如培训期数、受益人数），或是与目标、平均水平的"
                   "比较，仅列出供核对。")
        st.dataframe(narrative_tables.unmatched_table(extraction.unmatched, cat),
                     hide_index=True, width="stretch")


def checked(kept: list[Candidate], numbers: list[int], raw: bytes, name: str,
            cat: Catalogue) -> ingest.Upload:
    """The kept figures as an upload, checked like a file; its problems name each figure by
    its 序号 in the table above."""
    upload = narrative_upload.as_upload(kept, raw, name, cat, numbers=numbers,
                                        scope=cache.capture_codes(),
                                        limits=config.settings().upload, locks=cache.locks())
    cache.record_check(upload)
    if not upload.valid:
        st.caption("下方问题清单中的“行”是上表的序号：可取消勾选有问题的数值，或在上表中修改。")
    return upload
