"""The regions one level down compared with each other: a ranking on one indicator and the
rows of the status heat map. Works on the frame evaluation.evaluate returns for the child
regions."""
from __future__ import annotations

import pandas as pd

from metrics import targets
from metrics.wording import format_value


def indicator_choices(frame: pd.DataFrame) -> dict[str, str]:
    """Indicator code → '名称（单位）' in outline order; indicators with a value in some region
    first, so the default choice shows a ranking rather than an empty list."""
    indicators = frame.drop_duplicates("indicator_code")
    with_data = set(frame.loc[frame["latest_value"].notna(), "indicator_code"])
    ordered = sorted(indicators.itertuples(), key=lambda r: r.indicator_code not in with_data)
    return {r.indicator_code: f"{r.name}（{r.unit}）" for r in ordered}


def better_first_key(rows: pd.DataFrame) -> pd.Series:
    """Sort key putting the better value first: high values when higher is better, low values
    when lower is better, and for band indicators (e.g. 出生人口性别比) the value nearest the
    target, or nearest the group's median when there is no target."""
    value = rows["latest_value"]
    if (rows["direction"] == "higher").all():
        return -value
    if (rows["direction"] == "lower").all():
        return value
    centre = rows["target_value"].fillna(value.median())
    return (value - centre).abs()


def ranking(frame: pd.DataFrame, indicator_code: str, names: dict[str, str]) -> pd.DataFrame:
    """Every region's latest value of one indicator, best first; regions without a value last
    and unranked. names: region code → display name. Columns: 排名, 地区, 最新值, 年份, 状态,
    目标 (with its 已核实/未核实 mark)."""
    rows = frame[frame["indicator_code"] == indicator_code]
    rows = rows.assign(key=better_first_key(rows)).sort_values("key", na_position="last",
                                                               kind="stable")
    rank = rows["key"].rank(method="min")
    return pd.DataFrame({
        "排名": rank.map(lambda r: "—" if pd.isna(r) else str(int(r))).to_numpy(),
        "地区": rows["region_code"].map(names).to_numpy(),
        "最新值": [format_value(v, u, d) for v, u, d in
                zip(rows["latest_value"], rows["unit"], rows["decimals"])],
        "年份": rows["latest_year"].map(lambda y: "—" if pd.isna(y) else str(int(y))).to_numpy(),
        "状态": rows["status_label"].to_numpy(),
        "目标": [targets.target_text(row) for row in rows.itertuples()],
    })


def status_grid(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Rows for charts.status_heatmap: the frame with region_name and target_label added,
    indicators that no region has a target for left out (their cells would all read
    无量化目标)."""
    targeted = frame.groupby("indicator_code")["status"].transform(lambda s: (s != "no_target")
                                                                   .any())
    rows = frame[targeted]
    return rows.assign(region_name=rows["region_code"].map(names),
                       target_label=[targets.target_text(row) for row in rows.itertuples()])
