"""Taking computed roll-up values into the store: where a region reported no value of a rate
indicator but the regions one level down reported its counts, a reviewer may accept Σ numerators
/ Σ denominators (metrics/rollup.py) as the region's value. The accepted values are a batch of
their own (kind 由下级汇总) by the reviewer, checked and committed as an upload is: written as the
long table a CSV upload is and read by ingest.read_upload (range, scope and `locked-period`
row by row), committed all or nothing and undoable. The value keeps its counts, its source is
「由下级汇总」 and its note names the regions summed; the batch's file lists what was summed.

Only candidates are accepted: an indicator the region reported (agreeing or not) is refused,
never overwritten, and so is a share or rate without counts below.
"""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import io

import pandas as pd

from metrics import rollup
from metrics.access import Actor
from metrics.catalogue import Catalogue
from metrics.cell_values import inert
from metrics.errors import MetricsError
from metrics.reporting import Period
from metrics.settings import ReportingSettings, UploadSettings
from metrics.store import Store
from metrics.uploads import ingest

SOURCE = "由下级汇总"
ROLLUP = ingest.BatchKind("rollup", "rollup_accepted", replaces=False)
HEADER = ["指标代码", "地区代码", "年份", "数值", "来源", "备注"]


class NotAccepted(MetricsError):
    """Computed values that cannot be taken in: none to take, one the region reported, one
    without counts, or a check's problem (out of scope, locked)."""
    hint = "只有本级未填报、且下级地区填报了分子和分母的比率指标，才能采用汇总值。"


def chosen_candidates(rows: pd.DataFrame, codes: list[str] | None) -> pd.DataFrame:
    """The roll-up rows to accept: every candidate, or those `codes` name (each must be one)."""
    candidates = rows[rows["status"] == "candidate"]
    if not codes:
        if candidates.empty:
            raise NotAccepted("没有可采用的汇总值：各项比率指标本级均已填报，或下级没有计数。")
        return candidates
    by_code = rows.set_index("indicator_code")
    for code in codes:
        if code not in by_code.index:
            raise NotAccepted(f"指标「{code}」没有可汇总的下级计数（没有分子、分母的比率和"
                              "比重不汇总）。")
        if by_code.at[code, "status"] != "candidate":
            raise NotAccepted(f"「{by_code.at[code, 'name']}」本级已填报"
                              f"（{by_code.at[code, 'reported']:g}），汇总值不覆盖填报值。",
                              hint="如填报值有误，请由填报人更正后重新导入。")
    return candidates.set_index("indicator_code").loc[list(dict.fromkeys(codes))].reset_index()


def summed_note(row, names: pd.Series) -> str:
    """由下级汇总：澄湖区、望岳区等 6 个地区（共 7 个下级地区）Σ分子 235 / Σ分母 55,341."""
    counted = [str(names.get(c, c)) for c in row["counted_codes"]]
    shown = "、".join(counted[:10]) + ("等" if len(counted) > 10 else "")
    return (f"{SOURCE}：{shown} {row['counted_regions']} 个地区（共 {row['child_regions']} 个"
            f"下级地区）Σ分子 {row['numerator']:,.0f} / Σ分母 {row['denominator']:,.0f}")


def csv_bytes(header: list[str], lines: list[list]) -> bytes:
    """A UTF-8 CSV, every text cell inert (region names come from the store)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[inert(cell) for cell in line] for line in lines])
    return out.getvalue().encode("utf-8")


def acceptance(store: Store, cat: Catalogue, settings: ReportingSettings, period: Period,
               codes: list[str] | None, *, scope: set[str], limits: UploadSettings,
               locks: pd.DataFrame) -> ingest.Upload:
    """The chosen candidates of the period's region as a checked upload (NotAccepted naming
    the first problem when the check finds any): the value written to the 15 significant
    digits a double holds exactly, its counts set from the sums."""
    rows = rollup.rollup(store, cat, settings, period.outline_id, period.region_code,
                         period.year)
    chosen = chosen_candidates(rows, codes).reset_index(drop=True)
    names = cat.regions.set_index("code")["name"]
    notes = [summed_note(r, names) for _, r in chosen.iterrows()]
    table = csv_bytes(HEADER, [[r["indicator_code"], period.region_code, period.year,
                                f"{r['computed']:.15g}", SOURCE, note]
                               for (_, r), note in zip(chosen.iterrows(), notes)])
    upload = ingest.read_upload(table, "由下级汇总.csv", cat, scope=scope, limits=limits,
                                locks=locks)
    if not upload.valid:
        first, more = upload.errors[0], len(upload.errors) - 1
        raise NotAccepted(f"{first.message}（问题代码 {first.code}）"
                          + (f"另有 {more} 处问题。" if more else ""), hint=first.hint)
    counts = chosen.set_index("indicator_code")[["numerator", "denominator"]].astype(float)
    valued = upload.rows.drop(columns=["numerator", "denominator"]).join(
        counts, on="indicator_code")
    file = csv_bytes(["指标代码", "指标", "地区代码", "年份", "汇总值", "Σ分子", "Σ分母", "汇总的地区"],
                     [[r["indicator_code"], r["name"], period.region_code, period.year,
                       f"{r['computed']:.15g}", f"{r['numerator']:.15g}",
                       f"{r['denominator']:.15g}", "、".join(r["counted_codes"])]
                      for _, r in chosen.iterrows()])
    region = str(names.get(period.region_code, period.region_code))
    return dataclasses.replace(upload, rows=valued, raw=file,
                               file_name=f"{SOURCE}（{region}{period.year}年）.csv",
                               sha256=hashlib.sha256(file).hexdigest())


def accept(store: Store, actor: Actor, cat: Catalogue, settings: ReportingSettings,
           period: Period, codes: list[str] | None, *, scope: set[str],
           limits: UploadSettings) -> tuple[int, list[str]]:
    """Take the candidates in as one batch by `actor` (NotAccepted when one cannot be);
    returns the batch id and the indicator codes written."""
    upload = acceptance(store, cat, settings, period, codes, scope=scope, limits=limits,
                        locks=store.fetch_locks())
    batch = ingest.commit(store, upload, actor, f"采用{period.year}年由下级汇总的比率",
                          batch_kind=ROLLUP)
    return batch, list(upload.rows["indicator_code"])
