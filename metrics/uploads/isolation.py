"""Reading and checking an upload in a process of its own, so that no file can take the server
down or hold one of its threads: the reader is killed past the time limit
(`upload.max_read_seconds`) or the memory limit (`upload.max_read_memory_mb`), and a reader
that aborts (calamine, in Rust, ends its process when an allocation fails) ends only its own
process. Each outcome is a problem of the upload, reported like any other; the server thread
waits at most the time limit, its turn included when two other files are being read.

The checks before loading (reading.py, inspection.py) refuse the known kinds of hostile file
within milliseconds; this is the bound for the kinds nobody has thought of yet, and for the
work that cannot be interrupted from inside (calamine loading a sheet, a parser on a text).

Readers are interpreters of their own (`python -m metrics.uploads.isolation`), each answering
one request after another on its stdin and stdout. Forking the server instead would copy the
locks its other threads hold (DuckDB's, Streamlit's), and multiprocessing's fork server re-runs
the parent's `__main__` in the child, which under Streamlit is the page itself. Starting one
and importing pandas takes about a second, so a reader that answered is kept for the next
upload (unless it holds more than half the memory limit); one that was stopped or failed is
never used again.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import pickle
import selectors
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

import pandas as pd

from metrics.catalogue import Catalogue
from metrics.settings import UploadSettings
from metrics.uploads import ingest
from metrics.uploads.problems import Problem, problem

ROOT = Path(__file__).resolve().parents[2]
POLL_SECONDS = 0.02
CHUNK_BYTES = 1 << 20
LENGTH_BYTES = 8  # each message: its length, then the pickle
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
# Files read at once, each by a reader of its own, each up to the memory limit: more would
# only share the server's 2 cores and multiply the memory at stake. A file waits for its turn
# within its time limit.
READERS_AT_ONCE = 2
reading_now = threading.BoundedSemaphore(READERS_AT_ONCE)
MAX_IDLE = READERS_AT_ONCE  # readers kept waiting for the next upload
idle_lock = threading.Lock()
idle: list[subprocess.Popen] = []


class ReaderFailed(RuntimeError):
    """The reader raised an exception: a bug, not a bad file. Carries the reader's traceback,
    so that the error number in the log points at the line."""


def read_upload(raw: bytes, file_name: str, cat: Catalogue, sheet: str | None = None,
                default_region: str | None = None, scope: set[str] | None = None, *,
                limits: UploadSettings, locks: pd.DataFrame | None = None) -> ingest.Upload:
    """`ingest.read_upload` in a reader process within the time and memory limits; a reader
    stopped or ended by the file gives an upload with one problem saying why."""
    deadline = time.monotonic() + limits.max_read_seconds
    if not reading_now.acquire(timeout=limits.max_read_seconds):
        return ingest.unread_upload(raw, file_name, sheet, problem(
            "reading-busy", None, "", seconds=f"{limits.max_read_seconds:g}"))
    outcome = None
    try:
        reader = take_reader()
        try:
            outcome = exchange(reader, (raw, file_name, cat, sheet, default_region, scope,
                                        limits, locks), deadline, limits)
        finally:
            give_back(reader, limits, answered=isinstance(outcome, ingest.Upload))
    finally:
        reading_now.release()
    if isinstance(outcome, ingest.Upload):
        return dataclasses.replace(outcome, raw=raw)
    if isinstance(outcome, str):
        raise ReaderFailed(f"读取上传文件时出错：\n{outcome}")
    return ingest.unread_upload(raw, file_name, sheet, outcome)


def start_reader() -> subprocess.Popen:
    """A reader process; it imports the readers, then waits for requests."""
    return subprocess.Popen([sys.executable, "-m", "metrics.uploads.isolation"], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def take_reader() -> subprocess.Popen:
    """A waiting reader still alive, else a new one."""
    with idle_lock:
        while idle:
            reader = idle.pop()
            if reader.poll() is None:
                return reader
    return start_reader()


def give_back(reader: subprocess.Popen, limits: UploadSettings, answered: bool) -> None:
    """Keep a reader that answered and holds little memory for the next upload; end any
    other (stopped at a limit, dead, or failed: its state is not to be trusted)."""
    keep = (answered and reader.poll() is None
            and resident_mb(reader.pid) < limits.max_read_memory_mb / 2)
    with idle_lock:
        if keep and len(idle) < MAX_IDLE:
            idle.append(reader)
            return
    if reader.poll() is None:
        reader.kill()
    reader.wait()
    with contextlib.suppress(BrokenPipeError):  # a request it never took stays unflushed
        reader.stdin.close()
    reader.stdout.close()


def exchange(reader: subprocess.Popen, request, deadline: float, limits: UploadSettings):
    """Send the request and wait for the answer: an upload or a traceback, or the problem
    that ended the reader (the deadline or the memory limit passed, and it was killed; or it
    died)."""
    message = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        reader.stdin.write(len(message).to_bytes(LENGTH_BYTES, "big") + message)
        reader.stdin.flush()
    except BrokenPipeError:
        return died(reader.wait())
    answer = bytearray()
    with selectors.DefaultSelector() as waiting:
        waiting.register(reader.stdout, selectors.EVENT_READ)
        while not complete(answer):
            if time.monotonic() > deadline:
                reader.kill()
                return problem("reading-timeout", None, "",
                               seconds=f"{limits.max_read_seconds:g}")
            if resident_mb(reader.pid) > limits.max_read_memory_mb:
                reader.kill()
                return problem("reading-memory", None, "",
                               limit=f"{limits.max_read_memory_mb:,}")
            if waiting.select(POLL_SECONDS):
                chunk = os.read(reader.stdout.fileno(), CHUNK_BYTES)
                if not chunk:
                    return died(reader.wait())
                answer += chunk
    return pickle.loads(answer[LENGTH_BYTES:])


def complete(message: bytearray) -> bool:
    """Whether a message (its length, then that many bytes) has arrived whole."""
    return (len(message) >= LENGTH_BYTES and
            len(message) - LENGTH_BYTES >= int.from_bytes(message[:LENGTH_BYTES], "big"))


def resident_mb(pid: int) -> float:
    """The resident memory of a process in MB (0 once it has ended)."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * PAGE_BYTES / (1 << 20)
    except (OSError, IndexError, ValueError):
        return 0.0


def died(exit_code: int) -> Problem:
    """The problem of a reader that ended without an answer."""
    how = f"信号 {-exit_code}" if exit_code < 0 else f"退出码 {exit_code}"
    return problem("unreadable-file", None, "", detail=(
        f"读取该文件的程序异常终止（{how}），文件可能已损坏，或内容超出了读取程序的能力。"))


def receive(stream) -> object | None:
    """The next request from the server; None once it has closed the pipe."""
    header = stream.read(LENGTH_BYTES)
    if len(header) < LENGTH_BYTES:
        return None
    return pickle.loads(stream.read(int.from_bytes(header, "big")))


def serve() -> None:
    """The reader's work: for each request from stdin, the upload without its bytes (the
    server holds them) or the traceback of an exception, to stdout."""
    while (request := receive(sys.stdin.buffer)) is not None:
        raw, file_name, cat, sheet, default_region, scope, limits, locks = request
        try:
            upload = ingest.read_upload(raw, file_name, cat, sheet, default_region, scope,
                                        limits=limits, locks=locks)
            answer = dataclasses.replace(upload, raw=b"")
        except Exception:  # any bug: reported to the server, which raises it there
            answer = traceback.format_exc()
        message = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        sys.stdout.buffer.write(len(message).to_bytes(LENGTH_BYTES, "big") + message)
        sys.stdout.buffer.flush()


if __name__ == "__main__":
    serve()
