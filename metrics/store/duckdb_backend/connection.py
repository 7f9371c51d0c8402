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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from metrics.errors import StoreBusyError, StoreError

CONNECT_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
LOCK_MESSAGE = re.compile(r"lock", re.IGNORECASE)
DISK_FULL = re.compile(r"no space left|disk (is )?full|could not (write|extend)", re.IGNORECASE)
DAMAGED = re.compile(r"not a valid DuckDB database|checksum|corrupt|serializ|"
                     r"unexpected end|failed to read|invalid .*(block|header)", re.IGNORECASE)
RESTORE_HINT = ("请停止应用，用最近的备份替换该文件后重新启动（见 README「备份与恢复」）；"
                "没有备份时可删除该文件，应用会由 data/ 目录重建内置数据，但上传的数据会丢失。")


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
