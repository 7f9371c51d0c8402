"""People for tests: an Actor as the domain receives one from a page or the command line, the
administrator the template database holds, and logging a browser in as them."""
from metrics.access import Actor, Role, grant_for
from metrics.regions import NATIONAL_CODE


def person(name: str, role: Role = Role.ADMIN, region: str = NATIONAL_CODE) -> Actor:
    """Someone acting with `role` over `region` (by default an administrator of 全国)."""
    return Actor(name, grant_for(role, region), "测试")


# The administrator page and browser tests act as, created in the template database.
PAGE_TESTER = "tester"
PAGE_TESTER_PASSWORD = "页面测试用的密码-0001"


def log_in(browser, url: str, name: str = PAGE_TESTER, password: str = PAGE_TESTER_PASSWORD):
    """The storage state (cookies) of a browser context logged in through the login form."""
    from playwright.sync_api import expect
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{url}/auth/login")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button[type=submit]")
    expect(page.locator('[data-testid="stApp"]')).to_be_attached(timeout=60_000)
    state = context.storage_state()
    context.close()
    return state
