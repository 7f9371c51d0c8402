"""Exceptions for broken configuration and misuse. Problems in user data are not exceptions:
they are reported as rows (see ingest)."""


class MetricsError(Exception):
    """Base class; the message is Chinese and shown to the user as is."""


class CatalogueError(MetricsError):
    """The files under data/ contradict each other or the schema."""


class StoreError(MetricsError):
    """The database cannot be used (wrong schema version, unreadable file)."""


class StoreBusyError(StoreError):
    """Another process holds the database file for longer than we are willing to wait."""


class NotFoundError(MetricsError):
    """A plan, region or indicator named by the user does not exist."""


class SettingsError(MetricsError):
    """data/settings.yaml lacks a key or holds a value it may not (the message names the key)."""
