"""The figures a person kept from a report, as an upload: written as the long table a CSV
upload is (指标代码, 地区代码, 年份, 数值, 来源, 备注) and read by ingest.read_upload, so they
pass the same checks, preview, all-or-nothing commit and undo as a file. The batch keeps the
report itself as its original file, the report's name as its file name, and 工作总结 with the
selection's fingerprint in place of a sheet name: the same figures of the same report are
refused as already imported, another selection of it is not. Each value's source names the
report and its note is the sentence it came from.
"""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import io

import pandas as pd

from metrics.catalogue import Catalogue
from metrics.settings import UploadSettings
from metrics.uploads import ingest
from metrics.uploads.narrative_candidates import Candidate
from metrics.uploads.problems import Problem

REPORT_SHEET = "工作总结"
HEADER = ["指标代码", "地区代码", "年份", "数值", "来源", "备注"]
PASTED_NAME = "粘贴的工作总结.txt"


def figures_table(kept: list[Candidate], report_name: str) -> bytes:
    """The kept candidates as a UTF-8 CSV, one row per candidate in order (row n + 1 is the
    n-th): the value with its unit as written, so the checks convert or refuse it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for candidate in kept:
        writer.writerow([candidate.indicator_code, candidate.region_code or "",
                         "" if candidate.year is None else candidate.year,
                         written(candidate.value, candidate.unit),
                         f"{REPORT_SHEET}《{report_name}》", evidence(candidate)])
    return out.getvalue().encode("utf-8")


def written(value: float, unit: str) -> str:
    """A value with its unit as a table cell writes it: 11.2/10万, not 11.21/10万 (which reads
    as 11.21 per 10万)."""
    return f"{value:.10g}{unit.removeprefix('1') if unit.startswith('1/') else unit}"


def evidence(candidate: Candidate) -> str:
    """What a value's note keeps: the sentence, and how a derived value was worked out."""
    sentence = candidate.sentence.strip()
    if candidate.derived:
        return f"推算值：{candidate.notes[0]}原文：{sentence}"
    return f"原文：{sentence}"


def as_upload(kept: list[Candidate], raw: bytes, report_name: str, cat: Catalogue, *,
              numbers: list[int] | None = None, scope: set[str] | None = None,
              limits: UploadSettings, locks: pd.DataFrame | None = None) -> ingest.Upload:
    """An Upload of the kept candidates, checked like a file (`locks`, the store's
    fetch_locks, makes each figure of a locked period a `locked-period` error); problems and
    value rows are located by each candidate's number (`numbers`, its 序号 among all
    candidates a person saw; by default 1, 2, … in the order kept), not by CSV line."""
    table = figures_table(kept, report_name)
    upload = ingest.read_upload(table, "工作总结摘录.csv", cat, scope=scope, limits=limits,
                                locks=locks)
    # CSV line n + 1 holds the n-th kept candidate; line 1 is the header.
    number_of = dict(enumerate(numbers or range(1, len(kept) + 1), start=2))
    rows = upload.rows.assign(row=upload.rows["row"].map(number_of)) if len(upload.rows) \
        else upload.rows
    selection = hashlib.sha256(table).hexdigest()[:12]
    return dataclasses.replace(
        upload, file_name=report_name, raw=raw, sha256=hashlib.sha256(raw).hexdigest(),
        sheet=f"{REPORT_SHEET} {selection}", sheet_names=[], rows=rows,
        problems=located(upload.problems, number_of),
        conversions=located(upload.conversions, number_of))


def located(problems: list[Problem], number_of: dict[int, int]) -> list[Problem]:
    """Problems located at their candidate's number instead of the CSV line."""
    return [dataclasses.replace(p, row=number_of.get(p.row, p.row)) if p.row else p
            for p in problems]
