"""The app as a person meets it: `streamlit run` in a subprocess, driven by Playwright in
headless Debian chromium, at a laptop width and a phone width. Screenshots are kept under
tests/artifacts/ for people to look at."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from hostile_files import REPEATED_ODS, long_table, number_cell, row, row_bomb, workbook
from people import PAGE_TESTER, PAGE_TESTER_PASSWORD, log_in

from metrics import config, logins
from metrics.store import open_store

CHROMIUM = "/usr/bin/chromium"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}
PAGES = {
    "overview": "/?plan=women-2021-2030&region=000000",
    "trends": "/trends?plan=children-2021-2030&ind=infant_mortality_rate,under5_mortality_rate"
              "&regions=000000",
    "overview-demo": "/?plan=children-2021-2030&region=990100",
    "evaluation-demo": "/evaluation?plan=children-2021-2030&region=990100&year=2024",
    "batches": "/batches",
}

DEEP_LINKS = ["/upload", "/batches?batch=2", "/admin", "/?plan=women-2021-2030&region=000000",
              PAGES["evaluation-demo"], PAGES["trends"]]

if not Path(CHROMIUM).exists():
    if os.environ.get("REQUIRE_BROWSER"):
        raise RuntimeError("REQUIRE_BROWSER is set but /usr/bin/chromium is missing")
    pytest.skip("Debian chromium is not installed", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("streamlit exited early")
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


@pytest.fixture(scope="module")
def app_server(template_db, tmp_path_factory):
    """`streamlit run dashboard.py` on a private copy of the database: (url, db path)."""
    db = tmp_path_factory.mktemp("browser") / "metrics.duckdb"
    shutil.copy(template_db, db)
    port = free_port()
    env = {**os.environ, "METRICS_DB": str(db)}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.headless", "true"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url, db
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def app_url(app_server):
    return app_server[0]


def proxy_config(directory: Path, port: int, app_port: int) -> Path:
    """deploy/nginx.conf inside a main configuration of its own, listening on `port` in front
    of the app on `app_port`, with every file nginx writes kept in `directory`."""
    site = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    site = site.replace("server 127.0.0.1:8501;", f"server 127.0.0.1:{app_port};")
    (directory / "site.conf").write_text(site, encoding="utf-8")
    temp = " ".join(f"{kind}_temp_path {directory / kind};"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = directory / "nginx.conf"
    main.write_text(f"pid {directory / 'nginx.pid'};\nerror_log {directory / 'error.log'};\n"
                    "events {}\n"
                    f"http {{ access_log off; {temp} include {directory / 'site.conf'}; }}\n",
                    encoding="utf-8")
    return main


@pytest.fixture(scope="module")
def proxied_url(app_url, tmp_path_factory):
    """The app reached through nginx with deploy/nginx.conf."""
    if not Path(NGINX).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            raise RuntimeError("REQUIRE_BROWSER is set but nginx is missing")
        pytest.skip("nginx is not installed")
    directory = tmp_path_factory.mktemp("nginx")
    port = free_port()
    main = proxy_config(directory, port, int(app_url.rsplit(":", 1)[1]))
    process = subprocess.Popen([NGINX, "-p", str(directory), "-e", str(directory / "error.log"),
                                "-c", str(main), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, timeout=20)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--no-first-run", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def signed_in(browser, app_url):
    """Cookies of a browser logged in as the test administrator."""
    return log_in(browser, app_url)


def import_message(page):
    """The message after an import (the status box above it says 已导入，批次 too)."""
    return page.locator('[data-testid="stAlert"]', has_text="已导入，批次")


def open_page(browser, url: str, width: str, storage_state=None):
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN",
                                  storage_state=storage_state)
    page = context.new_page()
    page.goto(url)
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
           ).to_be_attached(timeout=60_000)
    return page


def test_deep_link_on_a_fresh_server_asks_for_login_then_opens_the_page(app_url, browser):
    # Runs first in this module: Streamlit's legacy pages/ mode serves /trends without
    # dashboard.py until someone opens /; the page switches the server to the app's menu.
    for deep_link in DEEP_LINKS:  # none of them shows a page before a login
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.goto(app_url + deep_link)
        expect(page.get_by_role("heading", name="两纲监测 · 登录")).to_be_visible(timeout=30_000)
        assert page.locator('[data-testid="stApp"]').count() == 0, deep_link
        context.close()
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(app_url + PAGES["trends"])
    expect(page.get_by_role("heading", name="两纲监测 · 登录")).to_be_visible(timeout=30_000)
    page.fill("#name", PAGE_TESTER)
    page.fill("#password", PAGE_TESTER_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator('[data-testid="stPlotlyChart"]').first).to_be_visible(timeout=60_000)
    assert urllib.parse.unquote(page.url) == app_url + PAGES["trends"]  # back where it was
    assert page.locator('[data-testid="stException"]').count() == 0
    menu = page.locator('[data-testid="stSidebar"]').inner_text().split()
    assert {"总览", "趋势", "导入记录", "系统管理"} <= set(menu), menu
    assert not {"trends", "batches"} & set(menu), menu
    context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_without_error(signed_in, app_url, browser, name, width):
    page = open_page(browser, app_url + PAGES[name], width, signed_in)
    if name in ("trends", "evaluation-demo"):
        expect(page.locator('[data-testid="stPlotlyChart"] .main-svg').first
               ).to_be_visible(timeout=30_000)
    if name == "batches":
        expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    elif name != "trends":
        expect(page.locator('[data-testid="stMetric"]').first).to_be_visible()
        expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Error" not in body
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
    page.close()


def test_the_app_works_through_the_office_proxy(signed_in, proxied_url, browser):
    # The page renders only when its websocket gets through; a chart needs a full rerun.
    page = open_page(browser, proxied_url + PAGES["evaluation-demo"], "laptop", signed_in)
    expect(page.locator('[data-testid="stPlotlyChart"] .main-svg').first
           ).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="重点难点指标").click()  # a widget event goes back over it
    expect(page.get_by_role("button", name="保存")).to_be_visible(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def hostile_upload(kind: str) -> tuple[str, bytes, str]:
    """A file of a few KB that once crashed the server or hung it, its name, and the words the
    page must show instead."""
    if kind == "far-cell":
        data = long_table(("婴儿死亡率", "港北区", "2023", "5.1")) + row(
            1048576, number_cell("XFD1048576", 1))
        return "远处单元格.xlsx", workbook(("数据", data)), "A1:XFD1048576"
    if kind == "row-bomb":
        return "压缩炸弹.xlsx", row_bomb(4_000_000), "压缩了"
    if kind == "repeated-ods":  # 17 billion cells, renamed to pass the uploader's type list
        return "改名.xlsx", REPEATED_ODS, "另存为 .xlsx"
    return "长单元格.csv", ("指标,地区,年份,数值\n婴儿死亡率,港北区,2023," + "9" * 200_000
                          ).encode(), "单元格内容超过"


@pytest.mark.parametrize("kind", ["far-cell", "row-bomb", "huge-csv-cell", "repeated-ods"])
def test_a_hostile_upload_is_reported_and_the_server_keeps_serving(signed_in, app_url, browser,
                                                                    tmp_path, kind):
    name, raw, words = hostile_upload(kind)
    (tmp_path / name).write_bytes(raw)
    page = open_page(browser, app_url + "/upload", "laptop", signed_in)
    page.locator('[data-testid="stFileUploaderDropzone"] input[type=file]').set_input_files(
        tmp_path / name)
    expect(page.get_by_text(words)).to_be_visible(timeout=30_000)
    assert "未导入任何数据" in page.locator('[data-testid="stAlert"]').first.inner_text()
    page.close()
    other = open_page(browser, app_url + PAGES["batches"], "laptop", signed_in)
    expect(other.locator('[data-testid="stDataFrame"]').first).to_be_visible(timeout=30_000)
    assert other.locator('[data-testid="stException"]').count() == 0
    other.close()


def test_upload_is_checked_then_imported_on_confirmation(signed_in, app_url, browser, tmp_path):
    # Runs after the page tests: the import changes national figures the other pages show.
    data = tmp_path / "年报.csv"
    data.write_bytes("指标,地区,年份,数值\n女性人均预期寿命,全国,2021,80.9\n"
                     "孕产妇死亡率,全国,2024,13.9\n".encode("gbk"))
    page = open_page(browser, app_url + "/upload", "laptop", signed_in)
    page.locator('[data-testid="stFileUploaderDropzone"] input[type=file]').set_input_files(data)
    expect(page.get_by_text("文件检查通过")).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stDataFrame"] canvas').first).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "upload-preview-laptop.png", full_page=True)
    page.get_by_role("button", name="确认导入").click()
    expect(import_message(page)).to_be_visible(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=ARTIFACTS / "upload-imported-laptop.png", full_page=True)
    page.close()


HOSTILE = "[x](http://example.invalid) ![](http://127.0.0.1:9/x.png)"


def assert_nothing_hostile(page, requested: list[str]) -> None:
    """No link to the outside site, no image from 127.0.0.1:9, and no request made to it."""
    page.wait_for_timeout(1000)  # time for an image, had one been rendered, to be fetched
    assert page.locator('a[href^="http://example.invalid"]').count() == 0
    assert page.locator('img[src*="127.0.0.1:9"]').count() == 0
    assert not [url for url in requested if "127.0.0.1:9/" in url], requested


def test_links_and_images_written_in_a_file_or_a_note_are_shown_as_text(signed_in, app_url, browser,
                                                                         tmp_path):
    # Imports a value of its own after the other tests, so it changes nothing they show.
    page = open_page(browser, app_url + "/upload", "laptop", signed_in)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    bad = tmp_path / "链接.csv"
    bad.write_bytes(f"指标,地区,年份,数值\n{HOSTILE},全国,2024,13.9\n".encode("gbk"))
    uploader = page.locator('[data-testid="stFileUploaderDropzone"] input[type=file]')
    uploader.set_input_files(bad)
    expect(page.get_by_text("不在指标目录中")).to_be_visible(timeout=30_000)
    shown = page.locator('[data-testid="stTable"]').inner_text().replace("\u2060", "")
    assert HOSTILE in shown  # as written, less the invisible word joiners
    assert_nothing_hostile(page, requested)

    good = tmp_path / "年报2.csv"
    good.write_bytes("指标,地区,年份,数值\n女性人均预期寿命,全国,2022,81.1\n".encode("gbk"))
    uploader.set_input_files(good)
    expect(page.get_by_text("文件检查通过")).to_be_visible(timeout=30_000)
    page.get_by_placeholder("例如：2024年卫生健康委年报数据").fill(HOSTILE)
    page.get_by_role("button", name="确认导入").click()
    expect(import_message(page)).to_be_visible(timeout=30_000)
    page.close()

    page = open_page(browser, app_url + "/batches", "laptop", signed_in)
    page.on("request", lambda request: requested.append(request.url))
    page.reload()
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
           ).to_be_attached(timeout=60_000)
    expect(page.get_by_text("备注：")).to_be_visible(timeout=30_000)
    assert f"备注：{HOSTILE}" in page.locator("body").inner_text().replace("\u2060", "")
    assert_nothing_hostile(page, requested)
    page.close()


def test_logging_out_ends_the_session_in_every_tab(app_url, browser):
    state = log_in(browser, app_url)
    context = browser.new_context(locale="zh-CN", storage_state=state)
    page, other = context.new_page(), context.new_page()
    for tab in (page, other):
        tab.goto(app_url + PAGES["overview"])
        expect(tab.locator('[data-testid="stMetric"]').first).to_be_visible(timeout=60_000)
    page.get_by_role("link", name="退出登录").click()
    expect(page.get_by_role("heading", name="两纲监测 · 登录")).to_be_visible(timeout=30_000)
    # The other tab still holds its websocket: its next rerun finds the session ended.
    other.get_by_role("link", name="趋势").click()
    expect(other.get_by_text("请先登录")).to_be_visible(timeout=30_000)
    page.goto(app_url + "/upload")
    expect(page.get_by_role("heading", name="两纲监测 · 登录")).to_be_visible(timeout=30_000)
    context.close()
def test_figures_from_a_work_report_are_marked_in_their_sentences_and_imported(
        signed_in, app_url, browser, tmp_path):
    # Runs last: it imports values of 覃塘区, which no other test looks at.
    import docx
    document = docx.Document()
    document.add_paragraph("覃塘区2019年妇女儿童工作总结")
    document.add_paragraph(f"2019年，全区孕产妇住院分娩率为99.9%，新生儿访视率为95.1%，详见{HOSTILE}。")
    report = tmp_path / "覃塘区2019年工作总结.docx"
    document.save(report)
    page = open_page(browser, app_url + "/upload", "laptop", signed_in)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.get_by_text("从工作总结提取").click()
    # The report's uploader (the file tab's may still be on the page while the tab reruns).
    page.locator('input[type=file][accept*=".docx"]').set_input_files(report)
    expect(page.get_by_text("找到 2 个指标数值")).to_be_visible(timeout=30_000)
    page.get_by_text("原句（数值已标出）").click()
    marked = page.locator("strong", has_text="99.9%")
    expect(marked).to_be_visible()
    # The sentence ends at ! (as at ！); what it holds of the link is shown as written.
    sentence = page.get_by_text("1. 孕产妇住院分娩率").inner_text().replace("\u2060", "")
    assert sentence.endswith("详见[x](http://example.invalid) !")
    assert_nothing_hostile(page, requested)
    expect(page.get_by_text("文件检查通过")).to_be_visible(timeout=30_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "upload-report-laptop.png", full_page=True)
    page.get_by_role("button", name="确认导入").click()
    expect(import_message(page)).to_be_visible(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_an_idle_session_ends_and_the_page_asks_for_a_login_again(app_server, browser):
    url, db = app_server
    context = browser.new_context(locale="zh-CN", storage_state=log_in(browser, url))
    [cookie] = [c for c in context.cookies() if c["name"] == logins.COOKIE_NAME]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"  # no script can read it
    page = context.new_page()
    page.goto(url + PAGES["overview"])
    expect(page.locator('[data-testid="stMetric"]').first).to_be_visible(timeout=60_000)
    store = open_store(db)
    token = logins.session_token(store, cookie["value"])
    idle = config.settings().access.idle_minutes
    store.touch_login_session(logins.token_hash(token),
                              store.local_time() - dt.timedelta(minutes=idle + 1))
    page.get_by_role("link", name="趋势").click()
    expect(page.get_by_text("请先登录")).to_be_visible(timeout=30_000)
    page.reload()
    expect(page.get_by_role("heading", name="两纲监测 · 登录")).to_be_visible(timeout=30_000)
    context.close()
