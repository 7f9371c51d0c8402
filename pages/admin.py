"""系统管理: users (add, change role and scope, reset password, disable), open login sessions
(end one), and the audit log with filters and an Excel export. Administrators only; each
action is checked again in metrics and audited there."""
import datetime as dt

import streamlit as st

from metrics import audit
from metrics import regions as regions_module
from metrics.access import ROLE_LABELS, Permission, Role
from metrics.errors import MetricsError
from pages.ui import cache, frame, state
from pages.ui.markdown_text import literal

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECTIONS = ["用户", "登录会话", "审计日志"]

cat, actor = frame.prepare(Permission.ADMINISTER)
st.title("系统管理")
labels = {regions_module.NATIONAL_CODE: "全国", **cache.offered_regions().labels}
# A selector, not st.tabs: only the section looked at is built.
section = st.segmented_control("内容", SECTIONS, default=SECTIONS[0], key="admin_section",
                               label_visibility="collapsed") or SECTIONS[0]


def attempt(action, done: str) -> None:
    """Run an administrative action; its Chinese refusal (scope, weak input) shown if any."""
    try:
        action()
    except MetricsError as exc:
        st.error(literal(exc), icon=":material/error:")
        if exc.hint:
            st.caption(literal(exc.hint))
        return
    st.success(done, icon=":material/check_circle:")


def show_new_password() -> None:
    """A password just set, shown once: it is in no log and nowhere in the store."""
    shown = st.session_state.pop(state.NEW_PASSWORD, None)
    if shown:
        name, password = shown
        st.warning(f"用户 {literal(name)} 的密码：`{password}`（只显示这一次，请转交本人）",
                   icon=":material/key:")


def users_section() -> None:
    show_new_password()
    table = cache.users()
    shown = table.assign(
        role=table["role"].map(lambda r: ROLE_LABELS[Role(r)]),
        region_code=table["region_code"].map(lambda c: labels.get(c, c)),
        view_region_code=table["view_region_code"].map(lambda c: labels.get(c, "同填报范围")
                                                        if c else "同填报范围"),
        disabled=table["disabled"].map({True: "已停用", False: "正常"}))
    st.dataframe(shown.rename(columns={"name": "用户名", "role": "角色", "region_code": "填报范围",
                                       "view_region_code": "查看范围", "disabled": "状态",
                                       "created_at": "创建时间",
                                       "password_changed_at": "密码更新"}),
                 hide_index=True, width="stretch")
    with st.expander("添加用户", icon=":material/person_add:"):
        with st.form("add_user"):
            name = st.text_input("用户名", max_chars=40, help="2–40 个字母、汉字、数字或 . _ - @")
            role, region, view = role_and_scope("add")
            if st.form_submit_button("添加", type="primary"):
                def add():
                    password = cache.add_user(name.strip(), role, region, view)
                    st.session_state[state.NEW_PASSWORD] = (name.strip(), password)
                attempt(add, f"已添加用户 {literal(name.strip())}。")
                if state.NEW_PASSWORD in st.session_state:
                    st.rerun()
    if table.empty:
        return
    st.subheader("管理用户")
    chosen = st.selectbox("用户", list(table["name"]), key="admin_user")
    record = table[table["name"] == chosen].iloc[0]
    with st.form("change_user"):
        role, region, view = role_and_scope("change", record)
        if st.form_submit_button("保存角色与范围"):
            attempt(lambda: cache.change_user(chosen, role, region, view),
                    f"已修改 {literal(chosen)}；其已登录的会话已结束，重新登录后生效。")
    left, right = st.columns(2)
    if left.button("重置密码", key="reset_password", icon=":material/key:"):
        def reset():
            st.session_state[state.NEW_PASSWORD] = (chosen, cache.reset_password(chosen))
        attempt(reset, "已重置密码。")
        st.rerun()
    disabled = bool(record["disabled"])
    if right.button("启用" if disabled else "停用", key="toggle_user"):
        attempt(lambda: cache.set_disabled(chosen, not disabled),
                f"已{'启用' if disabled else '停用'} {literal(chosen)}。")
        st.rerun()


def role_and_scope(key: str, record=None) -> tuple[Role, str, str | None]:
    """Role, capture region and view region inputs (prefilled from a user record)."""
    roles = list(Role)
    role = st.selectbox("角色", roles, key=f"{key}_role", format_func=ROLE_LABELS.get,
                        index=roles.index(Role(record["role"])) if record is not None else 0)
    codes = list(labels)
    region = st.selectbox("填报范围（地区）", codes, key=f"{key}_region", format_func=labels.get,
                          index=codes.index(record["region_code"])
                          if record is not None and record["region_code"] in codes else 0)
    view_codes = [""] + codes
    current_view = record["view_region_code"] if record is not None else None
    view = st.selectbox("查看范围（可选，须为填报地区或其上级）", view_codes, key=f"{key}_view",
                        format_func=lambda c: labels.get(c, "同填报范围"),
                        index=view_codes.index(current_view) if current_view in view_codes
                        else 0)
    return role, region, view or None


def sessions_section() -> None:
    sessions = cache.login_sessions()
    if sessions.empty:
        st.info("当前没有已登录的会话。")
        return
    st.dataframe(sessions[["user_name", "address", "created_at", "last_seen"]].rename(
        columns={"user_name": "用户", "address": "地址", "created_at": "登录时间",
                 "last_seen": "最近使用"}), hide_index=True, width="stretch")
    options = list(sessions["token_hash"])
    described = {h: f"{u} · {a} · {t:%m-%d %H:%M}" for h, u, a, t in
                 sessions[["token_hash", "user_name", "address", "created_at"]].itertuples(
                     index=False)}
    chosen = st.selectbox("会话", options, format_func=described.get, key="admin_session")
    if st.button("结束该会话", key="end_session", icon=":material/logout:"):
        attempt(lambda: cache.end_session(chosen), "已结束该会话，对方须重新登录。")
        st.rerun()


def audit_section() -> None:
    left, middle, right = st.columns(3)
    today = cache.store_today()
    # A range being picked holds its first day only until the second is chosen.
    days = left.date_input("日期", (today - dt.timedelta(days=30), today), format="YYYY-MM-DD",
                           key="audit_days") or ()
    since, until = (tuple(days) + (None, None))[:2]
    user = middle.text_input("用户", key="audit_user", max_chars=40).strip() or None
    actions = [""] + list(audit.ACTION_LABELS)
    action = right.selectbox("操作", actions, key="audit_action",
                             format_func=lambda a: audit.ACTION_LABELS.get(a, "（全部）")) or None
    entries = cache.audit_entries(dt.datetime.combine(since, dt.time()) if since else None,
                                  dt.datetime.combine(until, dt.time()) + dt.timedelta(days=1)
                                  if until else None, user, action, 5000)
    st.caption(f"共 {len(entries)} 条（最多显示 5000 条，时间为北京时间）。")
    outlines = dict(zip(cat.plans["id"], cat.plans["short_name"]))
    st.dataframe(audit.entries_table(entries, outlines), hide_index=True, width="stretch")
    st.download_button("导出 Excel", cache.audit_workbook(entries, outlines), "审计日志.xlsx",
                       XLSX_MIME, on_click="ignore", icon=":material/download:")


{"用户": users_section, "登录会话": sessions_section, "审计日志": audit_section}[section]()
