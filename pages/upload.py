"""数据上传: download a template, upload a filled file, read the check report, and import the
values on 确认导入 — never on a rerun, never twice."""
import streamlit as st

from metrics.access import Permission
from metrics.uploads import ingest
from metrics.uploads import report as upload_report
from pages.ui import frame, state, upload_panel
from pages.ui.markdown_text import literal

FILE_TYPES = ["csv", "xlsx", "xls", "txt"]

# 1. Template ---------------------------------------------------------------------------------
cat, actor = frame.prepare(Permission.UPLOAD)
st.title("数据上传")
st.caption("上传 Excel 或 CSV 文件（GBK 或 UTF-8 均可）。系统先逐行检查，列出全部问题；整个文件"
           "无误时显示将新增和修改的数值，点击“确认导入”后才写入，导入后可在“导入记录”中撤销。")
with st.expander("下载填报模板", icon=":material/table_view:"):
    upload_panel.template_downloads(cat)

# 2. File, sheet and default region ------------------------------------------------------------
file = st.file_uploader("数据文件", type=FILE_TYPES, key="upload_file",
                        help="Excel（.xlsx/.xls）或 CSV/TXT；表头可为长表（指标、地区、年份、数值）"
                             "或模板格式（每个年份一列）。")
if file is None:
    st.session_state.pop(state.UPLOAD_CHECK, None)
    st.session_state.pop(state.UPLOAD_PREVIEW, None)
    st.stop()
region_column, sheet_column = st.columns(2)
labels = upload_panel.region_labels(cat)
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

# 3. Report -----------------------------------------------------------------------------------
live, imported_here = upload_panel.import_state(upload)
if live is not None:
    upload_panel.render_imported(live, imported_here)
    st.stop()
if not upload.valid:
    upload_panel.render_problems(upload)
    st.stop()
preview = upload_panel.previewed(upload, cat)
upload_panel.render_preview(upload, preview, cat)
if not (preview.count("new") or preview.count("changed")):
    st.info(str(ingest.NothingToImport()), icon=":material/info:")
    st.stop()

# 4. Confirm and import -------------------------------------------------------------------------
with st.form("confirm_import", border=False):
    # 导入人 is the signed-in user: a typed name could be anyone's.
    st.caption(f"导入人：{literal(actor.name)}（{actor.role_label}）")
    note = st.text_input("备注", placeholder="例如：2024年卫生健康委年报数据", max_chars=200)
    confirmed = st.form_submit_button("确认导入", type="primary", icon=":material/upload:")
if confirmed:
    upload_panel.import_upload(upload, note.strip())
