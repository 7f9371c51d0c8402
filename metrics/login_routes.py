"""The login's HTTP side: a login form, logging out, and a gate in front of the pages.

Streamlit scripts cannot set cookies, and `st.context.cookies` holds only those of a session's
first request, so the login is plain HTTP beside the app (Starlette routes added with
`st.App`): POST /auth/login checks the password, sets an HttpOnly, SameSite=Strict cookie
holding the signed session token and redirects to the page asked for; the next page load's
websocket carries the cookie to the scripts. The gate sends a browser that opens a page without
an open session to the login form first (the pages check again themselves: a session can end
while a tab is open). No Streamlit here: Starlette ships with it, and the functions are tested
with Starlette's test client.
"""
from __future__ import annotations

import asyncio
import html
import ipaddress
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from metrics import logins
from metrics.settings import AccessSettings
from metrics.store import Store

LOGIN_PATH = "/auth/login"
LOGOUT_PATH = "/auth/logout"
FORM_SECRET = "login-form-signing"
FORM_MAX_AGE = 3600  # a login form older than an hour is shown again


def client_address(peer: str | None, forwarded_for: str | None) -> str:
    """Who is asking: the peer, or, when the peer is this machine (the reverse proxy), the
    address the proxy saw (the last one it appended to X-Forwarded-For)."""
    peer = peer if isinstance(peer, str) else ""
    forwarded_for = forwarded_for if isinstance(forwarded_for, str) else None
    try:
        loopback = ipaddress.ip_address(peer).is_loopback
    except ValueError:
        loopback = False
    if loopback and forwarded_for:
        return forwarded_for.split(",")[-1].strip() or peer
    return peer


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path of this site only (never //host or a URL)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return "/"
    return target


FORM = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · 两纲监测</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
       sans-serif; background: #f4f6f9; margin: 0; color: #1c2430; }}
main {{ max-width: 22rem; margin: 12vh auto 0; background: #fff; padding: 2rem 1.75rem;
       border-radius: .5rem; box-shadow: 0 1px 4px rgba(0,0,0,.12); }}
h1 {{ font-size: 1.35rem; margin: 0 0 1.25rem; }}
label {{ display: block; margin: .9rem 0 .3rem; font-size: .95rem; }}
input {{ width: 100%; box-sizing: border-box; padding: .55rem .6rem; font-size: 1rem;
        border: 1px solid #b8c2cf; border-radius: .3rem; }}
button {{ margin-top: 1.4rem; width: 100%; padding: .6rem; font-size: 1rem; color: #fff;
         background: #1f5fa8; border: 0; border-radius: .3rem; cursor: pointer; }}
.message {{ background: #fdecea; color: #8a1c12; padding: .6rem .7rem; border-radius: .3rem;
           font-size: .93rem; }}
.note {{ font-size: .85rem; color: #5b6675; margin-top: 1.2rem; }}
</style></head>
<body><main>
<h1>两纲监测 · 登录</h1>
{message}
<form method="post" action="{action}">
<input type="hidden" name="form" value="{form}">
<input type="hidden" name="next" value="{next}">
<label for="name">用户名</label>
<input id="name" name="name" autocomplete="username" required value="{name}" autofocus>
<label for="password">密码</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">登录</button>
</form>
<p class="note">忘记密码或账号被锁定，请联系本地区的系统管理员。{public}</p>
</main></body></html>
"""


class LoginRoutes:
    """The routes and the gate, over a store and settings opened on demand (the app opens
    them once per process)."""

    def __init__(self, store: Callable[[], Store], access: Callable[[], AccessSettings],
                 page_paths: set[str]):
        self.store, self.access, self.page_paths = store, access, page_paths

    def routes(self) -> list[Route]:
        return [Route(LOGIN_PATH, self.login, methods=["GET", "POST"]),
                Route(LOGOUT_PATH, self.logout, methods=["GET", "POST"])]

    def middleware(self) -> list[Middleware]:
        return [Middleware(PageGate, routes=self)]

    def form_signer(self) -> TimestampSigner:
        return TimestampSigner(logins.store_secret(self.store(), FORM_SECRET), salt="login-form")

    async def form_page(self, next_path: str, message: str = "", name: str = "",
                        status: int = 200) -> HTMLResponse:
        token = (await run_in_threadpool(self.form_signer)).sign("login").decode()
        public = ('<br><a href="/">不登录，浏览公开的监测数据</a>' if self.access().public_mode
                  else "")
        body = FORM.format(message=f'<p class="message" role="alert">{html.escape(message)}</p>'
                           if message else "", action=LOGIN_PATH, form=html.escape(token),
                           next=html.escape(next_path), name=html.escape(name), public=public)
        return HTMLResponse(body, status_code=status,
                            headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"})

    def address(self, request: Request) -> str:
        return client_address(request.client.host if request.client else None,
                              request.headers.get("x-forwarded-for"))

    async def login(self, request: Request) -> Response:
        if request.method == "GET":
            return await self.form_page(safe_next(request.query_params.get("next")))
        form = await request.form()
        next_path = safe_next(form.get("next"))
        name = str(form.get("name", "")).strip()[:64]
        try:
            await run_in_threadpool(self.form_signer().unsign, str(form.get("form", "")),
                                    max_age=FORM_MAX_AGE)
        except (BadSignature, SignatureExpired):
            return await self.form_page(next_path, "登录页面已过期，请重新输入。", name, 400)
        outcome = await run_in_threadpool(logins.attempt, self.store(), name,
                                          str(form.get("password", "")), self.address(request),
                                          self.access())
        if outcome.wait_seconds:
            await asyncio.sleep(outcome.wait_seconds)
        if outcome.cookie is None:
            return await self.form_page(next_path, outcome.message, name, 401)
        response = RedirectResponse(next_path, status_code=303)
        response.set_cookie(logins.COOKIE_NAME, outcome.cookie, httponly=True, samesite="strict",
                            secure=is_https(request), path="/")
        return response

    async def logout(self, request: Request) -> Response:
        await run_in_threadpool(logins.log_out, self.store(),
                                request.cookies.get(logins.COOKIE_NAME), self.address(request))
        response = RedirectResponse(LOGIN_PATH, status_code=303)
        response.delete_cookie(logins.COOKIE_NAME, path="/", httponly=True, samesite="strict")
        return response

    def signed_in(self, request: Request) -> bool:
        return logins.signed_in(self.store(), request.cookies.get(logins.COOKIE_NAME),
                                self.address(request), self.access()) is not None


def is_https(request: Request) -> bool:
    return request.url.scheme == "https" or \
        request.headers.get("x-forwarded-proto", "").lower() == "https"


class PageGate:
    """ASGI middleware: a GET of a page without an open session (and public mode off) is sent
    to the login form, with the page as `next`. Everything else passes untouched."""

    def __init__(self, app, routes: LoginRoutes):
        self.app, self.routes = app, routes

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "GET" and \
                scope["path"].strip("/") in self.routes.page_paths and \
                not self.routes.access().public_mode:
            request = Request(scope)
            if not await run_in_threadpool(self.routes.signed_in, request):
                target = scope["path"] + (f"?{request.url.query}" if request.url.query else "")
                response = RedirectResponse(f"{LOGIN_PATH}?{urlencode({'next': target})}",
                                            status_code=303)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
