"""Connections to a DuckDB file shared by the app and the command line.

DuckDB lets one process hold a database file at a time. Inside a process, every thread works
on one open database per file (`SharedDatabase`), each unit of work on a cursor of its own
(DuckDB 2.0: one connection, one thread), so threads never open and close the file against
each other (that raced: "Unique file handle conflict"). The database is reference-counted: it
is let go of when the last unit of work running ends, as a command does after each step, or,
for a store opened with `keep_open` seconds (the app: opening cost 22 ms, three to five times a
page), when none has run for that long or as soon as none is running and another process
waits for the file. A waiting process says so by holding a shared lock on `<file>.wait` while
it retries, and new units of work then wait until it has had the file. So
`python -m metrics import` runs while the app serves, and the app reopens the file, with the
import's values, on its next unit of work.

A connection that finds the file held by another process retries until the busy timeout, then
raises StoreBusyError naming the holder.
"""
from __future__ import annotations

import atexit
import os
import re
import threading
import time
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no waiting signal; the idle release alone lets others in
    fcntl = None

import duckdb

from metrics.errors import StoreBusyError, StoreError

CONNECT_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
LOCK_MESSAGE = re.compile(r"lock", re.IGNORECASE)
DISK_FULL = re.compile(r"no space left|disk (is )?full|could not (write|extend)", re.IGNORECASE)
DAMAGED = re.compile(r"not a valid DuckDB database|checksum|corrupt|serializ|"
                     r"unexpected end|failed to read|invalid .*(block|header)", re.IGNORECASE)
RESTORE_HINT = ("请停止应用，用最近的备份替换该文件后重新启动（见 README「备份与恢复」）；"
                "没有备份时可删除该文件，应用会由 data/ 目录重建内置数据，但上传的数据会丢失。")


WATCH_SECONDS = 0.05     # how often an idle open database looks for a waiting process
RETRY_SECONDS = 0.2      # how often a process waiting for the file tries again


def open_connection(path: Path | str, timeout: float, zone: str) -> duckdb.DuckDBPyConnection:
    """Connect to the file, waiting while another process holds it (and saying so in
    `<file>.wait`, so that a process sharing its database lets go); timestamps in `zone`."""
    zone = checked_time_zone(zone)
    deadline = time.monotonic() + timeout
    with WaitSignal(path) as signal:
        while True:
            try:
                con = duckdb.connect(str(path), config=CONNECT_CONFIG)
                con.execute(f"SET TimeZone = '{zone}'")
                return con
            except duckdb.IOException as exc:
                if not LOCK_MESSAGE.search(str(exc)) or time.monotonic() >= deadline:
                    raise busy_error(path, exc) from exc
                signal.waiting()
                time.sleep(RETRY_SECONDS)


class WaitSignal:
    """`<file>.wait`: a process waiting for the file holds a shared lock on it; the process
    holding the file sees it by failing to take an exclusive one. Without fcntl, or where
    the file cannot be made, nothing is signalled."""

    def __init__(self, path: Path | str):
        self.path = f"{path}.wait"
        self.fd: int | None = None
        self.shared = False

    def __enter__(self) -> WaitSignal:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def opened(self) -> int | None:
        if self.fd is None and fcntl is not None:
            with suppress(OSError):
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        return self.fd

    def waiting(self) -> None:
        """Say that this process waits for the file (until close)."""
        if not self.shared and self.opened() is not None:
            fcntl.flock(self.fd, fcntl.LOCK_SH)
            self.shared = True

    def someone_waits(self) -> bool:
        """Whether another process holds the shared lock: it waits for the file."""
        if self.opened() is None:
            return False
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        return False

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)   # also drops the lock
            self.fd, self.shared = None, False


class SharedDatabase:
    """One open database per file in this process, shared by its threads, each unit of work
    on a cursor of its own (see the module's docstring)."""

    def __init__(self, path: str, timeout: float, zone: str):
        self.path, self.timeout, self.zone = path, timeout, zone
        self.changed = threading.Condition()
        self.root: duckdb.DuckDBPyConnection | None = None
        self.users = 0
        self.keep_until = 0.0       # a store opened with keep_open: stay open until then
        self.signal = WaitSignal(path)
        self.handover_until = 0.0   # while > now and another process waits: stay closed
        self.openings = 0           # a watcher watches one opening of the file
        self.notes: dict[str, object] = {}   # what units of work found out on this opening

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection of its own to the shared database (opened if closed)."""
        with self.changed:
            while self.must_wait():
                self.changed.wait(WATCH_SECONDS)
            if self.root is None:
                self.signal.close()   # a file descriptor is held only while the file is open
                self.root = open_connection(self.path, self.timeout, self.zone)
                self.keep_until, self.openings = 0.0, self.openings + 1
            con = self.root.cursor()   # under the lock: the root connection is not shared
            self.users += 1
        try:
            con.execute(f"SET TimeZone = '{self.zone}'")
            return con
        except BaseException:
            con.close()
            self.done(0.0)
            raise

    def must_wait(self) -> bool:
        """Whether a new unit of work waits: another process is waiting for the file (let
        the running units finish and the file go), or it was just let go and the other
        process has not opened it yet."""
        if self.root is not None:
            if self.signal.someone_waits():
                self.handover_until = time.monotonic() + self.timeout
                if self.users == 0:
                    self.close()
                return True
            return False
        return time.monotonic() < self.handover_until and self.signal.someone_waits()

    def done(self, keep_open: float) -> None:
        """A unit of work ended. The last one running lets go of the file, unless its store
        keeps it open: then its changes are written to the file itself (not only to the log),
        as closing would, and a watcher lets go later."""
        with self.changed:
            self.users -= 1
            self.changed.notify_all()
            if self.users or self.root is None:
                return
            if keep_open <= 0 or time.monotonic() < self.handover_until:
                self.close()
                return
            if os.path.exists(f"{self.path}.wal") and os.path.getsize(f"{self.path}.wal"):
                try:
                    self.root.execute("CHECKPOINT")
                except duckdb.Error:
                    self.close()   # nothing is lost: the log is replayed on the next opening
                    raise
            if self.keep_until == 0.0:
                threading.Thread(target=self.watch, args=(self.openings,), daemon=True,
                                 name=f"duckdb-watch {self.path}").start()
            self.keep_until = time.monotonic() + keep_open

    def watch(self, opening: int) -> None:
        """While kept open: let go of the file when no unit of work is running and another
        process waits, or when none has run for the time kept."""
        while True:
            time.sleep(WATCH_SECONDS)
            with self.changed:
                if self.root is None or self.openings != opening:
                    return
                if self.users:
                    continue
                if self.signal.someone_waits():
                    self.handover_until = time.monotonic() + self.timeout
                    self.close()
                elif time.monotonic() > self.keep_until:
                    self.close()

    def close(self) -> None:
        """Let go of the file (caller holds `changed`; no unit of work is running)."""
        if self.root is not None:
            self.root.close()
            self.root, self.keep_until = None, 0.0
            self.notes = {}
            self.changed.notify_all()
        self.signal.close()


SHARED: dict[str, SharedDatabase] = {}
SHARED_LOCK = threading.Lock()


@contextmanager
def shared_connection(path: Path | str, timeout: float, zone: str,
                      keep_open: float = 0.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of this process's shared database of the file, for one unit of work; the file
    stays open up to `keep_open` seconds after it."""
    key = str(Path(path).resolve())
    with SHARED_LOCK:
        database = SHARED.get(key) or SHARED.setdefault(key, SharedDatabase(str(path), timeout,
                                                                            zone))
    con = database.cursor()
    try:
        yield con
    finally:
        try:
            con.close()
        finally:
            database.done(keep_open)


def opening_notes(path: Path | str) -> dict[str, object]:
    """Notes on the file kept while this process holds it open (a check it passed, say),
    forgotten when it is let go of: another process may change the file only then. For use
    inside a unit of work on the file (shared_connection), which keeps it open."""
    return SHARED[str(Path(path).resolve())].notes


def close_idle_databases() -> None:
    """Let go of every shared database no unit of work is using (a test about to replace a
    file; a benchmark measuring a cold start)."""
    with SHARED_LOCK:
        databases = list(SHARED.values())
    for database in databases:
        with database.changed:
            if database.users == 0:
                database.close()


# A database kept open is closed (and checkpointed) when the process ends normally.
atexit.register(close_idle_databases)


def checked_time_zone(name: str) -> str:
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
        return fault(path, exc)
    who = f"进程 {holder.group(1)}" if holder else "另一个进程"
    return StoreBusyError(f"数据库 {path} 正被{who}占用（可能是正在运行的应用或另一条命令），"
                          "请稍后重试。")


def fault(path: Path | str, exc: Exception) -> StoreError:
    """What went wrong with the file, in Chinese, with what to do; DuckDB's own words last."""
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if DISK_FULL.search(str(exc)):
        return StoreError(f"磁盘空间不足，数据库 {path} 未能写入，本次操作未写入任何数据。"
                          f"（{detail}）", hint="请释放磁盘空间后重试。")
    if DAMAGED.search(str(exc)):
        return StoreError(f"数据库文件 {path} 已损坏或不是本程序的数据库。（{detail}）",
                          hint=RESTORE_HINT)
    return StoreError(f"数据库 {path} 出错，本次操作未完成。（{detail}）")


@contextmanager
def translated_faults(path: Path | str) -> Iterator[None]:
    """DuckDB's errors in the block as StoreErrors a person can act on."""
    try:
        yield
    except duckdb.Error as exc:
        if isinstance(exc, duckdb.IOException) and LOCK_MESSAGE.search(str(exc)):
            raise busy_error(path, exc) from exc
        raise fault(path, exc) from exc


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, parameters=None):
    """The first column of the first row. Results are always read whole (fetchall): a
    half-read result keeps a DuckDB 2.0 connection busy and its next statement fails."""
    return con.execute(sql, parameters or []).fetchall()[0][0]
