"""The store behind a `Store` interface (metrics/store/interface.py), opened from a URL.

`open_store("duckdb:///path/to/file.duckdb")` or a plain path opens the embedded DuckDB file;
the URL scheme chooses the backend, so code above the store never depends on one.
"""
from __future__ import annotations

from pathlib import Path

from metrics import config
from metrics.errors import StoreError
from metrics.store.interface import (
    CATALOGUE_TABLES,
    FOCUS_FIELDS,
    OBSERVATION_FIELDS,
    OBSERVATION_KEY,
    SEED_KINDS,
    Store,
)

__all__ = ["CATALOGUE_TABLES", "FOCUS_FIELDS", "OBSERVATION_FIELDS", "OBSERVATION_KEY",
           "SEED_KINDS", "Store", "open_store"]
DUCKDB_SCHEME = "duckdb://"


def open_store(url: str | Path, keep_open: float = 0.0) -> Store:
    """The store at `url`: `duckdb://` followed by a file path (duckdb:///srv/metrics.duckdb),
    or a plain file path. Opening connects to nothing yet. A long-running process (the app)
    passes `keep_open`: the seconds an embedded database stays open after a unit of work
    (let go of at once when another process waits for the file)."""
    text = str(url)
    if "://" not in text:
        return duckdb_store(Path(text), keep_open)
    if text.startswith(DUCKDB_SCHEME) and len(text) > len(DUCKDB_SCHEME):
        return duckdb_store(Path(text[len(DUCKDB_SCHEME):]), keep_open)
    raise StoreError(f"无法识别的数据库地址「{text}」：应为数据库文件路径，"
                     "或 duckdb:///文件路径（如 duckdb:///srv/metrics.duckdb）。")


def duckdb_store(path: Path, keep_open: float) -> Store:
    """The DuckDB file at `path`, with the office's busy timeout and time zone."""
    # Imported here: only a DuckDB store needs the duckdb module.
    from metrics.store.duckdb_backend import DuckDBStore
    settings = config.settings().store
    return DuckDBStore(path, settings.busy_timeout_seconds, settings.time_zone,
                       keep_open=keep_open)
