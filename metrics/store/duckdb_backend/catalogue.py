"""Catalogue tables, the data version and row counts (a part of DuckDBStore)."""
from __future__ import annotations

import pandas as pd

from metrics.store.duckdb_backend.connection import fetch_one
from metrics.store.interface import CATALOGUE_TABLES


def catalogue_table(table: str) -> str:
    """The table name, refused unless it is a catalogue table (names are spliced into SQL)."""
    if table not in CATALOGUE_TABLES:
        raise ValueError(table)
    return table


class CatalogueTables:
    """Reads and replaces whole catalogue tables."""

    def read_table(self, table: str) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute(f"SELECT * FROM {catalogue_table(table)}").df()

    def replace_table(self, table: str, frame: pd.DataFrame) -> None:
        with self.connection() as con:
            con.execute(f"DELETE FROM {catalogue_table(table)}")
            con.register("incoming", frame)
            try:
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
            finally:
                con.unregister("incoming")

    def bump_catalogue_revision(self) -> None:
        with self.connection() as con:
            con.execute("INSERT INTO meta VALUES ('catalogue_revision', '1') ON CONFLICT (key) "
                        "DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS VARCHAR)")

    def data_version(self) -> tuple[int, int]:
        with self.connection() as con:
            row = con.execute(
                "SELECT (SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM meta "
                "        WHERE key = 'catalogue_revision'), "
                "       (SELECT coalesce(max(id), 0) FROM batches)").fetchall()[0]
        return int(row[0]), int(row[1])

    def count_rows(self) -> dict[str, int]:
        tables = CATALOGUE_TABLES + ("observations", "batches", "revisions")
        with self.connection() as con:
            return {t: fetch_one(con, f"SELECT count(*) FROM {t}") for t in tables}
