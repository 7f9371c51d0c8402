"""Selectors bound to the URL query, so every view can be shared as a link.

Each selector reads its default from st.query_params, shows the widget, writes the choice back,
and returns plain values (codes, years), never widgets.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from metrics import config, evaluation
from metrics import regions as regions_module
from metrics.catalogue import Catalogue
from pages.ui import cache, context, state


@dataclass(frozen=True)
class Scope:
    """What a region page shows: an outline, a region and an evaluation year (None when the
    region has no data), with the region's and the plan's catalogue rows, and the local plan
    governing the region as headings name it (None under the outline alone)."""
    outline: str
    region: str
    year: int | None
    region_row: pd.Series
    plan: pd.Series
    governing_line: str | None


ALL = "（全部）"


LEVEL_PICKERS = {"province": "省（区、市）", "city": "市（州、盟）", "county": "县（市、区、旗）"}


def choose_scope(cat: Catalogue) -> Scope:
    """Outline, region and year in the sidebar (the year among those with data)."""
    outline = choose_outline()
    region = choose_region(cat)
    year = choose_year(cache.region_years(region))
    return Scope(outline, region, year, cache.offered_regions().row(region),
                 cat.plans.set_index("id").loc[outline],
                 cache.governing_line(outline, region))


def choose_outline(where=st.sidebar) -> str:
    """One of the national outlines (local plans apply automatically by region)."""
    names = cache.national_outlines()
    allowed = cache.acting_user().grant.outlines
    options = [p for p in names if allowed is None or p in allowed]
    current = st.query_params.get(state.PLAN, options[0])
    chosen = where.selectbox("纲要", options, index=options.index(current) if current in options
                             else 0, format_func=names.get)
    st.query_params[state.PLAN] = chosen
    context.follow()
    return chosen


def choose_region(cat: Catalogue, where=st.sidebar) -> str:
    """A region picked down the tree from the top of the person's view scope: province, then
    city, then county."""
    offered = cache.offered_regions()
    regions, tree, roots = offered.regions, offered.tree, list(offered.roots)
    current = st.query_params.get(state.REGION, roots[0])
    path = tree.ancestors(current)
    chosen = path[0] if path[0] in roots else roots[0]
    if len(roots) > 1:
        names = dict(zip(roots, (regions_module.label(r) for _, r in
                                 regions.set_index("code", drop=False).loc[roots].iterrows())))
        chosen = where.selectbox("地区范围", roots, index=roots.index(chosen),
                                 format_func=names.get)
    for depth in range(1, 4):
        picker = offered.pickers.get(chosen)
        if picker is None:
            break
        names = picker.labels
        keys = [ALL, *names]
        default = path[depth] if len(path) > depth and path[depth] in names else ALL
        picked = where.selectbox(LEVEL_PICKERS[picker.level], keys, index=keys.index(default),
                                 format_func=lambda c, n=names: n.get(c, c))
        if picked == ALL:
            break
        chosen = picked
    st.query_params[state.REGION] = chosen
    context.follow()
    return chosen


def choose_year(years: list[int], where=st.sidebar) -> int | None:
    """An evaluation year among those with data, newest first."""
    if not years:
        return None
    current = st.query_params.get(state.YEAR)
    index = years.index(int(current)) if current and current.isdigit() and int(current) in years \
        else 0
    chosen = where.selectbox("年份", years, index=index, format_func=lambda y: f"{y}年")
    st.query_params[state.YEAR] = str(chosen)
    context.follow()
    return chosen


def choose_method(where=st.sidebar) -> str:
    """A progress method (直线进度法 by default, as the office's settings say)."""
    options = list(evaluation.METHODS)
    current = st.query_params.get(state.METHOD, config.settings().evaluation.default_method)
    chosen = where.selectbox("评估方法", options, index=options.index(current) if current in
                             options else 0, format_func=evaluation.METHODS.get,
                             help="直线进度法为内部参考，不是官方判定标准。")
    st.query_params[state.METHOD] = chosen
    context.follow()
    return chosen


def choose_indicator(label: str, names: dict[str, str], param: str, where=st) -> str:
    """One indicator among `names` (code → label), bound to the URL under `param`.

    The widget's key is `param`, so a table click (row_follower) can choose it too; a value no
    longer offered (filters changed) falls back to the URL's or the first indicator."""
    options = list(names)
    if st.session_state.get(param) not in options:
        current = st.query_params.get(param)
        st.session_state[param] = current if current in options else options[0]
    chosen = where.selectbox(label, options, key=param, format_func=names.get)
    st.query_params[param] = chosen
    context.follow()
    return chosen


def row_follower(table_key: str, codes: list[str], param: str):
    """An on_select callback for a single-row table whose rows are `codes`: it copies the
    clicked row's code into the indicator selector `param` (callbacks only copy values)."""
    def follow() -> None:
        rows = st.session_state[table_key].selection.rows
        if rows:
            st.session_state[param] = codes[rows[0]]
    return follow


def query_list(key: str) -> list[str]:
    """A comma-separated list from the URL."""
    raw = st.query_params.get(key, "")
    return [v for v in raw.split(",") if v]


def set_query_list(key: str, values: list[str]) -> None:
    """Write a list back to the URL as comma-separated values (none: the parameter goes)."""
    set_query_value(key, ",".join(values))


def set_query_value(key: str, value: str | None) -> None:
    """Write one value to the URL; an empty one removes the parameter."""
    if value:
        st.query_params[key] = value
    elif key in st.query_params:
        del st.query_params[key]
    context.follow()


def choose_many(label: str, options: list[str], param: str, where=st, **kwargs) -> list[str]:
    """A filter of several values bound to the URL under `param` (comma-separated)."""
    wanted = [value for value in query_list(param) if value in options]
    chosen = where.multiselect(label, options, default=wanted, **kwargs)
    set_query_list(param, chosen)
    return chosen


def choose_optional(label: str, options: list[str], param: str, where=st, **kwargs) -> str | None:
    """A filter of one value or none, bound to the URL under `param`."""
    current = st.query_params.get(param)
    chosen = where.selectbox(label, options, index=options.index(current) if current in options
                             else None, **kwargs)
    set_query_value(param, chosen)
    return chosen
