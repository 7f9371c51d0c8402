"""Paths and office settings. The only module that reads the environment or settings.yaml.

`METRICS_STORE` names the store by URL (duckdb:///path/to/file.duckdb); `METRICS_DB`, a plain
path to a DuckDB file, is still read when it is not set. Both are read at call time, not import
time, so tests and the command line can point one process at different stores.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

from metrics.settings import Settings, parse_settings

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "data"
DEFAULT_DB = DATA_DIR / "metrics.duckdb"
SETTINGS_FILE = DATA_DIR / "settings.yaml"


def store_url() -> str:
    """The store: `METRICS_STORE` if set, else the file `METRICS_DB`, else
    data/metrics.duckdb."""
    return os.environ.get("METRICS_STORE") or str(os.environ.get("METRICS_DB") or DEFAULT_DB)


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Office settings from data/settings.yaml, read once and checked (SettingsError if bad)."""
    with SETTINGS_FILE.open(encoding="utf-8") as fh:
        return parse_settings(yaml.safe_load(fh))


def test_identity_allowed() -> bool:
    """Whether pages may take the login cookie from session state (METRICS_TEST_IDENTITY=1):
    AppTest cannot carry cookies, so page tests log in through this seam; never set it on a
    server."""
    return os.environ.get("METRICS_TEST_IDENTITY") == "1"


def show_demo_data() -> bool:
    """Whether the demonstration city (演示数据) is listed in selectors and tables."""
    return settings().demo.show
