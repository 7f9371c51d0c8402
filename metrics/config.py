"""Paths and office settings. The only module that reads the environment or settings.yaml.

`METRICS_DB` overrides the database file; it is read at call time, not import time, so tests and
the command line can point one process at different files.
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


def db_path() -> Path:
    """The database file: `METRICS_DB` if set, else data/metrics.duckdb."""
    return Path(os.environ.get("METRICS_DB") or DEFAULT_DB)


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Office settings from data/settings.yaml, read once and checked (SettingsError if bad)."""
    with SETTINGS_FILE.open(encoding="utf-8") as fh:
        return parse_settings(yaml.safe_load(fh))


def show_demo_data() -> bool:
    """Whether the demonstration city (演示数据) is listed in selectors and tables."""
    return settings().demo.show
