"""The page reads each upload in a process of its own: a file that takes too long or too much
memory, or makes the reader die, ends in a problem of the upload while the server goes on."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
import time

import pytest

from metrics import config
from metrics.uploads import isolation

LIMITS = config.settings().upload
VALID = "指标,地区,年份,数值\n婴儿死亡率,港北区,2023,5.1\n".encode("gbk")


def codes(upload) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.code) for p in upload.problems]


def test_a_file_read_in_its_own_process_gives_the_same_upload(real_catalogue):
    upload = isolation.read_upload(VALID, "数据.csv", real_catalogue, limits=LIMITS)
    assert upload.valid and upload.raw == VALID
    assert upload.rows[["indicator_code", "region_code", "year", "value"]].values.tolist() \
        == [["infant_mortality_rate", "450802", 2023, 5.1]]


def test_a_file_that_takes_too_long_is_stopped_at_the_time_limit(real_catalogue):
    # 400,000 repeated rows: checking them (a message per repeat) takes about 16 s here, and
    # nothing inside the check could be interrupted.
    raw = ("指标,地区,年份,数值\n" + "婴儿死亡率,港北区,2023,5.1\n" * 400_000).encode()
    started = time.monotonic()
    upload = isolation.read_upload(raw, "重复.csv", real_catalogue,
                                   limits=dataclasses.replace(LIMITS, max_read_seconds=1))
    assert codes(upload) == [(None, "", "reading-timeout")]
    assert time.monotonic() - started < 6


def test_a_reader_past_the_memory_limit_is_stopped(real_catalogue):
    # Below what the reader holds once started: stopped at the first look.
    upload = isolation.read_upload(VALID, "数据.csv", real_catalogue,
                                   limits=dataclasses.replace(LIMITS, max_read_memory_mb=20))
    assert codes(upload) == [(None, "", "reading-memory")]
    assert "20 MB" in upload.problems[0].message


def test_a_reader_that_dies_is_a_problem_not_a_crash():
    # As calamine ends its process when an allocation fails.
    aborting = subprocess.Popen([sys.executable, "-c",
                                 "import os, sys; sys.stdin.buffer.read(8); os.abort()"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    found = isolation.exchange(aborting, b"request", time.monotonic() + 60, LIMITS)
    assert found.code == "unreadable-file" and "信号 6" in found.message


def test_an_exception_in_the_reader_is_raised_with_its_traceback(real_catalogue):
    broken = dataclasses.replace(real_catalogue, regions=None)
    with pytest.raises(isolation.ReaderFailed, match="(?s)Traceback.*regions"):
        isolation.read_upload(VALID, "数据.csv", broken, limits=LIMITS)


def test_a_reader_that_answered_is_kept_and_one_stopped_is_not(real_catalogue):
    isolation.read_upload(VALID, "数据.csv", real_catalogue, limits=LIMITS)
    kept = {reader.pid for reader in isolation.idle}
    isolation.read_upload(VALID, "数据.csv", real_catalogue, limits=LIMITS)
    assert kept and {reader.pid for reader in isolation.idle} == kept
    isolation.read_upload(VALID, "数据.csv", real_catalogue,
                          limits=dataclasses.replace(LIMITS, max_read_memory_mb=20))
    assert {reader.pid for reader in isolation.idle} < kept


def test_a_file_waits_for_a_free_reader_within_its_time_limit(real_catalogue):
    # Two files being read already: a third is not read by a third process at once.
    for _ in range(isolation.READERS_AT_ONCE):
        isolation.reading_now.acquire()
    try:
        started = time.monotonic()
        upload = isolation.read_upload(VALID, "数据.csv", real_catalogue,
                                       limits=dataclasses.replace(LIMITS, max_read_seconds=0.5))
    finally:
        for _ in range(isolation.READERS_AT_ONCE):
            isolation.reading_now.release()
    assert codes(upload) == [(None, "", "reading-busy")]
    assert time.monotonic() - started < 5
    assert isolation.read_upload(VALID, "数据.csv", real_catalogue, limits=LIMITS).valid
