"""Observations: reading the stored values of keys, writing a batch's values with their
revisions, and the reads of the pages (a part of DuckDBStore)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pandas as pd

from metrics.errors import StoreError
from metrics.store.interface import OBSERVATION_FIELDS, OBSERVATION_KEY


class Observations:
    """Values keyed by (indicator, region, year), each written by a batch."""

    def read_current(self, keys: pd.DataFrame) -> pd.DataFrame:
        with self.connection() as con:
            con.register("wanted", keys[OBSERVATION_KEY].drop_duplicates())
            try:
                return con.execute(
                    "SELECT o.*, b.kind AS batch_kind FROM observations o "
                    "JOIN wanted w USING (indicator_code, region_code, year) "
                    "LEFT JOIN batches b ON b.id = o.batch_id").df()
            finally:
                con.unregister("wanted")

    def write_observations(self, batch_id: int, new: pd.DataFrame, changed: pd.DataFrame,
                           counts: dict[str, int], unchanged: pd.DataFrame | None = None) -> None:
        # The caller diffs inside the same transaction, so new rows take a plain INSERT with no
        # lookup (an upsert cost a second more per million rows); were one stored after all,
        # the key refuses it and the whole transaction rolls back.
        with self.connection() as con:
            insert_new(con, batch_id, new)
            replace_changed(con, batch_id, changed)
            for supplied in (new, changed, unchanged):
                record_supplied(con, batch_id, supplied)
            con.execute("UPDATE batches SET n_new = ?, n_changed = ?, n_unchanged = ? "
                        "WHERE id = ?",
                        [counts["new"], counts["changed"], counts["unchanged"], batch_id])

    def fetch_observations(self, indicator_codes: list[str],
                           region_codes: list[str]) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute(
                "SELECT indicator_code, region_code, year, value, numerator, denominator, "
                "source, note, batch_id FROM observations "
                "WHERE indicator_code IN (SELECT unnest(?)) "
                "AND region_code IN (SELECT unnest(?)) "
                "ORDER BY indicator_code, region_code, year",
                [list(indicator_codes), list(region_codes)]).df()

    def fetch_region_years(self, region_code: str) -> list[int]:
        with self.connection() as con:
            rows = con.execute("SELECT DISTINCT year FROM observations WHERE region_code = ? "
                               "ORDER BY year DESC", [region_code]).fetchall()
        return [r[0] for r in rows]


@contextmanager
def registered_rows(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame,
                    batch_id: int) -> Iterator[None]:
    """The rows' observation columns, under the batch, as the view `incoming` for the block."""
    con.register("incoming", rows[OBSERVATION_KEY + OBSERVATION_FIELDS].assign(batch_id=batch_id))
    try:
        yield
    finally:
        con.unregister("incoming")


def record_supplied(con: duckdb.DuckDBPyConnection, batch_id: int,
                    rows: pd.DataFrame | None) -> None:
    """Keep what the batch supplies, written or found already stored."""
    if rows is None or rows.empty:
        return
    with registered_rows(con, rows, batch_id):
        con.execute("INSERT INTO supplies BY NAME SELECT * FROM incoming")


def insert_new(con: duckdb.DuckDBPyConnection, batch_id: int, rows: pd.DataFrame) -> None:
    """Values for keys with no stored value: their revisions have no old value."""
    if rows.empty:
        return
    with registered_rows(con, rows, batch_id):
        con.execute(
            "INSERT INTO revisions (batch_id, indicator_code, region_code, year, new_value, "
            "new_numerator, new_denominator, new_source, new_note) SELECT batch_id, "
            "indicator_code, region_code, year, value, numerator, denominator, source, note "
            "FROM incoming")
        con.execute("INSERT INTO observations BY NAME SELECT * FROM incoming")


def replace_changed(con: duckdb.DuckDBPyConnection, batch_id: int, rows: pd.DataFrame) -> None:
    """Values replacing stored ones, each replaced value kept in revisions."""
    if rows.empty:
        return
    with registered_rows(con, rows, batch_id):
        con.execute(
            "INSERT INTO revisions SELECT i.batch_id, i.indicator_code, i.region_code, i.year, "
            "o.value, o.numerator, o.denominator, o.source, o.note, o.batch_id, "
            "i.value, i.numerator, i.denominator, i.source, i.note "
            "FROM incoming i JOIN observations o USING (indicator_code, region_code, year)")
        updated = con.execute(
            "UPDATE observations o SET value = i.value, numerator = i.numerator, "
            "denominator = i.denominator, source = i.source, note = i.note, "
            "batch_id = i.batch_id FROM incoming i WHERE o.indicator_code = i.indicator_code "
            "AND o.region_code = i.region_code AND o.year = i.year").fetchall()[0][0]
    if updated != len(rows):  # a value thought stored is not: never drop it silently
        raise StoreError(f"应替换 {len(rows)} 个数值，实际找到 {updated} 个；未写入任何数据。")
