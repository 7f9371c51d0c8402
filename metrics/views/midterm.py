"""Data for the 中期评估 page of one region: the two 达标率, counts per status, the table per
area, the indicator table with its filters, and the 重点难点指标 with their notes.

Works on the frame evaluation.evaluate returns for one region; returns display-ready frames
with Chinese column names (the code column 代码 stays for lookups and is hidden on screen).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics import targets
from metrics.evaluation import attainment, status
from metrics.evaluation.local_rows import marked_names
from metrics.views import overview
from metrics.wording import format_value, percent

RATE_WITH_MISSING = "达标率（无数据计入分母）"
RATE_WITHOUT_MISSING = "达标率（不计无数据）"
# Statuses that count towards 达标率 (every one but 无量化目标), in display order.
JUDGED = [s.code for s in status.STATUSES if s.code != "no_target"]
# 已更正 targets were checked and corrected, so they count as verified.
VERIFIED_CODES = ("yes", "changed")
VERIFIED_CHOICES = ("已核实", "未核实")
# 重点难点 note columns: Chinese heading → store field.
FOCUS_FIELDS = {"原因": "reason", "整改措施": "measures", "时限": "deadline",
                "责任单位": "responsible"}
FOCUS_FIXED = ["代码", "指标", "状态", "最新值", "目标", "说明"]
# The editable columns come right after the indicator and its status, so they are on screen;
# the value, target and the sentence saying why it lags follow, for writing 原因.
FOCUS_ORDER = ["代码", "指标", "状态", *FOCUS_FIELDS, "最新值", "目标", "说明"]


@dataclass(frozen=True)
class RateCard:
    """One 达标率 as shown in a card: 80.0% with its fraction 4/5 项 and what it counts."""
    label: str
    value: str
    fraction: str
    meaning: str


RATE_MEANINGS = {
    RATE_WITH_MISSING: "无数据的指标留在分母中，如县级终期评估报告的算法。",
    RATE_WITHOUT_MISSING: "只计有数据的指标，如国家统计局监测报告“可监测指标”的算法。",
}


def rate_cards(frame: pd.DataFrame) -> list[RateCard]:
    """Both attainment rates of one region: no-data indicators counted in the denominator, and
    left out. '—' when no indicator has a target (or, for the second, none has data)."""
    judged = frame[frame["status"] != "no_target"]
    if judged.empty:
        return [RateCard(label, "—", "无量化目标", meaning)
                for label, meaning in RATE_MEANINGS.items()]
    row = attainment.rates(judged).iloc[0]
    attained, total = int(row["attained"]), int(row["indicators"])
    with_data = total - int(row["without_data"])
    return [RateCard(RATE_WITH_MISSING, percent(row["rate_with_missing"]),
                     f"达标 {attained} 项 / 有目标 {total} 项", RATE_MEANINGS[RATE_WITH_MISSING]),
            RateCard(RATE_WITHOUT_MISSING, percent(row["rate_without_missing"]),
                     f"达标 {attained} 项 / 有数据 {with_data} 项",
                     RATE_MEANINGS[RATE_WITHOUT_MISSING])]


def status_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Per status, best first: code, label, colour and how many indicators carry it (zeros
    included, so the row of counts always has the same shape)."""
    counts = frame["status"].value_counts()
    return pd.DataFrame([{"code": s.code, "label": s.label, "colour": s.colour,
                          "count": int(counts.get(s.code, 0))} for s in status.STATUSES])


def area_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Per area (outline order): both 达标率 in percent (numbers, so the table sorts), then the
    indicators with a target and the count of each judged status."""
    judged = frame[frame["status"] != "no_target"]
    if judged.empty:
        return pd.DataFrame(columns=["领域", RATE_WITH_MISSING, RATE_WITHOUT_MISSING,
                                     "有目标指标"])
    table = attainment.rates(judged, by=["area_name"])
    return pd.DataFrame({
        "领域": table["area_name"], RATE_WITH_MISSING: table["rate_with_missing"] * 100,
        RATE_WITHOUT_MISSING: table["rate_without_missing"] * 100,
        "有目标指标": table["indicators"], **{status.LABELS[code]: table[code] for code in JUDGED}})


def departments(frame: pd.DataFrame) -> list[str]:
    """Every lead or supporting department, the most involved first."""
    supporting = frame["supporting_departments"].fillna("").str.split("|").explode()
    named = pd.concat([frame["lead_department"], supporting]).dropna()
    counts = named[named != ""].value_counts()
    return sorted(counts.index, key=lambda d: (-counts[d], d))


def involves(frame: pd.DataFrame, department: str) -> pd.Series:
    """Rows whose lead department or one of the supporting departments is `department`."""
    supporting = frame["supporting_departments"].fillna("").str.split("|")
    return frame["lead_department"].eq(department) | supporting.map(lambda d: department in d)


def is_verified(frame: pd.DataFrame) -> pd.Series:
    """Rows with a target whose source has been checked (已核实 or 已更正)."""
    return frame["target_kind"].notna() & frame["target_verified"].isin(VERIFIED_CODES)


def filter_mask(frame: pd.DataFrame, areas: list[str] = (), statuses: list[str] = (),
                department: str | None = None, verified: str | None = None) -> pd.Series:
    """Which rows match every given filter; an empty list or None means no filter.

    verified: '已核实' keeps verified targets, '未核实' targets not yet verified (rows without
    a target have nothing to verify and match neither)."""
    keep = pd.Series(True, index=frame.index)
    if areas:
        keep &= frame["area_name"].isin(areas)
    if statuses:
        keep &= frame["status"].isin(statuses)
    if department:
        keep &= involves(frame, department)
    if verified == "已核实":
        keep &= is_verified(frame)
    elif verified == "未核实":
        keep &= frame["target_kind"].notna() & ~is_verified(frame)
    return keep


def filter_rows(frame: pd.DataFrame, areas: list[str] = (), statuses: list[str] = (),
                department: str | None = None, verified: str | None = None) -> pd.DataFrame:
    """The rows matching every given filter (filter_mask)."""
    return frame[filter_mask(frame, areas, statuses, department, verified)]


@dataclass(frozen=True)
class Summary:
    """中期评估 of one region before any filter: the evaluated rows and everything the page
    shows of them. Each part is a few milliseconds of pandas and a page shows them all, so it is
    worked out once per evaluation and shared by every view of it; nothing here is changed.

    table: indicator_table of every row, in the rows' order (shown_rows cuts it)."""
    evaluated: pd.DataFrame
    cards: list[RateCard]
    counts: pd.DataFrame
    areas: pd.DataFrame
    area_names: list[str]
    departments: list[str]
    table: pd.DataFrame


def summary(frame: pd.DataFrame) -> Summary:
    """The Summary of one region's evaluated rows (evaluation.evaluate's frame)."""
    frame = frame.reset_index(drop=True)
    return Summary(frame, rate_cards(frame), status_counts(frame), area_table(frame),
                   list(dict.fromkeys(frame["area_name"])), departments(frame),
                   indicator_table(frame))


def shown_rows(summary: Summary, areas: list[str] = (), statuses: list[str] = (),
               department: str | None = None,
               verified: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The evaluated rows matching the filters (filter_mask) and their indicator table: the
    summary's table cut, which is indicator_table of those rows."""
    keep = filter_mask(summary.evaluated, areas, statuses, department, verified).to_numpy()
    if keep.all():
        return summary.evaluated, summary.table
    return summary.evaluated[keep], summary.table[keep].reset_index(drop=True)


def indicator_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The overview's indicator table plus the progress ratio (percent, a number so it sorts;
    only for rows judged by progress) and the supporting departments. Status and values come
    right after the indicator so a phone shows them without scrolling."""
    table = overview.indicator_table(frame).reset_index(drop=True)
    # The ratio judges rows still on their way; once met (or without data) it only confuses.
    judged_by_progress = frame["status"].isin(["on_track", "at_risk", "off_track"])
    table["进度比"] = (frame["progress_ratio"] * 100).round(0).where(judged_by_progress).to_numpy()
    table["配合单位"] = frame["supporting_departments"].fillna("").str.replace("|", "、").to_numpy()
    return table[["指标", "状态", "最新值", "年份", "目标", "进度比", "领域", "牵头单位",
                  "配合单位", "目标出处", "代码"]]


def focus_table(frame: pd.DataFrame, notes: pd.DataFrame,
                explanations: pd.Series) -> pd.DataFrame:
    """The 重点难点指标 in the order of status.CONCERNS (进度滞后, 需关注, 数据不足), then
    outline order, with their stored notes, latest value, target and the sentence explaining
    the flag; 责任单位 defaults to the lead department.

    notes: store.fetch_focus_items for this outline and region.
    explanations: explain.explain of the frame's rows (same index)."""
    concerns = frame[frame["status"].isin(status.CONCERNS)]
    concerns = concerns.assign(order=concerns["status"].map(status.CONCERNS.index)).sort_values(
        "order", kind="stable")
    fields = notes.set_index("indicator_code").reindex(concerns["indicator_code"])
    table = pd.DataFrame({
        "代码": concerns["indicator_code"].to_numpy(),
        "指标": marked_names(concerns).to_numpy(),
        "状态": concerns["status_label"].to_numpy(),
        "最新值": [format_value(v, u, d) for v, u, d in
                zip(concerns["latest_value"], concerns["unit"], concerns["decimals"])],
        "目标": [targets.target_text(row) for row in concerns.itertuples()],
        "说明": explanations.reindex(concerns.index).fillna("").to_numpy(),
    })
    for heading, field in FOCUS_FIELDS.items():
        table[heading] = fields[field].fillna("").astype(str).to_numpy()
    lead = concerns["lead_department"].fillna("").to_numpy()
    table["责任单位"] = table["责任单位"].where(table["责任单位"] != "", lead)
    return table[FOCUS_ORDER]


def focus_items(edited: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The edited 重点难点 table as store rows (indicator_code + note fields). A row left at
    its defaults (only the lead department as 责任单位) is not a note, so its responsible is
    blanked and the store keeps nothing for it."""
    items = edited.rename(columns={"代码": "indicator_code", **FOCUS_FIELDS})
    items = items[["indicator_code", *FOCUS_FIELDS.values()]].fillna("").astype(str)
    items = items.apply(lambda column: column.str.strip())
    lead = items["indicator_code"].map(dict(zip(frame["indicator_code"],
                                                frame["lead_department"])))
    untouched = items[["reason", "measures", "deadline"]].eq("").all(axis=1) & \
        items["responsible"].eq(lead)
    items.loc[untouched, "responsible"] = ""
    return items


def note_count(items: pd.DataFrame) -> int:
    """How many rows of focus_items carry a note (the rows the store keeps)."""
    return int(items[list(FOCUS_FIELDS.values())].ne("").any(axis=1).sum())
