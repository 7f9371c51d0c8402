"""The app and the command line share one database file (DuckDB lets one process hold it at a
time; see metrics/store/duckdb_backend/connection.py): the app keeps serving while `python -m metrics import` writes, the
import waits for the app instead of failing, and a holder that does not let go is named."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import duckdb_session
from people import log_in

from metrics import catalogue
from metrics.catalogue import valid_ranges
from metrics.config import BASE_DIR
from metrics.errors import StoreBusyError
from metrics.store import open_store
from metrics.store.duckdb_backend.connection import (
    SHARED,
    SharedDatabase,
    open_connection,
)
from metrics.store.duckdb_backend.schema import check_schema

ZONE = "Asia/Shanghai"

CHROMIUM = "/usr/bin/chromium"
OUTLINE = "children-2021-2030"
YEARS = list(range(2019, 2024))
COUNTIES = 120                      # × 100 indicators × 5 years = 60,000 rows
# The value the pages must show after the import: infant mortality of the first county.
SHOWN = {2019: 3.8, 2020: 3.6, 2021: 3.3, 2022: 3.1, 2023: 2.87}

# A process that opens the file the way any DuckDB client does and keeps it for a while.
HOLDER = """
import duckdb, sys, time
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
print("released", flush=True)
time.sleep(float(sys.argv[3]))
"""


# --- a process holding the file ----------------------------------------------------------------

@pytest.fixture
def holder(db):
    """Start a holder of `db`: holder(hold_seconds, linger_seconds) → Popen, once it holds."""
    started = []

    def start(hold: float, linger: float = 0.0) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(hold),
                                    str(linger)], stdout=subprocess.PIPE, text=True)
        started.append(process)
        assert process.stdout.readline().strip() == "holding"
        return process
    yield start
    for process in started:
        process.kill()
        process.wait(timeout=10)


def test_a_held_file_raises_store_busy_naming_the_holder(db, holder):
    process = holder(hold=60)
    began = time.monotonic()
    with pytest.raises(StoreBusyError) as raised:
        open_connection(db, timeout=1, zone=ZONE)
    waited = time.monotonic() - began
    assert f"进程 {process.pid}" in str(raised.value)
    assert str(db) in str(raised.value) and "请稍后重试" in str(raised.value)
    assert 1.0 <= waited < 5, waited       # it did wait its timeout, and no more than that


def test_a_released_file_is_opened_after_waiting(db, holder):
    process = holder(hold=1.0, linger=30)   # the holder lives on after closing the file
    began = time.monotonic()
    con = open_connection(db, timeout=10, zone=ZONE)
    try:
        waited = time.monotonic() - began
        check_schema(con)
        assert con.execute("SELECT count(*) FROM indicators").fetchall()[0][0] > 0
    finally:
        con.close()
    assert 0.5 <= waited < 5, waited
    assert process.poll() is None           # released by closing, not by exiting


# --- the app and the command line on one file --------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        return urllib.request.urlopen(f"{url}/_stcore/health", timeout=5).read() == b"ok"
    except OSError:
        return False


@pytest.fixture(scope="module")
def app(template_db, tmp_path_factory):
    """`streamlit run dashboard.py` on a private copy of the database: (url, db path)."""
    db = tmp_path_factory.mktemp("concurrency") / "metrics.duckdb"
    shutil.copy(template_db, db)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.headless", "true"], cwd=BASE_DIR, env={**os.environ, "METRICS_DB": str(db)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("streamlit did not start")
            time.sleep(0.3)
        yield url, db
    finally:
        process.terminate()
        process.wait(timeout=20)


def county_upload(db: Path, path: Path) -> tuple[pd.DataFrame, str]:
    """A clean long-layout file: every real indicator × 2019–2023 × the first real counties;
    returns its rows and the first county's code."""
    with open_store(db).session() as con:
        cat = catalogue.read_from_store(con)
    bounds = valid_ranges(cat.indicators, cat.units)
    counties = cat.regions[(cat.regions["level"] == "county") & ~cat.regions["is_demo"]]["code"]
    codes = bounds["code"].to_numpy()
    low = np.nan_to_num(bounds["low"].to_numpy(dtype=float), neginf=0.0)
    high = bounds["high"].to_numpy(dtype=float)
    high = np.where(np.isfinite(high), high, low + 1000)
    k = np.arange(len(codes) * len(YEARS) * COUNTIES)
    i, y, r = k % len(codes), (k // len(codes)) % len(YEARS), k // (len(codes) * len(YEARS))
    share = 0.4 + 0.2 * ((r * 7919 + i * 104_729) % 1000) / 1000 + 0.001 * y
    frame = pd.DataFrame({"指标代码": codes[i], "地区代码": counties.to_numpy()[r],
                          "年份": np.asarray(YEARS)[y],
                          "数值": np.round(low[i] + (high[i] - low[i]) * share, 2)})
    county = counties.iloc[0]
    for year, value in SHOWN.items():
        frame.loc[(frame["指标代码"] == "infant_mortality_rate") & (frame["地区代码"] == county)
                  & (frame["年份"] == year), "数值"] = value
    frame.to_csv(path, index=False)
    return frame, county


def wait_rendered(page, timeout_ms: int = 90_000) -> None:
    from playwright.sync_api import expect
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
           ).to_be_attached(timeout=timeout_ms)


def trend_points(page) -> dict[int, float]:
    """(year → value) of the trend chart's series (its lines with markers; the paths to the
    target are lines only, the points they expect markers only), as Plotly holds them."""
    from playwright.sync_api import expect
    expect(page.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible(
        timeout=60_000)
    # _fullData: Plotly's decoded traces (`data` keeps plotly.py's base64 "bdata" arrays).
    traces = page.evaluate("() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
                           ".flatMap(d => d._fullData.filter(t => t.mode === "
                           "'lines+markers').map(t => ({x: Array.from(t.x || []), "
                           "y: Array.from(t.y || [])})))")
    points = {}
    for trace in traces:
        if trace["x"] and trace["y"] and len(trace["x"]) == len(trace["y"]):
            points.update({int(x): float(v) for x, v in zip(trace["x"], trace["y"])
                           if v is not None and str(x).isdigit()})
    return points


def start_import(file: Path, db: Path, log: Path) -> subprocess.Popen:
    with log.open("w") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "metrics", "import", str(file), "--db", str(db), "--format",
             "json"], cwd=BASE_DIR, stdout=subprocess.PIPE, stderr=err, text=True)


def test_import_from_the_command_line_while_the_app_serves(app, tmp_path):
    url, db = app
    frame, county = county_upload(db, tmp_path / "区县数据.csv")
    overview = f"{url}/?plan={OUTLINE}&region={county}"
    trends = f"{url}/trends?plan={OUTLINE}&ind=infant_mortality_rate&regions={county}"
    browser = None
    if Path(CHROMIUM).exists():
        from playwright.sync_api import expect, sync_playwright
        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--no-first-run"])
    try:
        if browser:
            page = browser.new_context(locale="zh-CN",
                                       storage_state=log_in(browser, url)).new_page()
            page.goto(overview)
            wait_rendered(page)
            expect(page.get_by_text("该地区尚无任何指标数据")).to_be_visible(timeout=30_000)

        # The import runs while pages keep being requested (rendered, when a browser is here:
        # every render opens the database in the app's process).
        importing = start_import(tmp_path / "区县数据.csv", db, tmp_path / "import.stderr")
        began, renders, health = time.monotonic(), 0, []
        while importing.poll() is None:
            health.append(healthy(url))
            if browser:
                page.goto(trends if renders % 2 else overview)
                wait_rendered(page)
                assert page.locator('[data-testid="stException"]').count() == 0
                alerts = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
                assert "占用" not in alerts and "错误" not in alerts, alerts
                renders += 1
            else:
                urllib.request.urlopen(overview, timeout=10).read()
                time.sleep(0.2)
        out, _ = importing.communicate(timeout=10)
        print(f"\nimport of {len(frame):,} rows: {time.monotonic() - began:.1f} s, "
              f"{renders} pages rendered meanwhile, {len(health)} health checks")
        stderr = (tmp_path / "import.stderr").read_text()
        assert importing.returncode == 0, stderr
        summary = json.loads(out)
        assert (summary["new"], summary["changed"], summary["unchanged"]) == (len(frame), 0, 0)
        assert summary["errors"] == [] and summary["batch_id"] is not None
        assert all(health) and healthy(url)
        if browser:
            assert renders >= 1

            # After the import the same pages show the imported values.
            page.goto(overview)
            wait_rendered(page)
            expect(page.locator('[data-testid="stMetric"]', has_text="最新数据年份")
                   ).to_contain_text("2023年", timeout=30_000)
            expect(page.get_by_text("该地区尚无任何指标数据")).to_have_count(0)
            page.goto(trends)
            wait_rendered(page)
            assert trend_points(page) == SHOWN
            assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        if browser:
            browser.close()
            playwright.stop()

    with duckdb_session(db) as (_, con):
        stored = con.execute(
            "SELECT count(*) FROM observations WHERE batch_id = ?",
            [summary["batch_id"]]).fetchall()[0][0]
    assert stored == len(frame)


# --- threads of one process, and a command beside them -----------------------------------------

def reader(store, stop: threading.Event, failures: list, county: str) -> None:
    """What a page does, over and over: the data version, a session of reads."""
    while not stop.is_set():
        try:
            store.data_version()
            with store.session() as reading:
                reading.fetch_observations(["infant_mortality_rate"], [county, "000000"])
                reading.fetch_batches()
        except Exception as exc:  # noqa: BLE001 - every failure is the finding
            failures.append(repr(exc))
            return


def shared_database(db: Path) -> SharedDatabase:
    return SHARED[str(db.resolve())]


def test_threads_of_one_process_share_one_open_database_while_one_writes(db):
    store = open_store(db, keep_open=30)
    county = "450802"
    stop, failures = threading.Event(), []
    threads = [threading.Thread(target=reader, args=(store, stop, failures, county))
               for _ in range(12)]
    for thread in threads:
        thread.start()
    try:
        for year in range(2000, 2010):   # writes at the same time, each its own transaction
            with store.transaction() as writing:
                batch = writing.create_batch("upload", "测试", "并发写入")
                new = pd.DataFrame({"indicator_code": ["infant_mortality_rate"],
                                    "region_code": [county], "year": [year], "value": [5.0],
                                    "numerator": [None], "denominator": [None],
                                    "source": ["测试"], "note": [None]})
                writing.write_observations(batch, new, new.iloc[:0],
                                           {"new": 1, "changed": 0, "unchanged": 0})
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert failures == []
    assert len(store.fetch_observations(["infant_mortality_rate"], [county])) == 10
    # Hundreds of units of work, one opening of the file.
    assert shared_database(db).openings == 1


def test_a_command_imports_while_the_app_keeps_the_database_open(db, tmp_path):
    store = open_store(db, keep_open=600)    # longer than the test: only the waiting signal
    county = "450802"                        # lets the command in
    stop, failures = threading.Event(), []
    threads = [threading.Thread(target=reader, args=(store, stop, failures, county))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    file = tmp_path / "区县数据.csv"
    file.write_text("指标代码,地区代码,年份,数值\n" + "".join(
        f"infant_mortality_rate,{county},{year},{value}\n" for year, value in SHOWN.items()),
        encoding="utf-8")
    try:
        time.sleep(0.5)                      # the readers hold the file
        assert shared_database(db).root is not None
        began = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "metrics", "import", str(file), "--db",
                               str(db), "--format", "json"], cwd=BASE_DIR, capture_output=True,
                              text=True, timeout=120)
        took = time.monotonic() - began
        time.sleep(0.5)                      # the readers carry on after it
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["new"] == len(SHOWN)
    assert failures == []
    assert took < 30, took                   # well inside the command's busy timeout
    # The app's next unit of work reopens the file and sees the import.
    assert store.data_version()[1] == json.loads(done.stdout)["batch_id"]
    stored = store.fetch_observations(["infant_mortality_rate"], [county])
    assert dict(zip(stored["year"], stored["value"])) == SHOWN
    assert shared_database(db).openings >= 2


def test_tabs_of_one_login_opened_at_once_all_open(db):
    """Thirty tabs of one login loading at the same moment each touch its session row; DuckDB
    refuses concurrent updates of one row ("Conflict on update"), which reached a viewer as an
    error box when 30 viewers shared a login (bench/browser_pages.py). Every touch succeeds, and
    the session was touched."""
    import secrets as random_secrets

    from metrics import logins
    store = open_store(db, keep_open=10)
    token_hash = logins.token_hash(random_secrets.token_urlsafe(24))
    opened = store.local_time()
    store.open_login_session(token_hash, "tester", "测试", opened)
    start, errors = threading.Barrier(30), []

    def touch() -> None:
        start.wait()
        try:
            store.touch_login_session(token_hash, store.local_time())
        except Exception as exc:  # noqa: BLE001 - every failure is the finding
            errors.append(exc)
    threads = [threading.Thread(target=touch) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.fetch_login_session(token_hash)["last_seen"] > opened
