"""The app served for the browser benchmarks (bench/browser_pages.py): `streamlit run
dashboard.py` on 127.0.0.1 against a store, an administrator account to log in with, and what
the serving process holds (resident memory, CPU time) read from /proc."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_USER = "bench"
BENCH_PASSWORD = "基准测试用的密码-0016"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_account(store_path: Path) -> None:
    """An administrator of 全国 named BENCH_USER with BENCH_PASSWORD, made once by the local
    administrator as the command line would (setting the password again would end the login
    sessions of a benchmark running meanwhile)."""
    from metrics import accounts, catalogue
    from metrics.access import Role, local_administrator
    from metrics.regions import NATIONAL_CODE, RegionTree
    from metrics.store import open_store
    from metrics.store.guarded import guard
    store = open_store(store_path)
    if not store.is_initialised():
        from metrics import sync
        sync.init(store)
    cat = catalogue.read_from_store(store)
    tree, admin = RegionTree(cat.regions), local_administrator("基准测试")
    guarded = guard(store, admin, tree, cat.plan_indicators)
    if guarded.fetch_user(BENCH_USER) is None:
        accounts.add_user(guarded, admin, tree, BENCH_USER, Role.ADMIN, NATIONAL_CODE,
                          password=BENCH_PASSWORD)


def bench_cookie(store_path: Path) -> str:
    """The cookie of a login session of the bench account (as a login opens one, without the
    form): AppTest carries no cookies, so page_times hands it to the pages through their test
    seam (METRICS_TEST_IDENTITY)."""
    import secrets

    from metrics import logins
    from metrics.store import open_store
    bench_account(store_path)
    store = open_store(store_path)
    token = secrets.token_urlsafe(24)
    store.open_login_session(logins.token_hash(token), BENCH_USER, "基准测试", store.local_time())
    return logins.signer(store).sign(token).decode()


class Server:
    """One serving process of the app at `root` (the tree benchmarked) on a free port."""

    def __init__(self, store_path: Path, log_path: Path, root: Path = ROOT):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port",
             str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=root, env={**os.environ, "METRICS_DB": str(store_path)},
            stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early (log: {self.log.name})")
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError("streamlit did not become healthy")

    def status(self, field: str) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        return 0

    def rss_mb(self) -> float:
        """Resident memory of the serving process now, MB."""
        return self.status("VmRSS") / 1024

    def peak_mb(self) -> float:
        return self.status("VmHWM") / 1024

    def cpu_seconds(self) -> float:
        """User + system CPU time of the serving process (every thread) so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        self.log.close()
