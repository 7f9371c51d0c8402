"""达标率: the share of indicators attained (已达标 or 基本达标), computed both ways practice
uses — indicators without data kept in the denominator (as in county final reports), and left
out (as in the NBS monitoring reports' “monitorable indicators”). Indicators without a target
are never counted."""
from __future__ import annotations

from collections import Counter
from itertools import repeat

import pandas as pd

from metrics.evaluation import status
from metrics.wording import percent

JUDGED_CODES = [s.code for s in status.STATUSES if s.code != "no_target"]


def rates(frame: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """Counts per status and both attainment rates, overall or per group (e.g. area_name), the
    groups in the order they first appear.

    Columns: indicators (with a target), attained, without_data, rate_with_missing (attained /
    indicators), rate_without_missing (attained / (indicators − without_data)), and one count
    column per status code.
    """
    keys = by or ["scope"]
    judged = frame[frame["status"] != "no_target"]
    # Counted in Python: a region's hundred-odd rows, where pandas' groupby cost 10 ms a call.
    groups = zip(*(judged[key] for key in by)) if by else repeat(("全部",))
    counted: dict[tuple, Counter] = {}
    for group, code in zip(groups, judged["status"]):
        counted.setdefault(group, Counter())[code] += 1
    return pd.DataFrame([group_rates(dict(zip(keys, group)), counts)
                         for group, counts in counted.items()],
                        columns=[*keys, "indicators", "attained", "without_data", *JUDGED_CODES,
                                 "rate_with_missing", "rate_without_missing"])


def group_rates(group: dict, counts: Counter) -> dict:
    """One row of `rates`: the group's keys, its counts and both rates."""
    indicators = sum(counts.values())
    attained = sum(counts[code] for code in status.ATTAINED)
    with_data = indicators - counts["insufficient_data"]
    return {**group, "indicators": indicators, "attained": attained,
            "without_data": counts["insufficient_data"],
            **{code: counts[code] for code in JUDGED_CODES},
            "rate_with_missing": attained / indicators,
            "rate_without_missing": attained / with_data if with_data else float("nan")}


def rate_labels(row) -> tuple[str, str]:
    """('达标率（无数据计入分母）66.7%（4/6）', '达标率（不计无数据）80.0%（4/5）')."""
    with_data = int(row["indicators"] - row["without_data"])
    first = f"{percent(row['rate_with_missing'])}（{int(row['attained'])}/{int(row['indicators'])}）"
    second = "—" if pd.isna(row["rate_without_missing"]) else \
        f"{percent(row['rate_without_missing'])}（{int(row['attained'])}/{with_data}）"
    return f"达标率（无数据计入分母）{first}", f"达标率（不计无数据）{second}"
