"""A damaged or full store is a Chinese message saying what is wrong and what to do, in the
command line (exit code 1, no traceback) and in the app; a backup is a consistent copy made
while the app runs; init says when it upgraded an older database."""
import os
import subprocess
import sys

import duckdb
import pytest

from metrics import sync
from metrics.config import BASE_DIR
from metrics.errors import StoreError
from metrics.store import open_store
from metrics.store.duckdb_backend.connection import fault


def metrics_cli(*args, db):
    return subprocess.run([sys.executable, "-m", "metrics", *args, "--db", str(db)],
                          cwd=BASE_DIR, capture_output=True, text=True, timeout=120)


def random_bytes(path):
    path.write_bytes(os.urandom(300_000))


def cut_in_half(path):
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 2])


def scrambled_blocks(path):
    content = bytearray(path.read_bytes())
    for offset in range(20_000, len(content), 50_000):
        content[offset:offset + 4096] = os.urandom(4096)
    path.write_bytes(bytes(content))


def version_not_a_number(path):
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = 'x2' WHERE key = 'schema_version'")
    con.close()


@pytest.mark.parametrize("damage", [random_bytes, cut_in_half, scrambled_blocks,
                                    version_not_a_number], ids=lambda d: d.__name__)
def test_a_damaged_store_is_a_chinese_message_and_exit_1(db, damage):
    damage(db)
    results = [metrics_cli("evaluate", "--plan", "women-2021-2030", "--region", "全国",
                           "--year", "2024", db=db),
               metrics_cli("batches", db=db)]
    # A file cut in half may still hold the blocks a small command reads; what reads a
    # missing block is refused.
    failed = [r for r in results if r.returncode != 0]
    assert failed and all("Traceback" not in r.stderr for r in results)
    for result in failed:
        assert result.returncode == 1 and result.stderr.startswith("错误："), result.stderr[-800:]
        assert any(word in result.stderr for word in ("损坏", "无效", "出错", "初始化"))


@pytest.mark.parametrize("message, words", [
    ("IO Error: Could not write file \"x.wal\": No space left on device", "磁盘空间不足"),
    ("IO Error: The file \"x\" exists, but it is not a valid DuckDB database file!", "已损坏"),
    ("Catalog Error: something else", "出错"),
])
def test_faults_say_what_to_do(message, words):
    error = fault("/srv/metrics.duckdb", duckdb.IOException(message))
    assert isinstance(error, StoreError) and words in str(error)
    assert "/srv/metrics.duckdb" in str(error)
    if words != "出错":
        assert error.hint


def test_a_backup_is_a_complete_copy_that_opens_and_goes_on_numbering_batches(db, tmp_path):
    store = open_store(db)
    before = store.count_rows()
    result = metrics_cli("backup", str(tmp_path / "备份"), db=db)
    assert result.returncode == 0, result.stderr
    copy = tmp_path / "备份" / result.stdout.strip().rsplit("/", 1)[1]
    restored = open_store(copy)
    assert restored.is_initialised() and restored.count_rows() == before
    assert restored.migrations().equals(store.migrations())
    latest = int(restored.fetch_batches()["id"].max())
    assert restored.create_batch("upload", "李明", "恢复后") == latest + 1


def test_init_says_it_upgraded_an_older_database(db):
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE supplies")
    con.execute("DELETE FROM schema_migrations")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    report = sync.init(open_store(db))
    assert report.lines()[0].startswith("数据库结构已由版本 3 升级到")
    assert sync.init(open_store(db)).lines() == ["数据库已是最新，无变化。"]


def test_the_app_shows_a_damaged_store_in_chinese(db):
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    st.cache_resource.clear()
    st.cache_data.clear()
    random_bytes(db)
    at = AppTest.from_file(str(BASE_DIR / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert "已损坏" in at.error[0].value and "备份" in at.caption[0].value
