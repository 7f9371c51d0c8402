"""Context that stays (issue 11 §2): the outline, region and year chosen on one page open the
next one through the menu, each page comes back with its own last choices, and 中期评估's
filters and shown indicator are in its URL."""
from urllib.parse import parse_qs

import pytest
from conftest import give_identity, login_cookie
from streamlit.testing.v1 import AppTest

from metrics import accounts
from metrics.access import Role, local_administrator
from metrics.config import BASE_DIR
from metrics.regions import RegionTree
from metrics.store import open_store

pytestmark = pytest.mark.usefixtures("fresh_caches")


def app(**query) -> AppTest:
    at = AppTest.from_file(str(BASE_DIR / "dashboard.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def menu_links(at: AppTest) -> dict[str, dict[str, str]]:
    """Each menu entry's label → the URL parameters its link carries."""
    return {link.proto.label: {k: v[0] for k, v in parse_qs(link.proto.query_string).items()}
            for link in at.get("page_link")}


def test_the_menu_carries_outline_region_and_year_to_every_page(signed_in):
    at = app(plan="children-2021-2030", region="990121", year="2023")
    assert not at.exception
    links = menu_links(at)
    for label in ("总览", "中期评估", "数据上传", "导入记录", "系统管理"):
        assert links[label] == {"plan": "children-2021-2030", "region": "990121",
                                "year": "2023"}, label
    assert links["趋势"]["region"] == "990121"


def test_a_choice_changes_the_menu_links_in_the_same_rerun(signed_in):
    at = app(plan="children-2021-2030", region="990100", year="2024")
    [year] = [box for box in at.sidebar.selectbox if box.label == "年份"]
    year.set_value(2023).run()
    assert not at.exception
    assert {link["year"] for link in menu_links(at).values()} == {"2023"}


def test_trends_opens_on_the_carried_region_and_hands_its_first_region_on(signed_in):
    at = app(plan="children-2021-2030", region="990121", year="2024")
    at.switch_page("pages/trends.py")
    for key, value in menu_links(at)["趋势"].items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    [regions] = [box for box in at.multiselect if box.label == "地区"]
    assert regions.value == ["990121"]
    assert "region" not in at.query_params
    regions.set_value(["990122", "990121"]).run()
    links = menu_links(at)
    assert links["总览"]["region"] == "990122"
    assert links["趋势"]["regions"] == "990122,990121"


def test_a_page_comes_back_with_its_own_last_choices(signed_in):
    at = app(plan="children-2021-2030", region="990100", year="2024")
    at.switch_page("pages/evaluation.py")
    for key, value in menu_links(at)["中期评估"].items():
        at.query_params[key] = value
    at.run()
    [method] = [box for box in at.sidebar.selectbox if box.label == "评估方法"]
    method.set_value("cagr").run()
    [areas] = [box for box in at.multiselect if box.label == "领域"]
    areas.set_value([areas.options[0]]).run()
    assert not at.exception
    back = menu_links(at)["中期评估"]
    assert back["method"] == "cagr" and back["area"] == areas.options[0]
    assert "method" not in menu_links(at)["总览"]


def test_a_region_outside_the_view_scope_falls_back_to_the_top_of_it(db, monkeypatch):
    name = "港北领导"
    store = open_store(db)
    accounts.add_user(store, local_administrator(), RegionTree(store.read_table("regions")),
                      name, Role.VIEWER, "450802", password="港北领导的密码-0001")
    give_identity(monkeypatch, login_cookie(db, name))
    at = app(plan="women-2021-2030", region="990121", year="2024")
    assert not at.exception
    assert at.query_params["region"] in ("450802", ["450802"])
    assert {link["region"] for link in menu_links(at).values()} == {"450802"}

