"""数据上传: download a template, upload a filled file, read the check report, and import the
values on 确认导入 — never on a rerun, never twice."""
import streamlit as st

from metrics.access import Permission
from metrics.uploads import report as upload_report
from pages.ui import frame, narrative_panel, state, upload_panel

FILE_TYPES = ["csv", "xlsx", "xls", "txt"]
SOURCES = {"file": "上传表格文件", "report": "从工作总结提取"}

# 1. Template ---------------------------------------------------------------------------------
cat, actor = frame.prepare(Permission.UPLOAD)
st.title("数据上传")
if st.radio("数据来源", list(SOURCES), format_func=SOURCES.get, horizontal=True,
            key="upload_source", label_visibility="collapsed") == "report":
    # From a report: text → the figures found, ticked → the same check, preview and import.
    st.caption("粘贴工作总结、自评报告等文字材料，或上传 .txt / .docx / .pdf 文件。系统找出其中指标目录里的"
               "指标及其数值，逐条列出原句供核对；勾选的数值与表格文件一样逐条检查、显示将新增和修改"
               "的数值，点击“确认导入”后才写入，导入后可在“导入记录”中撤销。")
    given = narrative_panel.report_input()
    report_region, report_year = narrative_panel.report_context(cat)
    extraction = given and narrative_panel.extracted(*given, cat, report_region, report_year)
    if not extraction:
        frame.stop()
    kept, numbers = narrative_panel.chosen_figures(extraction, cat, given[0])
    narrative_panel.render_unmatched(extraction, cat)
    if kept:
        upload_panel.review_and_import(narrative_panel.checked(kept, numbers, *given, cat),
                                       cat, actor)
    else:
        st.info("没有勾选任何数值。", icon=":material/info:")
    frame.stop()
st.caption("上传 Excel 或 CSV 文件（GBK 或 UTF-8 均可）。系统先逐行检查，列出全部问题；整个文件"
           "无误时显示将新增和修改的数值，点击“确认导入”后才写入，导入后可在“导入记录”中撤销。")
with st.expander("下载填报模板", icon=":material/table_view:"):
    upload_panel.template_downloads(cat)

# 2. File, sheet and default region ------------------------------------------------------------
file = st.file_uploader("数据文件", type=FILE_TYPES, key="upload_file",
                        help="Excel（.xlsx/.xls）或 CSV/TXT；表头可为长表（指标、地区、年份、数值）"
                             "或模板格式（每个年份一列）。长表可加“分子”“分母”两列（如孕产妇死亡数、"
                             "活产数），用于由下级汇总比率。")
if file is None:
    st.session_state.pop(state.UPLOAD_CHECK, None)
    st.session_state.pop(state.UPLOAD_PREVIEW, None)
    frame.stop()
region_column, sheet_column = st.columns(2)
labels = upload_panel.region_labels()
region = region_column.selectbox(
    "数据所属地区", list(labels), index=None, format_func=labels.get, key="upload_region",
    placeholder="表中有地区列时无需选择", help="仅当表中没有“地区”列时使用：全表数据记为该地区。")
# The sheet choice is keyed by the uploaded file, so a new workbook starts on its first sheet.
sheet_key = f"upload_sheet_{file.file_id}"
upload = upload_panel.checked(file.getvalue(), file.file_id, file.name, cat,
                              st.session_state.get(sheet_key), region)
if len(upload.sheet_names) > 1:
    # Starts on the sheet read, the first visible one: a hidden first sheet is not the data.
    sheet_column.selectbox("工作表", upload.sheet_names, key=sheet_key,
                           index=upload.sheet_names.index(upload.sheet),
                           help="工作簿有多张工作表，请选择要导入的一张。")
if hidden_note := upload_report.hidden_sheets_note(upload):
    st.caption(hidden_note)

# 3. Report, 4. confirm and import -----------------------------------------------------------
upload_panel.review_and_import(upload, cat, actor)
