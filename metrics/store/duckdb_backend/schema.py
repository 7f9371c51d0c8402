"""The DuckDB schema, its version and the migrations that bring an older file up to it.

Each migration is recorded with the time it ran (table schema_migrations); a database created
at the current version records that version as created then.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from metrics.errors import StoreError
from metrics.store.duckdb_backend.connection import RESTORE_HINT, fetch_one

SCHEMA_VERSION = 10

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP);
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
    main_target BOOLEAN, outline_name VARCHAR, PRIMARY KEY (plan_id, indicator_code));
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
CREATE TABLE IF NOT EXISTS supplies (
    batch_id INTEGER, indicator_code VARCHAR, region_code VARCHAR, year INTEGER, value DOUBLE,
    numerator DOUBLE, denominator DOUBLE, source VARCHAR, note VARCHAR);
CREATE TABLE IF NOT EXISTS revisions (
    batch_id INTEGER, indicator_code VARCHAR, region_code VARCHAR, year INTEGER,
    old_value DOUBLE, old_numerator DOUBLE, old_denominator DOUBLE, old_source VARCHAR,
    old_note VARCHAR, old_batch_id INTEGER, new_value DOUBLE, new_numerator DOUBLE,
    new_denominator DOUBLE, new_source VARCHAR, new_note VARCHAR);
CREATE TABLE IF NOT EXISTS users (
    name VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, region_code VARCHAR NOT NULL,
    view_region_code VARCHAR, password_hash VARCHAR NOT NULL, disabled BOOLEAN NOT NULL,
    created_at TIMESTAMP, password_changed_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS login_sessions (
    token_hash VARCHAR PRIMARY KEY, user_name VARCHAR, address VARCHAR, created_at TIMESTAMP,
    last_seen TIMESTAMP, ended_at TIMESTAMP, end_reason VARCHAR);
CREATE TABLE IF NOT EXISTS login_failures (user_name VARCHAR, address VARCHAR, failed_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS secrets (name VARCHAR PRIMARY KEY, value VARCHAR);
CREATE SEQUENCE IF NOT EXISTS audit_ids START 1;
CREATE TABLE IF NOT EXISTS audit_log (
    id BIGINT PRIMARY KEY, occurred_at TIMESTAMP, user_name VARCHAR, address VARCHAR,
    action VARCHAR, object VARCHAR, before_state VARCHAR, after_state VARCHAR, detail VARCHAR);
CREATE TABLE IF NOT EXISTS user_plans (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, short_name VARCHAR, domain VARCHAR,
    level VARCHAR, region_code VARCHAR NOT NULL, parent_plan VARCHAR NOT NULL,
    start_year INTEGER, baseline_year INTEGER, midterm_year INTEGER, target_year INTEGER,
    document VARCHAR, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS user_plan_indicators (
    plan_id VARCHAR, indicator_code VARCHAR, kind VARCHAR, value DOUBLE, tolerance DOUBLE,
    target_year INTEGER, milestone_year INTEGER, milestone_value DOUBLE, text VARCHAR,
    source VARCHAR, verified VARCHAR, confidence VARCHAR, evidence VARCHAR,
    lead_unit VARCHAR, supporting_units VARCHAR, contact VARCHAR, deadline VARCHAR,
    dropped_reason VARCHAR, PRIMARY KEY (plan_id, indicator_code));
CREATE TABLE IF NOT EXISTS plan_versions (
    plan_id VARCHAR, version INTEGER, changed_by VARCHAR, changed_at TIMESTAMP,
    summary VARCHAR, before_state VARCHAR, after_state VARCHAR,
    PRIMARY KEY (plan_id, version));
CREATE TABLE IF NOT EXISTS local_indicators (
    code VARCHAR PRIMARY KEY, plan_id VARCHAR NOT NULL, outline_id VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    sort_order INTEGER, name VARCHAR NOT NULL, aliases VARCHAR, unit VARCHAR NOT NULL,
    direction VARCHAR NOT NULL, decimals INTEGER, valid_min DOUBLE, valid_max DOUBLE,
    definition VARCHAR, data_source VARCHAR, lead_department VARCHAR,
    supporting_departments VARCHAR, note VARCHAR);
"""
# Upgrades of an existing database, by the version each leaves it at; applied in order, in one
# transaction, never losing stored values.
MIGRATIONS = {
    # revisions loses its primary key: maintaining that index was a fifth of committing a large
    # upload (1M values: 5.4 → 4.2 s). Each (batch, key) is still written once: a batch's rows
    # are unique by observations' own key.
    2: """
CREATE TABLE revisions_v2 AS SELECT * FROM revisions;
DROP TABLE revisions;
ALTER TABLE revisions_v2 RENAME TO revisions;
""",
    # schema_migrations records when each version was reached (created by SCHEMA below).
    3: "",
    # supplies: every value each batch supplied, changed or not, so that an undo falls back to
    # the newest live batch still supplying a value instead of deleting it. Earlier batches are
    # known to supply what they wrote (their revisions); what they supplied unchanged is lost.
    4: """
CREATE TABLE supplies AS SELECT r.batch_id, r.indicator_code, r.region_code, r.year,
    r.new_value AS value, r.new_numerator AS numerator, r.new_denominator AS denominator,
    r.new_source AS source, r.new_note AS note
FROM revisions r JOIN batches b ON b.id = r.batch_id
WHERE b.kind <> 'undo' AND r.new_value IS NOT NULL;
""",
    # users, login sessions, failed logins, secrets and the audit log (created by SCHEMA).
    5: "",
    # The name an outline uses for an indicator (学前三年毛入园率 in the 2011–2020 outlines);
    # init fills it from data/plan_indicators.csv.
    6: "ALTER TABLE plan_indicators ADD COLUMN IF NOT EXISTS outline_name VARCHAR;",
    # 7: reporting periods (REPORTING_SCHEMA below).
    # Local plans created by users (user_plans, user_plan_indicators: their targets and
    # responsibilities) and every version of each (plan_versions), created by SCHEMA. They live
    # apart from the plans and targets tables, which init replaces from data/.
    8: "",
    # Why a plan does not monitor an indicator its outline lists (NULL while it does): the
    # plan page drops an indicator and restores it, keeping its target for the restore. (A
    # database older than 8 has no such table yet: SCHEMA creates it with the column.)
    9: "ALTER TABLE IF EXISTS user_plan_indicators ADD COLUMN IF NOT EXISTS dropped_reason "
       "VARCHAR;",
    # Indicators local plans define themselves (local_indicators, created by SCHEMA); like
    # user_plans, init never touches them.
    10: "",
}

# Reporting periods (issue 13): each (outline, region, year)'s state, with who moved it there
# and when, and an append-only history of every step (who, when, action, comment, and the
# indicators missing at a submission, as a JSON list). Version 7 creates only its own tables.
REPORTING_SCHEMA = """
CREATE TABLE IF NOT EXISTS reporting_periods (
    outline_id VARCHAR, region_code VARCHAR, year INTEGER, state VARCHAR NOT NULL,
    submitted_by VARCHAR, submitted_at TIMESTAMP, approved_by VARCHAR, approved_at TIMESTAMP,
    locked_by VARCHAR, locked_at TIMESTAMP, updated_by VARCHAR, updated_at TIMESTAMP,
    PRIMARY KEY (outline_id, region_code, year));
CREATE SEQUENCE IF NOT EXISTS period_event_ids START 1;
CREATE TABLE IF NOT EXISTS period_history (
    id BIGINT PRIMARY KEY, outline_id VARCHAR, region_code VARCHAR, year INTEGER,
    action VARCHAR, from_state VARCHAR, to_state VARCHAR, user_name VARCHAR,
    occurred_at TIMESTAMP, comment VARCHAR, missing VARCHAR);
"""
SCHEMA += REPORTING_SCHEMA
MIGRATIONS[7] = REPORTING_SCHEMA


def create_schema(con: duckdb.DuckDBPyConnection) -> int | None:
    """Create every table if missing, upgrade an older database, and record the schema
    version; safe to repeat. Returns the version found (None: an empty database)."""
    found = schema_version(con)
    if found is not None and found > SCHEMA_VERSION:
        raise schema_mismatch(found)
    if found is not None and found < SCHEMA_VERSION:
        migrate(con, found)
    if found is None:
        con.execute("BEGIN TRANSACTION")
        con.execute(SCHEMA)
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        con.execute("INSERT INTO schema_migrations VALUES (?, now())", [SCHEMA_VERSION])
        con.execute("COMMIT")
    return found


def migrate(con: duckdb.DuckDBPyConnection, found: int) -> None:
    """Bring a database of schema version `found` up to SCHEMA_VERSION, all steps or none."""
    con.execute("BEGIN TRANSACTION")
    try:
        steps = range(found + 1, SCHEMA_VERSION + 1)
        for version in steps:
            if MIGRATIONS[version]:
                con.execute(MIGRATIONS[version])
        con.execute(SCHEMA)  # tables added since, schema_migrations among them
        for version in steps:
            con.execute("INSERT INTO schema_migrations VALUES (?, now())", [version])
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                    [str(SCHEMA_VERSION)])
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The stored schema version, or None for an empty database."""
    if not fetch_one(con, "SELECT count(*) FROM information_schema.tables "
                          "WHERE table_name = 'meta'"):
        return None
    rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    if not rows:
        return None
    if not str(rows[0][0]).isdigit():
        raise StoreError(f"数据库记录的结构版本「{rows[0][0]}」无效，该文件可能已损坏。",
                         hint=RESTORE_HINT)
    return int(rows[0][0])


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


def migrations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """version, applied_at, oldest first."""
    return con.execute("SELECT version, applied_at FROM schema_migrations "
                       "ORDER BY version").df()


def holds_catalogue(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the current schema is there with indicators loaded."""
    return schema_version(con) == SCHEMA_VERSION and bool(
        fetch_one(con, "SELECT count(*) FROM indicators"))
