"""The audit log: who did what, when, from where, to what, with the state before and after.

Entries are appended through the acting person's store (metrics/store/guarded.py refuses an
entry in another person's name) and never changed. The store times each entry in its own time
zone (Beijing time by default, settings `store.time_zone`), as it times batches.
"""
from __future__ import annotations

import io
import json

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from metrics.access import Actor
from metrics.cell_values import write_row
from metrics.store import Store

ACTION_LABELS = {
    "login": "登录", "login_failed": "登录失败", "logout": "退出登录",
    "session_expired": "会话超时", "session_revoked": "会话被注销",
    "upload_checked": "检查上传文件", "upload_committed": "导入数据", "upload_refused": "拒绝导入",
    "undo": "撤销批次", "notes_saved": "保存重点难点", "briefing_exported": "导出简报",
    "user_added": "添加用户", "user_changed": "修改用户", "user_disabled": "停用用户",
    "user_enabled": "启用用户", "password_reset": "重置密码", "password_changed": "修改密码",
    "catalogue_synced": "更新目录", "settings_changed": "设置变更",
    "audit_exported": "导出审计日志",
    "period_submitted": "报送数据", "period_approved": "审核通过", "period_returned": "退回报送",
    "period_locked": "锁定数据", "period_unlocked": "解锁数据",
    "plan_created": "新建规划", "plan_changed": "修改规划", "rollup_accepted": "采用下级汇总值",
}
COLUMN_LABELS = {"id": "序号", "occurred_at": "时间", "user_name": "用户", "address": "地址",
                 "action": "操作", "object": "对象", "before_state": "操作前",
                 "after_state": "操作后", "detail": "说明"}


def as_text(state) -> str | None:
    """A before/after state as stored: text as is, anything else as JSON."""
    if state is None or isinstance(state, str):
        return state
    return json.dumps(state, ensure_ascii=False, sort_keys=True, default=str)


def record(store: Store, actor: Actor, action: str, object_: str = "", *, before=None,
           after=None, detail: str = "") -> int:
    """Append one entry for something `actor` did, timed now by the store; returns its id."""
    if action not in ACTION_LABELS:
        raise ValueError(f"unknown audit action {action!r}")
    return store.append_audit({
        "user_name": actor.name, "address": actor.address,
        "action": action, "object": object_, "before_state": as_text(before),
        "after_state": as_text(after), "detail": detail})


def entries_table(entries: pd.DataFrame) -> pd.DataFrame:
    """Entries as people read them: Chinese headings and action names, times to the second."""
    shown = entries.assign(
        occurred_at=pd.to_datetime(entries["occurred_at"]).dt.strftime("%Y-%m-%d %H:%M:%S"),
        action=entries["action"].map(ACTION_LABELS).fillna(entries["action"]))
    return shown[list(COLUMN_LABELS)].rename(columns=COLUMN_LABELS)


WIDTHS = {"序号": 8, "时间": 20, "用户": 14, "地址": 16, "操作": 14, "对象": 28, "操作前": 40,
          "操作后": 40, "说明": 30}


def workbook_bytes(entries: pd.DataFrame) -> bytes:
    """The entries as an .xlsx (every text cell inert: user names and notes came from people)."""
    table = entries_table(entries)
    book = Workbook()
    sheet = book.active
    sheet.title = "审计日志"
    write_row(sheet, 1, list(table.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(table.astype(object).where(table.notna(), None)
                                 .itertuples(index=False), start=2):
        write_row(sheet, number, list(row))
    for index, column in enumerate(table.columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column, 16)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
