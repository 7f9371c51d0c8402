"""An evaluation as a flat table with stable column names, for the command line (table, CSV,
JSON) and for anyone re-checking a flag by hand."""
from __future__ import annotations

import unicodedata

import pandas as pd

from metrics.evaluation import explain
from metrics.settings import EvaluationSettings

COLUMNS = ["indicator_code", "name", "unit", "baseline_year", "baseline_value", "latest_year",
           "latest_value", "target_kind", "target_value", "target_year", "target_verified",
           "target_plan", "local_plan", "status", "status_label", "progress_ratio", "required_annual_change",
           "explanation"]
TABLE_COLUMNS = ["indicator_code", "name", "latest_year", "latest_value", "status_label",
                 "progress_ratio"]


def result_table(frame: pd.DataFrame, settings: EvaluationSettings) -> pd.DataFrame:
    """One row per (region, indicator) with the inputs, the flag and its explanation (worded
    after the settings the frame was evaluated with)."""
    table = frame.assign(
        baseline_year=frame["baseline_year_used"].astype("Int64"),
        latest_year=frame["latest_year"].astype("Int64"),
        target_year=frame["target_year"].astype("Int64"),
        target_plan=frame["plan_id"],
        # The local plan defining the indicator itself (本地指标); empty for the outline's own.
        local_plan=frame["defining_plan_id"].astype("string"),
        progress_ratio=frame["progress_ratio"].round(4),
        required_annual_change=frame["required_annual_change"].round(4),
        explanation=explain.explain(frame, settings=settings))
    columns = (["region_code"] if frame["region_code"].nunique() > 1 else []) + COLUMNS
    return table[columns].reset_index(drop=True)


def display_width(text: str) -> int:
    """Terminal columns a string takes (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """Left-align text to `width` terminal columns."""
    return text + " " * (width - display_width(text))


def text_table(table: pd.DataFrame) -> str:
    """A compact aligned table for the terminal, each row followed by its explanation."""
    columns = [c for c in TABLE_COLUMNS if c in table] + (
        ["region_code"] if "region_code" in table else [])
    cells = table[columns].astype("string").fillna("—")
    widths = {c: max(display_width(c), *(display_width(v) for v in cells[c])) for c in columns}
    lines = ["  ".join(pad(c, widths[c]) for c in columns)]
    for (_, row), why in zip(cells.iterrows(), table["explanation"]):
        lines.append("  ".join(pad(row[c], widths[c]) for c in columns))
        lines.append(f"    {why}")
    return "\n".join(lines)
