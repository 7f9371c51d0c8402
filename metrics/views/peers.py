"""The regions one level down compared with each other: a ranking on one indicator and the
rows of the status heat map. Works on the frame evaluation.evaluate returns for the child
regions."""
from __future__ import annotations

import numpy as np
import pandas as pd

from metrics import targets
from metrics.evaluation import smallnumbers
from metrics.settings import EvaluationSettings
from metrics.wording import format_number, format_value, latest_text

# Rates of events (deaths per births …): a 0 in a small population is no evidence of safety.
EVENT_RATE_UNITS = ("1/10万", "1/万", "‰")
# Years whose counts a pooled rate adds up, ending at the evaluation year: maternal and child
# health reports of small areas pool three years of deaths and births.
POOLED_YEARS = 3
POOLED_COLUMNS = ["region_code", "years", "numerator", "denominator", "value", "small",
                  "ci_low", "ci_high"]


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


def ranking(frame: pd.DataFrame, indicator_code: str, names: dict[str, str],
            pooled: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every region's latest value of one indicator, best first; regions without a value last
    and unranked. names: region code → display name. Columns: 排名, 地区, 最新值, 年份, 状态,
    说明 (a value resting on few events), 目标 (with its 已核实/未核实 mark); with `pooled`
    (pooled_rates) holding a region, also 多年合并值 and 合并依据 (years, counts, interval)."""
    rows = frame[frame["indicator_code"] == indicator_code]
    rows = rows.assign(key=better_first_key(rows)).sort_values("key", na_position="last",
                                                               kind="stable")
    rank = rows["key"].rank(method="min")
    table = pd.DataFrame({
        "排名": rank.map(lambda r: "—" if pd.isna(r) else str(int(r))).to_numpy(),
        "地区": rows["region_code"].map(names).to_numpy(),
        "最新值": [format_value(v, u, d) for v, u, d in
                zip(rows["latest_value"], rows["unit"], rows["decimals"])],
        "年份": rows["latest_year"].map(lambda y: "—" if pd.isna(y) else str(int(y))).to_numpy(),
        "状态": rows["status_label"].to_numpy(),
        "说明": [value_note(row) for row in rows.itertuples()],
        "目标": [targets.target_text(row) for row in rows.itertuples()],
    })
    if pooled is None or pooled.empty:
        return table
    by_region = pooled.set_index("region_code").reindex(rows["region_code"])
    unit, decimals = rows["unit"].iloc[0], rows["decimals"].iloc[0]
    # After the flag and its note, so the columns a person decides on stay first on a phone.
    table.insert(6, "多年合并值", [format_value(v, unit, decimals) for v in by_region["value"]])
    table.insert(7, "合并依据", [pooled_basis(r, decimals) for r in by_region.itertuples()])
    return table


def pooled_rates(observations: pd.DataFrame, frame: pd.DataFrame, indicator_code: str,
                 units: pd.DataFrame, settings: EvaluationSettings) -> pd.DataFrame:
    """Per region, the rate of all events over all cases of the POOLED_YEARS years up to the
    evaluation year that carry counts (numerator and denominator): POOLED_COLUMNS, `years` the
    list of years added up, `value` in the indicator's unit, `small` and the 95% interval as
    for a single year (evaluation.smallnumbers). Regions without counts in those years have no
    row; so has every region of an indicator without counts.

    observations: Store.fetch_observations of the indicator in the regions of `frame`.
    frame: the regions' evaluated rows (evaluation_year, unit)."""
    rows = frame[frame["indicator_code"] == indicator_code]
    if rows.empty:
        return pd.DataFrame(columns=POOLED_COLUMNS)
    year = int(rows["evaluation_year"].iloc[0])
    counted = observations[
        (observations["indicator_code"] == indicator_code)
        & observations["region_code"].isin(rows["region_code"])
        & observations["year"].between(year - POOLED_YEARS + 1, year)
        & observations["numerator"].notna() & (observations["denominator"] > 0)]
    per = smallnumbers.per_unit(rows["unit"].iloc[:1], units)[0]
    if counted.empty or np.isnan(per):
        return pd.DataFrame(columns=POOLED_COLUMNS)
    pooled = counted.groupby("region_code", sort=False).agg(
        years=("year", lambda y: sorted(int(v) for v in y)), numerator=("numerator", "sum"),
        denominator=("denominator", "sum")).reset_index()
    count, total = pooled["numerator"].to_numpy(float), pooled["denominator"].to_numpy(float)
    low, high, small = smallnumbers.intervals(count, total, np.full(len(pooled), per), settings)
    return pooled.assign(value=count / total * per, small=small, ci_low=low,
                         ci_high=high)[POOLED_COLUMNS]


def pooled_basis(row, decimals) -> str:
    """2022—2024年合计3/14102，基数小，95%置信区间4.42—64.22 ('—' without counts)."""
    if not isinstance(row.years, list):
        return "—"
    places = None if pd.isna(decimals) else int(decimals) + 1
    years = row.years
    if len(years) == 1:
        years = f"{years[0]}年"
    elif years[-1] - years[0] == len(years) - 1:
        years = f"{years[0]}—{years[-1]}年合计"
    else:
        years = "、".join(str(y) for y in years) + "年合计"
    basis = f"{years}{format_number(row.numerator)}/{format_number(row.denominator)}"
    if not row.small:
        return basis
    return (f"{basis}，基数小，95%置信区间{format_number(row.ci_low, places)}—"
            f"{format_number(row.ci_high, places)}")


def pooled_note() -> str:
    """How the pooled rate is worked out, for a caption under the ranking."""
    return (f"多年合并值：截至评估年份最近{POOLED_YEARS}年中报有例数（分子、分母）的各年，分子之和"
            "除以分母之和，比单年值稳定；排名仍按单年最新值。合并后例数仍少时标注基数小及95%置信区间。")


def value_note(row) -> str:
    """Why a ranked value may be chance: few events behind it (基数小 with its counts), or a
    rate of 0 uploaded without counts, which in a county usually means few births, not safety."""
    if bool(row.small_numbers):
        return (f"基数小，波动大（{format_number(row.latest_numerator)}/"
                f"{format_number(row.latest_denominator)}）")
    if row.latest_value == 0 and row.unit in EVENT_RATE_UNITS and pd.isna(row.latest_numerator):
        return "为0，未报例数，可能基数小"
    return ""


def years_note(frame: pd.DataFrame, indicator_code: str) -> str | None:
    """A warning when the ranked values come from different years, naming them."""
    years = frame.loc[frame["indicator_code"] == indicator_code, "latest_year"].dropna()
    distinct = sorted({int(y) for y in years})
    if len(distinct) < 2:
        return None
    listed = "、".join(f"{y}年" for y in distinct)
    return f"各地区的最新数据年份不同（{listed}），排名比较的不是同一年的数值。"


def status_grid(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Rows for status_charts.status_heatmap: the frame with region_name and target_label added,
    indicators that no region has a target for left out (their cells would all read
    无量化目标)."""
    targeted = frame["status"].ne("no_target").groupby(frame["indicator_code"]).transform("any")
    rows = frame[targeted]
    return rows.assign(region_name=rows["region_code"].map(names), target_label=[
        targets.target_text(row) for row in rows[targets.TEXT_FIELDS].itertuples()])


def standing(frame: pd.DataFrame, region_code: str, siblings: list[str],
             comparisons: dict[str, str]) -> pd.DataFrame:
    """A region's rank among its sister regions, indicator by indicator, with the values of
    the regions it is compared with (its city, 全国).

    frame: evaluated rows of `siblings` (the region among them) and of the comparison regions.
    comparisons: column heading → region code, e.g. {"示范市": "990100", "全国": "000000"}.
    Columns: indicator_code, 指标, 本地区, 位次 (3/7: rank among the sister regions with a
    value), each comparison, 说明 (few events, or sister values from different years). Only
    indicators the region and at least one sister region have a value for."""
    ranked = frame[frame["region_code"].isin(siblings)]
    by_region = frame.set_index(["indicator_code", "region_code"])
    rows = []
    for code, group in ranked.groupby("indicator_code", sort=False):
        key = better_first_key(group)
        own = (group["region_code"] == region_code).to_numpy()
        if not own.any() or pd.isna(key[own].iloc[0]) or key.notna().sum() < 2:
            continue
        mine = group[own].iloc[0]
        rank = int(key.rank(method="min")[own].iloc[0])
        compared = {heading: value_text(by_region, code, region)
                    for heading, region in comparisons.items()}
        notes = [value_note(mine), sister_years_note(group)]
        rows.append({"indicator_code": code, "指标": mine["name"],
                     "本地区": value_text(by_region, code, region_code),
                     "位次": f"{rank}/{int(key.notna().sum())}", **compared,
                     "说明": "；".join(n for n in notes if n)})
    return pd.DataFrame(rows, columns=["indicator_code", "指标", "本地区", "位次",
                                       *comparisons, "说明"])


def value_text(by_region: pd.DataFrame, indicator_code: str, region_code: str) -> str:
    """A region's latest value with its year, 5.8‰（2022年）; 无数据 when it has none."""
    if (indicator_code, region_code) not in by_region.index:
        return "无数据"
    row = by_region.loc[(indicator_code, region_code)]
    return latest_text(row["latest_value"], row["latest_year"], row["unit"], row["decimals"])


def sister_years_note(group: pd.DataFrame) -> str:
    """同级地区数据年份不一（2022—2024年） when the ranked values come from different years."""
    years = group["latest_year"].dropna()
    if years.nunique() < 2:
        return ""
    return f"同级地区数据年份不一（{int(years.min())}—{int(years.max())}年）"
