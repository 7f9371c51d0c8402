"""What a process serving the app does once: open its store, build it from data/ on first start
(an older one is upgraded in place), create the first administrator, whose password is printed
once to the terminal that started the app, and audit the office settings when they differ from
those the last start recorded (they are edited in data/settings.yaml, not in the app)."""
from __future__ import annotations

import dataclasses
import functools
import json

from metrics import accounts, audit, config, setting_labels, sync
from metrics.access import system
from metrics.settings import Settings
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
    record_settings(store, config.settings())
    return store


def flat_settings(settings: Settings) -> dict:
    """Every setting by its key (evaluation.staleness_years → 2), as JSON would hold it."""
    flat = {}

    def walk(section: dict, prefix: str) -> None:
        for key, value in section.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            else:
                flat[f"{prefix}{key}"] = list(value) if isinstance(value, tuple) else value
    walk(dataclasses.asdict(settings), "")
    return flat


def record_settings(store: Store, settings: Settings) -> None:
    """Audit the settings when they differ from those the last start recorded: the whole set
    after (so the next start can compare), the changed keys' values before."""
    now = flat_settings(settings)
    last = store.fetch_audit(action="settings_changed", limit=1)
    previous = json.loads(last["after_state"].iloc[0]) if len(last) else None
    if previous == now:
        return
    if previous is None:
        audit.record(store, system("启动"), "settings_changed", "data/settings.yaml", after=now,
                     detail="首次记录全部设置")
        return
    changed = sorted(key for key in set(now) | set(previous)
                     if previous.get(key) != now.get(key))
    audit.record(store, system("启动"), "settings_changed", "data/settings.yaml",
                 before={key: previous.get(key) for key in changed}, after=now,
                 detail="改动：" + "、".join(setting_labels.label(key) for key in changed))
