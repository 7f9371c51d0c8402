"""Batches, their original files and the revision history; undo (a part of DuckDBStore)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from metrics.store.duckdb_backend.connection import fetch_one


class Batches:
    """Every write is a batch; every value it replaced is kept in revisions."""

    def create_batch(self, kind: str, user_name: str, note: str, file_name: str | None = None,
                     sha256: str | None = None, sheet: str | None = None) -> int:
        with self.connection() as con:
            return fetch_one(
                con, "INSERT INTO batches (id, kind, user_name, created_at, file_name, sha256, "
                     "sheet, note) VALUES (nextval('batch_ids'), ?, ?, now(), ?, ?, ?, ?) "
                     "RETURNING id", [kind, user_name, file_name, sha256, sheet, note])

    def save_batch_file(self, batch_id: int, content: bytes) -> None:
        with self.connection() as con:
            con.execute("INSERT INTO batch_files VALUES (?, ?)", [batch_id, content])

    def fetch_batch_file(self, batch_id: int) -> bytes | None:
        with self.connection() as con:
            rows = con.execute("SELECT content FROM batch_files WHERE batch_id = ?",
                               [batch_id]).fetchall()
        return bytes(rows[0][0]) if rows else None

    def find_live_batch(self, sha256: str, sheet: str | None = None) -> int | None:
        with self.connection() as con:
            rows = con.execute(
                "SELECT id FROM batches WHERE sha256 = ? AND undone_by IS NULL "
                "AND kind = 'upload' AND sheet IS NOT DISTINCT FROM ? ORDER BY id LIMIT 1",
                [sha256, sheet]).fetchall()
        return rows[0][0] if rows else None

    def fetch_batches(self) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute("SELECT * FROM batches ORDER BY id DESC").df()

    def fetch_batch(self, batch_id: int) -> dict | None:
        with self.connection() as con:
            frame = con.execute("SELECT * FROM batches WHERE id = ?", [batch_id]).df()
        return None if frame.empty else frame.iloc[0].to_dict()

    def fetch_batch_changes(self, batch_id: int) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute(
                "SELECT indicator_code, region_code, year, old_value, new_value, old_batch_id "
                "FROM revisions WHERE batch_id = ? ORDER BY indicator_code, region_code, year",
                [batch_id]).df()

    def count_batch_changes(self, batch_id: int) -> int:
        with self.connection() as con:
            return fetch_one(con, "SELECT count(*) FROM revisions WHERE batch_id = ?",
                             [batch_id])

    # A page is cut in the order of writing (rowid): cheap at any depth, where sorting the
    # codes of a 2.1M-value batch for a late page took 0.5-0.8 s.
    def fetch_batch_changes_page(self, batch_id: int, offset: int, limit: int) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute(
                "SELECT indicator_code, region_code, year, old_value, new_value, old_batch_id "
                "FROM revisions WHERE batch_id = ? ORDER BY rowid LIMIT ? OFFSET ?",
                [batch_id, limit, offset]).df()

    def write_batch_changes(self, batch_id: int, path: Path | str) -> int:
        with tempfile.TemporaryDirectory(dir=Path(path).parent) as scratch:
            written = Path(scratch) / "changes.csv"
            with self.connection() as con:
                # COPY takes no parameter for its file: the path is quoted as a literal.
                quoted = str(written).replace("'", "''")
                rows = fetch_one(con, f"COPY ({BATCH_CHANGES_SQL}) TO '{quoted}' "
                                      "(HEADER, DELIMITER ',')", {"batch": batch_id})
            with open(path, "wb") as out, open(written, "rb") as body:
                out.write("\ufeff".encode())       # Excel reads UTF-8 only after a BOM
                shutil.copyfileobj(body, out, 1 << 20)
        return rows

    def fetch_revisions(self, indicator_codes: list[str],
                        region_codes: list[str]) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute(
                "SELECT r.indicator_code, r.region_code, r.year, r.old_value, r.new_value, "
                "r.old_source, r.new_source, r.batch_id, b.kind AS batch_kind, b.user_name, "
                "b.created_at, b.file_name FROM revisions r JOIN batches b ON b.id = r.batch_id "
                "WHERE r.indicator_code IN (SELECT unnest(?)) "
                "AND r.region_code IN (SELECT unnest(?)) "
                "ORDER BY b.id DESC, r.indicator_code, r.region_code, r.year",
                [list(indicator_codes), list(region_codes)]).df()

    def overwritten_since(self, batch_id: int) -> tuple[int, list[int]]:
        with self.connection() as con:
            rows = con.execute(
                "SELECT o.batch_id, count(*) FROM revisions r LEFT JOIN observations o "
                "USING (indicator_code, region_code, year) "
                "WHERE r.batch_id = ? AND o.batch_id IS DISTINCT FROM r.batch_id "
                "GROUP BY o.batch_id ORDER BY o.batch_id", [batch_id]).fetchall()
        return sum(n for _, n in rows), [b for b, _ in rows if b is not None]

    def restore_before(self, batch_id: int, undo_id: int) -> int:
        with self.connection() as con:
            # Each value the batch holds, with what the newest other live batch supplies for
            # its key (no row there: none does, and the value goes).
            con.execute(f"CREATE OR REPLACE TEMP TABLE fallback AS {FALLBACK_SQL}",
                        {"batch": batch_id})
            try:
                con.execute(
                    "INSERT INTO revisions SELECT $undo, indicator_code, region_code, year, "
                    "value, numerator, denominator, source, note, $batch, s_value, "
                    "s_numerator, s_denominator, s_source, s_note FROM fallback",
                    {"undo": undo_id, "batch": batch_id})
                con.execute(
                    "DELETE FROM observations o USING fallback f "
                    "WHERE o.indicator_code = f.indicator_code AND o.region_code = f.region_code "
                    "AND o.year = f.year AND f.s_batch IS NULL")
                con.execute(
                    "UPDATE observations o SET value = f.s_value, numerator = f.s_numerator, "
                    "denominator = f.s_denominator, source = f.s_source, note = f.s_note, "
                    "batch_id = f.s_batch FROM fallback f "
                    "WHERE o.indicator_code = f.indicator_code AND o.region_code = f.region_code "
                    "AND o.year = f.year AND f.s_batch IS NOT NULL")
                restored = fetch_one(con, "SELECT count(*) FROM fallback")
            finally:
                con.execute("DROP TABLE IF EXISTS fallback")
            con.execute("UPDATE batches SET undone_by = ? WHERE id = ?", [undo_id, batch_id])
            con.execute("UPDATE batches SET undoes = ?, n_changed = ? WHERE id = ?",
                        [batch_id, restored, undo_id])
        return restored


BATCH_CHANGES_SQL = """
SELECT r.indicator_code AS 指标代码, i.name AS 指标, i.unit AS 单位, r.region_code AS 地区代码,
       g.name AS 地区, r.year AS 年份, r.old_value AS 原值, r.new_value AS 新值
FROM revisions r
LEFT JOIN indicators i ON i.code = r.indicator_code
LEFT JOIN regions g ON g.code = r.region_code
WHERE r.batch_id = $batch
ORDER BY r.rowid
"""

# The values a batch holds, each beside the newest supply of its key by another batch that is
# still live (not undone, not an undo): what replaying the live batches in order would leave.
FALLBACK_SQL = """
SELECT o.indicator_code, o.region_code, o.year, o.value, o.numerator, o.denominator, o.source,
       o.note, s.batch_id AS s_batch, s.value AS s_value, s.numerator AS s_numerator,
       s.denominator AS s_denominator, s.source AS s_source, s.note AS s_note
FROM observations o
LEFT JOIN (
    SELECT s.* FROM supplies s JOIN batches b ON b.id = s.batch_id
    WHERE s.batch_id <> $batch AND b.undone_by IS NULL AND b.kind <> 'undo'
    QUALIFY row_number() OVER (PARTITION BY s.indicator_code, s.region_code, s.year
                               ORDER BY s.batch_id DESC) = 1
) s USING (indicator_code, region_code, year)
WHERE o.batch_id = $batch
"""
