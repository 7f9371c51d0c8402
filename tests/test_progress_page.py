"""The 报送进度 page through AppTest: the regions one level down with their state, counts and
deadline; the filter to what needs the person's action; a county submitted (a note needed
for its missing indicators), approved by the city and locked by the province from the page;
the upload page refusing the locked rows row by row, and the figures of a report figure by
figure; a reviewer taking the sum of her counties in and undoing it on 导入记录."""
import pytest
from conftest import give_identity, login_cookie
from streamlit.testing.v1 import AppTest

from metrics import accounts, catalogue
from metrics.access import Role, local_administrator
from metrics.config import BASE_DIR
from metrics.regions import RegionTree
from metrics.reporting import STEPS
from metrics.store import open_store

pytestmark = pytest.mark.usefixtures("fresh_caches")

PAGE = str(BASE_DIR / "pages" / "progress.py")
WOMEN, GUIGANG, GANGBEI = "women-2021-2030", "450800", "450802"


def add_user(db, name: str, role: Role, region: str) -> None:
    store = open_store(db)
    accounts.add_user(store, local_administrator(), RegionTree(store.read_table("regions")),
                      name, role, region, password="足够长的测试密码-0001")


def as_user(db, monkeypatch, name: str) -> None:
    give_identity(monkeypatch, login_cookie(db, name))


def open_page(region=GUIGANG, **query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    for key, value in {"plan": WOMEN, "region": region, "year": "2024", **query}.items():
        at.query_params[key] = value
    return at.run()


def take(at: AppTest, label: str, note: str = "") -> AppTest:
    """Choose the step labelled `label`, write the note, confirm."""
    action = next(a for a, step in STEPS.items() if step.label == label)
    at.radio[0].set_value(action)
    at.text_input[0].set_value(note)
    next(b for b in at.button if b.label == "确认").click()
    return at.run()


def state_of(db, region: str) -> str:
    found = open_store(db).fetch_periods(WOMEN, 2024, [region])
    return found["state"].iloc[0] if len(found) else "open"


def test_a_county_is_submitted_approved_and_locked_from_the_page(db, monkeypatch):
    add_user(db, "港北填报", Role.ANALYST, GANGBEI)
    add_user(db, "贵港审核", Role.REVIEWER, GUIGANG)
    add_user(db, "广西审核", Role.REVIEWER, "450000")

    as_user(db, monkeypatch, "港北填报")
    at = open_page(region=GANGBEI)
    assert not at.exception
    table = at.dataframe[0].value
    assert table["地区"].tolist() == ["港北区"]
    assert (table["状态"].iloc[0], table["已填/应填"].iloc[0], table["截止日期"].iloc[0]) == (
        "未报送", "0/46", "2025-03-31")
    gaps = next(m.value for m in at.markdown if m.value.startswith("- **"))
    assert "- **人社局**（" in gaps and "就业人员中的女性比例" in gaps   # by lead department
    at = take(at, "报送")                                # no note: the missing are listed
    assert not at.exception
    assert any("尚无本年数值" in e.value for e in at.error) and state_of(db, GANGBEI) == "open"
    at = take(at, "报送", "部分指标由市统计局统一发布")
    assert any(s.value == "已报送。" for s in at.success)
    assert state_of(db, GANGBEI) == "submitted"

    as_user(db, monkeypatch, "贵港审核")
    at = open_page(mine="1")
    assert not at.exception
    assert at.dataframe[0].value["地区"].tolist() == ["港北区"]     # what needs her action
    history = at.dataframe[1].value
    assert history["操作人"].tolist() == ["港北填报"]
    assert history["说明"].tolist() == ["部分指标由市统计局统一发布"]
    assert at.radio[0].options == ["审核通过", "退回"]
    at = take(at, "审核通过")
    assert state_of(db, GANGBEI) == "approved"

    as_user(db, monkeypatch, "广西审核")
    at = open_page(period=GANGBEI)
    assert not at.exception
    at = take(at, "锁定")
    assert state_of(db, GANGBEI) == "locked"
    assert open_store(db).fetch_periods(WOMEN, 2024, [GANGBEI])["locked_by"].tolist() == ["广西审核"]


def test_a_viewer_is_refused_and_a_city_analyst_sees_her_counties(db, monkeypatch):
    add_user(db, "贵港领导", Role.VIEWER, GUIGANG)
    as_user(db, monkeypatch, "贵港领导")
    assert [t.value for t in open_page().title] == ["无权访问"]
    add_user(db, "贵港填报", Role.ANALYST, GUIGANG)
    as_user(db, monkeypatch, "贵港填报")
    at = open_page()
    assert not at.exception
    table = at.dataframe[0].value
    assert table["地区"].tolist() == ["贵港市", "港北区", "港南区", "覃塘区", "平南县", "桂平市"]
    assert set(table["逾期"]) == {"逾期未报"}       # 2024's data were due on 2025-03-31
    assert set(table["可执行操作"]) == {"报送"}


def test_the_upload_page_lists_the_rows_of_a_locked_period(db, monkeypatch):
    from metrics import reporting
    from metrics.config import settings
    store = open_store(db)
    cat = catalogue.read_from_store(store)
    admin = local_administrator()
    for action in ("submit", "approve", "lock"):
        reporting.take_step(store, admin, cat, settings().reporting, action,
                            reporting.Period(WOMEN, GANGBEI, 2024), "测试")
    add_user(db, "港北填报", Role.ANALYST, GANGBEI)
    as_user(db, monkeypatch, "港北填报")
    at = AppTest.from_file(str(BASE_DIR / "pages" / "upload.py"), default_timeout=60).run()
    raw = "指标代码,地区代码,年份,数值\nmaternal_mortality_ratio,450802,2024,12.5\n" \
          "maternal_mortality_ratio,450802,2023,13.5\n"
    at = at.file_uploader[0].set_value(("港北.csv", raw.encode("utf-8"), "text/csv")).run()
    assert not at.exception
    assert "未导入任何数据" in at.error[0].value
    problems = at.table[0].value
    assert list(problems["行"]) == ["2"]
    assert "已由本地管理员于" in problems["问题"].iloc[0]
    assert "确认导入" not in [b.label for b in at.button]
    assert store.fetch_batches()["kind"].tolist() == ["seed"]


def test_the_batches_page_refuses_to_undo_a_locked_value(db, monkeypatch):
    from metrics import config, reporting
    from metrics.uploads import ingest
    store = open_store(db)
    cat = catalogue.read_from_store(store)
    admin = local_administrator()
    raw = "指标代码,地区代码,年份,数值\nmaternal_mortality_ratio,450802,2024,12.5\n"
    upload = ingest.read_upload(raw.encode("utf-8"), "港北.csv", cat,
                                limits=config.settings().upload)
    batch = ingest.commit(store, upload, admin)
    for action in ("submit", "approve", "lock"):
        reporting.take_step(store, admin, cat, config.settings().reporting, action,
                            reporting.Period(WOMEN, GANGBEI, 2024), "测试")
    as_user(db, monkeypatch, "tester")
    at = AppTest.from_file(str(BASE_DIR / "pages" / "batches.py"), default_timeout=60)
    at.query_params["batch"] = str(batch)
    at = at.run()
    at.checkbox(key=f"confirm_undo_{batch}").check().run()
    next(b for b in at.button if b.label == "撤销此批次").click().run()
    assert not at.exception
    assert any("未能撤销" in e.value and "已锁定" in e.value for e in at.error)
    assert store.fetch_observations(["maternal_mortality_ratio"], [GANGBEI])["value"].tolist() \
        == [12.5]


def test_the_city_reviewer_takes_the_sum_of_her_counties_in_from_the_page(db, monkeypatch):
    import pandas as pd
    store = open_store(db)
    counts = pd.DataFrame([{"indicator_code": "maternal_mortality_ratio", "region_code": r,
                            "year": 2024, "value": v, "numerator": n, "denominator": 10000,
                            "source": "县报", "note": None}
                           for r, v, n in ((GANGBEI, 20.0, 2), ("450803", 10.0, 1))])
    with store.transaction() as work:
        batch = work.create_batch("upload", "测试", "县报")
        work.write_observations(batch, counts, counts.iloc[0:0],
                                {"new": 2, "changed": 0, "unchanged": 0})
    add_user(db, "贵港审核", Role.REVIEWER, GUIGANG)
    as_user(db, monkeypatch, "贵港审核")
    at = open_page()
    assert not at.exception
    assert at.selectbox(key="period").value == GUIGANG       # the city's own period first
    summed = at.dataframe[1].value
    assert summed[["指标", "汇总值", "核对"]].values.tolist() == [
        ["孕产妇死亡率", "15.00", "未报，可采用汇总值"]]
    assert at.multiselect[0].value == ["maternal_mortality_ratio"]
    at = next(b for b in at.button if b.label.startswith("采用汇总值")).click().run()
    assert not at.exception
    assert any("已采用 1 项汇总值" in s.value for s in at.success)
    stored = store.fetch_observations(["maternal_mortality_ratio"], [GUIGANG])
    stored = stored[stored["year"] == 2024]
    assert stored[["value", "source"]].values.tolist() == [[15.0, "由下级汇总"]]
    assert at.dataframe[1].value["核对"].tolist() == ["一致"]   # now the city's own value
    assert not [b for b in at.button if b.label.startswith("采用汇总值")]
    # The province's reviewer, about to approve the city, sees the city's check.
    add_user(db, "广西审核", Role.REVIEWER, "450000")
    as_user(db, monkeypatch, "广西审核")
    at = open_page(region="450000", period=GUIGANG)
    assert not at.exception
    assert [e.label for e in at.expander if "汇总核对" in e.label] == ["贵港市：由下级计数汇总核对（1 项）"]


def test_the_reviewer_undoes_her_roll_up_batch_on_the_batches_page(db, monkeypatch):
    import pandas as pd

    from metrics import config, rollup_accept
    from metrics.access import Actor, grant_for
    from metrics.reporting import Period
    from metrics.store.guarded import guard
    store = open_store(db)
    cat = catalogue.read_from_store(store)
    counts = pd.DataFrame([{"indicator_code": "maternal_mortality_ratio", "region_code": GANGBEI,
                            "year": 2024, "value": 20.0, "numerator": 2, "denominator": 10000,
                            "source": "县报", "note": None}])
    with store.transaction() as work:
        written = work.create_batch("upload", "测试", "县报")
        work.write_observations(written, counts, counts.iloc[0:0],
                                {"new": 1, "changed": 0, "unchanged": 0})
    add_user(db, "贵港审核", Role.REVIEWER, GUIGANG)
    reviewer = Actor("贵港审核", grant_for(Role.REVIEWER, GUIGANG))
    guarded = guard(store, reviewer, RegionTree(cat.regions), cat.plan_indicators)
    batch, _ = rollup_accept.accept(guarded, reviewer, cat, config.settings().reporting,
                                    Period(WOMEN, GUIGANG, 2024), None,
                                    scope=guarded.scope.capture_codes(),
                                    limits=config.settings().upload)
    as_user(db, monkeypatch, "贵港审核")
    at = AppTest.from_file(str(BASE_DIR / "pages" / "batches.py"), default_timeout=60)
    at.query_params["batch"] = str(batch)
    at = at.run()
    assert not at.exception
    assert at.dataframe[0].value.set_index("批次").at[batch, "类型"] == "由下级汇总"
    at.checkbox(key=f"confirm_undo_{batch}").check().run()
    next(b for b in at.button if b.label == "撤销此批次").click().run()
    assert not at.exception
    assert pd.notna(store.fetch_batch(batch)["undone_by"])
    stored = store.fetch_observations(["maternal_mortality_ratio"], [GUIGANG])
    assert stored[stored["year"] == 2024].empty


def test_the_report_figures_of_a_locked_period_are_refused_figure_by_figure(db, monkeypatch):
    from metrics import reporting
    from metrics.config import settings
    store = open_store(db)
    cat = catalogue.read_from_store(store)
    for action in ("submit", "approve", "lock"):
        reporting.take_step(store, local_administrator(), cat, settings().reporting, action,
                            reporting.Period(WOMEN, GANGBEI, 2024), "测试")
    add_user(db, "港北填报", Role.ANALYST, GANGBEI)
    as_user(db, monkeypatch, "港北填报")
    at = AppTest.from_file(str(BASE_DIR / "pages" / "upload.py"), default_timeout=60).run()
    at.radio(key="upload_source").set_value("report").run()
    at.text_area(key="report_pasted").input(
        "2024年，全区孕产妇死亡率为12.5/10万，婴儿死亡率为4.1‰。").run()
    at.number_input(key="report_year").set_value(2024).run()
    assert not at.exception
    # Figure 1 lies in the women's outline, locked for 港北区 2024; figure 2 (children's) not.
    problems = at.table[0].value
    assert list(problems["行"]) == ["1"]
    assert "已由本地管理员于" in problems["问题"].iloc[0]
    assert "确认导入" not in [b.label for b in at.button]
