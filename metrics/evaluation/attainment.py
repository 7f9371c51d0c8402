"""达标率: the share of indicators attained (已达标 or 基本达标), computed both ways practice
uses — indicators without data kept in the denominator (as in county final reports), and left
out (as in the NBS monitoring reports' “monitorable indicators”). Indicators without a target
are never counted."""
from __future__ import annotations

import pandas as pd

from metrics.evaluation import status
from metrics.wording import percent


def rates(frame: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """Counts per status and both attainment rates, overall or per group (e.g. area_name).

    Columns: indicators (with a target), attained, without_data, rate_with_missing (attained /
    indicators), rate_without_missing (attained / (indicators − without_data)), and one count
    column per status code.
    """
    keys = by or ["scope"]
    judged = frame[frame["status"] != "no_target"].assign(
        scope="全部", attained=lambda f: f["status"].isin(status.ATTAINED),
        without_data=lambda f: f["status"].eq("insufficient_data"))
    grouped = judged.groupby(keys, sort=False)
    table = grouped.agg(indicators=("status", "size"), attained=("attained", "sum"),
                        without_data=("without_data", "sum"))
    codes = [s.code for s in status.STATUSES if s.code != "no_target"]
    table = table.join(grouped["status"].value_counts().unstack(fill_value=0)
                       .reindex(columns=codes, fill_value=0))
    table["rate_with_missing"] = table["attained"] / table["indicators"]
    with_data = table["indicators"] - table["without_data"]
    table["rate_without_missing"] = (table["attained"] / with_data).where(with_data > 0)
    return table.reset_index()


def rate_labels(row) -> tuple[str, str]:
    """('达标率（无数据计入分母）66.7%（4/6）', '达标率（不计无数据）80.0%（4/5）')."""
    with_data = int(row["indicators"] - row["without_data"])
    first = f"{percent(row['rate_with_missing'])}（{int(row['attained'])}/{int(row['indicators'])}）"
    second = "—" if pd.isna(row["rate_without_missing"]) else \
        f"{percent(row['rate_without_missing'])}（{int(row['attained'])}/{with_data}）"
    return f"达标率（无数据计入分母）{first}", f"达标率（不计无数据）{second}"
