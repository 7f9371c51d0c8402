"""Who may see and change what, enforced in metrics below the pages: the guarded store's rules,
region scope in reads, imports, undos, notes and briefings, logins with throttling and expiry,
the append-only audit log, and passwords that never appear anywhere but as hashes."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from people import person

from metrics import accounts, audit, config, focus_notes, logins, passwords
from metrics.access import AccessDenied, Role, local_administrator, public_visitor
from metrics.config import BASE_DIR
from metrics.errors import MetricsError
from metrics.regions import NATIONAL_CODE, RegionTree
from metrics.reports import briefing
from metrics.store import Store, open_store
from metrics.store.guarded import NOT_FOR_PEOPLE, RULES, GuardedStore, guard
from metrics.uploads import ingest

GUIGANG, GANGBEI, GANGNAN = "450800", "450802", "450803"   # 贵港市 and two of its districts
NANNING = "450100"
ACCESS = config.settings().access
PASSWORD = "县级填报员的密码-2026"


@pytest.fixture
def tree(cat) -> RegionTree:
    return RegionTree(cat.regions)


def acting(store, cat, actor) -> GuardedStore:
    return guard(store, actor, RegionTree(cat.regions), cat.plan_indicators)


def county_csv(*rows: tuple[str, int, float]) -> bytes:
    lines = ["指标代码,地区代码,年份,数值"] + [f"maternal_mortality_ratio,{r},{y},{v}"
                                             for r, y, v in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def values(store, region: str) -> dict[int, float]:
    frame = store.fetch_observations(["maternal_mortality_ratio"], [region])
    return dict(zip(frame["year"], frame["value"]))


# --- the guarded store ----------------------------------------------------------------------

def test_every_store_method_has_a_rule_or_is_kept_from_people():
    interface = {name for name in dir(Store)
                 if getattr(getattr(Store, name), "__isabstractmethod__", False)}
    assert interface == set(RULES) | NOT_FOR_PEOPLE
    assert not set(RULES) & NOT_FOR_PEOPLE


def test_login_machinery_is_out_of_a_persons_reach(store, cat):
    guarded = acting(store, cat, local_administrator())
    for name in NOT_FOR_PEOPLE:
        with pytest.raises(AttributeError):
            getattr(guarded, name)


def test_a_county_analyst_reads_her_county_only(store, cat):
    analyst = acting(store, cat, person("李县", Role.ANALYST, GANGBEI))
    assert analyst.fetch_region_years(GANGBEI) == []  # allowed (no data there yet)
    for outside in (GUIGANG, GANGNAN, NATIONAL_CODE):
        with pytest.raises(AccessDenied, match="查看范围"):
            analyst.fetch_observations(["maternal_mortality_ratio"], [outside])
    with pytest.raises(AccessDenied, match="贵港市"):
        analyst.fetch_evaluation_inputs(["maternal_mortality_ratio"], [GANGBEI, GUIGANG],
                                        2024, 2020, 1, 5)


def test_a_city_viewer_reads_the_city_and_its_counties(store, cat):
    viewer = acting(store, cat, person("王市", Role.VIEWER, GUIGANG))
    assert 2015 in viewer.fetch_region_years(GUIGANG)
    viewer.fetch_observations(["maternal_mortality_ratio"], [GUIGANG, GANGBEI, GANGNAN])
    with pytest.raises(AccessDenied):
        viewer.fetch_region_years(NANNING)


def test_an_upload_with_another_countys_rows_is_refused_and_writes_nothing(store, cat):
    before = values(store, GANGNAN)
    actor = person("李县", Role.ANALYST, GANGBEI)
    analyst = acting(store, cat, actor)
    raw = county_csv((GANGBEI, 2023, 20.1), (GANGNAN, 2023, 30.2))
    upload = ingest.read_upload(raw, "县报.csv", cat, scope=analyst.scope.capture_codes(),
                                limits=config.settings().upload)
    assert [p.code for p in upload.errors] == ["out-of-scope"]
    assert upload.errors[0].row == 3
    # A page that forgot the scope when checking still cannot write: the store refuses.
    unchecked = ingest.read_upload(raw, "县报.csv", cat, limits=config.settings().upload)
    with pytest.raises(AccessDenied, match="不含广西壮族自治区/贵港市/港南区"):
        ingest.commit(analyst, unchecked, actor)
    assert values(store, GANGNAN) == before and values(store, GANGBEI) == {}
    assert store.fetch_batches()["kind"].tolist() == ["seed"]


def test_a_batch_records_the_acting_user_and_cannot_be_written_in_another_name(store, cat):
    actor = person("李县", Role.ANALYST, GANGBEI)
    analyst = acting(store, cat, actor)
    upload = ingest.read_upload(county_csv((GANGBEI, 2023, 20.1)), "县报.csv", cat,
                                limits=config.settings().upload)
    batch = ingest.commit(analyst, upload, actor)
    assert store.fetch_batch(batch)["user_name"] == "李县"
    with pytest.raises(AccessDenied, match="名义"):
        analyst.create_batch("upload", "王某", "冒名")


def test_analysts_undo_their_own_batches_only(store, cat):
    mine, other = person("李县", Role.ANALYST, GANGBEI), person("赵县", Role.ANALYST, GANGBEI)
    upload = ingest.read_upload(county_csv((GANGBEI, 2023, 20.1)), "县报.csv", cat,
                                limits=config.settings().upload)
    batch = ingest.commit(acting(store, cat, mine), upload, mine)
    with pytest.raises(MetricsError, match=f"批次 {batch} 不存在"):  # nor does she see it
        ingest.undo(acting(store, cat, other), batch, other)
    assert values(store, GANGBEI) == {2023: 20.1}
    ingest.undo(acting(store, cat, mine), batch, mine)
    assert values(store, GANGBEI) == {}


def test_an_administrator_undoes_anybodys_batch_within_the_audit(store, cat):
    analyst = person("李县", Role.ANALYST, GANGBEI)
    upload = ingest.read_upload(county_csv((GANGBEI, 2023, 20.1)), "县报.csv", cat,
                                limits=config.settings().upload)
    batch = ingest.commit(acting(store, cat, analyst), upload, analyst)
    admin = local_administrator()
    undo_id = ingest.undo(acting(store, cat, admin), batch, admin)
    assert store.fetch_batch(undo_id)["user_name"] == "本地管理员"
    entries = store.fetch_audit()
    assert entries[["user_name", "action", "object"]].head(2).values.tolist() == [
        ["本地管理员", "undo", f"批次 {batch}"], ["李县", "upload_committed", f"批次 {batch}"]]


def test_batch_history_shows_each_role_what_is_theirs(store, cat, tree):
    admin = acting(store, cat, local_administrator())
    accounts.add_user(admin, local_administrator(), tree, "李县", Role.ANALYST, GANGBEI)
    accounts.add_user(admin, local_administrator(), tree, "南宁填报", Role.ANALYST, NANNING)
    for name, region in (("李县", GANGBEI), ("南宁填报", NANNING)):
        actor = accounts.find(store, name).actor()
        upload = ingest.read_upload(county_csv((region, 2023, 20.1)), f"{name}.csv", cat,
                                    limits=config.settings().upload)
        ingest.commit(acting(store, cat, actor), upload, actor)
    seen = {who.name: set(acting(store, cat, who).fetch_batches()["user_name"])
            for who in (accounts.find(store, "李县").actor(),
                        person("贵港工委办", Role.STAFF, GUIGANG),
                        person("广西审核", Role.REVIEWER, "450000"))}
    assert seen == {"李县": {"李县"}, "贵港工委办": {"李县", "系统"},
                    "广西审核": {"李县", "南宁填报", "系统"}}
    with pytest.raises(AccessDenied):
        acting(store, cat, person("领导", Role.VIEWER, GUIGANG)).fetch_batches()


def test_notes_need_the_staff_role_and_the_region(store, cat):
    items = pd.DataFrame({"indicator_code": ["maternal_mortality_ratio"], "reason": ["基数小"],
                          "measures": ["加强孕产妇管理"], "deadline": ["2026年底"],
                          "responsible": ["卫生健康局"]})
    staff = person("贵港工委办", Role.STAFF, GUIGANG)
    assert focus_notes.save(acting(store, cat, staff), staff, "women-2021-2030", GANGBEI,
                            items) == 1
    for who, region, refusal in ((person("领导", Role.VIEWER, GUIGANG), GANGBEI, "编辑重点难点"),
                                 (staff, NANNING, "不含广西壮族自治区/南宁市")):
        with pytest.raises(AccessDenied, match=refusal):
            focus_notes.save(acting(store, cat, who), who, "women-2021-2030", region, items)
    saved = store.fetch_focus_items("women-2021-2030", [GANGBEI, NANNING])
    assert saved[["region_code", "updated_by"]].values.tolist() == [[GANGBEI, "贵港工委办"]]
    [entry] = store.fetch_audit(action="notes_saved").to_dict("records")
    assert entry["user_name"] == "贵港工委办" and "加强孕产妇管理" in entry["after_state"]


def test_a_briefing_of_a_region_outside_the_scope_is_refused(store, cat):
    staff = person("贵港工委办", Role.STAFF, GUIGANG)
    settings = config.settings().evaluation
    built = briefing.build(acting(store, cat, staff), cat, "women-2021-2030", GUIGANG, 2015,
                           None, None, settings=settings)
    assert len(built.indicators)
    with pytest.raises(AccessDenied):
        briefing.build(acting(store, cat, staff), cat, "women-2021-2030", NANNING, 2015, None,
                       None, settings=settings)


def test_the_public_visitor_reads_the_named_outlines_only(store, cat):
    visitor = acting(store, cat, public_visitor((NATIONAL_CODE,), ("women-2021-2030",), "1.2.3.4"))
    women = cat.plan_indicators.query("plan_id == 'women-2021-2030'")["indicator_code"]
    children_only = sorted(set(cat.plan_indicators.query(
        "plan_id == 'children-2021-2030'")["indicator_code"]) - set(women))
    assert len(visitor.fetch_observations(list(women), [NATIONAL_CODE]))
    with pytest.raises(AccessDenied, match="公开模式"):
        visitor.fetch_observations(children_only[:1], [NATIONAL_CODE])
    with pytest.raises(AccessDenied):
        visitor.create_batch("upload", visitor.actor.name, "")


# --- accounts -------------------------------------------------------------------------------

def test_a_city_administrator_manages_the_users_of_the_city_only(store, cat, tree):
    admin = acting(store, cat, local_administrator())
    accounts.add_user(admin, local_administrator(), tree, "贵港管理员", Role.ADMIN, GUIGANG)
    city_admin = accounts.find(store, "贵港管理员").actor()
    city = acting(store, cat, city_admin)
    accounts.add_user(city, city_admin, tree, "港北填报", Role.ANALYST, GANGBEI)
    with pytest.raises(AccessDenied):
        accounts.add_user(city, city_admin, tree, "南宁填报", Role.ANALYST, NANNING)
    with pytest.raises(AccessDenied):
        accounts.reset_password(city, city_admin, tree, "tester")  # the 全国 administrator
    with pytest.raises(accounts.AccountError, match="查看范围"):
        accounts.change(city, city_admin, tree, "港北填报", view_region_code=GANGNAN)


@pytest.mark.parametrize("name", ["a", "有 空格", "本地管理员", "x" * 41, "名字<b>"])
def test_unusable_user_names_are_refused(store, cat, tree, name):
    with pytest.raises(accounts.AccountError):
        accounts.add_user(acting(store, cat, local_administrator()), local_administrator(),
                          tree, name, Role.VIEWER, GUIGANG)


def test_a_short_password_is_refused(store, cat, tree):
    with pytest.raises(passwords.WeakPassword):
        accounts.add_user(acting(store, cat, local_administrator()), local_administrator(),
                          tree, "王市", Role.VIEWER, GUIGANG, password="123456")


# --- logins ---------------------------------------------------------------------------------

@pytest.fixture
def county_user(store, cat, tree) -> str:
    accounts.add_user(acting(store, cat, local_administrator()), local_administrator(), tree,
                      "李县", Role.ANALYST, GANGBEI, password=PASSWORD)
    return "李县"


def test_a_login_opens_a_session_the_cookie_carries(store, county_user):
    outcome = logins.attempt(store, county_user, PASSWORD, "10.0.0.5", ACCESS)
    actor = logins.signed_in(store, outcome.cookie, "10.0.0.5", ACCESS)
    assert actor.name == "李县" and actor.role is Role.ANALYST
    assert actor.grant.capture_roots == (GANGBEI,)
    forged = outcome.cookie[:-2] + ("AA" if not outcome.cookie.endswith("AA") else "BB")
    assert logins.signed_in(store, forged, "10.0.0.5", ACCESS) is None
    token = logins.session_token(store, outcome.cookie)
    assert store.fetch_login_session(logins.token_hash(token))["user_name"] == "李县"
    assert token not in str(store.fetch_login_sessions().to_dict())  # only its hash is kept


def test_logout_ends_the_session(store, county_user):
    cookie = logins.attempt(store, county_user, PASSWORD, "10.0.0.5", ACCESS).cookie
    logins.log_out(store, cookie, "10.0.0.5")
    assert logins.signed_in(store, cookie, "10.0.0.5", ACCESS) is None
    assert store.fetch_audit()["action"].head(2).tolist() == ["logout", "login"]


def test_an_idle_session_expires_and_is_audited(store, county_user):
    cookie = logins.attempt(store, county_user, PASSWORD, "10.0.0.5", ACCESS).cookie
    token = logins.session_token(store, cookie)
    idle = store.local_time() - dt.timedelta(minutes=ACCESS.idle_minutes + 1)
    store.touch_login_session(logins.token_hash(token), idle)
    assert logins.signed_in(store, cookie, "10.0.0.5", ACCESS) is None
    assert store.fetch_login_session(logins.token_hash(token))["end_reason"] == "expired"
    assert store.fetch_audit()["action"].iloc[0] == "session_expired"


def test_a_password_reset_or_a_disabled_user_ends_every_session(store, cat, tree, county_user):
    admin = acting(store, cat, local_administrator())
    first = logins.attempt(store, county_user, PASSWORD, "10.0.0.5", ACCESS).cookie
    new_password = accounts.reset_password(admin, local_administrator(), tree, county_user)
    assert logins.signed_in(store, first, "10.0.0.5", ACCESS) is None
    assert logins.attempt(store, county_user, PASSWORD, "10.0.0.5", ACCESS).cookie is None
    second = logins.attempt(store, county_user, new_password, "10.0.0.5", ACCESS).cookie
    accounts.set_disabled(admin, local_administrator(), tree, county_user, True)
    assert logins.signed_in(store, second, "10.0.0.5", ACCESS) is None
    refused = logins.attempt(store, county_user, new_password, "10.0.0.5", ACCESS)
    assert refused.cookie is None and refused.message == "账号已停用。"


def test_repeated_failures_slow_down_then_lock_the_user_until_a_time(store, county_user):
    waits = [logins.attempt(store, county_user, "不对的密码", "10.0.0.5", ACCESS).wait_seconds
             for _ in range(ACCESS.lock_after_failures)]
    assert waits == [0.0] * ACCESS.slow_after_failures + [ACCESS.slow_seconds] * (
        ACCESS.lock_after_failures - ACCESS.slow_after_failures)
    locked = logins.attempt(store, county_user, PASSWORD, "10.0.0.5", ACCESS)
    assert locked.cookie is None
    until = (store.local_time() + dt.timedelta(minutes=ACCESS.lock_minutes)).strftime("%H:")
    assert "已暂时锁定" in locked.message and "之后再试" in locked.message
    assert until in locked.message
    # Another address does not unlock the user.
    assert logins.attempt(store, county_user, PASSWORD, "10.0.0.9", ACCESS).cookie is None


def test_the_lock_lifts_after_its_time(store, county_user):
    long_ago = store.local_time() - dt.timedelta(minutes=ACCESS.lock_minutes + 1)
    for _ in range(ACCESS.lock_after_failures):
        store.record_login_failure(county_user, "10.0.0.5", long_ago, forget_before=long_ago)
    assert logins.attempt(store, county_user, PASSWORD, "10.0.0.5", ACCESS).cookie


def test_failures_outside_the_window_are_forgotten_at_the_next_failure(store, county_user):
    long_ago = store.local_time() - dt.timedelta(minutes=ACCESS.failure_window_minutes + 1)
    for _ in range(3):
        store.record_login_failure(county_user, "10.0.0.5", long_ago, forget_before=long_ago)
    logins.attempt(store, county_user, "不对的密码", "10.0.0.7", ACCESS)
    kept = store.fetch_login_failures(county_user, "10.0.0.5", long_ago)
    assert kept["address"].tolist() == ["10.0.0.7"]


def test_one_address_trying_many_names_is_locked(store, county_user):
    for number in range(ACCESS.address_lock_after_failures):
        logins.attempt(store, f"猜测{number}", "不对的密码", "10.0.0.66", ACCESS)
    assert "本机地址" in logins.attempt(store, county_user, PASSWORD, "10.0.0.66",
                                     ACCESS).message
    assert logins.attempt(store, county_user, PASSWORD, "10.0.0.5", ACCESS).cookie


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(store, county_user):
    unknown = logins.attempt(store, "没有此人", PASSWORD, "10.0.0.5", ACCESS)
    wrong = logins.attempt(store, county_user, "不对的密码", "10.0.0.5", ACCESS)
    assert unknown.message == wrong.message == "用户名或密码不正确。"
    failed = store.fetch_audit(action="login_failed")
    assert set(failed["user_name"]) == {"（未登录）"}  # the name typed is the object only
    assert set(failed["object"]) == {"没有此人", "李县"}


def test_the_first_start_creates_an_administrator_once(tmp_path):
    from metrics import startup
    store = open_store(tmp_path / "fresh.duckdb")
    from metrics import sync
    sync.init(store)
    password = accounts.ensure_first_administrator(store)
    assert password and accounts.ensure_first_administrator(store) is None
    assert logins.attempt(store, "admin", password, "127.0.0.1", ACCESS).cookie
    assert password in startup.first_administrator_banner(password)


# --- the audit log and passwords --------------------------------------------------------------

def test_no_code_changes_or_removes_an_audit_entry():
    changing = re.compile(r"(UPDATE|DELETE\s+FROM|TRUNCATE|DROP\s+TABLE)\s+audit_log",
                          re.IGNORECASE)
    offenders = [str(p.relative_to(BASE_DIR)) for p in (BASE_DIR / "metrics").glob("**/*.py")
                 if changing.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
    assert not {name for name in RULES if "audit" in name} - {"append_audit", "fetch_audit"}


def test_an_entry_in_another_persons_name_is_refused(store, cat):
    analyst = acting(store, cat, person("李县", Role.ANALYST, GANGBEI))
    with pytest.raises(AccessDenied):
        analyst.append_audit({"user_name": "tester", "action": "login"})
    with pytest.raises(AccessDenied):
        analyst.fetch_audit()


def test_passwords_appear_nowhere_in_the_store_or_the_log(store, cat, tree, caplog, db):
    caplog.set_level("DEBUG")
    admin = acting(store, cat, local_administrator())
    accounts.add_user(admin, local_administrator(), tree, "李县", Role.ANALYST, GANGBEI,
                      password=PASSWORD)
    logins.attempt(store, "李县", PASSWORD, "10.0.0.5", ACCESS)
    logins.attempt(store, "李县", PASSWORD + "错", "10.0.0.5", ACCESS)
    reset = accounts.reset_password(admin, local_administrator(), tree, "李县")
    dumped = "\n".join(str(store.fetch_users().to_dict()) + str(store.fetch_audit().to_dict())
                       + str(store.fetch_login_sessions().to_dict()) for _ in [0])
    for secret in (PASSWORD, PASSWORD + "错", reset):
        assert secret not in dumped and secret not in caplog.text
        assert secret.encode() not in Path(db).read_bytes()
    assert store.fetch_user("李县")["password_hash"].startswith("$argon2id$")


def test_the_audit_export_is_inert_and_in_chinese(store):
    store.append_audit({"user_name": "=HYPERLINK(\"x\")", "address": "1.2.3.4",
                        "action": "login", "object": "+1", "detail": "@x"})
    from io import BytesIO

    from openpyxl import load_workbook
    sheet = load_workbook(BytesIO(audit.workbook_bytes(store.fetch_audit()))).active
    assert [c.value for c in sheet[1]][:5] == ["序号", "时间", "用户", "地址", "操作"]
    row = [c.value for c in sheet[2]]
    assert row[2] == "'=HYPERLINK(\"x\")" and row[4] == "登录" and row[5] == "'+1"
    assert all(c.data_type == "s" for c in sheet[2][2:6])


def test_changed_settings_are_audited_at_the_next_start(store):
    from dataclasses import replace

    from metrics import startup
    settings = config.settings()
    startup.record_settings(store, settings)
    startup.record_settings(store, settings)  # unchanged: nothing more
    longer = replace(settings, access=replace(settings.access, idle_minutes=45))
    startup.record_settings(store, longer)
    entries = store.fetch_audit(action="settings_changed")
    assert entries["detail"].tolist() == ["改动：会话空闲超时（分钟）", "首次记录全部设置"]
    assert entries["before_state"].iloc[0] == '{"access.idle_minutes": 30}'
    assert '"access.idle_minutes": 45' in entries["after_state"].iloc[0]
    # People read the names of the settings and their values, not the keys (issue 11 §6).
    outlines = {"women-2021-2030": "妇女纲要（2021—2030）",
                "children-2021-2030": "儿童纲要（2021—2030）"}
    shown = audit.entries_table(entries, outlines)
    assert shown["操作前"].iloc[0] == "会话空闲超时（分钟）：30"
    after = shown["操作后"].iloc[0]
    assert "公开的纲要：妇女纲要（2021—2030）、儿童纲要（2021—2030）" in after
    assert "报送截止日期（儿童纲要（2021—2030））：03-31" in after and "时区：北京时间" in after
    assert not re.search(r"[A-Za-z]{2,}", after.replace("SDSN", "").replace("MB", ""))
    assert "会话空闲超时（分钟）：45" in after and "默认评估方法：直线进度法" in after
    assert "报送数据的地区层级：县级、市级、省级" in after and "公开模式（免登录只读）：否" in after
    assert "access." not in after and "None" not in after


def test_the_states_of_the_audit_log_read_in_chinese():
    account = audit.as_text({"role": "reviewer", "region_code": "450800",
                             "view_region_code": None, "disabled": False})
    assert audit.state_text(account) == "角色：审核员；地区：450800；查看范围：—；已停用：否"
    assert audit.state_text(audit.as_text({"new": 3, "changed": 1, "unchanged": 0})) == \
        "新增：3；修改：1；未变：0"
    notes = audit.as_text({"maternal_mortality_ratio": {"reason": "基数小", "responsible": "卫健委"}})
    assert audit.state_text(notes) == "maternal_mortality_ratio：（原因：基数小；责任单位：卫健委）"
    assert audit.state_text("已报送") == "已报送" and audit.state_text(None) == ""
