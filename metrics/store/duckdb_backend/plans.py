"""Local plans created by users, their indicators (targets and responsibilities), the
indicators they define themselves and the versions of each (a part of DuckDBStore). init never
touches these tables."""
from __future__ import annotations

import duckdb
import pandas as pd

from metrics.store.interface import (
    LOCAL_INDICATOR_FIELDS,
    USER_PLAN_FIELDS,
    USER_PLAN_INDICATOR_FIELDS,
)


class UserPlans:
    """One row per plan, one per (plan, indicator), one per saved version."""

    def fetch_user_plans(self) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute(f"SELECT {', '.join(USER_PLAN_FIELDS)} FROM user_plans "
                               "ORDER BY region_code, id").df()

    def fetch_user_plan_indicators(self) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute(f"SELECT {', '.join(USER_PLAN_INDICATOR_FIELDS)} "
                               "FROM user_plan_indicators ORDER BY plan_id, indicator_code").df()

    def save_user_plan(self, plan: dict, indicators: pd.DataFrame, user_name: str,
                       summary: str, before_state: str | None, after_state: str) -> int:
        rows = indicators.reindex(columns=USER_PLAN_INDICATOR_FIELDS).assign(plan_id=plan["id"])
        with self.connection() as con:
            version = con.execute("SELECT coalesce(max(version), 0) + 1 FROM plan_versions "
                                  "WHERE plan_id = ?", [plan["id"]]).fetchall()[0][0]
            record = {**{f: plan.get(f) for f in USER_PLAN_FIELDS}, "version": version}
            con.execute("DELETE FROM user_plans WHERE id = ?", [plan["id"]])
            con.execute(f"INSERT INTO user_plans ({', '.join(record)}) VALUES "
                        f"({', '.join('?' * len(record))})", list(record.values()))
            replace_plan_rows(con, "user_plan_indicators", plan["id"], rows)
            con.execute("INSERT INTO plan_versions VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [plan["id"], version, user_name, self.local_time(), summary,
                         before_state, after_state])
        return int(version)

    def fetch_plan_versions(self, plan_id: str) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute("SELECT plan_id, version, changed_by, changed_at, summary, "
                               "before_state, after_state FROM plan_versions WHERE plan_id = ? "
                               "ORDER BY version DESC", [plan_id]).df()

    def fetch_local_indicators(self) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute(f"SELECT {', '.join(LOCAL_INDICATOR_FIELDS)} FROM local_indicators "
                               "ORDER BY plan_id, sort_order, code").df()

    def save_local_indicators(self, plan: dict, indicators: pd.DataFrame) -> None:
        rows = indicators.reindex(columns=LOCAL_INDICATOR_FIELDS).assign(plan_id=plan["id"])
        with self.connection() as con:
            replace_plan_rows(con, "local_indicators", plan["id"], rows)


def replace_plan_rows(con: duckdb.DuckDBPyConnection, table: str, plan_id: str,
                      rows: pd.DataFrame) -> None:
    """The plan's rows of `table` (its indicators, or those it defines) replaced by `rows`."""
    con.execute(f"DELETE FROM {table} WHERE plan_id = ?", [plan_id])
    con.register("incoming", rows)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
    finally:
        con.unregister("incoming")
