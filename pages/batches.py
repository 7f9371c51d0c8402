"""导入记录: every batch that wrote values, what one batch wrote (old → new), its original file,
and undoing it after a confirmation."""
import streamlit as st

from metrics import store
from metrics.errors import MetricsError
from metrics.uploads import ingest
from metrics.views import batch_history
from pages.ui import cache, frame, selectors

# Recorded as 操作人 of an undo when the person leaves the name empty (there is no login yet).
WEB_USER = "网页操作"
COLUMNS = st.column_config

# 1. Load -------------------------------------------------------------------------------------
cat = frame.prepare()
st.title("导入记录")
with store.session(cache.db_path()) as con:
    batches = store.fetch_batches(con)
result = st.session_state.pop("undo_result", None)  # set by the undo below, before its rerun
if result is not None:
    succeeded, message = result
    # The message shows at the top; the toast also reaches someone scrolled down at the button.
    st.toast(message, icon=":material/check_circle:" if succeeded else ":material/error:")
    if succeeded:
        st.success(message, icon=":material/check_circle:")
    else:
        st.error(message, icon=":material/error:")
st.caption("每次导入、撤销和内置数据的载入都记为一个批次。点击一行或在下方选择批次，查看它写入的"
           "数值、下载原始文件或撤销。")

# 2. The list, and the chosen batch ---------------------------------------------------------------
table = batch_history.batch_table(batches)
ids = list(table["批次"])
st.dataframe(table, key="batch_table", hide_index=True, width="stretch", placeholder="—",
             selection_mode="single-row",
             on_select=selectors.row_follower("batch_table", ids, "batch"),
             column_config={"批次": COLUMNS.NumberColumn(width=50),
                            "文件": COLUMNS.TextColumn(width=160),
                            "备注": COLUMNS.TextColumn(width=160)})
labels = {int(b["id"]): batch_history.batch_label(b) for _, b in batches.iterrows()}
if st.session_state.get("batch") not in ids:
    wanted = st.query_params.get("batch", "")
    st.session_state["batch"] = int(wanted) if wanted.isdigit() and int(wanted) in ids else ids[0]
chosen = st.selectbox("查看批次", ids, key="batch", format_func=labels.get)
st.query_params["batch"] = str(chosen)
batch = batches[batches["id"] == chosen].iloc[0].to_dict()

# 3. What the batch wrote, and its file ----------------------------------------------------------
with store.session(cache.db_path()) as con:
    changes = store.fetch_batch_changes(con, chosen)
st.subheader(f"批次 {chosen} 写入的数值")
st.caption(f"{batch_history.kind_label(batch['kind'])}　导入人：{batch['user_name']}　"
           f"状态：{batch_history.state_text(batch)}"
           + (f"　备注：{batch['note']}" if batch["note"] else ""))
if changes.empty:
    st.info("该批次没有写入任何数值（文件中的数值均与当时的数据一致）。")
else:
    st.dataframe(batch_history.change_table(changes, cat), hide_index=True, width="stretch")
    st.caption(f"共 {len(changes)} 个数值；原值为 — 表示该批次新增的数值，新值为 — 表示被撤销删除。")
if batch["file_name"]:
    def original_file() -> bytes:
        # Runs on another thread when clicked, so it opens its own session.
        with store.session(cache.db_path()) as con:
            return store.fetch_batch_file(con, chosen) or b""
    st.download_button("下载原始文件", original_file, batch["file_name"], on_click="ignore",
                       icon=":material/download:")

# 4. Undo, after a confirmation -----------------------------------------------------------------
if batch_history.can_undo(batch):
    with st.container(border=True):
        st.markdown(f"**撤销批次 {chosen}**：恢复导入前的数值，删除该批次新增的数值；撤销本身也记为"
                    "一个批次。若之后的批次又修改了其中的数值，须先撤销之后的批次。")
        user_name = st.text_input("操作人", placeholder="姓名（可不填）", max_chars=40,
                                  key="undo_user")
        sure = st.checkbox(f"我已核对，确认撤销批次 {chosen}", key=f"confirm_undo_{chosen}")
        if st.button("撤销此批次", type="primary", disabled=not sure, icon=":material/undo:"):
            try:
                undo_id = ingest.undo(cache.db_path(), chosen, user_name.strip() or WEB_USER)
                st.session_state["undo_result"] = (
                    True, f"已撤销批次 {chosen}（撤销记录为批次 {undo_id}），数值已恢复为导入前。")
            except MetricsError as exc:
                st.session_state["undo_result"] = (False, f"未能撤销：{exc}")
            st.rerun()
