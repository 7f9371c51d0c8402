"""One county's year up the tree in a real browser, on a fresh store: 港北区's analyst imports
her figures and submits on 报送进度 (a note for the indicators still missing), 贵港市's reviewer
approves, 广西's reviewer locks, and then a file touching 港北区 2024 is refused row by row with
`locked-period` naming who locked it. Screenshots at a laptop and a phone width go to
tests/artifacts/."""
from __future__ import annotations

import pytest
import test_browser
from people import log_in
from playwright.sync_api import expect
from test_browser import ARTIFACTS, WIDTHS, open_page

from metrics import accounts
from metrics.access import Role, local_administrator
from metrics.regions import RegionTree
from metrics.store import open_store

pytestmark = pytest.mark.browser
# test_browser's fixtures: an app server on a private copy of the store, and a browser.
app_server, browser = test_browser.app_server, test_browser.browser

PASSWORD = "足够长的测试密码-0001"
PEOPLE = {"港北填报": (Role.ANALYST, "450802"), "贵港审核": (Role.REVIEWER, "450800"),
          "广西审核": (Role.REVIEWER, "450000")}
PROGRESS = "/progress?plan=women-2021-2030&year=2024"
NOTE = "其余指标由市统计局统一发布"


@pytest.fixture(scope="module")
def logins(app_server, browser):
    """Each person's cookies, logged in through the form."""
    url, db = app_server
    store = open_store(db)
    tree = RegionTree(store.read_table("regions"))
    for name, (role, region) in PEOPLE.items():
        accounts.add_user(store, local_administrator(), tree, name, role, region,
                          password=PASSWORD)
    return {name: log_in(browser, url, name, PASSWORD) for name in PEOPLE}


def county_file(tmp_path, value: str):
    path = tmp_path / "港北区2024年监测数据.csv"
    path.write_text("指标,地区,年份,数值\n"
                    f"孕产妇死亡率,港北区,2024,{value}\n"
                    "孕产妇住院分娩率,港北区,2024,99.9\n", encoding="utf-8")
    return path


def upload(page, path) -> None:
    page.locator('[data-testid="stFileUploaderDropzone"] input[type=file]').set_input_files(path)


def take_step(page, label: str, note: str = "") -> None:
    """Choose the step on the period's form, write the note, confirm."""
    page.locator('[data-testid="stRadio"]').get_by_text(label, exact=True).click()
    if note:
        page.get_by_role("textbox", name="说明或理由").fill(note)
    page.get_by_role("button", name="确认").click()


def shots(browser, url: str, cookies, name: str) -> None:
    """The page at both widths, for people to look at; no error on either."""
    for width in ("laptop", "phone"):
        page = open_page(browser, url, width, cookies)
        expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible(timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png")
        # The app scrolls inside its own container: a tall window shows the period below.
        page.set_viewport_size({"width": WIDTHS[width][0], "height": 2600})
        page.wait_for_timeout(500)
        page.screenshot(path=ARTIFACTS / f"{name}-period-{width}.png")
        page.close()


def test_a_county_is_submitted_approved_locked_and_then_refuses_an_import(
        app_server, browser, logins, tmp_path):
    url, db = app_server
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # The county's analyst imports her year, then submits it.
    page = open_page(browser, url + "/upload", "laptop", logins["港北填报"])
    upload(page, county_file(tmp_path, "12.5"))
    expect(page.get_by_text("文件检查通过")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="确认导入").click()
    expect(test_browser.import_message(page)).to_be_visible(timeout=30_000)
    page.goto(url + PROGRESS + "&region=450802")
    expect(page.get_by_text("港北区 2024年：未报送")).to_be_visible(timeout=30_000)
    shots(browser, url + PROGRESS + "&region=450802", logins["港北填报"], "progress-county")
    take_step(page, "报送")                         # 44 indicators are still missing: refused
    expect(page.get_by_text("未报送：以下指标尚无本年数值").first).to_be_visible(timeout=30_000)
    take_step(page, "报送", NOTE)
    expect(page.get_by_text("港北区 2024年：已报送")).to_be_visible(timeout=30_000)
    page.close()

    # The city's reviewer sees it waiting for her, and approves it.
    page = open_page(browser, url + PROGRESS + "&region=450800&mine=1", "laptop",
                     logins["贵港审核"])
    expect(page.get_by_text("港北区 2024年：已报送")).to_be_visible(timeout=30_000)
    shots(browser, url + PROGRESS + "&region=450800&mine=1", logins["贵港审核"], "progress-city")
    take_step(page, "审核通过")
    expect(page.get_by_text("已审核通过。").first).to_be_visible(timeout=30_000)
    page.close()

    # The province's reviewer locks it.
    page = open_page(browser, url + PROGRESS + "&region=450800&period=450802", "laptop",
                     logins["广西审核"])
    expect(page.get_by_text("港北区 2024年：已审核")).to_be_visible(timeout=30_000)
    take_step(page, "锁定")
    expect(page.get_by_text("港北区 2024年：已锁定")).to_be_visible(timeout=30_000)
    page.close()
    shots(browser, url + PROGRESS + "&region=450800&period=450802", logins["广西审核"],
          "progress-locked")
    assert open_store(db).fetch_periods("women-2021-2030", 2024, ["450802"])[
        ["state", "submitted_by", "approved_by", "locked_by"]].values.tolist() == [
        ["locked", "港北填报", "贵港审核", "广西审核"]]
    history = open_store(db).fetch_period_history("women-2021-2030", "450802", 2024)
    assert history["comment"].tolist()[0] == NOTE and '"maternal_mortality_ratio"' not in \
        history["missing"].iloc[0]                   # what was imported is not missing

    # A corrected file for the locked year: every row refused, naming who locked it.
    for width in ("laptop", "phone"):
        page = open_page(browser, url + "/upload", width, logins["港北填报"])
        upload(page, county_file(tmp_path, "11.9"))
        expect(page.get_by_text("未导入任何数据").first).to_be_visible(timeout=30_000)
        expect(page.get_by_text("已由广西审核于").first).to_be_visible()
        assert page.get_by_role("button", name="确认导入").count() == 0
        page.set_viewport_size({"width": WIDTHS[width][0], "height": 1600})
        page.wait_for_timeout(500)
        page.screenshot(path=ARTIFACTS / f"upload-locked-{width}.png")
        page.close()
    stored = open_store(db).fetch_observations(["maternal_mortality_ratio"], ["450802"])
    assert stored.loc[stored["year"] == 2024, "value"].tolist() == [12.5]
