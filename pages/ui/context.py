"""The context a person carries from page to page. The outline, region and year chosen on one
page open the next; each page comes back with its own last choices (indicator, method,
filters). The URL stays the one place a view's state lives, so a reload and Back restore it:
the menu's links carry the parameters (st.page_link(query_params=…)), because Streamlit's own
page switch drops them.

The menu is drawn before the page runs, so it is drawn into a slot and, if the page's choices
changed the URL (`follow`), drawn again once the page has run (`catch_up_menu`), in the same
rerun: links never lag one step behind. Not after every choice: a page makes up to ten, and each
drawing of the menu cost a hundredth of a second of the server's time."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from pages.ui import state

# Parameters shared by every page; the rest of a page's URL is its own.
SHARED = (state.PLAN, state.REGION, state.YEAR)


def current_page() -> str:
    """The script hash of the page this rerun runs (Streamlit has no public name for it)."""
    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx else ""


def shared_from(params: dict[str, str]) -> dict[str, str]:
    """Outline, region and year as a URL states them; 趋势's first region stands for its list."""
    shared = {key: params[key] for key in SHARED if params.get(key)}
    regions = [code for code in params.get(state.REGIONS, "").split(",") if code]
    if regions:
        shared[state.REGION] = regions[0]
    return shared


def link_params(page: st.Page) -> dict[str, str]:
    """The parameters of the link to a page: its own last URL, with the shared context on top.
    A page comparing several regions keeps its list when the shared region is one of them."""
    # The page's script hash is the name the running page knows itself by (current_page).
    params = dict(st.session_state.get(state.PAGE_PARAMS, {}).get(page._script_hash, {}))
    shared = dict(st.session_state.get(state.SHARED_CONTEXT, {}))
    region = shared.pop(state.REGION, None)
    params.update(shared)
    if region and state.REGIONS in params:
        if region not in params[state.REGIONS].split(","):
            params[state.REGIONS] = region
    elif region:
        params[state.REGION] = region
    return params


def follow() -> None:
    """Remember this page's URL and the shared context it states, for the menu's links. Called
    by every selector after it writes the URL."""
    params = st.query_params.to_dict()
    remembered = st.session_state.setdefault(state.PAGE_PARAMS, {})
    remembered[current_page()] = params
    st.session_state[state.SHARED_CONTEXT] = {
        **st.session_state.get(state.SHARED_CONTEXT, {}), **shared_from(params)}


def catch_up_menu() -> None:
    """Draw the menu again if what its links carry changed since it was drawn in this rerun."""
    menu = st.session_state.get(state.MENU)
    if menu is not None and menu.run is run_id() and menu.drawn != links_state():
        menu.draw()


def links_state() -> str:
    """What the menu's links are made of (each page's last URL, the shared context), as text
    to compare."""
    return repr((st.session_state.get(state.PAGE_PARAMS), st.session_state.get(
        state.SHARED_CONTEXT)))


def run_id() -> object:
    """An object made anew for every rerun (the run's element cursors): a menu slot of an
    earlier rerun is gone from the page and must not be drawn into."""
    ctx = get_script_run_ctx()
    return ctx.cursors if ctx else None


class MenuSlot:
    """The menu's place in the sidebar and how to draw its links into it."""

    def __init__(self, draw_links: Callable[[], None]):
        self.slot = st.sidebar.empty()
        self.draw_links = draw_links
        self.run = run_id()
        self.drawn = ""

    def draw(self) -> None:
        self.drawn = links_state()
        with self.slot.container():
            self.draw_links()


def menu_slot(draw_links: Callable[[], None]) -> None:
    """Draw the menu now (from the context of the page's URL) and keep its slot for
    `catch_up_menu`."""
    params = st.query_params.to_dict()
    st.session_state[state.SHARED_CONTEXT] = {
        **st.session_state.get(state.SHARED_CONTEXT, {}), **shared_from(params)}
    slot = MenuSlot(draw_links)
    st.session_state[state.MENU] = slot
    slot.draw()
