"""Benchmark: N viewers of a page as websocket clients replaying what a browser sends (issue 16).
Run on demand (bench/national_pages.py --parts sockets); not a test.

Browsers on the server's two cores measure the browsers as much as the server: 30 headless
Chromium tabs need the cores the app needs. So a browser opens each page once and the messages it
sends on Streamlit's websocket are recorded (for a first visit: one rerun request carrying the
page, its URL parameters and the browser's locale); N clients, each a new Streamlit session with
the same login cookie, then send those messages at the same moment and wait for the server's
`script_finished` — the page whole, a bound on when its content shows. A client that gets an
exception element, an error box, a page stopped at 请先登录 or 无权访问 (an ended login would
otherwise time the prompt), no finish within the timeout or a closed socket counts an error.
Everything on 127.0.0.1; every wait bounded.
"""
from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from browser_pages import Part, launched, load, logged_in, ms, p95, page_url, visit
from page_server import Server

TIMEOUT_S = 120
GATES = ("请先登录", "无权访问")   # titles of a page that did not open
# The messages a browser sends that ask for nothing a page shows (kept-alive pings).
UNTIMED = ("app_heartbeat",)


@dataclass
class SocketVisit:
    first_element: float
    finished: float
    error: str = ""


@dataclass
class Recording:
    """What one browser sent for a page, and the cookies it sent them with."""
    messages: list[bytes]
    cookie: str


async def recorded(browser, state: dict, url: str, page_name: str) -> Recording:
    """The rerun requests a browser's first visit of `url` sends, in order."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    context = await browser.new_context(locale="zh-CN", storage_state=state,
                                        viewport={"width": 1366, "height": 900})
    sent: list[bytes] = []
    context.on("page", lambda page: page.on(
        "websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame))))
    found = await visit(context, url, page_name)
    await context.close()
    if found.error:
        raise RuntimeError(f"recording {page_name}: {found.error}")
    messages = []
    for frame in sent:
        message = BackMsg()
        message.ParseFromString(frame if isinstance(frame, bytes) else frame.encode())
        if message.WhichOneof("type") not in UNTIMED:
            messages.append(message.SerializeToString())
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in state["cookies"])
    return Recording(messages, cookie)


def element_error(message) -> str:
    """The text of an exception, an error box or a gate's title a forward message adds, or
    ''."""
    if message.WhichOneof("type") != "delta":
        return ""
    element = message.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        return f"{element.exception.type}: {element.exception.message[:100]}"
    if kind == "alert" and element.alert.format == element.alert.ERROR:
        return element.alert.body[:100]
    if kind == "heading" and element.heading.body in GATES:
        return f"the page stopped at {element.heading.body}"
    return ""


async def socket_visit(base: str, recording: Recording) -> SocketVisit:
    """One new session sending the recorded messages; each waits for its script's finish."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect
    host = urlsplit(base).netloc
    began, first, errors = time.perf_counter(), 0.0, []
    try:
        async with asyncio.timeout(TIMEOUT_S), connect(
                f"ws://{host}/_stcore/stream", subprotocols=["streamlit"], max_size=None,
                additional_headers={"Cookie": recording.cookie, "Origin": base}) as socket:
            for request in recording.messages:
                await socket.send(request)
                while True:
                    message = ForwardMsg()
                    message.ParseFromString(await socket.recv())
                    kind = message.WhichOneof("type")
                    if kind == "delta" and not first:
                        first = time.perf_counter() - began
                    errors.append(element_error(message))
                    # A run cut short for a rerun (the first visit of a fresh server, a page
                    # that reruns itself) is followed by the rerun: wait for that one.
                    if kind == "script_finished" and (
                            message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN):
                        break
    except Exception as exc:  # noqa: BLE001 - a timeout or a dropped socket is the finding
        errors.append(f"{type(exc).__name__}: {str(exc)[:100]}")
    return SocketVisit(first, time.perf_counter() - began, "; ".join(e for e in errors if e))


async def socket_viewers(playwright, store, log, requests: dict, counts: list[int],
                         part: Part) -> None:
    """Per page for 全国: the browser's messages recorded, then N clients at the same moment."""
    part.add("| viewers | page | first element p50 ms | finished p50 ms | finished p95 ms "
             "| max ms | errors | server CPU s | load |")
    part.add("|---:|---|---:|---:|---:|---:|---:|---:|---|")
    browser = await launched(playwright)
    server = Server(store, log)
    try:
        state = await logged_in(browser, server.url)
        for page_name, query in requests["national"].items():
            recording = await recorded(browser, state, page_url(server.url, page_name, query),
                                       page_name)
            for n in counts:
                cpu = server.cpu_seconds()
                done = await asyncio.gather(*(socket_visit(server.url, recording)
                                              for _ in range(n)))
                finished = [v.finished for v in done]
                errors = [v.error for v in done if v.error]
                part.errors += len(errors)
                part.add(f"| {n} | {page_name} | "
                         f"{ms(statistics.median(v.first_element for v in done))} | "
                         f"{ms(statistics.median(finished))} | {ms(p95(finished))} | "
                         f"{ms(max(finished))} | {len(errors)} | "
                         f"{server.cpu_seconds() - cpu:.2f} | {load()} |")
                for error in dict.fromkeys(errors):
                    part.add(f"  error: {error}")
    finally:
        server.stop()
        await browser.close()
