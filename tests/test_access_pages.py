"""The role × page matrix through AppTest: each role opens each page, allowed or refused in
Chinese; nobody signed in is asked to log in on every page; the menu lists what a role may
open. AppTest cannot carry cookies, so each test gets its identity through the guard's test
seam (conftest.give_identity) from a real login session in the store; the cookie itself is
tested in a real browser (test_browser.py)."""
import pytest
from conftest import give_identity, login_cookie
from streamlit.testing.v1 import AppTest

from metrics.access import Role
from metrics.config import BASE_DIR
from metrics.store import open_store

pytestmark = pytest.mark.usefixtures("fresh_caches")

PAGES = ["overview", "trends", "evaluation", "upload", "batches", "progress", "plans", "admin",
         "account"]
ALLOWED = {
    Role.VIEWER: {"overview", "trends", "evaluation", "account"},
    Role.STAFF: {"overview", "trends", "evaluation", "batches", "progress", "plans", "account"},
    Role.ANALYST: {"overview", "trends", "evaluation", "upload", "batches", "progress",
                   "account"},
    Role.REVIEWER: {"overview", "trends", "evaluation", "batches", "progress", "plans",
                    "account"},
    Role.ADMIN: set(PAGES),
}


def add_user(db, role: Role, region: str = "000000") -> str:
    """A user of the role (the password check is not what these tests are about)."""
    store = open_store(db)
    name = f"用户_{role.value}"
    now = store.local_time()
    store.create_user({"name": name, "role": role.value, "region_code": region,
                       "view_region_code": None, "password_hash": "unused", "disabled": False,
                       "created_at": now, "password_changed_at": now})
    return name


def run(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(BASE_DIR / "pages" / f"{page}.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_opens_the_pages_it_may_and_is_refused_the_others(db, monkeypatch, role):
    give_identity(monkeypatch, login_cookie(db, add_user(db, role)))
    for page in PAGES:
        at = run(page, plan="women-2021-2030", region="000000")
        assert not at.exception, (role, page)
        refused = [t.value for t in at.title] == ["无权访问"]
        assert refused == (page not in ALLOWED[role]), (role, page)
        if refused:
            assert at.error[0].value.startswith(f"您的角色（{role_label(role)}）无权")


def role_label(role: Role) -> str:
    from metrics.access import ROLE_LABELS
    return ROLE_LABELS[role]


@pytest.mark.parametrize("page", PAGES)
def test_without_a_login_every_page_asks_for_one(db, page):
    at = run(page)
    assert not at.exception
    assert [t.value for t in at.title] == ["请先登录"]
    assert any("/auth/login?next=" in m.value for m in at.markdown)


def test_an_ended_session_is_asked_to_log_in_again(db, monkeypatch):
    cookie = login_cookie(db, add_user(db, Role.VIEWER))
    give_identity(monkeypatch, cookie)
    assert [t.value for t in run("trends").title] != ["请先登录"]
    from metrics import logins
    store = open_store(db)
    token = logins.session_token(store, cookie)
    store.end_login_sessions("revoked", store.local_time(), token_hash=logins.token_hash(token))
    assert [t.value for t in run("trends").title] == ["请先登录"]


def test_a_county_user_is_offered_her_county_and_below_only(db, monkeypatch):
    give_identity(monkeypatch, login_cookie(db, add_user(db, Role.VIEWER, "450800")))
    at = run("overview", plan="women-2021-2030", region="000000")
    assert not at.exception
    assert "贵港市" in at.title[0].value  # a link to 全国 opens the top of her scope instead
    labels = [s.label for s in at.sidebar.selectbox]
    assert "省（区、市）" not in labels and "县（市、区、旗）" in labels


def test_the_administration_page_lists_users_and_shows_a_new_password_once(db, monkeypatch):
    give_identity(monkeypatch, login_cookie(db, "tester"))
    at = run("admin")
    assert not at.exception
    assert "tester" in at.dataframe[0].value["用户名"].tolist()
    at.text_input[0].set_value("港北填报")
    at.selectbox(key="add_role").set_value(Role.ANALYST)
    at.selectbox(key="add_region").set_value("450802")
    at.button[0].click().run()
    assert not at.exception
    [shown] = [w.value for w in at.warning if "港北填报 的密码" in w.value]
    assert open_store(db).fetch_user("港北填报")["role"] == "analyst"
    at.run()
    assert not [w for w in at.warning if "的密码" in w.value]  # once
    entries = open_store(db).fetch_audit(action="user_added")
    assert entries["user_name"].tolist()[0] == "tester" and "密码" not in str(entries.to_dict())
    assert shown.split("`")[1] not in str(entries.to_dict())


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ANALYST, Role.ADMIN], ids=lambda r: r.value)
def test_the_menu_lists_the_pages_the_role_may_open(db, monkeypatch, role):
    give_identity(monkeypatch, login_cookie(db, add_user(db, role)))
    at = AppTest.from_file(str(BASE_DIR / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    titles = {"overview": "总览", "trends": "趋势", "evaluation": "中期评估",
              "upload": "数据上传", "batches": "导入记录", "progress": "报送进度",
              "plans": "规划管理", "admin": "系统管理", "account": "修改密码"}
    listed = [link.proto.label for link in at.get("page_link")]
    assert listed == [titles[p] for p in PAGES if p in ALLOWED[role]]


def test_a_person_changes_her_own_password_and_logs_in_again(db, monkeypatch):
    from metrics import accounts, config, logins
    from metrics.access import local_administrator
    from metrics.regions import RegionTree
    store = open_store(db)
    accounts.add_user(store, local_administrator(), RegionTree(store.read_table("regions")),
                      "王市", Role.VIEWER, "450800", password="原来的密码-0001")
    cookie = logins.attempt(store, "王市", "原来的密码-0001", "10.0.0.5",
                            config.settings().access).cookie
    give_identity(monkeypatch, cookie)
    at = run("account")
    at.text_input[0].set_value("不对的密码")
    at.text_input[1].set_value("新的更长的密码-0002")
    at.text_input[2].set_value("新的更长的密码-0002")
    at.button[0].click().run()
    assert at.error[0].value == "当前密码不正确。"
    at.text_input[0].set_value("原来的密码-0001")
    at.button[0].click().run()
    assert at.success[0].value == "密码已修改，请用新密码重新登录。"
    access = config.settings().access
    assert logins.signed_in(store, cookie, "10.0.0.5", access) is None
    assert logins.attempt(store, "王市", "新的更长的密码-0002", "10.0.0.5", access).cookie
    assert store.fetch_audit(action="password_changed")["user_name"].tolist() == ["王市"]
