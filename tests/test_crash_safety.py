"""Crash safety of an import, for real: `python -m metrics import` is killed with SIGKILL while
it is inside its commit, and the database must then hold all of the batch or none of it, open
normally and evaluate.

How the kill is made to land inside the commit, without touching product code. The command
opens the database file three times: to read the catalogue, to preview the checked upload
(each a short `store.session`), then for `ingest.commit`'s transaction. The test watches the
child's open files in /proc/<pid>/fd; from the third opening (or from the first growth of the
file, whichever is
seen first) the child is inside the commit. To act at an exact moment the child is frozen with
SIGSTOP (every thread stopped, checked in /proc/<pid>/task/*/stat), and the test acts only
while the frozen child still has the file open - the commit's connection, closed only after
COMMIT and the checkpoint that follows - so what it does happens inside the commit, no race:

- run 1 copies the frozen files (database and WAL) at steps through the whole commit - a copy
  of a frozen process's files is exactly what a SIGKILL at that instant leaves on disk, since
  killing a process loses nothing the kernel already has - then lets the import finish, which
  also measures how long the commit takes;
- run 2 starts the same import on a fresh copy and kills it with a real SIGKILL, frozen and
  checked to be inside the commit: as soon as the WAL file appears (COMMIT is writing it), or,
  if run 1 saw no WAL, half-way through the commit; earlier on a retry if the commit ended.

Every copy and the killed database are then opened through `store.session`; each must hold
either none of the file's rows (no batch, no revisions, no stored file) or all of them, with
the right values, and evaluate; and the killed database must take the next import.

What DuckDB 2.0 does (seen while writing this test): the transaction writes large row groups
into free blocks of the database file as it goes (the file grows before COMMIT); COMMIT then
writes the WAL (about 11 MB for these 240,000 rows) and closing the connection checkpoints it
into the file and deletes it. Copies taken before the WAL is complete hold none of the batch,
copies taken after hold all of it (replayed from the WAL). From about 300,000 rows the WAL
would pass `checkpoint_threshold` (16 MB) and COMMIT checkpoints straight into the file with no
WAL at all - the test still passes then, killing half-way instead of at the WAL.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import duckdb_session

from metrics import catalogue, config, evaluation
from metrics.catalogue import valid_ranges
from metrics.config import BASE_DIR
from metrics.store import open_store

if not Path("/proc/self/fd").is_dir():
    pytest.skip("needs /proc to watch the importing process", allow_module_level=True)

ROWS = 240_000               # 100 indicators × 9 years × 267 counties; WAL ≈ 11 MB
YEARS = list(range(2016, 2025))
OUTLINE = "children-2021-2030"
COMMIT_OPENING = 4  # after the catalogue, the locks and the preview, the commit opens the file
SNAPSHOT_STEP = 0.1          # seconds between copies of the frozen database in run 1
# When COMMIT writes no WAL, run 2 kills at this share of run 1's commit time (then earlier,
# should the commit have ended first).
KILL_AT = (0.5, 0.25, 0.1)


# --- the upload --------------------------------------------------------------------------------

def upload_frame(cat: catalogue.Catalogue, rows: int) -> pd.DataFrame:
    """A clean long-layout upload: every real indicator × years 2016–2024 × the first real
    (non-demo) counties, values inside each indicator's valid range, drifting slowly so no
    year-on-year jump is flagged."""
    bounds = valid_ranges(cat.indicators, cat.units)
    counties = cat.regions[(cat.regions["level"] == "county") & ~cat.regions["is_demo"]]["code"]
    codes = bounds["code"].to_numpy()
    low = np.nan_to_num(bounds["low"].to_numpy(dtype=float), neginf=0.0)
    high = bounds["high"].to_numpy(dtype=float)
    high = np.where(np.isfinite(high), high, low + 1000)     # e.g. a count with no upper bound
    k = np.arange(rows)
    i, y = k % len(codes), (k // len(codes)) % len(YEARS)
    r = k // (len(codes) * len(YEARS))
    assert r.max() < len(counties), "more rows than indicator × county × year keys"
    share = 0.4 + 0.2 * ((r * 7919 + i * 104_729) % 1000) / 1000 + 0.001 * y
    return pd.DataFrame({"指标代码": codes[i], "地区代码": counties.to_numpy()[r],
                         "年份": np.asarray(YEARS)[y],
                         "数值": np.round(low[i] + (high[i] - low[i]) * share, 2)})


@pytest.fixture(scope="module")
def upload(template_db, tmp_path_factory):
    """(file, its rows as stored keys and values, its SHA-256)."""
    with open_store(template_db).session() as con:
        cat = catalogue.read_from_store(con)
    frame = upload_frame(cat, ROWS)
    path = tmp_path_factory.mktemp("crash") / "县级数据.csv"
    frame.to_csv(path, index=False, encoding="utf-8")
    keys = frame.set_axis(["indicator_code", "region_code", "year", "value"], axis=1)
    return path, keys, hashlib.sha256(path.read_bytes()).hexdigest()


# --- watching and freezing the importing process -----------------------------------------------

def holds(pid: int, db: Path) -> bool:
    """Whether the process has the database file open."""
    target = str(db.resolve())
    try:
        names = os.listdir(f"/proc/{pid}/fd")
    except FileNotFoundError:
        return False
    for name in names:
        try:
            if os.readlink(f"/proc/{pid}/fd/{name}") == target:
                return True
        except OSError:
            continue
    return False


def freeze(pid: int, timeout: float = 5.0) -> None:
    """SIGSTOP, then wait until every thread is stopped (none still inside a write)."""
    os.kill(pid, signal.SIGSTOP)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = []
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                stat = Path(f"/proc/{pid}/task/{task}/stat").read_text()
            except OSError:
                continue
            states.append(stat.rsplit(")", 1)[1].split()[0])
        if states and all(s in "tT" for s in states):
            return
        time.sleep(0.001)
    raise AssertionError(f"process {pid} did not stop")


@dataclass
class Import:
    """`python -m metrics import FILE --db DB --format json`, watched from outside."""
    file: Path
    db: Path
    process: subprocess.Popen = field(init=False)
    commit_started: float | None = None

    def __post_init__(self):
        self.size = self.db.stat().st_size
        # Output goes to files: a pipe nobody reads until the end could block the child.
        self.out, self.err = (self.db.with_suffix(".stdout"), self.db.with_suffix(".stderr"))
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "metrics", "import", str(self.file), "--db",
                 str(self.db), "--format", "json"], cwd=BASE_DIR, stdout=out, stderr=err)

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_for_commit(self, timeout: float = 120) -> float:
        """Block until the child is inside `ingest.commit`; return that moment."""
        opened, was_open = 0, False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"import ended before its commit was seen: "
                                     f"{self.process.returncode} {self.output()}")
            now_open = holds(self.pid, self.db)
            opened += now_open and not was_open
            was_open = now_open
            if opened >= COMMIT_OPENING or (now_open and self.db.stat().st_size != self.size):
                self.commit_started = time.monotonic()
                return self.commit_started
            time.sleep(0.001)
        self.process.kill()
        raise AssertionError(f"the import never reached its commit: {self.output()}")

    def output(self) -> str:
        return (self.out.read_text()[-1000:] + self.err.read_text()[-1000:])

    def frozen_in_commit(self) -> bool:
        """Freeze the child; True if it is still inside the commit (file open), else it is
        resumed and False."""
        if self.process.poll() is not None:
            return False
        freeze(self.pid)
        if holds(self.pid, self.db):
            return True
        os.kill(self.pid, signal.SIGCONT)
        return False

    def resume(self) -> None:
        os.kill(self.pid, signal.SIGCONT)

    def kill(self) -> None:
        self.process.kill()
        assert self.process.wait(timeout=30) == -signal.SIGKILL

    def finish(self) -> dict:
        assert self.process.wait(timeout=120) == 0, self.output()
        return json.loads(self.out.read_text())


@pytest.fixture
def start_import():
    """Import factory; a child left running (or frozen) by a failing test is killed."""
    started: list[Import] = []

    def start(file: Path, db: Path) -> Import:
        started.append(Import(file, db))
        return started[-1]
    yield start
    for run in started:
        if run.process.poll() is None:
            run.process.kill()
            run.process.wait(timeout=30)


def wal_of(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


def copy_database(db: Path, target: Path) -> Path:
    """The database file (and its WAL, if any) as they are on disk now."""
    target.mkdir(parents=True)
    shutil.copy(db, target / db.name)
    if wal_of(db).exists():
        shutil.copy(wal_of(db), target / wal_of(db).name)
    return target / db.name


def file_digest(path: Path) -> str:
    digest = hashlib.sha1(path.read_bytes())
    if wal_of(path).exists():
        digest.update(wal_of(path).read_bytes())
    return digest.hexdigest()


# --- what a database holds of the batch --------------------------------------------------------

def batch_state(db: Path, keys: pd.DataFrame, sha256: str, before: int) -> str:
    """'none' or 'all' - anything in between fails. Opens the file as the app does and runs a
    normal evaluation of one of the file's counties."""
    with duckdb_session(db) as (store, con):
        batches = con.execute("SELECT id, n_new, n_changed FROM batches WHERE sha256 = ?",
                              [sha256]).fetchall()
        con.register("file_keys", keys)
        from_file, same_value = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE abs(o.value - k.value) < 1e-9) "
            "FROM observations o JOIN file_keys k USING (indicator_code, region_code, year)"
        ).fetchall()[0]
        con.unregister("file_keys")
        total = con.execute("SELECT count(*) FROM observations").fetchone()[0]
        ids = [b[0] for b in batches]
        revisions, files, by_batch = con.execute(
            "SELECT (SELECT count(*) FROM revisions WHERE batch_id IN (SELECT unnest($ids))), "
            "(SELECT count(*) FROM batch_files WHERE batch_id IN (SELECT unnest($ids))), "
            "(SELECT count(*) FROM observations WHERE batch_id IN (SELECT unnest($ids)))",
            {"ids": ids}).fetchall()[0]
        cat = catalogue.read_from_store(store)
        county = keys["region_code"].iloc[0]      # holds every indicator and year
        evaluated = evaluation.run(store, cat, OUTLINE, [county], YEARS[-1],
                                   settings=config.settings().evaluation)
    n = len(keys)
    found = {"batches": len(batches), "from_file": from_file, "same_value": same_value,
             "extra": total - before, "revisions": revisions, "files": files,
             "by_batch": by_batch}
    assert len(evaluated) == len(evaluation.outline_indicators(cat, OUTLINE))
    if not any(found.values()):
        assert evaluated["latest_value"].isna().all()
        return "none"
    assert found == {"batches": 1, "from_file": n, "same_value": n, "extra": n,
                     "revisions": n, "files": 1, "by_batch": n}, f"torn batch in {db}: {found}"
    assert batches[0][1:] == (n, 0)
    expected = keys[(keys["region_code"] == county) & (keys["year"] == YEARS[-1])]
    got = evaluated.merge(expected, on="indicator_code")
    assert len(got) and (got["latest_value"] - got["value"]).abs().max() < 1e-9
    assert (got["latest_year"] == YEARS[-1]).all()
    return "all"


# --- the test -----------------------------------------------------------------------------------

def test_import_killed_inside_its_commit_leaves_all_or_nothing(upload, template_db, tmp_path,
                                                               start_import):
    file, keys, sha256 = upload
    with duckdb_session(template_db) as (_, con):
        before = con.execute("SELECT count(*) FROM observations").fetchone()[0]

    # Run 1: copies of the frozen database through the whole commit, then a normal finish.
    db = tmp_path / "run1" / "metrics.duckdb"
    db.parent.mkdir()
    shutil.copy(template_db, db)
    run = start_import(file, db)
    started = run.wait_for_commit()
    snapshots, seen, taken = [], set(), 0
    while run.frozen_in_commit():
        at, logged = time.monotonic() - started, wal_of(db).exists()
        copy = copy_database(db, tmp_path / f"snapshot-{taken:03d}")
        run.resume()
        taken += 1
        digest = file_digest(copy)
        if digest in seen:            # identical files are one crash state
            shutil.rmtree(copy.parent)
        else:
            seen.add(digest)
            snapshots.append((at, logged, copy))
        # Once COMMIT is logging, sample densely: what follows is the checkpoint of the log.
        time.sleep(SNAPSHOT_STEP / 4 if logged else SNAPSHOT_STEP)
    commit_seconds = time.monotonic() - started
    summary = run.finish()
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (len(keys), 0, 0)
    assert summary["errors"] == []
    assert batch_state(db, keys, sha256, before) == "all"
    assert len(snapshots) >= 3, f"commit too short to sample ({commit_seconds:.2f} s)"
    states = [(round(at, 2), "wal" if logged else "-", batch_state(copy, keys, sha256, before))
              for at, logged, copy in snapshots]
    outcomes = [state for _, _, state in states]
    assert outcomes[0] == "none", states             # the commit had only just begun
    assert outcomes == sorted(outcomes, key=["none", "all"].index), states   # never back
    print(f"\ncommit {commit_seconds:.2f} s; {taken} copies, distinct crash states: {states}")

    # Run 2: a real SIGKILL. If run 1 saw COMMIT write a WAL, the kill lands as soon as the WAL
    # appears (COMMIT is writing it: the log is torn); otherwise half-way through the commit.
    logs = any(logged for _, logged, _ in snapshots)
    for share in KILL_AT:
        db = tmp_path / f"run2-{share}" / "metrics.duckdb"
        db.parent.mkdir()
        shutil.copy(template_db, db)
        run = start_import(file, db)
        begun = run.wait_for_commit()
        if logs:                      # COMMIT starts writing the WAL: catch it at it
            deadline = begun + 10 * commit_seconds + 30
            while (time.monotonic() < deadline and not wal_of(db).exists()
                   and run.process.poll() is None):
                time.sleep(0.001)
        else:
            time.sleep(commit_seconds * share)
        if run.frozen_in_commit():
            killed_at = time.monotonic() - begun
            wal = wal_of(db).stat().st_size if wal_of(db).exists() else None
            run.kill()                # delivered while frozen: the commit cannot have ended
            break
        run.finish()                  # the commit ended before the kill: try earlier
    else:
        pytest.fail("no kill landed inside the commit")
    state = batch_state(db, keys, sha256, before)
    print(f"SIGKILL {killed_at:.2f} s into the commit, WAL "
          f"{'absent' if wal is None else f'of {wal:,} bytes'}: {state}")

    # The killed database takes the next import: the lock died with the process.
    small = tmp_path / "补报.csv"
    keys.head(20).assign(value=keys["value"].head(20) + 0.01).set_axis(
        ["指标代码", "地区代码", "年份", "数值"], axis=1).to_csv(small, index=False)
    after = subprocess.run(
        [sys.executable, "-m", "metrics", "import", str(small), "--db", str(db), "--format",
         "json"], cwd=BASE_DIR, capture_output=True, text=True, timeout=60, check=False)
    assert after.returncode == 0, after.stderr
    counts = json.loads(after.stdout)
    assert (counts["new"], counts["changed"]) == ((20, 0) if state == "none" else (0, 20))
