"""导入记录: every batch that wrote values, what one batch wrote (old → new), its original file,
and undoing it after a confirmation."""
import streamlit as st

from metrics.access import Permission
from metrics.errors import MetricsError
from metrics.views import batch_history
from pages.ui import cache, frame, selectors, state
from pages.ui.markdown_text import literal

COLUMNS = st.column_config

# 1. Load -------------------------------------------------------------------------------------
cat, actor = frame.prepare(Permission.BATCHES)
st.title("导入记录")
batches = cache.batches()
if batches.empty:
    st.info("还没有您可查看的导入批次。数据填报员可查看本人导入的批次，工委办和审核员可查看本地区"
            "用户导入的批次。")
    frame.stop()
result = st.session_state.pop(state.UNDO_RESULT, None)  # set by the undo below, before its rerun
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
             on_select=selectors.row_follower("batch_table", ids, state.BATCH),
             column_config={"批次": COLUMNS.NumberColumn(width=50),
                            "文件": COLUMNS.TextColumn(width=160),
                            "备注": COLUMNS.TextColumn(width=160)})
labels = {int(b["id"]): batch_history.batch_label(b) for _, b in batches.iterrows()}
if st.session_state.get(state.BATCH) not in ids:
    wanted = st.query_params.get(state.BATCH, "")
    st.session_state[state.BATCH] = (int(wanted) if wanted.isdigit() and int(wanted) in ids
                                     else ids[0])
chosen = st.selectbox("查看批次", ids, key=state.BATCH, format_func=labels.get)
selectors.set_query_value(state.BATCH, str(chosen))
batch = batches[batches["id"] == chosen].iloc[0].to_dict()

# 3. What the batch wrote (a page at a time), and its files ---------------------------------------
total = cache.batch_change_count(chosen)
st.subheader(f"批次 {chosen} 写入的数值")
# The user name and the note were typed by people: shown as written, not as Markdown.
st.caption(f"{batch_history.kind_label(batch['kind'])}　导入人：{literal(batch['user_name'])}　"
           f"状态：{batch_history.state_text(batch)}"
           + (f"　备注：{literal(batch['note'])}" if batch["note"] else ""))
if total == 0:
    st.info("该批次没有写入任何数值（文件中的数值均与当时的数据一致）。")
else:
    pages = batch_history.page_count(total)
    page = (st.number_input(f"页码（共 {pages:,} 页）", min_value=1, max_value=pages, value=1,
                            step=1, key=f"changes_page_{chosen}") if pages > 1 else 1)
    st.dataframe(batch_history.change_table(cache.batch_changes(chosen, page), cat),
                 hide_index=True, width="stretch")
    st.caption(f"共 {total:,} 个数值，按写入顺序列出，每页 {batch_history.PAGE_ROWS} 个；原值为 — "
               "表示该批次新增的数值，新值为 — 表示被撤销删除。")
    st.download_button("下载全部数值（CSV）", cache.batch_changes_csv(chosen),
                       f"批次{chosen}写入的数值.csv", mime="text/csv", on_click="ignore",
                       icon=":material/table_view:")
if batch["file_name"]:
    st.download_button("下载原始文件", cache.batch_file(chosen), batch["file_name"],
                       on_click="ignore", icon=":material/download:")

# 4. Undo, after a confirmation -----------------------------------------------------------------
if batch_history.can_undo(batch) and batch_history.may_undo(actor, batch):
    with st.container(border=True):
        st.markdown(f"**撤销批次 {chosen}**：恢复导入前的数值，删除该批次新增的数值；撤销本身也记为"
                    "一个批次。若之后的批次又修改了其中的数值，须先撤销之后的批次。")
        st.caption(f"操作人：{literal(actor.name)}（{actor.role_label}）")
        sure = st.checkbox(f"我已核对，确认撤销批次 {chosen}", key=f"confirm_undo_{chosen}")
        if st.button("撤销此批次", type="primary", disabled=not sure, icon=":material/undo:"):
            try:
                undo_id = cache.undo(chosen)
                st.session_state[state.UNDO_RESULT] = (
                    True, f"已撤销批次 {chosen}（撤销记录为批次 {undo_id}），数值已恢复为导入前。")
            except MetricsError as exc:
                st.session_state[state.UNDO_RESULT] = (False, f"未能撤销：{literal(exc)}")
            st.rerun()
