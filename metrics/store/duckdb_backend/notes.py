"""Notes on 重点难点指标 (原因, 整改措施, 时限, 责任单位) (a part of DuckDBStore)."""
from __future__ import annotations

import pandas as pd

from metrics.store.interface import FOCUS_FIELDS


class Notes:
    """One row per (outline, region, indicator) that carries a note."""

    def fetch_focus_items(self, outline_id: str, region_codes: list[str]) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute(
                "SELECT region_code, indicator_code, reason, measures, deadline, responsible, "
                "updated_by, updated_at FROM focus_items "
                "WHERE outline_id = ? AND region_code IN (SELECT unnest(?))",
                [outline_id, list(region_codes)]).df()

    def save_focus_items(self, outline_id: str, region_code: str, items: pd.DataFrame,
                         user_name: str) -> None:
        items = items[["indicator_code", *FOCUS_FIELDS]].assign(
            outline_id=outline_id, region_code=region_code, updated_by=user_name)
        filled = items[FOCUS_FIELDS].fillna("").astype(str).apply(lambda c: c.str.strip()).ne("")
        with self.connection() as con:
            con.register("incoming", items[filled.any(axis=1)])
            try:
                con.execute("DELETE FROM focus_items WHERE outline_id = ? AND region_code = ? "
                            "AND indicator_code IN (SELECT unnest(?))",
                            [outline_id, region_code, list(items["indicator_code"])])
                con.execute("INSERT INTO focus_items BY NAME "
                            "SELECT *, now() AS updated_at FROM incoming")
            finally:
                con.unregister("incoming")
