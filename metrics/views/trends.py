"""Data for the trend page: series with display names, the target lines to draw, and the
information panel of an indicator."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from metrics import catalogue, targets
from metrics import regions as regions_module
from metrics.catalogue import Catalogue
from metrics.evaluation import engine
from metrics.evaluation.derived import derived
from metrics.evaluation.local_rows import LOCAL_MARK

STATISTICAL_YEAR_NOTES = {
    "calendar": "自然年",
    "mch": "妇幼卫生统计年度：上年第四季度至本年第三季度",
    "school": "学年：以当年秋季学期开学的学年计",
}


def region_names(cat: Catalogue, codes: list[str]) -> dict[str, str]:
    """Display names (演示 marked) of the given region codes."""
    chosen = cat.regions[cat.regions["code"].isin(codes)]
    return dict(zip(chosen["code"], chosen.apply(regions_module.label, axis=1)))


def outline_names(cat: Catalogue, outline_id: str) -> pd.Series:
    """catalogue.indicator_names, worked out once per catalogue (趋势 asks once per indicator
    shown: a quarter of its time)."""
    return derived(cat, ("indicator_names", outline_id),
                   lambda: catalogue.indicator_names(cat, outline_id))


def series(cat: Catalogue, observations: pd.DataFrame, codes: list[str],
           outline_id: str) -> pd.DataFrame:
    """Observations with indicator name (as the outline calls it), unit, decimals and region
    name, for charts."""
    names = region_names(cat, codes)
    meta = cat.indicators[["code", "unit", "decimals"]].rename(columns={"code": "indicator_code"})
    meta["indicator_name"] = outline_names(cat, outline_id).reindex(
        meta["indicator_code"]).to_numpy()
    frame = observations.merge(meta, on="indicator_code")
    return frame.assign(region_name=frame["region_code"].map(names))


def target_lines(cat: Catalogue, in_force: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct target line (targets.target_line) of the targets in force
    (evaluation.target_rows, or evaluated rows): regions that share a target
    share its line; a region whose own plan overrides the national target gets its own, named
    line. A 保持 target is left out: its line is each region's own baseline."""
    frame = in_force[in_force["target_kind"].isin(engine.NUMERIC_KINDS)]
    drawn = [(row.indicator_code, row.region_code, line.threshold, line.band, line.label,
              int(row.target_year))
             for row in frame.itertuples() if (line := targets.target_line(row)) is not None]
    frame = pd.DataFrame(drawn, columns=["indicator_code", "region_code", "threshold", "band",
                                         "description", "target_year"])
    names = region_names(cat, list(frame["region_code"].unique()))
    grouped = frame.groupby(["indicator_code", "threshold", "description"], dropna=False)
    lines = grouped.agg(band=("band", "first"), regions=("region_code", list),
                        target_year=("target_year", "max")).reset_index()
    several = lines.groupby("indicator_code")["threshold"].transform("size") > 1
    lines["label"] = [d + (("（" + "、".join(names[c] for c in r) + "）") if s else "")
                      for d, r, s in zip(lines["description"], lines["regions"], several)]
    return lines


def target_paths(cat: Catalogue, in_force: pd.DataFrame) -> pd.DataFrame:
    """Per (indicator, region) with a baseline value and a numeric goal (evaluation.target_rows,
    or evaluated rows): the straight path from the baseline to the goal at the target year,
    against which the linear method measures progress. Columns: indicator_code, region_name,
    baseline_year, baseline_value, target_year, goal."""
    drawn = in_force[in_force["target_kind"].isin([*engine.NUMERIC_KINDS, "maintain"])
                     & in_force["baseline_value"].notna() & in_force["goal"].notna()]
    names = region_names(cat, list(drawn["region_code"].unique()))
    return pd.DataFrame({
        "indicator_code": drawn["indicator_code"].to_numpy(),
        "region_name": drawn["region_code"].map(names).to_numpy(),
        "baseline_year": drawn["baseline_year_used"].astype(int).to_numpy(),
        "baseline_value": drawn["baseline_value"].to_numpy(float),
        "target_year": drawn["target_year"].astype(int).to_numpy(),
        "goal": drawn["goal"].to_numpy(float)})


def indicator_info(cat: Catalogue, in_force: pd.DataFrame, code: str,
                   outline_id: str) -> dict[str, str]:
    """The facts shown beside a chart: the name the outline uses (and the indicator's usual
    name when it differs), definition, unit, source, departments, target."""
    ind = cat.indicators.set_index("code").loc[code]
    rows = in_force[in_force["indicator_code"] == code]
    target_texts = sorted({targets.target_text(row) for row in rows.itertuples()})
    supporting = (ind["supporting_departments"] or "").replace("|", "、")
    name = outline_names(cat, outline_id)[code]
    if code in set(cat.local_indicators["code"]):
        name += LOCAL_MARK
    return {
        "指标": name,
        **({"通用名称": ind["name"]} if name != ind["name"] else {}),
        "定义": ind["definition"] or "—",
        "单位": ind["unit"],
        "数据来源": ind["data_source"] or "—",
        "统计口径": STATISTICAL_YEAR_NOTES.get(ind["statistical_year"], "—"),
        "牵头单位": ind["lead_department"] or "—",
        "配合单位": supporting or "—",
        "目标": "；".join(target_texts) or "无量化目标",
        "说明": ind["note"] or "—",
    }


def source_lines(series: pd.DataFrame) -> list[str]:
    """The sources of the plotted values, each once, with where and when it speaks of
    (「国家统计局…监测报告：全国 2016、2018年」; the indicator named too when several are
    drawn), in the order of the first year each covers (ties in the series' order). series:
    trends.series rows."""
    several = series["indicator_code"].nunique() > 1
    # Grouped in Python: a chart's few dozen rows, where two nested groupbys cost 10 ms.
    cited: dict[str, dict[tuple[str, str], list[int]]] = {}
    rows = zip(series["year"], series["source"], series["indicator_name"], series["region_name"])
    for year, source, name, region in sorted(rows, key=lambda row: row[0]):
        if pd.isna(name) or pd.isna(region):   # not of this outline or not in view: not drawn
            continue
        source = "未注明来源" if pd.isna(source) else source
        cited.setdefault(source, {}).setdefault((name, region), []).append(year)
    return [f"{source}：" + "；".join(f"{f'{name} {region}' if several else region} "
                                     f"{year_list(years)}"
                                     for (name, region), years in places.items())
            for source, places in cited.items()]


def year_list(years: Iterable) -> str:
    """Years as a list, runs of consecutive years joined: 2016、2018—2020年."""
    runs: list[list[int]] = []
    for year in sorted({int(y) for y in years}):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return "、".join(f"{r[0]}—{r[-1]}" if len(r) > 1 else f"{r[0]}" for r in runs) + "年"
