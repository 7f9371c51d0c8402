"""The UI's only door to the store: first-start initialisation, bounded caches of what pages
read, and the writes pages make (imports, undo, notes), each through `metrics` with the Store
opened here.

Cached functions take the store's URL and the data version as arguments, so an upload or a
catalogue change makes every page read fresh data without clearing caches by hand.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from metrics import catalogue, config, evaluation, sync
from metrics.access import Actor
from metrics.catalogue import Catalogue
from metrics.reports import briefing, charts
from metrics.settings import EvaluationSettings
from metrics.store import Store, open_store
from metrics.uploads import ingest
from metrics.views import batch_history, trends
from pages.ui import state

# The app keeps its database open this long after a unit of work (opening it cost 22 ms, three
# to five times a page); it lets go at once when a command waits for the file.
KEEP_OPEN_SECONDS = 10.0


@st.cache_resource
def opened_store(url: str) -> Store:
    """The store at `url`, built from data/ on first start when it holds no catalogue yet
    (an older store is upgraded in place)."""
    store = open_store(url, keep_open=KEEP_OPEN_SECONDS)
    if not store.is_initialised():
        sync.init(store)
    return store


def store() -> Store:
    """The app's store, initialised."""
    return opened_store(config.store_url())


def read_version() -> tuple[int, int]:
    """Read the data version (decides whether cached data are still valid) and keep it for
    the rest of this rerun. frame.prepare() calls it first thing on every page, and every
    write in the app is followed by a rerun, so one query per rerun sees every change, an
    import from the command line included."""
    st.session_state[state.DATA_VERSION] = store().data_version()
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


@st.cache_data(max_entries=64, show_spinner=False)
def load_observations(url: str, version: tuple[int, int], indicator_codes: tuple[str, ...],
                      region_codes: tuple[str, ...]) -> pd.DataFrame:
    """All years of the given indicators in the given regions."""
    return opened_store(url).fetch_observations(list(indicator_codes), list(region_codes))


@st.cache_data(max_entries=256, show_spinner=False)
def load_region_years(url: str, version: tuple[int, int], region_code: str) -> list[int]:
    """Years with data for a region, newest first."""
    return opened_store(url).fetch_region_years(region_code)


@st.cache_data(max_entries=64, show_spinner=False)
def load_evaluation(url: str, version: tuple[int, int], outline_id: str,
                    region_codes: tuple[str, ...], year: int, method: str | None,
                    settings: EvaluationSettings) -> pd.DataFrame:
    """Evaluated indicators of an outline for the given regions and year."""
    cat = load_catalogue(url, version)
    return evaluation.run(opened_store(url), cat, outline_id, list(region_codes), year, method,
                          settings=settings)


@st.cache_data(max_entries=64, show_spinner=False)
def load_targets(url: str, version: tuple[int, int], outline_id: str,
                 region_codes: tuple[str, ...], indicator_codes: tuple[str, ...],
                 settings: EvaluationSettings) -> pd.DataFrame:
    """The targets in force of the indicators in the regions (evaluation.target_rows)."""
    return evaluation.target_rows(opened_store(url), load_catalogue(url, version), outline_id,
                                  list(region_codes), list(indicator_codes), settings=settings)


@st.cache_data(max_entries=64, show_spinner=False)
def load_revisions(url: str, version: tuple[int, int], indicator_codes: tuple[str, ...],
                   region_codes: tuple[str, ...]) -> pd.DataFrame:
    """Recorded revisions of the indicators in the regions (batch_history.load_revisions)."""
    return batch_history.load_revisions(opened_store(url), list(indicator_codes),
                                        list(region_codes))


@st.cache_data(max_entries=32, show_spinner=False)
def load_batch_changes(url: str, version: tuple[int, int], batch_id: int,
                       page: int) -> pd.DataFrame:
    """One page of the values a batch wrote (a batch's values change only by a new batch)."""
    return opened_store(url).fetch_batch_changes_page(
        batch_id, batch_history.page_offset(page), batch_history.PAGE_ROWS)


@st.cache_data(max_entries=32, show_spinner=False)
def load_trend_figure(url: str, version: tuple[int, int], outline_id: str,
                      indicator_codes: tuple[str, ...], region_codes: tuple[str, ...],
                      settings: EvaluationSettings) -> charts.go.Figure | None:
    """The trend chart of the indicators in the regions against their target lines, None when
    they hold no value. Kept: drawing it takes Plotly about 0.4 s for 5 × 5 (its target and
    baseline lines), reading it back 45 ms."""
    cat = load_catalogue(url, version)
    observations = load_observations(url, version, indicator_codes, region_codes)
    series = trends.series(cat, observations, list(region_codes))
    if series.empty:
        return None
    in_force = load_targets(url, version, outline_id, region_codes, indicator_codes, settings)
    baseline_year = int(cat.plans.set_index("id").loc[outline_id, "baseline_year"])
    return charts.trend_figure(series, trends.target_lines(cat, in_force), baseline_year)


def current_catalogue() -> Catalogue:
    """The catalogue for this rerun."""
    return load_catalogue(store().url, data_version())


def observations(indicator_codes, region_codes) -> pd.DataFrame:
    """Observations for this rerun."""
    return load_observations(store().url, data_version(), tuple(indicator_codes),
                             tuple(region_codes))


def region_years(region_code: str) -> list[int]:
    """Years with data for a region, for this rerun."""
    return load_region_years(store().url, data_version(), region_code)


def evaluate(outline_id: str, region_codes, year: int, method: str | None = None) -> pd.DataFrame:
    """Evaluation for this rerun."""
    return load_evaluation(store().url, data_version(), outline_id, tuple(region_codes),
                           int(year), method, config.settings().evaluation)


def targets(outline_id: str, region_codes, indicator_codes) -> pd.DataFrame:
    """Targets in force for this rerun."""
    return load_targets(store().url, data_version(), outline_id, tuple(region_codes),
                        tuple(indicator_codes), config.settings().evaluation)


def trend_figure(outline_id: str, indicator_codes, region_codes) -> charts.go.Figure | None:
    """The trend chart for this rerun (None: no values)."""
    return load_trend_figure(store().url, data_version(), outline_id, tuple(indicator_codes),
                             tuple(region_codes), config.settings().evaluation)


def revisions(indicator_codes, region_codes) -> pd.DataFrame:
    """Revisions for this rerun."""
    return load_revisions(store().url, data_version(), tuple(indicator_codes),
                          tuple(region_codes))


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
    return load_batch_changes(store().url, data_version(), batch_id, page)


def batch_changes_csv(batch_id: int) -> bytes:
    """Every value one batch wrote, as a CSV file for Excel (written by the store)."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "changes.csv"
        store().write_batch_changes(batch_id, path)
        return path.read_bytes()


def batch_file(batch_id: int) -> bytes:
    """A batch's original file (empty when none was kept)."""
    return store().fetch_batch_file(batch_id) or b""


def live_batch(upload: ingest.Upload) -> int | None:
    """The batch in force that imported this file's sheet, if any."""
    return store().find_live_batch(upload.sha256, upload.sheet)


# Saving a note does not change data_version (it counts catalogue revisions and batches, and a
# note is neither), so the notes are read uncached: one tiny query per rerun, always current.
def focus_items(outline_id: str, region_code: str) -> pd.DataFrame:
    """The stored 重点难点 notes of one region."""
    return store().fetch_focus_items(outline_id, [region_code])


def preview(upload: ingest.Upload, cat: Catalogue) -> ingest.Preview:
    """What a valid upload would change in the store."""
    with store().session() as reading:
        return ingest.preview(reading, upload, cat, settings=config.settings().upload)


def build_briefing(outline_id: str, region_code: str, year: int, department: str | None,
                   method: str | None) -> briefing.Briefing:
    """The visit briefing of one region."""
    with store().session() as reading:
        return briefing.build(reading, current_catalogue(), outline_id, region_code, year,
                              department, method, settings=config.settings().evaluation)


# --- writes, each in one transaction, by the acting user ----------------------------------------

def save_focus_items(outline_id: str, region_code: str, items: pd.DataFrame,
                     actor: Actor) -> None:
    """Store one region's 重点难点 notes (see Store.save_focus_items)."""
    store().save_focus_items(outline_id, region_code, items, actor.name)


def commit(upload: ingest.Upload, recorded_name: str, note: str) -> int:
    """Import a valid upload as one batch; returns its id (ingest.commit)."""
    return ingest.commit(store(), upload, recorded_name, note)


def undo(batch_id: int, recorded_name: str) -> int:
    """Undo one batch; returns the undo batch's id (ingest.undo)."""
    return ingest.undo(store(), batch_id, recorded_name)
