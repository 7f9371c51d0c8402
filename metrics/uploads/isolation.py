"""Reading and checking an upload in a process of its own, so that no file can take the server
down or hold one of its threads: the reader is killed past the time limit
(`upload.max_read_seconds`) or the memory limit (`upload.max_read_memory_mb`), and a reader
that aborts (calamine, in Rust, ends its process when an allocation fails) ends only its own
process. Each outcome is a problem of the upload, reported like any other; the server thread
waits at most the time limit.

The checks before loading (reading.py, inspection.py) refuse the known kinds of hostile file
within milliseconds; this is the bound for the kinds nobody has thought of yet, and for the
work that cannot be interrupted from inside (calamine loading a sheet, a parser on a text).

Each reader is a fresh interpreter (`python -m metrics.uploads.isolation`) that reads one
request from its stdin, writes one answer to its stdout and ends. Forking the server instead
would copy the locks its other threads hold (DuckDB's, Streamlit's), and multiprocessing's
fork server re-runs the parent's `__main__` in the child, which under Streamlit is the page
itself. Starting an interpreter and importing pandas takes about 0.6 s, so one reader is kept
started and waiting: an upload finds it ready, and the next one is started behind it.
"""
from __future__ import annotations

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

from metrics.catalogue import Catalogue
from metrics.settings import UploadSettings
from metrics.uploads import ingest
from metrics.uploads.problems import Problem, problem

ROOT = Path(__file__).resolve().parents[2]
POLL_SECONDS = 0.02
CHUNK_BYTES = 1 << 20
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
spare_lock = threading.Lock()
spare: list[subprocess.Popen] = []  # at most one reader, started and waiting for a request


class ReaderFailed(RuntimeError):
    """The reader raised an exception: a bug, not a bad file. Carries the reader's traceback,
    so that the error number in the log points at the line."""


def read_upload(raw: bytes, file_name: str, cat: Catalogue, sheet: str | None = None,
                default_region: str | None = None, scope: set[str] | None = None, *,
                limits: UploadSettings) -> ingest.Upload:
    """`ingest.read_upload` in a reader process within the time and memory limits; a reader
    killed or ended by the file gives an upload with one problem saying why."""
    request = pickle.dumps((raw, file_name, cat, sheet, default_region, scope, limits),
                           protocol=pickle.HIGHEST_PROTOCOL)
    reader = take_reader()
    try:
        outcome = exchange(reader, request, limits)
    finally:
        if reader.poll() is None:
            reader.kill()
        reader.wait()
    if isinstance(outcome, ingest.Upload):
        return dataclasses.replace(outcome, raw=raw)
    if isinstance(outcome, str):
        raise ReaderFailed(f"读取上传文件时出错：\n{outcome}")
    return ingest.unread_upload(raw, file_name, sheet, outcome)


def start_reader() -> subprocess.Popen:
    """A reader process, importing the readers while it waits for its request."""
    return subprocess.Popen([sys.executable, "-m", "metrics.uploads.isolation"], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def take_reader() -> subprocess.Popen:
    """The waiting reader (or a new one if none waits, or it has died), and another one
    started to wait for the next upload."""
    with spare_lock:
        waiting = [r for r in spare if r.poll() is None]
        spare[:] = [start_reader()]
    return waiting[0] if waiting else start_reader()


def exchange(reader: subprocess.Popen, request: bytes, limits: UploadSettings):
    """Send the request and wait for the answer: an upload or a traceback, or the problem
    that ended the reader (the time or memory limit passed, and it was killed; or it died)."""
    deadline = time.monotonic() + limits.max_read_seconds
    try:
        reader.stdin.write(request)
        reader.stdin.close()
    except BrokenPipeError:
        return died(reader.wait())
    answer = bytearray()
    with selectors.DefaultSelector() as waiting:
        waiting.register(reader.stdout, selectors.EVENT_READ)
        while True:
            if waiting.select(POLL_SECONDS):
                chunk = os.read(reader.stdout.fileno(), CHUNK_BYTES)
                if not chunk:
                    break
                answer += chunk
            elif time.monotonic() > deadline:
                return problem("reading-timeout", None, "",
                               seconds=f"{limits.max_read_seconds:g}")
            elif resident_mb(reader.pid) > limits.max_read_memory_mb:
                return problem("reading-memory", None, "",
                               limit=f"{limits.max_read_memory_mb:,}")
    if reader.wait() != 0 or not answer:
        return died(reader.returncode)
    return pickle.loads(answer)


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


def serve_one() -> None:
    """The reader's work: one request from stdin, the upload without its bytes (the server
    holds them) or the traceback of an exception to stdout."""
    try:
        request = pickle.load(sys.stdin.buffer)
    except EOFError:  # the server ended before sending a request
        return
    raw, file_name, cat, sheet, default_region, scope, limits = request
    try:
        upload = ingest.read_upload(raw, file_name, cat, sheet, default_region, scope,
                                    limits=limits)
        answer = dataclasses.replace(upload, raw=b"")
    except Exception:  # any bug: reported to the server, which raises it there
        answer = traceback.format_exc()
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    serve_one()
