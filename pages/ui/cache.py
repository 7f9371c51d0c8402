"""The Streamlit edge of the store: first-start initialisation and bounded caches.

Cached functions take the data version as an argument, so an upload or a catalogue change makes
every page read fresh data without clearing caches by hand.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import catalogue, config, evaluation, store, sync
from metrics.catalogue import Catalogue
from metrics.settings import EvaluationSettings

# Who saved a 重点难点 note. There is no login yet, so notes are attributed to the web form.
WEB_EDITOR = "网页填报"
VERSION_KEY = "data_version"


@st.cache_resource
def ensure_database(path: str) -> str:
    """Build the embedded default database on first start when the file is missing."""
    if not store.is_initialised(path):
        sync.init(path)
    return path


def db_path() -> str:
    """The database file, initialised."""
    return ensure_database(str(config.db_path()))


def read_version() -> tuple[int, int]:
    """Read the data version (decides whether cached data are still valid) and keep it for
    the rest of this rerun. frame.prepare() calls it first thing on every page, and every
    write in the app is followed by a rerun, so one query per rerun sees every change, an
    import from the command line included."""
    with store.session(db_path()) as con:
        st.session_state[VERSION_KEY] = store.data_version(con)
    return st.session_state[VERSION_KEY]


def data_version() -> tuple[int, int]:
    """The data version of this rerun. Opening the database for it on every cached read cost
    about 35 ms, three to five times a rerun."""
    return st.session_state.get(VERSION_KEY) or read_version()


@st.cache_data(max_entries=4, show_spinner=False)
def load_catalogue(path: str, version: tuple[int, int]) -> Catalogue:
    """The catalogue as stored."""
    with store.session(path) as con:
        return catalogue.read_from_store(con)


@st.cache_data(max_entries=64, show_spinner=False)
def load_observations(path: str, version: tuple[int, int], indicator_codes: tuple[str, ...],
                      region_codes: tuple[str, ...]) -> pd.DataFrame:
    """All years of the given indicators in the given regions."""
    with store.session(path) as con:
        return store.fetch_observations(con, list(indicator_codes), list(region_codes))


def current_catalogue() -> Catalogue:
    """The catalogue for this rerun."""
    return load_catalogue(db_path(), data_version())


def observations(indicator_codes, region_codes) -> pd.DataFrame:
    """Observations for this rerun."""
    return load_observations(db_path(), data_version(), tuple(indicator_codes),
                             tuple(region_codes))


@st.cache_data(max_entries=256, show_spinner=False)
def load_region_years(path: str, version: tuple[int, int], region_code: str) -> list[int]:
    """Years with data for a region, newest first."""
    with store.session(path) as con:
        return store.fetch_region_years(con, region_code)


def region_years(region_code: str) -> list[int]:
    """Years with data for a region, for this rerun."""
    return load_region_years(db_path(), data_version(), region_code)


@st.cache_data(max_entries=64, show_spinner=False)
def load_evaluation(path: str, version: tuple[int, int], outline_id: str,
                    region_codes: tuple[str, ...], year: int, method: str | None,
                    settings: EvaluationSettings) -> pd.DataFrame:
    """Evaluated indicators of an outline for the given regions and year."""
    with store.session(path) as con:
        cat = load_catalogue(path, version)
        return evaluation.run(con, cat, outline_id, list(region_codes), year, method,
                              settings=settings)


def evaluate(outline_id: str, region_codes, year: int, method: str | None = None) -> pd.DataFrame:
    """Evaluation for this rerun."""
    return load_evaluation(db_path(), data_version(), outline_id, tuple(region_codes), int(year),
                           method, config.settings().evaluation)


# Saving a note does not change data_version (it counts catalogue revisions and batches, and a
# note is neither), so the notes are read uncached: one tiny query per rerun, always current.
def focus_items(outline_id: str, region_code: str) -> pd.DataFrame:
    """The stored 重点难点 notes of one region."""
    with store.session(db_path()) as con:
        return store.fetch_focus_items(con, outline_id, [region_code])


def save_focus_items(outline_id: str, region_code: str, items: pd.DataFrame) -> None:
    """Store one region's 重点难点 notes in one transaction (see store.save_focus_items)."""
    with store.transaction(db_path()) as con:
        store.save_focus_items(con, outline_id, region_code, items, WEB_EDITOR)
