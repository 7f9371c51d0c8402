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

from metrics import setting_labels
from metrics.access import ROLE_LABELS, Actor, Role
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


# The keys of the states the product records (accounts, uploads, undo, 重点难点, plans), by
# their Chinese names; settings keys are named by metrics/setting_labels.py.
STATE_KEY_LABELS = {
    "role": "角色", "region_code": "地区", "view_region_code": "查看范围", "disabled": "已停用",
    "new": "新增", "changed": "修改", "unchanged": "未变", "sha256": "文件校验值",
    "undo_batch": "撤销批次", "values": "恢复的数值",
    "reason": "原因", "measures": "整改措施", "deadline": "时限", "responsible": "责任单位",
    "plan": "规划", "indicators": "指标", "id": "编号", "name": "名称", "short_name": "简称",
    "domain": "领域", "level": "层级", "parent_plan": "上级规划", "start_year": "起始年",
    "baseline_year": "基线年", "midterm_year": "中期年", "target_year": "目标年",
    "document": "文件", "kind": "目标类型", "value": "目标值", "text": "目标表述",
    "lead_unit": "牵头单位", "supporting_units": "配合单位", "contact": "联系人",
}

KEY_ORDER = {key: order for order, key in enumerate(STATE_KEY_LABELS)}


def state_text(state: str | None, plan_names: dict[str, str] | None = None) -> str:
    """A stored before/after state as people read it: 「角色：管理员；地区：450800；已停用：否」,
    a setting by its name (会话空闲超时（分钟）：30), an outline by its name in plan_names
    (id → short name); a state stored as plain text (已报送) as is, none as ''."""
    if state is None or pd.isna(state):
        return ""
    try:
        parsed = json.loads(state)
    except ValueError:
        return state
    return readable(parsed, "", plan_names or {})


def readable(value, key: str, plan_names: dict[str, str]) -> str:
    """One parsed state value in words: keys by their names, 是/否, codes by their names, lists
    joined with 、, nested states in brackets."""
    if isinstance(value, dict):
        # The keys in the order of STATE_KEY_LABELS (the state is stored sorted by key).
        ordered = sorted(value.items(), key=lambda item: KEY_ORDER.get(item[0], len(KEY_ORDER)))
        return "；".join(f"{key_name(k, plan_names)}：{nested(readable(v, k, plan_names), v)}"
                        for k, v in ordered)
    if isinstance(value, list):
        return "、".join(readable(v, key, plan_names) for v in value) or "（无）"
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "role" and value in {r.value for r in Role}:
        return ROLE_LABELS[Role(value)]
    return setting_labels.value_text(key, value, plan_names) or str(value)


def key_name(key: str, plan_names: dict[str, str]) -> str:
    """A state's key by its Chinese name; an indicator code or a region code as it is."""
    return STATE_KEY_LABELS.get(key) or setting_labels.label(key, plan_names)


def nested(text: str, value) -> str:
    """A nested state kept apart from its neighbours."""
    return f"（{text}）" if isinstance(value, dict) else text


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


def entries_table(entries: pd.DataFrame,
                  plan_names: dict[str, str] | None = None) -> pd.DataFrame:
    """Entries as people read them: Chinese headings, action names and states, times to the
    second, nothing shown as None; outlines by their names in plan_names (id → short name)."""
    shown = entries.assign(
        occurred_at=pd.to_datetime(entries["occurred_at"]).dt.strftime("%Y-%m-%d %H:%M:%S"),
        action=entries["action"].map(ACTION_LABELS).fillna(entries["action"]),
        before_state=entries["before_state"].map(lambda state: state_text(state, plan_names)),
        after_state=entries["after_state"].map(lambda state: state_text(state, plan_names)),
        object=entries["object"].fillna(""), detail=entries["detail"].fillna(""))
    return shown[list(COLUMN_LABELS)].rename(columns=COLUMN_LABELS)


WIDTHS = {"序号": 8, "时间": 20, "用户": 14, "地址": 16, "操作": 14, "对象": 28, "操作前": 40,
          "操作后": 40, "说明": 30}


def workbook_bytes(entries: pd.DataFrame, plan_names: dict[str, str] | None = None) -> bytes:
    """The entries as an .xlsx (every text cell inert: user names and notes came from people)."""
    table = entries_table(entries, plan_names)
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
