"""What the store does, whatever holds the data: the `Store` interface.

Domain code (sync, evaluation, uploads, reports, page data) receives a Store and calls these
methods; it never sees a connection, a file path or SQL. A backend (DuckDB today, PostgreSQL
next) implements every method; tests/test_store_contract.py holds each backend to the same
behaviour.

Units of work. Called on a store as opened, each method is its own unit of work: it connects,
runs all or nothing, and lets go of the database. `session()` gives a store bound to one
connection for several reads; `transaction()` one whose writes are committed together at the
end of the block, or none of them if it raises.
"""
from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from pathlib import Path

import pandas as pd

CATALOGUE_TABLES = ("units", "plans", "areas", "indicators", "plan_indicators", "targets",
                    "regions")
OBSERVATION_KEY = ["indicator_code", "region_code", "year"]
OBSERVATION_FIELDS = ["value", "numerator", "denominator", "source", "note"]
# Batch kinds written by `init` from data/; rows they wrote may be refreshed by a later init.
SEED_KINDS = ("seed",)
# 重点难点 note fields (原因, 整改措施, 时限, 责任单位).
FOCUS_FIELDS = ["reason", "measures", "deadline", "responsible"]
# A user record; times are the store's local time (naive), as every time in the store.
USER_FIELDS = ["name", "role", "region_code", "view_region_code", "password_hash", "disabled",
               "created_at", "password_changed_at"]
LOGIN_SESSION_FIELDS = ["token_hash", "user_name", "address", "created_at", "last_seen",
                        "ended_at", "end_reason"]
# A local plan created by a user (the columns of catalogue plans, and its version number) and
# one indicator of it: its target (the columns of catalogue targets; kind empty when the plan
# only assigns responsibility and inherits the target), its 目标责任分解, and why the plan does
# not monitor it (dropped_reason; empty while it does).
USER_PLAN_FIELDS = ["id", "name", "short_name", "domain", "level", "region_code", "parent_plan",
                    "start_year", "baseline_year", "midterm_year", "target_year", "document",
                    "version"]
USER_PLAN_INDICATOR_FIELDS = [
    "plan_id", "indicator_code", "kind", "value", "tolerance", "target_year", "milestone_year",
    "milestone_value", "text", "source", "verified", "confidence", "evidence", "lead_unit",
    "supporting_units", "contact", "deadline", "dropped_reason"]
# An indicator a local plan defines itself (a grassroots work metric: 「妇女之家」覆盖率): the
# columns of a catalogue indicator, the plan that defines it, that plan's outline (whose
# reporting periods lock its values) and where it sits there (area, order within the area). Its
# target and responsibilities are a row of user_plan_indicators like any other of the plan.
LOCAL_INDICATOR_FIELDS = [
    "code", "plan_id", "outline_id", "area_code", "sort_order", "name", "aliases", "unit",
    "direction", "decimals", "valid_min", "valid_max", "definition", "data_source",
    "lead_department", "supporting_departments", "note"]
PLAN_VERSION_FIELDS = ["plan_id", "version", "changed_by", "changed_at", "summary",
                       "before_state", "after_state"]
AUDIT_FIELDS = ["id", "occurred_at", "user_name", "address", "action", "object", "before_state",
                "after_state", "detail"]
# Reporting periods, (outline, region, year): the states in the order a period moves up them
# (metrics/reporting.py has the rules); reaching a state records who and when in its stamp
# (submitted_by/at …), and a step back clears the stamps above the state it returns to.
PERIOD_STATES = ("open", "submitted", "approved", "locked")
PERIOD_FIELDS = ["outline_id", "region_code", "year", "state", "submitted_by", "submitted_at",
                 "approved_by", "approved_at", "locked_by", "locked_at", "updated_by",
                 "updated_at"]
PERIOD_EVENT_FIELDS = ["id", "outline_id", "region_code", "year", "action", "from_state",
                       "to_state", "user_name", "occurred_at", "comment", "missing"]
# An observation key held by a locked period: the key, the period's outline, who locked it.
LOCKED_KEY_FIELDS = OBSERVATION_KEY + ["outline_id", "locked_by", "locked_at"]


class Store(ABC):
    """The store's whole surface. Frames come back with the column names documented here."""

    url: str

    # --- units of work ---------------------------------------------------------------------

    @abstractmethod
    def session(self) -> AbstractContextManager[Store]:
        """A store bound to one connection for the block (reads see one state of the data)."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Store]:
        """A store whose writes in the block are committed together, or not at all."""

    @abstractmethod
    def local_time(self) -> dt.datetime:
        """Now in the store's time zone, without the zone: the clock of every time the store
        records (batches, notes, users, sessions, the audit log)."""

    # --- schema ----------------------------------------------------------------------------

    @abstractmethod
    def initialise(self) -> int | None:
        """Create every table of an empty store, or upgrade an older one in place keeping
        every value; record each migration with the time it ran. Safe to repeat. Returns the
        schema version found before (None for an empty store)."""

    @abstractmethod
    def schema_version(self) -> int | None:
        """The stored schema version, None for an empty store."""

    @abstractmethod
    def is_initialised(self) -> bool:
        """Whether the store exists, has the current schema and holds a catalogue."""

    @abstractmethod
    def backup(self, directory: Path | str) -> Path:
        """Write a consistent copy of the whole store into `directory` (while others go on
        reading and writing) and return where it is."""

    @abstractmethod
    def migrations(self) -> pd.DataFrame:
        """version, applied_at: when each schema version was reached, oldest first."""

    # --- catalogue -------------------------------------------------------------------------

    @abstractmethod
    def read_table(self, table: str) -> pd.DataFrame:
        """A whole catalogue table (one of CATALOGUE_TABLES)."""

    @abstractmethod
    def replace_table(self, table: str, frame: pd.DataFrame) -> None:
        """Replace a catalogue table's rows with the frame's (same column names)."""

    @abstractmethod
    def bump_catalogue_revision(self) -> None:
        """Record that the catalogue changed, so cached copies are refreshed."""

    @abstractmethod
    def data_version(self) -> tuple[int, int]:
        """(catalogue revision, latest batch id): changes whenever what pages show changes."""

    @abstractmethod
    def count_rows(self) -> dict[str, int]:
        """Rows per table: the catalogue tables, observations, batches, revisions."""

    # --- observations ----------------------------------------------------------------------

    @abstractmethod
    def read_current(self, keys: pd.DataFrame) -> pd.DataFrame:
        """The stored observations for these keys (OBSERVATION_KEY columns), each with every
        field, its batch_id and that batch's kind (batch_kind)."""

    @abstractmethod
    def write_observations(self, batch_id: int, new: pd.DataFrame, changed: pd.DataFrame,
                           counts: dict[str, int], unchanged: pd.DataFrame | None = None) -> None:
        """Under the batch, insert `new` values (keys with none stored) and replace stored ones
        with `changed`, keeping every replaced value in the revisions; record the counts
        (new, changed, unchanged). The batch supplies every value of the three frames
        (`unchanged`: values equal to the stored ones, not rewritten), which an undo of
        another batch falls back to. A `changed` key with no stored value raises StoreError
        and nothing is written."""

    @abstractmethod
    def fetch_observations(self, indicator_codes: list[str],
                           region_codes: list[str]) -> pd.DataFrame:
        """Every year of the indicators in the regions, ordered by indicator, region, year:
        OBSERVATION_KEY + OBSERVATION_FIELDS + batch_id."""

    @abstractmethod
    def fetch_region_years(self, region_code: str) -> list[int]:
        """Years holding at least one value for the region, newest first."""

    @abstractmethod
    def fetch_evaluation_inputs(self, indicator_codes: list[str], region_codes: list[str],
                                year: int, baseline_year: int, baseline_window: int,
                                trend_points: int) -> pd.DataFrame:
        """Per (indicator, region) holding a value at or before `year`: latest_year,
        latest_value, and latest_numerator and latest_denominator stored with that value (NA
        when its year has none); baseline_year_used and
        baseline_value (the baseline year, else the earlier, else the later neighbour within
        the window); trend_points, trend_slope, trend_intercept (least squares over the last
        `trend_points` values, slope per year, intercept at year 0). indicator_code and
        region_code are categoricals over the distinct codes asked for, in the order asked."""

    # --- batches and revisions -------------------------------------------------------------

    @abstractmethod
    def create_batch(self, kind: str, user_name: str, note: str, file_name: str | None = None,
                     sha256: str | None = None, sheet: str | None = None) -> int:
        """Record a new batch, timed now in the store's time zone; return its id (ids grow)."""

    @abstractmethod
    def save_batch_file(self, batch_id: int, content: bytes) -> None:
        """Keep a batch's original file."""

    @abstractmethod
    def fetch_batch_file(self, batch_id: int) -> bytes | None:
        """A batch's original file, None if none was kept."""

    @abstractmethod
    def find_live_batch(self, sha256: str, sheet: str | None = None) -> int | None:
        """The upload batch, not undone, that imported this sheet of the file with this
        SHA-256 (another sheet of the same workbook is another import)."""

    @abstractmethod
    def fetch_batches(self) -> pd.DataFrame:
        """Every batch, newest first: id, kind, user_name, created_at, file_name, sha256,
        sheet, n_new, n_changed, n_unchanged, note, undoes, undone_by."""

    @abstractmethod
    def fetch_batch(self, batch_id: int) -> dict | None:
        """One batch (the columns of fetch_batches) as a dict, None if unknown."""

    @abstractmethod
    def fetch_batch_changes(self, batch_id: int) -> pd.DataFrame:
        """The values a batch wrote: OBSERVATION_KEY, old_value, new_value, old_batch_id."""

    @abstractmethod
    def count_batch_changes(self, batch_id: int) -> int:
        """How many values the batch wrote (the rows of fetch_batch_changes)."""

    @abstractmethod
    def fetch_batch_changes_page(self, batch_id: int, offset: int, limit: int) -> pd.DataFrame:
        """`limit` of the values the batch wrote, from the `offset`-th on, in the order it
        wrote them (the same order on every call): the columns of fetch_batch_changes."""

    @abstractmethod
    def write_batch_changes(self, batch_id: int, path: Path | str) -> int:
        """Write every value the batch wrote, in the order it wrote them, to a CSV file for
        Excel (UTF-8 with BOM) at `path`: 指标代码, 指标, 单位, 地区代码, 地区, 年份, 原值, 新值
        (numbers as stored; empty where there was none). Returns the number of rows."""

    @abstractmethod
    def fetch_revisions(self, indicator_codes: list[str],
                        region_codes: list[str]) -> pd.DataFrame:
        """Every recorded change of the indicators' values in the regions, newest batch first:
        indicator_code, region_code, year, old_value, new_value, old_source, new_source,
        batch_id, batch_kind, user_name, created_at, file_name."""

    @abstractmethod
    def overwritten_since(self, batch_id: int) -> tuple[int, list[int]]:
        """How many values of the batch a later batch changed or removed since, and the ids of
        the later batches now holding them (undoing would lose that work)."""

    @abstractmethod
    def restore_before(self, batch_id: int, undo_id: int) -> int:
        """Undo the batch: each value it holds becomes the one the newest other live batch
        supplies for that key, or is removed when no live batch supplies one, so the store
        equals the live batches replayed in order. Each change is recorded under the undo
        batch; both batches are marked. Returns the count of values restored or removed."""

    # --- notes -----------------------------------------------------------------------------

    @abstractmethod
    def fetch_focus_items(self, outline_id: str, region_codes: list[str]) -> pd.DataFrame:
        """重点难点 notes: region_code, indicator_code, FOCUS_FIELDS, updated_by, updated_at."""

    @abstractmethod
    def save_focus_items(self, outline_id: str, region_code: str, items: pd.DataFrame,
                         user_name: str) -> None:
        """Upsert one region's notes (indicator_code + FOCUS_FIELDS); rows whose fields are
        all empty are removed."""


    # --- people: users, login sessions, failed logins -----------------------------------------

    @abstractmethod
    def create_user(self, user: dict) -> None:
        """Add a user (USER_FIELDS); StoreError if the name is taken."""

    @abstractmethod
    def update_user(self, name: str, changes: dict) -> None:
        """Change some fields of a user (not the name); StoreError if there is no such user."""

    @abstractmethod
    def fetch_user(self, name: str) -> dict | None:
        """One user (USER_FIELDS), None if unknown."""

    @abstractmethod
    def fetch_users(self) -> pd.DataFrame:
        """Every user (USER_FIELDS), by name."""

    @abstractmethod
    def open_login_session(self, token_hash: str, user_name: str, address: str,
                           now) -> None:
        """Record a new login session (the hash of its token, never the token)."""

    @abstractmethod
    def fetch_login_session(self, token_hash: str) -> dict | None:
        """One login session (LOGIN_SESSION_FIELDS), None if unknown."""

    @abstractmethod
    def touch_login_session(self, token_hash: str, now) -> None:
        """Record that the session was used now."""

    @abstractmethod
    def end_login_sessions(self, reason: str, now, token_hash: str | None = None,
                           user_name: str | None = None) -> int:
        """End the open session with this token hash, or every open session of the user;
        returns how many ended."""

    @abstractmethod
    def fetch_login_sessions(self) -> pd.DataFrame:
        """The open login sessions (LOGIN_SESSION_FIELDS), most recently used first."""

    @abstractmethod
    def record_login_failure(self, user_name: str, address: str, at, forget_before) -> None:
        """Record one failed login and forget those before `forget_before`, which no lock or
        wait counts any more (the audit log keeps every attempt)."""

    @abstractmethod
    def fetch_login_failures(self, user_name: str, address: str, since) -> pd.DataFrame:
        """Failed logins since `since` for the user or from the address: user_name, address,
        failed_at, oldest first."""

    @abstractmethod
    def clear_login_failures(self, user_name: str) -> None:
        """Forget the user's failed logins (after a successful one, or an unlock)."""

    @abstractmethod
    def secret(self, name: str) -> str:
        """A random secret of the store (e.g. the key that signs session cookies), created on
        first use and the same for every process afterwards."""

    # --- audit log: append-only ------------------------------------------------------------

    @abstractmethod
    def append_audit(self, entry: dict) -> int:
        """Append one entry (AUDIT_FIELDS but id and occurred_at: the store numbers it and times
        it now, in its time zone); returns its id. There is no way to change or remove one."""

    @abstractmethod
    def fetch_audit(self, since=None, until=None, user_name: str | None = None,
                    action: str | None = None, limit: int | None = None) -> pd.DataFrame:
        """Audit entries (AUDIT_FIELDS), newest first, filtered by time (since ≤ occurred_at < until),
        user and action."""

    # --- reporting periods: a state per (outline, region, year), an append-only history ------

    @abstractmethod
    def fetch_periods(self, outline_id: str, year: int, region_codes: list[str]) -> pd.DataFrame:
        """The stored periods of the outline and year in the regions (PERIOD_FIELDS); a period
        never moved has no row (it is open)."""

    @abstractmethod
    def record_period_event(self, event: dict) -> int:
        """Move one period from event["from_state"] to event["to_state"] and append the step
        to its history (PERIOD_EVENT_FIELDS but id and occurred_at: numbered and timed now),
        in one unit of work; returns the event's id. StoreError, nothing written, when the
        period is no longer in from_state (someone moved it meanwhile)."""

    @abstractmethod
    def fetch_period_history(self, outline_id: str, region_code: str, year: int) -> pd.DataFrame:
        """Every step of one period (PERIOD_EVENT_FIELDS), oldest first."""

    @abstractmethod
    def fetch_locks(self) -> pd.DataFrame:
        """Every locked period: outline_id, region_code, year, locked_by, locked_at."""

    @abstractmethod
    def find_locked(self, keys: pd.DataFrame) -> pd.DataFrame:
        """Those of the observation keys (OBSERVATION_KEY columns) whose period is locked: an
        outline monitoring the indicator holds a locked period of the region and year
        (LOCKED_KEY_FIELDS, one row per key)."""

    @abstractmethod
    def find_locked_in_batch(self, batch_id: int) -> pd.DataFrame:
        """The values the batch holds whose period is locked (LOCKED_KEY_FIELDS): what undoing
        it would change there."""
    # --- local plans created by users ------------------------------------------------------

    @abstractmethod
    def fetch_user_plans(self) -> pd.DataFrame:
        """Every local plan users created (USER_PLAN_FIELDS), by region. init never changes
        them; a plan here with the id of one from data/ takes its place."""

    @abstractmethod
    def fetch_user_plan_indicators(self) -> pd.DataFrame:
        """Every indicator of those plans (USER_PLAN_INDICATOR_FIELDS), by plan and indicator."""

    @abstractmethod
    def save_user_plan(self, plan: dict, indicators: pd.DataFrame, user_name: str,
                       summary: str, before_state: str | None, after_state: str) -> int:
        """Create or replace a plan (USER_PLAN_FIELDS but version) and all its indicators, and
        record the change as the plan's next version (who, when, what, the states before and
        after), timed now in the store's time zone; returns the version number (1 for a new
        plan)."""

    @abstractmethod
    def fetch_plan_versions(self, plan_id: str) -> pd.DataFrame:
        """Every saved version of a plan (PLAN_VERSION_FIELDS), newest first."""

    @abstractmethod
    def fetch_local_indicators(self) -> pd.DataFrame:
        """Every indicator local plans define themselves (LOCAL_INDICATOR_FIELDS), by plan and
        order. init never changes them."""

    @abstractmethod
    def save_local_indicators(self, plan: dict, indicators: pd.DataFrame) -> None:
        """Replace the indicators the plan (USER_PLAN_FIELDS) defines with these
        (LOCAL_INDICATOR_FIELDS); called in the transaction that saves the plan's version."""
