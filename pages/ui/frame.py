"""What every page does first. Pages call `prepare()` themselves because a deep link on a fresh
server runs a page without dashboard.py (Streamlit's legacy `pages/` mode)."""
from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from metrics import access
from metrics.access import Actor
from metrics.catalogue import Catalogue
from pages.ui import cache


def leave_folder_navigation() -> None:
    """Until some session has run dashboard.py, Streamlit treats the `pages/` folder as the
    app's page list: a bookmark opened first on a fresh server ran the page alone, with file
    names (dashboard, batches …) in the sidebar and no 纲要 selector. Switch the server to
    dashboard.py's st.navigation (the flag st.navigation itself clears) and rerun: the same URL
    then opens the same page, inside the app's own menu. Streamlit has no public switch."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def acting_user() -> Actor:
    """Who is using the page. The one guard of every page: the login will decide it here."""
    return access.anonymous()


def prepare() -> tuple[Catalogue, Actor]:
    """Make sure the store is ready; return the catalogue and the acting user. A store problem
    reaches feedback.guarded as a MetricsError and is shown in Chinese."""
    leave_folder_navigation()
    actor = acting_user()
    cache.read_version()
    return cache.current_catalogue(), actor


def demo_notice(is_demo: bool) -> None:
    """A visible mark on pages showing the fictional demonstration city."""
    if is_demo:
        st.warning("当前地区为**演示数据**（虚构的示范市及其区县），仅用于展示功能，不代表真实情况。",
                   icon=":material/science:")


def heading(title: str, scope, when_empty: str) -> None:
    """Title, the demo mark, and a stop with `when_empty` if the region has no data at all."""
    st.title(title)
    demo_notice(bool(scope.region_row["is_demo"]))
    if scope.year is None:
        st.info(when_empty)
        st.stop()
