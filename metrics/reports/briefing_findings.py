"""What a briefing says beyond the flags: the 主要成效 (indicators met or improved, with their
numbers), the region's standing among its sister regions, and the caveats a reader must know
(rates on few events, targets not verified, data gaps). Worked out from evaluated rows; the
writers (briefing_docx, briefing_xlsx) only lay them out."""
from __future__ import annotations

import pandas as pd

from metrics import evaluation
from metrics import regions as regions_module
from metrics.access import AccessDenied
from metrics.catalogue import Catalogue
from metrics.evaluation import explain
from metrics.evaluation.local_rows import is_local
from metrics.settings import EvaluationSettings
from metrics.store import Store
from metrics.views import midterm, peers
from metrics.wording import difference_unit, format_number, format_value

MET = ("achieved", "basically_achieved")
# Lagging flags have their own section; an improvement too slow to reach the target is not a
# 成效 to report.
LAGGING = ("off_track", "not_achieved")
NATIONAL = "000000"


def achievements(frame: pd.DataFrame) -> pd.DataFrame:
    """The indicators met (已达标, 基本达标), then those moved towards their goal since the
    baseline without lagging, in outline order within each; `achievement` holds the sentence,
    e.g. 孕产妇死亡率：2024年14.3/10万，较2020年16.9/10万下降2.6/10万，进度正常。"""
    met = frame["status"].isin(MET)
    moved = frame["sense"] * (frame["latest_value"] - frame["baseline_value"])
    improved = ~met & (moved > 0).fillna(False) & frame["usable"] & \
        frame["target_kind"].notna() & ~frame["status"].isin(LAGGING)
    rows = pd.concat([frame[met], frame[improved]])
    return rows.assign(achievement=[achievement_text(row) for row in rows.itertuples()])


def achievement_text(row) -> str:
    """One achievement with the numbers behind it, and a warning when the value rests on few
    events (a county's 0/10万 is no proof of safety)."""
    latest = f"{int(row.latest_year)}年{format_value(row.latest_value, row.unit, row.decimals)}"
    chance = "（基数小，波动大，见数据说明）" if row.small_numbers or peers.value_note(row) else ""
    if pd.isna(row.baseline_value):
        return f"{row.name}：{latest}{chance}，{row.status_label}（目标{row.target_display}）。"
    change = row.latest_value - row.baseline_value
    verb = "上升" if change > 0 else "下降" if change < 0 else "持平"
    amount = "" if change == 0 else \
        f"{format_number(abs(change), row.decimals)}{difference_unit(row.unit)}"
    baseline = format_value(row.baseline_value, row.unit, row.decimals)
    return (f"{row.name}：{latest}{chance}，较{int(row.baseline_year_used)}年{baseline}{verb}"
            f"{amount}，{row.status_label}。")


def standing(store: Store, cat: Catalogue, frame: pd.DataFrame, outline_id: str,
             region_code: str, year: int, method: str | None, *,
             settings: EvaluationSettings) -> pd.DataFrame:
    """peers.standing of the region among the regions of its level under the same parent, with
    the parent and 全国 as comparisons; empty for 全国, a region without sisters, and a reader
    who may not see them."""
    regions = cat.regions.set_index("code")
    region = regions.loc[region_code]
    if region_code == NATIONAL:
        return peers.standing(frame.iloc[:0], region_code, [], {})
    sisters = regions[(regions["parent_code"] == region["parent_code"])
                      & (regions["level"] == region["level"])].index.tolist()
    comparisons = {regions_module.label(regions.loc[code]): code
                   for code in dict.fromkeys([region["parent_code"], NATIONAL])}
    try:
        evaluated = evaluation.run(store, cat, outline_id, sisters + list(comparisons.values()),
                                   year, method, settings=settings)
    except AccessDenied:  # the sister regions lie outside the reader's view scope
        return peers.standing(frame.iloc[:0], region_code, [], {})
    # The indicators the region is judged on: a rank means little where nothing is asked.
    targeted = frame.loc[frame["target_kind"].notna(), "indicator_code"]
    evaluated = evaluated[evaluated["indicator_code"].isin(targeted)]
    return peers.standing(evaluated, region_code, sisters, comparisons)


def caveats(frame: pd.DataFrame, gaps: pd.DataFrame) -> list[str]:
    """What a reader must weigh: rates on few events (with counts and interval), 0 rates
    without counts, targets not verified, indicators without the data to judge them."""
    notes = [f"{row.name}{row.latest_display}：{explain.small_numbers_text(row)}"
             for row in frame[frame["small_numbers"]].itertuples()]
    notes += [f"{row.name}{row.latest_display}：{peers.value_note(row)}，仅作参考。"
              for row in frame[~frame["small_numbers"]].itertuples() if peers.value_note(row)]
    unverified = frame[frame["target_kind"].notna() & ~midterm.is_verified(frame)]
    if not unverified.empty:
        notes.append(f"{len(unverified)}项指标的目标值尚未在纲要公开文本中核实（标注“未核实”）："
                     f"{'、'.join(unverified['name'])}，引用时请注意。")
    local = frame[is_local(frame)]
    for plan, rows in local.groupby("defining_plan_name", sort=False, observed=True):
        notes.append(f"{len(rows)}项为《{plan}》自设的本地指标（标注“本地指标”）："
                     f"{'、'.join(rows['name'])}；全国和规划范围以外的地区无此指标，不作比较。")
    if not gaps.empty:
        notes.append(f"{len(gaps)}项设有目标的指标数据不足，无法判断进度："
                     f"{'、'.join(gaps['指标'])}，需补报的数据见数据缺口清单。")
    return notes


def achievement_summary(rows: pd.DataFrame) -> str:
    """已达标或基本达标3项，另有2项较基线改善。"""
    met, improved = int(rows["status"].isin(MET).sum()), int((~rows["status"].isin(MET)).sum())
    if not met:
        return f"{improved}项指标较基线改善。"
    return f"已达标或基本达标{met}项" + (f"，另有{improved}项较基线改善。" if improved else "。")
