"""PNG images of the Plotly figures, for the briefings, through kaleido and Chromium.

kaleido's sync server keeps one Chromium open for the whole process: about 0.3 s per image
instead of 4–9 s for a browser launched per image. The server is a process-wide singleton that
is not thread-safe, and when its Chromium cannot start every later call waits forever (kaleido
1.5 swallows the error in its thread). Hence exports are serialised by a lock, the server is
started only once a browser has been found, and each export gets a time limit after which
images are given up for the life of the process rather than hanging a page.
"""
from __future__ import annotations

import threading
from pathlib import Path

import kaleido
from choreographer.browsers import Chromium
from kaleido.errors import KaleidoError

WIDTH = 700            # px, unless the figure sets its own; its layout gives the height
SCALE = 2              # print quality: the PNG is twice the layout size
TIMEOUT_SECONDS = 60   # a first export includes Chromium's start-up (4–9 s measured)

_lock = threading.Lock()
_state = {"server": False, "stuck": False}


def png(fig) -> bytes:
    """The figure as a PNG. Raises RuntimeError when no Chrome/Chromium is installed or the
    export does not finish in time."""
    with _lock:
        if _state["stuck"]:
            raise RuntimeError("图表导出此前超时，本次运行不再尝试")
        outcome: dict = {}
        worker = threading.Thread(target=export, args=(fig, outcome), daemon=True)
        worker.start()
        worker.join(TIMEOUT_SECONDS)
        if worker.is_alive():
            _state["stuck"] = True
            raise RuntimeError(f"图表导出超过{TIMEOUT_SECONDS}秒未完成")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["png"]


def export(fig, outcome: dict) -> None:
    """Render in the worker thread, storing the PNG or the exception in `outcome`."""
    try:
        start_server()
        # kaleido directly rather than fig.to_image: plotly passes options that the server
        # ignores, with a warning on every image.
        outcome["png"] = kaleido.calc_fig_sync(fig, opts={
            "format": "png", "width": fig.layout.width or WIDTH,
            "height": fig.layout.height or WIDTH * 0.6, "scale": SCALE})
    except KaleidoError as exc:  # the one kaleido failure that is not a RuntimeError
        outcome["error"] = RuntimeError(f"图表导出失败：{exc}")
    except Exception as exc:  # noqa: BLE001 — handed to the caller's thread as is
        outcome["error"] = exc


def start_server() -> None:
    """Start kaleido's server once; refuse before starting it if there is no browser."""
    if _state["server"]:
        return
    # The same search kaleido makes (BROWSER_PATH, then the usual names and places).
    browser = Chromium.find_browser(skip_local=False)
    if not browser or not Path(browser).is_file():
        raise RuntimeError("未找到Chrome/Chromium浏览器")
    # mathjax=False: no formulas here, and it would otherwise be fetched from a CDN.
    kaleido.start_sync_server(silence_warnings=True, mathjax=False)
    _state["server"] = True
