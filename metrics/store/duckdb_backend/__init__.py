"""The DuckDB store: one file, shared by the app's threads and the command line. The only
package that imports duckdb or holds SQL; each concern is a module of its own, mixed into
DuckDBStore. Every statement is parameterised; table and column names come only from
constants here."""
from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import duckdb
import pandas as pd

from metrics.errors import StoreError
from metrics.store.duckdb_backend import schema
from metrics.store.duckdb_backend.batches import Batches
from metrics.store.duckdb_backend.catalogue import CatalogueTables
from metrics.store.duckdb_backend.connection import (
    opening_notes,
    shared_connection,
    translated_faults,
)
from metrics.store.duckdb_backend.evaluation_inputs import EvaluationInputs
from metrics.store.duckdb_backend.notes import Notes
from metrics.store.duckdb_backend.observations import Observations
from metrics.store.duckdb_backend.people import AuditLog, People
from metrics.store.duckdb_backend.periods import ReportingPeriods
from metrics.store.duckdb_backend.plans import UserPlans
from metrics.store.interface import Store

CURRENT_SCHEMA = "current schema"   # the opening's note that its file has this schema version


class DuckDBStore(CatalogueTables, Observations, EvaluationInputs, Batches, Notes, People,
                  AuditLog, ReportingPeriods, UserPlans, Store):
    """A DuckDB file. Opened as is, each method call is its own transaction on its own
    connection; `session()` and `transaction()` give a store bound to one connection. The
    process's threads share one open database of the file (connection.SharedDatabase), let go
    of after each unit of work, or up to `keep_open` seconds later (the app)."""

    def __init__(self, path: Path | str, busy_timeout: float, time_zone: str,
                 bound: duckdb.DuckDBPyConnection | None = None, grouped: bool = False,
                 keep_open: float = 0.0):
        self.path = Path(path)
        self.url = f"duckdb://{self.path}"
        self.busy_timeout, self.time_zone, self.keep_open = busy_timeout, time_zone, keep_open
        self.bound = bound       # the connection of a session or transaction
        self.grouped = grouped   # inside transaction(): the block commits, not each call

    def __repr__(self) -> str:
        return f"DuckDBStore({str(self.path)!r})"

    def local_time(self) -> dt.datetime:
        return dt.datetime.now(zoneinfo.ZoneInfo(self.time_zone)).replace(tzinfo=None)

    def backup(self, directory: Path | str) -> Path:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / f"{self.path.stem}-{dt.datetime.now():%Y%m%d-%H%M%S}.duckdb"
        if target.exists():
            raise StoreError(f"备份文件 {target} 已存在，请稍后再试或换一个目录。")
        with self.checked_connection() as con:
            source = con.execute("SELECT current_database()").fetchall()[0][0]
            # ATTACH takes no parameters: the path is quoted as an SQL string literal.
            quoted = str(target).replace("'", "''")
            # Attached databases belong to the shared database: a name of this backup's own.
            alias = f"backup_{uuid.uuid4().hex}"
            con.execute(f"ATTACH '{quoted}' AS {alias}")
            try:
                # One statement, one transaction: a consistent copy of every table and sequence.
                con.execute(f'COPY FROM DATABASE "{source}" TO {alias}')
            finally:
                con.execute(f"DETACH {alias}")
        return target

    @contextmanager
    def new_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection of its own to this process's shared database of the file (opened,
        waiting while another process holds it, if closed), whatever its schema, for the
        block; DuckDB's errors inside it (a damaged file, a full disk) become StoreErrors."""
        with translated_faults(self.path), shared_connection(self.path, self.busy_timeout,
                                                             self.time_zone, self.keep_open) as con:
            yield con

    @contextmanager
    def checked_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to a store of the current schema, for the block. The schema is checked
        once per opening of the file (two queries of every unit of work before)."""
        with self.new_connection() as con:
            notes = opening_notes(self.path)
            if not notes.get(CURRENT_SCHEMA):
                schema.check_schema(con)
                notes[CURRENT_SCHEMA] = True
            yield con

    @contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The connection one method call runs on, inside a transaction of its own unless it
        is part of a transaction() block."""
        if self.grouped:
            yield self.bound
            return
        # A session's connection is used as is: the session closes it.
        with self.checked_connection() if self.bound is None else nullcontext(self.bound) as con:
            with atomic(con):
                yield con

    @contextmanager
    def session(self) -> Iterator[DuckDBStore]:
        if self.bound is not None:
            yield self
            return
        with self.checked_connection() as con:
            yield DuckDBStore(self.path, self.busy_timeout, self.time_zone, bound=con,
                              keep_open=self.keep_open)

    @contextmanager
    def transaction(self) -> Iterator[DuckDBStore]:
        if self.grouped:
            yield self
            return
        with self.session() as bound, atomic(bound.bound):
            yield DuckDBStore(self.path, self.busy_timeout, self.time_zone, bound=bound.bound,
                              grouped=True, keep_open=self.keep_open)

    def initialise(self) -> int | None:
        with self.new_connection() as con:
            return schema.create_schema(con)

    def schema_version(self) -> int | None:
        # Asking must not create the file, as connecting would.
        if not self.path.exists():
            return None
        with self.new_connection() as con:
            return schema.schema_version(con)

    def is_initialised(self) -> bool:
        if not self.path.exists():
            return False
        with self.new_connection() as con:
            return schema.holds_catalogue(con)

    def migrations(self) -> pd.DataFrame:
        with self.connection() as con:
            return schema.migrations(con)


@contextmanager
def atomic(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Commit the block's statements together, or roll them all back if it raises."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
