"""Counts in an upload (分子, 分母 beside a rate): stored with the value and summed into the
city's rate; refused when only one is given, when they are no counts, for an indicator that is
no rate, when the value is not their rate as written, and in a sheet with years as columns; a
value as stored with new counts is a change."""
import pytest
from people import person

from metrics import config, rollup
from metrics.uploads import ingest

LIMITS = config.settings().upload
HEADER = "指标,地区,年份,数值,分子,分母\n"


def read(cat, text: str) -> ingest.Upload:
    return ingest.read_upload(text.encode("utf-8"), "县报.csv", cat, limits=LIMITS)


def test_counts_are_stored_and_summed_into_the_citys_rate(store, cat):
    upload = read(cat, HEADER + "孕产妇死亡率,港北区,2024,20,2,10000\n"
                                "孕产妇死亡率,港南区,2024,10.0,\"1\",\"10,000\"\n"
                                "婴儿死亡率,港南区,2024,0.46%,46,10000\n")   # written in %: 4.6‰
    assert upload.valid, upload.problems
    ingest.commit(store, upload, person("测试"))
    stored = store.fetch_observations(["maternal_mortality_ratio", "infant_mortality_rate"],
                                      ["450802", "450803"])
    stored = stored[stored["year"] == 2024].set_index(["indicator_code", "region_code"])
    assert stored.loc[("maternal_mortality_ratio", "450803"), ["numerator", "denominator"]
                      ].tolist() == [1, 10000]
    assert stored.loc[("infant_mortality_rate", "450803"), "value"] == pytest.approx(4.6)
    summed = rollup.rollup(store, cat, config.settings().reporting, "women-2021-2030", "450800",
                           2024).set_index("indicator_code").loc["maternal_mortality_ratio"]
    assert (summed["numerator"], summed["denominator"], summed["computed"]) == (3, 20000, 15)


@pytest.mark.parametrize("line, code, column", [
    ("孕产妇死亡率,港北区,2024,20,2,", "count-incomplete", "分母"),
    ("孕产妇死亡率,港北区,2024,20,两,10000", "bad-count", "分子"),
    ("孕产妇死亡率,港北区,2024,20,2,0", "bad-count", "分子"),
    ("孕产妇死亡率,港北区,2024,20,-2,10000", "bad-count", "分子"),
    ("女性人均预期寿命,港北区,2024,80,1,2", "count-not-rate", "分子"),
    ("孕产妇死亡率,港北区,2024,25,2,10000", "count-mismatch", "数值"),   # 2/10000 is 20/10万
    ("婴儿死亡率,港北区,2024,4,46,10000", "count-mismatch", "数值"),      # 4.6 is not 4
])
def test_counts_that_cannot_be_stored_refuse_the_row(cat, line, code, column):
    upload = read(cat, HEADER + line + "\n")
    assert [(p.row, p.column, p.code) for p in upload.errors] == [(2, column, code)]
    assert upload.rows.empty


def test_a_value_rounded_as_written_agrees_with_its_counts(cat):
    # 46 / 10,831 live births = 4.247‰: 4.2 and 4.25 both round it.
    upload = read(cat, HEADER + "婴儿死亡率,港北区,2024,4.2,46,10831\n"
                                "婴儿死亡率,港南区,2024,4.25,46,10831\n")
    assert upload.valid, upload.problems


def test_a_sheet_with_years_as_columns_cannot_carry_counts(cat):
    upload = read(cat, "指标,地区,分子,分母,2023,2024\n孕产妇死亡率,港北区,2,10000,21,20\n")
    assert {(p.column, p.code) for p in upload.errors} == {("分子", "counts-in-wide-sheet"),
                                                           ("分母", "counts-in-wide-sheet")}


def test_new_counts_for_a_value_as_stored_are_a_change(store, cat):
    ingest.commit(store, read(cat, HEADER + "孕产妇死亡率,港北区,2024,20,,\n"), person("测试"))
    again = read(cat, HEADER + "孕产妇死亡率,港北区,2024,20,2,10000\n")
    assert ingest.preview(store, again, cat, settings=LIMITS).counts == {
        "new": 0, "changed": 1, "unchanged": 0}
    ingest.commit(store, again, person("测试"))
    without = read(cat, HEADER + "孕产妇死亡率,港北区,2024,20,,\n")
    assert ingest.preview(store, without, cat, settings=LIMITS).counts["unchanged"] == 1
