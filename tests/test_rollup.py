"""Roll-up of rates from the counts of the regions below, against the region's own value:
hand-computed sums, rounding that is no disagreement, a disagreement beyond the tolerance, a
candidate where the region reported nothing, and rates without counts never averaged."""
import dataclasses
import json
import subprocess
import sys

import pandas as pd
import pytest

from metrics import config, rollup
from metrics.config import BASE_DIR

SETTINGS = config.settings().reporting
CHILDREN, WOMEN = "children-2021-2030", "women-2021-2030"
DEMO_CITY, GUIGANG = "990100", "450800"


def write(store, *values):
    frame = pd.DataFrame([{"indicator_code": i, "region_code": r, "year": y, "value": v,
                           "numerator": n, "denominator": d, "source": "测试", "note": None}
                          for i, r, y, v, n, d in values])
    current = store.read_current(frame)
    known = frame.merge(current[["indicator_code", "region_code", "year"]], how="left",
                        indicator=True)["_merge"] == "both"
    with store.transaction() as work:
        batch = work.create_batch("upload", "测试", "roll-up")
        work.write_observations(batch, frame[~known.to_numpy()], frame[known.to_numpy()],
                                {"new": int((~known).sum()), "changed": int(known.sum()),
                                 "unchanged": 0})


def test_the_demo_citys_infant_mortality_is_the_sum_of_its_counties_counts(store, cat):
    rows = rollup.rollup(store, cat, SETTINGS, CHILDREN, DEMO_CITY, 2024).set_index(
        "indicator_code")
    infant = rows.loc["infant_mortality_rate"]
    # 2024, the six counties with counts (松屏县 has none): 31+23+43+34+60+44 deaths among
    # 10770+6004+10491+6469+9761+11846 live births.
    assert (infant["numerator"], infant["denominator"]) == (235, 55341)
    assert infant["computed"] == pytest.approx(235 / 55341 * 1000)          # 4.246 ‰
    assert (infant["counted_regions"], infant["child_regions"]) == (6, 7)
    assert infant["reported"] == 4.2 and infant["status"] == "agrees"       # rounding only
    assert set(rows.index) == {"infant_mortality_rate", "neonatal_mortality_rate",
                               "under5_mortality_rate"}   # rates with counts, nothing else


def test_a_reported_value_beyond_the_tolerance_is_flagged(store, cat):
    write(store, ("infant_mortality_rate", DEMO_CITY, 2024, 4.5, None, None))
    row = rollup.rollup(store, cat, SETTINGS, CHILDREN, DEMO_CITY, 2024).set_index(
        "indicator_code").loc["infant_mortality_rate"]
    assert row["status"] == "disagrees"
    assert row["difference"] == pytest.approx(4.5 - 235 / 55341 * 1000)
    loose = dataclasses.replace(SETTINGS, rollup_tolerance_share=0.1)
    assert rollup.rollup(store, cat, loose, CHILDREN, DEMO_CITY, 2024).set_index(
        "indicator_code").loc["infant_mortality_rate", "status"] == "agrees"


def test_a_region_without_its_own_value_gets_a_candidate(store, cat):
    write(store, ("maternal_mortality_ratio", "450802", 2024, 20.0, 2, 10000),
          ("maternal_mortality_ratio", "450803", 2024, 10.0, 1, 10000),
          ("cervical_cancer_screening_rate", "450802", 2024, 50.0, None, None))
    rows = rollup.rollup(store, cat, SETTINGS, WOMEN, GUIGANG, 2024).set_index("indicator_code")
    assert list(rows.index) == ["maternal_mortality_ratio"]   # the share without counts: none
    row = rows.loc["maternal_mortality_ratio"]
    assert row["computed"] == pytest.approx(3 / 20000 * 100000)              # 15/10万
    assert pd.isna(row["reported"]) and row["status"] == "candidate"
    assert (row["counted_regions"], row["child_regions"]) == (2, 5)
    table = rollup.rollup_table(rows.reset_index())
    assert table.iloc[0].to_dict() == {"指标": "孕产妇死亡率", "单位": "1/10万", "下级计数": "3/20,000",
                                       "有计数的下级": "2/5", "汇总值": "15.00", "本级填报": "",
                                       "差值": "", "核对": "未报，可采用汇总值"}


def test_a_county_has_nothing_to_roll_up(store, cat):
    assert rollup.rollup(store, cat, SETTINGS, CHILDREN, "990102", 2024).empty


def test_the_rollup_command_prints_computed_against_reported(db):
    result = subprocess.run([sys.executable, "-m", "metrics", "rollup", "--plan", CHILDREN,
                             "--region", "示范市", "--year", "2024", "--format", "json", "--db",
                             str(db)], cwd=BASE_DIR, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = {r["indicator_code"]: r for r in json.loads(result.stdout)}
    assert rows["infant_mortality_rate"]["numerator"] == 235
    assert rows["infant_mortality_rate"]["status"] == "agrees"


def test_the_demo_citys_counts_are_never_summed_into_the_nation(store, cat):
    # 示范市 lies under 全国 and reported its counts; the provinces reported none.
    assert rollup.rollup(store, cat, SETTINGS, CHILDREN, "000000", 2024).empty
