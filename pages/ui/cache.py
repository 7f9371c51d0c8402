"""The UI's only door to the store: first-start initialisation, who is signed in, bounded
caches of what pages read, and the writes pages make (imports, undo, notes), each through
`metrics` with the store as the acting person may use it (metrics/store/guarded.py).

Cached functions take the store's URL, the data version and the reader's Grant as arguments:
an upload or a catalogue change makes every page read fresh data without clearing caches by
hand, and what one person may not read never comes from another's cached copy (people with
the same role and scope share entries).
"""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import streamlit as st

from metrics import (
    accounts,
    audit,
    catalogue,
    config,
    evaluation,
    focus_notes,
    logins,
    reporting,
    reporting_progress,
    rollup,
    rollup_accept,
    startup,
)
from metrics.access import Actor, Grant, Permission, Role
from metrics.catalogue import Catalogue
from metrics.evaluation import every_region, explain
from metrics.evaluation.derived import derived
from metrics.plans import annex, local_indicators, registry
from metrics.plans import editing as plan_editing
from metrics.plans import in_force as plans_in_force
from metrics.plans.registry import SavedPlan
from metrics.regions import OfferedRegions, RegionTree, offered
from metrics.reports import briefing, charts, status_charts
from metrics.settings import EvaluationSettings
from metrics.store import Store
from metrics.store.guarded import GuardedStore, guard
from metrics.uploads import ingest
from metrics.views import batch_history, midterm, overview, trends
from metrics.views import plans as plans_view
from pages.ui import state


@st.cache_resource
def opened_store(url: str) -> Store:
    """The store at `url`, ready (built on first start, first administrator created)."""
    return startup.process_store(url)


def raw_store() -> Store:
    """The app's store itself: for reading the data version and for the login only."""
    return opened_store(config.store_url())


def signed_in(cookie: str | None, address: str) -> Actor | None:
    """The person whose open login session the cookie holds (logins.signed_in)."""
    return logins.signed_in(raw_store(), cookie, address, config.settings().access)


def log_out(cookie: str | None, address: str) -> None:
    """End the session the cookie holds."""
    logins.log_out(raw_store(), cookie, address)


def acting_user() -> Actor:
    """Who this rerun acts for (frame.prepare() decided it); refused when nobody is."""
    actor = st.session_state.get(state.ACTOR)
    if actor is None:
        raise RuntimeError("frame.prepare() must run before the store is used")
    return actor


def guarded(url: str, version: tuple[int, int], actor: Actor) -> GuardedStore:
    """The store at `url` as `actor` may use it."""
    cat = load_catalogue(url, version)
    return guard(opened_store(url), actor, region_tree(url, version),
                 derived(cat, "monitored indicators", lambda: catalogue.monitored_indicators(cat)))


def reader(url: str, version: tuple[int, int], grant: Grant) -> GuardedStore:
    """The store for cached reads on behalf of whoever holds `grant`."""
    return guarded(url, version, Actor("（读取）", grant))


def store() -> GuardedStore:
    """The store as the acting user may use it."""
    return guarded(raw_store().url, data_version(), acting_user())


def read_version() -> tuple[int, int]:
    """Read the data version (decides whether cached data are still valid) and keep it for
    the rest of this rerun. frame.prepare() calls it first thing on every page, and every
    write in the app is followed by a rerun, so one query per rerun sees every change, an
    import from the command line included."""
    st.session_state[state.DATA_VERSION] = raw_store().data_version()
    return st.session_state[state.DATA_VERSION]


def data_version() -> tuple[int, int]:
    """The data version of this rerun. Opening the database for it on every cached read cost
    about 35 ms, three to five times a rerun."""
    return st.session_state.get(state.DATA_VERSION) or read_version()


# --- cached reads ------------------------------------------------------------------------------

# A resource, not data: one shared object per version instead of an unpickled copy per call
# (5 ms each), so the frames derived from it (evaluation.derived) are kept with it. A Catalogue
# is frozen and no page changes its frames.
@st.cache_resource(max_entries=4, show_spinner=False)
def load_catalogue(url: str, version: tuple[int, int]) -> Catalogue:
    """The catalogue as stored."""
    return catalogue.read_from_store(opened_store(url))


@st.cache_resource(max_entries=4)
def region_tree(url: str, version: tuple[int, int]) -> RegionTree:
    """The region tree of the catalogue (shared, never changed)."""
    return RegionTree(load_catalogue(url, version).regions)


@st.cache_data(max_entries=64, show_spinner=False)
def load_observations(url: str, version: tuple[int, int], grant: Grant,
                      indicator_codes: tuple[str, ...],
                      region_codes: tuple[str, ...]) -> pd.DataFrame:
    """All years of the given indicators in the given regions."""
    return reader(url, version, grant).fetch_observations(list(indicator_codes),
                                                          list(region_codes))


@st.cache_data(max_entries=256, show_spinner=False)
def load_region_years(url: str, version: tuple[int, int], grant: Grant,
                      region_code: str) -> list[int]:
    """Years with data for a region, newest first."""
    return reader(url, version, grant).fetch_region_years(region_code)


# A resource, not data: one evaluation of every region the grant views (for 全国 about 95 MB and
# 0.7 s per outline), cut for each page in a few milliseconds and never copied whole. Two kept:
# two outlines, or two years, or one before and one after an upload; keyed by the view alone,
# so people of every role with the same view share it.
@st.cache_resource(max_entries=2, show_spinner=False)
def every_region_evaluated(url: str, version: tuple[int, int], view: Grant, outline_id: str,
                           year: int, method: str | None,
                           settings: EvaluationSettings) -> every_region.EveryRegion:
    """The outline evaluated over every region `view` may read (every_region.evaluate)."""
    return every_region.evaluate(reader(url, version, view), load_catalogue(url, version),
                                 outline_id, year, method, settings=settings)


def load_evaluation(url: str, version: tuple[int, int], grant: Grant, outline_id: str,
                    region_codes: tuple[str, ...], year: int, method: str | None,
                    settings: EvaluationSettings) -> pd.DataFrame:
    """Evaluated indicators of an outline for the given regions and year, as the reader may
    read them (evaluation.run's result, cut out of every_region_evaluated)."""
    every = every_region_evaluated(url, version, grant.reading_only(), outline_id, year, method,
                                   settings)
    return every.of(reader(url, version, grant), list(region_codes))


# Resources, not data: what 中期评估 shows of one region and of its chosen indicator, shared
# by every view (each viewer's page rebuilt them: about a third of its server time), never
# changed.
@st.cache_resource(max_entries=256, show_spinner=False)
def load_midterm_summary(url: str, version: tuple[int, int], grant: Grant, outline_id: str,
                         region_code: str, year: int, method: str,
                         settings: EvaluationSettings) -> midterm.Summary:
    """The region's evaluation and its summary before any filter (midterm.summary)."""
    return midterm.summary(load_evaluation(url, version, grant, outline_id, (region_code,),
                                           year, method, settings))


@dataclass(frozen=True)
class OverviewView:
    """What 总览 shows of one region: the headline figures, the status bars per area, the
    summary per area and the indicator table with each indicator's link to 趋势."""
    head: overview.Headline
    bars: charts.go.Figure
    areas: pd.DataFrame
    table: pd.DataFrame


@st.cache_resource(max_entries=256, show_spinner=False)
def load_overview(url: str, version: tuple[int, int], grant: Grant, outline_id: str,
                  region_code: str, year: int, method: str,
                  settings: EvaluationSettings) -> OverviewView:
    """The OverviewView of the region's evaluation."""
    evaluated = load_evaluation(url, version, grant, outline_id, (region_code,), year, method,
                                settings)
    table = overview.indicator_table(evaluated)
    table["趋势"] = [state.trends_link(outline_id, region_code, code) for code in table["代码"]]
    return OverviewView(overview.headline(evaluated),
                        status_charts.status_bars(overview.status_counts(evaluated)),
                        overview.area_summary(evaluated), table)


@dataclass(frozen=True)
class IndicatorPath:
    """One indicator of a region as 中期评估 shows it: its evaluated row, the sentence behind
    its flag, its path to the target, and the sources of the values plotted."""
    row: pd.Series
    why: str
    figure: charts.go.Figure
    sources: list[str]


@st.cache_resource(max_entries=256, show_spinner=False)
def load_indicator_path(url: str, version: tuple[int, int], grant: Grant, outline_id: str,
                        region_code: str, year: int, method: str, settings: EvaluationSettings,
                        indicator_code: str) -> IndicatorPath:
    """The IndicatorPath of an indicator the region's summary holds."""
    evaluated = load_midterm_summary(url, version, grant, outline_id, region_code, year, method,
                                     settings).evaluated
    row = evaluated[evaluated["indicator_code"] == indicator_code]
    observed = load_observations(url, version, grant, (indicator_code,), (region_code,))
    series = trends.series(load_catalogue(url, version), observed, [region_code], outline_id)
    return IndicatorPath(row.iloc[0], explain.explain(row, settings=settings).iloc[0],
                         charts.target_path_figure(observed, row.iloc[0]),
                         trends.source_lines(series))


@st.cache_data(max_entries=64, show_spinner=False)
def load_targets(url: str, version: tuple[int, int], grant: Grant, outline_id: str,
                 region_codes: tuple[str, ...], indicator_codes: tuple[str, ...],
                 settings: EvaluationSettings) -> pd.DataFrame:
    """The targets in force of the indicators in the regions (evaluation.target_rows)."""
    return evaluation.target_rows(reader(url, version, grant), load_catalogue(url, version),
                                  outline_id, list(region_codes), list(indicator_codes),
                                  settings=settings)


@st.cache_data(max_entries=64, show_spinner=False)
def load_revisions(url: str, version: tuple[int, int], grant: Grant,
                   indicator_codes: tuple[str, ...],
                   region_codes: tuple[str, ...]) -> pd.DataFrame:
    """Recorded revisions of the indicators in the regions (batch_history.load_revisions)."""
    return batch_history.load_revisions(reader(url, version, grant), list(indicator_codes),
                                        list(region_codes))


def reading() -> tuple[str, tuple[int, int], Grant]:
    """The cache key of this rerun's reads: store, data version, the reader's grant."""
    return raw_store().url, data_version(), acting_user().grant


@st.cache_data(max_entries=32, show_spinner=False)
def load_batch_changes(url: str, version: tuple[int, int], grant: Grant, batch_id: int,
                       page: int) -> pd.DataFrame:
    """One page of the values a batch wrote (a batch's values change only by a new batch)."""
    return reader(url, version, grant).fetch_batch_changes_page(
        batch_id, batch_history.page_offset(page), batch_history.PAGE_ROWS)


@dataclass(frozen=True)
class TrendView:
    """What 趋势 shows of a selection: the chart (None when no value is drawn), the sources of
    the values drawn, and each indicator's facts (trends.indicator_info) by code."""
    figure: charts.go.Figure | None
    sources: list[str]
    facts: dict[str, dict[str, str]]


@st.cache_resource(max_entries=32, show_spinner=False)
def load_trend_view(url: str, version: tuple[int, int], grant: Grant, outline_id: str,
                    indicator_codes: tuple[str, ...], region_codes: tuple[str, ...],
                    settings: EvaluationSettings, compared: tuple[str, ...] = ()) -> TrendView:
    """The trend chart of the indicators in the regions against their target lines (the
    `compared` regions drawn beside them for comparison), its sources and the indicators'
    facts. Kept and shared, never changed: drawing the chart takes Plotly about 0.4 s for 5 × 5
    (its target and baseline lines), a copy for each visit (as st.cache_data gives) cost 45 ms
    to read back, and the facts and sources were half of a warm visit's server time."""
    cat = load_catalogue(url, version)
    in_force = load_targets(url, version, grant, outline_id, region_codes, indicator_codes,
                            settings)
    facts = {code: trends.indicator_info(cat, in_force, code, outline_id)
             for code in indicator_codes}
    shown = region_codes + compared
    plotted = trends.series(cat, load_observations(url, version, grant, indicator_codes, shown),
                            list(shown), outline_id)
    series = trends.series(cat, load_observations(url, version, grant, indicator_codes,
                                                  region_codes), list(region_codes), outline_id)
    if series.empty:
        return TrendView(None, trends.source_lines(plotted), facts)
    baseline_year = int(cat.plans.set_index("id").loc[outline_id, "baseline_year"])
    comparison = trends.series(cat, load_observations(url, version, grant, indicator_codes,
                                                      compared), list(compared), outline_id
                               ) if compared else None
    figure = charts.trend_figure(series, trends.target_lines(cat, in_force), baseline_year,
                                 trends.target_paths(cat, in_force), comparison)
    return TrendView(figure, trends.source_lines(plotted), facts)


@st.cache_resource(max_entries=4, show_spinner=False)
def national_outlines_in(url: str, version: tuple[int, int]) -> MappingProxyType:
    """Id → short name of the national outlines, in catalogue.national_outlines' order."""
    plans = load_catalogue(url, version).plans
    names = dict(zip(plans["id"], plans["short_name"]))
    return MappingProxyType({p: names[p] for p in catalogue.national_outlines(plans)})


def national_outlines() -> MappingProxyType:
    """The national outlines a selector offers (before the person's grant narrows them)."""
    return national_outlines_in(raw_store().url, data_version())


def current_catalogue() -> Catalogue:
    """The catalogue for this rerun."""
    return load_catalogue(raw_store().url, data_version())


@st.cache_resource(max_entries=64, show_spinner=False)
def offered_in(url: str, version: tuple[int, int], view_roots: tuple[str, ...],
               show_demo: bool) -> OfferedRegions:
    """The regions offered under `view_roots` (shared, never changed): worked out on every
    rerun they cost 中期评估 a tenth of its server time."""
    return offered(load_catalogue(url, version).regions, region_tree(url, version),
                   view_roots, show_demo)


def offered_regions() -> OfferedRegions:
    """The regions this rerun's person is offered in selectors and tables."""
    return offered_in(raw_store().url, data_version(),
                      tuple(sorted(acting_user().grant.view_roots)), config.show_demo_data())


@st.cache_data(max_entries=1024, show_spinner=False)
def load_governing_line(url: str, version: tuple[int, int], outline_id: str,
                        region_code: str) -> str | None:
    """「适用规划：《…》」 of a region (in_force.governing_line): the plans change only with the
    catalogue's version, and walking them cost every page a few milliseconds."""
    return plans_in_force.governing_line(load_catalogue(url, version), outline_id, region_code)


def governing_line(outline_id: str, region_code: str) -> str | None:
    """The local plan a region follows under the outline, as headings name it."""
    return load_governing_line(raw_store().url, data_version(), outline_id, region_code)


def current_region_tree() -> RegionTree:
    """The region tree for this rerun."""
    return region_tree(raw_store().url, data_version())


def observations(indicator_codes, region_codes) -> pd.DataFrame:
    """Observations for this rerun."""
    return load_observations(*reading(), tuple(indicator_codes), tuple(region_codes))


def region_years(region_code: str) -> list[int]:
    """Years with data for a region, for this rerun."""
    return load_region_years(*reading(), region_code)


def evaluate(outline_id: str, region_codes, year: int, method: str | None = None) -> pd.DataFrame:
    """Evaluation for this rerun. The default method by its name: 总览 (no method) and 中期评估
    (the method chosen) then share one kept evaluation of every region."""
    settings = config.settings().evaluation
    return load_evaluation(*reading(), outline_id, tuple(region_codes), int(year),
                           method or settings.default_method, settings)


def midterm_summary(outline_id: str, region_code: str, year: int,
                    method: str | None) -> midterm.Summary:
    """中期评估's summary of one region for this rerun."""
    settings = config.settings().evaluation
    return load_midterm_summary(*reading(), outline_id, region_code, int(year),
                                method or settings.default_method, settings)


def overview_view(outline_id: str, region_code: str, year: int) -> OverviewView:
    """总览 of one region for this rerun (the default method, as 总览 judges)."""
    settings = config.settings().evaluation
    return load_overview(*reading(), outline_id, region_code, int(year), settings.default_method,
                         settings)


def indicator_path(outline_id: str, region_code: str, year: int, method: str | None,
                   indicator_code: str) -> IndicatorPath:
    """中期评估's view of one indicator of a region for this rerun."""
    settings = config.settings().evaluation
    return load_indicator_path(*reading(), outline_id, region_code, int(year),
                               method or settings.default_method, settings, indicator_code)


def trend_view(outline_id: str, indicator_codes, region_codes, compared=()) -> TrendView:
    """趋势's view of a selection for this rerun."""
    return load_trend_view(*reading(), outline_id, tuple(indicator_codes), tuple(region_codes),
                           config.settings().evaluation, tuple(compared))


def revisions(indicator_codes, region_codes) -> pd.DataFrame:
    """Revisions for this rerun."""
    return load_revisions(*reading(), tuple(indicator_codes), tuple(region_codes))


# --- uncached reads: small, and wanted current ----------------------------------------------

def batches() -> pd.DataFrame:
    """Every batch, newest first."""
    return store().fetch_batches()


def batch(batch_id: int) -> dict | None:
    """One batch, or None."""
    return store().fetch_batch(batch_id)


def batch_change_count(batch_id: int) -> int:
    """How many values one batch wrote."""
    return store().count_batch_changes(batch_id)


def batch_changes(batch_id: int, page: int = 1) -> pd.DataFrame:
    """One page (batch_history.PAGE_ROWS) of the values one batch wrote, in writing order."""
    return load_batch_changes(*reading(), batch_id, page)


def batch_changes_csv(batch_id: int) -> Callable[[], bytes]:
    """Every value one batch wrote, as a CSV file for Excel (written by the store) when
    downloaded; bound now, as batch_file."""
    guarded = store()

    def written() -> bytes:
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "changes.csv"
            guarded.write_batch_changes(batch_id, path)
            return path.read_bytes()
    return written


def batch_file(batch_id: int) -> Callable[[], bytes]:
    """A batch's original file (empty when none was kept), read when downloaded. Bound now:
    st.download_button runs it on another thread, outside this rerun and its user."""
    guarded = store()
    return lambda: guarded.fetch_batch_file(batch_id) or b""


def live_batch(upload: ingest.Upload) -> int | None:
    """The batch in force that imported this file's sheet, if any."""
    return store().find_live_batch(upload.sha256, upload.sheet)


# Saving a note does not change data_version (it counts catalogue revisions and batches, and a
# note is neither), so the notes are read uncached: one tiny query per rerun, always current.
def focus_items(outline_id: str, region_code: str) -> pd.DataFrame:
    """The stored 重点难点 notes of one region."""
    return store().fetch_focus_items(outline_id, [region_code])


# Reporting periods: a step changes no data version, so they are read uncached (small reads).
def locks() -> pd.DataFrame:
    """The locked periods the acting user may see (the upload check's `locks`)."""
    return store().fetch_locks()


def progress(outline_id: str, region_code: str, year: int) -> pd.DataFrame:
    """The region and the regions one level down with their period's state and the steps the
    acting user may take (reporting_progress.progress)."""
    return reporting_progress.progress(store(), current_catalogue(), config.settings().reporting,
                                       acting_user(), outline_id, year, region_code,
                                       show_demo=config.show_demo_data())


def period_history(outline_id: str, region_code: str, year: int) -> pd.DataFrame:
    """Every step of one period, oldest first."""
    return store().fetch_period_history(outline_id, region_code, year)


def missing_indicators(outline_id: str, region_code: str, year: int) -> pd.DataFrame:
    """The outline's indicators without a value for the region and year."""
    return reporting.missing_indicators(store(), current_catalogue(),
                                        reporting.Period(outline_id, region_code, year))


def rollup_rows(outline_id: str, region_code: str, year: int) -> pd.DataFrame:
    """The region's rates computed from the counts of the regions below (rollup.rollup)."""
    return rollup.rollup(store(), current_catalogue(), config.settings().reporting, outline_id,
                         region_code, year)


def take_period_step(action: str, outline_id: str, region_code: str, year: int,
                     note: str) -> int:
    """One step of the reporting cycle as the acting user (reporting.take_step)."""
    return reporting.take_step(store(), acting_user(), current_catalogue(),
                               config.settings().reporting, action,
                               reporting.Period(outline_id, region_code, year), note)


def preview(upload: ingest.Upload, cat: Catalogue) -> ingest.Preview:
    """What a valid upload would change in the store."""
    with store().session() as session:
        return ingest.preview(session, upload, cat, settings=config.settings().upload)


def build_briefing(outline_id: str, region_code: str, year: int, department: str | None,
                   method: str | None) -> briefing.Briefing:
    """The visit briefing of one region (audited: it is what leaves the building)."""
    acting_user().require(Permission.BRIEF)
    with store().session() as session:
        built = briefing.build(session, current_catalogue(), outline_id, region_code, year,
                               department, method, settings=config.settings().evaluation)
        audit.record(session, acting_user(), "briefing_exported",
                     f"{outline_id} {region_code} {year}", detail=department or "")
    return built


# --- writes, each in one transaction, by the acting user ----------------------------------------

def save_focus_items(outline_id: str, region_code: str, items: pd.DataFrame) -> int:
    """Store one region's 重点难点 notes as the acting user (focus_notes.save)."""
    return focus_notes.save(store(), acting_user(), outline_id, region_code, items)


def record_check(upload: ingest.Upload) -> None:
    """Audit that the acting user had a file checked."""
    ingest.record_check(store(), acting_user(), upload)


def capture_codes() -> set[str]:
    """The regions the acting user may write (the upload check's scope)."""
    return store().scope.capture_codes()


def commit(upload: ingest.Upload, note: str) -> int:
    """Import a valid upload as one batch by the acting user; returns its id."""
    return ingest.commit(store(), upload, acting_user(), note)


def undo(batch_id: int) -> int:
    """Undo one batch as the acting user; returns the undo batch's id (ingest.undo)."""
    return ingest.undo(store(), batch_id, acting_user())


# --- administration (系统管理), as the acting administrator ---------------------------------------

def users() -> pd.DataFrame:
    """Every user the store holds (USER_FIELDS without the hash)."""
    return store().fetch_users().drop(columns=["password_hash"])


def login_sessions() -> pd.DataFrame:
    """The open login sessions."""
    return store().fetch_login_sessions()


def store_today() -> dt.date:
    """Today on the store's clock (its time zone, 北京时间 by default), which dates every entry
    the store records: the server's own date differs for eight hours of each day."""
    return store().local_time().date()


def audit_entries(since, until, user_name: str | None, action: str | None,
                  limit: int) -> pd.DataFrame:
    """Audit entries, newest first."""
    return store().fetch_audit(since, until, user_name, action, limit)


def audit_workbook(entries: pd.DataFrame,
                   plan_names: dict[str, str] | None = None) -> Callable[[], bytes]:
    """The entries as .xlsx when downloaded; the export itself is audited (bound now, as
    batch_file)."""
    guarded, actor = store(), acting_user()

    def exported() -> bytes:
        audit.record(guarded, actor, "audit_exported", f"{len(entries)} 条")
        return audit.workbook_bytes(entries, plan_names)
    return exported


def add_user(name: str, role: Role, region_code: str, view_region_code: str | None) -> str:
    """A new account; returns its random password (shown once)."""
    return accounts.add_user(store(), acting_user(), current_region_tree(), name, role,
                             region_code, view_region_code)


def change_user(name: str, role: Role, region_code: str, view_region_code: str | None) -> None:
    """Change a user's role and scope."""
    accounts.change(store(), acting_user(), current_region_tree(), name, role=role,
                    region_code=region_code, view_region_code=view_region_code or region_code)


def set_disabled(name: str, disabled: bool) -> None:
    accounts.set_disabled(store(), acting_user(), current_region_tree(), name, disabled)


def reset_password(name: str) -> str:
    """A new random password for the user (shown once)."""
    return accounts.reset_password(store(), acting_user(), current_region_tree(), name)


def change_own_password(current: str, new: str) -> None:
    """The acting user's own password (accounts.change_own_password)."""
    accounts.change_own_password(store(), acting_user(), current, new)


def end_session(token_hash: str) -> None:
    logins.end_session(store(), acting_user(), current_region_tree(), token_hash)


# --- 规划管理: local plans, read uncached (a few rows, wanted current) and changed as the acting
# user; a change bumps the catalogue revision, so every page then reads the plan as changed.

def local_plan(plan_id: str) -> tuple[dict | None, pd.DataFrame]:
    """A plan as it stands and its own indicators (registry.current)."""
    return registry.current(store(), current_catalogue(), plan_id)


def plan_local_indicators(plan_id: str) -> pd.DataFrame:
    """The indicators the plan defines itself, with its row for each
    (local_indicators.plan_local_indicators)."""
    return local_indicators.plan_local_indicators(store(), current_catalogue(), plan_id)


def plan_versions(plan_id: str) -> pd.DataFrame:
    """Every version of a plan, newest first."""
    return store().fetch_plan_versions(plan_id)


def latest_plan_versions(plan_ids) -> dict[str, pd.Series]:
    """Plan id → its newest version, for those that have one."""
    return plans_view.latest_versions(store(), plan_ids)


def change_plan(change: Callable, *args) -> SavedPlan:
    """One change of a plan as the acting user: `change` is one of metrics/plans/editing's or
    indicator_edits' functions, `args` what follows its store, actor and catalogue."""
    return change(store(), acting_user(), current_catalogue(), *args)


def define_local_indicator(store: Store, actor: Actor, cat: Catalogue, *args) -> SavedPlan:
    """local_indicators.define as a change of the plan for change_plan (the page shows the
    version; the new code stands in the indicator table)."""
    return local_indicators.define(store, actor, cat, *args)[1]


def read_plan_annex(plan_id: str, raw: bytes, file_name: str) -> annex.AnnexTable:
    """A plan's indicator table read and checked (nothing written)."""
    return plan_editing.read_plan_annex(store(), current_catalogue(), plan_id, raw, file_name,
                                        config.settings().upload)
# --- reporting: roll-up values taken in ---------------------------------------------------------

def accept_rollup(outline_id: str, region_code: str, year: int,
                  codes: list[str]) -> tuple[int, list[str]]:
    """The computed values of the region's rates it did not report, as one batch by the acting
    user (rollup_accept.accept); returns the batch id and the indicators written."""
    return rollup_accept.accept(store(), acting_user(), current_catalogue(),
                                config.settings().reporting,
                                reporting.Period(outline_id, region_code, year), codes,
                                scope=capture_codes(), limits=config.settings().upload)
