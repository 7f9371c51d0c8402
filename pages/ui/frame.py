"""What every page does first. Pages call `prepare()` themselves because a deep link on a fresh
server runs a page without dashboard.py (Streamlit's legacy `pages/` mode), and because a login
session can end while a tab stays open: each rerun checks who is signed in again."""
from __future__ import annotations

import html
from typing import NoReturn
from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from metrics import config, login_routes, logins
from metrics.access import PERMISSION_LABELS, Actor, Permission, public_visitor
from metrics.catalogue import Catalogue
from pages.ui import browser, cache, context, state
from pages.ui.markdown_text import literal


def leave_folder_navigation() -> None:
    """Until some session has run dashboard.py, Streamlit treats the `pages/` folder as the
    app's page list: a bookmark opened first on a fresh server ran the page alone, with file
    names (dashboard, batches …) in the sidebar and no 纲要 selector. Switch the server to
    dashboard.py's st.navigation (the flag st.navigation itself clears) and rerun: the same URL
    then opens the same page, inside the app's own menu. Streamlit has no public switch."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def session_cookie() -> str | None:
    """The login cookie this tab's websocket arrived with (the test seam under tests)."""
    if config.test_identity_allowed() and state.TEST_COOKIE in st.session_state:
        return st.session_state[state.TEST_COOKIE]
    return st.context.cookies.get(logins.COOKIE_NAME)


def client_address() -> str:
    return login_routes.client_address(st.context.ip_address,
                                       st.context.headers.get("X-Forwarded-For"))


def identify() -> Actor | None:
    """Who is using the app: the signed-in user, else the public visitor in public mode, else
    nobody. Found once a rerun: the menu and the page's guard both ask (each asking read the
    login session and the user from the store)."""
    found = st.session_state.get(state.IDENTIFIED)
    if found is not None and found[0] is context.run_id():
        return found[1]
    actor = cache.signed_in(session_cookie(), client_address())
    access = config.settings().access
    if actor is None and access.public_mode:
        actor = public_visitor(access.public_regions, access.public_outlines, client_address())
    st.session_state[state.IDENTIFIED] = (context.run_id(), actor)
    return actor


def login_link() -> str:
    """The login form, coming back to this page afterwards."""
    url = urlsplit(st.context.url or "/")
    here = url.path + (f"?{url.query}" if url.query else "")
    return f"{login_routes.LOGIN_PATH}?{urlencode({'next': here})}"


def stop() -> NoReturn:
    """End the page here, the menu's links first brought up to the page's URL: after st.stop
    nothing more can be drawn. Every page stops through this."""
    context.catch_up_menu()
    st.stop()


def ask_to_log_in() -> None:
    st.title("请先登录")
    st.info("本系统的数据在发布前不公开，请登录后查看。如您已登录，可能是长时间未操作，会话已结束。")
    # The product's own link (the URL is escaped): a Markdown link would open a new tab.
    st.markdown(f'<a href="{html.escape(login_link())}" target="_self">前往登录</a>',
                unsafe_allow_html=True)
    stop()


def refuse(actor: Actor, required: Permission) -> None:
    st.title("无权访问")
    st.error(f"您的角色（{actor.role_label}）无权{PERMISSION_LABELS[required]}，"
             "因此不能打开此页面。", icon=":material/block:")
    st.caption("如需此权限，请联系本地区的系统管理员。可从左侧菜单打开您有权查看的页面。")
    stop()


def acting_user(required: Permission) -> Actor:
    """The one guard of every page: who is signed in, allowed to open this page."""
    actor = identify()
    st.session_state[state.ACTOR] = actor
    if actor is None:
        ask_to_log_in()
    if not actor.allows(required):
        refuse(actor, required)
    return actor


def prepare(required: Permission = Permission.VIEW) -> tuple[Catalogue, Actor]:
    """Make sure the store is ready and the person may open the page (which needs `required`);
    return the catalogue and the acting user. A store problem reaches feedback.guarded as a
    MetricsError and is shown in Chinese."""
    leave_folder_navigation()
    browser.install()
    cache.read_version()
    actor = acting_user(required)
    return cache.current_catalogue(), actor


def demo_notice(is_demo: bool) -> None:
    """A visible mark on pages showing the fictional demonstration city."""
    if is_demo:
        st.warning("当前地区为**演示数据**（虚构的示范市及其区县），仅用于展示功能，不代表真实情况。",
                   icon=":material/science:")


def heading(title: str, scope, when_empty: str) -> None:
    """Title, the local plan the region follows, the demo mark, and a stop with `when_empty`
    if the region has no data at all."""
    st.title(title)
    if scope.governing_line:
        st.caption(literal(scope.governing_line))
    demo_notice(bool(scope.region_row["is_demo"]))
    if scope.year is None:
        st.info(when_empty)
        stop()
