"""Exceptions for broken configuration and misuse. Problems in user data are not exceptions:
they are reported as rows (see ingest)."""


class MetricsError(Exception):
    """Base class; the message is Chinese and shown to the user as is, with `hint` (what to do
    about it) beneath it where there is one."""
    hint = ""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class CatalogueError(MetricsError):
    """The files under data/ contradict each other or the schema."""
    hint = "请改正 data/ 目录中的目录文件后重新运行 python -m metrics init。"


class StoreError(MetricsError):
    """The database cannot be used (wrong schema version, unreadable file)."""
    hint = "如问题持续，请联系系统管理员检查数据库。"


class StoreBusyError(StoreError):
    """Another process holds the database file for longer than we are willing to wait."""
    hint = "请稍后刷新页面重试。"


class NotFoundError(MetricsError):
    """A plan, region or indicator named by the user does not exist."""


class SettingsError(MetricsError):
    """data/settings.yaml lacks a key or holds a value it may not (the message names the key)."""
