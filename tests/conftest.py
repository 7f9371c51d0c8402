"""Shared fixtures: a database built once per test session from data/, copied for each test
that needs one, so every test owns its file."""
from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from people import PAGE_TESTER, PAGE_TESTER_PASSWORD
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest

from metrics import accounts, catalogue, config, logins, sync
from metrics.access import Role, local_administrator
from metrics.regions import NATIONAL_CODE, RegionTree
from metrics.store import open_store
from metrics.store.duckdb_backend import DuckDBStore
from metrics.store.duckdb_backend.connection import close_idle_databases
from pages.ui.state import TEST_COOKIE


@pytest.fixture(scope="session", autouse=True)
def components_scanned_once() -> Iterator[None]:
    """Installed packages scanned for Streamlit components once per test session, as a serving
    process does at its start: every new AppTest scanned them all again (0.15–1 s a test)."""
    scan = manifest_scanner.scan_component_manifests
    found = scan()
    manifest_scanner.scan_component_manifests = lambda *args, **kwargs: list(found)
    yield
    manifest_scanner.scan_component_manifests = scan


@pytest.fixture(scope="session")
def real_catalogue() -> catalogue.Catalogue:
    """The catalogue shipped in data/."""
    return catalogue.load()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """A database initialised from data/ once for the whole session."""
    path = tmp_path_factory.mktemp("template") / "metrics.duckdb"
    store = open_store(path)
    sync.init(store)
    accounts.add_user(store, local_administrator(), RegionTree(store.read_table("regions")),
                      PAGE_TESTER, Role.ADMIN, NATIONAL_CODE, password=PAGE_TESTER_PASSWORD)
    return path


@pytest.fixture
def db(template_db, tmp_path, monkeypatch) -> Path:
    """A private copy of the initialised database; METRICS_DB points at it."""
    path = tmp_path / "metrics.duckdb"
    shutil.copy(template_db, path)
    monkeypatch.setenv("METRICS_DB", str(path))
    return path


@pytest.fixture
def store(db):
    """The test's own copy of the template store."""
    return open_store(db)


@pytest.fixture
def cat(store):
    """That store's catalogue, as the pages read it."""
    return catalogue.read_from_store(store)


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


def login_cookie(path: Path, name: str) -> str:
    """The cookie of a login session opened for `name` in the store at `path` (as a successful
    login opens one, without the password check)."""
    store = open_store(path)
    token = secrets.token_urlsafe(24)
    store.open_login_session(logins.token_hash(token), name, "测试", store.local_time())
    return logins.signer(store).sign(token).decode()


def give_identity(monkeypatch, cookie: str) -> None:
    """Every AppTest made from a file starts with this login cookie, through the guard's test
    seam (AppTest cannot carry cookies)."""
    monkeypatch.setenv("METRICS_TEST_IDENTITY", "1")
    made = AppTest.from_file.__func__

    def from_file(cls, *args, **kwargs):
        at = made(cls, *args, **kwargs)
        at.session_state[TEST_COOKIE] = cookie
        return at
    monkeypatch.setattr(AppTest, "from_file", classmethod(from_file))


@pytest.fixture
def signed_in(db, monkeypatch) -> str:
    """Page tests act as the administrator `tester` of 全国."""
    cookie = login_cookie(db, PAGE_TESTER)
    give_identity(monkeypatch, cookie)
    return cookie


@contextmanager
def duckdb_session(path: Path) -> Iterator[tuple[DuckDBStore, duckdb.DuckDBPyConnection]]:
    """A session of the DuckDB store at `path` and its connection, for the tests that look at
    the file itself (crash safety, concurrency)."""
    with open_store(path).session() as store:
        yield store, store.bound
