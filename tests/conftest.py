"""Shared fixtures: a database built once per test session from data/, copied for each test
that needs one, so every test owns its file."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
import streamlit as st

from metrics import catalogue, config, sync
from metrics.store import open_store
from metrics.store.duckdb_backend import DuckDBStore
from metrics.store.duckdb_backend.connection import close_idle_databases


@pytest.fixture(scope="session")
def real_catalogue() -> catalogue.Catalogue:
    """The catalogue shipped in data/."""
    return catalogue.load()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """A database initialised from data/ once for the whole session."""
    path = tmp_path_factory.mktemp("template") / "metrics.duckdb"
    sync.init(open_store(path))
    return path


@pytest.fixture
def db(template_db, tmp_path, monkeypatch) -> Path:
    """A private copy of the initialised database; METRICS_DB points at it."""
    path = tmp_path / "metrics.duckdb"
    shutil.copy(template_db, path)
    monkeypatch.setenv("METRICS_DB", str(path))
    return path


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/ that a test may edit (a new version of the catalogue)."""
    target = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, target, ignore=shutil.ignore_patterns("*.duckdb*"))
    return target


@pytest.fixture
def fresh_caches():
    """Streamlit's caches emptied: AppTests in one process share them, and a cached store or
    catalogue of another test's database would leak into this one. The app's store keeps its
    database open a while after use: let go of it before and after."""
    st.cache_data.clear()
    st.cache_resource.clear()
    close_idle_databases()
    yield
    close_idle_databases()


@contextmanager
def duckdb_session(path: Path) -> Iterator[tuple[DuckDBStore, duckdb.DuckDBPyConnection]]:
    """A session of the DuckDB store at `path` and its connection, for the tests that look at
    the file itself (crash safety, concurrency)."""
    with open_store(path).session() as store:
        yield store, store.bound
