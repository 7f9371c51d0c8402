"""Logging in and out, and the login sessions behind the cookie.

The cookie holds only a random session token signed with the store's secret (itsdangerous);
the store keeps the token's SHA-256, never the token, so a copy of the database opens no
session. A session ends on logout, after `access.idle_minutes` unused, when its user is
disabled or changes password or rights, or when an administrator ends it. Failed logins are
counted per user and per address: from `slow_after_failures` on each answer waits, from
`lock_after_failures` the user (or address) is locked for `lock_minutes`, right password or
not, and is told until when.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import pandas as pd
from itsdangerous import BadSignature, Signer

from metrics import accounts, audit, passwords
from metrics.access import NOBODY_NAME, Actor, Grant, Role
from metrics.accounts import Account
from metrics.regions import RegionTree
from metrics.settings import AccessSettings
from metrics.store import Store

COOKIE_NAME = "lgjc_session"
SIGNING_SECRET = "login-session-signing"
# A session's last use is written at most this often: one write per page view would cost
# more than the page.
TOUCH_INTERVAL = dt.timedelta(seconds=60)
# Verified against when the user does not exist, so that the answer takes as long either way.
NOBODY_HASH = passwords.hash_password(secrets.token_hex(16))


@dataclass(frozen=True)
class LoginOutcome:
    """What a login attempt gives: a cookie value, or a Chinese refusal; `wait_seconds` is
    how long to hold the answer back (throttling)."""
    cookie: str | None
    message: str = ""
    wait_seconds: float = 0.0


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# A store's secrets never change once made: read once per process, not on every page view
# (reading one may also create it, a write).
SECRETS: dict[tuple[str, str], str] = {}


def store_secret(store: Store, name: str) -> str:
    """The store's secret `name` (Store.secret), kept once read."""
    key = (store.url, name)
    if key not in SECRETS:
        SECRETS[key] = store.secret(name)
    return SECRETS[key]


def signer(store: Store) -> Signer:
    return Signer(store_secret(store, SIGNING_SECRET), salt="login-session")


def refusal_actor(address: str) -> Actor:
    """Who the audit names for a failed login: nobody yet (the name typed is its object)."""
    return Actor(NOBODY_NAME, Grant(Role.VIEWER, (), ()), address)


def lock_message(failures: pd.DataFrame, limit: int, access: AccessSettings,
                 now: dt.datetime, whom: str) -> str | None:
    """The refusal while `whom` is locked, None when not locked."""
    if len(failures) < limit:
        return None
    until = pd.Timestamp(failures["failed_at"].max()) + pd.Timedelta(minutes=access.lock_minutes)
    if now >= until:
        return None
    return f"登录失败次数过多，{whom}已暂时锁定，请于 {until:%m月%d日 %H:%M} 之后再试。"


def attempt(store: Store, name: str, password: str, address: str,
            access: AccessSettings) -> LoginOutcome:
    """Check a login; open a session on success. Every attempt is audited."""
    now = store.local_time()
    since = now - dt.timedelta(minutes=access.failure_window_minutes)
    failures = store.fetch_login_failures(name, address, since)
    by_user = failures[failures["user_name"] == name]
    by_address = failures[failures["address"] == address]
    wait = access.slow_seconds if max(len(by_user), len(by_address)) >= \
        access.slow_after_failures else 0.0
    locked = (lock_message(by_user, access.lock_after_failures, access, now, "该账号")
              or lock_message(by_address, access.address_lock_after_failures, access, now,
                              "本机地址"))
    if locked:
        audit.record(store, refusal_actor(address), "login_failed", name[:40], detail="已锁定")
        return LoginOutcome(None, locked, wait)
    record = store.fetch_user(name)
    right = passwords.matches(record["password_hash"] if record else NOBODY_HASH, password)
    if not right or record is None or record["disabled"]:
        store.record_login_failure(name, address, now, forget_before=since)
        reason = "账号已停用" if right and record else "用户名或密码不正确"
        audit.record(store, refusal_actor(address), "login_failed", name[:40], detail=reason)
        return LoginOutcome(None, f"{reason}。", wait)
    store.clear_login_failures(name)
    token = secrets.token_urlsafe(32)
    store.open_login_session(token_hash(token), name, address, now)
    audit.record(store, Account.from_record(record).actor(address), "login", name)
    return LoginOutcome(signer(store).sign(token).decode())


def session_token(store: Store, cookie: str | None) -> str | None:
    """The token inside a cookie value, if the store's key signed it."""
    if not cookie:
        return None
    try:
        return signer(store).unsign(cookie).decode()
    except BadSignature:
        return None


def signed_in(store: Store, cookie: str | None, address: str,
              access: AccessSettings) -> Actor | None:
    """The person whose open session the cookie holds, or None (no cookie, a forged or ended
    session, an idle one — which ends now and is audited —, a disabled user)."""
    token = session_token(store, cookie)
    session = store.fetch_login_session(token_hash(token)) if token else None
    if session is None or session["ended_at"] is not None:
        return None
    now = store.local_time()
    record = store.fetch_user(session["user_name"])
    if record is None or record["disabled"]:
        store.end_login_sessions("disabled", now, token_hash=session["token_hash"])
        return None
    actor = Account.from_record(record).actor(address)
    if now - pd.Timestamp(session["last_seen"]) > dt.timedelta(minutes=access.idle_minutes):
        store.end_login_sessions("expired", now, token_hash=session["token_hash"])
        audit.record(store, actor, "session_expired", actor.name)
        return None
    if now - pd.Timestamp(session["last_seen"]) > TOUCH_INTERVAL:
        store.touch_login_session(session["token_hash"], now)
    return actor


def log_out(store: Store, cookie: str | None, address: str) -> None:
    """End the cookie's session, if it is open (audited)."""
    token = session_token(store, cookie)
    session = store.fetch_login_session(token_hash(token)) if token else None
    if session is None or session["ended_at"] is not None:
        return
    store.end_login_sessions("logout", store.local_time(), token_hash=session["token_hash"])
    record = store.fetch_user(session["user_name"])
    actor = Account.from_record(record).actor(address) if record else refusal_actor(address)
    audit.record(store, actor, "logout", session["user_name"])


def end_session(store: Store, admin: Actor, tree: RegionTree, hashed: str) -> None:
    """An administrator ends the session of a user they manage (sessions are listed by the
    hash of their token)."""
    session = store.fetch_login_session(hashed)
    if session is None or session["ended_at"] is not None:
        return
    accounts.require_manager(admin, tree, accounts.find(store, session["user_name"]))
    store.end_login_sessions("revoked", store.local_time(), token_hash=hashed)
    audit.record(store, admin, "session_revoked", session["user_name"])
