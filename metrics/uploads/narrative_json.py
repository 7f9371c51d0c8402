"""An extraction as a JSON document (`python -m metrics extract FILE --format json`) and back:
the candidates of such a document, as written or corrected by a person in an editor, as an
upload (`python -m metrics import FILE.json`) through narrative_upload, so they pass the same
checks, preview, all-or-nothing commit and undo as figures ticked on the page.

The document is read as untrusted input: bounded in size and in the number of candidates, any
shape that is not the one written here a problem with its candidate's number and field (never
an exception), NaN and Infinity refused, strings bounded by the upload's cell length. What the
fields mean (an unknown indicator code, a region outside the person's scope, a value out of
range) is checked by the upload's own checks, located at the candidate's number.
"""
from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass

import pandas as pd

from metrics.catalogue import Catalogue
from metrics.settings import UploadSettings
from metrics.uploads import ingest, narrative_upload
from metrics.uploads.narrative_candidates import Candidate, Extraction
from metrics.uploads.problems import Problem, problem

# Each candidate becomes one row of the upload's long table (narrative_upload.HEADER, 6 cells).
CELLS_PER_CANDIDATE = 6
SHORT_TEXT = 100  # characters of a code, a unit or a name; a sentence may be a cell long
DERIVED_NOTE = "由原句所写的变化推算（见提取结果文件）。"


class JsonDecoyError(ValueError):
    """NaN, Infinity or -Infinity in a document: JSON has no such numbers."""


@dataclass(frozen=True)
class ReadDocument:
    """The candidates of a document that are well formed, each with its number (1 for the
    first candidate of the document), and the problems of the others and of the document."""
    candidates: list[Candidate]
    numbers: list[int]
    problems: list[Problem]


def document(extraction: Extraction, report_name: str) -> dict:
    """The JSON object `extract --format json` prints: the report, its candidates and the
    figures of no indicator."""
    return {
        "report": {"file": report_name, "year": extraction.report_year,
                   "region_code": extraction.report_region},
        "candidates": [{"indicator_code": c.indicator_code, "indicator_name": c.indicator_name,
                        "value": c.value, "unit": c.unit, "year": c.year,
                        "region_code": c.region_code, "derived": c.derived,
                        "confidence": c.confidence, "sentence": c.sentence.strip()}
                       for c in extraction.candidates],
        "unmatched": [{"text": u.text, "value": u.value, "unit": u.unit,
                       "sentence": u.sentence.strip()} for u in extraction.unmatched],
    }


def document_upload(raw: bytes, file_name: str, cat: Catalogue, *, scope: set[str] | None,
                    limits: UploadSettings, locks: pd.DataFrame | None = None,
                    default_region: str | None = None) -> ingest.Upload:
    """An extraction document as an upload: its well-formed candidates checked like figures
    ticked on the page, the document kept as the batch's file; the problems of the others
    keep the whole upload from being imported."""
    read = read_document(raw, limits, default_region)
    if not read.candidates and read.problems:
        return ingest.unread_upload(raw, file_name, None, *read.problems)
    upload = narrative_upload.as_upload(read.candidates, raw, file_name, cat,
                                        numbers=read.numbers, scope=scope, limits=limits,
                                        locks=locks)
    return dataclasses.replace(upload, problems=sorted(upload.problems + read.problems,
                                                       key=lambda p: p.row or 0))


def read_document(raw: bytes, limits: UploadSettings,
                  default_region: str | None = None) -> ReadDocument:
    """The candidates of an extraction document; a candidate without a region gets
    `default_region`."""
    most_bytes = limits.max_inflated_mb << 20
    if len(raw) > most_bytes:
        return refused(f"文件有 {len(raw) / (1 << 20):,.1f} MB，超过上限 {limits.max_inflated_mb} MB。")
    try:
        parsed = json.loads(raw.decode("utf-8-sig"), parse_constant=decoy)
    except UnicodeDecodeError:
        return refused("文件不是 UTF-8 编码的文字。")
    except JsonDecoyError as exc:
        return refused(f"文件中有 JSON 不允许的数「{exc}」。")
    except RecursionError:
        return refused("文件嵌套层次过深，不是提取结果的结构。")
    except json.JSONDecodeError as exc:
        return refused(f"文件不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列附近有误。")
    except ValueError:  # an integer of thousands of digits
        return refused("文件中有位数过多的数字，不是提取结果。")
    if not isinstance(parsed, dict) or not isinstance(parsed.get("candidates"), list):
        return refused("文件中没有“candidates”列表。")
    most = limits.max_cells_per_sheet // CELLS_PER_CANDIDATE
    if len(parsed["candidates"]) > most:
        return refused(f"文件有 {len(parsed['candidates']):,} 个候选数值，超过上限 {most:,} 个。")
    found = ReadDocument([], [], [])
    for number, record in enumerate(parsed["candidates"], start=1):
        candidate, problems = candidate_of(record, number, limits, default_region)
        found.problems.extend(problems)
        if candidate is not None:
            found.candidates.append(candidate)
            found.numbers.append(number)
    return found


def decoy(constant: str) -> float:
    """json.loads' parse_constant: refuse NaN and Infinity rather than read them."""
    raise JsonDecoyError(constant)


def refused(detail: str) -> ReadDocument:
    """A document that is not an extraction at all: one problem, no candidates."""
    return ReadDocument([], [], [problem("not-extraction-file", None, "", detail=detail)])


def candidate_of(record: object, number: int, limits: UploadSettings,
                 default_region: str | None) -> tuple[Candidate | None, list[Problem]]:
    """One candidate of a document, or the problems that keep it out."""
    if not isinstance(record, dict):
        return None, [bad(number, "", "不是一个对象（{…}）")]
    problems = []

    def field(name: str, kinds: tuple, required: bool, longest: int = SHORT_TEXT):
        value = record.get(name)
        if isinstance(value, str) and not value.strip():
            value = None
        if value is None:
            if required:
                problems.append(bad(number, name, "缺失或为空"))
            return None
        if isinstance(value, bool) != (bool in kinds) or not isinstance(value, kinds):
            problems.append(bad(number, name, f"应为{KIND_WORDS[kinds]}"))
            return None
        if isinstance(value, str) and len(value) > longest:
            problems.append(bad(number, name, f"超过 {longest:,} 个字符"))
            return None
        return value

    code = field("indicator_code", (str,), True)
    value = field("value", (int, float), True)
    unit = field("unit", (str,), False)
    year = field("year", (int, float), False)
    region = field("region_code", (str,), default_region is None)
    derived = field("derived", (bool,), False)
    sentence = field("sentence", (str,), False, limits.max_cell_chars - len("推算值：原文："))
    if value is not None and not finite(value):
        problems.append(bad(number, "value", "不是有限的数"))
    if year is not None and not (finite(year) and float(year).is_integer()):
        problems.append(bad(number, "year", "应为整数年份"))
    if problems:
        return None, problems
    return Candidate(code.strip(), "", float(value), (unit or "").strip(),
                     None if year is None else int(year),
                     region.strip() if region else default_region,
                     bool(derived), 1.0, sentence or "", (0, 0), 0,
                     [DERIVED_NOTE] if derived else []), []


def finite(number: int | float) -> bool:
    """Whether a JSON number is a finite float (1e400 reads as inf, a long integer overflows)."""
    try:
        return math.isfinite(float(number))
    except OverflowError:
        return False


KIND_WORDS = {(str,): "文字", (int, float): "数字", (bool,): "true 或 false"}


def bad(number: int, field: str, detail: str) -> Problem:
    """A problem of one field of one candidate, located at the candidate's number."""
    return problem("bad-candidate", number, field, number=number,
                   field=field or "候选数值", detail=detail)
