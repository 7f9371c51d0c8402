"""The reporting cycle: every step allowed or refused by role, level and state; approval up the
tree only once the regions below are approved; completeness on submit; deadlines; the store's
own checks of each step (the guarded store) and its refusal of a step on a stale state; locks
holding against imports and undos, row by row in the check and as a whole in the commit."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pandas as pd
import pytest
from people import person

from metrics import catalogue, config, reporting, reporting_progress
from metrics.access import AccessDenied, Role, local_administrator
from metrics.errors import MetricsError, StoreError
from metrics.evaluation import expected
from metrics.plans import editing, indicator_edits, local_indicators
from metrics.regions import NATIONAL_CODE, RegionTree
from metrics.reporting import IncompleteSubmission, Period, StepRefused
from metrics.store import open_store
from metrics.store.guarded import guard
from metrics.uploads import ingest, templates

GUANGXI, GUIGANG, GANGBEI, GANGNAN = "450000", "450800", "450802", "450803"
GUIGANG_COUNTIES = ["450802", "450803", "450804", "450821", "450881"]
WOMEN = "women-2021-2030"
SETTINGS = config.settings().reporting
NOTE = "部分指标由省统计局统一发布"


@pytest.fixture
def tree(cat):
    return RegionTree(cat.regions)


def step(store, cat, actor, action, region, year=2024, note=NOTE, settings=SETTINGS):
    """One step as `actor`, through the store as they may use it."""
    guarded = guard(store, actor, RegionTree(cat.regions), cat.plan_indicators)
    return reporting.take_step(guarded, actor, cat, settings, action,
                               Period(WOMEN, region, year), note)


def state(store, region, year=2024) -> str:
    return reporting.states(store, WOMEN, year, [region]).iloc[0]["state"]


COUNTY_ANALYST = person("港北填报", Role.ANALYST, GANGBEI)
COUNTY_STAFF = person("港北工委办", Role.STAFF, GANGBEI)
COUNTY_REVIEWER = person("港北审核", Role.REVIEWER, GANGBEI)
CITY_ANALYST = person("贵港填报", Role.ANALYST, GUIGANG)
CITY_REVIEWER = person("贵港审核", Role.REVIEWER, GUIGANG)
CITY_ADMIN = person("贵港管理", Role.ADMIN, GUIGANG)
CITY_VIEWER = person("贵港领导", Role.VIEWER, GUIGANG)
PROVINCE_REVIEWER = person("广西审核", Role.REVIEWER, GUANGXI)
PROVINCE_ADMIN = person("广西管理", Role.ADMIN, GUANGXI)
OTHER_CITY_REVIEWER = person("南宁审核", Role.REVIEWER, "450100")


# --- the rule, step by step: (action, actor, the county's state) → allowed? -----------------

@pytest.mark.parametrize("action, actor, from_state, allowed", [
    ("submit", COUNTY_ANALYST, "open", True),
    ("submit", COUNTY_STAFF, "open", True),
    ("submit", CITY_ANALYST, "open", True),        # the city's analyst captures the county too
    ("submit", COUNTY_REVIEWER, "open", False),    # reviewers review, they do not submit
    ("submit", CITY_VIEWER, "open", False),
    ("submit", person("港南填报", Role.ANALYST, GANGNAN), "open", False),   # another county
    ("submit", COUNTY_ANALYST, "submitted", False),
    ("submit", COUNTY_ANALYST, "locked", False),
    ("approve", CITY_REVIEWER, "submitted", True),
    ("approve", PROVINCE_REVIEWER, "submitted", True),  # a level further up may too
    ("approve", CITY_ADMIN, "submitted", True),
    ("approve", COUNTY_REVIEWER, "submitted", False),   # not one's own region
    ("approve", OTHER_CITY_REVIEWER, "submitted", False),
    ("approve", CITY_ANALYST, "submitted", False),
    ("approve", CITY_REVIEWER, "open", False),
    ("approve", CITY_REVIEWER, "approved", False),
    ("return", CITY_REVIEWER, "submitted", True),
    ("return", CITY_REVIEWER, "approved", True),
    ("return", CITY_REVIEWER, "locked", False),         # unlock first
    ("return", COUNTY_ANALYST, "submitted", False),
    ("lock", PROVINCE_REVIEWER, "approved", True),
    ("lock", PROVINCE_ADMIN, "approved", True),
    ("lock", local_administrator(), "approved", True),  # 全国 is above the lock level
    ("lock", CITY_REVIEWER, "approved", False),         # below the lock level (province)
    ("lock", CITY_ADMIN, "approved", False),
    ("lock", PROVINCE_REVIEWER, "submitted", False),    # approve first
    ("unlock", PROVINCE_ADMIN, "locked", True),
    ("unlock", PROVINCE_REVIEWER, "locked", False),     # administrators only
    ("unlock", CITY_ADMIN, "locked", False),
    ("unlock", PROVINCE_ADMIN, "approved", False),
])
def test_each_step_by_role_level_and_state(tree, action, actor, from_state, allowed):
    found = reporting.refusal(action, actor, tree, SETTINGS, GANGBEI, from_state)
    assert (found is None) == allowed, found


def test_levels_that_do_not_report_submit_nothing(tree):
    assert "不报送" in reporting.refusal("submit", local_administrator(), tree, SETTINGS,
                                       NATIONAL_CODE, "open")
    counties_only = dataclasses.replace(SETTINGS, levels=("county",))
    assert "不报送" in reporting.refusal("submit", CITY_ANALYST, tree, counties_only, GUIGANG,
                                       "open")
    assert reporting.refusal("submit", CITY_ANALYST, tree, counties_only, GANGBEI, "open") is None


def test_a_city_lock_level_lets_the_citys_reviewer_lock(tree):
    city_locks = dataclasses.replace(SETTINGS, lock_level="city")
    assert reporting.refusal("lock", CITY_REVIEWER, tree, city_locks, GANGBEI, "approved") is None


# --- the cycle through the store ---------------------------------------------------------------

def test_a_county_goes_from_submitted_to_locked_with_its_history_and_audit(store, cat):
    step(store, cat, COUNTY_ANALYST, "submit", GANGBEI)
    step(store, cat, CITY_REVIEWER, "approve", GANGBEI, note="")
    step(store, cat, PROVINCE_REVIEWER, "lock", GANGBEI, note="")
    stored = store.fetch_periods(WOMEN, 2024, [GANGBEI]).iloc[0]
    assert stored["state"] == "locked"
    assert (stored["submitted_by"], stored["approved_by"], stored["locked_by"]) == (
        "港北填报", "贵港审核", "广西审核")
    history = store.fetch_period_history(WOMEN, GANGBEI, 2024)
    assert history[["action", "from_state", "to_state", "user_name"]].values.tolist() == [
        ["submit", "open", "submitted", "港北填报"],
        ["approve", "submitted", "approved", "贵港审核"],
        ["lock", "approved", "locked", "广西审核"]]
    assert history["occurred_at"].notna().all()
    audited = store.fetch_audit()[["user_name", "action"]].head(3).values.tolist()
    assert audited == [["广西审核", "period_locked"], ["贵港审核", "period_approved"],
                       ["港北填报", "period_submitted"]]


def test_a_return_needs_a_reason_and_clears_the_submission(store, cat):
    step(store, cat, COUNTY_ANALYST, "submit", GANGBEI)
    with pytest.raises(MetricsError, match="理由"):
        step(store, cat, CITY_REVIEWER, "return", GANGBEI, note="  ")
    step(store, cat, CITY_REVIEWER, "return", GANGBEI, note="孕产妇死亡率口径有误，请核实后重报")
    stored = store.fetch_periods(WOMEN, 2024, [GANGBEI]).iloc[0]
    assert stored["state"] == "open" and pd.isna(stored["submitted_by"])
    history = store.fetch_period_history(WOMEN, GANGBEI, 2024)
    assert history["comment"].iloc[-1] == "孕产妇死亡率口径有误，请核实后重报"
    step(store, cat, COUNTY_ANALYST, "submit", GANGBEI)     # and it can be submitted again
    assert state(store, GANGBEI) == "submitted"


def test_an_unlock_needs_a_reason_and_shows_on_the_history(store, cat):
    for actor, action in ((COUNTY_ANALYST, "submit"), (CITY_REVIEWER, "approve"),
                          (PROVINCE_REVIEWER, "lock")):
        step(store, cat, actor, action, GANGBEI)
    with pytest.raises(MetricsError, match="理由"):
        step(store, cat, PROVINCE_ADMIN, "unlock", GANGBEI, note="")
    step(store, cat, PROVINCE_ADMIN, "unlock", GANGBEI, note="统计局更正了2024年数据")
    assert state(store, GANGBEI) == "approved"
    last = store.fetch_period_history(WOMEN, GANGBEI, 2024).iloc[-1]
    assert (last["action"], last["user_name"], last["comment"]) == (
        "unlock", "广西管理", "统计局更正了2024年数据")
    assert pd.isna(store.fetch_periods(WOMEN, 2024, [GANGBEI]).iloc[0]["locked_by"])
    assert store.fetch_audit(action="period_unlocked")["detail"].iloc[0] == "统计局更正了2024年数据"


def test_a_refused_step_writes_nothing(store, cat):
    with pytest.raises(StepRefused, match="不能审核通过"):
        step(store, cat, CITY_REVIEWER, "approve", GANGBEI)
    assert store.fetch_period_history(WOMEN, GANGBEI, 2024).empty
    assert store.fetch_audit(action="period_approved").empty


def test_the_city_is_approved_only_once_every_county_below_is(store, cat):
    step(store, cat, CITY_ANALYST, "submit", GUIGANG)
    with pytest.raises(StepRefused, match="下级地区尚未全部审核通过：港北区（未报送）"):
        step(store, cat, PROVINCE_REVIEWER, "approve", GUIGANG)
    for county in GUIGANG_COUNTIES[:-1]:
        step(store, cat, CITY_ANALYST, "submit", county)
        step(store, cat, CITY_REVIEWER, "approve", county)
    with pytest.raises(StepRefused, match="^下级地区尚未全部审核通过：桂平市（未报送）。$"):
        step(store, cat, PROVINCE_REVIEWER, "approve", GUIGANG)
    step(store, cat, CITY_ANALYST, "submit", "450881")
    with pytest.raises(StepRefused, match="桂平市（已报送）"):
        step(store, cat, PROVINCE_REVIEWER, "approve", GUIGANG)
    step(store, cat, CITY_REVIEWER, "approve", "450881")
    step(store, cat, PROVINCE_REVIEWER, "approve", GUIGANG)
    assert state(store, GUIGANG) == "approved"
    # The province itself waits for every city and county of Guangxi.
    step(store, cat, PROVINCE_ADMIN, "submit", GUANGXI)
    with pytest.raises(StepRefused, match="等 .* 个"):
        step(store, cat, local_administrator(), "approve", GUANGXI)


def test_submitting_lists_the_missing_indicators_and_needs_a_note(store, cat):
    demo = "990124"   # 松屏县 of the demo city: 3 of the children's outline's 36 in 2024
    period = Period("children-2021-2030", demo, 2024)
    missing = reporting.missing_indicators(store, cat, period)
    expected = len(reporting.outline_codes(cat, "children-2021-2030"))
    stored = store.fetch_observations(reporting.outline_codes(cat, period.outline_id), [demo])
    assert len(missing) == expected - stored[stored["year"] == 2024]["indicator_code"].nunique()
    admin = local_administrator()
    with pytest.raises(IncompleteSubmission) as refused:
        reporting.take_step(store, admin, cat, SETTINGS, "submit", period)
    assert refused.value.missing["code"].tolist() == missing["code"].tolist()
    assert missing["name"].iloc[0] in str(refused.value)
    assert store.fetch_period_history(period.outline_id, demo, 2024).empty
    reporting.take_step(store, admin, cat, SETTINGS, "submit", period,
                        "儿童伤害死亡率由省疾控中心统一发布")
    event = store.fetch_period_history(period.outline_id, demo, 2024).iloc[0]
    assert json.loads(event["missing"]) == missing["code"].tolist()
    assert event["comment"] == "儿童伤害死亡率由省疾控中心统一发布"
    shown = reporting.history_table(cat, store.fetch_period_history(period.outline_id, demo,
                                                                     2024))
    assert shown["缺报指标"].iloc[0].startswith(missing["name"].iloc[0])


def test_a_complete_period_is_submitted_without_a_note(store, cat):
    period = Period(WOMEN, "990100", 2024)
    missing = reporting.missing_indicators(store, cat, period)
    values = pd.DataFrame({"indicator_code": missing["code"], "region_code": "990100",
                           "year": 2024, "value": 1.0, "numerator": None, "denominator": None,
                           "source": "测试", "note": None})
    with store.transaction() as work:
        batch = work.create_batch("upload", "测试", "补齐")
        work.write_observations(batch, values, values.iloc[:0], {"new": len(values),
                                                                 "changed": 0, "unchanged": 0})
    assert reporting.missing_indicators(store, cat, period).empty
    reporting.take_step(store, local_administrator(), cat, SETTINGS, "submit", period)
    assert pd.isna(store.fetch_period_history(WOMEN, "990100", 2024).iloc[0]["missing"])


# --- deadlines and the progress table -----------------------------------------------------------

def test_deadlines_per_outline_and_overdue_periods(store, cat):
    assert SETTINGS.due(WOMEN, 2024) == dt.date(2025, 3, 31)
    own = dataclasses.replace(SETTINGS, deadlines={WOMEN: "06-30"})
    assert own.due(WOMEN, 2024) == dt.date(2025, 6, 30)
    assert own.due("children-2021-2030", 2024) == dt.date(2025, 3, 31)   # the default
    step(store, cat, COUNTY_ANALYST, "submit", GANGBEI)
    before = reporting_progress.progress(store, cat, SETTINGS, CITY_REVIEWER, WOMEN, 2024,
                                         GUIGANG, show_demo=True, today=dt.date(2025, 3, 31))
    assert not before["overdue"].any()
    after = reporting_progress.progress(store, cat, SETTINGS, CITY_REVIEWER, WOMEN, 2024,
                                        GUIGANG, show_demo=True,
                                        today=dt.date(2025, 4, 1)).set_index(
                                            "region_code")
    assert after.loc[GANGNAN, "overdue"] and not after.loc[GANGBEI, "overdue"]
    assert after.loc[GANGBEI, "late"]         # submitted (now, in 2026) after 2025-03-31
    assert list(after.index) == [GUIGANG] + GUIGANG_COUNTIES   # the city itself, then below


def test_the_demo_city_is_listed_under_the_nation_only_when_the_demo_is_shown(store, cat):
    admin = local_administrator()
    shown = reporting_progress.progress(store, cat, SETTINGS, admin, WOMEN, 2024, NATIONAL_CODE,
                                        show_demo=True)
    hidden = reporting_progress.progress(store, cat, SETTINGS, admin, WOMEN, 2024,
                                         NATIONAL_CODE, show_demo=False)
    assert "990100" in set(shown["region_code"]) and len(shown) == 32   # 31 provinces + demo
    assert list(hidden["region_code"]) == [c for c in shown["region_code"] if c != "990100"]


def test_the_progress_table_offers_each_person_the_steps_they_may_take(store, cat):
    step(store, cat, COUNTY_ANALYST, "submit", GANGBEI)
    rows = reporting_progress.progress(store, cat, SETTINGS, CITY_REVIEWER, WOMEN, 2024,
                                       GUIGANG, show_demo=True).set_index("region_code")
    assert rows.loc[GANGBEI, "actions"] == ("approve", "return")
    assert rows.loc[GANGNAN, "actions"] == ()
    assert rows.loc[GUIGANG, "actions"] == ()                  # not its own reviewer
    assert (rows.loc[GANGBEI, "supplied"], rows.loc[GANGBEI, "expected"]) == (0, 46)
    analyst = reporting_progress.progress(store, cat, SETTINGS, CITY_ANALYST, WOMEN, 2024,
                                          GUIGANG, show_demo=True).set_index("region_code")
    assert analyst.loc[GANGNAN, "actions"] == ("submit",)
    table = reporting_progress.progress_table(rows.reset_index())
    assert table.set_index("地区代码").loc[GANGBEI, "可执行操作"] == "审核通过、退回"


# --- the store's own checks ---------------------------------------------------------------------

def event(action="submit", user="港北填报", region=GANGBEI, from_state="open",
          to_state="submitted") -> dict:
    return {"outline_id": WOMEN, "region_code": region, "year": 2024, "action": action,
            "from_state": from_state, "to_state": to_state, "user_name": user,
            "comment": None, "missing": None}


def test_the_store_checks_each_step_itself(store, cat, tree):
    def guarded(actor):
        return guard(store, actor, tree, cat.plan_indicators)
    with pytest.raises(AccessDenied, match="名义"):
        guarded(COUNTY_ANALYST).record_period_event(event(user="贵港审核"))
    with pytest.raises(AccessDenied, match="无权报送数据"):
        guarded(COUNTY_REVIEWER).record_period_event(event(user="港北审核"))
    with pytest.raises(AccessDenied, match="填报范围"):
        guarded(COUNTY_REVIEWER).record_period_event(
            event("approve", "港北审核", from_state="submitted", to_state="approved"))
    with pytest.raises(AccessDenied, match="无权系统管理"):
        guarded(PROVINCE_REVIEWER).record_period_event(
            event("unlock", "广西审核", from_state="locked", to_state="approved"))
    assert store.fetch_period_history(WOMEN, GANGBEI, 2024).empty
    with pytest.raises(AccessDenied, match="查看范围"):
        guarded(COUNTY_ANALYST).fetch_periods(WOMEN, 2024, [GANGNAN])


def test_a_step_on_a_state_someone_changed_meanwhile_is_refused(store):
    store.record_period_event(event())
    with pytest.raises(StoreError, match="已被他人改变"):
        store.record_period_event(event())          # still thinks it is open
    assert len(store.fetch_period_history(WOMEN, GANGBEI, 2024)) == 1


def test_the_period_history_has_no_update_or_delete_path():
    from metrics.store.duckdb_backend import periods
    source = open(periods.__file__, encoding="utf-8").read()
    assert "UPDATE period_history" not in source and "DELETE FROM period_history" not in source


def test_locks_are_listed_only_within_the_view_scope(store, cat, tree):
    for actor, action in ((COUNTY_ANALYST, "submit"), (CITY_REVIEWER, "approve"),
                          (PROVINCE_REVIEWER, "lock")):
        step(store, cat, actor, action, GANGBEI)
    assert guard(store, CITY_REVIEWER, tree, cat.plan_indicators).fetch_locks()[
        "region_code"].tolist() == [GANGBEI]
    assert guard(store, OTHER_CITY_REVIEWER, tree, cat.plan_indicators).fetch_locks().empty


# --- locks hold: import and undo ------------------------------------------------------------------

def lock_gangbei(store, cat):
    for actor, action in ((COUNTY_ANALYST, "submit"), (CITY_REVIEWER, "approve"),
                          (PROVINCE_REVIEWER, "lock")):
        step(store, cat, actor, action, GANGBEI)


def county_file(*rows) -> bytes:
    lines = ["指标代码,地区代码,年份,数值"] + [f"maternal_mortality_ratio,{r},{y},{v}"
                                             for r, y, v in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_the_upload_check_lists_each_row_of_a_locked_period(store, cat):
    lock_gangbei(store, cat)
    raw = county_file((GANGBEI, 2023, 20.1), (GANGBEI, 2024, 19.0), (GANGNAN, 2024, 18.0))
    upload = ingest.read_upload(raw, "县报.csv", cat, limits=config.settings().upload,
                                locks=store.fetch_locks())
    assert [(p.code, p.row) for p in upload.errors] == [("locked-period", 3)]
    assert "广西审核" in upload.errors[0].message and "港北区2024年" in upload.errors[0].message
    assert len(upload.rows) == 2 and not upload.valid
    # Another outline's indicator in the same county and year is not locked by women's period.
    other = ingest.read_upload(
        b"\xe6\x8c\x87\xe6\xa0\x87\xe4\xbb\xa3\xe7\xa0\x81,\xe5\x9c\xb0\xe5\x8c\xba\xe4\xbb\xa3"
        b"\xe7\xa0\x81,\xe5\xb9\xb4\xe4\xbb\xbd,\xe6\x95\xb0\xe5\x80\xbc\n"
        b"infant_mortality_rate,450802,2024,4.1\n", "儿童.csv", cat,
        limits=config.settings().upload, locks=store.fetch_locks())
    assert other.valid


def test_a_commit_refuses_a_locked_value_even_when_the_check_was_not_told(store, cat):
    lock_gangbei(store, cat)
    upload = ingest.read_upload(county_file((GANGBEI, 2024, 19.0), (GANGNAN, 2024, 18.0)),
                                "县报.csv", cat, limits=config.settings().upload)
    assert upload.valid
    analyst = person("贵港填报", Role.ANALYST, GUIGANG)
    with pytest.raises(ingest.LockedData, match="由广西审核于"):
        ingest.commit(guard(store, analyst, RegionTree(cat.regions), cat.plan_indicators),
                      upload, analyst)
    assert store.fetch_batches()["kind"].tolist() == ["seed"]
    assert store.fetch_observations(["maternal_mortality_ratio"], [GANGNAN]).empty


def test_an_undo_that_would_change_a_locked_value_is_refused(store, cat):
    upload = ingest.read_upload(county_file((GANGBEI, 2024, 19.0)), "县报.csv", cat,
                                limits=config.settings().upload)
    admin = local_administrator()
    batch = ingest.commit(store, upload, admin)
    lock_gangbei(store, cat)
    with pytest.raises(ingest.LockedData, match=f"撤销批次 {batch}"):
        ingest.undo(store, batch, admin)
    assert pd.isna(store.fetch_batch(batch)["undone_by"])
    assert store.fetch_observations(["maternal_mortality_ratio"], [GANGBEI])["value"].tolist() \
        == [19.0]
    reporting.take_step(store, PROVINCE_ADMIN, cat, SETTINGS, "unlock",
                        Period(WOMEN, GANGBEI, 2024), "更正")
    ingest.undo(store, batch, admin)                     # unlocked: the undo goes through
    assert store.fetch_observations(["maternal_mortality_ratio"], [GANGBEI]).empty


# --- schema 7 -----------------------------------------------------------------------------------

def test_a_schema_6_store_gains_the_period_tables_and_keeps_its_values(db):
    import duckdb

    from metrics.store.duckdb_backend.schema import SCHEMA_VERSION
    store = open_store(db)
    rows_before = store.count_rows()
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE reporting_periods; DROP TABLE period_history; "
                "DROP SEQUENCE period_event_ids; DELETE FROM schema_migrations")
    con.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    con.close()
    assert store.initialise() == 6
    assert store.schema_version() == SCHEMA_VERSION
    assert store.migrations()["version"].tolist() == list(range(7, SCHEMA_VERSION + 1))
    assert store.count_rows() == rows_before
    store.record_period_event(event())
    assert store.fetch_periods(WOMEN, 2024, [GANGBEI])["state"].tolist() == ["submitted"]


# --- the command line ---------------------------------------------------------------------------

def metrics_cli(db, *args):
    import subprocess
    import sys

    from metrics.config import BASE_DIR
    return subprocess.run([sys.executable, "-m", "metrics", *args, "--db", str(db)],
                          cwd=BASE_DIR, capture_output=True, text=True, timeout=120)


def add_users(store, cat):
    from metrics import accounts
    admin, tree = local_administrator(), RegionTree(cat.regions)
    for actor in (COUNTY_ANALYST, CITY_REVIEWER, PROVINCE_REVIEWER, PROVINCE_ADMIN):
        accounts.add_user(store, admin, tree, actor.name, actor.role, actor.grant.capture_roots[0],
                          password="足够长的测试密码-0001")


def test_the_period_commands_walk_a_county_up_to_the_lock_and_hold_it(db, store, cat, tmp_path):
    add_users(store, cat)
    where = ["--plan", WOMEN, "--region", "港北区", "--year", "2024"]
    incomplete = metrics_cli(db, "period", "submit", *where, "--as", "港北填报")
    assert incomplete.returncode == 1 and "尚无本年数值" in incomplete.stderr
    assert metrics_cli(db, "period", "submit", *where, "--as", "港北填报",
                       "--note", NOTE).returncode == 0
    refused = metrics_cli(db, "period", "lock", *where, "--as", "贵港审核")
    assert refused.returncode == 1 and "不能锁定" in refused.stderr
    assert metrics_cli(db, "period", "approve", *where, "--as", "贵港审核").returncode == 0
    refused = metrics_cli(db, "period", "lock", *where, "--as", "贵港审核")
    assert refused.returncode == 1 and "省级或更高一级" in refused.stderr
    locked = metrics_cli(db, "period", "lock", *where, "--as", "广西审核")
    assert locked.returncode == 0 and "已锁定" in locked.stdout
    shown = json.loads(metrics_cli(db, "period", "show", *where, "--format", "json").stdout)
    assert (shown["state"], shown["locked_by"], shown["expected"]) == ("locked", "广西审核", 46)
    assert [e["action"] for e in shown["history"]] == ["submit", "approve", "lock"]
    assert shown["history"][0]["comment"] == NOTE and len(shown["missing"]) == 46
    listing = json.loads(metrics_cli(db, "period", "list", "--plan", WOMEN, "--year", "2024",
                                     "--under", "贵港市", "--as", "贵港审核",
                                     "--format", "json").stdout)
    assert {r["region_code"]: r["state"] for r in listing}[GANGBEI] == "locked"
    assert "港北区" in metrics_cli(db, "period", "list", "--plan", WOMEN, "--year", "2024",
                                  "--under", "贵港市").stdout
    every = json.loads(metrics_cli(db, "period", "list", "--plan", WOMEN, "--year", "2024",
                                   "--under", "广西", "--all-levels", "--format", "json").stdout)
    # 广西 itself, its 14 cities and 111 county-level units, in official order.
    assert len(every) == 126 and every[0]["region_code"] == GUANGXI
    assert [r["region_code"] for r in every].index(GANGBEI) == [
        r["region_code"] for r in every].index(GUIGANG) + 1
    assert {r["region_code"]: r["state"] for r in every}[GANGBEI] == "locked"

    # The lock holds against an import and an undo from the command line.
    upload = tmp_path / "港北.csv"
    upload.write_bytes(county_file((GANGBEI, 2024, 19.0), (GANGBEI, 2023, 20.0)))
    imported = metrics_cli(db, "import", str(upload), "--as", "港北填报", "--format", "json")
    assert imported.returncode == 1
    errors = json.loads(imported.stdout)["errors"]
    assert [(e["code"], e["row"]) for e in errors] == [("locked-period", 2)]
    assert "广西审核" in errors[0]["message"]
    assert store.fetch_batches()["kind"].tolist() == ["seed"]


def test_an_undo_from_the_command_line_of_a_locked_value_exits_1(db, store, cat, tmp_path):
    add_users(store, cat)
    upload = tmp_path / "港北.csv"
    upload.write_bytes(county_file((GANGBEI, 2024, 19.0)))
    assert metrics_cli(db, "import", str(upload), "--as", "港北填报").returncode == 0
    batch = int(store.fetch_batches()["id"].max())
    lock_gangbei(store, cat)
    undone = metrics_cli(db, "undo", str(batch), "--as", "港北填报")
    assert undone.returncode == 1 and "已锁定" in undone.stderr and "广西审核" in undone.stderr
    assert store.fetch_observations(["maternal_mortality_ratio"], [GANGBEI])["value"].tolist() \
        == [19.0]
    unlocked = metrics_cli(db, "period", "unlock", "--plan", WOMEN, "--region", GANGBEI,
                           "--year", "2024", "--as", "广西管理", "--note", "更正数据")
    assert unlocked.returncode == 0
    assert metrics_cli(db, "undo", str(batch), "--as", "港北填报").returncode == 0
    assert store.fetch_audit(action="period_unlocked")["user_name"].tolist() == ["广西管理"]


def test_the_report_figures_check_lists_each_figure_of_a_locked_period(store, cat):
    from metrics.uploads import narrative, narrative_upload
    lock_gangbei(store, cat)
    found = narrative.extract("2024年，全区孕产妇死亡率为12.5/10万，婴儿死亡率为4.1‰。", cat,
                              GANGBEI, 2024)
    assert [c.indicator_code for c in found.candidates] == ["maternal_mortality_ratio",
                                                            "infant_mortality_rate"]
    upload = narrative_upload.as_upload(found.candidates, b"x", narrative_upload.PASTED_NAME,
                                        cat, numbers=[3, 4], limits=config.settings().upload,
                                        locks=store.fetch_locks())
    # Figure 3 (the women's outline, locked in 港北区 2024) is refused at its own 序号; the
    # children's outline is not locked there, so figure 4 stands.
    assert [(p.row, p.code) for p in upload.errors] == [(3, "locked-period")]
    assert "已由广西审核于" in upload.errors[0].message
    assert upload.rows["indicator_code"].tolist() == ["infant_mortality_rate"]


DEMO_CITY, CHENGHU, SONGPING = "990100", "990102", "990124"
CHILDREN = "children-2021-2030"
HOME = "「儿童之家」覆盖率"


def city_plan_dropping_one_and_defining_one(store) -> str:
    """The demo city's plan, which does not monitor 婴儿死亡率 and monitors its own
    「儿童之家」覆盖率."""
    city_admin = person("示范市管理员", Role.ADMIN, DEMO_CITY)
    saved = editing.create_plan(store, city_admin, catalogue.read_from_store(store), CHILDREN,
                                DEMO_CITY, "示范市儿童发展规划", None,
                                {"baseline_year": 2020, "midterm_year": 2025,
                                 "target_year": 2030})
    indicator_edits.drop_indicator(store, city_admin, catalogue.read_from_store(store),
                                   saved.plan_id, "infant_mortality_rate", "本市规划未列入")
    code, _ = local_indicators.define(store, city_admin, catalogue.read_from_store(store),
                                      saved.plan_id, {"name": HOME, "unit": "%",
                                                      "direction": "higher", "area": "儿童与健康"},
                                      "≥90%")
    return code


def test_a_region_is_asked_for_the_outline_but_what_its_plan_dropped_and_its_local_ones(store):
    home = city_plan_dropping_one_and_defining_one(store)
    cat = catalogue.read_from_store(store)
    outline = reporting.outline_codes(cat, CHILDREN)
    under_plan = expected.expected_codes(cat, CHILDREN, SONGPING)
    assert set(under_plan) == set(outline) - {"infant_mortality_rate"} | {home}
    assert expected.expected_codes(cat, CHILDREN, GANGBEI) == outline   # under no such plan
    # Completeness asks for exactly these: the missing indicators, 报送进度's counts, and the
    # template a county downloads.
    period = Period(CHILDREN, SONGPING, 2024)
    missing = set(reporting.missing_indicators(store, cat, period)["code"])
    assert home in missing and "infant_mortality_rate" not in missing
    summary = reporting_progress.period_summary(store, cat, period)
    assert summary["expected"] == len(outline)
    assert summary["supplied"] == len(set(under_plan) - missing)
    rows = reporting_progress.progress(store, cat, SETTINGS, local_administrator(), CHILDREN,
                                       2024, DEMO_CITY, show_demo=True).set_index("region_code")
    assert rows.at[SONGPING, "expected"] == len(outline)
    assert rows.at[SONGPING, "supplied"] == summary["supplied"]
    template = templates.template_frame(cat, CHILDREN, [2024], SONGPING)
    assert home in set(template["指标代码"])
    assert "infant_mortality_rate" not in set(template["指标代码"])


def test_a_value_of_the_local_indicator_counts_as_supplied(store):
    home = city_plan_dropping_one_and_defining_one(store)
    cat = catalogue.read_from_store(store)
    period = Period(CHILDREN, SONGPING, 2024)
    before = reporting_progress.period_summary(store, cat, period)["supplied"]
    frame = templates.template_frame(cat, CHILDREN, [2024], SONGPING)
    frame = frame[frame["指标代码"] == home].assign(**{"2024年": "88.5"})
    upload = ingest.read_upload(templates.csv_bytes(frame), "上报.csv", cat,
                                limits=config.settings().upload)
    assert not upload.errors
    ingest.commit(store, upload, person("示范市管理员", Role.ADMIN, DEMO_CITY))
    assert reporting_progress.period_summary(store, catalogue.read_from_store(store),
                                             period)["supplied"] == before + 1
    assert home not in set(reporting.missing_indicators(
        store, catalogue.read_from_store(store), period)["code"])


def test_a_county_plan_setting_a_target_asks_again_for_what_the_city_dropped(store):
    city_plan_dropping_one_and_defining_one(store)
    county_admin = person("松屏县管理员", Role.ADMIN, SONGPING)
    saved = editing.create_plan(store, county_admin, catalogue.read_from_store(store),
                                "990100-children-2021-2030", SONGPING, "松屏县儿童发展规划", None,
                                {"baseline_year": 2020, "midterm_year": 2025,
                                 "target_year": 2030})
    indicator_edits.set_target(store, county_admin, catalogue.read_from_store(store),
                               saved.plan_id, "infant_mortality_rate", "≤5‰")
    cat = catalogue.read_from_store(store)
    assert "infant_mortality_rate" in expected.expected_codes(cat, CHILDREN, SONGPING)
    assert "infant_mortality_rate" not in expected.expected_codes(cat, CHILDREN, CHENGHU)
