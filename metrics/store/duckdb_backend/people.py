"""Users, login sessions, failed logins, secrets and the audit log (a part of DuckDBStore).

The audit log has an INSERT here and nothing else: no statement of the product updates or
deletes an entry (tests/test_audit.py reads the source to make sure).
"""
from __future__ import annotations

import secrets as random_secrets

import duckdb
import pandas as pd

from metrics.errors import StoreError
from metrics.store.duckdb_backend.connection import fetch_one
from metrics.store.interface import AUDIT_FIELDS, LOGIN_SESSION_FIELDS, USER_FIELDS

USER_COLUMNS = ", ".join(USER_FIELDS)
SESSION_COLUMNS = ", ".join(LOGIN_SESSION_FIELDS)
AUDIT_COLUMNS = ", ".join(AUDIT_FIELDS)
CHANGEABLE_USER_FIELDS = set(USER_FIELDS) - {"name", "created_at"}


def first_row(frame: pd.DataFrame) -> dict | None:
    """The frame's only row as a dict with missing values as None, or None when empty."""
    if frame.empty:
        return None
    return {k: (None if pd.isna(v) else v) for k, v in frame.iloc[0].to_dict().items()}


class People:
    """Who may log in, their open sessions and failed attempts; the store's secrets."""

    def create_user(self, user: dict) -> None:
        row = pd.DataFrame([{field: user.get(field) for field in USER_FIELDS}])
        with self.connection() as con:
            if fetch_one(con, "SELECT count(*) FROM users WHERE name = ?", [user["name"]]):
                raise StoreError(f"用户名「{user['name']}」已存在。", hint="请换一个用户名。")
            con.register("incoming_user", row)
            try:
                con.execute(f"INSERT INTO users ({USER_COLUMNS}) "
                            f"SELECT {USER_COLUMNS} FROM incoming_user")
            finally:
                con.unregister("incoming_user")

    def update_user(self, name: str, changes: dict) -> None:
        unknown = set(changes) - CHANGEABLE_USER_FIELDS
        if unknown:
            raise ValueError(f"not a changeable user field: {sorted(unknown)}")
        assignments = ", ".join(f"{field} = ?" for field in changes)
        with self.connection() as con:
            if not fetch_one(con, "SELECT count(*) FROM users WHERE name = ?", [name]):
                raise StoreError(f"没有用户「{name}」。", hint="用 python -m metrics user list 查看用户。")
            con.execute(f"UPDATE users SET {assignments} WHERE name = ?",
                        [*changes.values(), name])

    def fetch_user(self, name: str) -> dict | None:
        with self.connection() as con:
            return first_row(con.execute(f"SELECT {USER_COLUMNS} FROM users WHERE name = ?",
                                         [name]).df())

    def fetch_users(self) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute(f"SELECT {USER_COLUMNS} FROM users ORDER BY name").df()

    def open_login_session(self, token_hash: str, user_name: str, address: str, now) -> None:
        with self.connection() as con:
            con.execute("INSERT INTO login_sessions VALUES (?, ?, ?, ?, ?, NULL, NULL)",
                        [token_hash, user_name, address, now, now])

    def fetch_login_session(self, token_hash: str) -> dict | None:
        with self.connection() as con:
            return first_row(con.execute(f"SELECT {SESSION_COLUMNS} FROM login_sessions "
                                         "WHERE token_hash = ?", [token_hash]).df())

    def touch_login_session(self, token_hash: str, now) -> None:
        with self.connection() as con:
            try:
                con.execute("UPDATE login_sessions SET last_seen = ? WHERE token_hash = ?",
                            [now, token_hash])
            except duckdb.TransactionException as exc:
                # Tabs of one login opened at once all touch its row; DuckDB refuses all but
                # one concurrent update ("Conflict on update"), and the one that won has set
                # last_seen to the same moment. Any other failure is the store's to report.
                if "conflict" not in str(exc).lower():
                    raise

    def end_login_sessions(self, reason: str, now, token_hash: str | None = None,
                           user_name: str | None = None) -> int:
        if (token_hash is None) == (user_name is None):
            raise ValueError("end one session (token_hash) or one user's (user_name)")
        column, key = ("token_hash", token_hash) if token_hash else ("user_name", user_name)
        with self.connection() as con:
            ended = fetch_one(con, f"SELECT count(*) FROM login_sessions WHERE {column} = ? "
                                   "AND ended_at IS NULL", [key])
            con.execute(f"UPDATE login_sessions SET ended_at = ?, end_reason = ? "
                        f"WHERE {column} = ? AND ended_at IS NULL", [now, reason, key])
            return ended

    def fetch_login_sessions(self) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute(f"SELECT {SESSION_COLUMNS} FROM login_sessions "
                               "WHERE ended_at IS NULL ORDER BY last_seen DESC").df()

    def record_login_failure(self, user_name: str, address: str, at, forget_before) -> None:
        with self.connection() as con:
            con.execute("DELETE FROM login_failures WHERE failed_at < ?", [forget_before])
            con.execute("INSERT INTO login_failures VALUES (?, ?, ?)", [user_name, address, at])

    def fetch_login_failures(self, user_name: str, address: str, since) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute("SELECT user_name, address, failed_at FROM login_failures "
                               "WHERE failed_at >= ? AND (user_name = ? OR address = ?) "
                               "ORDER BY failed_at",
                               [since, user_name, address]).df()

    def clear_login_failures(self, user_name: str) -> None:
        with self.connection() as con:
            con.execute("DELETE FROM login_failures WHERE user_name = ?", [user_name])

    def secret(self, name: str) -> str:
        with self.connection() as con:
            # ON CONFLICT keeps the first value when two processes create it at once.
            con.execute("INSERT INTO secrets VALUES (?, ?) ON CONFLICT DO NOTHING",
                        [name, random_secrets.token_hex(32)])
            return fetch_one(con, "SELECT value FROM secrets WHERE name = ?", [name])


class AuditLog:
    """Append and read; never change."""

    def append_audit(self, entry: dict) -> int:
        fields = [f for f in AUDIT_FIELDS if f not in ("id", "occurred_at")]
        with self.connection() as con:
            entry_id = fetch_one(con, "SELECT nextval('audit_ids')")
            con.execute(f"INSERT INTO audit_log ({AUDIT_COLUMNS}) VALUES "
                        f"(?, now(), {', '.join('?' for _ in fields)})",
                        [entry_id, *(entry.get(f) for f in fields)])
            return entry_id

    def fetch_audit(self, since=None, until=None, user_name: str | None = None,
                    action: str | None = None, limit: int | None = None) -> pd.DataFrame:
        conditions = {"occurred_at >= ?": since, "occurred_at < ?": until, "user_name = ?": user_name,
                      "action = ?": action}
        used = {sql: value for sql, value in conditions.items() if value is not None}
        where = " AND ".join(used) or "TRUE"
        bound = f" LIMIT {int(limit)}" if limit is not None else ""
        with self.connection() as con:
            return con.execute(f"SELECT {AUDIT_COLUMNS} FROM audit_log WHERE {where} "
                               f"ORDER BY id DESC{bound}", list(used.values())).df()
