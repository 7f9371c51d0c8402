"""The login's HTTP side, driven as the ASGI server drives it: the gate before the pages, the
form, the cookie's flags, logout, safe redirects and the address behind a proxy."""
import asyncio
import re
from urllib.parse import urlencode

import pytest
from people import PAGE_TESTER, PAGE_TESTER_PASSWORD
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from metrics import config, logins
from metrics.login_routes import LOGIN_PATH, LoginRoutes, client_address, safe_next
from metrics.store import open_store


@pytest.fixture
def app(db):
    store = open_store(db)
    routes = LoginRoutes(lambda: store, lambda: config.settings().access, {"", "upload"})

    async def page(request):
        return PlainTextResponse("页面")
    return Starlette(routes=routes.routes() + [Route("/upload", page), Route("/", page)],
                     middleware=routes.middleware())


def call(app, method: str, path: str, query: str = "", form: dict | None = None,
         cookie: str | None = None, peer: str = "10.0.0.5", headers: dict | None = None):
    """One request: (status, headers as a dict of lists, body text)."""
    body = urlencode(form).encode() if form else b""
    sent_headers = {"content-type": "application/x-www-form-urlencoded", **(headers or {})}
    if cookie:
        sent_headers["cookie"] = f"{logins.COOKIE_NAME}={cookie}"

    async def exchange():
        messages = []

        async def receive():
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            messages.append(message)
        scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(),
                 "query_string": query.encode(), "root_path": "", "scheme": "http",
                 "http_version": "1.1", "client": (peer, 50000), "server": ("127.0.0.1", 8501),
                 "headers": [(k.encode(), v.encode()) for k, v in sent_headers.items()]}
        await app(scope, receive, send)
        return messages
    messages = asyncio.run(exchange())
    found = {}
    for key, value in messages[0]["headers"]:
        found.setdefault(key.decode(), []).append(value.decode())
    text = b"".join(m.get("body", b"") for m in messages[1:]).decode()
    return messages[0]["status"], found, text


def form_token(app) -> str:
    _, _, page = call(app, "GET", LOGIN_PATH)
    return re.search(r'name="form" value="([^"]+)"', page).group(1)


def log_in(app, password=PAGE_TESTER_PASSWORD, next_path="/upload", name=PAGE_TESTER):
    return call(app, "POST", LOGIN_PATH, form={"form": form_token(app), "name": name,
                                               "password": password, "next": next_path})


def test_a_page_without_a_session_is_sent_to_the_login_form_and_back(app):
    status, headers, _ = call(app, "GET", "/upload", query="batch=2")
    assert status == 303
    assert headers["location"] == [f"{LOGIN_PATH}?next=%2Fupload%3Fbatch%3D2"]
    status, _, page = call(app, "GET", LOGIN_PATH, query="next=%2Fupload%3Fbatch%3D2")
    assert status == 200 and 'name="next" value="/upload?batch=2"' in page
    assert '<html lang="zh-CN">' in page and "用户名" in page and "密码" in page


def test_a_login_sets_an_httponly_strict_cookie_and_returns_to_the_page(app):
    status, headers, _ = log_in(app)
    assert status == 303 and headers["location"] == ["/upload"]
    [cookie] = headers["set-cookie"]
    assert cookie.startswith(f"{logins.COOKIE_NAME}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    value = cookie.split(";")[0].split("=", 1)[1]
    assert call(app, "GET", "/upload", cookie=value)[:1] == (200,)
    assert call(app, "GET", "/upload", cookie=value)[2] == "页面"


def test_a_wrong_password_shows_the_form_again_with_the_reason(app):
    status, headers, page = log_in(app, password="不对的密码")
    assert status == 401 and "set-cookie" not in headers
    assert "用户名或密码不正确。" in page and f'value="{PAGE_TESTER}"' in page


def test_what_was_typed_is_escaped_in_the_form(app):
    _, _, page = log_in(app, name='<img src=x onerror=alert(1)>"', password="x")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;&quot;" in page


def test_a_stale_or_forged_form_is_refused(app):
    status, _, page = call(app, "POST", LOGIN_PATH, form={
        "form": "forged", "name": PAGE_TESTER, "password": PAGE_TESTER_PASSWORD})
    assert status == 400 and "登录页面已过期" in page


def test_logout_ends_the_session_and_clears_the_cookie(app):
    value = log_in(app)[1]["set-cookie"][0].split(";")[0].split("=", 1)[1]
    status, headers, _ = call(app, "GET", "/auth/logout", cookie=value)
    assert status == 303 and headers["location"] == [LOGIN_PATH]
    assert 'Max-Age=0' in headers["set-cookie"][0] or "expires=" in headers["set-cookie"][0]
    assert call(app, "GET", "/upload", cookie=value)[0] == 303  # the old cookie opens nothing


@pytest.mark.parametrize("target, safe", [
    ("/upload?batch=2", "/upload?batch=2"), ("//evil.example/x", "/"),
    ("https://evil.example/", "/"), ("/\\evil.example", "/"), ("", "/"), ("upload", "/"),
])
def test_the_way_back_stays_on_this_site(target, safe):
    assert safe_next(target) == safe


def test_the_address_behind_the_proxy_is_trusted_from_this_machine_only():
    assert client_address("127.0.0.1", "203.0.113.9, 10.0.0.7") == "10.0.0.7"
    assert client_address("10.0.0.5", "203.0.113.9") == "10.0.0.5"
    assert client_address(None, None) == ""
