"""Taking a computed roll-up value into the store: a batch of its own by the reviewer with the
hand-computed counts, source 由下级汇总 and a note naming the regions summed; undone like any
batch; audited; refused for a value the region reported (agreeing or not), for a rate without
counts, outside the reviewer's scope and in a locked period; and on the command line."""
import json
import subprocess
import sys

import pandas as pd
import pytest
from people import person

from metrics import accounts, config, reporting, rollup_accept
from metrics.access import AccessDenied, Actor, Role, grant_for, local_administrator
from metrics.config import BASE_DIR
from metrics.regions import RegionTree
from metrics.reporting import Period
from metrics.store import open_store
from metrics.store.guarded import guard
from metrics.uploads import ingest

SETTINGS = config.settings().reporting
WOMEN = "women-2021-2030"
GUANGXI, GUIGANG, GANGBEI, GANGNAN = "450000", "450800", "450802", "450803"
GUIGANG_COUNTIES = ["450802", "450803", "450804", "450821", "450881"]
CITY_REVIEWER = person("贵港审核", Role.REVIEWER, GUIGANG)
MATERNAL = "maternal_mortality_ratio"


def write(store, *values):
    """Values with counts, as a county's file with counts would leave them."""
    frame = pd.DataFrame([{"indicator_code": i, "region_code": r, "year": 2024, "value": v,
                           "numerator": n, "denominator": d, "source": "测试", "note": None}
                          for i, r, v, n, d in values])
    with store.transaction() as work:
        batch = work.create_batch("upload", "测试", "县报")
        work.write_observations(batch, frame, frame.iloc[0:0],
                                {"new": len(frame), "changed": 0, "unchanged": 0})


def counties_counts(store):
    # 孕产妇死亡 2 of 10,000 and 1 of 10,000 live births: 3 / 20,000 × 100,000 = 15/10万.
    write(store, (MATERNAL, GANGBEI, 20.0, 2, 10000), (MATERNAL, GANGNAN, 10.0, 1, 10000),
          ("cervical_cancer_screening_rate", GANGBEI, 50.0, None, None))


def of_2024(store, code):
    """The city's stored value of 2024 (it has values of other years from its work report)."""
    found = store.fetch_observations([code], [GUIGANG])
    return found[found["year"] == 2024].reset_index(drop=True)


def accept(store, cat, actor=CITY_REVIEWER, codes=None, region=GUIGANG):
    guarded = guard(store, actor, RegionTree(cat.regions), cat.plan_indicators)
    return rollup_accept.accept(guarded, actor, cat, SETTINGS, Period(WOMEN, region, 2024),
                                codes, scope=guarded.scope.capture_codes(),
                                limits=config.settings().upload)


def test_the_reviewer_takes_the_sum_in_as_a_batch_of_her_own(store, cat):
    counties_counts(store)
    batch, codes = accept(store, cat)
    assert codes == [MATERNAL]
    stored = of_2024(store, MATERNAL).iloc[0]
    assert (stored["value"], stored["numerator"], stored["denominator"]) == (
        pytest.approx(15.0), 3, 20000)
    assert stored["source"] == "由下级汇总"
    assert stored["note"] == "由下级汇总：港北区、港南区 2 个地区（共 5 个下级地区）Σ分子 3 / Σ分母 20,000"
    made = store.fetch_batch(batch)
    assert (made["kind"], made["user_name"], made["n_new"]) == ("rollup", "贵港审核", 1)
    assert made["file_name"] == "由下级汇总（贵港市2024年）.csv"
    file = store.fetch_batch_file(batch).decode("utf-8").splitlines()
    assert file[1] == f"{MATERNAL},孕产妇死亡率,{GUIGANG},2024,15,3,20000,450802、450803"
    entry = store.fetch_audit(action="rollup_accepted").iloc[0]
    assert (entry["user_name"], entry["object"]) == ("贵港审核", f"批次 {batch}")
    # Now the city's own value, the sum agrees with it and nothing is left to accept.
    with pytest.raises(rollup_accept.NotAccepted, match="没有可采用的汇总值"):
        accept(store, cat)


def test_the_reviewer_undoes_her_batch(store, cat):
    counties_counts(store)
    batch, _ = accept(store, cat)
    ingest.undo(guard(store, CITY_REVIEWER, RegionTree(cat.regions), cat.plan_indicators),
                batch, CITY_REVIEWER)
    assert of_2024(store, MATERNAL).empty
    assert pd.notna(store.fetch_batch(batch)["undone_by"])


def test_a_reported_value_is_never_overwritten(store, cat):
    counties_counts(store)
    write(store, (MATERNAL, GUIGANG, 19.0, None, None))     # 不一致 with 15: stays flagged
    with pytest.raises(rollup_accept.NotAccepted, match="本级已填报（19），汇总值不覆盖填报值"):
        accept(store, cat, codes=[MATERNAL])
    with pytest.raises(rollup_accept.NotAccepted, match="没有可采用的汇总值"):
        accept(store, cat)
    assert of_2024(store, MATERNAL)["value"].tolist() == [19.0]


def test_a_value_reported_after_the_check_is_not_overwritten_by_the_commit(store, cat):
    counties_counts(store)
    guarded = guard(store, CITY_REVIEWER, RegionTree(cat.regions), cat.plan_indicators)
    upload = rollup_accept.acceptance(guarded, cat, SETTINGS, Period(WOMEN, GUIGANG, 2024),
                                      None, scope=guarded.scope.capture_codes(),
                                      limits=config.settings().upload, locks=store.fetch_locks())
    write(store, (MATERNAL, GUIGANG, 19.0, None, None))
    with pytest.raises(ingest.ValueAlreadyStored):
        ingest.commit(guarded, upload, CITY_REVIEWER, batch_kind=rollup_accept.ROLLUP)
    assert of_2024(store, MATERNAL)["value"].tolist() == [19.0]


def test_a_share_without_counts_is_never_accepted(store, cat):
    counties_counts(store)
    with pytest.raises(rollup_accept.NotAccepted, match="没有可汇总的下级计数"):
        accept(store, cat, codes=["cervical_cancer_screening_rate"])
    assert of_2024(store, "cervical_cancer_screening_rate").empty


def test_outside_the_scope_or_without_the_role_it_is_refused(store, cat):
    counties_counts(store)
    # A county's reviewer who reads the whole city: the city's value is not hers to write.
    county_reviewer = Actor("港北审核", grant_for(Role.REVIEWER, GANGBEI, GUIGANG), "测试")
    with pytest.raises(rollup_accept.NotAccepted, match="无权上传「450800」.*out-of-scope"):
        accept(store, cat, actor=county_reviewer)
    with pytest.raises(AccessDenied):    # one who does not even read it
        accept(store, cat, actor=person("港北审核", Role.REVIEWER, GANGBEI))
    analyst = person("贵港填报", Role.ANALYST, GUIGANG)
    with pytest.raises(AccessDenied):
        accept(store, cat, actor=analyst)
    assert of_2024(store, MATERNAL).empty


def test_a_locked_period_refuses_it_naming_who_locked(store, cat):
    counties_counts(store)
    province = person("广西审核", Role.REVIEWER, GUANGXI)
    for county in GUIGANG_COUNTIES:
        take(store, cat, person("港北填报", Role.ANALYST, county), "submit", county)
        take(store, cat, CITY_REVIEWER, "approve", county)
    take(store, cat, person("贵港填报", Role.ANALYST, GUIGANG), "submit", GUIGANG)
    take(store, cat, province, "approve", GUIGANG)
    take(store, cat, province, "lock", GUIGANG)
    with pytest.raises(rollup_accept.NotAccepted, match="已由广西审核于.*锁定.*locked-period"):
        accept(store, cat)
    assert of_2024(store, MATERNAL).empty
    assert store.fetch_batches()["kind"].tolist().count("rollup") == 0


def take(store, cat, actor, action, region):
    guarded = guard(store, actor, RegionTree(cat.regions), cat.plan_indicators)
    reporting.take_step(guarded, actor, cat, SETTINGS, action, Period(WOMEN, region, 2024),
                        "部分指标由省统计局统一发布")


def run(db, *args):
    return subprocess.run([sys.executable, "-m", "metrics", *args, "--db", str(db)],
                          cwd=BASE_DIR, capture_output=True, text=True, timeout=120)


def test_the_rollup_command_accepts_as_the_named_reviewer(db, store, cat):
    counties_counts(store)
    accounts.add_user(store, local_administrator(), RegionTree(cat.regions), "贵港审核",
                      Role.REVIEWER, GUIGANG, password="足够长的测试密码-0001")
    refused = run(db, "rollup", "--plan", WOMEN, "--region", "贵港市", "--year", "2024",
                  "--accept", "cervical_cancer_screening_rate", "--as", "贵港审核")
    assert refused.returncode == 1 and "没有可汇总的下级计数" in refused.stderr
    result = run(db, "rollup", "--plan", WOMEN, "--region", "贵港市", "--year", "2024",
                 "--accept", "--as", "贵港审核", "--format", "json")
    assert result.returncode == 0, result.stderr
    done = json.loads(result.stdout)
    assert done["accepted"] == [MATERNAL]
    batch = open_store(db).fetch_batch(done["batch_id"])
    assert (batch["kind"], batch["user_name"]) == ("rollup", "贵港审核")
