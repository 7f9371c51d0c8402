"""Benchmark: the pages in a real browser against one serving process (issue 16). Run on demand
(bench/national_pages.py runs it after the AppTest times); not a test.

- time to content, cold and warm: per level, a fresh `streamlit run dashboard.py` on 127.0.0.1,
  one headless Chromium context logged in; each page opened (cold: its first visit since the
  start) and opened again `--warm` times (warm: a revisit, the server's caches filled); from
  navigation until the page's main content is visible and Streamlit's script has stopped;
- memory: one serving process, the page sequence for the province, then for 全国, then ten
  visits of each page for 全国; the process's resident memory after each;
- viewers: N browser contexts (one Streamlit session each, one login shared) opening 中期评估
  and 总览 for 全国 at the same moment, after one visit has filled the caches; p50/p95 time to
  content and errors (a Streamlit exception or error box, a websocket failure, a timeout).
The serving process's CPU time and the load average are printed beside each part.
"""
from __future__ import annotations

import asyncio
import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from page_server import BENCH_PASSWORD, BENCH_USER, Server

CHROMIUM = "/usr/bin/chromium"
TIMEOUT_MS = 60_000
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# What only a page whose content was drawn shows (its last element to arrive).
CONTENT = {
    "overview": '[data-testid="stDataFrame"] >> nth=1',
    "evaluation": '[data-testid="stPlotlyChart"] .main-svg >> nth=0',
    "trends 1×1": '[data-testid="stPlotlyChart"] .main-svg >> nth=0',
    "trends 5×5": '[data-testid="stPlotlyChart"] .main-svg >> nth=0',
    "batches": '[data-testid="stDataFrame"] >> nth=0',
}
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
PATHS = {"overview": "/", "evaluation": "/evaluation", "trends 1×1": "/trends",
         "trends 5×5": "/trends", "batches": "/batches"}


@dataclass
class Visit:
    seconds: float
    error: str = ""


@dataclass
class Part:
    lines: list[str] = field(default_factory=list)
    errors: int = 0

    def add(self, line: str) -> None:
        print(line, flush=True)
        self.lines.append(line)


def page_url(base: str, page: str, query: dict[str, str]) -> str:
    from urllib.parse import urlencode
    return f"{base}{PATHS[page]}" + (f"?{urlencode(query)}" if query else "")


async def visit(context, url: str, page_name: str) -> Visit:
    """Open `url` in a new tab of `context`; seconds until its content shows, and any error."""
    from playwright.async_api import expect
    page = await context.new_page()
    failures = []
    page.on("websocket", lambda ws: ws.on("socketerror", lambda e: failures.append(f"ws {e}")))
    began = time.perf_counter()
    try:
        await page.goto(url, timeout=TIMEOUT_MS)
        await expect(page.locator(CONTENT[page_name])).to_be_visible(timeout=TIMEOUT_MS)
        await expect(page.locator(IDLE)).to_be_attached(timeout=TIMEOUT_MS)
        seconds = time.perf_counter() - began
        if await page.locator(ERRORS).count():
            failures.append((await page.locator(ERRORS).first.inner_text())[:120])
    except Exception as exc:  # noqa: BLE001 - a timeout or a broken page is the finding
        seconds = time.perf_counter() - began
        failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:100]}")
    await page.close()
    return Visit(seconds, "; ".join(failures))


# After the login, / is opened once (a fresh server serves pages/ by themselves until then), on
# the other outline: what it fills (the catalogue, the children's evaluation) is what any
# visitor's first page fills; the pages timed are the women's outline's.
FIRST_PAGE = "/?plan=children-2021-2030&region=000000"


async def logged_in(browser, base: str):
    """The storage state of a context logged in as the bench account through the login form,
    having opened FIRST_PAGE."""
    from urllib.parse import quote
    context = await browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = await context.new_page()
    await page.goto(f"{base}/auth/login?next={quote(FIRST_PAGE)}", timeout=TIMEOUT_MS)
    await page.fill("#name", BENCH_USER)
    await page.fill("#password", BENCH_PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_selector(IDLE, state="attached", timeout=TIMEOUT_MS * 2)
    state = await context.storage_state()
    await context.close()
    return state


async def launched(playwright):
    """Headless Debian Chromium, as every part drives it."""
    return await playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                            args=["--no-sandbox", "--disable-gpu"])


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


async def times_to_content(playwright, store: Path, log: Path, requests: dict,
                           levels: list[str], warm: int, part: Part) -> None:
    """Per level a fresh server; each page cold then `warm` times warm."""
    part.add("| page | level | cold ms | warm median ms | warm p95 ms | server CPU s | load "
             "| error |")
    part.add("|---|---|---:|---:|---:|---:|---|---|")
    browser = await launched(playwright)
    for level in levels:
        pages, server = requests[level], Server(store, log)
        try:
            state = await logged_in(browser, server.url)
            context = await browser.new_context(locale="zh-CN", storage_state=state,
                                                viewport={"width": 1366, "height": 900})
            for page_name, query in pages.items():
                url, cpu = page_url(server.url, page_name, query), server.cpu_seconds()
                visits = [await visit(context, url, page_name) for _ in range(1 + warm)]
                cold, rest = visits[0], [v.seconds for v in visits[1:]]
                error = next((v.error for v in visits if v.error), "")
                part.errors += sum(bool(v.error) for v in visits)
                part.add(f"| {page_name} | {level} | {ms(cold.seconds)} | "
                         f"{ms(statistics.median(rest))} | {ms(p95(rest))} | "
                         f"{server.cpu_seconds() - cpu:.2f} | {load()} | {error or '—'} |")
            await context.close()
        finally:
            server.stop()
    await browser.close()


async def memory(playwright, store: Path, log: Path, requests: dict, visits: int,
                 part: Part) -> None:
    """One server: the province's pages, 全国's, then `visits` visits of each page for 全国."""
    browser = await launched(playwright)
    server = Server(store, log)
    try:
        state = await logged_in(browser, server.url)
        context = await browser.new_context(locale="zh-CN", storage_state=state)
        part.add(f"started: RSS {server.rss_mb():,.0f} MB")
        for level in ("province", "national"):
            for page_name, query in requests[level].items():
                counted(part, await visit(context, page_url(server.url, page_name, query),
                                          page_name), f"{page_name} {level}")
            part.add(f"after the {level} sequence: RSS {server.rss_mb():,.0f} MB")
        for page_name, query in requests["national"].items():
            rss = []
            for _ in range(visits):
                counted(part, await visit(context, page_url(server.url, page_name, query),
                                          page_name), f"{page_name} national")
                rss.append(server.rss_mb())
            part.add(f"{page_name} national × {visits}: RSS after each visit "
                     + " ".join(f"{r:,.0f}" for r in rss) + " MB")
        part.add(f"end: RSS {server.rss_mb():,.0f} MB, peak {server.peak_mb():,.0f} MB, "
                 f"server CPU {server.cpu_seconds():.1f} s, load {load()}")
        await context.close()
    finally:
        server.stop()
    await browser.close()


def counted(part: Part, done: Visit, what: str) -> None:
    """A visit's error counted and said."""
    if done.error:
        part.errors += 1
        part.add(f"  error ({what}): {done.error}")


async def viewers(playwright, store: Path, log: Path, requests: dict, counts: list[int],
                  part: Part) -> None:
    """N contexts opening one page for 全国 at the same moment, per N and page."""
    part.add("| viewers | page | p50 ms | p95 ms | max ms | errors | server CPU s | load |")
    part.add("|---:|---|---:|---:|---:|---:|---:|---|")
    browser = await launched(playwright)
    server = Server(store, log)
    try:
        state = await logged_in(browser, server.url)
        contexts = [await browser.new_context(locale="zh-CN", storage_state=state)
                    for _ in range(max(counts))]
        for page_name in ("evaluation", "overview"):
            url = page_url(server.url, page_name, requests["national"][page_name])
            await visit(contexts[0], url, page_name)       # the caches filled once
            for n in counts:
                cpu = server.cpu_seconds()
                done = await asyncio.gather(*(visit(c, url, page_name) for c in contexts[:n]))
                seconds = [v.seconds for v in done]
                errors = [v.error for v in done if v.error]
                part.errors += len(errors)
                part.add(f"| {n} | {page_name} | {ms(statistics.median(seconds))} | "
                         f"{ms(p95(seconds))} | {ms(max(seconds))} | {len(errors)} | "
                         f"{server.cpu_seconds() - cpu:.2f} | {load()} |")
                for error in dict.fromkeys(errors):
                    part.add(f"  error: {error}")
        for context in contexts:
            await context.close()
    finally:
        server.stop()
    await browser.close()


async def run_all(store: Path, log: Path, requests: dict, levels: list[str], warm: int,
                  visits: int, counts: list[int], parts: tuple[str, ...]) -> dict[str, Part]:
    from playwright.async_api import async_playwright
    results = {name: Part() for name in parts}
    async with async_playwright() as playwright:
        if "content" in parts:
            await times_to_content(playwright, store, log, requests, levels, warm,
                                   results["content"])
        if "memory" in parts:
            await memory(playwright, store, log, requests, visits, results["memory"])
        if "viewers" in parts:
            await viewers(playwright, store, log, requests, counts, results["viewers"])
    return results
