"""The overview of one outline in one region and year: headline figures, a summary by area and
the indicator table, with Chinese column names ready to display or export. Works on the frame
evaluation.evaluate returns for one region."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from metrics import targets
from metrics.evaluation import attainment, status
from metrics.evaluation.local_rows import marked_names
from metrics.wording import format_value


@dataclass(frozen=True)
class Headline:
    """The four cards at the top of the overview."""
    indicators: int       # indicators the outline monitors
    with_data: int        # of which have a value at or before the year
    latest_year: int | None
    with_target: int      # indicators with a target
    met: int              # of which 已达标 or 基本达标


def headline(frame: pd.DataFrame) -> Headline:
    """Headline figures of one region's evaluated frame."""
    overall = attainment.rates(frame).iloc[0] if (frame["status"] != "no_target").any() else None
    latest = frame["latest_year"].max()
    return Headline(
        indicators=len(frame), with_data=int(frame["latest_value"].notna().sum()),
        latest_year=None if pd.isna(latest) else int(latest),
        with_target=0 if overall is None else int(overall["indicators"]),
        met=0 if overall is None else int(overall["attained"]))


def area_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per area: indicators, with data, and the count of each flag — every flag's column, also
    one no indicator carries, so regions compare column by column."""
    # Counted in Python: a region's hundred-odd rows, where a pivot table cost 8 ms.
    counted: dict[tuple, Counter] = {}
    for order, area, label, value in sorted(zip(
            frame["area_order"], frame["area_name"], frame["status_label"],
            frame["latest_value"]), key=lambda row: (row[0], row[1])):
        counts = counted.setdefault((order, area), Counter())
        counts[label] += 1
        counts[WITH_DATA] += pd.notna(value)
    labels = [s.label for s in status.STATUSES]
    return pd.DataFrame(
        [[area, sum(counts[label] for label in labels), counts[WITH_DATA],
          *(counts[label] for label in labels)] for (_, area), counts in counted.items()],
        columns=["领域", "指标数", WITH_DATA, *labels])


WITH_DATA = "有数据"


def indicator_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One display row per indicator (the frame holds one region)."""
    latest = [format_value(v, u, d) for v, u, d in
              zip(frame["latest_value"], frame["unit"], frame["decimals"])]
    return pd.DataFrame({
        "领域": frame["area_name"],
        "指标": marked_names(frame),
        "最新值": latest,
        "年份": frame["latest_year"].map(lambda y: "—" if pd.isna(y) else f"{int(y)}"),
        "目标": [targets.target_text(row) for row in frame[targets.TEXT_FIELDS].itertuples()],
        "状态": frame["status_label"],
        "目标出处": frame["plan_name"].fillna("—"),
        "牵头单位": frame["lead_department"],
        "代码": frame["indicator_code"],
    })


def status_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Per area and flag, in the outline's area order and the flags' rank order: how many
    indicators carry the flag — every flag of every area, zero included, so a summary drawn
    from it shows 数据不足 and 未达标 as they are. Columns: area_name, status, status_label,
    colour, count."""
    areas = sorted(dict.fromkeys(zip(frame["area_order"], frame["area_name"])))
    counted = Counter(zip(frame["area_name"], frame["status"]))
    flags = sorted(status.STATUSES, key=lambda s: s.rank)
    return pd.DataFrame(
        [(area, s.code, s.label, s.colour, counted[(area, s.code)])
         for _, area in areas for s in flags],
        columns=["area_name", "status", "status_label", "colour", "count"])
