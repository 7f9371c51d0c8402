"""What a process serving the app does once: open its store, build it from data/ on first start
(an older one is upgraded in place), and create the first administrator, whose password is
printed once to the terminal that started the app."""
from __future__ import annotations

import functools

from metrics import accounts, audit, sync
from metrics.access import system
from metrics.store import Store, open_store


def first_administrator_banner(password: str) -> str:
    line = "=" * 64
    return (f"{line}\n两纲监测：已创建管理员账号 {accounts.FIRST_ADMINISTRATOR}\n"
            f"初始密码：{password}\n（只显示这一次。忘记时运行：python -m metrics user "
            f"reset-password {accounts.FIRST_ADMINISTRATOR}）\n{line}")


# A serving process keeps its database open this long after a unit of work (opening it cost
# 22 ms, three to five times a page); it lets go at once when a command waits for the file.
KEEP_OPEN_SECONDS = 10.0


@functools.cache
def process_store(url: str) -> Store:
    """The store at `url`, ready to serve, one per process and URL."""
    store = open_store(url, keep_open=KEEP_OPEN_SECONDS)
    if not store.is_initialised():
        report = sync.init(store)
        audit.record(store, system("首次启动"), "catalogue_synced", url,
                     detail="；".join(report.lines()))
    password = accounts.ensure_first_administrator(store)
    if password:
        print(first_administrator_banner(password), flush=True)
    return store
