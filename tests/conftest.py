"""Shared fixtures: a database built once per test session from data/, copied for each test
that needs one, so every test owns its file."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from metrics import catalogue, config, sync


@pytest.fixture(scope="session")
def real_catalogue() -> catalogue.Catalogue:
    """The catalogue shipped in data/."""
    return catalogue.load()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """A database initialised from data/ once for the whole session."""
    path = tmp_path_factory.mktemp("template") / "metrics.duckdb"
    sync.init(path)
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
