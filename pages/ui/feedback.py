"""Errors as people read them. A MetricsError (a store that cannot be opened, a broken catalogue
or settings file, something named that does not exist) is shown as its Chinese message with its
hint; any other exception as a Chinese message with an error number that the server log also
holds, so a report from a user leads to the traceback. Streamlit's own English error page is
switched off (`showErrorDetails = "none"` in .streamlit/config.toml)."""
from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable

import streamlit as st

from metrics.errors import MetricsError
from pages.ui.markdown_text import literal

log = logging.getLogger("metrics.app")


def error_number() -> str:
    """A short number naming one failure: date and six random hex digits."""
    return f"{dt.datetime.now():%Y%m%d}-{secrets.token_hex(3)}"


def show_metrics_error(exc: MetricsError) -> None:
    """The error's message, and its hint beneath; both may quote what a user wrote."""
    st.error(literal(exc), icon=":material/error:")
    if exc.hint:
        st.caption(literal(exc.hint))


def show_unexpected(exc: Exception) -> str:
    """A Chinese message with the error number; the traceback goes to the log."""
    number = error_number()
    log.error("错误编号 %s", number, exc_info=exc)
    st.error(f"页面出现意外错误（错误编号 {number}），已记录在服务器日志中。请刷新页面重试；"
             "如仍出现，请将错误编号告知系统管理员。", icon=":material/error:")
    return number


def guarded(run: Callable[[], None]) -> None:
    """Run a page, showing what goes wrong instead of a traceback. st.stop and st.rerun are
    BaseExceptions, not Exceptions, so they pass through."""
    try:
        run()
    except MetricsError as exc:
        show_metrics_error(exc)
    except Exception as exc:  # noqa: BLE001 — every failure must reach the user as a message
        show_unexpected(exc)
