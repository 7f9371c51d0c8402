"""The DuckDB store: the only module that imports duckdb or holds SQL.

Connections. DuckDB lets one process hold a database file; the command line and the running app
share one file. So nothing keeps the file open between units of work: `session(path)` opens a
connection, yields it, and closes it. Inside one process DuckDB caches the open database, so
concurrent sessions of the app (one per Streamlit thread) share it, each on its own connection,
which also keeps DuckDB 2.0's "one connection, one thread" rule. A session that finds the file
held by another process retries until `store.busy_timeout_seconds`, then raises StoreBusyError
naming the holder.

Every statement is parameterised; table and column names come only from constants here.
"""
from __future__ import annotations

import re
import time
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from metrics import config
from metrics.errors import StoreBusyError, StoreError

SCHEMA_VERSION = 2
CONNECT_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS units (
    unit VARCHAR PRIMARY KEY, name VARCHAR, kind VARCHAR, per DOUBLE,
    default_min DOUBLE, default_max DOUBLE);
CREATE TABLE IF NOT EXISTS plans (
    id VARCHAR PRIMARY KEY, name VARCHAR, short_name VARCHAR, domain VARCHAR, level VARCHAR,
    region_code VARCHAR, parent_plan VARCHAR, start_year INTEGER, baseline_year INTEGER,
    midterm_year INTEGER, target_year INTEGER, document VARCHAR);
CREATE TABLE IF NOT EXISTS areas (
    plan_id VARCHAR, area_code VARCHAR, name VARCHAR, sort_order INTEGER,
    PRIMARY KEY (plan_id, area_code));
CREATE TABLE IF NOT EXISTS indicators (
    code VARCHAR PRIMARY KEY, name VARCHAR, aliases VARCHAR, name_en VARCHAR, unit VARCHAR,
    direction VARCHAR, decimals INTEGER, valid_min DOUBLE, valid_max DOUBLE,
    definition VARCHAR, data_source VARCHAR, lead_department VARCHAR,
    supporting_departments VARCHAR, statistical_year VARCHAR, note VARCHAR);
CREATE TABLE IF NOT EXISTS plan_indicators (
    plan_id VARCHAR, area_code VARCHAR, indicator_code VARCHAR, sort_order INTEGER,
    main_target BOOLEAN, PRIMARY KEY (plan_id, indicator_code));
CREATE TABLE IF NOT EXISTS targets (
    plan_id VARCHAR, indicator_code VARCHAR, kind VARCHAR, value DOUBLE, tolerance DOUBLE,
    target_year INTEGER, milestone_year INTEGER, milestone_value DOUBLE, text VARCHAR,
    source VARCHAR, verified VARCHAR, confidence VARCHAR, evidence VARCHAR,
    PRIMARY KEY (plan_id, indicator_code));
CREATE TABLE IF NOT EXISTS regions (
    code VARCHAR PRIMARY KEY, name VARCHAR, short_name VARCHAR, level VARCHAR,
    parent_code VARCHAR, sort_order INTEGER, is_demo BOOLEAN);
CREATE SEQUENCE IF NOT EXISTS batch_ids START 1;
CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY, kind VARCHAR, user_name VARCHAR, created_at TIMESTAMP,
    file_name VARCHAR, sha256 VARCHAR, sheet VARCHAR, n_new INTEGER, n_changed INTEGER,
    n_unchanged INTEGER, note VARCHAR, undoes INTEGER, undone_by INTEGER);
CREATE TABLE IF NOT EXISTS batch_files (batch_id INTEGER PRIMARY KEY, content BLOB);
CREATE TABLE IF NOT EXISTS observations (
    indicator_code VARCHAR, region_code VARCHAR, year INTEGER, value DOUBLE,
    numerator DOUBLE, denominator DOUBLE, source VARCHAR, note VARCHAR, batch_id INTEGER,
    PRIMARY KEY (indicator_code, region_code, year));
CREATE TABLE IF NOT EXISTS focus_items (
    outline_id VARCHAR, region_code VARCHAR, indicator_code VARCHAR, reason VARCHAR,
    measures VARCHAR, deadline VARCHAR, responsible VARCHAR, updated_by VARCHAR,
    updated_at TIMESTAMP, PRIMARY KEY (outline_id, region_code, indicator_code));
CREATE TABLE IF NOT EXISTS revisions (
    batch_id INTEGER, indicator_code VARCHAR, region_code VARCHAR, year INTEGER,
    old_value DOUBLE, old_numerator DOUBLE, old_denominator DOUBLE, old_source VARCHAR,
    old_note VARCHAR, old_batch_id INTEGER, new_value DOUBLE, new_numerator DOUBLE,
    new_denominator DOUBLE, new_source VARCHAR, new_note VARCHAR);
"""
# Upgrades of an existing database, by the version each leaves it at; applied in order, in one
# transaction, by `init` (and the app's first start), never losing stored values.
MIGRATIONS = {
    # revisions loses its primary key: maintaining that index was a fifth of committing a large
    # upload (1M values: 5.4 → 4.2 s). Each (batch, key) is still written once: a batch's rows
    # are unique by observations' own key.
    2: """
CREATE TABLE revisions_v2 AS SELECT * FROM revisions;
DROP TABLE revisions;
ALTER TABLE revisions_v2 RENAME TO revisions;
""",
}

CATALOGUE_TABLES = ("units", "plans", "areas", "indicators", "plan_indicators", "targets",
                    "regions")
OBSERVATION_KEY = ["indicator_code", "region_code", "year"]
OBSERVATION_FIELDS = ["value", "numerator", "denominator", "source", "note"]
# Batch kinds written by `init` from data/; rows they wrote may be refreshed by a later init.
SEED_KINDS = ("seed",)
LOCK_MESSAGE = re.compile(r"lock", re.IGNORECASE)


# Results are always fetched with fetchall(): a half-read result keeps a DuckDB 2.0 connection
# busy, and the next statement on it fails.

# --- connections -----------------------------------------------------------------------------

def open_connection(path: Path | str, timeout: float | None = None) -> duckdb.DuckDBPyConnection:
    """Connect to the file, waiting while another process holds it."""
    settings = config.settings().store
    timeout = settings.busy_timeout_seconds if timeout is None else timeout
    zone = time_zone(settings.time_zone)
    deadline = time.monotonic() + timeout
    while True:
        try:
            con = duckdb.connect(str(path), config=CONNECT_CONFIG)
            con.execute(f"SET TimeZone = '{zone}'")
            return con
        except duckdb.IOException as exc:
            if not LOCK_MESSAGE.search(str(exc)) or time.monotonic() >= deadline:
                raise busy_error(path, exc) from exc
            time.sleep(0.2)


def time_zone(name: str) -> str:
    """An IANA zone name, checked (SET takes no parameters, so it is never spliced in raw)."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise StoreError(f"设置中的时区「{name}」无效，应为如 Asia/Shanghai 的时区名。") from exc
    return name


def busy_error(path: Path | str, exc: Exception) -> StoreError:
    """A Chinese message naming the process that holds the file, if DuckDB told us."""
    holder = re.search(r"PID (\d+)", str(exc))
    if not LOCK_MESSAGE.search(str(exc)):
        return StoreError(f"无法打开数据库 {path}：{exc}")
    who = f"进程 {holder.group(1)}" if holder else "另一个进程"
    return StoreBusyError(f"数据库 {path} 正被{who}占用（可能是正在运行的应用或另一条命令），"
                          "请稍后重试。")


@contextmanager
def session(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """One unit of work: a connection to an initialised store, closed afterwards."""
    con = open_connection(path or config.db_path())
    try:
        check_schema(con)
        yield con
    finally:
        con.close()


@contextmanager
def transaction(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A unit of work that commits all its writes or none of them."""
    con = open_connection(path or config.db_path())
    try:
        create_schema(con)
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    finally:
        con.close()


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table if missing, upgrade an older database, and record the schema
    version; safe to repeat."""
    found = schema_version(con)
    if found is not None and found > SCHEMA_VERSION:
        raise schema_mismatch(found)
    if found is not None and found < SCHEMA_VERSION:
        migrate(con, found)
    con.execute(SCHEMA)
    if found is None:
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


def migrate(con: duckdb.DuckDBPyConnection, found: int) -> None:
    """Bring a database of schema version `found` up to SCHEMA_VERSION, all steps or none."""
    con.execute("BEGIN TRANSACTION")
    try:
        for version in range(found + 1, SCHEMA_VERSION + 1):
            con.execute(MIGRATIONS[version])
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                    [str(SCHEMA_VERSION)])
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The stored schema version, or None for an empty database."""
    exists = con.execute("SELECT count(*) FROM information_schema.tables "
                         "WHERE table_name = 'meta'").fetchall()[0][0]
    if not exists:
        return None
    rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    return int(rows[0][0]) if rows else None


def check_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse a database that `init` has not built, or built by another version."""
    found = schema_version(con)
    if found != SCHEMA_VERSION:
        raise schema_mismatch(found)


def schema_mismatch(found: int | None) -> StoreError:
    """What to do about a database of schema version `found` (None: not initialised)."""
    if found is None:
        return StoreError("数据库尚未初始化，请先运行 python -m metrics init。")
    if found < SCHEMA_VERSION:
        return StoreError(f"数据库结构版本为 {found}，本程序需要 {SCHEMA_VERSION}："
                          "请运行 python -m metrics init 升级（已有数据会保留）。")
    return StoreError(f"数据库结构版本为 {found}，高于本程序的 {SCHEMA_VERSION}，请升级程序。")


def is_initialised(path: Path | str) -> bool:
    """Whether the file exists and holds a catalogue."""
    if not Path(path).exists():
        return False
    con = open_connection(path)
    try:
        return schema_version(con) == SCHEMA_VERSION and bool(
            con.execute("SELECT count(*) FROM indicators").fetchall()[0][0])
    finally:
        con.close()


# --- catalogue -------------------------------------------------------------------------------

def read_table(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    """A whole catalogue table as a frame."""
    if table not in CATALOGUE_TABLES:
        raise ValueError(table)
    return con.execute(f"SELECT * FROM {table}").df()


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Replace a catalogue table's rows with the frame's (same column names)."""
    if table not in CATALOGUE_TABLES:
        raise ValueError(table)
    con.execute(f"DELETE FROM {table}")
    con.register("incoming", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
    finally:
        con.unregister("incoming")


# --- batches and observations ----------------------------------------------------------------

def create_batch(con: duckdb.DuckDBPyConnection, kind: str, user_name: str, note: str,
                 file_name: str | None = None, sha256: str | None = None,
                 sheet: str | None = None) -> int:
    """Record a new batch and return its id (counts are filled in by write_observations)."""
    return con.execute(
        "INSERT INTO batches (id, kind, user_name, created_at, file_name, sha256, sheet, note) "
        "VALUES (nextval('batch_ids'), ?, ?, now(), ?, ?, ?, ?) RETURNING id",
        [kind, user_name, file_name, sha256, sheet, note]).fetchall()[0][0]


def read_current(con: duckdb.DuckDBPyConnection, keys: pd.DataFrame) -> pd.DataFrame:
    """Stored observations (with the writing batch's kind) for the given keys."""
    con.register("wanted", keys[OBSERVATION_KEY].drop_duplicates())
    try:
        return con.execute(
            "SELECT o.*, b.kind AS batch_kind FROM observations o "
            "JOIN wanted w USING (indicator_code, region_code, year) "
            "LEFT JOIN batches b ON b.id = o.batch_id").df()
    finally:
        con.unregister("wanted")


def write_observations(con: duckdb.DuckDBPyConnection, batch_id: int, new: pd.DataFrame,
                       changed: pd.DataFrame, counts: dict[str, int]) -> None:
    """Write, under the batch, values not stored yet (`new`) and values that replace stored ones
    (`changed`), keeping every replaced value in `revisions`; record the batch's counts. The
    caller diffs inside the same transaction, so new rows take a plain INSERT with no lookup
    (an upsert cost a second more per million rows); were one stored after all, the key
    refuses it and the whole transaction rolls back."""
    insert_new(con, batch_id, new)
    replace_changed(con, batch_id, changed)
    con.execute("UPDATE batches SET n_new = ?, n_changed = ?, n_unchanged = ? WHERE id = ?",
                [counts["new"], counts["changed"], counts["unchanged"], batch_id])


@contextmanager
def registered_rows(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame,
                    batch_id: int) -> Iterator[None]:
    """The rows' observation columns, under the batch, as the view `incoming` for the block."""
    con.register("incoming", rows[OBSERVATION_KEY + OBSERVATION_FIELDS].assign(batch_id=batch_id))
    try:
        yield
    finally:
        con.unregister("incoming")


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


def bump_catalogue_revision(con: duckdb.DuckDBPyConnection) -> None:
    """Record that the catalogue changed, so cached copies in the app are refreshed."""
    con.execute("INSERT INTO meta VALUES ('catalogue_revision', '1') ON CONFLICT (key) "
                "DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS VARCHAR)")


def data_version(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(catalogue revision, latest batch id): changes whenever anything the pages show changes."""
    row = con.execute(
        "SELECT (SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM meta "
        "        WHERE key = 'catalogue_revision'), "
        "       (SELECT coalesce(max(id), 0) FROM batches)").fetchall()[0]
    return int(row[0]), int(row[1])


def count_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of the main tables, for the CLI's summary."""
    tables = CATALOGUE_TABLES + ("observations", "batches", "revisions")
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}


# --- reads for pages -------------------------------------------------------------------------

def fetch_observations(con: duckdb.DuckDBPyConnection, indicator_codes: list[str],
                       region_codes: list[str]) -> pd.DataFrame:
    """All years of the given indicators in the given regions, oldest first."""
    return con.execute(
        "SELECT o.indicator_code, o.region_code, o.year, o.value, o.numerator, o.denominator, "
        "o.source, o.note, o.batch_id FROM observations o "
        "WHERE o.indicator_code IN (SELECT unnest(?)) AND o.region_code IN (SELECT unnest(?)) "
        "ORDER BY o.indicator_code, o.region_code, o.year",
        [indicator_codes, region_codes]).df()


def fetch_region_years(con: duckdb.DuckDBPyConnection, region_code: str) -> list[int]:
    """Years that hold at least one value for the region, newest first."""
    rows = con.execute("SELECT DISTINCT year FROM observations WHERE region_code = ? "
                       "ORDER BY year DESC", [region_code]).fetchall()
    return [r[0] for r in rows]


def fetch_revisions(con: duckdb.DuckDBPyConnection, indicator_code: str,
                    region_code: str) -> pd.DataFrame:
    """Every recorded change of an indicator's values in a region, newest first, with the
    batch that made it."""
    return con.execute(
        "SELECT r.year, r.old_value, r.new_value, r.old_source, r.new_source, r.batch_id, "
        "b.kind AS batch_kind, b.user_name, b.created_at, b.file_name FROM revisions r "
        "JOIN batches b ON b.id = r.batch_id "
        "WHERE r.indicator_code = ? AND r.region_code = ? ORDER BY b.id DESC, r.year",
        [indicator_code, region_code]).df()


# One pass over the observations: a single GROUP BY gives the last N points (the newest is the
# latest value), the latest counts and the baseline (exact year first, then the earlier, then
# the later neighbour); the least squares line through the last N points is then computed in
# closed form on years counted from 2000 (for precision). It groups by the numbers of the codes
# in the lists asked for, not by two text columns. Cheaper than a window function or joined
# sub-queries at national scale (BENCHMARKS.md).
EVALUATION_INPUTS_SQL = """
WITH asked_indicators AS (
    SELECT unnest($indicators) AS indicator_code,
           generate_subscripts($indicators, 1) - 1 AS indicator_number),
asked_regions AS (
    SELECT unnest($regions) AS region_code, generate_subscripts($regions, 1) - 1 AS region_number),
series AS (
    SELECT indicator_number, region_number,
           max(CAST(year - 2000 AS DOUBLE), $points) AS xs, max_by(value, year, $points) AS ys,
           arg_max(numerator, year) AS latest_numerator,
           arg_max(denominator, year) AS latest_denominator,
           arg_min(year, abs(year - $baseline) * 10 + CAST(year > $baseline AS INTEGER))
               FILTER (abs(year - $baseline) <= $window) AS baseline_year_used,
           arg_min(value, abs(year - $baseline) * 10 + CAST(year > $baseline AS INTEGER))
               FILTER (abs(year - $baseline) <= $window) AS baseline_value
    FROM observations
    JOIN asked_indicators USING (indicator_code)
    JOIN asked_regions USING (region_code)
    WHERE value IS NOT NULL AND year <= $year
    GROUP BY ALL),
sums AS (
    SELECT indicator_number, region_number, CAST(xs[1] AS INTEGER) + 2000 AS latest_year,
           ys[1] AS latest_value, latest_numerator, latest_denominator, baseline_year_used,
           baseline_value, len(xs) AS trend_points, list_sum(xs) AS sx, list_sum(ys) AS sy,
           (len(xs) * list_dot_product(xs, ys) - list_sum(xs) * list_sum(ys))
               / nullif(len(xs) * list_dot_product(xs, xs) - list_sum(xs) ^ 2, 0) AS trend_slope
    FROM series)
SELECT * EXCLUDE (sx, sy),
       (sy - trend_slope * sx) / trend_points - trend_slope * 2000 AS trend_intercept
FROM sums
"""


def fetch_evaluation_inputs(con: duckdb.DuckDBPyConnection, indicator_codes: list[str],
                            region_codes: list[str], year: int, baseline_year: int,
                            baseline_window: int, trend_points: int) -> pd.DataFrame:
    """Per (indicator, region), in one pass over the observations up to `year`: the latest
    value (with its year and counts), the baseline value (nearest year within the window), and
    the least-squares trend over the last `trend_points` values.

    indicator_code and region_code are categoricals over the codes asked for: the query groups
    by their numbers rather than by two text columns, and no code is copied to every row."""
    indicators, regions = list(dict.fromkeys(indicator_codes)), list(dict.fromkeys(region_codes))
    frame = con.execute(EVALUATION_INPUTS_SQL, {
        "indicators": indicators, "regions": regions, "year": year, "baseline": baseline_year,
        "window": baseline_window, "points": trend_points}).df()
    frame.insert(0, "indicator_code",
                 pd.Categorical.from_codes(frame.pop("indicator_number"), indicators))
    frame.insert(1, "region_code", pd.Categorical.from_codes(frame.pop("region_number"), regions))
    return frame


FOCUS_FIELDS = ["reason", "measures", "deadline", "responsible"]


def fetch_focus_items(con: duckdb.DuckDBPyConnection, outline_id: str,
                      region_codes: list[str]) -> pd.DataFrame:
    """Notes on 重点难点指标 (原因, 整改措施, 时限, 责任单位) kept for an outline's regions."""
    return con.execute(
        "SELECT region_code, indicator_code, reason, measures, deadline, responsible, "
        "updated_by, updated_at FROM focus_items "
        "WHERE outline_id = ? AND region_code IN (SELECT unnest(?))",
        [outline_id, region_codes]).df()


def save_focus_items(con: duckdb.DuckDBPyConnection, outline_id: str, region_code: str,
                     items: pd.DataFrame, user_name: str) -> None:
    """Upsert the notes of one region (columns: indicator_code + FOCUS_FIELDS); rows whose
    fields are all empty are removed."""
    items = items[["indicator_code", *FOCUS_FIELDS]].assign(
        outline_id=outline_id, region_code=region_code, updated_by=user_name)
    filled = items[FOCUS_FIELDS].fillna("").astype(str).apply(lambda c: c.str.strip()).ne("")
    con.register("incoming", items[filled.any(axis=1)])
    try:
        con.execute("DELETE FROM focus_items WHERE outline_id = ? AND region_code = ? "
                    "AND indicator_code IN (SELECT unnest(?))",
                    [outline_id, region_code, list(items["indicator_code"])])
        con.execute("INSERT INTO focus_items BY NAME SELECT *, now() AS updated_at FROM incoming")
    finally:
        con.unregister("incoming")


# --- upload batches --------------------------------------------------------------------------

def save_batch_file(con: duckdb.DuckDBPyConnection, batch_id: int, content: bytes) -> None:
    """Keep the original uploaded file with its batch."""
    con.execute("INSERT INTO batch_files VALUES (?, ?)", [batch_id, content])


def fetch_batch_file(con: duckdb.DuckDBPyConnection, batch_id: int) -> bytes | None:
    """The original file of a batch, if one was kept."""
    rows = con.execute("SELECT content FROM batch_files WHERE batch_id = ?",
                       [batch_id]).fetchall()
    return bytes(rows[0][0]) if rows else None


def find_live_batch(con: duckdb.DuckDBPyConnection, sha256: str,
                    sheet: str | None = None) -> int | None:
    """The batch, not undone, that imported this sheet of the file with this SHA-256 (another
    sheet of the same workbook is a different import)."""
    row = con.execute("SELECT id FROM batches WHERE sha256 = ? AND undone_by IS NULL "
                      "AND kind = 'upload' AND sheet IS NOT DISTINCT FROM ? ORDER BY id LIMIT 1",
                      [sha256, sheet]).fetchall()
    return row[0][0] if row else None


def fetch_batches(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every batch, newest first."""
    return con.execute("SELECT * FROM batches ORDER BY id DESC").df()


def fetch_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> dict | None:
    """One batch as a dict, or None."""
    frame = con.execute("SELECT * FROM batches WHERE id = ?", [batch_id]).df()
    return None if frame.empty else frame.iloc[0].to_dict()


def fetch_batch_changes(con: duckdb.DuckDBPyConnection, batch_id: int) -> pd.DataFrame:
    """The values a batch wrote, each with the value it replaced."""
    return con.execute(
        "SELECT indicator_code, region_code, year, old_value, new_value, old_batch_id "
        "FROM revisions WHERE batch_id = ? ORDER BY indicator_code, region_code, year",
        [batch_id]).df()


def overwritten_since(con: duckdb.DuckDBPyConnection, batch_id: int) -> tuple[int, list[int]]:
    """How many values of the batch a later batch has changed or removed since (undo would
    lose that work), and the ids of the later batches now holding them."""
    rows = con.execute(
        "SELECT o.batch_id, count(*) FROM revisions r LEFT JOIN observations o "
        "USING (indicator_code, region_code, year) "
        "WHERE r.batch_id = ? AND o.batch_id IS DISTINCT FROM r.batch_id "
        "GROUP BY o.batch_id ORDER BY o.batch_id", [batch_id]).fetchall()
    return sum(n for _, n in rows), [b for b, _ in rows if b is not None]


def restore_before(con: duckdb.DuckDBPyConnection, batch_id: int, undo_id: int) -> int:
    """Put back every value the batch replaced and remove the values it introduced, recording
    each change under the undo batch. Runs inside the caller's transaction; returns the count."""
    con.execute(
        "INSERT INTO revisions SELECT ?, o.indicator_code, o.region_code, o.year, o.value, "
        "o.numerator, o.denominator, o.source, o.note, o.batch_id, r.old_value, "
        "r.old_numerator, r.old_denominator, r.old_source, r.old_note "
        "FROM revisions r JOIN observations o USING (indicator_code, region_code, year) "
        "WHERE r.batch_id = ?", [undo_id, batch_id])
    con.execute(
        "DELETE FROM observations o USING revisions r WHERE r.batch_id = ? "
        "AND o.indicator_code = r.indicator_code AND o.region_code = r.region_code "
        "AND o.year = r.year AND r.old_value IS NULL AND r.old_batch_id IS NULL", [batch_id])
    con.execute(
        "UPDATE observations o SET value = r.old_value, numerator = r.old_numerator, "
        "denominator = r.old_denominator, source = r.old_source, note = r.old_note, "
        "batch_id = r.old_batch_id FROM revisions r WHERE r.batch_id = ? "
        "AND o.indicator_code = r.indicator_code AND o.region_code = r.region_code "
        "AND o.year = r.year AND r.old_batch_id IS NOT NULL", [batch_id])
    restored = con.execute("SELECT count(*) FROM revisions WHERE batch_id = ?",
                           [undo_id]).fetchall()[0][0]
    con.execute("UPDATE batches SET undone_by = ? WHERE id = ?", [undo_id, batch_id])
    con.execute("UPDATE batches SET undoes = ?, n_changed = ? WHERE id = ?",
                [batch_id, restored, undo_id])
    return restored
