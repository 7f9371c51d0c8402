"""The server's exposure: the app listens on this machine only, and deploy/nginx.conf, the door
from an office network, lets through what the app needs (the browser check, nginx in front of
a running app, is in test_browser.py)."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
STREAMLIT = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def directive(name: str) -> str:
    """The value of the one active `name …;` line of deploy/nginx.conf."""
    [value] = re.findall(rf"^\s*{name}\s+([^;{{\n]+);", NGINX, re.MULTILINE)
    return value.strip()


def test_the_app_listens_on_localhost_only():
    assert STREAMLIT["server"]["address"] == "127.0.0.1"


def test_the_proxy_takes_uploads_as_large_as_the_app_does():
    assert directive("client_max_body_size") == f"{STREAMLIT['server']['maxUploadSize']}m"


def test_the_proxy_passes_the_websocket_and_does_not_buffer_or_cut_it():
    headers = dict(re.findall(r"^\s*proxy_set_header\s+(\S+)\s+([^;]+);", NGINX, re.MULTILINE))
    assert headers["Upgrade"] == "$http_upgrade"
    assert headers["Connection"] == "$connection_upgrade"
    assert directive("proxy_http_version") == "1.1"
    assert directive("proxy_buffering") == "off"
    assert int(directive("proxy_read_timeout").removesuffix("s")) >= 3600
    assert directive("server") == "127.0.0.1:8501"      # the upstream: the app's own address
