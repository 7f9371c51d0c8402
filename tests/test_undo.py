"""Preview, commit and undo of uploads against a store initialised from data/ (the `db`
fixture): counts, revision history, exact restoration by undo, refusals, and the warnings that
need stored data (year-jump, no-target). Upload files are in tests/data/uploads/."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from people import person

from metrics import catalogue, config
from metrics.errors import MetricsError
from metrics.store import open_store
from metrics.uploads import ingest
from metrics.uploads import report as upload_report
from metrics.views import batch_history

UPLOADS = Path(__file__).parent / "data" / "uploads"
MMR = "maternal_mortality_ratio"
SEED_2023_SOURCE = "《2023年我国卫生健康事业发展统计公报》（2024-08-29，新华社转述）"


def read(name: str, cat) -> ingest.Upload:
    """A file of tests/data/uploads/, read and checked once per session (commit and preview
    never change an Upload)."""
    if name not in READ:
        READ[name] = ingest.read_upload((UPLOADS / name).read_bytes(), name, cat, limits=config.settings().upload)
    return READ[name]


READ: dict[str, ingest.Upload] = {}


def observations(path: Path, cat) -> pd.DataFrame:
    """Every stored observation (the catalogue names every stored key), in key order."""
    with open_store(path).session() as con:
        return con.fetch_observations(list(cat.indicators["code"]),
                                        list(cat.regions["code"]))


def batches(path: Path) -> pd.DataFrame:
    """Every batch, newest first."""
    with open_store(path).session() as con:
        return con.fetch_batches()


def preview(path: Path, upload: ingest.Upload, cat) -> ingest.Preview:
    """The preview, as the upload page computes it: in one session of the store."""
    with open_store(path).session() as reading:
        return ingest.preview(reading, upload, cat, settings=config.settings().upload)


def value(frame: pd.DataFrame, indicator: str, region: str, year: int) -> pd.Series:
    """The one stored row of a key."""
    hit = frame[(frame["indicator_code"] == indicator) & (frame["region_code"] == region)
                & (frame["year"] == year)]
    assert len(hit) == 1
    return hit.iloc[0]


def keys(frame: pd.DataFrame) -> list[tuple]:
    """(indicator, region, year) of each row."""
    return list(zip(frame["indicator_code"], frame["region_code"], frame["year"]))


# --- one batch through its whole life -------------------------------------------------------

def test_preview_counts_and_old_values(db, real_catalogue):
    found = preview(db, read("revise_national_mmr.csv", real_catalogue), real_catalogue)
    assert found.counts == {"new": 1, "changed": 2, "unchanged": 1}
    labelled = {(r.region_code, r.year): (r.change, r.old_value) for r in found.rows.itertuples()}
    assert labelled[("000000", 2022)] == ("unchanged", 15.7)
    assert labelled[("000000", 2023)] == ("changed", 15.1)
    assert labelled[("000000", 2024)] == ("changed", 14.3)
    assert labelled[("450802", 2024)][0] == "new" and pd.isna(labelled[("450802", 2024)][1])
    assert found.warnings == []


def test_commit_writes_new_and_changed_values_only(db, real_catalogue):
    before = observations(db, real_catalogue)
    batch = ingest.commit(open_store(db), read("revise_national_mmr.csv", real_catalogue), person("李明"), "快报")
    after = observations(db, real_catalogue)
    written = after[after["batch_id"] == batch]
    assert keys(written) == [(MMR, "000000", 2023), (MMR, "000000", 2024),
                             (MMR, "450802", 2024)]
    assert written["value"].tolist() == [15.0, 14.1, 9.9]
    assert written["source"].tolist() == ["国家卫生健康委快报"] * 2 + ["港北区卫生健康局"]
    # The unchanged 2022 value keeps its seed row, source and batch.
    pd.testing.assert_series_equal(value(after, MMR, "000000", 2022),
                                   value(before, MMR, "000000", 2022))
    # Nothing else moved.
    untouched = after[after["batch_id"] != batch].reset_index(drop=True)
    expected = before.drop(before.index[(before["indicator_code"] == MMR)
                                        & (before["region_code"] == "000000")
                                        & before["year"].isin([2023, 2024])])
    pd.testing.assert_frame_equal(untouched, expected.reset_index(drop=True))
    record = batches(db).set_index("id").loc[batch]
    assert (record["kind"], record["user_name"], record["note"], record["file_name"]) == (
        "upload", "李明", "快报", "revise_national_mmr.csv")
    assert (record["n_new"], record["n_changed"], record["n_unchanged"]) == (1, 2, 1)


def test_revision_history_keeps_the_old_values(db, real_catalogue):
    batch = ingest.commit(open_store(db), read("revise_national_mmr.csv", real_catalogue), person("李明"))
    with open_store(db).session() as con:
        history = con.fetch_revisions([MMR], ["000000"])
        changes = con.fetch_batch_changes(batch)
        kept = con.fetch_batch_file(batch)
    mine = history[history["batch_id"] == batch]
    assert mine["year"].tolist() == [2023, 2024]
    assert mine["old_value"].tolist() == [15.1, 14.3]
    assert mine["new_value"].tolist() == [15.0, 14.1]
    assert mine["old_source"].iloc[0] == SEED_2023_SOURCE
    assert set(mine["batch_kind"]) == {"upload"}
    assert keys(changes) == [(MMR, "000000", 2023), (MMR, "000000", 2024),
                             (MMR, "450802", 2024)]
    assert pd.isna(changes["old_value"].iloc[2]) and pd.isna(changes["old_batch_id"].iloc[2])
    assert kept == (UPLOADS / "revise_national_mmr.csv").read_bytes()


def test_undo_restores_exactly_the_prior_observations(db, real_catalogue):
    before = observations(db, real_catalogue)
    batch = ingest.commit(open_store(db), read("revise_national_mmr.csv", real_catalogue), person("李明"))
    assert not observations(db, real_catalogue).equals(before)
    undo_id = ingest.undo(open_store(db), batch, person("王芳"))
    pd.testing.assert_frame_equal(observations(db, real_catalogue), before)   # values, sources, batch ids
    listed = batches(db).set_index("id")
    assert listed.at[undo_id, "kind"] == "undo"
    assert listed.at[undo_id, "undoes"] == batch
    assert listed.at[undo_id, "user_name"] == "王芳"
    assert listed.at[batch, "undone_by"] == undo_id
    assert pd.isna(listed.at[undo_id, "undone_by"])
    with open_store(db).session() as con:
        undone = con.fetch_batch_changes(undo_id)
    # The undo is recorded too: the county value it removed and the two it put back.
    assert keys(undone) == [(MMR, "000000", 2023), (MMR, "000000", 2024),
                            (MMR, "450802", 2024)]
    assert undone["new_value"].tolist()[:2] == [15.1, 14.3]
    assert pd.isna(undone["new_value"].iloc[2])


def test_undo_twice_is_refused(db, real_catalogue):
    batch = ingest.commit(open_store(db), read("revise_national_mmr.csv", real_catalogue), person("李明"))
    undo_id = ingest.undo(open_store(db), batch, person("李明"))
    restored = observations(db, real_catalogue)
    with pytest.raises(MetricsError, match=f"已于批次 {undo_id} 撤销"):
        ingest.undo(open_store(db), batch, person("李明"))
    with pytest.raises(MetricsError, match="不是上传批次"):
        ingest.undo(open_store(db), undo_id, person("李明"))
    with pytest.raises(MetricsError, match="不存在"):
        ingest.undo(open_store(db), 9999, person("李明"))
    pd.testing.assert_frame_equal(observations(db, real_catalogue), restored)
    assert len(batches(db)) == 3  # seed, upload, undo


def test_undo_refused_when_a_later_batch_changed_its_values(db, real_catalogue):
    before = observations(db, real_catalogue)
    first = ingest.commit(open_store(db), read("revise_national_mmr.csv", real_catalogue), person("李明"))
    second = ingest.commit(open_store(db), read("revise_national_mmr_again.csv", real_catalogue), person("王芳"))
    after_both = observations(db, real_catalogue)
    assert value(after_both, MMR, "000000", 2024)["value"] == 14.0
    with pytest.raises(MetricsError,
                       match=f"批次 {first} 的 1 个数值已被之后的批次（批次 {second}）修改"):
        ingest.undo(open_store(db), first, person("李明"))
    pd.testing.assert_frame_equal(observations(db, real_catalogue), after_both)
    assert pd.isna(batches(db).set_index("id").at[first, "undone_by"])
    # Undoing the later batch first, then the earlier one, gets back to the start.
    ingest.undo(open_store(db), second, person("王芳"))
    assert value(observations(db, real_catalogue), MMR, "000000", 2024)["value"] == 14.1
    ingest.undo(open_store(db), first, person("李明"))
    pd.testing.assert_frame_equal(observations(db, real_catalogue), before)


def test_identical_reupload_is_refused_and_writes_nothing(db, real_catalogue):
    batch = ingest.commit(open_store(db), read("revise_national_mmr.csv", real_catalogue), person("李明"))
    stored, listed = observations(db, real_catalogue), batches(db)
    raw = (UPLOADS / "revise_national_mmr.csv").read_bytes()
    again = ingest.read_upload(raw, "再次上传.csv", real_catalogue, limits=config.settings().upload)   # same bytes, new name
    with pytest.raises(ingest.AlreadyImported) as refused:
        ingest.commit(open_store(db), again, person("王芳"))
    assert refused.value.batch_id == batch
    pd.testing.assert_frame_equal(observations(db, real_catalogue), stored)
    pd.testing.assert_frame_equal(batches(db), listed)


def test_after_undo_the_same_file_can_be_imported_again(db, real_catalogue):
    upload = read("revise_national_mmr.csv", real_catalogue)
    first = ingest.commit(open_store(db), upload, person("李明"))
    committed = observations(db, real_catalogue)
    ingest.undo(open_store(db), first, person("李明"))
    raw = (UPLOADS / "revise_national_mmr.csv").read_bytes()
    again = ingest.commit(open_store(db), ingest.read_upload(raw, "revise_national_mmr.csv",
                                                 real_catalogue, limits=config.settings().upload), person("李明"))
    assert again > first
    restored = observations(db, real_catalogue)
    pd.testing.assert_frame_equal(
        restored.drop(columns="batch_id"), committed.drop(columns="batch_id"))
    assert set(restored.loc[restored["batch_id"] > first, "batch_id"]) == {again}
    record = batches(db).set_index("id").loc[again]
    assert (record["n_new"], record["n_changed"], record["n_unchanged"]) == (1, 2, 1)


@pytest.mark.parametrize("name", ["rate_above_100.csv", "all_errors_at_once.xlsx",
                                  "not_a_workbook.xlsx"])
def test_a_file_with_errors_writes_nothing(db, real_catalogue, name):
    upload = read(name, real_catalogue)
    assert not upload.valid
    stored, listed = observations(db, real_catalogue), batches(db)
    with pytest.raises(MetricsError, match="未导入任何数据"):
        ingest.commit(open_store(db), upload, person("李明"))
    pd.testing.assert_frame_equal(observations(db, real_catalogue), stored)
    pd.testing.assert_frame_equal(batches(db), listed)


# --- warnings that need the store -----------------------------------------------------------

def test_year_jump_against_store_and_within_file(db, real_catalogue):
    upload = read("year_jump.csv", real_catalogue)
    found = preview(db, upload, real_catalogue)
    assert [(w.row, w.column, w.code, w.severity) for w in found.warnings] == [
        (2, "数值", "year-jump", "warning"),    # 60 against the stored 2015 value 100
        (4, "数值", "year-jump", "warning"),    # 6.0 against 3.4 on row 3 of the file
    ]
    assert "2015年 100" in found.warnings[0].message
    assert "2020年 3.4" in found.warnings[1].message
    assert found.counts == {"new": 4, "changed": 0, "unchanged": 0}
    # Warnings do not block the import.
    batch = ingest.commit(open_store(db), upload, person("李明"))
    assert batches(db).set_index("id").at[batch, "n_new"] == 4


def test_year_jump_in_a_wide_sheet_points_at_the_year_column(db, real_catalogue):
    raw = "指标,地区,2020年,2021年,2022年\n婴儿死亡率,港北区,3.4,6.0,5.8\n".encode("gbk")
    found = preview(db, ingest.read_upload(raw, "宽表.csv", real_catalogue, limits=config.settings().upload), real_catalogue)
    assert [(w.row, w.column, w.code) for w in found.warnings] == [(2, "2021年", "year-jump")]


def test_a_rate_from_or_to_zero_and_unchanged_values_are_not_jumps(db, real_catalogue):
    """A county with no maternal death one year (0 ↔ 9.4/10万) is not a suspicious jump, and a
    value already stored unchanged is not warned about again."""
    raw = ("指标,地区,2020年,2021年,2022年\n孕产妇死亡率,港北区,9.4,0,9.6\n"
           "婴儿死亡率,港北区,3.4,6.0,5.8\n").encode("gbk")
    upload = ingest.read_upload(raw, "宽表.csv", real_catalogue, limits=config.settings().upload)
    found = preview(db, upload, real_catalogue)
    assert [(w.row, w.column) for w in found.warnings if w.code == "year-jump"] == [
        (3, "2021年")]
    assert "2021年为6.0‰，较上一年（2020年 3.4‰）" in found.warnings[0].message
    ingest.commit(open_store(db), upload, person("李明"))
    again = preview(db, upload, real_catalogue)
    assert again.counts["unchanged"] == 6
    assert [w for w in again.warnings if w.code == "year-jump"] == []


def test_a_difference_near_zero_is_not_a_jump(db, real_catalogue):
    """A 性别差 (percentage points, may be negative) moving 0.5 → 2.0 is a small change, not a
    fourfold jump; a rate doing the same is flagged."""
    raw = ("指标,地区,2020年,2021年\n公民科学素质水平性别差,港北区,0.5,2.0\n"
           "婴儿死亡率,港北区,0.5,2.0\n").encode("gbk")
    found = preview(db, ingest.read_upload(raw, "宽表.csv", real_catalogue, limits=config.settings().upload), real_catalogue)
    assert [(w.row, w.column, w.code) for w in found.warnings
            if w.code == "year-jump"] == [(3, "2021年", "year-jump")]


def test_no_target_warning_once_per_indicator(db, real_catalogue):
    found = preview(db, read("no_target.csv", real_catalogue), real_catalogue)
    assert [(w.row, w.column, w.code) for w in found.warnings] == [
        (3, "指标", "no-target"), (5, "指标", "no-target")]
    assert "婚前医学检查率" in found.warnings[0].message
    assert "出生缺陷发生率" in found.warnings[1].message


def two_sheet_workbook() -> bytes:
    """One workbook, one county per sheet."""
    import io

    from openpyxl import Workbook
    book = Workbook()
    book.active.title = "港北区"
    book.create_sheet("港南区")
    for sheet in book.worksheets:
        sheet.append(["指标", "地区", "年份", "数值"])
        sheet.append(["孕产妇死亡率", sheet.title, 2024, 10.5])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_each_sheet_of_a_workbook_is_its_own_import(db, real_catalogue):
    raw = two_sheet_workbook()
    first = ingest.read_upload(raw, "两县.xlsx", real_catalogue, sheet="港北区", limits=config.settings().upload)
    second = ingest.read_upload(raw, "两县.xlsx", real_catalogue, sheet="港南区", limits=config.settings().upload)
    batch = ingest.commit(open_store(db), first, person("测试"))
    ingest.commit(open_store(db), second, person("测试"))
    with pytest.raises(ingest.AlreadyImported) as refused:
        ingest.commit(open_store(db), first, person("测试"))
    assert refused.value.batch_id == batch


def test_a_batch_is_timed_in_beijing_time(db, real_catalogue):
    """Servers often run in UTC; the batch history shows the time the office lives in."""
    batch = ingest.commit(open_store(db), read("revise_national_mmr.csv", real_catalogue), person("李明"))
    beijing_now = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    created = batches(db).set_index("id").loc[batch, "created_at"]
    assert abs((created - beijing_now).total_seconds()) < 120


def test_a_value_converted_between_units_is_shown_for_checking(db, real_catalogue):
    """5.1% for an infant mortality rate (‰) is converted exactly to 51‰, and said, since a
    unit written by mistake would otherwise pass unseen."""
    raw = "指标,地区,年份,数值\n婴儿死亡率,港北区,2023,5.1%\n婴儿死亡率,港南区,2023,4.9‰\n"
    upload = ingest.read_upload(raw.encode("gbk"), "x.csv", real_catalogue, limits=config.settings().upload)
    found = preview(db, upload, real_catalogue)
    converted = [w for w in found.warnings if w.code == "unit-converted"]
    assert [(w.row, w.column, w.severity) for w in converted] == [(2, "数值", "warning")]
    assert converted[0].message == "数值「5.1%」的单位为%，已换算为该指标的单位‰：51‰。"
    assert upload.valid


def test_the_preview_and_the_batch_show_each_value_as_stored_not_rounded(db):
    """孕产妇住院分娩率 has one decimal; 99.96% is stored as 99.96, so the preview and the
    batch's change list say 99.96%, not 100.0% (the stored 2016 value 99.8 stays 99.8%)."""
    real_catalogue = catalogue.read_from_store(open_store(db))   # as the pages read it
    raw = "指标,地区,年份,数值\n孕产妇住院分娩率,全国,2016,99.96%\n孕产妇住院分娩率,全国,2015,99.7\n"
    upload = ingest.read_upload(raw.encode("gbk"), "x.csv", real_catalogue,
                                limits=config.settings().upload)
    found = preview(db, upload, real_catalogue)
    changed = upload_report.change_table(found, real_catalogue, "changed")
    assert changed[["年份", "原值", "新值"]].to_dict("records") == [
        {"年份": 2016, "原值": "99.8%", "新值": "99.96%"}]
    added = upload_report.change_table(found, real_catalogue, "new")
    assert added[["年份", "新值"]].to_dict("records") == [{"年份": 2015, "新值": "99.7%"}]

    batch = ingest.commit(open_store(db), upload, person("李明"))
    with open_store(db).session() as con:
        written = con.fetch_batch_changes_page(batch, 0, 10)
    shown = batch_history.change_table(written, real_catalogue)
    assert shown[["年份", "原值", "新值"]].to_dict("records") == [
        {"年份": 2015, "原值": "—", "新值": "99.7%"},
        {"年份": 2016, "原值": "99.8%", "新值": "99.96%"}]
    assert value(observations(db, real_catalogue), "hospital_delivery_rate", "000000",
                 2016)["value"] == 99.96


# --- undo never loses a value a live batch supplies ------------------------------------------

def csv_upload(rows: list[tuple[int, float]], cat, name: str,
               region: str = "000000") -> ingest.Upload:
    """A file of a region's maternal mortality values by year."""
    text = "指标代码,地区代码,年份,数值\n" + "".join(
        f"{MMR},{region},{year},{value}\n" for year, value in rows)
    return ingest.read_upload(text.encode("utf-8"), name, cat, limits=config.settings().upload)


def test_undoing_an_earlier_batch_keeps_a_value_a_later_live_batch_supplies(db, real_catalogue):
    store = open_store(db)
    p = ingest.commit(store, csv_upload([(2020, 5.0)], real_catalogue, "p.csv"), person("李明"))
    q = ingest.commit(store, csv_upload([(2020, 5.0), (2021, 4.8)], real_catalogue, "q.csv"),
                      person("王芳"))
    # 2020 was the seed's 16.9, then P's 5.0; Q supplies 5.0 again (unchanged) and adds 2021.
    ingest.undo(store, p, person("李明"))
    now = observations(db, real_catalogue)
    assert value(now, MMR, "000000", 2020)[["value", "batch_id"]].tolist() == [5.0, q]
    assert value(now, MMR, "000000", 2021)["value"] == 4.8
    ingest.undo(store, q, person("王芳"))
    now = observations(db, real_catalogue)
    assert value(now, MMR, "000000", 2020)["value"] == 16.9     # the seed, still live
    assert value(now, MMR, "000000", 2021)["value"] == 16.1


# 北京市 holds no value of these years: only the uploads below supply them.
BEIJING, YEARS = "110000", [2021, 2022, 2023]
batch_values = st.dictionaries(st.sampled_from(YEARS),
                               st.sampled_from([4.0, 5.0, 6.0]), min_size=1)
steps = st.lists(st.one_of(st.tuples(st.just("import"), batch_values),
                           st.tuples(st.just("undo"), st.integers(0, 5))), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
# The case that lost a value: B supplies A's value unchanged, then A is undone.
@example(sequence=[("import", {2021: 5.0}), ("import", {2021: 5.0, 2022: 4.0}), ("undo", 0)])
def test_any_imports_and_undos_equal_the_live_batches_replayed(template_db, tmp_path_factory,
                                                               real_catalogue, sequence):
    path = tmp_path_factory.mktemp("replay") / "metrics.duckdb"
    shutil.copy(template_db, path)
    store = open_store(path)
    imported: list[tuple[int, dict]] = []              # (batch id, what it supplies)
    for number, (action, argument) in enumerate(sequence):
        if action == "import":
            upload = csv_upload(sorted(argument.items()), real_catalogue, f"{number}.csv",
                                BEIJING)
            try:
                imported.append((ingest.commit(store, upload, person("测试")), argument))
            except (ingest.AlreadyImported, ingest.NothingToImport):
                pass                                   # nothing new: no batch, a no-op
        elif imported:
            batch, _ = imported[argument % len(imported)]
            try:
                ingest.undo(store, batch, person("测试"))
            except MetricsError:
                pass                                   # refused: nothing may change
    live = set(store.fetch_batches().query("undone_by.isna()")["id"])
    replayed: dict[int, float] = {}
    for batch, supplied in imported:
        if batch in live:
            replayed.update(supplied)
    stored = observations(path, real_catalogue)
    stored = stored[(stored["indicator_code"] == MMR) & (stored["region_code"] == BEIJING)
                    & stored["year"].isin(YEARS)]
    assert dict(zip(stored["year"], stored["value"])) == replayed


@pytest.mark.parametrize("raw", ["指标,地区,年份,数值\n".encode("utf-8"),
                                 "指标,地区,年份,数值\n  ,  ,  ,  \n\t,,,\n".encode("utf-8")])
def test_a_file_with_nothing_to_import_writes_no_batch(db, real_catalogue, raw):
    upload = ingest.read_upload(raw, "空表.csv", real_catalogue, limits=config.settings().upload)
    assert upload.valid and upload.rows.empty
    listed = batches(db)
    with pytest.raises(ingest.NothingToImport, match="无需导入"):
        ingest.commit(open_store(db), upload, person("李明"))
    pd.testing.assert_frame_equal(batches(db), listed)


def test_a_file_whose_values_are_all_stored_writes_no_batch(db, real_catalogue):
    ingest.commit(open_store(db), read("revise_national_mmr.csv", real_catalogue), person("李明"))
    listed = batches(db)
    raw = (UPLOADS / "revise_national_mmr.csv").read_bytes() + b"\n"   # other bytes, same values
    with pytest.raises(ingest.NothingToImport):
        ingest.commit(open_store(db), ingest.read_upload(raw, "again.csv", real_catalogue, limits=config.settings().upload), person("王芳"))
    pd.testing.assert_frame_equal(batches(db), listed)
