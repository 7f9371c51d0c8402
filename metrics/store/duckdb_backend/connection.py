"""Connections to a DuckDB file shared by the app and the command line.

DuckDB lets one process hold a database file, so nothing keeps the file open between units of
work. Inside one process DuckDB caches the open database, so concurrent sessions of the app (one
per Streamlit thread) share it, each on its own connection, which also keeps DuckDB 2.0's "one
connection, one thread" rule. A connection that finds the file held by another process retries
until the busy timeout, then raises StoreBusyError naming the holder.
"""
from __future__ import annotations

import re
import time
import zoneinfo
from pathlib import Path

import duckdb

from metrics.errors import StoreBusyError, StoreError

CONNECT_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
LOCK_MESSAGE = re.compile(r"lock", re.IGNORECASE)


def open_connection(path: Path | str, timeout: float, zone: str) -> duckdb.DuckDBPyConnection:
    """Connect to the file, waiting while another process holds it; timestamps in `zone`."""
    zone = checked_time_zone(zone)
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
        return StoreError(f"无法打开数据库 {path}：{exc}")
    who = f"进程 {holder.group(1)}" if holder else "另一个进程"
    return StoreBusyError(f"数据库 {path} 正被{who}占用（可能是正在运行的应用或另一条命令），"
                          "请稍后重试。")


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, parameters=None):
    """The first column of the first row. Results are always read whole (fetchall): a
    half-read result keeps a DuckDB 2.0 connection busy and its next statement fails."""
    return con.execute(sql, parameters or []).fetchall()[0][0]
