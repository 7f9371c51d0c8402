"""The app's menu: every page registered with st.navigation, the menu showing only those the
person may open. Pages left out of st.navigation would answer a link with Streamlit's "Page not
found" and a jump to the first page; registered but unlisted, such a link opens the page, whose
own guard says in Chinese why it is refused."""
from __future__ import annotations

import html
from dataclasses import dataclass

import streamlit as st

from metrics import login_routes
from metrics.access import Actor, Permission
from pages.ui import context, state


@dataclass(frozen=True)
class PageEntry:
    section: str
    script: str
    title: str
    icon: str
    needs: Permission
    url_path: str = ""


PAGES = [
    PageEntry("监测", "pages/overview.py", "总览", ":material/dashboard:", Permission.VIEW),
    PageEntry("监测", "pages/trends.py", "趋势", ":material/show_chart:", Permission.VIEW,
              state.TRENDS_PAGE),
    PageEntry("监测", "pages/evaluation.py", "中期评估", ":material/fact_check:", Permission.VIEW,
              state.EVALUATION_PAGE),
    PageEntry("数据", "pages/upload.py", "数据上传", ":material/upload_file:", Permission.UPLOAD,
              state.UPLOAD_PAGE),
    PageEntry("数据", "pages/batches.py", "导入记录", ":material/history:", Permission.BATCHES,
              state.BATCHES_PAGE),
    PageEntry("数据", "pages/progress.py", "报送进度", ":material/assignment_turned_in:",
              Permission.PROGRESS, state.PROGRESS_PAGE),
    PageEntry("管理", "pages/plans.py", "规划管理", ":material/account_tree:", Permission.PLANS,
              state.PLANS_PAGE),
    PageEntry("管理", "pages/admin.py", "系统管理", ":material/admin_panel_settings:",
              Permission.ADMINISTER, state.ADMIN_PAGE),
    PageEntry("账号", "pages/account.py", "修改密码", ":material/key:", Permission.VIEW,
              state.ACCOUNT_PAGE),
]


def registered() -> dict[str, st.Page]:
    """Every page as st.Page, by script."""
    pages = {}
    for entry in PAGES:
        extra = {"url_path": entry.url_path} if entry.url_path else {"default": True}
        pages[entry.script] = st.Page(entry.script, title=entry.title, icon=entry.icon, **extra)
    return pages


def menu(pages: dict[str, st.Page], actor: Actor | None) -> None:
    """The sidebar menu of the pages the person may open, and who is signed in. Its links carry
    the person's context (pages/ui/context.py)."""
    context.menu_slot(lambda: links(pages, actor))
    who(actor)


def links(pages: dict[str, st.Page], actor: Actor | None) -> None:
    """One link per page the person may open, under its section."""
    section = None
    for entry in PAGES:
        if actor is None or not actor.allows(entry.needs) or (
                entry.url_path == state.ACCOUNT_PAGE and not actor.grant.capture_roots):
            continue
        if entry.section != section:
            section = entry.section
            st.caption(section)
        page = pages[entry.script]
        st.page_link(page, query_params=context.link_params(page))


def who(actor: Actor | None) -> None:
    """The person's name, role and 退出登录; or 登录 for a visitor."""
    if actor is None:
        return
    if not actor.grant.capture_roots:  # the public visitor
        link = f'<a href="{login_routes.LOGIN_PATH}" target="_self">登录</a>'
        st.sidebar.markdown(f"公开数据浏览（未登录）· {link}", unsafe_allow_html=True)
        return
    # The user name came from a person: escaped before it enters the product's HTML.
    st.sidebar.markdown(
        f"{html.escape(actor.name)}（{actor.role_label}）· "
        f'<a href="{login_routes.LOGOUT_PATH}" target="_self">退出登录</a>',
        unsafe_allow_html=True)
    st.sidebar.divider()
