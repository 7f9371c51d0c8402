"""Reporting periods: each (outline, region, year)'s state, its append-only history, and the
locks that keep values of a locked period as they are (a part of DuckDBStore).

The history has an INSERT here and nothing else, as the audit log."""
from __future__ import annotations

import pandas as pd

from metrics.errors import StoreError
from metrics.store.duckdb_backend.connection import fetch_one
from metrics.store.interface import (
    LOCKED_KEY_FIELDS,
    OBSERVATION_KEY,
    PERIOD_EVENT_FIELDS,
    PERIOD_FIELDS,
    PERIOD_STATES,
)

PERIOD_COLUMNS = ", ".join(PERIOD_FIELDS)
EVENT_COLUMNS = ", ".join(PERIOD_EVENT_FIELDS)
# The states that stamp who reached them and when (open stamps nothing).
STAMPED = PERIOD_STATES[1:]

# The locked periods' keys among some keys (a relation `wanted` of OBSERVATION_KEY columns):
# an outline monitoring the indicator locked the region's year. One row per key, the earliest
# lock first when two outlines monitoring the indicator locked it.
LOCKED_KEYS_SQL = """
SELECT w.indicator_code, w.region_code, w.year, p.outline_id, p.locked_by, p.locked_at
FROM wanted w
JOIN (SELECT plan_id, indicator_code FROM plan_indicators
      UNION ALL SELECT outline_id, code FROM local_indicators) i
    ON i.indicator_code = w.indicator_code
JOIN reporting_periods p ON p.outline_id = i.plan_id AND p.region_code = w.region_code
    AND p.year = w.year
WHERE p.state = 'locked'
QUALIFY row_number() OVER (PARTITION BY w.indicator_code, w.region_code, w.year
                           ORDER BY p.locked_at, p.outline_id) = 1
ORDER BY w.indicator_code, w.region_code, w.year
"""


def stamp_assignments(to_state: str) -> str:
    """SET clauses for reaching `to_state`: its own stamp set to the mover and now, the
    stamps of the states above it cleared (a return or an unlock steps down)."""
    reached = PERIOD_STATES.index(to_state)
    parts = []
    for index, state in enumerate(STAMPED, start=1):
        if index == reached:
            parts += [f"{state}_by = $user", f"{state}_at = now()"]
        elif index > reached:
            parts += [f"{state}_by = NULL", f"{state}_at = NULL"]
    return ", ".join(parts + ["state = $to_state", "updated_by = $user", "updated_at = now()"])


class ReportingPeriods:
    """States, history and locks of reporting periods."""

    def fetch_periods(self, outline_id: str, year: int, region_codes: list[str]) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute(
                f"SELECT {PERIOD_COLUMNS} FROM reporting_periods WHERE outline_id = ? "
                "AND year = ? AND region_code IN (SELECT unnest(?)) ORDER BY region_code",
                [outline_id, int(year), list(region_codes)]).df()

    def record_period_event(self, event: dict) -> int:
        if event["to_state"] not in PERIOD_STATES or event["from_state"] not in PERIOD_STATES:
            raise ValueError(f"not a period state: {event['from_state']} → {event['to_state']}")
        key = {"outline": event["outline_id"], "region": event["region_code"],
               "year": int(event["year"])}
        where = "outline_id = $outline AND region_code = $region AND year = $year"
        with self.connection() as con:
            rows = con.execute(f"SELECT state FROM reporting_periods WHERE {where}",
                               key).fetchall()
            now_in = rows[0][0] if rows else "open"
            if now_in != event["from_state"]:
                raise StoreError("该报送期的状态刚刚已被他人改变，本次操作未执行。",
                                 hint="请刷新后查看其当前状态再操作。")
            if not rows:
                con.execute("INSERT INTO reporting_periods (outline_id, region_code, year, state) "
                            "VALUES ($outline, $region, $year, 'open')", key)
            con.execute(f"UPDATE reporting_periods SET {stamp_assignments(event['to_state'])} "
                        f"WHERE {where}", key | {"user": event["user_name"],
                                                 "to_state": event["to_state"]})
            event_id = fetch_one(con, "SELECT nextval('period_event_ids')")
            fields = [f for f in PERIOD_EVENT_FIELDS if f not in ("id", "occurred_at")]
            con.execute(f"INSERT INTO period_history ({EVENT_COLUMNS}) VALUES "
                        f"(?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?)",
                        [event_id, *(event.get(f) for f in fields)])
            return event_id

    def fetch_period_history(self, outline_id: str, region_code: str, year: int) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute(
                f"SELECT {EVENT_COLUMNS} FROM period_history WHERE outline_id = ? "
                "AND region_code = ? AND year = ? ORDER BY id",
                [outline_id, region_code, int(year)]).df()

    def fetch_locks(self) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute(
                "SELECT outline_id, region_code, year, locked_by, locked_at "
                "FROM reporting_periods WHERE state = 'locked' "
                "ORDER BY outline_id, region_code, year").df()

    def find_locked(self, keys: pd.DataFrame) -> pd.DataFrame:
        with self.connection() as con:
            if not fetch_one(con, "SELECT count(*) FROM reporting_periods "
                                  "WHERE state = 'locked'"):
                return pd.DataFrame(columns=LOCKED_KEY_FIELDS)   # the usual case: no lock
            con.register("wanted", keys[OBSERVATION_KEY].drop_duplicates()
                         .astype({"year": "int64"}))
            try:
                return con.execute(LOCKED_KEYS_SQL).df()
            finally:
                con.unregister("wanted")

    def find_locked_in_batch(self, batch_id: int) -> pd.DataFrame:
        with self.connection() as con:
            return con.execute(
                "WITH wanted AS (SELECT indicator_code, region_code, year FROM observations "
                f"WHERE batch_id = ?) {LOCKED_KEYS_SQL}", [batch_id]).df()
