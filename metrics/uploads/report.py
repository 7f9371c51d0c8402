"""An upload's validation report and preview as tables for people: the problems of a rejected
file (every one, counted by kind, exportable as CSV), and the values a valid file would add or
change, with indicator and region names instead of codes. Reads nothing from the store."""
from __future__ import annotations

import pandas as pd

from metrics import regions as regions_module
from metrics.catalogue import Catalogue
from metrics.cell_values import inert_frame
from metrics.evaluation.derived import derived
from metrics.uploads import problems as problems_module
from metrics.uploads.ingest import Preview, Upload
from metrics.uploads.problems import Problem
from metrics.wording import format_stored

PROBLEM_COLUMNS = ["行", "列", "问题", "建议"]
# Preview change labels as the page names them.
CHANGE_LABELS = {"new": "新增", "changed": "修改", "unchanged": "未变"}


def problem_table(problems: list[Problem]) -> pd.DataFrame:
    """One row per problem, as the page lists them: Excel row (— for the whole file), column
    heading, what is wrong, what to do."""
    return pd.DataFrame({
        "行": ["—" if p.row is None else str(p.row) for p in problems],
        "列": [p.column for p in problems],
        "问题": [p.message for p in problems],
        "建议": [p.hint for p in problems],
    }, columns=PROBLEM_COLUMNS)


def problem_counts(problems: list[Problem]) -> pd.DataFrame:
    """How many problems of each kind, most frequent first."""
    kinds = pd.Series([problems_module.title(p.code) for p in problems], dtype="object")
    counts = kinds.value_counts(sort=True)
    return pd.DataFrame({"类型": counts.index, "处数": counts.to_numpy()})


def problems_csv(problems: list[Problem]) -> bytes:
    """The problem list as CSV with a BOM, so Excel on Chinese Windows opens it correctly; it
    adds each problem's kind, for sorting and filtering in Excel. Messages quote what the file
    held, so every text is made inert (metrics.cell_values)."""
    table = problem_table(problems)
    table.insert(2, "类型", [problems_module.title(p.code) for p in problems])
    return inert_frame(table).to_csv(index=False).encode("utf-8-sig")


def file_level(upload: Upload) -> bool:
    """Whether the errors concern the whole file (unreadable, no header, no region column)
    rather than rows, so that there is no row list to show."""
    return all(p.row is None for p in upload.errors)


def error_summary(upload: Upload) -> str:
    """What is wrong and that nothing was imported: the counts for row errors; the message
    and hint of a whole-file error, pointing to the other sheets of a workbook whose chosen
    sheet holds no table."""
    errors = upload.errors
    if not file_level(upload):
        rows = {p.row for p in errors}
        return (f"文件中有 {len(errors)} 处错误，涉及 {len(rows)} 行，未导入任何数据。"
                "请按下表逐条修改后重新上传；整个文件无误后才能导入。")
    first = errors[0]
    if len(upload.sheet_names) > 1 and first.code == "no-header":
        return (f"工作表「{upload.sheet}」中找不到数据表头，未导入任何数据。该工作簿有 "
                f"{len(upload.sheet_names)} 张工作表，请在“工作表”中选择数据所在的一张。")
    return f"{first.message}未导入任何数据。{first.hint}"


def counts(upload: Upload, preview: Preview) -> dict[str, int]:
    """新增 / 修改 / 未变 / 空值跳过 for the cards above the preview."""
    return {CHANGE_LABELS[k]: v for k, v in preview.counts.items()} | {
        "空值跳过": upload.skipped_missing}


def left_out_rows(upload: Upload) -> str | None:
    """Which rows of the sheet were not read as data, and why (None when every row was)."""
    parts = []
    if upload.total_rows:
        rows = "、".join(map(str, upload.total_rows[:10])) + ("等" if len(upload.total_rows) > 10
                                                             else "")
        parts.append(f"第{rows}行是合计行，未导入")
    if upload.notes_from is not None:
        parts.append(f"第{upload.notes_from}行起是表注或签名栏，未读取")
    return "；".join(parts) + "。" if parts else None


def hidden_sheets_note(upload: Upload) -> str | None:
    """Which hidden sheets of a workbook were not read (None when there are none, or when
    the one chosen is hidden)."""
    skipped = [name for name in upload.hidden_sheets if name != upload.sheet]
    if not skipped:
        return None
    return (f"工作簿中的隐藏工作表未读取：{'、'.join(skipped)}。"
            "如需导入其中一张，请在“工作表”中选择。")


def named_values(frame: pd.DataFrame, cat: Catalogue) -> pd.DataFrame:
    """indicator_code, region_code, year, old_value, new_value → 指标, 年份, 原值, 新值, 地区
    (values whole, as stored, with the indicator's unit and at least its decimals: 14.3/10万,
    99.96% of a one-decimal indicator; — where there was none). The values come before the region's long qualified name, so a phone shows them
    unscrolled."""
    indicators = derived(cat, "indicators by code", lambda: cat.indicators.set_index("code"))
    units = frame["indicator_code"].map(indicators["unit"]).fillna("")
    decimals = frame["indicator_code"].map(indicators["decimals"])
    # Labelling every region took a third of a page of 导入记录; they change with the catalogue.
    regions = derived(cat, "qualified region labels",
                      lambda: pd.Series(regions_module.qualified_labels(cat.regions)))
    return pd.DataFrame({
        "指标": frame["indicator_code"].map(indicators["name"]).fillna(frame["indicator_code"]),
        "年份": frame["year"].astype("Int64"),
        "原值": [format_stored(v, u, d) for v, u, d in zip(frame["old_value"], units, decimals)],
        "新值": [format_stored(v, u, d) for v, u, d in zip(frame["new_value"], units, decimals)],
        "地区": frame["region_code"].map(regions).fillna(frame["region_code"]),
    }).reset_index(drop=True)


def change_table(preview: Preview, cat: Catalogue, change: str) -> pd.DataFrame:
    """The preview rows of one change kind (new / changed), with the file's row first."""
    rows = preview.rows[preview.rows["change"] == change]
    table = named_values(rows.rename(columns={"value": "new_value"}), cat)
    table.insert(0, "行", rows["row"].to_numpy())
    return table.drop(columns="原值") if change == "new" else table
