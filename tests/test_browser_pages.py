"""Every page in a real browser as its users work (issue 11 §2, §6): the context follows the
person through the menu, a reload and Back; no English word of Streamlit's is left on any page
(codes, units and file formats aside); the page says lang="zh-CN" and writes in a CJK font.
Screenshots of every page at a laptop and a phone width go to tests/artifacts/."""
from __future__ import annotations

import re
import urllib.parse

import pytest
import test_browser
from playwright.sync_api import expect
from test_browser import ARTIFACTS, WIDTHS, open_page

pytestmark = pytest.mark.browser
# test_browser's fixtures: an app server, a browser and a login of this module's own.
app_server, app_url = test_browser.app_server, test_browser.app_url
browser, signed_in = test_browser.browser, test_browser.signed_in

DEMO = "plan=children-2021-2030&region=990100&year=2023"
# Every page, with the clicks that open its other parts (tabs), as (name, path, clicks).
WALK = [
    ("overview", f"/?{DEMO}", []),
    ("trends", "/trends?plan=children-2021-2030&ind=infant_mortality_rate&regions=000000", []),
    ("evaluation", f"/evaluation?{DEMO}", []),
    ("evaluation-focus", f"/evaluation?{DEMO}", ["重点难点指标"]),
    ("evaluation-peers", f"/evaluation?{DEMO}", ["下级地区对比"]),
    ("evaluation-briefing", f"/evaluation?{DEMO}", ["评估简报"]),
    ("upload", "/upload", []),
    ("upload-report", "/upload", ["从工作总结提取"]),
    ("batches", "/batches", []),
    ("admin", "/admin", []),
    ("admin-audit", "/admin", ["审计日志"]),
    ("progress", f"/progress?{DEMO}", []),
    # 贵港市's plan: 福州市's document field quotes its source's web address (Latin letters).
    ("plans", "/plans?plan=women-2011-2020&region=450800", []),
    ("plans-import", "/plans?plan=women-2011-2020&region=450800", ["导入导出"]),
    ("plans-versions", "/plans?plan=women-2011-2020&region=450800", ["版本记录"]),
    ("account", "/account", []),
]
# Latin words that are not English UI: file formats, encodings, units, the people's own names.
ALLOWED = {"CSV", "XLSX", "XLS", "TXT", "DOCX", "PDF", "PNG", "Excel", "Word", "UTF", "GBK",
           "GB", "MB", "KB", "BOM", "tester", "admin", "Byar", "Wilson", "CAGR", "SDSN"}
ENGLISH_WORDS = """() => {
  const hidden = (el) => el.closest('[translate="no"], script, style, noscript')
    || getComputedStyle(el).display === "none";
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent && !hidden(parent)) texts.push(walker.currentNode.nodeValue);
  }
  const names = ["aria-label", "title", "placeholder", "data-title", "aria-valuetext"];
  for (const el of document.querySelectorAll(names.map((name) => `[${name}]`).join(", ")))
    for (const name of names)
      if (el.getAttribute(name)) texts.push(el.getAttribute(name));
  texts.push(document.title);
  return texts;
}"""


def english_words(page) -> set[str]:
    """Latin words on the page or in its tooltips, less links, paths (data/) and the allowed
    ones."""
    words = set()
    for text in page.evaluate(ENGLISH_WORDS):
        # Links (the grid's accessible copy of a link cell holds its URL), paths, file names.
        text = re.sub(r"\S*\?\S*=\S*|[\w.-]+/|\w+\.(?:csv|xlsx|docx|duckdb|yaml)", "", text)
        words |= {word for word in re.findall(r"[A-Za-z]{2,}", text)
                  if word not in ALLOWED and word.upper() not in ALLOWED}
    return words


def settled(page) -> None:
    """The page has run and the product's scripts are installed in it."""
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
           ).to_be_attached(timeout=60_000)
    page.wait_for_function("window.__zhCN && window.__pageHistory")
    page.wait_for_timeout(250)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_is_in_chinese(signed_in, app_url, browser, width):
    left = {}
    for name, path, clicks in WALK:
        page = open_page(browser, app_url + path, width, signed_in)
        settled(page)
        for tab in clicks:
            page.get_by_text(tab, exact=True).first.click()
            settled(page)
        screenshot(page, f"walk-{name}-{width}.png")
        if name == "trends":  # the multiselect's list (全选) and the chart's modebar
            page.locator('[data-testid="stMultiSelect"]').first.click()
            page.wait_for_timeout(500)
        # The table toolbar's tooltip, before a calendar opened over the table on a phone.
        hover_table_toolbar(page)
        if name == "admin-audit":  # the date picker's calendar and its quick choices
            page.locator('[data-testid="stDateInput"] button').first.click()
            page.locator('[data-testid="stDateInputQuickSelect"] button').click()
            page.get_by_role("listbox").wait_for(timeout=10_000)
            page.screenshot(path=ARTIFACTS / f"walk-{name}-calendar-{width}.png")
        assert page.locator('[data-testid="stException"]').count() == 0, name
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        font = page.evaluate("getComputedStyle(document.querySelector('h1') || document.body)"
                             ".fontFamily")
        assert font.startswith('"Noto Sans CJK SC"'), font
        left[name] = english_words(page)
        page.context.close()
    assert not {name: words for name, words in left.items() if words}


def hover_table_toolbar(page) -> None:
    """Show the first visible table's toolbar and its first button's tooltip."""
    tables = page.locator('[data-testid="stDataFrame"]:visible')
    if tables.count():
        tables.first.hover()
        page.locator('[data-testid="stElementToolbar"] button').first.hover(force=True)
        page.wait_for_timeout(500)


def screenshot(page, file_name: str) -> None:
    """The whole page: Streamlit scrolls inside its own container, so the window is made as
    tall as the content for the picture, then given its size back."""
    size = page.viewport_size
    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], tall)})
    page.wait_for_timeout(250)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / file_name)
    page.set_viewport_size(size)
    page.wait_for_timeout(100)


def test_outline_region_and_year_follow_through_the_menu_a_reload_and_back(signed_in, app_url,
                                                                          browser):
    page = open_page(browser, f"{app_url}/?{DEMO}", "laptop", signed_in)
    settled(page)
    expect(page.locator("h1").first).to_contain_text("示范市")
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="中期评估").click()
    settled(page)
    expect(page.locator("h1").first).to_contain_text("示范市")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert (query["plan"], query["region"], query["year"]) == (
        ["children-2021-2030"], ["990100"], ["2023"])
    page.reload()
    settled(page)
    expect(page.locator("h1").first).to_contain_text("示范市 · 中期评估")
    page.go_back()
    settled(page)
    expect(page.locator("h1").first).to_contain_text("示范市 · 儿童")
    assert "/evaluation" not in page.url and "region=990100" in page.url
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="趋势").click()
    settled(page)
    assert "regions=990100" in page.url
    page.context.close()


def overlaps(one: dict, other: dict) -> bool:
    return not (one["x"] + one["width"] <= other["x"] or other["x"] + other["width"] <= one["x"]
                or one["y"] + one["height"] <= other["y"]
                or other["y"] + other["height"] <= one["y"])


def test_a_tap_on_a_phone_shows_the_value_first_in_a_label_that_fits_the_screen(
        signed_in, app_url, browser):
    # Issue 11 §3: the value before the names, the label inside 390 px, the toolbar clear of
    # the legend.
    width, height = WIDTHS["phone"]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  storage_state=signed_in, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{app_url}/trends?plan=women-2021-2030&ind=maternal_mortality_ratio"
              "&regions=000000")
    settled(page)
    chart = page.locator(".js-plotly-plot").first
    series = chart.locator(".scatterlayer .trace").first.locator(".points path")
    # A few years before the latest: away from the point the path expects at the latest year.
    point = series.nth(series.count() - 4)
    point.scroll_into_view_if_needed()
    point.tap(force=True)
    label = page.locator(".hoverlayer .hovertext").first
    expect(label).to_be_visible(timeout=5_000)
    lines = [t.text_content() for t in label.locator("tspan.line").all()]
    assert re.fullmatch(r"\d+\.\d/10万", lines[0]), lines
    assert re.fullmatch(r"20\d\d年 · 全国", lines[1]), lines
    box = label.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    modebar = chart.locator(".modebar-container").bounding_box()
    legend = chart.locator(".legend").bounding_box()
    assert modebar is None or not overlaps(modebar, legend)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "trend-tap-phone.png")
    context.close()
